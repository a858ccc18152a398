/* The cache's memory.  Large tables are mapped from the kernel and grown
 * with mremap, outside the C library's heap: glibc trims the top of its
 * heap when a large block there is freed, and a program that lists
 * interfaces with getifaddrs after the cache grew would fault those pages
 * in again on every call.  Small tables stay on the heap, where they cost
 * nothing of the sort. */
#define _GNU_SOURCE
#include "nl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAP_FROM (16 * 1024)

static size_t page_round(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	return (n + page - 1) / page * page;
}

static void *map(size_t n)
{
	void *p = mmap(NULL, page_round(n), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void *cache_mem_zalloc(size_t n)
{
	if (n < MAP_FROM)
		return calloc(1, n ? n : 1);
	return map(n);
}

void cache_mem_free(void *p, size_t n)
{
	if (!p)
		return;
	if (n < MAP_FROM)
		free(p);
	else
		munmap(p, page_round(n));
}

void *cache_mem_resize(void *p, size_t old, size_t n)
{
	if (!p)
		return cache_mem_zalloc(n);
	if (old < MAP_FROM && n < MAP_FROM)
		return realloc(p, n ? n : 1);
	if (old >= MAP_FROM && n >= MAP_FROM) {
		void *q = mremap(p, page_round(old), page_round(n), MREMAP_MAYMOVE);
		return q == MAP_FAILED ? NULL : q;
	}
	/* From the heap to a mapping or back: copy what fits. */
	void *q = cache_mem_zalloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	cache_mem_free(p, old);
	return q;
}
