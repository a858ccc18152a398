/* Names shared inside libifplex; nothing here leaves the library. */
#ifndef IFPLEX_INTERNAL_H
#define IFPLEX_INTERNAL_H

#include <ifplex.h>
#include <ifplex/backend.h>

#include <stdarg.h>

#if defined(__GNUC__)
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

/* network.c: 0 and *port (or -2 when above 65535), -1 when not a number. */
int ifplex__parse_port(const char *s, int *port);

/* resolve.c: every candidate endpoint for address on n, in dial order. */
int ifplex__resolve(const struct ifplex_network *n, const char *address,
		    struct ifplex_netaddr **list, size_t *count);

/* error.c: record the calling thread's failure; each returns code. */
int ifplex__set_errorf(int code, const char *fmt, ...) IFPLEX__PRINTF(2, 3);
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

#if defined(__SANITIZE_ADDRESS__)
#  define IFPLEX__ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define IFPLEX__ASAN 1
#  endif
#endif

/* conn_live.c: the set of connections not yet freed; embed a node as the
 * first member.  ifplex__live_has is called with IFPLEX__LOCK_CONNS held,
 * the others take it. */
struct ifplex__live {
	struct ifplex__live *next;
};
void ifplex__live_add(struct ifplex__live *e);
int ifplex__live_has(const void *p);
void ifplex__live_remove(struct ifplex__live *e);

/* alloc.c: what ifplex_free() releases; zero: whether to clear it. */
void *ifplex__alloc(size_t n, int zero);
/* The capacity of p if it is a live block from ifplex__alloc, else 0. */
size_t ifplex__alloc_cap(const void *p);
void *ifplex__realloc(void *p, size_t n);
void ifplex__free(void *p);

/* os_*.c: the only place that knows the operating system. */
/* The calling thread's one kept block: take it if its capacity fits n
 * (at least n, at most twice n), or keep b; keep returns 0 if the slot is
 * taken.  A thread's kept block is freed when the thread ends. */
void *ifplex__tls_block_take(size_t n);
int ifplex__tls_block_keep(void *b, size_t cap);
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
/* trust_posix.c: 0 if path may be loaded (see the rules there); else
 * IFPLEX_EBADPLUGIN, or -errno when it cannot be examined, with the reason
 * naming the offending path in why. */
int ifplex__path_trusted(const char *path, char *why, size_t whylen);
const char *ifplex__getenv(const char *name);
/* The core's locks, in the order they nest: choosing the backend may load
 * plugins; the set of live connections stands alone. */
enum { IFPLEX__LOCK_BACKEND, IFPLEX__LOCK_LOADER, IFPLEX__LOCK_CONNS, IFPLEX__NLOCKS };
void ifplex__lock(int which);
void ifplex__unlock(int which);
int ifplex__list_dir(const char *dir, int (*fn)(const char *name, void *arg), void *arg);
const char *ifplex__os_name(void);
const char *ifplex__plugin_suffix(void);
char ifplex__path_list_sep(void);
int64_t ifplex__now(void);
const char *ifplex__os_strerror(int errnum, char *buf, size_t len);
/* The one place the library writes to stderr: IFPLEX_DEBUG lines. */
void ifplex__stderr_print_line(const char *line);
/* Say why on stderr and abort: for misuse that would otherwise corrupt
 * memory (ifplex_free of a foreign pointer in debug builds). */
_Noreturn void ifplex__fatal(const char *line);

#endif
