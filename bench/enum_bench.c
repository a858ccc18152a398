/* SPDX-License-Identifier: MIT */
/* Interface enumeration, side by side in one process, so that every ratio
 * compares figures of the same process and run: glibc's builtins (the
 * baseline of each ratio), ifplex in the cache mode IFPLEX_CACHE names,
 * its snapshots, the floor of a list (malloc, one memcpy, free of as many
 * records), and libnl's cache manager.  It runs in the network namespace it
 * is started in (bench/run makes one per size) and prints CSV rows:
 *
 *   enum,IFACES,PROC,WHO,OPERATION,MEDIAN_NS,MIN_NS
 *
 * PROC names this process (ifplex-MODE, or peers for --peers).
 *
 *   enum_bench [--quick|--smoke] [--changes]   ifplex in IFPLEX_CACHE's mode
 *   enum_bench [--quick|--smoke] --peers       libnl's one-off list, libuv
 *   enum_bench --first load|noload             one first call, with or
 *                                              without loading the plugin
 *
 * --changes: also bursts of changes and how soon a change shows, which
 * modify the namespace's links: never on a host. */
#define _GNU_SOURCE
#include "enum.h"

#include <ifaddrs.h>
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char probe_name[IF_NAMESIZE];
int probe_index;
static struct ifplex_iface probe_iface;

int probe_set_mtu(int mtu)
{
	char cmd[96];

	snprintf(cmd, sizeof cmd, "ip link set dev %s mtu %d", probe_name, mtu);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- glibc */
static void g_getifaddrs(void)
{
	struct ifaddrs *ifa;
	if (getifaddrs(&ifa) == 0)
		freeifaddrs(ifa);
}

/* One interface's addresses the glibc way: all of them, filtered and
 * copied out as ifplex_interface_addrs(ifi) hands them. */
static void g_one_iface_addrs(void)
{
	struct ifaddrs *ifa;
	struct ifplex_addr out[64];
	size_t n = 0;

	if (getifaddrs(&ifa) != 0)
		return;
	for (struct ifaddrs *p = ifa; p; p = p->ifa_next)
		if (p->ifa_addr && strcmp(p->ifa_name, probe_name) == 0 && n < 64)
			memcpy(&out[n++].ip, p->ifa_addr, sizeof out[0].ip);
	BENCH_KEEP(out);
	freeifaddrs(ifa);
}

static void g_nameindex(void)
{
	struct if_nameindex *ni = if_nameindex();
	if (ni)
		if_freenameindex(ni);
}
static void g_nametoindex(void) { (void)if_nametoindex(probe_name); }
static void g_indextoname(void)
{
	char n[IF_NAMESIZE];
	(void)if_indextoname((unsigned)probe_index, n);
}

static void glibc_rows(void)
{
	bench_measure("glibc", "interfaces", g_nameindex);
	bench_measure("glibc", "addrs", g_getifaddrs);
	bench_measure("glibc", "one-iface-addrs", g_one_iface_addrs);
	bench_measure("glibc", "by-name", g_nametoindex);
	bench_measure("glibc", "by-index", g_indextoname);
}

/* --------------------------------------------------------------- ifplex */
static void x_interfaces(void)
{
	struct ifplex_iface *l;
	size_t n;
	if (ifplex_interfaces(&l, &n) == 0)
		ifplex_free(l);
}
static void x_addrs(void)
{
	struct ifplex_addr *l;
	size_t n;
	if (ifplex_interface_addrs(NULL, &l, &n) == 0)
		ifplex_free(l);
}
static void x_one_addrs(void)
{
	struct ifplex_addr *l;
	size_t n;
	if (ifplex_interface_addrs(&probe_iface, &l, &n) == 0)
		ifplex_free(l);
}
static void x_by_name(void)
{
	struct ifplex_iface i;
	(void)ifplex_interface_by_name(probe_name, &i);
}
static void x_by_index(void)
{
	struct ifplex_iface i;
	(void)ifplex_interface_by_index(probe_index, &i);
}
static void x_snapshot(void)
{
	const struct ifplex_snapshot *s;
	if (ifplex_snapshot_get(&s) == 0)
		ifplex_snapshot_put(s);
}
/* get, one lookup in the snapshot's hash tables, put: O(1) at any size. */
static void x_snapshot_by_name(void)
{
	const struct ifplex_snapshot *s;
	if (ifplex_snapshot_get(&s) < 0)
		return;
	BENCH_KEEP(ifplex_snapshot_by_name(s, probe_name));
	ifplex_snapshot_put(s);
}
static void x_snapshot_by_index(void)
{
	const struct ifplex_snapshot *s;
	if (ifplex_snapshot_get(&s) < 0)
		return;
	BENCH_KEEP(ifplex_snapshot_by_index(s, probe_index));
	ifplex_snapshot_put(s);
}
/* Every interface and every address read (its index), as libnl's walk. */
static void x_snapshot_walk(void)
{
	const struct ifplex_snapshot *s;
	size_t n;
	long sum = 0;

	if (ifplex_snapshot_get(&s) < 0)
		return;
	const struct ifplex_iface *f = ifplex_snapshot_interfaces(s, &n);
	for (size_t i = 0; i < n; i++)
		sum += f[i].index;
	BENCH_KEEP(sum);
	ifplex_snapshot_put(s);
}
static void x_snapshot_walk_all(void)
{
	const struct ifplex_snapshot *s;
	size_t n, m;
	long sum = 0;

	if (ifplex_snapshot_get(&s) < 0)
		return;
	const struct ifplex_iface *f = ifplex_snapshot_interfaces(s, &n);
	for (size_t i = 0; i < n; i++)
		sum += f[i].index;
	const struct ifplex_addr *a = ifplex_snapshot_addrs(s, 0, &m);
	for (size_t i = 0; i < m; i++)
		sum += a[i].index;
	BENCH_KEEP(sum);
	ifplex_snapshot_put(s);
}

/* ----------------------------------------------------------- the floors */
static size_t floor_n, floor_m;

/* The floor's source, kept between calls. */
static char *src;
static size_t have;

/* As many bytes as a list holds: malloc, one memcpy, free. */
static void floor_copy(size_t bytes)
{
	if (have < bytes) {
		free(src);
		src = calloc(1, bytes);
		have = src ? bytes : 0;
	}
	void *p = malloc(bytes);
	if (!p || !src)
		exit(1);
	BENCH_KEEP(p);
	memcpy(p, src, bytes);
	BENCH_KEEP(p);
	free(p);
}

/* The source goes before glibc is measured again: a block that stays in
 * the heap below getifaddrs's would make glibc trim and refault the pages
 * above it on every call, a cost of this bench's, not of ifplex. */
static void floor_release(void)
{
	free(src);
	src = NULL;
	have = 0;
}

static void floor_interfaces(void)
{
	floor_copy((floor_n ? floor_n : 1) * sizeof(struct ifplex_iface));
}

static void floor_addrs(void)
{
	floor_copy((floor_m ? floor_m : 1) * sizeof(struct ifplex_addr));
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, resident = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void find_probe(void)
{
	struct if_nameindex *ni = if_nameindex();
	for (struct if_nameindex *p = ni; p && p->if_index; p++) {
		bench_ifaces++;
		/* The last interface: a lookup that is not the first entry. */
		snprintf(probe_name, sizeof probe_name, "%s", p->if_name);
		probe_index = (int)p->if_index;
	}
	if_freenameindex(ni);
}

/* One process, one first call: with the plugin loaded by it, or after it. */
static int first_call(const char *how, const char *mode)
{
	static char proc[64];
	snprintf(proc, sizeof proc, "ifplex-%s", mode);
	bench_proc = proc;
	if (strcmp(how, "noload") == 0 && !ifplex_backend_name()) {
		fprintf(stderr, "enum_bench: %s\n", ifplex_last_error());
		return 1;
	}
	int64_t t = now_ns();
	x_addrs();
	int64_t d = now_ns() - t;
	bench_row("ifplex", strcmp(how, "load") == 0 ? "first-call-load" : "first-call-noload", d, d);
	return 0;
}

int main(int argc, char **argv)
{
	int changes = 0, peers = 0, quick = 0, only_arming = 0;
	const char *first = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			bench_runs = 101;
			quick = 1;
		} else if (strcmp(argv[i], "--smoke") == 0) {
			bench_runs = 11;
			quick = 1;
		} else if (strcmp(argv[i], "--changes") == 0) {
			changes = 1;
		} else if (strcmp(argv[i], "--peers") == 0) {
			peers = 1;
		} else if (strcmp(argv[i], "--first") == 0 && i + 1 < argc) {
			first = argv[++i];
		} else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc && strcmp(argv[i + 1], "arming") == 0) {
			only_arming = 1; /* a targeted before/after run */
			i++;
		} else {
			fprintf(stderr, "usage: enum_bench [--quick|--smoke] [--changes | --peers | --first load|noload | "
					"--only arming]\n");
			return 2;
		}
	}
	find_probe();
	const char *mode = getenv("IFPLEX_CACHE") ? getenv("IFPLEX_CACHE") : "auto";
	if (first)
		return first_call(first, mode);
	if (peers) {
		bench_proc = "peers";
		glibc_rows();
		peers_one_off();
		return 0;
	}
	static char proc[64];
	snprintf(proc, sizeof proc, "ifplex-%s", mode);
	bench_proc = proc;
	if (only_arming) {
		cache_arming();
		return 0;
	}

	/* glibc before ifplex did anything in this process, then the baselines. */
	cache_glibc_cost("before");
	glibc_rows();

	long rss0 = rss_kb();
	(void)ifplex_backend_name();
	for (int i = 0; i < 5; i++)
		x_addrs(); /* auto builds on the third call, ebpf arms on the next */
	if (ifplex_interface_by_index(probe_index, &probe_iface) < 0) {
		fprintf(stderr, "enum_bench: %s\n", ifplex_last_error());
		return 1;
	}
	x_snapshot();
	long rss1 = rss_kb();
	bench_measure("ifplex", "interfaces", x_interfaces);
	bench_measure("ifplex", "addrs", x_addrs);
	bench_measure("ifplex", "one-iface-addrs", x_one_addrs);
	bench_measure("ifplex", "by-name", x_by_name);
	bench_measure("ifplex", "by-index", x_by_index);
	bench_measure("ifplex", "snapshot", x_snapshot);
	bench_measure("ifplex", "snapshot-by-name", x_snapshot_by_name);
	bench_measure("ifplex", "snapshot-by-index", x_snapshot_by_index);
	bench_measure("ifplex", "walk", x_snapshot_walk);
	bench_measure("ifplex", "walk-all", x_snapshot_walk_all);

	const struct ifplex_snapshot *s;
	if (ifplex_snapshot_get(&s) == 0) {
		ifplex_snapshot_interfaces(s, &floor_n);
		ifplex_snapshot_addrs(s, 0, &floor_m);
		ifplex_snapshot_put(s);
	}
	bench_measure("floor", "interfaces", floor_interfaces);
	bench_measure("floor", "addrs", floor_addrs);
	floor_release();
	/* glibc again, now that the cache holds its tables (before libnl's
	 * manager, whose heap would count too). */
	cache_glibc_cost("after");
	cache_glibc_interleaved();
	peers_mngr_measure();
	bench_row("ifplex", "rss-kb-after-build", rss1 - rss0, rss1);
	const char *lb = ifplex_backend_describe("cache_link_bytes");
	const char *ab = ifplex_backend_describe("cache_addr_bytes");
	long long link_bytes = lb ? atoll(lb) : 0, addr_bytes = ab ? atoll(ab) : 0;
	bench_row("ifplex", "cache-bytes-per-link", link_bytes / (bench_ifaces ? bench_ifaces : 1), link_bytes);
	bench_row("ifplex", "cache-bytes-per-addr", addr_bytes / (long long)(floor_m ? floor_m : 1), addr_bytes);
	if (strcmp(mode, "ebpf") == 0)
		cache_arming();
	if (changes) {
		cache_change_cost();
		peers_mngr_change_cost();
		if (strcmp(mode, "off") != 0)
			cache_bursts(quick);
	}
	return 0;
}
