/* SPDX-License-Identifier: MIT */
/* Which backend `auto` picks on each operating system.  Data, not code, so
 * that the core names no backend anywhere else and a new port is one row. */
#include "internal.h"

#include <string.h>

static const struct {
	const char *os;      /* as ifplex__os_name() spells it */
	const char *backend;
} auto_table[] = {
	{"linux", "netlink"},
	{"freebsd", "routesock"},
	{"darwin", "routesock"},
	{"netbsd", "routesock"},
	{"openbsd", "routesock"},
	{"dragonfly", "routesock"},
	{"windows", "win32"},
	{"plan9", "plan9"},
};

const char *ifplex_backend_auto(const char *os)
{
	if (!os)
		os = ifplex__os_name();
	for (size_t i = 0; i < sizeof auto_table / sizeof auto_table[0]; i++)
		if (strcmp(auto_table[i].os, os) == 0)
			return auto_table[i].backend;
	return NULL;
}
