/* SPDX-License-Identifier: MIT */
/* watch: print each link and address change as it happens.  It polls
 * ifplex_generation() (memory loads with the ebpf cache) and, when that
 * grows, compares a fresh snapshot with the last one. */
#include "tool.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct snap {
	struct ifplex_iface *ifs;
	size_t nifs;
	struct ifplex_addr *addrs;
	size_t naddrs;
};

static int take(struct snap *s)
{
	int rc = ifplex_interfaces(&s->ifs, &s->nifs);
	if (rc == 0 && (rc = ifplex_interface_addrs(NULL, &s->addrs, &s->naddrs)) < 0)
		ifplex_free(s->ifs);
	return rc;
}

static void release(struct snap *s)
{
	ifplex_free(s->ifs);
	ifplex_free(s->addrs);
}

static const struct ifplex_iface *find_if(const struct snap *s, int index)
{
	for (size_t i = 0; i < s->nifs; i++)
		if (s->ifs[i].index == index)
			return &s->ifs[i];
	return NULL;
}

static int same_addr(const struct ifplex_addr *a, const struct ifplex_addr *b)
{
	return a->index == b->index && a->prefixlen == b->prefixlen && ifplex_ip_equal(&a->ip, &b->ip) &&
	       a->ip.len == b->ip.len;
}

static int has_addr(const struct snap *s, const struct ifplex_addr *a)
{
	for (size_t i = 0; i < s->naddrs; i++)
		if (same_addr(&s->addrs[i], a))
			return 1;
	return 0;
}

static void print_link(int json, const char *event, const struct ifplex_iface *ifi)
{
	char hw[IFPLEX_HWADDR_MAX * 3], flags[80];

	ifplex_hwaddr_string(ifi->hwaddr, ifi->hwaddr_len, hw, sizeof hw);
	if (json) {
		printf("{\"event\":\"%s\",\"index\":%d,\"name\":", event, ifi->index);
		json_string(stdout, ifi->name);
		printf(",\"mtu\":%d,\"hwaddr\":\"%s\",\"flags\":", ifi->mtu, hw);
		json_flags(stdout, ifi->flags);
		puts("}");
	} else {
		text_flags(flags, sizeof flags, ifi->flags);
		printf("%-8s %-16s %5d %6d %-17s %s\n", event, ifi->name, ifi->index, ifi->mtu, hw[0] ? hw : "-",
		       flags);
	}
}

static void print_addr(int json, const char *event, const struct ifplex_addr *a, const struct snap *s)
{
	char text[IFPLEX_ADDR_STRLEN];
	const struct ifplex_iface *ifi = find_if(s, a->index);

	ifplex_addr_string(a, text, sizeof text);
	if (json) {
		printf("{\"event\":\"%s\",\"index\":%d,\"ifname\":", event, a->index);
		json_string(stdout, ifi ? ifi->name : "");
		printf(",\"addr\":");
		json_string(stdout, text);
		puts("}");
	} else {
		printf("%-8s %-16s %s\n", event, ifi ? ifi->name : "?", text);
	}
}

/* Print what changed from old to new. */
static void diff(int json, const struct snap *old, const struct snap *new)
{
	for (size_t i = 0; i < old->nifs; i++)
		if (!find_if(new, old->ifs[i].index))
			print_link(json, "dellink", &old->ifs[i]);
	for (size_t i = 0; i < new->nifs; i++) {
		const struct ifplex_iface *o = find_if(old, new->ifs[i].index);
		if (!o)
			print_link(json, "newlink", &new->ifs[i]);
		else if (memcmp(o, &new->ifs[i], sizeof *o) != 0)
			print_link(json, "link", &new->ifs[i]);
	}
	for (size_t i = 0; i < old->naddrs; i++)
		if (!has_addr(new, &old->addrs[i]))
			print_addr(json, "deladdr", &old->addrs[i], old);
	for (size_t i = 0; i < new->naddrs; i++)
		if (!has_addr(old, &new->addrs[i]))
			print_addr(json, "newaddr", &new->addrs[i], new);
	fflush(stdout);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int cmd_watch(struct tool *t)
{
	struct snap cur;
	int rc;
	int64_t max_ms = t->for_ms;

	if (t->argc != 0)
		return tool_usage("watch takes no arguments but --for=MS");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* Take the first snapshot three times over so that auto builds its
	 * cache now, not at the first change. */
	for (int i = 0; i < 3; i++) {
		if ((rc = take(&cur)) < 0)
			return tool_fail(rc);
		if (i < 2)
			release(&cur);
	}
	uint64_t gen = ifplex_generation();
	/* Without a cache there is no counter: compare snapshots every 250 ms. */
	int poll_snapshots = strcmp(ifplex_cache_mode(), "off") == 0 || strcmp(ifplex_cache_mode(), "none") == 0;
	unsigned ticks = 0;
	struct timespec start, now, tick = {0, 10 * 1000000};
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop) {
		uint64_t g = poll_snapshots ? gen + (++ticks % 25 == 0) : ifplex_generation();
		if (g != gen) {
			struct snap next;
			if ((rc = take(&next)) < 0) {
				release(&cur);
				return tool_fail(rc);
			}
			gen = g;
			diff(t->json, &cur, &next);
			release(&cur);
			cur = next;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (max_ms >= 0 && (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >= max_ms)
			break;
		nanosleep(&tick, NULL);
	}
	release(&cur);
	return 0;
}
