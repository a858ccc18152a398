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

void bench_measure(const char *who, const char *op, void (*fn)(void))
{
	int64_t *s = malloc(sizeof *s * (size_t)bench_runs);
	int64_t t = now_ns();

	if (!s)
		exit(1);
	for (int i = 0; i < 20; i++)
		fn();
	int64_t each = (now_ns() - t) / 20;
	int batch = each < 10000 ? 100 : 1;
	int n = bench_runs;
	if (each > 10000000 && n > 11)
		n = 11;
	else if (batch == 1 && bench_ifaces >= 1000 && n > 51)
		n = 51;
	for (int i = 0; i < n; i++) {
		t = now_ns();
		for (int k = 0; k < batch; k++)
			fn();
		s[i] = (now_ns() - t) / batch;
	}
	qsort(s, (size_t)n, sizeof *s, cmp);
	bench_row(who, op, s[n / 2], s[0]);
	free(s);
}

long bench_minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}
