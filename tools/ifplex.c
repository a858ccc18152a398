/* ifplex: interfaces, addresses, backends, lookups and a small netcat. */
#include "tool.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(struct tool *);
	const char *args;
} commands[] = {
	{"ifaces", cmd_ifaces, ""},
	{"addrs", cmd_addrs, "[IFNAME|INDEX]"},
	{"mcast", cmd_mcast, "IFNAME|INDEX"},
	{"show", cmd_show, "IFNAME|INDEX"},
	{"backends", cmd_backends, ""},
	{"watch", cmd_watch, "[--for=MILLISECONDS]"},
	{"lookup", cmd_lookup, "host|port|addr|cname|srv|mx NAME"},
	{"dial", cmd_dial, "NETWORK ADDRESS"},
	{"listen", cmd_listen, "NETWORK ADDRESS"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ifplex [--backend NAME] [--json] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].args);
	fprintf(f, "\nenvironment: IFPLEX_BACKEND, IFPLEX_PLUGIN_PATH, IFPLEX_CACHE, IFPLEX_DEBUG\n");
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

int main(int argc, char **argv)
{
	struct tool t = {0};
	const char *backend = NULL;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			t.json = 1;
		} else if (strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
			backend = argv[++i];
		} else if (strncmp(argv[i], "--backend=", 10) == 0) {
			backend = argv[i] + 10;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			return tool_usage("unknown option %s", argv[i]);
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[i++];
	t.argc = argc - i;
	t.argv = argv + i;
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(cmd, commands[k].name) != 0)
			continue;
		/* backends loads the chosen plugin in a child of its own. */
		if (backend && commands[k].fn == cmd_backends) {
			t.backend = backend;
		} else if (backend) {
			struct ifplex_options o = {.size = sizeof o, .backend = backend};
			int rc = ifplex_init(&o);
			if (rc < 0)
				return tool_fail(rc);
		}
		return commands[k].fn(&t);
	}
	return tool_usage("unknown command %s", cmd);
}
