/* SPDX-License-Identifier: MIT */
/* What keeping the kernel's address order costs the cache: the first
 * address list after an address change, in the cache mode IFPLEX_CACHE
 * names.  A change whose place in the kernel's list the notification
 * tells (the first address of its family on a link, a deletion) is applied
 * as a delta; one that it does not (a second address) makes the next
 * address call read that link's addresses again (one filtered dump).
 *
 *   unshare -n bench/order_bench     (it makes its links: never on a host)
 *
 * Prints CSV lines: order,MODE,OPERATION,MEDIAN_NS,MIN_NS */
#define _GNU_SOURCE
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define ROUNDS 41

static void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "order_bench: %s failed\n", cmd);
		exit(1);
	}
}

/* The first call for ifi's addresses after cmd, until it shows want addresses. */
static int64_t after(const char *cmd, const struct ifplex_iface *ifi, size_t want)
{
	struct ifplex_addr *a;
	size_t n;

	run(cmd);
	int64_t t = now_ns();
	for (;;) {
		if (ifplex_interface_addrs(ifi, &a, &n) < 0) {
			fprintf(stderr, "order_bench: %s\n", ifplex_last_error());
			exit(1);
		}
		ifplex_free(a);
		if (n == want)
			return now_ns() - t;
	}
}

static void report(const char *op, int64_t *s)
{
	const char *mode = getenv("IFPLEX_CACHE");
	qsort(s, ROUNDS, sizeof *s, cmp);
	printf("order,%s,%s,%lld,%lld\n", mode ? mode : "auto", op, (long long)s[ROUNDS / 2], (long long)s[0]);
}

int main(void)
{
	struct ifplex_iface ob0, *l;
	struct ifplex_addr *a;
	size_t n;
	int64_t first[ROUNDS], second[ROUNDS], del[ROUNDS], steady[ROUNDS];
	char cmd[128];

	run("ip link set lo up && ip link add ob0 type veth peer name ob1 && ip link set ob0 up");
	for (int i = 0; i < 4; i++) {
		if (ifplex_interfaces(&l, &n) < 0)
			return 1;
		ifplex_free(l);
	}
	if (ifplex_interface_by_name("ob0", &ob0) < 0)
		return 1;
	for (int i = 0; i < ROUNDS; i++) {
		snprintf(cmd, sizeof cmd, "ip addr add 10.70.%d.1/24 dev ob0", i);
		first[i] = after(cmd, &ob0, 1);
		snprintf(cmd, sizeof cmd, "ip addr add 10.71.%d.1/24 dev ob0", i);
		second[i] = after(cmd, &ob0, 2);
		int64_t t = now_ns();
		for (int k = 0; k < 100; k++) {
			ifplex_interface_addrs(&ob0, &a, &n);
			ifplex_free(a);
		}
		steady[i] = (now_ns() - t) / 100;
		snprintf(cmd, sizeof cmd, "ip addr del 10.71.%d.1/24 dev ob0", i);
		del[i] = after(cmd, &ob0, 1);
		snprintf(cmd, sizeof cmd, "ip addr del 10.70.%d.1/24 dev ob0", i);
		after(cmd, &ob0, 0);
	}
	report("addrs-unchanged", steady);
	report("addrs-after-first-address", first);
	report("addrs-after-second-address", second);
	report("addrs-after-delete", del);
	printf("order,%s,relists,%s,0\n", getenv("IFPLEX_CACHE") ? getenv("IFPLEX_CACHE") : "auto",
	       ifplex_backend_describe("cache_relists"));
	return 0;
}
