/* SPDX-License-Identifier: MIT */
/* ifplex_snapshot_get: the backend's own snapshot where it publishes one,
 * else one the core builds from the list calls and hands out again while
 * the backend's generation stays the same (or, for a backend that counts
 * no generations, while the lists read the same). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	struct ifplex_snapshot *cur;
	uint64_t source;  /* the backend's generation cur was built at, 0: none */
	uint64_t count;   /* generations given where the backend counts none */
} built; /* under IFPLEX__LOCK_SNAPSHOT */

/* A reference to the built snapshot if it shows generation g (g > 0). */
static struct ifplex_snapshot *built_at(uint64_t g)
{
	struct ifplex_snapshot *s = NULL;

	ifplex__lock(IFPLEX__LOCK_SNAPSHOT);
	if (built.cur && g && built.source == g) {
		s = built.cur;
		ifplex__snapshot_hold(s);
	}
	ifplex__unlock(IFPLEX__LOCK_SNAPSHOT);
	return s;
}

struct at {
	int index;
	uint32_t pos;
};

static int by_index(const void *x, const void *y)
{
	const struct at *a = x, *b = y;
	return (a->index > b->index) - (a->index < b->index);
}

/* A record as the snapshot keeps it: every byte written (the padding and
 * what follows a name's NUL zero), whatever the backend left there. */
static void copy_iface(struct ifplex_iface *d, const struct ifplex_iface *f)
{
	memset(d, 0, sizeof *d);
	d->index = f->index;
	d->mtu = f->mtu;
	d->flags = f->flags;
	memcpy(d->name, f->name, strnlen(f->name, sizeof d->name - 1));
	d->hwaddr_len = f->hwaddr_len <= IFPLEX_HWADDR_MAX ? f->hwaddr_len : IFPLEX_HWADDR_MAX;
	memcpy(d->hwaddr, f->hwaddr, d->hwaddr_len);
}

static void copy_addr(struct ifplex_addr *d, const struct ifplex_addr *a)
{
	memset(d, 0, sizeof *d);
	d->index = a->index;
	d->ip = a->ip;
	d->prefixlen = a->prefixlen;
	memcpy(d->zone, a->zone, strnlen(a->zone, sizeof d->zone - 1));
}

/* The interfaces as listed, then the addresses ordered by family, then by
 * their interface's place in the list (a stable counting sort); addresses
 * of interfaces not in the list (gone between the two calls) are left out. */
static int fill(struct ifplex_snapshot *s, const struct ifplex_iface *ifs, size_t n, const struct ifplex_addr *as,
		size_t m)
{
	struct at *map = malloc((n ? n : 1) * sizeof *map);
	size_t *start = calloc(2 * n + 1, sizeof *start);
	uint32_t *key = malloc((m ? m : 1) * sizeof *key);
	int rc = 0;

	if (!map || !start || !key) {
		rc = IFPLEX_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		copy_iface(&s->ifaces[i], &ifs[i]);
		map[i] = (struct at){ifs[i].index, (uint32_t)i};
	}
	qsort(map, n, sizeof *map, by_index);
	for (size_t i = 0; i < m; i++) {
		struct at k = {as[i].index, 0};
		const struct at *f = n ? bsearch(&k, map, n, sizeof *map, by_index) : NULL;
		key[i] = UINT32_MAX;
		if (f && (as[i].ip.len == 4 || as[i].ip.len == 16)) {
			key[i] = (as[i].ip.len == 16 ? (uint32_t)n : 0) + f->pos;
			start[key[i] + 1]++;
		}
	}
	for (size_t k = 1; k <= 2 * n; k++)
		start[k] += start[k - 1];
	s->naddrs = start[2 * n];
	s->naddrs4 = n ? start[n] : 0;
	for (size_t i = 0; i < m; i++)
		if (key[i] != UINT32_MAX)
			copy_addr(&s->addrs[start[key[i]]++], &as[i]);
out:
	free(map);
	free(start);
	free(key);
	return rc;
}

static int list_error(const struct ifplex__active *a, int rc, const char *slot)
{
	char text[160];

	if (rc != IFPLEX_EBADPLUGIN)
		return ifplex__op_error(rc, "route", "ip+net", NULL);
	snprintf(text, sizeof text, "backend %s broke the plugin contract: %s returned a count without a list",
		 a->be->name, slot);
	return ifplex__set_errorf(rc, "%s", text);
}

/* Read both lists and make a snapshot of them, not yet sealed. */
static int from_lists(const struct ifplex__active *a, struct ifplex_snapshot **out)
{
	struct ifplex_iface *ifs = NULL;
	struct ifplex_addr *as = NULL;
	size_t n = 0, m = 0;
	int rc;

	ifplex__pending_clear();
	if ((rc = a->be->interfaces(a->state, &ifs, &n)) < 0)
		return list_error(a, rc, "interfaces");
	if (n && !ifs)
		return list_error(a, IFPLEX_EBADPLUGIN, "interfaces");
	ifplex__pending_clear();
	if ((rc = a->be->interface_addrs(a->state, 0, &as, &m)) < 0 || (m && !as)) {
		ifplex__free(ifs);
		return list_error(a, rc < 0 ? rc : IFPLEX_EBADPLUGIN, "interface_addrs");
	}
	struct ifplex_snapshot *s = ifplex__snapshot_alloc(n, m);
	rc = s ? fill(s, ifs, n, as, m) : IFPLEX_ENOMEM;
	ifplex__free(ifs);
	ifplex__free(as);
	if (rc < 0) {
		if (s)
			ifplex__snapshot_put(s);
		return ifplex__set_errorf(rc, "route ip+net: %s", ifplex_strerror(rc));
	}
	*out = s;
	return 0;
}

/* Seal s and make it the built snapshot, unless an equal one is there:
 * then s goes and *out gets that one.  g is the backend's generation the
 * lists were read at (0: it counts none). */
static int publish(struct ifplex_snapshot *s, uint64_t g, struct ifplex_snapshot **out)
{
	struct ifplex_snapshot *old = NULL;
	int rc = 0;

	ifplex__lock(IFPLEX__LOCK_SNAPSHOT);
	if (built.cur && (g ? built.source == g : ifplex__snapshot_same(built.cur, s))) {
		*out = built.cur;
		ifplex__snapshot_hold(*out);
		ifplex__unlock(IFPLEX__LOCK_SNAPSHOT);
		ifplex__snapshot_put(s);
		return 0;
	}
	rc = ifplex__snapshot_seal(s, g ? g : built.count + 1);
	if (rc == 0) {
		if (!g)
			built.count++;
		old = built.cur;
		built.cur = s;
		built.source = g;
		ifplex__snapshot_hold(s);
		*out = s;
	}
	ifplex__unlock(IFPLEX__LOCK_SNAPSHOT);
	if (old)
		ifplex__snapshot_put(old);
	if (rc < 0) {
		ifplex__snapshot_put(s);
		return ifplex__set_errorf(rc, "route ip+net: the backend's lists do not form a snapshot");
	}
	return 0;
}

static int build(const struct ifplex__active *a, struct ifplex_snapshot **out)
{
	struct ifplex_snapshot *s = NULL;
	int rc;

	if (!a->be->interfaces || !a->be->interface_addrs)
		return ifplex__unsupported(a, "snapshot");
	uint64_t g = a->be->generation ? a->be->generation(a->state) : 0;
	if ((*out = built_at(g)) != NULL)
		return 0;
	if ((rc = from_lists(a, &s)) < 0)
		return rc;
	return publish(s, g, out);
}

int ifplex_snapshot_get(const struct ifplex_snapshot **out)
{
	struct ifplex__active a;
	struct ifplex_snapshot *s = NULL;
	int rc;

	if (!out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "snapshot: NULL argument");
	*out = NULL;
	if ((rc = ifplex__backend_for(&a, "route ip+net")) < 0)
		return rc;
	if (a.be->snapshot) {
		rc = a.be->snapshot(a.state, &s);
		if (rc == 0 && !ifplex__snapshot_valid(s))
			return ifplex__set_errorf(IFPLEX_EBADPLUGIN,
						  "backend %s broke the plugin contract: snapshot returned no sealed snapshot",
						  a.be->name);
		if (rc == 0) {
			*out = s;
			return 0;
		}
		if (rc != IFPLEX_ENOTSUP)
			return ifplex__op_error(rc, "route", "ip+net", NULL);
	}
	if ((rc = build(&a, &s)) < 0)
		return rc;
	*out = s;
	return 0;
}
