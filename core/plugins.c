/* SPDX-License-Identifier: MIT */
/* ifplex_plugins: what the search path holds, for `ifplex backends`. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct listing {
	struct ifplex_plugin_info *v;
	size_t n, cap;
	const char *dir;
	int rc;
};

static int seen(const struct listing *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return 1;
	return 0;
}

/* NAME of "ifplex-NAME.so" into name; 0 when file is no plugin's name. */
static int plugin_name_of(const char *file, char *name, size_t len)
{
	const char *suffix = ifplex__plugin_suffix();
	size_t n = strlen(file), sl = strlen(suffix);

	if (n <= 7 + sl || strncmp(file, "ifplex-", 7) != 0 || strcmp(file + n - sl, suffix) != 0)
		return 0;
	if (n - 7 - sl >= len)
		return 0;
	memcpy(name, file + 7, n - 7 - sl);
	name[n - 7 - sl] = '\0';
	return ifplex__valid_plugin_name(name);
}

static int add_file(const char *file, void *arg)
{
	struct listing *l = arg;
	char name[64];

	if (!plugin_name_of(file, name, sizeof name) || seen(l, name))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		void *v = ifplex__realloc(l->v, cap * sizeof *l->v);
		if (!v) {
			l->rc = IFPLEX_ENOMEM;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	struct ifplex_plugin_info *pi = &l->v[l->n++];
	memset(pi, 0, sizeof *pi);
	snprintf(pi->name, sizeof pi->name, "%s", name);
	ifplex__plugin_file_name(l->dir, name, pi->path, sizeof pi->path);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct ifplex_plugin_info *)a)->name,
		      ((const struct ifplex_plugin_info *)b)->name);
}

static int scan_dir(const char *dir, const char *refused, void *arg)
{
	struct listing *l = arg;
	size_t first = l->n;

	if (refused)
		return 0;
	l->dir = dir;
	ifplex__list_dir(dir, add_file, arg);
	/* Search order across directories, names in order within one. */
	if (l->n > first)
		qsort(l->v + first, l->n - first, sizeof *l->v, by_name);
	return l->rc ? 1 : 0;
}

int ifplex_plugin_files(struct ifplex_plugin_info **list, size_t *count)
{
	struct listing l = {0};

	if (!list || !count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "listing plugins: NULL argument");
	*list = NULL;
	*count = 0;
	ifplex__search_dirs(ifplex__search_path(), scan_dir, &l);
	if (l.rc < 0) {
		ifplex__free(l.v);
		return ifplex__set_errorf(l.rc, "listing plugins: out of memory");
	}
	*list = l.v;
	*count = l.n;
	return 0;
}

int ifplex_plugin_probe(struct ifplex_plugin_info *pi)
{
	struct ifplex__plugin p;
	char name[64];
	const char *base;

	if (!pi)
		return ifplex__set_errorf(IFPLEX_EINVAL, "probe plugin: NULL argument");
	if (!memchr(pi->name, '\0', sizeof pi->name) || !memchr(pi->path, '\0', sizeof pi->path))
		return ifplex__set_errorf(IFPLEX_EINVAL, "probe plugin: name or path not terminated");
	base = strrchr(pi->path, '/');
#ifdef _WIN32
	/* Windows paths separate with either slash. */
	if (strrchr(pi->path, '\\') > base)
		base = strrchr(pi->path, '\\');
#endif
	base = base ? base + 1 : pi->path;
	if (!plugin_name_of(base, name, sizeof name) || strcmp(name, pi->name) != 0)
		return ifplex__set_errorf(IFPLEX_EINVAL,
					  "probe plugin: %s is not the file of a plugin named \"%s\"",
					  pi->path, pi->name);
	ifplex__plugin_load_file(pi->name, pi->path, &p);
	pi->status = p.status;
	snprintf(pi->message, sizeof pi->message, "%s", p.message);
	pi->abi = p.plugin_abi;
	pi->size = p.plugin_size;
	pi->caps = p.be ? p.be->caps : 0;
	return 0;
}

int ifplex_plugins(struct ifplex_plugin_info **list, size_t *count)
{
	int rc = ifplex_plugin_files(list, count);

	for (size_t i = 0; rc == 0 && i < *count; i++)
		ifplex_plugin_probe(&(*list)[i]);
	return rc;
}
