/* SPDX-License-Identifier: MIT */
/* The fixtures ribgen.py writes into the build tree, for the routesock
 * replay tests: their directory, the index of the layouts, whole files. */
#ifndef IFPLEX_TEST_RS_FIXTURES_H
#define IFPLEX_TEST_RS_FIXTURES_H

#include "../helpers.h"

#include "flag_text.h"

#include <ifplex.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RS_MAX_LAYOUTS 64

struct rs_fixture {
	char base[64];  /* "freebsd-amd64" */
	char os[16];
};

static char rs_dir[1024];
static struct rs_fixture rs_layouts[RS_MAX_LAYOUTS];
static int rs_nlayouts;

/* The fixtures' directory and index; 0, or 77 (skip) without them. */
static inline int rs_fixtures_load(void)
{
	const char *build = getenv("IFPLEX_TEST_BUILDDIR");
	char path[1200], line[256];

	if (!build) {
		printf("IFPLEX_TEST_BUILDDIR is not set: run the tests with make check\n");
		exit(1);
	}
	snprintf(rs_dir, sizeof rs_dir, "%s/tests/routesock/fixtures", build);
	snprintf(path, sizeof path, "%s/index", rs_dir);
	FILE *f = fopen(path, "r");
	while (f && rs_nlayouts < RS_MAX_LAYOUTS && fgets(line, sizeof line, f)) {
		struct rs_fixture *fx = &rs_layouts[rs_nlayouts];
		if (sscanf(line, "%63s %15s", fx->base, fx->os) == 2)
			rs_nlayouts++;
	}
	if (f)
		fclose(f);
	if (rs_nlayouts == 0) {
		printf("SKIP: no fixtures in %s (ribgen.py needs python3)\n", rs_dir);
		return 77;
	}
	return 0;
}

/* The whole of dir/name, NUL-terminated (free it); *len its size. */
static inline char *rs_slurp(const char *name, size_t *len)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", rs_dir, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	b[n] = '\0';
	if (len)
		*len = (size_t)n;
	return b;
}

/* Text that grows line by line. */
struct rs_text {
	char *s;
	size_t len;
};

static inline void rs_text_add(struct rs_text *t, const char *line)
{
	size_t n = strlen(line);
	t->s = realloc(t->s, t->len + n + 2);
	memcpy(t->s + t->len, line, n);
	t->len += n;
	t->s[t->len++] = '\n';
	t->s[t->len] = '\0';
}

#endif
