/* SPDX-License-Identifier: MIT */
/* ifaces: interfaces. */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

void print_iface_fields_json(const struct ifplex_iface *ifi)
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
