/* The core's allocator: every list ifplex returns comes from here and goes
 * back through ifplex_free().  A block carries its capacity in a header, so
 * that each thread can keep its last freed block for the next list of about
 * the same size: a cached enumeration in a loop then skips malloc's slow
 * path, which lists larger than glibc's per-thread cache (1 KiB) take. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define MAGIC 0x1f91e3c5a7b2d409ULL

struct block {
	size_t cap;
	unsigned long long magic; /* also keeps the payload 16-byte aligned */
};

/* Kept blocks larger than this go back to malloc at once. */
#define KEEP_MAX (1u << 20)

void *ifplex__alloc(size_t n, int zero)
{
	struct block *b;

	if (n == 0)
		n = 1;
	b = ifplex__tls_block_take(n);
	if (!b) {
		if (n > (size_t)-1 - sizeof *b)
			return NULL;
		b = malloc(sizeof *b + n);
		if (!b)
			return NULL;
		b->cap = n;
		b->magic = MAGIC;
	}
	if (zero)
		memset(b + 1, 0, n);
	return b + 1;
}

void ifplex__free(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)p - 1;
	if (b->cap > KEEP_MAX || !ifplex__tls_block_keep(b, b->cap))
		free(b);
}

void *ifplex__realloc(void *p, size_t n)
{
	if (!p)
		return ifplex__alloc(n, 0);
	struct block *b = (struct block *)p - 1;
	if (n <= b->cap)
		return p;
	void *q = ifplex__alloc(n, 0);
	if (!q)
		return NULL;
	memcpy(q, p, b->cap);
	ifplex__free(p);
	return q;
}

void ifplex_free(void *list)
{
	ifplex__free(list);
}
