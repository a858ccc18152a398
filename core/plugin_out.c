/* SPDX-License-Identifier: MIT */
/* Lists a plugin hands back are checked before a caller sees them: the
 * pointer, the count, and that the block came from host->alloc with room
 * for count elements (the allocator's header says so).  A plugin that
 * breaks that contract gives IFPLEX_EBADPLUGIN naming the backend and the
 * slot, never a crash or a read out of bounds in the core or the caller. */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int broken(const struct ifplex__active *a, const char *slot, void **list, size_t *count,
		  const char *what, size_t n, size_t room)
{
	char text[300];

	snprintf(text, sizeof text, "backend %s broke the plugin contract: %s %s (%zu entries, room for %zu)",
		 a->be->name, slot, what, n, room);
	/* The detail of the operation's error ("route ip+net: backend ..."),
	 * and the error itself for a caller that does not wrap it. */
	ifplex__host_fail_text(text, IFPLEX_EBADPLUGIN);
	int rc = ifplex__set_errorf(IFPLEX_EBADPLUGIN, "%s", text);
	/* Ours, it can go; anything else is left alone (leaked, not freed). */
	if (*list && ifplex__alloc_cap(*list))
		ifplex__free(*list);
	*list = NULL;
	*count = 0;
	return rc;
}

static int check(const struct ifplex__active *a, const char *slot, int rc, void **list,
		 size_t *count, size_t elem, int (*elem_ok)(const void *e, const void *block, size_t cap))
{
	if (rc < 0) {
		/* A failure hands back nothing; a list of ours left behind is
		 * freed so that the caller, who sees NULL, does not leak it. */
		if (*list && ifplex__alloc_cap(*list))
			ifplex__free(*list);
		*list = NULL;
		*count = 0;
		return rc;
	}
	size_t n = *count, cap = *list ? ifplex__alloc_cap(*list) : 0;
	if (!*list && n)
		return broken(a, slot, list, count, "returned a NULL list", n, 0);
	if (!*list)
		return rc;
	if (!cap)
		return broken(a, slot, list, count, "returned a list not allocated with host->alloc",
			      n, 0);
	if (n > cap / elem)
		return broken(a, slot, list, count, "returned more entries than its list holds", n,
			      cap / elem);
	for (size_t i = 0; elem_ok && i < n; i++)
		if (!elem_ok((const char *)*list + i * elem, *list, cap))
			return broken(a, slot, list, count, "returned a malformed entry", n, cap / elem);
	return rc;
}

int ifplex__plugin_list(const struct ifplex__active *a, const char *slot, int rc, void *listp,
			size_t *count, size_t elem,
			int (*elem_ok)(const void *e, const void *block, size_t cap))
{
	void *list;

	/* listp is the caller's T **: read and written as bytes, not as a void *. */
	memcpy(&list, listp, sizeof list);
	rc = check(a, slot, rc, &list, count, elem, elem_ok);
	memcpy(listp, &list, sizeof list);
	return rc;
}

static int terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

int ifplex__ip_ok(const void *e, const void *block, size_t cap)
{
	const struct ifplex_ip *ip = e;
	return ip->len == 4 || ip->len == 16;
}

int ifplex__srv_ok(const void *e, const void *block, size_t cap)
{
	return terminated(((const struct ifplex_srv *)e)->target, IFPLEX_HOST_MAX);
}

int ifplex__mx_ok(const void *e, const void *block, size_t cap)
{
	return terminated(((const struct ifplex_mx *)e)->host, IFPLEX_HOST_MAX);
}

/* A name of lookup_addr's one allocation: it points into the block and
 * ends inside it. */
int ifplex__name_ok(const void *e, const void *block, size_t cap)
{
	const char *s = *(char *const *)e;
	uintptr_t lo = (uintptr_t)block, hi = lo + cap, p = (uintptr_t)s;

	if (!s || p < lo || p >= hi)
		return 0;
	return terminated(s, (size_t)(hi - p));
}
