/* ifplex_plugins: what the search path holds, for `ifplex backends`. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct listing {
	struct ifplex_plugin_info *v;
	size_t n, cap;
	int rc;
};

static int seen(const struct listing *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return 1;
	return 0;
}

static int add_file(const char *file, void *arg)
{
	struct listing *l = arg;
	const char *suffix = ifplex__plugin_suffix();
	size_t n = strlen(file), sl = strlen(suffix);
	char name[64];

	if (n <= 7 + sl || strncmp(file, "ifplex-", 7) != 0 || strcmp(file + n - sl, suffix) != 0)
		return 0;
	if (n - 7 - sl >= sizeof name)
		return 0;
	memcpy(name, file + 7, n - 7 - sl);
	name[n - 7 - sl] = '\0';
	if (!ifplex__valid_plugin_name(name) || seen(l, name))
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
	return 0;
}

static int scan_dir(const char *dir, void *arg)
{
	ifplex__list_dir(dir, add_file, arg);
	return ((struct listing *)arg)->rc ? 1 : 0;
}

int ifplex_plugins(struct ifplex_plugin_info **list, size_t *count)
{
	struct listing l = {0};
	const char *path = ifplex__search_path();

	if (!list || !count)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_plugins", "NULL argument");
	ifplex__search_dirs(path, scan_dir, &l);
	if (l.rc < 0) {
		ifplex__free(l.v);
		return ifplex__set_errorf(l.rc, "listing plugins: out of memory");
	}
	for (size_t i = 0; i < l.n; i++) {
		struct ifplex_plugin_info *pi = &l.v[i];
		const struct ifplex__plugin *p = ifplex__plugin_load(pi->name, path);
		snprintf(pi->path, sizeof pi->path, "%s", p->path);
		pi->status = p->status;
		snprintf(pi->message, sizeof pi->message, "%s", p->message);
		if (p->be) {
			pi->abi = p->be->abi;
			pi->size = p->be->size;
			pi->caps = p->be->caps;
		}
	}
	*list = l.v;
	*count = l.n;
	return 0;
}
