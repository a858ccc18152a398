/* SPDX-License-Identifier: MIT */
/* The ifplex command: shared declarations of its subcommands. */
#ifndef IFPLEX_TOOL_H
#define IFPLEX_TOOL_H

#include <ifplex.h>
#include <stdint.h>
#include <stdio.h>

struct tool {
	int json;
	int argc;
	char **argv;      /* the subcommand's own arguments, options removed */
	int64_t for_ms;   /* watch --for=MS; -1 when not given */
	const char *backend; /* --backend, for commands that choose it themselves */
};

/* Exit statuses: 0 fine, 1 an operation failed, 2 bad usage. */
enum { EXIT_OPFAIL = 1, EXIT_USAGE = 2 };

/* Print "ifplex: <last error>" to stderr and return EXIT_OPFAIL. */
int tool_fail(int code);
int tool_usage(const char *fmt, ...);

/* A command of the table in ifplex.c. */
struct command {
	const char *name;
	int (*fn)(struct tool *);
	const char *args;
	const char *summary;   /* one line, as --help and README show it */
};
const struct command *command_find(const char *name);
const struct command *command_at(size_t i);   /* NULL past the last */

/* help.c: --help, help COMMAND, --version. */
void print_usage(FILE *f);
int print_command_help(const char *name);
void print_version(void);

/* A decimal number of 0 to max with nothing else: no sign, no blanks, no
 * exponent.  0, or -1 when s is not one. */
int parse_number(const char *s, int64_t max, int64_t *out);

/* A step that runs plugin code, its input and output plain bytes, so that
 * it can run in a child process: a fork on POSIX (isolate.c); on Windows
 * the command started again with a hidden argument naming the step
 * (isolate_win32.c). */
struct isolated_step {
	const char *name;
	void (*fn)(const void *in, size_t inlen, void *out);
};
/* Run step->fn(in, inlen, out) in a child process and copy len bytes of
 * out back: 0, or -1 with why ("crashed with signal 11 ...") when the
 * child died, hung past timeout_ms or wrote nothing. */
int run_isolated(const struct isolated_step *step, const void *in, size_t inlen, void *out,
		 size_t len, int timeout_ms, char *why, size_t whylen);
/* Every step a child may be asked to run, NULL-terminated (ifplex.c). */
extern const struct isolated_step *const isolated_steps[];
#ifdef _WIN32
/* The child's side: when argv carries the hidden argument, run the step
 * it names and return the exit status; otherwise -1. */
int isolated_child(int argc, char **argv);
#endif

/* Output helpers: JSON strings, Go's flag names, the state column. */
void json_string(FILE *f, const char *s);
void json_flags(FILE *f, unsigned flags);
void text_flags(char *buf, size_t len, unsigned flags);
const char *iface_state(unsigned flags);

/* Interfaces by index in O(1): for pairing addresses with their interface
 * without a scan per address. */
struct iface_map {
	const struct ifplex_iface *ifs;
	size_t *slot;      /* position + 1 of the interface, 0 when empty */
	size_t mask;       /* slots - 1, a power of two minus one */
};
int iface_map_init(struct iface_map *m, const struct ifplex_iface *ifs, size_t n);
const struct ifplex_iface *iface_map_find(const struct iface_map *m, int index);
void iface_map_free(struct iface_map *m);

/* The positions of addrs grouped by interface, each group in the list's
 * order: group k (the interface ifs[k]) is order[start[k]] up to
 * order[start[k + 1]]; addresses of no listed interface are left out. */
struct addr_groups {
	size_t *order;
	size_t *start;     /* n + 1 entries */
};
int addr_groups_init(struct addr_groups *g, const struct iface_map *m, size_t nifs,
		     const struct ifplex_addr *addrs, size_t naddrs);
void addr_groups_free(struct addr_groups *g);

int cmd_ifaces(struct tool *t);
int cmd_addrs(struct tool *t);
int cmd_mcast(struct tool *t);
int cmd_show(struct tool *t);
int cmd_backends(struct tool *t);
extern const struct isolated_step backends_probe_step, backends_active_step;
int cmd_watch(struct tool *t);
int cmd_lookup(struct tool *t);
int cmd_dial(struct tool *t);
int cmd_listen(struct tool *t);
int cmd_rib_capture(struct tool *t);
int cmd_help(struct tool *t);

/* cmd_ifaces.c: NAME or INDEX into ifi. */
int find_iface(const char *arg, struct ifplex_iface *ifi);

#endif
