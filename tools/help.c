/* SPDX-License-Identifier: MIT */
/* --help, help COMMAND and --version. */
#include "tool.h"

#include <string.h>

/* What help COMMAND adds below the command's usage line. */
static const struct {
	const char *name;
	const char *text;
} details[] = {
	{"ifaces",
	 "One line per interface: name, state, index, MTU, hardware address (- when\n"
	 "none) and flags as Go prints them (up|broadcast|multicast|running).  The\n"
	 "state is UP when the interface is up and running, DOWN when it is not up,\n"
	 "UNKNOWN when it is up but not running (no carrier, or a backend that\n"
	 "cannot tell).  --json: [{\"index\",\"name\",\"mtu\",\"hwaddr\",\"flags\"}, ...].\n"},
	{"addrs",
	 "One line per interface, also those without addresses: name, state, then\n"
	 "each address in CIDR form (%zone on scoped IPv6).  With IFNAME or INDEX,\n"
	 "that interface only.  --json: one object per address,\n"
	 "[{\"index\",\"ifname\",\"addr\"}, ...].\n"},
	{"mcast",
	 "The multicast groups each interface (or the one named) has joined, in\n"
	 "the layout of addrs; --json as addrs.\n"},
	{"show",
	 "One interface by name or index: index, state, flags, MTU, hardware\n"
	 "address, every address and every multicast group.  --json: an object\n"
	 "with ifaces' fields plus \"state\", \"addrs\" and \"mcast\" (null when the\n"
	 "backend cannot list groups).\n"},
	{"rib-capture",
	 "Writes this machine's routing sysctls (NET_RT_IFLIST, NET_RT_IFLIST2 on\n"
	 "macOS, NET_RT_IFMALIST) to FILE as a RIB file, for replay anywhere with\n"
	 "IFPLEX_ROUTESOCK_RIB=FILE (bug reports, fixtures).  BSD and macOS only;\n"
	 "elsewhere it says so and exits 1.\n"},
	{"backends",
	 "Every plugin on the search path (IFPLEX_PLUGIN_PATH, then the installed\n"
	 "directory) with its ABI and capabilities or the reason it cannot load,\n"
	 "then the active backend, why it was chosen, and its cache mode.  Exit 1\n"
	 "when no backend loads.\n"},
	{"watch",
	 "Prints each change of an interface (newlink, link, dellink) or address\n"
	 "(newaddr, deladdr) until interrupted, or for MS milliseconds with\n"
	 "--for=MS.  It compares listings when the backend's generation counter\n"
	 "grows (checked every 10 ms), or every 250 ms without a cache, so changes\n"
	 "closer together than that are reported as their net effect.  --json: one\n"
	 "object per line with \"event\" and the fields of ifaces or addrs.\n"},
	{"lookup",
	 "host NAME: its addresses.  port [NETWORK] SERVICE: the port number (tcp\n"
	 "when no network is given).  addr ADDRESS: its names.  cname NAME: the\n"
	 "canonical name.  srv NAME: priority, weight, port and target of each\n"
	 "record.  mx NAME: preference and host of each record.  --json: an array\n"
	 "of strings (port prints a number).\n"},
	{"dial",
	 "Connects to ADDRESS on NETWORK (tcp, tcp4, tcp6, udp*, ip4:PROTO,\n"
	 "ip6:PROTO, unix, unixgram, unixpacket), copies standard input to the\n"
	 "connection and the connection to standard output, and half-closes the\n"
	 "connection at the end of input.\n"},
	{"listen",
	 "Listens on ADDRESS, says where on standard error, accepts one\n"
	 "connection and copies as dial does; on udp, ip and unixgram it prints\n"
	 "every datagram that arrives.\n"},
	{"help", "Without COMMAND, the list of commands and options.\n"},
};

void print_usage(FILE *f)
{
	const struct command *c;

	fprintf(f, "usage: ifplex [--backend NAME] [--json] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; (c = command_at(i)); i++) {
		char head[64];
		snprintf(head, sizeof head, "%s %s", c->name, c->args);
		fprintf(f, "  %-41s %s\n", head, c->summary ? c->summary : "");
	}
	fprintf(f, "\noptions (before or after the command):\n"
		   "  --backend NAME   use this plugin (or auto) instead of IFPLEX_BACKEND\n"
		   "  --json           print JSON instead of text\n"
		   "  --help, -h       this text; with a command, that command's\n"
		   "  --version, -V    the tool's and the library's version\n"
		   "\nenvironment: IFPLEX_BACKEND, IFPLEX_PLUGIN_PATH, IFPLEX_CACHE, IFPLEX_ROUTESOCK_RIB, IFPLEX_DEBUG\n"
		   "exit status: 0 done, 1 an operation failed, 2 bad usage; see ifplex(1)\n");
}

int print_command_help(const char *name)
{
	const struct command *c = command_find(name);

	if (!c)
		return tool_usage("unknown command %s", name);
	printf("usage: ifplex [--backend NAME] [--json] %s%s%s\n\n%s.\n", c->name, *c->args ? " " : "",
	       c->args, c->summary ? c->summary : "");
	for (size_t i = 0; i < sizeof details / sizeof details[0]; i++)
		if (strcmp(details[i].name, name) == 0)
			printf("\n%s", details[i].text);
	return 0;
}

int cmd_help(struct tool *t)
{
	if (t->argc > 1)
		return tool_usage("help takes at most one command");
	if (t->argc == 1)
		return print_command_help(t->argv[0]);
	print_usage(stdout);
	return 0;
}

void print_version(void)
{
	printf("ifplex %s (library %s, plugin ABI %u)\n", IFPLEX_VERSION_STRING, ifplex_version_string(),
	       (unsigned)ifplex_backend_abi());
}
