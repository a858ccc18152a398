/* SPDX-License-Identifier: MIT */
/* ifaces and show: interfaces. */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

static void print_iface_fields_json(const struct ifplex_iface *ifi)
{
	char hw[IFPLEX_HWADDR_MAX * 3];

	ifplex_hwaddr_string(ifi->hwaddr, ifi->hwaddr_len, hw, sizeof hw);
	printf("\"index\":%d,\"name\":", ifi->index);
	json_string(stdout, ifi->name);
	printf(",\"mtu\":%d,\"hwaddr\":\"%s\",\"flags\":", ifi->mtu, hw);
	json_flags(stdout, ifi->flags);
}

static void print_iface_text(const struct ifplex_iface *ifi)
{
	char hw[IFPLEX_HWADDR_MAX * 3], flags[80];

	ifplex_hwaddr_string(ifi->hwaddr, ifi->hwaddr_len, hw, sizeof hw);
	text_flags(flags, sizeof flags, ifi->flags);
	printf("%-16s %-7s %5d %6d %-17s %s\n", ifi->name, iface_state(ifi->flags), ifi->index, ifi->mtu,
	       hw[0] ? hw : "-", flags);
}

int cmd_ifaces(struct tool *t)
{
	struct ifplex_iface *list;
	size_t n;
	int rc;

	if (t->argc != 0)
		return tool_usage("ifaces takes no arguments");
	if ((rc = ifplex_interfaces(&list, &n)) < 0)
		return tool_fail(rc);
	if (t->json)
		putchar('[');
	for (size_t i = 0; i < n; i++) {
		if (t->json) {
			printf("%s{", i ? "," : "");
			print_iface_fields_json(&list[i]);
			putchar('}');
		} else {
			print_iface_text(&list[i]);
		}
	}
	if (t->json)
		puts("]");
	ifplex_free(list);
	return 0;
}

int find_iface(const char *arg, struct ifplex_iface *ifi)
{
	int64_t idx;

	if (parse_number(arg, INT32_MAX, &idx) == 0 && idx > 0)
		return ifplex_interface_by_index((int)idx, ifi);
	return ifplex_interface_by_name(arg, ifi);
}

/* show's lists: "addr" lines, or a JSON array (null when unsupported). */
static void print_list(int json, const char *label, int rc, const struct ifplex_addr *a, size_t n)
{
	char s[IFPLEX_ADDR_STRLEN];

	if (json) {
		printf(",\"%s\":", label);
		if (rc < 0) {
			printf("null");
			return;
		}
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			ifplex_addr_string(&a[i], s, sizeof s);
			if (i)
				putchar(',');
			json_string(stdout, s);
		}
		putchar(']');
		return;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		ifplex_addr_string(&a[i], s, sizeof s);
		printf("  %-9s %s\n", label, s);
	}
}

int cmd_show(struct tool *t)
{
	struct ifplex_iface ifi;
	struct ifplex_addr *addrs = NULL, *groups = NULL;
	size_t naddrs = 0, ngroups = 0;
	int rc, grc;

	if (t->argc != 1)
		return tool_usage("show takes one interface name or index");
	if ((rc = find_iface(t->argv[0], &ifi)) < 0)
		return tool_fail(rc);
	rc = ifplex_interface_addrs(&ifi, &addrs, &naddrs);
	if (rc < 0 && rc != IFPLEX_ENOTSUP)
		return tool_fail(rc);
	/* Groups are a capability not every backend has: say so, not fail. */
	grc = ifplex_interface_multicast_addrs(&ifi, &groups, &ngroups);
	if (grc < 0 && grc != IFPLEX_ENOTSUP) {
		ifplex_free(addrs);
		return tool_fail(grc);
	}
	if (t->json) {
		putchar('{');
		print_iface_fields_json(&ifi);
		printf(",\"state\":\"%s\"", iface_state(ifi.flags));
		print_list(1, "addrs", rc, addrs, naddrs);
		print_list(1, "mcast", grc, groups, ngroups);
		puts("}");
	} else {
		char hw[IFPLEX_HWADDR_MAX * 3], flags[80];
		ifplex_hwaddr_string(ifi.hwaddr, ifi.hwaddr_len, hw, sizeof hw);
		text_flags(flags, sizeof flags, ifi.flags);
		printf("%s\n  index     %d\n  state     %s\n  flags     %s\n  mtu       %d\n  hwaddr    %s\n",
		       ifi.name, ifi.index, iface_state(ifi.flags), flags, ifi.mtu, hw[0] ? hw : "-");
		print_list(0, "addr", rc, addrs, naddrs);
		if (grc < 0)
			printf("  %-9s %s\n", "mcast", "(not listed by this backend)");
		print_list(0, "mcast", grc, groups, ngroups);
	}
	ifplex_free(addrs);
	ifplex_free(groups);
	return 0;
}
