/* SPDX-License-Identifier: MIT */
/* addrs and mcast: addresses and groups per interface, as `ip -br addr`. */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

static void print_json(const struct ifplex_addr *list, size_t n, const struct iface_map *m)
{
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		char s[IFPLEX_ADDR_STRLEN];
		const struct ifplex_iface *ifi = iface_map_find(m, list[i].index);
		ifplex_addr_string(&list[i], s, sizeof s);
		printf("%s{\"index\":%d,\"ifname\":", i ? "," : "", list[i].index);
		json_string(stdout, ifi ? ifi->name : "");
		printf(",\"addr\":");
		json_string(stdout, s);
		putchar('}');
	}
	puts("]");
}

/* One line per interface, also those without addresses. */
static void print_text(const struct ifplex_iface *ifs, size_t nifs, const struct ifplex_addr *list,
		       const struct addr_groups *g)
{
	for (size_t k = 0; k < nifs; k++) {
		const char *state = iface_state(ifs[k].flags);
		if (g->start[k] == g->start[k + 1]) {
			printf("%-16s %s\n", ifs[k].name, state);
			continue;
		}
		printf("%-16s %-7s", ifs[k].name, state);
		for (size_t j = g->start[k]; j < g->start[k + 1]; j++) {
			char s[IFPLEX_ADDR_STRLEN];
			ifplex_addr_string(&list[g->order[j]], s, sizeof s);
			printf(" %s", s);
		}
		putchar('\n');
	}
}

static int print_addrs(struct tool *t, int multicast)
{
	struct ifplex_iface one, *ifs = NULL;
	struct ifplex_addr *list = NULL;
	struct iface_map map = {0};
	struct addr_groups groups = {0};
	size_t n, nifs = 0;
	int rc;

	if (t->argc > 1)
		return tool_usage("%s takes at most one interface", multicast ? "mcast" : "addrs");
	if (t->argc == 1) {
		if ((rc = find_iface(t->argv[0], &one)) < 0)
			return tool_fail(rc);
		ifs = &one;
		nifs = 1;
	} else if ((rc = ifplex_interfaces(&ifs, &nifs)) < 0) {
		return tool_fail(rc);
	}
	rc = multicast ? ifplex_interface_multicast_addrs(t->argc ? &one : NULL, &list, &n)
		       : ifplex_interface_addrs(t->argc ? &one : NULL, &list, &n);
	if (rc < 0) {
		rc = tool_fail(rc);
		goto out;
	}
	if (iface_map_init(&map, ifs, nifs) < 0 || (!t->json && addr_groups_init(&groups, &map, nifs, list, n) < 0)) {
		fprintf(stderr, "ifplex: out of memory\n");
		rc = EXIT_OPFAIL;
		goto out;
	}
	if (t->json)
		print_json(list, n, &map);
	else
		print_text(ifs, nifs, list, &groups);
	rc = 0;
out:
	addr_groups_free(&groups);
	iface_map_free(&map);
	ifplex_free(list);
	if (ifs != &one)
		ifplex_free(ifs);
	return rc;
}

int cmd_addrs(struct tool *t)
{
	return print_addrs(t, 0);
}

int cmd_mcast(struct tool *t)
{
	return print_addrs(t, 1);
}
