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

/* resolve.c: every candidate endpoint for address on n, in dial order. */
int ifplex__resolve(const struct ifplex_network *n, const char *address,
		    struct ifplex_netaddr **list, size_t *count);

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

/* backend.c: the active backend, loaded on first use. */
struct ifplex__active {
	const struct ifplex_backend *be;
	void *state;
};
int ifplex__backend(struct ifplex__active *out);
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
	 * slots an older plugin lacks read as NULL; NULL when status != 0. */
	const struct ifplex_backend *be;
	uint32_t plugin_size;            /* the size the plugin declared */
	int status;
	char path[1024];
	char message[1024];
};
/* Find and load ifplex-NAME from search_path (dirs separated by the OS's
 * list separator) then the installed directory.  Loads happen once and are
 * remembered, failures too.  The returned record lives forever. */
const struct ifplex__plugin *ifplex__plugin_load(const char *name, const char *search_path);
/* Call fn for each directory of the search, in order. */
int ifplex__search_dirs(const char *search_path,
			int (*fn)(const char *dir, void *arg), void *arg);
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

/* alloc.c: what ifplex_free() releases; zero: whether to clear it. */
void *ifplex__alloc(size_t n, int zero);
void *ifplex__realloc(void *p, size_t n);
void ifplex__free(void *p);

/* os_*.c: the only place that knows the operating system. */
/* The calling thread's one kept block: take it if its capacity fits n
 * (at least n, at most twice n), or keep b; keep returns 0 if the slot is
 * taken.  A thread's kept block is freed when the thread ends. */
void *ifplex__tls_block_take(size_t n);
int ifplex__tls_block_keep(void *b, size_t cap);
void *ifplex__dl_open(const char *path, char *err, size_t errlen);
void *ifplex__dl_sym(void *h, const char *sym, char *err, size_t errlen);
int ifplex__file_exists(const char *path);
const char *ifplex__getenv(const char *name);
/* Two locks: choosing the backend may load plugins, so they differ. */
enum { IFPLEX__LOCK_BACKEND, IFPLEX__LOCK_LOADER, IFPLEX__LOCK_SNAPSHOT, IFPLEX__NLOCKS };
void ifplex__lock(int which);
void ifplex__unlock(int which);
int ifplex__list_dir(const char *dir, int (*fn)(const char *name, void *arg), void *arg);
const char *ifplex__os_name(void);
const char *ifplex__os_default_backend(void);
const char *ifplex__plugin_suffix(void);
#ifdef _WIN32
/* The installed plugin directory, found beside libifplex's DLL (the build
 * defines IFPLEX_PLUGINDIR as a call to it). */
const char *ifplex__os_plugin_dir(void);
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
/* The system's protocols database: 0 and *proto for a lower-case name,
 * -1 if it has none. */
int ifplex__os_protocol(const char *lowername, int *proto);
/* The one place the library writes to stderr: IFPLEX_DEBUG lines. */
void ifplex__stderr_print_line(const char *line);

#endif
