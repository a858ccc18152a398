/* SPDX-License-Identifier: MIT */
/* libFuzzer target for what the loader reads from outside: the search path
 * (IFPLEX_PLUGIN_PATH or ifplex_init's), backend names, a caller's sized
 * options, and paths walked by the trust rules (read-only lstat/readlink
 * on this machine's files). */
#include "../../core/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	size_t calls, seps;
	int last_installed;
};

static int each_dir(const char *dir, const char *refused, void *arg)
{
	struct seen *s = arg;
	size_t n = strlen(dir);

	s->calls++;
	s->last_installed = strcmp(dir, IFPLEX_PLUGINDIR) == 0;
	if (n == 0 || n >= 1024 || strchr(dir, ':'))
		__builtin_trap();
	/* Usable only when absolute (and short enough to hold a file name). */
	if (!refused && dir[0] != '/')
		__builtin_trap();
	if (dir[0] == '/' && n < 1023 && refused)
		__builtin_trap();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), why[512];
	struct seen seen = {0};

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (const char *p = s; *p; p++)
		seen.seps += *p == ':';
	ifplex__search_dirs(s, each_dir, &seen);
	if (!seen.last_installed || seen.calls > seen.seps + 2)
		__builtin_trap();
	if (ifplex__valid_plugin_name(s) && (strchr(s, '/') || strchr(s, '.') || strlen(s) >= 48))
		__builtin_trap();
	/* The input as an options struct of its own size. */
	struct { size_t size; unsigned char rest[64]; } o = {.size = size};
	memcpy(o.rest, data, size < sizeof o.rest ? size : sizeof o.rest);
	int rc = ifplex__opts_valid(&o, size + sizeof o.size < sizeof o ? size + sizeof o.size : sizeof o,
				    sizeof o.size + 8, "fuzz");
	if (rc != 0 && rc != IFPLEX_EINVAL)
		__builtin_trap();
	rc = ifplex__path_trusted(s, why, sizeof why);
	if (rc == 0 && s[0] != '/')
		__builtin_trap();
	if (rc < 0 && !why[0])
		__builtin_trap();
	free(s);
	return 0;
}
