/* ifaces, addrs, mcast, show: interfaces and their addresses. */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

static void print_iface_json(const struct ifplex_iface *ifi)
{
	char hw[IFPLEX_HWADDR_MAX * 3];

	ifplex_hwaddr_string(ifi->hwaddr, ifi->hwaddr_len, hw, sizeof hw);
	printf("{\"index\":%d,\"name\":", ifi->index);
	json_string(stdout, ifi->name);
	printf(",\"mtu\":%d,\"hwaddr\":\"%s\",\"flags\":", ifi->mtu, hw);
	json_flags(stdout, ifi->flags);
	putchar('}');
}

static void print_iface_text(const struct ifplex_iface *ifi)
{
	char hw[IFPLEX_HWADDR_MAX * 3], flags[80];

	ifplex_hwaddr_string(ifi->hwaddr, ifi->hwaddr_len, hw, sizeof hw);
	text_flags(flags, sizeof flags, ifi->flags);
	printf("%-16s %5d %6d %-17s %s\n", ifi->name, ifi->index, ifi->mtu, hw[0] ? hw : "-", flags);
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
			if (i)
				putchar(',');
			print_iface_json(&list[i]);
		} else {
			print_iface_text(&list[i]);
		}
	}
	if (t->json)
		puts("]");
	ifplex_free(list);
	return 0;
}

/* NAME or INDEX into ifi. */
static int find_iface(const char *arg, struct ifplex_iface *ifi)
{
	char *end;
	long idx = strtol(arg, &end, 10);

	if (*arg && !*end && idx > 0 && idx < 1L << 30)
		return ifplex_interface_by_index((int)idx, ifi);
	return ifplex_interface_by_name(arg, ifi);
}

/* Names by index for the addresses' ifname field: one list, no lookups
 * per address. */
static const char *name_of(const struct ifplex_iface *list, size_t n, int index)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].index == index)
			return list[i].name;
	return "";
}

static int print_addrs(struct tool *t, int multicast)
{
	struct ifplex_iface one, *ifaces = NULL;
	struct ifplex_addr *list;
	size_t n, nifaces = 0;
	int rc;

	if (t->argc > 1 || (multicast && t->argc != 1))
		return tool_usage(multicast ? "mcast takes one interface" : "addrs takes at most one interface");
	if (t->argc == 1) {
		if ((rc = find_iface(t->argv[0], &one)) < 0)
			return tool_fail(rc);
		ifaces = &one;
		nifaces = 1;
	}
	rc = multicast ? ifplex_interface_multicast_addrs(nifaces ? &one : NULL, &list, &n)
		       : ifplex_interface_addrs(nifaces ? &one : NULL, &list, &n);
	if (rc < 0)
		return tool_fail(rc);
	if (!nifaces && (rc = ifplex_interfaces(&ifaces, &nifaces)) < 0) {
		ifplex_free(list);
		return tool_fail(rc);
	}
	if (t->json) {
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			char s[IFPLEX_ADDR_STRLEN];
			ifplex_addr_string(&list[i], s, sizeof s);
			printf("%s{\"index\":%d,\"ifname\":", i ? "," : "", list[i].index);
			json_string(stdout, name_of(ifaces, nifaces, list[i].index));
			printf(",\"addr\":");
			json_string(stdout, s);
			putchar('}');
		}
		puts("]");
	} else {
		/* As `ip -br addr`: one line per interface that has addresses. */
		for (size_t k = 0; k < nifaces; k++) {
			int any = 0;
			for (size_t i = 0; i < n; i++) {
				if (list[i].index != ifaces[k].index)
					continue;
				char s[IFPLEX_ADDR_STRLEN];
				ifplex_addr_string(&list[i], s, sizeof s);
				if (!any)
					printf("%-16s", ifaces[k].name);
				printf(" %s", s);
				any = 1;
			}
			if (any)
				putchar('\n');
		}
	}
	ifplex_free(list);
	if (ifaces != &one)
		ifplex_free(ifaces);
	return 0;
}

int cmd_addrs(struct tool *t)
{
	return print_addrs(t, 0);
}

int cmd_mcast(struct tool *t)
{
	return print_addrs(t, 1);
}

int cmd_show(struct tool *t)
{
	struct ifplex_iface ifi;
	int rc;

	if (t->argc != 1)
		return tool_usage("show takes one interface name or index");
	if ((rc = find_iface(t->argv[0], &ifi)) < 0)
		return tool_fail(rc);
	if (t->json) {
		print_iface_json(&ifi);
		putchar('\n');
	} else {
		print_iface_text(&ifi);
	}
	return 0;
}
