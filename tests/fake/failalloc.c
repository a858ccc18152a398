/* SPDX-License-Identifier: MIT */
/* An allocation-failure interposer for tests, loaded with LD_PRELOAD: once
 * armed with ifplex_failalloc_arm(n), the n-th allocation after it fails
 * with ENOMEM (that one only), whoever makes it: the core, a plugin, the C
 * library inside dlopen.  Every other allocation goes to the next malloc
 * (glibc's, or the sanitizer's). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
static void (*next_free)(void *);
static int (*next_memalign)(void **, size_t, size_t);

static _Atomic long countdown;  /* 0: disarmed */
static _Atomic long seen;       /* allocations since arming */
static _Atomic int failed;      /* the armed allocation was reached */

/* dlsym may allocate before next_calloc is known: serve it from here. */
static _Alignas(16) char boot[8192];
static size_t boot_used;

static int in_boot(const void *p)
{
	return (const char *)p >= boot && (const char *)p < boot + sizeof boot;
}

static void resolve(void)
{
	static _Atomic int state; /* 0 none, 1 resolving, 2 done */
	int expect = 0;

	if (atomic_load(&state) == 2 || !atomic_compare_exchange_strong(&state, &expect, 1))
		return;
	next_malloc = dlsym(RTLD_NEXT, "malloc");
	next_calloc = dlsym(RTLD_NEXT, "calloc");
	next_realloc = dlsym(RTLD_NEXT, "realloc");
	next_free = dlsym(RTLD_NEXT, "free");
	next_memalign = dlsym(RTLD_NEXT, "posix_memalign");
	atomic_store(&state, 2);
}

/* Whether this allocation is the one to fail. */
static int fail_now(void)
{
	if (atomic_load_explicit(&countdown, memory_order_relaxed) <= 0)
		return 0;
	atomic_fetch_add(&seen, 1);
	if (atomic_fetch_sub(&countdown, 1) == 1) {
		atomic_store(&failed, 1);
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

EXPORT void ifplex_failalloc_arm(long n);
EXPORT void ifplex_failalloc_arm(long n)
{
	atomic_store(&seen, 0);
	atomic_store(&failed, 0);
	atomic_store(&countdown, n);
}

/* 1 if the armed allocation was reached (and failed); disarms. */
EXPORT int ifplex_failalloc_disarm(long *count);
EXPORT int ifplex_failalloc_disarm(long *count)
{
	atomic_store(&countdown, 0);
	if (count)
		*count = atomic_load(&seen);
	return atomic_load(&failed);
}

EXPORT void *malloc(size_t n)
{
	resolve();
	if (!next_malloc)
		return calloc(1, n);
	return fail_now() ? NULL : next_malloc(n);
}

EXPORT void *calloc(size_t k, size_t n)
{
	resolve();
	if (!next_calloc) {
		size_t sz = (k * n + 15) & ~(size_t)15;
		if (n && k > SIZE_MAX / n)
			return NULL;
		if (boot_used + sz > sizeof boot)
			return NULL;
		void *p = boot + boot_used;
		boot_used += sz;
		return p;
	}
	return fail_now() ? NULL : next_calloc(k, n);
}

EXPORT void *realloc(void *p, size_t n)
{
	resolve();
	if (in_boot(p)) {
		void *q = malloc(n);
		if (q)
			memcpy(q, p, n < (size_t)(boot + sizeof boot - (char *)p) ? n : (size_t)(boot + sizeof boot - (char *)p));
		return q;
	}
	return fail_now() ? NULL : next_realloc(p, n);
}

EXPORT void free(void *p)
{
	if (!p || in_boot(p))
		return;
	resolve();
	next_free(p);
}

EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
	resolve();
	return fail_now() ? ENOMEM : next_memalign(out, align, n);
}

EXPORT void *aligned_alloc(size_t align, size_t n)
{
	void *p = NULL;
	return posix_memalign(&p, align, n) == 0 ? p : NULL;
}

EXPORT void *memalign(size_t align, size_t n)
{
	return aligned_alloc(align, n);
}
