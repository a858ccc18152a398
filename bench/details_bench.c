/* SPDX-License-Identifier: MIT */
/* What details cost, and what keeping them beside the cache costs the
 * list calls: in one namespace, for each cache mode (IFPLEX_CACHE, or
 * ebpf, notify and off each in a child of its own), the hot list calls
 * (interfaces, every address, a snapshot's get and put) and the details
 * calls (one link's, one link's addresses, every address).  With --before
 * DIR the same children run again with the netlink plugin found in DIR
 * (another build), alternating round by round, so that before and after
 * come from the same run.  CSV rows:
 *
 *   details,IFACES,PROC,OPERATION,MEDIAN_NS,MIN_NS
 *
 * PROC is MODE or MODE/before.
 *
 *   details_bench [--quick|--smoke] [--make N] [--before DIR] [--rounds K]
 *   --make N: first a network namespace of its own with N interfaces (lo
 *             and veth pairs, an IPv4 and an IPv6 address on each) */
#define _GNU_SOURCE
#include "bench.h"

#include <ifplex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int runs = 201, ifaces, probe;
static const char *proc = "";

static void row(const char *op, void (*fn)(void))
{
	long long median, min;

	bench_sample(fn, runs, runs, &median, &min);
	printf("details,%d,%s,%s,%lld,%lld,%d\n", ifaces, proc, op, median, min, bench_last_samples);
}

static void list_ifaces(void)
{
	struct ifplex_iface *l;
	size_t n;
	if (ifplex_interfaces(&l, &n) == 0)
		ifplex_free(l);
}

static void list_addrs(void)
{
	struct ifplex_addr *l;
	size_t n;
	if (ifplex_interface_addrs(NULL, &l, &n) == 0)
		ifplex_free(l);
}

static void snapshot(void)
{
	const struct ifplex_snapshot *s;
	if (ifplex_snapshot_get(&s) == 0)
		ifplex_snapshot_put(s);
}

static void link_details(void)
{
	struct ifplex_link_details d = {.size = sizeof d};
	ifplex_interface_details(probe, &d);
	BENCH_KEEP(&d);
}

static void addr_details(int index)
{
	struct ifplex_addr_details *d;
	size_t n;
	if (ifplex_interface_addr_details(index, sizeof *d, &d, &n) == 0)
		ifplex_free(d);
}

static void one_addr_details(void)
{
	addr_details(probe);
}

static void all_addr_details(void)
{
	addr_details(0);
}

/* One process's rows, in the mode and with the plugin path it was given. */
static void measure(void)
{
	struct ifplex_iface *l;
	size_t n;

	if (ifplex_interfaces(&l, &n) < 0 || n == 0) {
		fprintf(stderr, "details_bench: %s\n", ifplex_last_error());
		exit(1);
	}
	ifaces = (int)n;
	probe = l[n / 2].index; /* a link in the middle, not lo */
	ifplex_free(l);
	row("interfaces", list_ifaces);
	row("interface_addrs", list_addrs);
	row("snapshot_get_put", snapshot);
	row("link_details", link_details);
	row("addr_details_one", one_addr_details);
	row("addr_details_all", all_addr_details);
	fflush(stdout);
}

static void child(const char *mode, const char *before)
{
	char p[64];
	pid_t pid = fork();

	if (pid == 0) {
		setenv("IFPLEX_CACHE", mode, 1);
		if (before)
			setenv("IFPLEX_PLUGIN_PATH", before, 1);
		snprintf(p, sizeof p, "%s%s", mode, before ? "/before" : "");
		proc = p;
		measure();
		_exit(0);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fprintf(stderr, "details_bench: the %s child failed\n", mode);
}

/* Device k of the namespace: veth pairs, then a bridge when the count is odd. */
static void dev_name(char *buf, size_t len, int k, int pairs)
{
	if (k < 2 * pairs)
		snprintf(buf, len, "d%d%c", k / 2, k % 2 ? 'b' : 'a');
	else
		snprintf(buf, len, "dbr");
}

/* lo and n - 1 others (veth pairs, a bridge when n - 1 is odd), each but
 * lo with an IPv4 and an IPv6 address, by one ip -batch run. */
static void make_namespace(int n)
{
	char path[] = "/tmp/details_bench.XXXXXX", cmd[128], dev[16];
	int fd = mkstemp(path), pairs = (n - 1) / 2;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f || n < 1 || unshare(CLONE_NEWNET) < 0) {
		perror("details_bench: --make");
		exit(1);
	}
	fprintf(f, "link set lo up\n");
	for (int i = 0; i < pairs; i++)
		fprintf(f, "link add d%da type veth peer name d%db\n", i, i);
	if ((n - 1) % 2)
		fprintf(f, "link add dbr type bridge\n");
	for (int k = 0; k < n - 1; k++) {
		dev_name(dev, sizeof dev, k, pairs);
		fprintf(f, "addr add 10.%d.%d.%d/32 dev %s\n", (k + 1) / 65536, (k + 1) / 256 % 256, (k + 1) % 256, dev);
		fprintf(f, "addr add fd00::%x:1/64 dev %s nodad\n", k, dev);
	}
	fclose(f);
	snprintf(cmd, sizeof cmd, "ip -batch %s", path);
	int rc = system(cmd);
	unlink(path);
	if (rc != 0) {
		fprintf(stderr, "details_bench: ip -batch failed\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const char *before = NULL, *mode = getenv("IFPLEX_CACHE");
	static const char *const modes[] = {"ebpf", "notify", "off"};
	int rounds = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			runs = 51;
		else if (strcmp(argv[i], "--smoke") == 0)
			runs = 5;
		else if (strcmp(argv[i], "--make") == 0 && i + 1 < argc)
			make_namespace(atoi(argv[++i]));
		else if (strcmp(argv[i], "--before") == 0 && i + 1 < argc)
			before = argv[++i];
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: details_bench [--quick|--smoke] [--make N] [--before DIR] [--rounds K]\n");
			return 2;
		}
	}
	for (int r = 0; r < rounds; r++)
		for (size_t m = 0; m < 3; m++) {
			if (mode && *mode && strcmp(mode, modes[m]) != 0)
				continue;
			/* Which goes first alternates, so that neither always
			 * meets a warmer machine. */
			if (before && r % 2)
				child(modes[m], before);
			child(modes[m], NULL);
			if (before && !(r % 2))
				child(modes[m], before);
		}
	return 0;
}
