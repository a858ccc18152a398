/* SPDX-License-Identifier: MIT */
/* The measuring loop and CSV rows shared by enum_bench's files. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

int bench_runs = 401;
int bench_ifaces;
const char *bench_proc = "";

void bench_row(const char *who, const char *op, long long median, long long min)
{
	printf("enum,%d,%s,%s,%s,%lld,%lld\n", bench_ifaces, bench_proc, who, op, median, min);
	fflush(stdout);
}

int64_t bench_median(int64_t *s, int n)
{
	qsort(s, (size_t)n, sizeof *s, cmp);
	return s[n / 2];
}

int bench_last_samples;

/* At most this long warming up, and measuring one row: a call of 0.7 s
 * (getifaddrs at 10,001 interfaces) gets 5 samples, not 51. */
#define WARM_NS 500000000LL
#define ROW_NS 2500000000LL
#define MIN_SAMPLES 5

void bench_sample(void (*fn)(void), int n, int slow_n, long long *median, long long *min)
{
	int64_t *s = malloc(sizeof *s * (size_t)(n > 0 ? n : 1));
	int64_t t = now_ns(), t0 = t;
	int warm = 0;

	if (!s)
		exit(1);
	while (warm < 20 && (warm < 2 || now_ns() - t0 < WARM_NS)) {
		fn();
		warm++;
	}
	int64_t each = (now_ns() - t) / warm;
	int batch = each < 10000 ? 100 : 1;
	if (batch == 1 && n > slow_n)
		n = slow_n;
	if (each * batch * (int64_t)n > ROW_NS)
		n = (int)(ROW_NS / (each * batch));
	if (n < MIN_SAMPLES)
		n = MIN_SAMPLES;
	for (int i = 0; i < n; i++) {
		t = now_ns();
		for (int k = 0; k < batch; k++)
			fn();
		s[i] = (now_ns() - t) / batch;
	}
	qsort(s, (size_t)n, sizeof *s, cmp);
	*median = s[n / 2];
	*min = s[0];
	bench_last_samples = n;
	free(s);
}

void bench_measure(const char *who, const char *op, void (*fn)(void))
{
	long long median, min;

	bench_sample(fn, bench_runs, bench_ifaces >= 1000 ? 51 : bench_runs, &median, &min);
	printf("enum,%d,%s,%s,%s,%lld,%lld,%d\n", bench_ifaces, bench_proc, who, op, median, min,
	       bench_last_samples);
	fflush(stdout);
}

long bench_minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}
