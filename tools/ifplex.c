/* SPDX-License-Identifier: MIT */
/* ifplex: interfaces, addresses, backends, lookups and a small netcat. */
#include "tool.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct command commands[] = {
	{"ifaces", cmd_ifaces, "", "interfaces with their state, like `ip -br link`"},
	{"addrs", cmd_addrs, "[IFNAME|INDEX]", "addresses of every interface, like `ip -br addr`"},
	{"mcast", cmd_mcast, "[IFNAME|INDEX]", "multicast groups joined, per interface"},
	{"show", cmd_show, "IFNAME|INDEX", "everything known about one interface"},
	{"backends", cmd_backends, "", "plugins found, their ABI and capabilities, the active one and why"},
	{"watch", cmd_watch, "[--for=MS]", "print each link and address change as it happens"},
	{"lookup", cmd_lookup, "host|port|addr|cname|srv|mx NAME", "ask the backend's resolver"},
	{"dial", cmd_dial, "NETWORK ADDRESS", "netcat: stdin to the connection, the connection to stdout"},
	{"listen", cmd_listen, "NETWORK ADDRESS", "accept one connection (or print datagrams)"},
	{"rib-capture", cmd_rib_capture, "FILE", "write this machine's routing sysctls as a RIB file (BSD, macOS)"},
	{"help", cmd_help, "[COMMAND]", "this list, or one command's description"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const struct isolated_step *const isolated_steps[] = {&backends_probe_step, &backends_active_step,
							NULL};

const struct command *command_at(size_t i)
{
	return i < NCOMMANDS ? &commands[i] : NULL;
}

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int tool_fail(int code)
{
	const char *msg = ifplex_last_error();

	fprintf(stderr, "ifplex: %s\n", *msg ? msg : ifplex_strerror(code));
	return EXIT_OPFAIL;
}

int tool_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("ifplex: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see ifplex --help)\n", stderr);
	return EXIT_USAGE;
}

struct options {
	int help, version;
	const char *backend;
	const char *for_text;
};

/* The longest watch Go's time.Duration can hold, in milliseconds. */
#define FOR_MAX_MS (INT64_MAX / 1000000)

/* One option at argv[*i] (which starts with '-'); a value may be the next
 * word.  0, or an exit status. */
static int parse_option(struct options *o, struct tool *t, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const char *value = NULL;
	size_t len = strcspn(a, "=");

	if (a[len] == '=')
		value = a + len + 1;
	if (strcmp(a, "--json") == 0) {
		t->json = 1;
	} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		o->help = 1;
	} else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
		o->version = 1;
	} else if (strncmp(a, "--backend", len) == 0 && len == 9) {
		if (!value && *i + 1 < argc && argv[*i + 1][0] != '-')
			value = argv[++*i];
		if (!value || !*value)
			return tool_usage("--backend needs a value: a plugin name, or auto");
		o->backend = value;
	} else if (strncmp(a, "--for", len) == 0 && len == 5) {
		if (!value && *i + 1 < argc)
			value = argv[++*i];
		if (!value)
			return tool_usage("--for needs a value: milliseconds");
		o->for_text = value;
	} else {
		return tool_usage("unknown option %s", a);
	}
	return 0;
}

/* Parse argv into t (whose argv has room for every word) and run. */
static int run(struct tool *t, int argc, char **argv)
{
	struct options o = {0};
	const char *cmd = NULL;
	int rc, only_words = 0;

	/* Options may come before or after the command; "--" ends them. */
	for (int i = 1; i < argc; i++) {
		if (!only_words && strcmp(argv[i], "--") == 0) {
			only_words = 1;
		} else if (!only_words && argv[i][0] == '-' && argv[i][1]) {
			if ((rc = parse_option(&o, t, argc, argv, &i)) != 0)
				return rc;
		} else if (!cmd) {
			cmd = argv[i];
		} else {
			t->argv[t->argc++] = argv[i];
		}
	}
	if (o.version) {
		print_version();
		return 0;
	}
	if (o.help)
		return cmd ? print_command_help(cmd) : (print_usage(stdout), 0);
	if (!cmd) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	const struct command *c = command_find(cmd);
	if (!c)
		return tool_usage("unknown command %s", cmd);
	if (o.for_text) {
		if (c->fn != cmd_watch)
			return tool_usage("--for is an option of watch, not of %s", cmd);
		if (parse_number(o.for_text, FOR_MAX_MS, &t->for_ms) < 0)
			return tool_usage("--for=%s: not a whole number of milliseconds (0 to %lld)",
					  o.for_text, (long long)FOR_MAX_MS);
	}
	/* backends loads the chosen plugin in a child of its own, and lists
	 * plugins even when that one fails. */
	if (o.backend && c->fn == cmd_backends) {
		t->backend = o.backend;
	} else if (o.backend && c->fn != cmd_help) {
		struct ifplex_options io = {.size = sizeof io, .backend = o.backend};
		if ((rc = ifplex_init(&io)) < 0)
			return tool_fail(rc);
	}
	return c->fn(t);
}

int main(int argc, char **argv)
{
	struct tool t = {.for_ms = -1};
	int rc;

#ifdef _WIN32
	/* A child started to run one step away from the command (isolate_win32.c). */
	if ((rc = isolated_child(argc, argv)) >= 0)
		return rc;
#endif
	t.argv = calloc((size_t)argc + 1, sizeof *t.argv);
	if (!t.argv) {
		fprintf(stderr, "ifplex: out of memory\n");
		return EXIT_OPFAIL;
	}
	rc = run(&t, argc, argv);
	free(t.argv);
	return rc;
}
