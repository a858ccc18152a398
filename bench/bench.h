/* SPDX-License-Identifier: MIT */
/* What the benchmarks share: the clock, sample sorting, and (bench.c) the
 * measuring loop, and the CSV rows of enum_bench. */
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

/* Keep the compiler from dropping work whose result is unused. */
#define BENCH_KEEP(p) __asm__ volatile("" : : "r"(p) : "memory")

/* bench.c: samples per measurement, interfaces in this namespace, and this
 * process's name in the rows ("ifplex-ebpf", "peers"). */
extern int bench_runs;
extern int bench_ifaces;
extern const char *bench_proc;
/* One row: enum,IFACES,PROC,WHO,OP,MEDIAN,MIN. */
void bench_row(const char *who, const char *op, long long median, long long min);
/* Median and minimum ns per call of fn over n samples after a warm-up of
 * 20 calls or 0.5 s; calls under 10 us are timed in batches of 100 so that
 * the clock's cost does not count, slower ones one by one with at most
 * slow_n samples; no row measures more than about 2.5 s (n shrinks, never
 * below 5).  bench_last_samples: the samples taken. */
void bench_sample(void (*fn)(void), int n, int slow_n, long long *median, long long *min);
extern int bench_last_samples;
/* bench_sample over bench_runs samples (51 for slow calls at 1,000
 * interfaces or more), as one row ending with the sample count:
 * enum,IFACES,PROC,WHO,OP,MEDIAN,MIN,SAMPLES. */
void bench_measure(const char *who, const char *op, void (*fn)(void));
/* Minor page faults of this process so far. */
long bench_minflt(void);
/* Median of n samples (sorted in place). */
int64_t bench_median(int64_t *s, int n);

#endif
