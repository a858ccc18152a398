/* SPDX-License-Identifier: MIT */
/* The peers of ifplex's enumeration in one process with it: libnl-route
 * (a fresh link cache per call, libnl's documented one-off way, and a cache
 * manager kept fresh from its notification socket: its lists walked, and
 * copied into an array as a list call does) and libuv. */
#define _GNU_SOURCE
#include "enum.h"

#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBNL
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#endif
#ifdef HAVE_LIBUV
#include <uv.h>
#endif

#ifdef HAVE_LIBUV
static void uv_list(void)
{
	uv_interface_address_t *a;
	int n;
	if (uv_interface_addresses(&a, &n) == 0)
		uv_free_interface_addresses(a, n);
}
#endif

/* libuv's list, or why it is missing. */
static void uv_measure(void)
{
#ifdef HAVE_LIBUV
	bench_measure("libuv", "addrs", uv_list);
#else
	printf("skip,libuv,not built: libuv1-dev was missing at configure time\n");
#endif
}

#ifdef HAVE_LIBNL
static struct nl_sock *nl;
static struct nl_cache *links, *addrs;
static struct nl_cache_mngr *mngr;

static void fresh_cache(void)
{
	struct nl_cache *c;
	if (rtnl_link_alloc_cache(nl, AF_UNSPEC, &c) == 0)
		nl_cache_free(c);
}

/* What a walk reads of each object: its index. */
static long walk_links(void)
{
	long sum = 0;
	for (struct nl_object *o = nl_cache_get_first(links); o; o = nl_cache_get_next(o))
		sum += rtnl_link_get_ifindex((struct rtnl_link *)o);
	return sum;
}

static void mngr_walk(void)
{
	nl_cache_mngr_data_ready(mngr);
	long sum = walk_links();
	BENCH_KEEP(sum);
}

/* Links and their addresses, as a snapshot walk reads them. */
static void mngr_walk_all(void)
{
	nl_cache_mngr_data_ready(mngr);
	long sum = walk_links();
	for (struct nl_object *o = nl_cache_get_first(addrs); o; o = nl_cache_get_next(o))
		sum += rtnl_addr_get_ifindex((struct rtnl_addr *)o);
	BENCH_KEEP(sum);
}

/* The list copied into one array, as ifplex_interfaces hands it out. */
static void mngr_copy(void)
{
	nl_cache_mngr_data_ready(mngr);
	int n = nl_cache_nitems(links), k = 0;
	struct ifplex_iface *out = malloc((size_t)(n ? n : 1) * sizeof *out);
	for (struct nl_object *o = nl_cache_get_first(links); o && k < n; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		struct ifplex_iface *f = &out[k++];
		f->index = rtnl_link_get_ifindex(l);
		f->mtu = (int)rtnl_link_get_mtu(l);
		f->flags = rtnl_link_get_flags(l);
		snprintf(f->name, sizeof f->name, "%s", rtnl_link_get_name(l));
		struct nl_addr *hw = rtnl_link_get_addr(l);
		size_t hl = hw ? nl_addr_get_len(hw) : 0;
		f->hwaddr_len = (uint8_t)(hl <= sizeof f->hwaddr ? hl : 0);
		if (f->hwaddr_len)
			memcpy(f->hwaddr, nl_addr_get_binary_addr(hw), f->hwaddr_len);
	}
	BENCH_KEEP(out);
	free(out);
}

static void mngr_by_name(void)
{
	nl_cache_mngr_data_ready(mngr);
	struct rtnl_link *l = rtnl_link_get_by_name(links, probe_name);
	if (l)
		rtnl_link_put(l);
}

static void mngr_by_index(void)
{
	nl_cache_mngr_data_ready(mngr);
	struct rtnl_link *l = rtnl_link_get(links, probe_index);
	if (l)
		rtnl_link_put(l);
}

int peers_mngr_open(void)
{
	if (mngr)
		return 0;
	if (nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE, &mngr) < 0 ||
	    nl_cache_mngr_add(mngr, "route/link", NULL, NULL, &links) < 0 ||
	    nl_cache_mngr_add(mngr, "route/addr", NULL, NULL, &addrs) < 0) {
		printf("skip,libnl-mngr,%s,the cache manager could not be set up\n", bench_proc);
		return -1;
	}
	return 0;
}

void peers_mngr_measure(void)
{
	if (peers_mngr_open() < 0)
		return;
	bench_measure("libnl-mngr", "walk", mngr_walk);
	bench_measure("libnl-mngr", "walk-all", mngr_walk_all);
	bench_measure("libnl-mngr", "interfaces", mngr_copy);
	bench_measure("libnl-mngr", "by-name", mngr_by_name);
	bench_measure("libnl-mngr", "by-index", mngr_by_index);
}

void peers_mngr_change_cost(void)
{
	if (peers_mngr_open() < 0)
		return;
	for (int i = 0; i < 41; i++) {
		int mtu = 1400 + (i % 50);
		if (probe_set_mtu(mtu) < 0)
			return;
		int64_t t = now_ns();
		int calls = 0, seen = 0;
		do {
			nl_cache_mngr_data_ready(mngr);
			struct rtnl_link *l = rtnl_link_get(links, probe_index);
			if (l) {
				seen = (int)rtnl_link_get_mtu(l) == mtu;
				rtnl_link_put(l);
			}
			calls++;
		} while (!seen && now_ns() - t < 1000000000);
		if (i == 40)
			bench_row("libnl-mngr", "change-visible", (long long)(now_ns() - t), calls);
	}
}

void peers_one_off(void)
{
	nl = nl_socket_alloc();
	if (!nl || nl_connect(nl, NETLINK_ROUTE) < 0) {
		printf("skip,libnl,%s,no netlink socket\n", bench_proc);
	} else {
		bench_measure("libnl", "interfaces", fresh_cache);
	}
	uv_measure();
}
#else /* !HAVE_LIBNL */
int peers_mngr_open(void)
{
	printf("skip,libnl,not built: libnl-route-3-dev was missing at configure time\n");
	return -1;
}

void peers_mngr_measure(void)
{
	peers_mngr_open();
}

void peers_mngr_change_cost(void)
{
}

void peers_one_off(void)
{
	peers_mngr_open();
	uv_measure();
}
#endif
