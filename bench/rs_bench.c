/* SPDX-License-Identifier: MIT */
/* The routesock backend replaying a dump: median and fastest time of
 * ifplex_interfaces and ifplex_interface_addrs(NULL) over rounds calls,
 * each reading and parsing the whole file (routesock keeps no cache).
 *
 * Usage: rs_bench FILE [ROUNDS]   (FILE from tests/routesock/ribgen.py scale N FILE)
 */
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static int run(const char *what, int rounds, int addrs)
{
	long long *t = malloc(sizeof *t * (size_t)rounds);
	size_t n = 0;

	if (!t)
		return 1;
	for (int i = 0; i < rounds; i++) {
		void *list;
		long long s = now_ns();
		int rc = addrs ? ifplex_interface_addrs(NULL, (struct ifplex_addr **)&list, &n)
			       : ifplex_interfaces((struct ifplex_iface **)&list, &n);
		t[i] = now_ns() - s;
		if (rc < 0) {
			fprintf(stderr, "rs_bench: %s\n", ifplex_last_error());
			free(t);
			return 1;
		}
		ifplex_free(list);
	}
	qsort(t, (size_t)rounds, sizeof *t, cmp);
	printf("routesock,%s,%zu,%lld,%lld\n", what, n, t[rounds / 2], t[0]);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: rs_bench FILE [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 200;
	if (rounds < 1)
		rounds = 1;
	setenv("IFPLEX_BACKEND", "routesock", 1);
	setenv("IFPLEX_ROUTESOCK_RIB", argv[1], 1);
	printf("# backend,operation,items,median_ns,min_ns\n");
	return run("interfaces", rounds, 0) || run("addrs", rounds, 1);
}
