/* SPDX-License-Identifier: MIT */
/* The cache's memory: mapped from the kernel and grown with mremap,
 * outside the C library's heap.  Blocks that live as long as the cache,
 * small ones too, would raise the top of glibc's heap, which then trims
 * and faults pages in again on every large allocation of the program's
 * (getifaddrs after the cache was built took 19 page faults a call here
 * instead of none).  A page each is the price. */
#define _GNU_SOURCE
#include "nl.h"

#include <sys/mman.h>
#include <unistd.h>

static size_t page_round(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	return n ? (n + page - 1) / page * page : page;
}

static void *map(size_t n)
{
	void *p = mmap(NULL, page_round(n), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void *cache_mem_zalloc(size_t n)
{
	return map(n);
}

void cache_mem_free(void *p, size_t n)
{
	if (p)
		munmap(p, page_round(n));
}

void *cache_mem_resize(void *p, size_t old, size_t n)
{
	if (!p)
		return map(n);
	if (page_round(old) == page_round(n))
		return p;
	void *q = mremap(p, page_round(old), page_round(n), MREMAP_MAYMOVE);
	return q == MAP_FAILED ? NULL : q;
}
