/* SPDX-License-Identifier: MIT */
/* The routesock backend replaying a dump: median and fastest time of
 * ifplex_interfaces, ifplex_interface_addrs(NULL), the details of the last
 * interface and every address's details over rounds calls, each reading
 * and parsing the whole file (routesock keeps no cache); with STREAM, the
 * time to read every event of that stream through a subscription.
 *
 * Usage: rs_bench FILE [ROUNDS [STREAM]]
 *   (FILE from tests/routesock/ribgen.py scale N FILE, STREAM from
 *   ribgen.py churn N FILE)
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

enum op { IFACES, ADDRS, LINK_DETAILS, ADDR_DETAILS };

static int call(enum op op, int last, size_t *n)
{
	void *list = NULL;
	struct ifplex_link_details d = {.size = sizeof d};
	int rc;

	switch (op) {
	case IFACES:
		rc = ifplex_interfaces((struct ifplex_iface **)&list, n);
		break;
	case ADDRS:
		rc = ifplex_interface_addrs(NULL, (struct ifplex_addr **)&list, n);
		break;
	case LINK_DETAILS:
		rc = ifplex_interface_details(last, &d);
		*n = 1;
		break;
	default:
		rc = ifplex_interface_addr_details(0, sizeof(struct ifplex_addr_details),
						   (struct ifplex_addr_details **)&list, n);
	}
	ifplex_free(list);
	return rc;
}

static int run(const char *what, int rounds, enum op op, int last)
{
	long long *t = malloc(sizeof *t * (size_t)rounds);
	size_t n = 0;

	if (!t)
		return 1;
	for (int i = 0; i < rounds; i++) {
		long long s = now_ns();
		int rc = call(op, last, &n);
		t[i] = now_ns() - s;
		if (rc < 0) {
			fprintf(stderr, "rs_bench: %s\n", ifplex_last_error());
			free(t);
			return 1;
		}
	}
	qsort(t, (size_t)rounds, sizeof *t, cmp);
	printf("routesock,%s,%zu,%lld,%lld\n", what, n, t[rounds / 2], t[0]);
	free(t);
	return 0;
}

/* Every event of the stream, from open to the last: events per second. */
static int drain(void)
{
	ifplex_events *ev;
	struct ifplex_event buf[256];
	size_t total = 0;
	long long s = now_ns();
	int k;

	if (ifplex_events_open(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, &ev) < 0) {
		fprintf(stderr, "rs_bench: %s\n", ifplex_last_error());
		return 1;
	}
	while ((k = ifplex_events_read(ev, buf, 256, 0)) > 0)
		total += (size_t)k;
	long long t = now_ns() - s;
	ifplex_events_close(ev);
	if (k < 0) {
		fprintf(stderr, "rs_bench: %s\n", ifplex_last_error());
		return 1;
	}
	printf("routesock,events,%zu,%lld,%.0f/s\n", total, t, total * 1e9 / (double)t);
	return 0;
}

int main(int argc, char **argv)
{
	struct ifplex_iface *ifs;
	size_t n;

	if (argc < 2) {
		fprintf(stderr, "usage: rs_bench FILE [ROUNDS [STREAM]]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 200;
	if (rounds < 1)
		rounds = 1;
	setenv("IFPLEX_BACKEND", "routesock", 1);
	setenv("IFPLEX_ROUTESOCK_RIB", argv[1], 1);
	if (argc > 3)
		setenv("IFPLEX_ROUTESOCK_EVENTS", argv[3], 1);
	if (ifplex_interfaces(&ifs, &n) < 0 || n == 0) {
		fprintf(stderr, "rs_bench: %s\n", n ? ifplex_last_error() : "no interfaces");
		return 1;
	}
	int last = ifs[n - 1].index;
	ifplex_free(ifs);
	printf("# backend,operation,items,median_ns,min_ns (events: items,total_ns,rate)\n");
	return run("interfaces", rounds, IFACES, last) || run("addrs", rounds, ADDRS, last) ||
	       run("link_details", rounds, LINK_DETAILS, last) || run("addr_details", rounds, ADDR_DETAILS, last) ||
	       (argc > 3 && drain());
}
