/* backends: the plugins on the search path, and which one is active. */
#include "tool.h"

#include <string.h>

static void caps_text(uint64_t caps, int json)
{
	int first = 1;

	for (unsigned b = 0; b < 64; b++) {
		const char *name = ifplex_cap_name(b);
		if (!name || !(caps & (1ull << b)))
			continue;
		if (json)
			printf("%s\"%s\"", first ? "" : ",", name);
		else
			printf("%s%s", first ? "" : ",", name);
		first = 0;
	}
}

static void describe(const char *key, int json, int last)
{
	const char *v = ifplex_backend_describe(key);

	if (json) {
		printf("\"%s\":", key);
		json_string(stdout, v ? v : "");
		printf(last ? "" : ",");
	} else {
		printf("  %-12s %s\n", key, v ? v : "-");
	}
}

/* Facts only some backends know (plan9: whether iproute has IPv4 and
 * IPv6 interface routes): shown when the backend answers. */
static const char *const optional_facts[] = {"ipv4", "ipv6"};

static void describe_optional(int json)
{
	for (size_t i = 0; i < sizeof optional_facts / sizeof optional_facts[0]; i++) {
		if (!ifplex_backend_describe(optional_facts[i]))
			continue;
		if (json)
			printf(",");
		describe(optional_facts[i], json, 1);
	}
}

int cmd_backends(struct tool *t)
{
	struct ifplex_plugin_info *list;
	size_t n;
	int rc;

	if (t->argc != 0)
		return tool_usage("backends takes no arguments");
	if ((rc = ifplex_plugins(&list, &n)) < 0)
		return tool_fail(rc);
	const char *active = ifplex_backend_name();
	char why[1024];
	snprintf(why, sizeof why, "%s", active ? ifplex_backend_reason() : ifplex_last_error());

	if (t->json) {
		printf("{\"abi\":%u,\"plugins\":[", (unsigned)ifplex_backend_abi());
		for (size_t i = 0; i < n; i++) {
			printf("%s{\"name\":", i ? "," : "");
			json_string(stdout, list[i].name);
			printf(",\"path\":");
			json_string(stdout, list[i].path);
			printf(",\"abi\":%u,\"ok\":%s,\"error\":", (unsigned)list[i].abi,
			       list[i].status ? "false" : "true");
			json_string(stdout, list[i].message);
			printf(",\"caps\":[");
			caps_text(list[i].caps, 1);
			printf("]}");
		}
		printf("],\"active\":");
		if (active) {
			json_string(stdout, active);
			printf(",\"reason\":");
			json_string(stdout, why);
			printf(",");
			describe("cache", 1, 0);
			describe("cache_modes", 1, 0);
			describe("cache_why", 1, 1);
			describe_optional(1);
		} else {
			printf("null,\"reason\":");
			json_string(stdout, why);
		}
		puts("}");
	} else {
		printf("core ABI %u\n", (unsigned)ifplex_backend_abi());
		if (n == 0)
			printf("no plugins found on the search path\n");
		for (size_t i = 0; i < n; i++) {
			printf("%-10s %s\n", list[i].name, list[i].path);
			if (list[i].status) {
				printf("  error        %s\n", list[i].message);
				continue;
			}
			printf("  ABI          %u\n  capabilities ", (unsigned)list[i].abi);
			caps_text(list[i].caps, 0);
			putchar('\n');
		}
		if (active) {
			printf("active: %s (%s)\n", active, why);
			describe("cache", 0, 0);
			describe("cache_modes", 0, 0);
			describe("cache_why", 0, 1);
			describe_optional(0);
		} else {
			printf("active: none: %s\n", why);
		}
	}
	ifplex_free(list);
	return active ? 0 : EXIT_OPFAIL;
}
