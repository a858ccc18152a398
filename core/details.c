/* SPDX-License-Identifier: MIT */
/* Link and address details: argument checks, then the backend, whose
 * struct is copied into the caller's size (what the caller's lacks is
 * left out, what the library's lacks is zero). */
#include "internal.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The first versions' sizes: a caller's struct is at least this big, and
 * no version will be larger than SIZE_LIMIT. */
#define SIZE_LIMIT 65536
#define LINK_DETAILS_V1 (offsetof(struct ifplex_link_details, stats) + sizeof(struct ifplex_link_stats))
#define ADDR_DETAILS_V1 (offsetof(struct ifplex_addr_details, preferred_lft) + sizeof(uint32_t))

static int failed(const struct ifplex__active *a, int rc, int index)
{
	if (rc == IFPLEX_ENOIFACE)
		return ifplex__set_errorf(rc, "route ip+net: no such network interface (index %d)", index);
	return ifplex__op_error(rc, "details", a->be->name, NULL);
}

/* Strings from a plugin end inside their arrays. */
static void terminate(char *s, size_t n)
{
	s[n - 1] = '\0';
}

int ifplex_interface_details(int index, struct ifplex_link_details *out)
{
	struct ifplex__active a;
	struct ifplex_link_details d;
	int rc;

	if (!out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "interface details: NULL argument");
	if (out->size < LINK_DETAILS_V1 || out->size > SIZE_LIMIT)
		return ifplex__set_errorf(IFPLEX_EINVAL, "interface details: struct size %zu, not %zu to %d",
					  out->size, (size_t)LINK_DETAILS_V1, SIZE_LIMIT);
	if (index <= 0)
		return ifplex__set_errorf(IFPLEX_EINVAL, "route ip+net: invalid network interface index %d",
					  index);
	if ((rc = ifplex__backend_for(&a, "details")) < 0)
		return rc;
	if (!a.be->link_details)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "details: not supported by backend %s", a.be->name);
	memset(&d, 0, sizeof d);
	d.size = sizeof d;
	d.link_netnsid = -1;
	if ((rc = a.be->link_details(a.state, index, &d)) < 0)
		return failed(&a, rc, index);
	terminate(d.kind, sizeof d.kind);
	for (size_t i = 0; i < IFPLEX_ALTNAMES_MAX; i++)
		terminate(d.altnames[i], sizeof d.altnames[i]);
	size_t size = out->size;
	memset(out, 0, size);
	memcpy(out, &d, size < sizeof d ? size : sizeof d);
	out->size = size;
	return 0;
}

/* The address and its zone are what interface_addrs would give: a zone
 * ends inside its array. */
static int addr_ok(const void *e, const void *block, size_t cap)
{
	const struct ifplex_addr_details *d = e;

	(void)block;
	(void)cap;
	return d->addr.ip.len <= sizeof d->addr.ip.b &&
	       memchr(d->addr.zone, '\0', sizeof d->addr.zone) != NULL;
}

int ifplex_interface_addr_details(int index, size_t size, struct ifplex_addr_details **list, size_t *count)
{
	struct ifplex__active a;
	struct ifplex_addr_details *got = NULL;
	size_t n = 0;
	int rc;

	if (!list || !count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "address details: NULL argument");
	*list = NULL;
	*count = 0;
	if (size < ADDR_DETAILS_V1 || size > SIZE_LIMIT)
		return ifplex__set_errorf(IFPLEX_EINVAL, "address details: struct size %zu, not %zu to %d", size,
					  (size_t)ADDR_DETAILS_V1, SIZE_LIMIT);
	if (index < 0)
		return ifplex__set_errorf(IFPLEX_EINVAL, "route ip+net: invalid network interface index %d",
					  index);
	if ((rc = ifplex__backend_for(&a, "details")) < 0)
		return rc;
	if (!a.be->addr_details)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "details: not supported by backend %s", a.be->name);
	rc = a.be->addr_details(a.state, index, &got, &n);
	if ((rc = ifplex__plugin_list(&a, "addr_details", rc, &got, &n, sizeof *got, addr_ok)) < 0)
		return rc == IFPLEX_EBADPLUGIN ? rc : failed(&a, rc, index);
	if (size == sizeof *got) {
		/* The caller's struct is the library's: the plugin's list is
		 * handed on as it is, no second list of the same size (a
		 * thousand addresses are 600 KiB to fault in again). */
		for (size_t i = 0; i < n; i++) {
			terminate(got[i].label, sizeof got[i].label);
			terminate(got[i].addr.zone, sizeof got[i].addr.zone);
			got[i].size = size;
		}
		*list = got;
		*count = n;
		return 0;
	}
	if (n > SIZE_MAX / size) {
		ifplex__free(got);
		return ifplex__set_errorf(IFPLEX_ENOMEM, "address details: out of memory");
	}
	char *out = ifplex__alloc(n ? n * size : 1, 1);
	if (!out) {
		ifplex__free(got);
		return ifplex__set_errorf(IFPLEX_ENOMEM, "address details: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct ifplex_addr_details *d = &got[i];
		terminate(d->label, sizeof d->label);
		terminate(d->addr.zone, sizeof d->addr.zone);
		d->size = size;
		memcpy(out + i * size, d, size < sizeof *d ? size : sizeof *d);
	}
	ifplex__free(got);
	*list = (struct ifplex_addr_details *)out;
	*count = n;
	return 0;
}

const char *ifplex_operstate_name(int state)
{
	static const char *const names[] = {NULL, "UP", "DOWN", "TESTING", "UNKNOWN", "DORMANT",
					    "NOTPRESENT", "LOWERLAYERDOWN"};

	if (state <= 0 || (size_t)state >= sizeof names / sizeof names[0])
		return "?";
	return names[state];
}

const char *ifplex_scope_name(int scope)
{
	switch (scope) {
	case IFPLEX_SCOPE_GLOBAL:
		return "global";
	case IFPLEX_SCOPE_SITE:
		return "site";
	case IFPLEX_SCOPE_LINK:
		return "link";
	case IFPLEX_SCOPE_HOST:
		return "host";
	case IFPLEX_SCOPE_NOWHERE:
		return "nowhere";
	}
	return NULL;
}
