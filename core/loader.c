/* SPDX-License-Identifier: MIT */
/* Finding and loading backend plugins: search order, trust and ABI checks,
 * and one message per failure that names the file. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IFPLEX_PLUGINDIR
#  error "IFPLEX_PLUGINDIR must be defined by the build"
#endif

/* Every file the loader opened, with the outcome, keyed by (name, path):
 * each file is opened once and a failure keeps its message, while another
 * search path (ifplex_init after a failure) finds and tries other files.
 * Transient failures (out of memory, out of descriptors) are not recorded,
 * so the next call tries again.  Records are never freed (plugins are never
 * unloaded), so the backend struct copies in them stay valid. */
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

int ifplex__search_dirs(const char *search_path,
			int (*fn)(const char *dir, const char *refused, void *arg), void *arg)
{
	char sep = ifplex__path_list_sep();
	int rc;

	for (const char *p = search_path ? search_path : ""; *p;) {
		const char *end = strchr(p, sep);
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char dir[1024];
		if (n > 0) {
			snprintf(dir, sizeof dir, "%.*s", (int)n, p);
			/* A relative entry would load whatever the current
			 * directory holds, as an empty LD_LIBRARY_PATH entry does. */
			const char *refused = n >= sizeof dir	     ? "too long"
					      : !ifplex__path_is_absolute(dir) ? "relative"
									     : NULL;
			if ((rc = fn(dir, refused, arg)) != 0)
				return rc;
		}
		p += n;
		if (*p == sep)
			p++;
	}
	return fn(IFPLEX_PLUGINDIR, NULL, arg);
}

int ifplex__plugin_file_name(const char *dir, const char *name, char *path, size_t len)
{
	int n = snprintf(path, len, "%s/ifplex-%s%s", dir, name, ifplex__plugin_suffix());

	return n < 0 || (size_t)n >= len ? IFPLEX_EINVAL : 0;
}

struct find {
	const char *name;
	char path[1024];
	char tried[4096];
	size_t tried_len;
	int rc;            /* a transient error while looking */
};

static void note_tried(struct find *f, const char *what)
{
	int w = snprintf(f->tried + f->tried_len, sizeof f->tried - f->tried_len, "%s%s",
			 f->tried_len ? ", " : "", what);
	if (w > 0 && f->tried_len + (size_t)w < sizeof f->tried)
		f->tried_len += (size_t)w;
}

static int try_dir(const char *dir, const char *refused, void *arg)
{
	struct find *f = arg;
	char path[1024], note[1200];

	if (refused) {
		snprintf(note, sizeof note, "%s directory \"%s\" refused", refused, dir);
		note_tried(f, note);
		return 0;
	}
	if (ifplex__plugin_file_name(dir, f->name, path, sizeof path) < 0)
		return 0;
	int rc = ifplex__path_exists(path);
	if (rc > 0) {
		memcpy(f->path, path, strlen(path) + 1);
		return 1;
	}
	if (rc < 0 && ifplex__transient(rc)) {
		f->rc = rc;
		return 1;
	}
	if (rc < 0)
		snprintf(note, sizeof note, "%s (%s)", path, ifplex_strerror(rc));
	else
		snprintf(note, sizeof note, "%s", path);
	note_tried(f, note);
	return 0;
}

static void fail(struct ifplex__plugin *p, int status, const char *fmt, ...) IFPLEX__PRINTF(3, 4);
static void fail(struct ifplex__plugin *p, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->message, sizeof p->message, fmt, ap);
	va_end(ap);
	p->status = status;
	p->be = NULL;
}

/* Check, open and verify one file into r; transient failures are returned
 * as such, and the caller does not keep r. */
static void load_file(struct record *r)
{
	char err[1024];
	const char *path = r->pub.path;
	int rc;

	if ((rc = ifplex__path_trusted(path, err, sizeof err)) < 0) {
		fail(&r->pub, rc == IFPLEX_EBADPLUGIN || !ifplex__transient(rc) ? IFPLEX_EBADPLUGIN : rc,
		     "refusing plugin %s: %s", path, err);
		return;
	}
	void *h = ifplex__dl_open(path, err, sizeof err, &rc);
	if (!h) {
		fail(&r->pub, ifplex__transient(rc) ? rc : IFPLEX_EBADPLUGIN, "cannot load plugin %s: %s",
		     path, err);
		return;
	}
	ifplex_backend_entry_fn entry;
	void *sym = ifplex__dl_sym(h, IFPLEX_BACKEND_ENTRY, err, sizeof err);
	if (!sym) {
		fail(&r->pub, IFPLEX_EBADPLUGIN, "not an ifplex plugin: %s: no symbol %s (%s)", path,
		     IFPLEX_BACKEND_ENTRY, err);
		return;
	}
	memcpy(&entry, &sym, sizeof entry);
	const struct ifplex_backend *be = entry();
	if (!be) {
		fail(&r->pub, IFPLEX_EBADPLUGIN, "not an ifplex plugin: %s: %s returned NULL", path,
		     IFPLEX_BACKEND_ENTRY);
		return;
	}
	r->pub.plugin_abi = be->abi;
	r->pub.plugin_size = be->size;
	if (be->abi != IFPLEX_BACKEND_ABI) {
		fail(&r->pub, IFPLEX_EBADPLUGIN,
		     "ABI mismatch loading module %s: plugin ABI %u, core ABI %u", path,
		     (unsigned)be->abi, (unsigned)IFPLEX_BACKEND_ABI);
		return;
	}
	if (be->size < IFPLEX_BACKEND_SIZE_MIN) {
		fail(&r->pub, IFPLEX_EBADPLUGIN,
		     "plugin struct too small in %s: %u bytes, ABI %u needs at least %u", path,
		     (unsigned)be->size, (unsigned)IFPLEX_BACKEND_ABI,
		     (unsigned)IFPLEX_BACKEND_SIZE_MIN);
		return;
	}
	if (!be->name || strcmp(be->name, r->name) != 0) {
		fail(&r->pub, IFPLEX_EBADPLUGIN, "plugin %s calls itself \"%s\", expected \"%s\"", path,
		     be->name ? be->name : "(null)", r->name);
		return;
	}
	/* Slots appended after the plugin was built stay NULL; slots of a
	 * newer plugin that this core does not know are not copied. */
	size_t have = be->size < sizeof r->be ? be->size : sizeof r->be;
	memset(&r->be, 0, sizeof r->be);
	memcpy(&r->be, be, have);
	/* A capability whose slots the plugin's struct does not reach is not
	 * there, whatever the bits say. */
	if (!r->be.poll)
		r->be.caps &= ~(uint64_t)IFPLEX_CAP_POLL;
	if (!r->be.read_lent || !r->be.release_lent)
		r->be.caps &= ~(uint64_t)IFPLEX_CAP_LENT;
	r->pub.be = &r->be;
	r->pub.status = 0;
	r->pub.message[0] = '\0';
}

/* Called with the loader lock held. */
static void load_locked(const char *name, const char *path, struct ifplex__plugin *out)
{
	struct record *r;

	for (r = records; r; r = r->next)
		if (strcmp(r->name, name) == 0 && strcmp(r->pub.path, path) == 0) {
			*out = r->pub;
			return;
		}
	r = calloc(1, sizeof *r);
	if (!r) {
		memset(out, 0, sizeof *out);
		snprintf(out->path, sizeof out->path, "%s", path);
		fail(out, IFPLEX_ENOMEM, "loading plugin %s: out of memory", path);
		return;
	}
	snprintf(r->name, sizeof r->name, "%s", name);
	snprintf(r->pub.path, sizeof r->pub.path, "%s", path);
	load_file(r);
	*out = r->pub;
	if (r->pub.status != 0 && ifplex__transient(r->pub.status)) {
		free(r);
		out->be = NULL;
		return;
	}
	r->next = records;
	records = r;
}

void ifplex__plugin_load_file(const char *name, const char *path, struct ifplex__plugin *out)
{
	ifplex__lock(IFPLEX__LOCK_LOADER);
	load_locked(name, path, out);
	ifplex__unlock(IFPLEX__LOCK_LOADER);
}

void ifplex__plugin_load(const char *name, const char *search_path, struct ifplex__plugin *out)
{
	memset(out, 0, sizeof *out);
	if (!ifplex__valid_plugin_name(name)) {
		fail(out, IFPLEX_ENOBACKEND, "invalid backend name \"%s\"", name);
		return;
	}
	struct find *f = calloc(1, sizeof *f);
	if (!f) {
		fail(out, IFPLEX_ENOMEM, "looking for backend %s: out of memory", name);
		return;
	}
	f->name = name;
	ifplex__lock(IFPLEX__LOCK_LOADER);
	if (ifplex__search_dirs(search_path, try_dir, f) != 1)
		fail(out, IFPLEX_ENOBACKEND, "backend %s not found (tried %s)", name, f->tried);
	else if (f->rc < 0)
		fail(out, f->rc, "looking for backend %s: %s", name, ifplex_strerror(f->rc));
	else
		load_locked(name, f->path, out);
	ifplex__unlock(IFPLEX__LOCK_LOADER);
	free(f);
}
