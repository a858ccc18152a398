/* SPDX-License-Identifier: MIT */
/* Whether a plugin file may be loaded: ld.so's secure-path rules and
 * OpenSSH's StrictModes.  The file and every directory from it up to the
 * root, along every symlink on the way, must be owned by root or by the
 * process's effective uid and writable by nobody else (no group or other
 * write bit; a sticky bit does not excuse one).  Anyone who could replace
 * one of them could run code in this process. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Symlinks followed before giving up, as the kernel's ELOOP limit. */
#define MAX_LINKS 40

struct walk {
	char done[PATH_MAX];     /* the canonical prefix checked so far */
	char todo[PATH_MAX];     /* what is left to resolve */
	char via[PATH_MAX];      /* the last symlink followed, for messages */
	char *why;
	size_t whylen;
};

static int refuse(struct walk *w, const char *what, const char *path, const char *fmt, ...)
	IFPLEX__PRINTF(4, 5);
static int refuse(struct walk *w, const char *what, const char *path, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	snprintf(w->why, w->whylen, "%s %s %s%s%s%s", what, path, reason,
		 w->via[0] ? " (reached through symlink " : "", w->via, w->via[0] ? ")" : "");
	return IFPLEX_EBADPLUGIN;
}

static int check(struct walk *w, const char *path, const struct stat *st, int last)
{
	const char *what = S_ISDIR(st->st_mode) ? "directory" : "file";
	uid_t euid = geteuid();

	if (!last && !S_ISDIR(st->st_mode))
		return refuse(w, "path", path, "is not a directory");
	if (last && !S_ISREG(st->st_mode))
		return refuse(w, "path", path, "is not a regular file");
	if (st->st_uid != 0 && st->st_uid != euid)
		return refuse(w, what, path, "is owned by uid %u, not by root or this process's uid %u",
			      (unsigned)st->st_uid, (unsigned)euid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return refuse(w, what, path, "is writable by %s (mode %04o)",
			      (st->st_mode & S_IWGRP) && (st->st_mode & S_IWOTH) ? "group and others"
			      : (st->st_mode & S_IWGRP)			   ? "group"
									   : "others",
			      (unsigned)(st->st_mode & 07777));
	return 0;
}

static int os_error(struct walk *w, const char *path, int err)
{
	char buf[128];

	ifplex__go_case(ifplex__os_errtext(err), buf, sizeof buf);
	snprintf(w->why, w->whylen, "%s: %s", path, buf);
	return -err;
}

/* Replace todo by s followed by rest (which may point into todo). */
static int set_todo(struct walk *w, const char *s, size_t n, const char *rest)
{
	char tmp[PATH_MAX];
	size_t r = strlen(rest);

	if (n + 1 + r >= sizeof tmp)
		return -ENAMETOOLONG;
	memcpy(tmp, s, n);
	tmp[n] = '/';
	memcpy(tmp + n + 1, rest, r + 1);
	memcpy(w->todo, tmp, n + 2 + r);
	return 0;
}

int ifplex__path_trusted(const char *path, char *why, size_t whylen)
{
	struct walk w = {.why = why, .whylen = whylen};
	struct stat st;
	int links = 0, rc;

	why[0] = '\0';
	if (path[0] != '/') {
		snprintf(why, whylen, "path %s is relative", path);
		return IFPLEX_EBADPLUGIN;
	}
	if (strlen(path) >= sizeof w.todo)
		return os_error(&w, path, ENAMETOOLONG);
	strcpy(w.todo, path);
	if (lstat("/", &st) < 0)
		return os_error(&w, "/", errno);
	if ((rc = check(&w, "/", &st, 0)) < 0)
		return rc;
	/* done is "" for the root, so that done + "/" + name is absolute. */
	const char *p = w.todo;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, "/");
		const char *rest = p + n;
		while (*rest == '/')
			rest++;
		int last = *rest == '\0';
		if (n == 1 && p[0] == '.') {
			p = rest;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(w.done, '/');
			if (slash)
				*slash = '\0';
			p = rest;
			continue;
		}
		size_t d = strlen(w.done);
		if (d + 1 + n >= sizeof w.done)
			return os_error(&w, path, ENAMETOOLONG);
		char cand[PATH_MAX];
		memcpy(cand, w.done, d);
		cand[d] = '/';
		memcpy(cand + d + 1, p, n);
		cand[d + 1 + n] = '\0';
		if (lstat(cand, &st) < 0)
			return os_error(&w, cand, errno);
		if (S_ISLNK(st.st_mode)) {
			/* The directory holding the link was checked: nobody else
			 * can change where it points.  Where it points is checked
			 * from here on as if written in its place. */
			char target[PATH_MAX];
			if (++links > MAX_LINKS)
				return os_error(&w, cand, ELOOP);
			ssize_t t = readlink(cand, target, sizeof target - 1);
			if (t < 0)
				return os_error(&w, cand, errno);
			target[t] = '\0';
			snprintf(w.via, sizeof w.via, "%s", cand);
			if (target[0] == '/')
				w.done[0] = '\0';
			if (set_todo(&w, target, (size_t)t, rest) < 0)
				return os_error(&w, cand, ENAMETOOLONG);
			p = w.todo;
			continue;
		}
		if ((rc = check(&w, cand, &st, last)) < 0)
			return rc;
		memcpy(w.done, cand, d + n + 2);
		p = rest;
	}
	if (!S_ISREG(st.st_mode))
		return refuse(&w, "path", path, "is not a regular file");
	return 0;
}
