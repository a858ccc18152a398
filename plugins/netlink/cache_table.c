/* SPDX-License-Identifier: MIT */
/* The cache's tables: links and addresses in slot arrays, found through
 * open-addressing hashes by index, by name and by address.  A deleted slot
 * stays dead in its array until a rebuild compacts it, so that a delta is
 * O(1); the hashes never keep deleted entries (deletion shifts back), so
 * that a lookup always ends.  Links stay in index order and each link's
 * addresses in the kernel's order, so that a copy-out lists them as a
 * dump does. */
#include "nl.h"

#include <linux/if_addr.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define EMPTY 0
#define NONE SIZE_MAX

enum hkind { BY_INDEX, BY_NAME, BY_ADDR };

void table_init(struct table *t)
{
	memset(t, 0, sizeof *t);
}

void table_free(struct table *t)
{
	free(t->links);
	free(t->addrs);
	free(t->by_index);
	free(t->by_name);
	free(t->by_addr);
	table_init(t);
}

static void link_no_addrs(struct link_slot *l)
{
	l->head[0] = l->head[1] = l->tail[0] = l->tail[1] = -1;
	l->dirty = 0;
}

void table_clear_addrs(struct table *t)
{
	free(t->addrs);
	free(t->by_addr);
	t->addrs = NULL;
	t->by_addr = NULL;
	t->naddrs = t->capaddrs = t->liveaddrs = t->hcap_addrs = t->orphans = 0;
	for (size_t i = 0; i < t->nlinks; i++)
		link_no_addrs(&t->links[i]);
	t->dirty = 0;
}

/* ---------------------------------------------------------------- hashes */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return mix(h);
}

static uint64_t hash_index(int index)
{
	return mix((uint64_t)(uint32_t)index + 0x9e3779b97f4a7c15ULL);
}

static uint64_t hash_name(const char *name)
{
	return hash_bytes(name, strlen(name), 0xcbf29ce484222325ULL);
}

static uint64_t hash_addr(const struct ifplex_addr *a)
{
	uint64_t h = hash_bytes(a->ip.b, a->ip.len, 0xcbf29ce484222325ULL ^ (uint64_t)a->ip.len);
	return mix(h ^ ((uint64_t)(uint32_t)a->index << 8) ^ (uint64_t)a->prefixlen);
}

static int same_addr(const struct ifplex_addr *x, const struct ifplex_addr *y)
{
	return x->index == y->index && x->prefixlen == y->prefixlen && x->ip.len == y->ip.len &&
	       memcmp(x->ip.b, y->ip.b, x->ip.len) == 0;
}

/* The hash an entry of kind k for slot was put under. */
static uint64_t home_of(const struct table *t, enum hkind k, size_t slot)
{
	switch (k) {
	case BY_INDEX:
		return hash_index(t->links[slot].ifi.index);
	case BY_NAME:
		return hash_name(t->links[slot].ifi.name);
	default:
		return hash_addr(&t->addrs[slot].a);
	}
}

/* Visit the probe sequence of hv: entries up to the first empty one.  At
 * most half of a table is full, and the bound holds even if it were not. */
#define PROBE(h, cap, hv, i)                                                                  \
	for (size_t i = (hv) & ((cap) - 1), n_##i = (cap) ? 0 : 1; n_##i < (cap) && (h)[i] != EMPTY; \
	     i = (i + 1) & ((cap) - 1), n_##i++)

static void hash_put(size_t *h, size_t cap, uint64_t hv, size_t slot)
{
	size_t i = hv & (cap - 1);
	while (h[i] != EMPTY)
		i = (i + 1) & (cap - 1);
	h[i] = slot + 1;
}

/* Empty position pos and shift back each later entry of the run that may
 * take its place (its home is not between pos and where it sits). */
static void hash_del(const struct table *t, enum hkind k, size_t *h, size_t cap, size_t pos)
{
	size_t mask = cap - 1, hole = pos;

	for (size_t j = (pos + 1) & mask; h[j] != EMPTY; j = (j + 1) & mask) {
		size_t home = home_of(t, k, h[j] - 1) & mask;
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			h[hole] = h[j];
			hole = j;
		}
	}
	h[hole] = EMPTY;
}

/* The position that holds slot in the hash of kind k. */
static size_t pos_of_slot(const struct table *t, enum hkind k, size_t slot)
{
	const size_t *h = k == BY_INDEX ? t->by_index : k == BY_NAME ? t->by_name : t->by_addr;
	size_t cap = k == BY_ADDR ? t->hcap_addrs : t->hcap_links;

	PROBE(h, cap, home_of(t, k, slot), i)
		if (h[i] - 1 == slot)
			return i;
	return NONE;
}

static struct link_slot *find_link(const struct table *t, int index)
{
	PROBE(t->by_index, t->hcap_links, hash_index(index), i)
		if (t->links[t->by_index[i] - 1].ifi.index == index)
			return &t->links[t->by_index[i] - 1];
	return NULL;
}

static size_t find_addr(const struct table *t, const struct ifplex_addr *a)
{
	PROBE(t->by_addr, t->hcap_addrs, hash_addr(a), i)
		if (same_addr(&t->addrs[t->by_addr[i] - 1].a, a))
			return t->by_addr[i] - 1;
	return NONE;
}

const struct ifplex_iface *table_by_index(const struct table *t, int index)
{
	const struct link_slot *l = find_link(t, index);
	return l ? &l->ifi : NULL;
}

const struct ifplex_iface *table_by_name(const struct table *t, const char *name)
{
	PROBE(t->by_name, t->hcap_links, hash_name(name), i)
		if (strcmp(t->links[t->by_name[i] - 1].ifi.name, name) == 0)
			return &t->links[t->by_name[i] - 1].ifi;
	return NULL;
}

/* ---------------------------------------------------------------- chains */

static int family_of(const struct ifplex_addr *a)
{
	return a->ip.len == 16;
}

static void mark_dirty(struct table *t, struct link_slot *l)
{
	if (!l->dirty) {
		l->dirty = 1;
		t->dirty++;
	}
}

static void chain_append(struct table *t, struct link_slot *l, size_t i)
{
	struct addr_slot *a = &t->addrs[i];
	int f = family_of(&a->a);

	a->orphan = 0;
	a->next = -1;
	a->prev = l->tail[f];
	if (l->tail[f] >= 0)
		t->addrs[l->tail[f]].next = (int)i;
	else
		l->head[f] = (int)i;
	l->tail[f] = (int)i;
}

static void chain_remove(struct table *t, struct link_slot *l, size_t i)
{
	struct addr_slot *a = &t->addrs[i];
	int f = family_of(&a->a);

	if (a->prev >= 0)
		t->addrs[a->prev].next = a->next;
	else
		l->head[f] = a->next;
	if (a->next >= 0)
		t->addrs[a->next].prev = a->prev;
	else
		l->tail[f] = a->prev;
	a->prev = a->next = -1;
}

/* ---------------------------------------------------------------- rebuild */

static size_t pow2_at_least(size_t n)
{
	size_t c = 16;
	while (c < n)
		c *= 2;
	return c;
}

static int by_link_index(const void *x, const void *y)
{
	const struct link_slot *a = x, *b = y;
	return (a->ifi.index > b->ifi.index) - (a->ifi.index < b->ifi.index);
}

/* Compact both arrays (links sorted by index, addresses in chain order),
 * size the hashes for what is live plus more, and attach orphans whose
 * link is known now.  All memory is taken first: on failure nothing changed. */
static int rebuild(struct table *t, size_t more_links, size_t more_addrs)
{
	size_t hl = pow2_at_least(4 * (t->livelinks + more_links + 1));
	size_t ha = pow2_at_least(4 * (t->liveaddrs + more_addrs + 1));
	size_t ca = pow2_at_least(t->liveaddrs + more_addrs);
	size_t *bi = calloc(hl, sizeof *bi), *bn = calloc(hl, sizeof *bn), *ba = calloc(ha, sizeof *ba);
	struct addr_slot *na = malloc(ca * sizeof *na);
	size_t nl = 0, n = 0;
	int sorted = 1;

	if (!bi || !bn || !ba || !na) {
		free(bi);
		free(bn);
		free(ba);
		free(na);
		return IFPLEX_ENOMEM;
	}
	for (size_t i = 0; i < t->nlinks; i++)
		if (t->links[i].live) {
			sorted &= nl == 0 || t->links[nl - 1].ifi.index < t->links[i].ifi.index;
			t->links[nl++] = t->links[i];
		}
	if (!sorted)
		qsort(t->links, nl, sizeof *t->links, by_link_index);
	t->nlinks = nl;
	/* Each link's chains in order, renumbered into the new array. */
	for (size_t i = 0; i < nl; i++) {
		struct link_slot *l = &t->links[i];
		hash_put(bi, hl, hash_index(l->ifi.index), i);
		hash_put(bn, hl, hash_name(l->ifi.name), i);
		for (int f = 0; f < 2; f++) {
			int old = l->head[f];
			l->head[f] = l->tail[f] = -1;
			for (; old >= 0; old = t->addrs[old].next) {
				na[n] = t->addrs[old];
				na[n].prev = l->tail[f];
				na[n].next = -1;
				if (l->tail[f] >= 0)
					na[l->tail[f]].next = (int)n;
				else
					l->head[f] = (int)n;
				l->tail[f] = (int)n++;
			}
		}
	}
	size_t chained = n;
	for (size_t i = 0; i < t->naddrs; i++)
		if (t->addrs[i].live && t->addrs[i].orphan)
			na[n++] = t->addrs[i];
	free(t->by_index);
	free(t->by_name);
	free(t->by_addr);
	free(t->addrs);
	t->by_index = bi;
	t->by_name = bn;
	t->hcap_links = hl;
	t->addrs = na;
	t->naddrs = n;
	t->capaddrs = ca;
	t->by_addr = ba;
	t->hcap_addrs = ha;
	for (size_t i = 0; i < n; i++)
		hash_put(ba, ha, hash_addr(&na[i].a), i);
	/* Orphans keep their order of arrival; joining addresses already
	 * there, their place in the kernel's list is unknown. */
	t->orphans = 0;
	for (size_t i = chained; i < n; i++) {
		struct link_slot *l = find_link(t, na[i].a.index);
		if (!l) {
			t->orphans++;
			continue;
		}
		if (l->head[family_of(&na[i].a)] >= 0)
			mark_dirty(t, l);
		chain_append(t, l, i);
	}
	return 0;
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, c * elem);
	if (!p)
		return IFPLEX_ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

/* ---------------------------------------------------------------- deltas */

static void del_addr(struct table *t, size_t i)
{
	struct addr_slot *a = &t->addrs[i];

	struct link_slot *l = a->orphan ? NULL : find_link(t, a->a.index);

	if (a->orphan)
		t->orphans--;
	else if (l)
		chain_remove(t, l, i);
	hash_del(t, BY_ADDR, t->by_addr, t->hcap_addrs, pos_of_slot(t, BY_ADDR, i));
	a->live = 0;
	t->liveaddrs--;
}

static void drop_link_addrs(struct table *t, struct link_slot *l)
{
	for (int f = 0; f < 2; f++)
		while (l->head[f] >= 0)
			del_addr(t, (size_t)l->head[f]);
	if (l->dirty) {
		l->dirty = 0;
		t->dirty--;
	}
}

static int del_link(struct table *t, int index)
{
	struct link_slot *l = find_link(t, index);

	if (!l)
		return 0;
	size_t slot = (size_t)(l - t->links);
	/* Its addresses go with it (the kernel also says so, later). */
	drop_link_addrs(t, l);
	hash_del(t, BY_NAME, t->by_name, t->hcap_links, pos_of_slot(t, BY_NAME, slot));
	hash_del(t, BY_INDEX, t->by_index, t->hcap_links, pos_of_slot(t, BY_INDEX, slot));
	l->live = 0;
	t->livelinks--;
	return 0;
}

static int put_link(struct table *t, const struct ifplex_iface *ifi)
{
	struct link_slot *l = find_link(t, ifi->index);
	int rc;

	if (l) {
		size_t slot = (size_t)(l - t->links);
		if (strcmp(l->ifi.name, ifi->name) != 0) {
			hash_del(t, BY_NAME, t->by_name, t->hcap_links, pos_of_slot(t, BY_NAME, slot));
			l->ifi = *ifi;
			hash_put(t->by_name, t->hcap_links, hash_name(ifi->name), slot);
		}
		l->ifi = *ifi;
		return 0;
	}
	if (2 * (t->nlinks + 1) > t->hcap_links && (rc = rebuild(t, 1, 0)) < 0)
		return rc;
	if ((rc = grow((void **)&t->links, &t->caplinks, t->nlinks, sizeof *t->links)) < 0)
		return rc;
	size_t slot = t->nlinks++;
	int in_order = slot == 0 || t->links[slot - 1].ifi.index < ifi->index;
	t->links[slot] = (struct link_slot){.ifi = *ifi, .live = 1};
	link_no_addrs(&t->links[slot]);
	hash_put(t->by_index, t->hcap_links, hash_index(ifi->index), slot);
	hash_put(t->by_name, t->hcap_links, hash_name(ifi->name), slot);
	t->livelinks++;
	/* A link below the last index (moved in from another namespace, or
	 * given an index) takes its place in order; addresses that arrived
	 * before their link join it.  Both are rare. */
	if (!in_order || t->orphans)
		return rebuild(t, 0, 0);
	return 0;
}

static int apply_link(struct table *t, const struct nlmsghdr *h)
{
	struct ifplex_iface ifi;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return IFPLEX_EMALFORMED;
	const struct ifinfomsg *m = NLMSG_DATA(h);
	/* Bridge-port events share the link group; a port leaving its bridge
	 * is an AF_BRIDGE RTM_DELLINK while the link itself stays. */
	if (m->ifi_family == AF_BRIDGE)
		return 0;
	if (h->nlmsg_type == RTM_DELLINK)
		return del_link(t, m->ifi_index);
	int rc = nl_parse_link(h, &ifi);
	return rc < 0 ? rc : put_link(t, &ifi);
}

static int put_addr(struct table *t, const struct ifplex_addr *a, const struct nl_addr_meta *m, int from_dump)
{
	size_t i = find_addr(t, a);
	int rc;

	if (i != NONE) {
		struct addr_slot *s = &t->addrs[i];
		/* A promoted IPv4 secondary moves up among the primaries. */
		struct link_slot *l = s->orphan ? NULL : find_link(t, a->index);
		if (!from_dump && l && a->ip.len == 4 && ((s->flags ^ m->flags) & IFA_F_SECONDARY))
			mark_dirty(t, l);
		s->a = *a;
		s->wants_zone = nl_addr_wants_zone(a, m->scope);
		s->flags = m->flags;
		return 0;
	}
	if (2 * (t->naddrs + 1) > t->hcap_addrs && (rc = rebuild(t, 0, 1)) < 0)
		return rc;
	if ((rc = grow((void **)&t->addrs, &t->capaddrs, t->naddrs, sizeof *t->addrs)) < 0)
		return rc;
	i = t->naddrs++;
	t->addrs[i] = (struct addr_slot){.a = *a, .live = 1, .wants_zone = nl_addr_wants_zone(a, m->scope),
					 .prev = -1, .next = -1, .orphan = 1, .flags = m->flags};
	hash_put(t->by_addr, t->hcap_addrs, hash_addr(a), i);
	t->liveaddrs++;
	struct link_slot *l = find_link(t, a->index);
	if (!l) {
		t->orphans++;
		return 0;
	}
	/* A notification does not say where in the kernel's list the address
	 * went; at the end of an empty list is the only sure place. */
	if (!from_dump && l->head[family_of(a)] >= 0)
		mark_dirty(t, l);
	chain_append(t, l, i);
	return 0;
}

static int apply_addr(struct table *t, const struct nlmsghdr *h, int from_dump)
{
	struct ifplex_addr a;
	struct nl_addr_meta m;
	int rc = nl_parse_addr(h, &a, &m);

	if (rc != 0)
		return rc < 0 ? rc : 0;
	if (h->nlmsg_type == RTM_NEWADDR)
		return put_addr(t, &a, &m, from_dump);
	size_t i = find_addr(t, &a);
	if (i != NONE)
		del_addr(t, i);
	return 0;
}

int table_apply(struct table *t, const struct nlmsghdr *h, int from_dump)
{
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return apply_link(t, h);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return apply_addr(t, h, from_dump);
	default:
		return 0;
	}
}

int table_relist(struct table *t, int index, const struct table_addr *list, size_t n)
{
	if (index) {
		struct link_slot *l = find_link(t, index);
		if (!l)
			return 0; /* gone since: nothing to order */
		drop_link_addrs(t, l);
	} else {
		table_clear_addrs(t);
	}
	for (size_t i = 0; i < n; i++) {
		if (index && list[i].a.index != index)
			continue;
		int rc = put_addr(t, &list[i].a, &list[i].m, 1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

size_t table_dirty_links(const struct table *t, int *out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < t->nlinks && k < max; i++)
		if (t->links[i].live && t->links[i].dirty)
			out[k++] = t->links[i].ifi.index;
	return t->dirty;
}

/* ---------------------------------------------------------------- copies */

/* Memory every byte of which the copy-out writes: no need to zero it. */
static void *alloc_filled(const struct ifplex_host *host, size_t n)
{
	if (IFPLEX_HOST_HAS(host, alloc_raw))
		return host->alloc_raw(n ? n : 1);
	return host->alloc(n ? n : 1);
}

int table_copy_links(const struct table *t, const struct ifplex_host *host,
		     struct ifplex_iface **list, size_t *count)
{
	struct ifplex_iface *out = alloc_filled(host, t->livelinks * sizeof *out);
	size_t n = 0;

	if (!out)
		return IFPLEX_ENOMEM;
	for (size_t i = 0; i < t->nlinks; i++)
		if (t->links[i].live)
			out[n++] = t->links[i].ifi;
	*list = out;
	*count = n;
	return 0;
}

/* One link's list of one family, appended at out[*n] (never past cap). */
static void copy_chain(const struct table *t, const struct link_slot *l, int f, struct ifplex_addr *out, size_t *n,
		       size_t cap)
{
	for (int i = l->head[f]; i >= 0 && *n < cap; i = t->addrs[i].next) {
		const struct addr_slot *s = &t->addrs[i];
		/* The whole struct (its zone is empty and zero-filled), then the zone. */
		out[*n] = s->a;
		if (s->wants_zone)
			memcpy(out[*n].zone, l->ifi.name, strlen(l->ifi.name) + 1);
		(*n)++;
	}
}

int table_copy_addrs(const struct table *t, const struct ifplex_host *host, int index,
		     struct ifplex_addr **list, size_t *count)
{
	size_t n = 0;

	if (index) {
		const struct link_slot *l = find_link(t, index);
		if (!l)
			return IFPLEX_ENOIFACE;
		for (int f = 0; f < 2; f++)
			for (int i = l->head[f]; i >= 0; i = t->addrs[i].next)
				n++;
		struct ifplex_addr *out = alloc_filled(host, n * sizeof *out);
		if (!out)
			return IFPLEX_ENOMEM;
		size_t cap = n;
		n = 0;
		copy_chain(t, l, 0, out, &n, cap);
		copy_chain(t, l, 1, out, &n, cap);
		*list = out;
		*count = n;
		return 0;
	}
	/* Orphans wait for their link and are not listed. */
	size_t cap = t->liveaddrs - t->orphans;
	struct ifplex_addr *out = alloc_filled(host, cap * sizeof *out);
	if (!out)
		return IFPLEX_ENOMEM;
	for (int f = 0; f < 2; f++)
		for (size_t i = 0; i < t->nlinks; i++)
			if (t->links[i].live)
				copy_chain(t, &t->links[i], f, out, &n, cap);
	*list = out;
	*count = n;
	return 0;
}

size_t table_bytes(const struct table *t, int addrs)
{
	if (addrs)
		return t->capaddrs * sizeof *t->addrs + t->hcap_addrs * sizeof(size_t);
	return t->caplinks * sizeof *t->links + 2 * t->hcap_links * sizeof(size_t);
}
