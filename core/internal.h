/* SPDX-License-Identifier: MIT */
/* Names shared inside libifplex; nothing here leaves the library. */
#ifndef IFPLEX_INTERNAL_H
#define IFPLEX_INTERNAL_H

#include <ifplex.h>
#include <ifplex/backend.h>

#include <stdarg.h>

#if defined(__MINGW32__)
/* The build uses mingw's C99 printf (__USE_MINGW_ANSI_STDIO), not msvcrt's. */
#  define IFPLEX__PRINTF(a, b) __attribute__((format(gnu_printf, a, b)))
#elif defined(__GNUC__)
#  define IFPLEX__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define IFPLEX__PRINTF(a, b)
#endif

/* ip.c */
int ifplex__ip_parse_n(const char *s, size_t n, struct ifplex_ip *out, int *is_v4_text);
/* s[0..n) with an optional "%zone" (refused when zone is NULL); records
 * no error, for the host's ip_parse. */
int ifplex__ip_parse_zone_n(const char *s, size_t n, struct ifplex_ip *out, char *zone,
			    size_t zonelen);
int ifplex__copy_out(char *buf, size_t len, const char *s);
/* ifplex_ip_string without recording an error. */
int ifplex__ip_string(const struct ifplex_ip *ip, char *buf, size_t len);
void ifplex__hex(const uint8_t *b, size_t n, char *out);
/* The value of hex digit c, or -1. */
int ifplex__hexval(char c);

/* The 4 IPv4 bytes of ip (4-byte or IPv4-mapped), or NULL. */
const uint8_t *ifplex__ip4(const struct ifplex_ip *ip);
/* The IPv4 rule: an IPv4-mapped 16-byte IP becomes its 4-byte form. */
void ifplex__ip_norm(struct ifplex_ip *ip);

/* hostport.c: Go's AddrError text ("address ADDR: why", why alone for ""). */
int ifplex__addr_error(int code, const char *addr, const char *why);
/* Go's SplitHostPort into buffers that are not NULL and not empty, without
 * recording: a failure returns its code and sets *why. */
int ifplex__split_host_port(const char *hostport, char *host, size_t hostlen, char *port,
			    size_t portlen, const char **why);

/* network.c: Go's parsePort: 0 and *port (outside 0..65535 when the number
 * is), or -1 when s is not a number and must be looked up. */
int ifplex__parse_port(const char *s, int *port);
/* Go's parseNetwork: as ifplex_network_parse, but "ip", "ip4" and "ip6"
 * alone pass when needs_proto is 0.  network is not NULL. */
int ifplex__network_parse(const char *network, int needs_proto, struct ifplex_network *out);
/* The address's kind and IPs as the IPv4 rule wants them for a connection
 * on n: IPRAW for raw IP networks, IPv4 in 4 bytes. */
void ifplex__netaddr_fix(const struct ifplex_network *n, struct ifplex_netaddr *a);
/* ifplex_netaddr_string without recording; a is not NULL. */
int ifplex__netaddr_text(const struct ifplex_netaddr *a, char *buf, size_t len);

/* dnsname.c: Go's isDomainName. */
int ifplex__is_domain_name(const char *s);

/* resolve.c: every candidate endpoint for address on n, in dial order:
 * list[count], which is here (one or two, no allocation) or on the heap;
 * ifplex__cands_free releases it either way. */
struct ifplex__cands {
	struct ifplex_netaddr *list;
	size_t count;
	struct ifplex_netaddr here[2];
};
int ifplex__resolve(const struct ifplex_network *n, const char *address,
		    struct ifplex__cands *out);
void ifplex__cands_free(struct ifplex__cands *c);

/* error.c: record the calling thread's failure; each returns code.  The
 * text is escaped as ifplex__escape does. */
int ifplex__set_errorf(int code, const char *fmt, ...) IFPLEX__PRINTF(2, 3);
/* "fn: why", or "fn: " and the code's text when why is NULL. */
int ifplex__fail(int code, const char *fn, const char *why);
/* Copy in to out (NUL-terminated, cut whole): control bytes and invalid
 * UTF-8 become the escapes Go's %q writes (\n, \x00, \u0085); returns
 * the length written. */
size_t ifplex__escape(const char *in, char *out, size_t outlen);
/* What a plugin said about a failure in progress (host->fail, fail_text). */
struct ifplex__pending {
	char syscall[64];
	char detail[512];
};
void ifplex__pending_save(struct ifplex__pending *p);
void ifplex__pending_restore(const struct ifplex__pending *p);
/* Go's OpError: "op net [addr]: [syscall: ]reason". */
int ifplex__op_error(int code, const char *op, const char *net, const char *addr);
/* Forget the plugin's syscall note before calling into a plugin. */
void ifplex__pending_clear(void);
int ifplex__host_fail(const char *syscall, int code);
int ifplex__host_fail_text(const char *text, int code);
/* The thread's last message, to wrap it in a larger one. */
const char *ifplex__last_message(void);

/* opts.c: a caller's sized options struct (its first field is size_t
 * size): 0, or IFPLEX_EINVAL with the reason when size does not cover the
 * size field or a byte past known is set. */
int ifplex__opts_valid(const void *opts, size_t size, size_t known, const char *what);
#define IFPLEX__OFFSETOFEND(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
/* Check opts (may be NULL) of struct type whose last known field is last. */
#define IFPLEX__OPTS_VALID(opts, type, last, what) \
	((opts) ? ifplex__opts_valid((opts), (opts)->size, IFPLEX__OFFSETOFEND(type, last), (what)) : 0)
/* A field of opts, or fallback when opts is NULL or its size ends before it. */
#define IFPLEX__OPTS_GET(opts, type, field, fallback) \
	((opts) && (opts)->size >= IFPLEX__OFFSETOFEND(type, field) ? (opts)->field : (fallback))

/* backend.c: the active backend, loaded on first use. */
struct ifplex__active {
	const struct ifplex_backend *be;
	void *state;
};
int ifplex__backend(struct ifplex__active *out);
/* The host struct lent to the interface backend (datapath.c copies it). */
const struct ifplex_host *ifplex__host(void);
/* datapath.c: offer a udp conversation (dial or listen_packet) to the
 * datapath: 0 with *be and *bc when it took it, IFPLEX_DATAPATH_PASS when
 * the interface backend is to have it, or its failure (the plugin's note
 * set for the operation's error). */
int ifplex__datapath_open(int dial, const struct ifplex_sockspec *spec,
			  const struct ifplex_backend **be, ifplex_bconn **bc);
/* plugin_out.c: check a list the plugin's slot returned with rc: listp
 * (a T **) and count as the caller gets them, elem the size of a T, elem_ok
 * an optional check of each entry.  Returns rc, or IFPLEX_EBADPLUGIN with
 * the list NULL and count 0 when the plugin broke its contract. */
int ifplex__plugin_list(const struct ifplex__active *a, const char *slot, int rc, void *listp,
			size_t *count, size_t elem,
			int (*elem_ok)(const void *e, const void *block, size_t cap));
int ifplex__ip_ok(const void *e, const void *block, size_t cap);
int ifplex__srv_ok(const void *e, const void *block, size_t cap);
int ifplex__mx_ok(const void *e, const void *block, size_t cap);
int ifplex__name_ok(const void *e, const void *block, size_t cap);
/* iface.c: the backend, or the failure recorded in Go's words for op
 * ("route ip+net: ..."); the operation a backend lacks, recorded. */
int ifplex__backend_for(struct ifplex__active *a, const char *op);
int ifplex__unsupported(const struct ifplex__active *a, const char *op);
/* The directories searched before the installed one: ifplex_init's, or
 * IFPLEX_PLUGIN_PATH. */
const char *ifplex__search_path(void);
void ifplex__log(int level, const char *fmt, ...) IFPLEX__PRINTF(2, 3);

/* loader.c */
struct ifplex__plugin {
	/* The plugin's struct copied into one of the core's size, so that
	 * slots an older plugin lacks read as NULL; NULL when status != 0.
	 * It lives as long as the process. */
	const struct ifplex_backend *be;
	uint32_t plugin_abi;             /* the ABI the plugin declared, 0 if unknown */
	uint32_t plugin_size;            /* the size the plugin declared, 0 if unknown */
	int status;                      /* 0, or the code of the failure */
	char path[1024];
	char message[1024];
};
/* Find ifplex-NAME in search_path (directories separated by the OS's list
 * separator; relative ones refused) then the installed directory, and load
 * it into *out.  Each file is loaded once and the outcome remembered, a
 * failure too, except transient ones (ifplex__transient), which the next
 * call tries again. */
void ifplex__plugin_load(const char *name, const char *search_path, struct ifplex__plugin *out);
/* The same for one file, found by the caller. */
void ifplex__plugin_load_file(const char *name, const char *path, struct ifplex__plugin *out);
/* Call fn for each directory of the search, in order; refused is NULL for
 * a usable directory, else why it is skipped ("relative").  A non-zero
 * return from fn ends the walk and is returned. */
int ifplex__search_dirs(const char *search_path,
			int (*fn)(const char *dir, const char *refused, void *arg), void *arg);
/* dir/ifplex-NAME.so into path; IFPLEX_EINVAL when it does not fit. */
int ifplex__plugin_file_name(const char *dir, const char *name, char *path, size_t len);
int ifplex__valid_plugin_name(const char *name);

/* snapshot.c: the host's snapshot slots. */
struct ifplex_snapshot *ifplex__snapshot_alloc(size_t nifaces, size_t naddrs);
int ifplex__snapshot_seal(struct ifplex_snapshot *s, uint64_t generation);
void ifplex__snapshot_hold(struct ifplex_snapshot *s);
void ifplex__snapshot_put(struct ifplex_snapshot *s);
/* Whether s is a sealed snapshot this core made (a backend's answer). */
int ifplex__snapshot_valid(const struct ifplex_snapshot *s);
/* Whether a and b hold the same interfaces and addresses. */
int ifplex__snapshot_same(const struct ifplex_snapshot *a, const struct ifplex_snapshot *b);

#if defined(__SANITIZE_ADDRESS__)
#  define IFPLEX__ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define IFPLEX__ASAN 1
#  endif
#endif

/* conn_live.c: the set of connections not yet freed; embed a node as the
 * first member.  ifplex__live_has and ifplex__live_unlink are called with
 * IFPLEX__LOCK_CONNS held, the others take it. */
struct ifplex__live {
	struct ifplex__live *next;
};
void ifplex__live_add(struct ifplex__live *e);
int ifplex__live_has(const void *p);
void ifplex__live_remove(struct ifplex__live *e);
void ifplex__live_unlink(struct ifplex__live *e);

/* alloc.c: what ifplex_free() releases; zero: whether to clear it. */
void *ifplex__alloc(size_t n, int zero);
/* The capacity of p if it is a live block from ifplex__alloc, else 0. */
size_t ifplex__alloc_cap(const void *p);
void *ifplex__realloc(void *p, size_t n);
void ifplex__free(void *p);

/* os_*.c: the only place that knows the operating system. */
/* The calling thread's kept-block slot, created on first use and freed
 * with its block when the thread ends; NULL if it cannot be made. */
struct ifplex__kept {
	void *block;
	size_t cap;
	void (*release)(void *block);
};
struct ifplex__kept *ifplex__kept_get(void);
/* tls_block.c: the calling thread's one kept block: take it if its capacity fits n
 * (at least n, at most twice n), or keep b; keep returns 0 if the slot is
 * taken.  A thread's kept block is given to release when the thread ends. */
void *ifplex__tls_block_take(size_t n);
int ifplex__tls_block_keep(void *b, size_t cap, void (*release)(void *block));
/* dlopen with RTLD_NOW | RTLD_LOCAL; on failure the message in err and
 * *code the errno behind it (-errno, or IFPLEX_EBADPLUGIN if none). */
void *ifplex__dl_open(const char *path, char *err, size_t errlen, int *code);
void *ifplex__dl_sym(void *h, const char *sym, char *err, size_t errlen);
/* 1 if path names something (following symlinks), 0 if not, -errno when
 * that cannot be told. */
int ifplex__path_exists(const char *path);
int ifplex__path_is_absolute(const char *path);
/* Whether a failure with code may pass by itself (out of memory, out of
 * descriptors, interrupted): such failures are retried, never remembered. */
int ifplex__transient(int code);
/* trust_posix.c, trust_win32.c: 0 if path may be loaded (see the rules there); else
 * IFPLEX_EBADPLUGIN, or -errno when it cannot be examined, with the reason
 * naming the offending path in why. */
int ifplex__path_trusted(const char *path, char *why, size_t whylen);
const char *ifplex__getenv(const char *name);
/* The core's locks, in the order they nest: choosing the backend may load
 * plugins; the set of live connections stands alone.  The snapshot lock
 * is a leaf that plugins reach through host slots while holding their own
 * locks: fork takes it after theirs (os_posix.c), not with the others. */
enum { IFPLEX__LOCK_BACKEND, IFPLEX__LOCK_LOADER, IFPLEX__LOCK_CONNS, IFPLEX__LOCK_SNAPSHOT, IFPLEX__NLOCKS };
#define IFPLEX__NLOCKS_NESTED IFPLEX__LOCK_SNAPSHOT
void ifplex__lock(int which);
void ifplex__unlock(int which);
/* After a plugin's open: keeps the core's fork handler ahead of any the
 * plugin registered, so that a fork takes the core's locks first, as open
 * does (POSIX; nothing to do where there is no fork). */
void ifplex__fork_order(void);
int ifplex__list_dir(const char *dir, int (*fn)(const char *name, void *arg), void *arg);
const char *ifplex__os_name(void);
const char *ifplex__plugin_suffix(void);
#ifdef _WIN32
#include <wchar.h>
/* The installed plugin directory, found beside libifplex's DLL (the build
 * defines IFPLEX_PLUGINDIR as a call to it). */
const char *ifplex__os_plugin_dir(void);
/* UTF-8 to a malloc'd UTF-16 string and back, or NULL (bad UTF-8, no memory). */
wchar_t *ifplex__wide(const char *s);
char *ifplex__utf8(const wchar_t *w);
/* The system's text for a Win32 error code (a DWORD), "%1" replaced by
 * file, and the -errno the loader's rules know it as (-EIO if none). */
void ifplex__win_message(unsigned long code, const char *file, char *buf, size_t len);
int ifplex__win_errno(unsigned long code);
/* trust_win32.c: what a security descriptor (a PSECURITY_DESCRIPTOR) of
 * the object called name allows, for the role that object plays on the
 * way to a plugin: 0, or IFPLEX_EBADPLUGIN with the reason in why. */
enum { IFPLEX__TRUST_FILE, IFPLEX__TRUST_DIR, IFPLEX__TRUST_ABOVE };
int ifplex__trust_sd(const void *sd, const char *name, int role, char *why, size_t whylen);
#endif
char ifplex__path_list_sep(void);
int64_t ifplex__now(void);
/* Memory of its own for large blocks (snapshots), mapped from the OS so
 * that it never makes the C library's heap grow and shrink; NULL when none
 * can be had. */
void *ifplex__os_map(size_t n);
void ifplex__os_unmap(void *p, size_t n);
/* os_posix_db.c: the C library's description of errnum, a string that
 * lives as long as the process. */
const char *ifplex__os_errtext(int errnum);
/* error.c: an OS error text as Go prints it ("connection refused"). */
void ifplex__go_case(const char *text, char *out, size_t len);
/* The system's protocols database: 0 and *proto for a lower-case name,
 * -1 if it has none. */
int ifplex__os_protocol(const char *lowername, int *proto);
/* The one place the library writes to stderr: IFPLEX_DEBUG lines. */
void ifplex__stderr_print_line(const char *line);
/* Say why on stderr and abort: for misuse that would otherwise corrupt
 * memory (ifplex_free of a foreign pointer in debug builds). */
_Noreturn void ifplex__fatal(const char *line);

#endif
