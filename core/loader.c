/* Finding and loading backend plugins: search order, ABI checks, and one
 * message per failure that names the file. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IFPLEX_PLUGINDIR
#  error "IFPLEX_PLUGINDIR must be defined by the build"
#endif

/* Every load attempt is remembered, so that each plugin is opened once and
 * a failure keeps its message.  Records are never freed (plugins are never
 * unloaded), so pointers to them stay valid. */
struct record {
	struct ifplex__plugin pub;
	struct ifplex_backend be;   /* the plugin's slots, the rest NULL */
	char name[64];
	struct record *next;
};
static struct record *records;

int ifplex__valid_plugin_name(const char *name)
{
	size_t n = 0;

	for (const char *p = name; *p; p++, n++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return 0;
	}
	return n > 0 && n < 48;
}

int ifplex__search_dirs(const char *search_path, int (*fn)(const char *dir, void *arg), void *arg)
{
	char sep = ifplex__path_list_sep();
	int rc;

	if (search_path) {
		const char *p = search_path;
		while (*p) {
			const char *end = strchr(p, sep);
			size_t n = end ? (size_t)(end - p) : strlen(p);
			if (n > 0 && n < 1024) {
				char dir[1024];
				memcpy(dir, p, n);
				dir[n] = '\0';
				if ((rc = fn(dir, arg)) != 0)
					return rc;
			}
			p += n;
			if (*p == sep)
				p++;
		}
	}
	return fn(IFPLEX_PLUGINDIR, arg);
}

struct find {
	const char *name;
	char path[1024];
	char tried[4096];
	size_t tried_len;
};

static int try_dir(const char *dir, void *arg)
{
	struct find *f = arg;
	char path[1024];

	int n = snprintf(path, sizeof path, "%s/ifplex-%s%s", dir, f->name, ifplex__plugin_suffix());
	if (n < 0 || (size_t)n >= sizeof path)
		return 0;
	if (ifplex__file_exists(path)) {
		memcpy(f->path, path, (size_t)n + 1);
		return 1;
	}
	int w = snprintf(f->tried + f->tried_len, sizeof f->tried - f->tried_len, "%s%s",
			 f->tried_len ? ", " : "", path);
	if (w > 0 && f->tried_len + (size_t)w < sizeof f->tried)
		f->tried_len += (size_t)w;
	return 0;
}

static void fail(struct record *r, int status, const char *fmt, ...) IFPLEX__PRINTF(3, 4);
static void fail(struct record *r, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->pub.message, sizeof r->pub.message, fmt, ap);
	va_end(ap);
	r->pub.status = status;
	r->pub.be = NULL;
}

/* Open one file and check it is a plugin this core can use. */
static void load_file(struct record *r)
{
	char err[512];
	const char *path = r->pub.path;

	void *h = ifplex__dl_open(path, err, sizeof err);
	if (!h) {
		fail(r, IFPLEX_EBADPLUGIN, "cannot load plugin %s: %s", path, err);
		return;
	}
	ifplex_backend_entry_fn entry;
	void *sym = ifplex__dl_sym(h, IFPLEX_BACKEND_ENTRY, err, sizeof err);
	if (!sym) {
		fail(r, IFPLEX_EBADPLUGIN, "not an ifplex plugin: %s: no symbol %s (%s)", path,
		     IFPLEX_BACKEND_ENTRY, err);
		return;
	}
	memcpy(&entry, &sym, sizeof entry);
	const struct ifplex_backend *be = entry();
	if (!be) {
		fail(r, IFPLEX_EBADPLUGIN, "not an ifplex plugin: %s: %s returned NULL", path,
		     IFPLEX_BACKEND_ENTRY);
		return;
	}
	if (be->abi != IFPLEX_BACKEND_ABI) {
		fail(r, IFPLEX_EBADPLUGIN,
		     "ABI mismatch loading module %s: plugin ABI %u, core ABI %u", path,
		     (unsigned)be->abi, (unsigned)IFPLEX_BACKEND_ABI);
		return;
	}
	if (be->size < IFPLEX_BACKEND_SIZE_MIN) {
		fail(r, IFPLEX_EBADPLUGIN,
		     "plugin struct too small in %s: %u bytes, ABI %u needs at least %u", path,
		     (unsigned)be->size, (unsigned)IFPLEX_BACKEND_ABI,
		     (unsigned)IFPLEX_BACKEND_SIZE_MIN);
		return;
	}
	if (!be->name || strcmp(be->name, r->name) != 0) {
		fail(r, IFPLEX_EBADPLUGIN, "plugin %s calls itself \"%s\", expected \"%s\"", path,
		     be->name ? be->name : "(null)", r->name);
		return;
	}
	/* Slots appended after the plugin was built stay NULL. */
	size_t have = be->size < sizeof r->be ? be->size : sizeof r->be;
	memset(&r->be, 0, sizeof r->be);
	memcpy(&r->be, be, have);
	r->pub.plugin_size = be->size;
	r->pub.be = &r->be;
	r->pub.status = 0;
	r->pub.message[0] = '\0';
}

const struct ifplex__plugin *ifplex__plugin_load(const char *name, const char *search_path)
{
	struct record *r;

	ifplex__lock(IFPLEX__LOCK_LOADER);
	for (r = records; r; r = r->next)
		if (strcmp(r->name, name) == 0)
			goto out;
	r = calloc(1, sizeof *r);
	if (!r) {
		static const struct ifplex__plugin oom = {.status = IFPLEX_ENOMEM,
							  .message = "out of memory"};
		ifplex__unlock(IFPLEX__LOCK_LOADER);
		return &oom;
	}
	snprintf(r->name, sizeof r->name, "%s", name);
	if (!ifplex__valid_plugin_name(name)) {
		fail(r, IFPLEX_ENOBACKEND, "invalid backend name \"%s\"", name);
	} else {
		struct find *f = calloc(1, sizeof *f);
		if (!f) {
			fail(r, IFPLEX_ENOMEM, "out of memory");
		} else {
			f->name = name;
			if (ifplex__search_dirs(search_path, try_dir, f) == 1) {
				snprintf(r->pub.path, sizeof r->pub.path, "%s", f->path);
				load_file(r);
			} else {
				fail(r, IFPLEX_ENOBACKEND, "backend %s not found (tried %s)", name,
				     f->tried);
			}
			free(f);
		}
	}
	r->next = records;
	records = r;
out:
	ifplex__unlock(IFPLEX__LOCK_LOADER);
	return &r->pub;
}
