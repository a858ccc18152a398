/* SPDX-License-Identifier: MIT */
/* Interface enumeration, side by side in one process: ifplex (in the cache
 * mode IFPLEX_CACHE names), glibc's builtins, libnl-route's link cache
 * (fresh per call, and kept by a cache manager) and libuv.  It runs in the
 * network namespace it is started in (bench/run makes one per size) and
 * prints CSV lines:
 *
 *   enum,IFACES,CONTENDER,OPERATION,MEDIAN_NS,MIN_NS
 *
 * Usage: enum_bench [--quick] [--changes]   (--changes: also the cost of a
 * change, which modifies the first veth interface: never run it on a host.)
 */
#define _GNU_SOURCE
#include <ifaddrs.h>
#include <ifplex.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#ifdef HAVE_LIBNL
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#endif
#ifdef HAVE_LIBUV
#include <uv.h>
#endif

static int runs = 401;
static int nifaces;
static char contender[64];

/* Median and minimum per call over runs samples after a warm-up; fast
 * calls are timed in batches of 100 so the clock's cost does not count. */
static void measure(const char *op, void (*fn)(void))
{
	int64_t *s = malloc(sizeof *s * (size_t)runs);
	int64_t t = now_ns();
	for (int i = 0; i < 20; i++)
		fn();
	int batch = (now_ns() - t) / 20 < 10000 ? 100 : 1;
	int n = batch == 1 && nifaces >= 1000 ? (runs < 51 ? runs : 51) : runs;
	for (int i = 0; i < n; i++) {
		t = now_ns();
		for (int k = 0; k < batch; k++)
			fn();
		s[i] = (now_ns() - t) / batch;
	}
	qsort(s, (size_t)n, sizeof *s, cmp);
	printf("enum,%d,%s,%s,%lld,%lld\n", nifaces, contender, op, (long long)s[n / 2], (long long)s[0]);
	fflush(stdout);
	free(s);
}

static char probe_name[IFNAMSIZ];
static int probe_index;

/* ---------------------------------------------------------------- glibc */
static void g_getifaddrs(void)
{
	struct ifaddrs *ifa;
	if (getifaddrs(&ifa) == 0)
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
static struct ifplex_iface probe_iface;
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

/* ---------------------------------------------------------------- libnl */
#ifdef HAVE_LIBNL
static struct nl_sock *nl;
static struct nl_cache *kept;
static struct nl_cache_mngr *mngr;

/* libnl's documented way for one-off use: a fresh link cache per call. */
static void n_fresh_cache(void)
{
	struct nl_cache *c;
	if (rtnl_link_alloc_cache(nl, AF_UNSPEC, &c) == 0)
		nl_cache_free(c);
}
/* A cache the manager keeps fresh: process what queued, then read. */
static void n_mngr_by_name(void)
{
	nl_cache_mngr_data_ready(mngr);
	struct rtnl_link *l = rtnl_link_get_by_name(kept, probe_name);
	if (l)
		rtnl_link_put(l);
}
static void n_mngr_by_index(void)
{
	nl_cache_mngr_data_ready(mngr);
	struct rtnl_link *l = rtnl_link_get(kept, probe_index);
	if (l)
		rtnl_link_put(l);
}
/* A change, then how long until the manager's cache shows it. */
static void n_mngr_change_cost(void)
{
	for (int i = 0; i < 41; i++) {
		char cmd[96];
		int mtu = 1400 + (i % 50);
		snprintf(cmd, sizeof cmd, "ip link set dev %s mtu %d", probe_name, mtu);
		if (system(cmd) != 0)
			return;
		int64_t t = now_ns();
		int calls = 0, seen = 0;
		do {
			nl_cache_mngr_data_ready(mngr);
			struct rtnl_link *l = rtnl_link_get(kept, probe_index);
			if (l) {
				seen = (int)rtnl_link_get_mtu(l) == mtu;
				rtnl_link_put(l);
			}
			calls++;
		} while (!seen && now_ns() - t < 1000000000);
		if (i == 40)
			printf("enum,%d,%s,change-visible,%lld,%d\n", nifaces, contender, (long long)(now_ns() - t), calls);
	}
}

static void n_mngr_list(void)
{
	nl_cache_mngr_data_ready(mngr);
	int n = 0;
	for (struct nl_object *o = nl_cache_get_first(kept); o; o = nl_cache_get_next(o))
		n++;
	(void)n;
}
#endif

/* ---------------------------------------------------------------- libuv */
#ifdef HAVE_LIBUV
static void u_interface_addresses(void)
{
	uv_interface_address_t *a;
	int n;
	if (uv_interface_addresses(&a, &n) == 0)
		uv_free_interface_addresses(a, n);
}
#endif

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

/* Change the probe's MTU, then time how long until ifplex (or libnl's
 * manager) shows it, and what that call costs. */
static void change_cost(void)
{
	for (int i = 0; i < 41; i++) {
		char cmd[96];
		int mtu = 1300 + (i % 50);
		snprintf(cmd, sizeof cmd, "ip link set dev %s mtu %d", probe_name, mtu);
		if (system(cmd) != 0)
			return;
		int64_t t = now_ns();
		struct ifplex_iface x;
		int calls = 0;
		do {
			ifplex_interface_by_index(probe_index, &x);
			calls++;
		} while (x.mtu != mtu && now_ns() - t < 1000000000);
		int64_t d = now_ns() - t;
		if (i == 40)
			printf("enum,%d,%s,change-visible,%lld,%d\n", nifaces, contender, (long long)d, calls);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int changes = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			runs = 101;
		else if (strcmp(argv[i], "--smoke") == 0)
			runs = 11;
		else if (strcmp(argv[i], "--changes") == 0)
			changes = 1;
	}
	struct if_nameindex *ni = if_nameindex();
	for (struct if_nameindex *p = ni; p && p->if_index; p++) {
		nifaces++;
		/* The last interface: a lookup that is not the first entry. */
		snprintf(probe_name, sizeof probe_name, "%s", p->if_name);
		probe_index = (int)p->if_index;
	}
	if_freenameindex(ni);

	snprintf(contender, sizeof contender, "glibc");
	measure("interfaces", g_nameindex);
	measure("addrs", g_getifaddrs);
	measure("by-name", g_nametoindex);
	measure("by-index", g_indextoname);

	const char *mode = getenv("IFPLEX_CACHE") ? getenv("IFPLEX_CACHE") : "auto";
	snprintf(contender, sizeof contender, "ifplex-%s", mode);
	long rss0 = rss_kb();
	(void)ifplex_backend_name();
	int64_t t = now_ns();
	x_addrs();
	printf("enum,%d,%s,first-call,%lld,%lld\n", nifaces, contender, (long long)(now_ns() - t),
	       (long long)(now_ns() - t));
	for (int i = 0; i < 4; i++)
		x_addrs(); /* auto builds on the third call, ebpf arms on the next */
	long rss1 = rss_kb();
	if (ifplex_interface_by_index(probe_index, &probe_iface) < 0) {
		fprintf(stderr, "enum_bench: %s\n", ifplex_last_error());
		return 1;
	}
	measure("interfaces", x_interfaces);
	measure("addrs", x_addrs);
	measure("one-iface-addrs", x_one_addrs);
	measure("by-name", x_by_name);
	measure("by-index", x_by_index);
	printf("enum,%d,%s,rss-kb-after-build,%ld,%ld\n", nifaces, contender, rss1 - rss0, rss1);
	/* Table memory per interface and per address (describe shares one buffer). */
	const char *lb = ifplex_backend_describe("cache_link_bytes");
	long long link_bytes = lb ? atoll(lb) : 0;
	const char *ab = ifplex_backend_describe("cache_addr_bytes");
	long long addr_bytes = ab ? atoll(ab) : 0;
	struct ifplex_addr *al;
	size_t naddrs = 0;
	if (ifplex_interface_addrs(NULL, &al, &naddrs) == 0)
		ifplex_free(al);
	printf("enum,%d,%s,cache-bytes-per-link,%lld,%lld\n", nifaces, contender, link_bytes / (nifaces ? nifaces : 1),
	       link_bytes);
	printf("enum,%d,%s,cache-bytes-per-addr,%lld,%lld\n", nifaces, contender,
	       addr_bytes / (long long)(naddrs ? naddrs : 1), addr_bytes);
	if (changes)
		change_cost();

#ifdef HAVE_LIBNL
	if (strcmp(mode, "off") == 0) { /* once per size is enough */
		snprintf(contender, sizeof contender, "libnl");
		nl = nl_socket_alloc();
		nl_connect(nl, NETLINK_ROUTE);
		measure("interfaces", n_fresh_cache);
		if (nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE, &mngr) == 0 &&
		    nl_cache_mngr_add(mngr, "route/link", NULL, NULL, &kept) == 0) {
			snprintf(contender, sizeof contender, "libnl-mngr");
			measure("interfaces", n_mngr_list);
			measure("by-name", n_mngr_by_name);
			measure("by-index", n_mngr_by_index);
			if (changes)
				n_mngr_change_cost();
		}
	}
#else
	if (strcmp(mode, "off") == 0)
		printf("skip,libnl,not built: libnl-route-3-dev was missing at configure time\n");
#endif
#ifdef HAVE_LIBUV
	if (strcmp(mode, "off") == 0) {
		snprintf(contender, sizeof contender, "libuv");
		measure("addrs", u_interface_addresses);
	}
#else
	if (strcmp(mode, "off") == 0)
		printf("skip,libuv,not built: libuv1-dev was missing at configure time\n");
#endif
	return 0;
}
