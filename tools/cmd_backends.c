/* SPDX-License-Identifier: MIT */
/* backends: the plugins on the search path, and which one is active.  Every
 * step that runs plugin code runs in a child (isolate.c), so one bad file
 * cannot end the listing. */
#include "tool.h"

#include <ifplex/backend.h>
#include <string.h>

/* Plugin code gets this long to load before it is killed. */
#define PROBE_TIMEOUT_MS 10000

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

static void probe_in_child(const void *in, size_t inlen, void *out)
{
	struct ifplex_plugin_info *pi = out;

	memset(pi, 0, sizeof *pi);
	if (inlen != sizeof *pi) {
		pi->status = IFPLEX_EINVAL;
		snprintf(pi->message, sizeof pi->message, "probe: %zu bytes of input, not %zu", inlen,
			 sizeof *pi);
		return;
	}
	memcpy(pi, in, sizeof *pi);
	ifplex_plugin_probe(pi);
}

const struct isolated_step backends_probe_step = {"backends-probe", probe_in_child};

static void probe(struct ifplex_plugin_info *pi)
{
	struct ifplex_plugin_info res;
	char why[512];

	if (run_isolated(&backends_probe_step, pi, sizeof *pi, &res, sizeof res, PROBE_TIMEOUT_MS, why,
			 sizeof why) == 0) {
		*pi = res;
		return;
	}
	pi->status = IFPLEX_EBADPLUGIN;
	snprintf(pi->message, sizeof pi->message, "plugin %.480s %.500s", pi->path, why);
}

/* What the active backend is, found in a child for the same reason.  The
 * facts after the first NREQUIRED only some backends know (plan9: whether
 * iproute has IPv4 and IPv6 interface routes): shown when answered. */
static const char *const facts[] = {"cache", "cache_modes", "cache_why", "ipv4", "ipv6"};
#define NFACTS (sizeof facts / sizeof facts[0])
#define NREQUIRED 3
struct active {
	int ok;
	char name[64];
	char why[1024];
	char fact[NFACTS][512];
	int have_fact[NFACTS];
};

static void active_in_child(const void *in, size_t inlen, void *out)
{
	struct active *a = out;
	const char *choice = inlen ? in : NULL;

	memset(a, 0, sizeof *a);
	if (choice && !memchr(choice, '\0', inlen)) {
		snprintf(a->why, sizeof a->why, "the backend's name is not terminated");
		return;
	}
	if (choice) {
		struct ifplex_options o = {.size = sizeof o, .backend = choice};
		ifplex_init(&o);
	}
	const char *name = ifplex_backend_name();
	if (!name) {
		snprintf(a->why, sizeof a->why, "%s", ifplex_last_error());
		return;
	}
	a->ok = 1;
	snprintf(a->name, sizeof a->name, "%s", name);
	snprintf(a->why, sizeof a->why, "%s", ifplex_backend_reason());
	for (size_t i = 0; i < NFACTS; i++) {
		const char *v = ifplex_backend_describe(facts[i]);
		a->have_fact[i] = v != NULL;
		snprintf(a->fact[i], sizeof a->fact[i], "%s", v ? v : "");
	}
}

const struct isolated_step backends_active_step = {"backends-active", active_in_child};

static void find_active(struct active *a, const char *choice)
{
	char why[512];

	if (run_isolated(&backends_active_step, choice, choice ? strlen(choice) + 1 : 0, a, sizeof *a,
			 PROBE_TIMEOUT_MS, why, sizeof why) < 0) {
		memset(a, 0, sizeof *a);
		snprintf(a->why, sizeof a->why, "the chosen backend %s", why);
	}
}

static void print_json(const struct ifplex_plugin_info *list, size_t n, const struct active *a)
{
	const char *autob = ifplex_backend_auto(NULL);

	printf("{\"abi\":%u,\"size_min\":%u,\"auto\":", (unsigned)ifplex_backend_abi(),
	       (unsigned)IFPLEX_BACKEND_SIZE_MIN);
	if (autob)
		json_string(stdout, autob);
	else
		printf("null");
	printf(",\"plugins\":[");
	for (size_t i = 0; i < n; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_string(stdout, list[i].name);
		printf(",\"path\":");
		json_string(stdout, list[i].path);
		printf(",\"abi\":%u,\"size\":%u,\"ok\":%s,\"error\":", (unsigned)list[i].abi,
		       (unsigned)list[i].size, list[i].status ? "false" : "true");
		json_string(stdout, list[i].message);
		printf(",\"caps\":[");
		caps_text(list[i].caps, 1);
		printf("]}");
	}
	printf("],\"active\":");
	if (a->ok) {
		json_string(stdout, a->name);
		printf(",\"reason\":");
		json_string(stdout, a->why);
		for (size_t i = 0; i < NFACTS; i++) {
			if (i >= NREQUIRED && !a->have_fact[i])
				continue;
			printf(",\"%s\":", facts[i]);
			json_string(stdout, a->fact[i]);
		}
	} else {
		printf("null,\"reason\":");
		json_string(stdout, a->why);
	}
	puts("}");
}

static void print_text(const struct ifplex_plugin_info *list, size_t n, const struct active *a)
{
	const char *autob = ifplex_backend_auto(NULL);

	printf("core ABI %u (plugin structs of %u bytes or more)\n", (unsigned)ifplex_backend_abi(),
	       (unsigned)IFPLEX_BACKEND_SIZE_MIN);
	printf("auto picks %s\n", autob ? autob : "nothing on this system");
	if (n == 0)
		printf("no plugins found on the search path\n");
	for (size_t i = 0; i < n; i++) {
		printf("%-10s %s\n", list[i].name, list[i].path);
		if (list[i].size)
			printf("  ABI          %u, struct of %u bytes\n", (unsigned)list[i].abi,
			       (unsigned)list[i].size);
		if (list[i].status) {
			printf("  error        %s\n", list[i].message);
			continue;
		}
		printf("  capabilities ");
		caps_text(list[i].caps, 0);
		putchar('\n');
	}
	if (!a->ok) {
		printf("active: none: %s\n", a->why);
		return;
	}
	printf("active: %s (%s)\n", a->name, a->why);
	for (size_t i = 0; i < NFACTS; i++)
		if (i < NREQUIRED || a->have_fact[i])
			printf("  %-12s %s\n", facts[i], a->have_fact[i] ? a->fact[i] : "-");
}

int cmd_backends(struct tool *t)
{
	struct ifplex_plugin_info *list;
	struct active a;
	size_t n;
	int rc;

	if (t->argc != 0)
		return tool_usage("backends takes no arguments");
	if ((rc = ifplex_plugin_files(&list, &n)) < 0)
		return tool_fail(rc);
	for (size_t i = 0; i < n; i++)
		probe(&list[i]);
	find_active(&a, t->backend);
	if (t->json)
		print_json(list, n, &a);
	else
		print_text(list, n, &a);
	ifplex_free(list);
	return a.ok ? 0 : EXIT_OPFAIL;
}
