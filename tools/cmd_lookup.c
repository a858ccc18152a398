/* SPDX-License-Identifier: MIT */
/* lookup host|port|addr|cname|srv|mx NAME */
#include "tool.h"

#include <string.h>

/* Results print only after the lookup succeeded, so a failure leaves
 * stdout empty. */
static size_t printed;

static void item(struct tool *t, const char *s)
{
	if (t->json) {
		printf("%s", printed ? "," : "[");
		json_string(stdout, s);
	} else {
		puts(s);
	}
	printed++;
}

int cmd_lookup(struct tool *t)
{
	int rc;

	if (t->argc < 2 || t->argc > 3)
		return tool_usage("lookup host|port|addr|cname|srv|mx NAME (port: [NETWORK] SERVICE)");
	const char *what = t->argv[0], *name = t->argv[1];
	if (strcmp(what, "host") == 0 && t->argc == 2) {
		struct ifplex_ip *ips;
		size_t n;
		if ((rc = ifplex_lookup_ip(NULL, name, &ips, &n)) < 0)
			return tool_fail(rc);
		for (size_t i = 0; i < n; i++) {
			char s[IFPLEX_IP_STRLEN];
			ifplex_ip_string(&ips[i], s, sizeof s);
			item(t, s);
		}
		ifplex_free(ips);
	} else if (strcmp(what, "port") == 0) {
		int port;
		const char *net = t->argc == 3 ? t->argv[1] : "tcp";
		const char *svc = t->argc == 3 ? t->argv[2] : t->argv[1];
		if ((rc = ifplex_lookup_port(net, svc, &port)) < 0)
			return tool_fail(rc);
		printf("%d\n", port);
		return 0;
	} else if (strcmp(what, "addr") == 0 && t->argc == 2) {
		char **names;
		size_t n;
		if ((rc = ifplex_lookup_addr(name, &names, &n)) < 0)
			return tool_fail(rc);
		for (size_t i = 0; i < n; i++)
			item(t, names[i]);
		ifplex_free(names);
	} else if (strcmp(what, "cname") == 0 && t->argc == 2) {
		char cname[IFPLEX_HOST_MAX];
		if ((rc = ifplex_lookup_cname(name, cname, sizeof cname)) < 0)
			return tool_fail(rc);
		item(t, cname);
	} else if (strcmp(what, "srv") == 0 && t->argc == 2) {
		struct ifplex_srv *srv;
		size_t n;
		if ((rc = ifplex_lookup_srv("", "", name, &srv, &n)) < 0)
			return tool_fail(rc);
		for (size_t i = 0; i < n; i++) {
			char s[IFPLEX_HOST_MAX + 32];
			snprintf(s, sizeof s, "%u %u %u %s", srv[i].priority, srv[i].weight, srv[i].port,
				 srv[i].target);
			item(t, s);
		}
		ifplex_free(srv);
	} else if (strcmp(what, "mx") == 0 && t->argc == 2) {
		struct ifplex_mx *mx;
		size_t n;
		if ((rc = ifplex_lookup_mx(name, &mx, &n)) < 0)
			return tool_fail(rc);
		for (size_t i = 0; i < n; i++) {
			char s[IFPLEX_HOST_MAX + 8];
			snprintf(s, sizeof s, "%u %s", mx[i].pref, mx[i].host);
			item(t, s);
		}
		ifplex_free(mx);
	} else {
		return tool_usage("lookup host|port|addr|cname|srv|mx NAME");
	}
	if (t->json)
		puts(printed ? "]" : "[]");
	return 0;
}
