/* The core's window on a POSIX system: dlopen, locks, environment, clock.
 * A Win32 twin (LoadLibrary, SRWLOCK, GetTickCount64) implements the same
 * functions; nothing else in core/ includes a system header. */
#define _GNU_SOURCE
#include "internal.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <time.h>

static pthread_mutex_t locks[IFPLEX__NLOCKS] = {PTHREAD_MUTEX_INITIALIZER,
						 PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};

void ifplex__lock(int which)
{
	pthread_mutex_lock(&locks[which]);
}

void ifplex__unlock(int which)
{
	pthread_mutex_unlock(&locks[which]);
}

/* One kept block per thread, with its capacity; freed at thread exit. */
struct kept {
	void *block;
	size_t cap;
};
static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;
static int kept_ok;

static void kept_destroy(void *p)
{
	struct kept *k = p;
	free(k->block);
	free(k);
}

static void kept_init(void)
{
	kept_ok = pthread_key_create(&kept_key, kept_destroy) == 0;
}

static struct kept *kept_get(void)
{
	pthread_once(&kept_once, kept_init);
	if (!kept_ok)
		return NULL;
	struct kept *k = pthread_getspecific(kept_key);
	if (!k && (k = calloc(1, sizeof *k)) != NULL && pthread_setspecific(kept_key, k) != 0) {
		free(k);
		k = NULL;
	}
	return k;
}

void *ifplex__tls_block_take(size_t n)
{
	struct kept *k = kept_get();

	if (!k || !k->block || k->cap < n || k->cap / 2 > n)
		return NULL;
	void *b = k->block;
	k->block = NULL;
	return b;
}

int ifplex__tls_block_keep(void *b, size_t cap)
{
	struct kept *k = kept_get();

	if (!k || k->block)
		return 0;
	k->block = b;
	k->cap = cap;
	return 1;
}

void *ifplex__dl_open(const char *path, char *err, size_t errlen)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		const char *e = dlerror();
		snprintf(err, errlen, "%s", e ? e : "dlopen failed");
	}
	return h;
}

void *ifplex__dl_sym(void *h, const char *sym, char *err, size_t errlen)
{
	dlerror();
	void *p = dlsym(h, sym);
	if (!p) {
		const char *e = dlerror();
		snprintf(err, errlen, "%s", e ? e : "symbol is NULL");
	}
	return p;
}

int ifplex__file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *ifplex__getenv(const char *name)
{
	return secure_getenv(name);
}

int ifplex__list_dir(const char *dir, int (*fn)(const char *name, void *arg), void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return -errno;
	while (rc == 0 && (e = readdir(d)) != NULL)
		rc = fn(e->d_name, arg);
	closedir(d);
	return rc;
}

const char *ifplex__os_name(void)
{
#if defined(__linux__)
	return "linux";
#elif defined(__APPLE__)
	return "darwin";
#elif defined(__FreeBSD__)
	return "freebsd";
#elif defined(__NetBSD__)
	return "netbsd";
#elif defined(__OpenBSD__)
	return "openbsd";
#elif defined(__DragonFly__)
	return "dragonfly";
#else
	return "unix";
#endif
}

const char *ifplex__os_default_backend(void)
{
#if defined(__linux__)
	return "netlink";
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
	defined(__OpenBSD__) || defined(__DragonFly__)
	return "routesock";
#else
	return NULL;
#endif
}

const char *ifplex__plugin_suffix(void)
{
	return ".so";
}

char ifplex__path_list_sep(void)
{
	return ':';
}

int64_t ifplex__now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void ifplex__stderr_print_line(const char *line)
{
	fprintf(stderr, "ifplex: %s\n", line);
}

void *ifplex__os_map(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void ifplex__os_unmap(void *p, size_t n)
{
	munmap(p, n);
}
