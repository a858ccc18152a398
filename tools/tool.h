/* The ifplex command: shared declarations of its subcommands. */
#ifndef IFPLEX_TOOL_H
#define IFPLEX_TOOL_H

#include <ifplex.h>
#include <stdio.h>

struct tool {
	int json;
	int argc;
	char **argv;   /* the subcommand's own arguments */
	const char *backend; /* --backend, for commands that choose it themselves */
};

/* Exit statuses: 0 fine, 1 an operation failed, 2 bad usage. */
enum { EXIT_OPFAIL = 1, EXIT_USAGE = 2 };

/* Print "ifplex: <last error>" to stderr and return EXIT_OPFAIL. */
int tool_fail(int code);
int tool_usage(const char *fmt, ...);

/* Run fn(arg, out) in a child process and copy len bytes of out back: 0,
 * or -1 with why ("crashed with signal 11 ...") when the child died, hung
 * past timeout_ms or wrote nothing (isolate.c). */
int run_isolated(void (*fn)(void *arg, void *out), void *arg, void *out, size_t len,
		 int timeout_ms, char *why, size_t whylen);

/* JSON output helpers. */
void json_string(FILE *f, const char *s);
void json_flags(FILE *f, unsigned flags);
void text_flags(char *buf, size_t len, unsigned flags);

int cmd_ifaces(struct tool *t);
int cmd_addrs(struct tool *t);
int cmd_mcast(struct tool *t);
int cmd_show(struct tool *t);
int cmd_backends(struct tool *t);
int cmd_watch(struct tool *t);
int cmd_lookup(struct tool *t);
int cmd_dial(struct tool *t);
int cmd_listen(struct tool *t);

#endif
