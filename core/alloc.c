/* SPDX-License-Identifier: MIT */
/* The core's allocator: every list ifplex returns comes from here and goes
 * back through ifplex_free().  A block carries its capacity and a mark in a
 * header: the capacity lets each thread keep its last freed block for the
 * next list of about the same size (a cached enumeration in a loop then
 * skips malloc's slow path, which lists larger than glibc's per-thread
 * cache take); the mark tells a live block of ours from anything else, so
 * that a plugin's foreign list and a double free are caught, not freed.
 * Blocks of MAP_MIN bytes or more are mapped, outside glibc's heap: a kept
 * block there pinned the heap below the program's own large allocations,
 * so that glibc trimmed and faulted their pages in again on every call
 * (getifaddrs at 1,001 interfaces: 269 faults a call, none before). */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(IFPLEX__ASAN)
#  include <sanitizer/asan_interface.h>
#endif

/* The mark is mixed with the block's address, so that a copied header or
 * stale bytes elsewhere do not pass for a live block. */
#define LIVE 0x1f91e3c5a7b2d409ULL
#define DEAD 0x6b0e7d21c3f4a958ULL

struct block {
	size_t cap;
	unsigned long long mark; /* also keeps the payload 16-byte aligned */
};

/* Kept blocks larger than this are released at once.  A kept block is
 * mapped and already faulted in: releasing one of a few MB (10,001
 * interfaces' list is 3 MB) made the next call map and fault in ~750
 * pages again, 40-90 ms on a loaded VM against a 70 us copy.  16 MiB is a
 * list of about 50,000 interfaces; a thread keeps at most one. */
#define KEEP_MAX (16u << 20)
/* Blocks this large (header included) are mapped; smaller ones, which pin
 * little of the heap, come from malloc.  A mapped block's capacity is what
 * its pages hold, so the size alone tells how to release it. */
#define MAP_MIN (32u << 10)
#define MAP_GRAIN 4096u

static int mapped(size_t cap)
{
	return cap >= MAP_MIN - sizeof(struct block);
}

static struct block *block_new(size_t n)
{
	if (n > (size_t)-1 - sizeof(struct block) - MAP_GRAIN)
		return NULL;
	size_t bytes = sizeof(struct block) + n;
	struct block *b;
	if (bytes >= MAP_MIN) {
		bytes = (bytes + MAP_GRAIN - 1) / MAP_GRAIN * MAP_GRAIN;
		b = ifplex__os_map(bytes);
	} else {
		b = malloc(bytes);
	}
	if (b)
		b->cap = bytes - sizeof *b;
	return b;
}

/* A block back to malloc, or unmapped, as it was made. */
static void block_release(void *block)
{
	struct block *b = block;

	if (!b)
		return;
	if (mapped(b->cap))
		ifplex__os_unmap(b, sizeof *b + b->cap);
	else
		free(b);
}

static unsigned long long mark(const struct block *b, unsigned long long what)
{
	return what ^ (unsigned long long)(uintptr_t)b;
}

void *ifplex__alloc(size_t n, int zero)
{
	struct block *b;

	if (n == 0)
		n = 1;
	b = ifplex__tls_block_take(n);
	if (!b && !(b = block_new(n)))
		return NULL;
	b->mark = mark(b, LIVE);
	if (zero)
		memset(b + 1, 0, n);
	return b + 1;
}

size_t ifplex__alloc_cap(const void *p)
{
	const struct block *b = (const struct block *)p - 1;

	if ((uintptr_t)p < 4096 || ((uintptr_t)p & (_Alignof(struct block) - 1)))
		return 0;
#if defined(IFPLEX__ASAN)
	/* A foreign block's header is its allocator's red zone: asking
	 * first keeps the check itself from being reported. */
	if (__asan_region_is_poisoned((void *)b, sizeof *b))
		return 0;
#endif
	return b->mark == mark(b, LIVE) ? b->cap : 0;
}

/* What to do with a pointer that is not a live block of ours. */
static void reject(const void *p, const char *who)
{
	char line[200];

	snprintf(line, sizeof line,
		 "%s(%p): not a list ifplex returned, or one already freed", who, p);
#if !defined(NDEBUG) || defined(IFPLEX__ASAN)
	ifplex__fatal(line);
#else
	/* Leaving it alone leaks it; freeing it would corrupt the heap. */
	ifplex__set_errorf(IFPLEX_EINVAL, "%s", line);
#endif
}

void ifplex__free(void *p)
{
	if (!p)
		return;
	if (!ifplex__alloc_cap(p)) {
		reject(p, "ifplex_free");
		return;
	}
	struct block *b = (struct block *)p - 1;
	b->mark = mark(b, DEAD);
	if (b->cap > KEEP_MAX || !ifplex__tls_block_keep(b, b->cap, block_release))
		block_release(b);
}

void *ifplex__realloc(void *p, size_t n)
{
	if (!p)
		return ifplex__alloc(n, 0);
	size_t cap = ifplex__alloc_cap(p);
	if (!cap) {
		reject(p, "ifplex__realloc");
		return NULL;
	}
	if (n <= cap)
		return p;
	void *q = ifplex__alloc(n, 0);
	if (!q)
		return NULL;
	memcpy(q, p, cap);
	ifplex__free(p);
	return q;
}

void ifplex_free(void *list)
{
	ifplex__free(list);
}
