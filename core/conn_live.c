/* SPDX-License-Identifier: MIT */
/* The set of connections not yet freed, so that ifplex_close can tell a
 * live handle from a freed one by its address alone, without reading
 * memory that may be gone.  A chained hash table of the nodes embedded in
 * the connections: only members are ever read, there are no tombstones,
 * and a table that cannot grow (out of memory) only gets longer chains. */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>

#define FIRST_BUCKETS 64

static struct ifplex__live *first[FIRST_BUCKETS];
static struct ifplex__live **buckets = first;
static size_t nbuckets = FIRST_BUCKETS, members;

static size_t slot_of(const void *p, size_t n)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 32) & (n - 1);
}

static void grow(void)
{
	size_t n = nbuckets * 2;
	struct ifplex__live **b = calloc(n, sizeof *b);

	if (!b)
		return;
	for (size_t i = 0; i < nbuckets; i++) {
		while (buckets[i]) {
			struct ifplex__live *e = buckets[i];
			buckets[i] = e->next;
			size_t s = slot_of(e, n);
			e->next = b[s];
			b[s] = e;
		}
	}
	if (buckets != first)
		free(buckets);
	buckets = b;
	nbuckets = n;
}

void ifplex__live_add(struct ifplex__live *e)
{
	ifplex__lock(IFPLEX__LOCK_CONNS);
	if (members >= nbuckets)
		grow();
	size_t s = slot_of(e, nbuckets);
	e->next = buckets[s];
	buckets[s] = e;
	members++;
	ifplex__unlock(IFPLEX__LOCK_CONNS);
}

/* Called with the lock held. */
int ifplex__live_has(const void *p)
{
	for (const struct ifplex__live *e = buckets[slot_of(p, nbuckets)]; e; e = e->next)
		if ((const void *)e == p)
			return 1;
	return 0;
}

/* Called with the lock held. */
void ifplex__live_unlink(struct ifplex__live *e)
{
	for (struct ifplex__live **pp = &buckets[slot_of(e, nbuckets)]; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			members--;
			break;
		}
	}
}

void ifplex__live_remove(struct ifplex__live *e)
{
	ifplex__lock(IFPLEX__LOCK_CONNS);
	ifplex__live_unlink(e);
	ifplex__unlock(IFPLEX__LOCK_CONNS);
}
