/* SPDX-License-Identifier: MIT */
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

static pthread_mutex_t locks[IFPLEX__NLOCKS] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER};

/* The locks this thread holds, so that a fork from inside ifplex (a
 * plugin's open calling fork) does not wait for itself. */
static _Thread_local unsigned held;
/* The locks the fork handlers took, to give back in parent and child. */
static unsigned taken;

void ifplex__lock(int which)
{
	pthread_mutex_lock(&locks[which]);
	held |= 1u << which;
}

void ifplex__unlock(int which)
{
	held &= ~(1u << which);
	pthread_mutex_unlock(&locks[which]);
}

/* fork() copies memory, not threads: a child must not inherit a lock held
 * by a thread it does not have.  The forking thread takes every lock (in
 * their nesting order) before the copy and gives them back on both sides,
 * so that the child finds the core's state whole and its locks free.
 *
 * The core's locks are the outer ones: a plugin's open runs under the
 * backend lock and may take its own.  Prepare handlers run newest first, so
 * the core registers again after each plugin open (ifplex__fork_order) and
 * its newest registration takes the locks before any plugin's handler; the
 * older ones find the work done.  glibc runs all handlers of one fork under
 * its own lock, so the count below belongs to one fork at a time. */
static unsigned fork_calls;

static void before_fork(void)
{
	if (fork_calls++ > 0)
		return;
	taken = 0;
	for (int i = 0; i < IFPLEX__NLOCKS_NESTED; i++) {
		if (held & (1u << i))
			continue;
		pthread_mutex_lock(&locks[i]);
		taken |= 1u << i;
	}
}

static void after_fork(void)
{
	if (fork_calls == 0 || --fork_calls > 0)
		return;
	for (int i = IFPLEX__NLOCKS_NESTED - 1; i >= 0; i--)
		if (taken & (1u << i))
			pthread_mutex_unlock(&locks[i]);
	taken = 0;
}

/* The leaf locks (the snapshot lock), which plugins take through host
 * slots while holding their own: taken last, by the oldest registration. */
static unsigned leaf_taken;

static void before_fork_leaf(void)
{
	leaf_taken = 0;
	for (int i = IFPLEX__NLOCKS_NESTED; i < IFPLEX__NLOCKS; i++)
		if (!(held & (1u << i))) {
			pthread_mutex_lock(&locks[i]);
			leaf_taken |= 1u << i;
		}
}

static void after_fork_leaf(void)
{
	for (int i = IFPLEX__NLOCKS - 1; i >= IFPLEX__NLOCKS_NESTED; i--)
		if (leaf_taken & (1u << i))
			pthread_mutex_unlock(&locks[i]);
	leaf_taken = 0;
}

__attribute__((constructor)) static void register_fork_handlers(void)
{
	pthread_atfork(before_fork_leaf, after_fork_leaf, after_fork_leaf);
	pthread_atfork(before_fork, after_fork, after_fork);
}

/* Called with the backend lock held after a plugin's open, which may have
 * registered fork handlers of its own.  Failure (no memory) leaves the
 * earlier registrations, which still take the locks, in a worse order. */
void ifplex__fork_order(void)
{
	/* Each registration is kept by the C library for ever; a program
	 * that switches backends without end must not grow that list. */
	static unsigned registrations;

	if (registrations < 64 && pthread_atfork(before_fork, after_fork, after_fork) == 0)
		registrations++;
}

/* One kept block per thread, with its capacity; freed at thread exit. */
static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;
static int kept_ok;

static void kept_destroy(void *p)
{
	struct ifplex__kept *k = p;
	if (k->block)
		k->release(k->block);
	free(k);
}

static void kept_init(void)
{
	kept_ok = pthread_key_create(&kept_key, kept_destroy) == 0;
}

struct ifplex__kept *ifplex__kept_get(void)
{
	pthread_once(&kept_once, kept_init);
	if (!kept_ok)
		return NULL;
	struct ifplex__kept *k = pthread_getspecific(kept_key);
	if (!k && (k = calloc(1, sizeof *k)) != NULL && pthread_setspecific(kept_key, k) != 0) {
		free(k);
		k = NULL;
	}
	return k;
}

void *ifplex__dl_open(const char *path, char *err, size_t errlen, int *code)
{
	errno = 0;
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		/* glibc keeps the errno of a failed allocation but not always
		 * that of a failed open; its message ends with the errno's text. */
		static const int transient[] = {ENOMEM, EMFILE, ENFILE, EAGAIN};
		int e = errno;
		const char *msg = dlerror();
		snprintf(err, errlen, "%s", msg ? msg : "dlopen failed");
		for (size_t i = 0; e <= 0 && i < sizeof transient / sizeof transient[0]; i++)
			if (strstr(err, ifplex__os_errtext(transient[i])))
				e = transient[i];
		*code = e > 0 ? -e : IFPLEX_EBADPLUGIN;
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

int ifplex__path_exists(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

int ifplex__path_is_absolute(const char *path)
{
	return path[0] == '/';
}

int ifplex__transient(int code)
{
	return code == IFPLEX_ENOMEM || code == -ENOMEM || code == -EMFILE || code == -ENFILE ||
	       code == -EAGAIN || code == -ENOBUFS || code == -EINTR;
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

void ifplex__fatal(const char *line)
{
	fprintf(stderr, "ifplex: fatal: %s\n", line);
	abort();
}
