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

void bench_sample(void (*fn)(void), int n, int slow_n, long long *median, long long *min)
{
	int64_t *s = malloc(sizeof *s * (size_t)(n > 0 ? n : 1));
	int64_t t = now_ns();

	if (!s)
		exit(1);
	for (int i = 0; i < 20; i++)
		fn();
	int64_t each = (now_ns() - t) / 20;
	int batch = each < 10000 ? 100 : 1;
	if (each > 10000000 && n > 11)
		n = 11;
	else if (batch == 1 && n > slow_n)
		n = slow_n;
	if (n < 1)
		n = 1;
	for (int i = 0; i < n; i++) {
		t = now_ns();
		for (int k = 0; k < batch; k++)
			fn();
		s[i] = (now_ns() - t) / batch;
	}
	qsort(s, (size_t)n, sizeof *s, cmp);
	*median = s[n / 2];
	*min = s[0];
	free(s);
}

void bench_measure(const char *who, const char *op, void (*fn)(void))
{
	long long median, min;

	bench_sample(fn, bench_runs, bench_ifaces >= 1000 ? 51 : bench_runs, &median, &min);
	bench_row(who, op, median, min);
}

long bench_minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}
