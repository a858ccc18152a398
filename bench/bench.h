/* SPDX-License-Identifier: MIT */
/* Timing helpers the benchmarks share. */
#ifndef IFPLEX_BENCH_H
#define IFPLEX_BENCH_H

#include <stdint.h>
#include <time.h>

static inline int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* For qsort of int64_t samples. */
static inline int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

#endif
