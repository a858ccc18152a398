/* SPDX-License-Identifier: MIT */
/* An LD_PRELOAD library that makes the Nth allocation of a process fail.
 *
 *   IFPLEX_FAILALLOC_N=N       fail the Nth allocation (1-based), once; 0 or
 *                              unset: fail none, only count
 *   IFPLEX_FAILALLOC_COUNT=F   at exit, write the number counted to file F
 *   IFPLEX_FAILALLOC_TRACE=1   print the failing allocation's call stack on
 *                              stderr, to say where a failure came from
 *
 * Counted: malloc, calloc, realloc (growing or new), reallocarray,
 * posix_memalign, aligned_alloc, memalign, valloc, pvalloc, from this
 * library's constructor on.  Under AddressSanitizer it goes first in
 * LD_PRELOAD (ASAN_OPTIONS=verify_asan_link_order=0) and hands every call
 * on to ASan's allocator, so that leaks are still found.  A program may
 * pause counting (failalloc_pause) for work that is not under test. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void failalloc_pause(int on);
unsigned long failalloc_count(void);

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);
static void *(*real_valloc)(size_t);
static void *(*real_pvalloc)(size_t);

static _Atomic unsigned long counted;
static unsigned long fail_at;
static atomic_int armed, paused;
static int trace;
static char count_file[512];

/* dlsym itself may allocate before the real functions are known. */
static _Alignas(16) char boot[16384];
static size_t boot_used;
static atomic_int resolving;

static int from_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof boot;
}

static void *boot_alloc(size_t n)
{
	size_t at = (boot_used + 15) & ~(size_t)15;
	if (n > sizeof boot - at)
		return NULL;
	boot_used = at + n;
	return boot + at;
}

static void resolve(void)
{
	if (real_malloc || atomic_exchange(&resolving, 1))
		return;
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
	real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
	real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
	real_valloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "valloc");
	real_pvalloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "pvalloc");
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
}

/* Set while the sanitizer runtime's own pthread_getattr_np runs (below). */
static _Thread_local int sparing;

/* Whether this allocation is the one to fail. */
static int fail_now(void)
{
	if (!atomic_load_explicit(&armed, memory_order_relaxed) || atomic_load_explicit(&paused, memory_order_relaxed) ||
	    sparing)
		return 0;
	unsigned long n = atomic_fetch_add(&counted, 1) + 1;
	if (n != fail_at)
		return 0;
	if (trace) {
		void *frames[32];
		int depth = backtrace(frames, 32);
		dprintf(2, "failalloc: allocation %lu fails here:\n", n);
		backtrace_symbols_fd(frames, depth, 2);
	}
	errno = ENOMEM;
	return 1;
}

/* AddressSanitizer calls pthread_getattr_np as each new thread starts and
 * aborts if it fails, before the thread's own code runs: an allocation
 * in there is the sanitizer's, not the program's under test, so it is
 * neither counted nor failed.  Nothing else in ifplex calls it. */
int pthread_getattr_np(pthread_t thread, pthread_attr_t *attr)
{
	static int (*real)(pthread_t, pthread_attr_t *);

	if (!real)
		real = (int (*)(pthread_t, pthread_attr_t *))dlsym(RTLD_NEXT, "pthread_getattr_np");
	if (!real)
		return ENOSYS;
	sparing++;
	int rc = real(thread, attr);
	sparing--;
	return rc;
}

void failalloc_pause(int on)
{
	atomic_store(&paused, on);
}

unsigned long failalloc_count(void)
{
	return atomic_load(&counted);
}

void *malloc(size_t n)
{
	resolve();
	if (!real_malloc)
		return boot_alloc(n);
	return fail_now() ? NULL : real_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	resolve();
	if (!real_calloc || !real_malloc) {
		if (size && n > SIZE_MAX / size)
			return NULL;
		return boot_alloc(n * size); /* static memory is zeroed */
	}
	return fail_now() ? NULL : real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	resolve();
	if (from_boot(p)) {
		void *q = malloc(n);
		if (q)
			memcpy(q, p, n < (size_t)(boot + sizeof boot - (char *)p) ? n : (size_t)(boot + sizeof boot - (char *)p));
		return q;
	}
	if (!real_realloc)
		return boot_alloc(n);
	/* Shrinking and freeing cannot fail in a way callers test for. */
	if (n && fail_now())
		return NULL;
	return real_realloc(p, n);
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

void free(void *p)
{
	if (!p || from_boot(p))
		return;
	resolve();
	if (real_free)
		real_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	resolve();
	if (fail_now())
		return ENOMEM;
	return real_posix_memalign(out, align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
	resolve();
	return fail_now() ? NULL : real_aligned_alloc(align, n);
}

void *memalign(size_t align, size_t n)
{
	resolve();
	return fail_now() ? NULL : real_memalign(align, n);
}

void *valloc(size_t n)
{
	resolve();
	return fail_now() ? NULL : real_valloc(n);
}

void *pvalloc(size_t n)
{
	resolve();
	return fail_now() ? NULL : real_pvalloc(n);
}

static void write_count(void)
{
	if (!count_file[0])
		return;
	FILE *f = fopen(count_file, "w");
	if (!f)
		return;
	fprintf(f, "%lu\n", atomic_load(&counted));
	fclose(f);
}

__attribute__((constructor)) static void failalloc_init(void)
{
	const char *n = getenv("IFPLEX_FAILALLOC_N"), *c = getenv("IFPLEX_FAILALLOC_COUNT");

	resolve();
	fail_at = n ? strtoul(n, NULL, 10) : 0;
	if ((trace = getenv("IFPLEX_FAILALLOC_TRACE") != NULL)) {
		void *frame;
		backtrace(&frame, 1); /* loads the unwinder now, not in the failing call */
	}
	if (c && strlen(c) < sizeof count_file) {
		strcpy(count_file, c);
		atexit(write_count);
	}
	atomic_store(&armed, 1);
}
