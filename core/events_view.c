/* SPDX-License-Identifier: MIT */
/* A subscription's view: links by index, and addresses and groups by what
 * identifies them (interface, address, prefix length), each link holding a
 * list of its own so that its removal finds them without a scan.  Space is
 * reserved before anything changes, so that a failed allocation leaves
 * the view as it was. */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t link_hash(int index)
{
	return mix((uint64_t)(unsigned)index);
}

/* FNV-1a over what tells members apart; the zone is the interface's name
 * and changes with it, so it is left out. */
static uint64_t member_hash(const struct ifplex_addr *a, int group)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint8_t key[8 + 17];
	size_t n = a->ip.len <= 16 ? a->ip.len : 16;

	memcpy(key, &a->index, 4);
	key[4] = (uint8_t)group;
	key[5] = (uint8_t)a->prefixlen;
	key[6] = (uint8_t)(a->prefixlen >> 8);
	key[7] = (uint8_t)n;
	memcpy(key + 8, a->ip.b, n);
	for (size_t i = 0; i < 8 + n; i++) {
		h ^= key[i];
		h *= 0x100000001b3ULL;
	}
	return mix(h);
}

static int same_member(const struct ev_member *m, const struct ifplex_addr *a, int group)
{
	return m->group == group && m->a.index == a->index && m->a.prefixlen == a->prefixlen &&
	       m->a.ip.len == a->ip.len && memcmp(m->a.ip.b, a->ip.b, a->ip.len <= 16 ? a->ip.len : 16) == 0;
}

static uint64_t slot_hash(const struct ev_view *v, const struct ev_hash *h, size_t slot)
{
	if (h == &v->by_index)
		return link_hash(v->links[slot].ifi.index);
	return member_hash(&v->mem[slot].a, v->mem[slot].group);
}

static size_t home(const struct ev_hash *h, uint64_t hv)
{
	return (size_t)hv & (h->cap - 1);
}

/* Room for one more entry, keeping the table at most half full. */
static int hash_reserve(struct ev_view *v, struct ev_hash *h)
{
	if ((h->n + 1) * 2 <= h->cap)
		return 0;
	size_t cap = h->cap ? h->cap * 2 : 16;
	size_t *e = calloc(cap, sizeof *e);
	if (!e)
		return IFPLEX_ENOMEM;
	struct ev_hash grown = {.e = e, .cap = cap, .n = h->n};
	for (size_t i = 0; i < h->cap; i++) {
		if (!h->e[i])
			continue;
		size_t j = home(&grown, slot_hash(v, h, h->e[i] - 1));
		while (e[j])
			j = (j + 1) & (cap - 1);
		e[j] = h->e[i];
	}
	free(h->e);
	*h = grown;
	return 0;
}

/* Empty position pos; the entries after it that would no longer be found
 * move back. */
static void hash_remove_at(struct ev_view *v, struct ev_hash *h, size_t pos)
{
	size_t mask = h->cap - 1, i = pos, j = pos;

	h->e[i] = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (!h->e[j])
			break;
		size_t k = home(h, slot_hash(v, h, h->e[j] - 1));
		/* An entry whose home lies cyclically in (i, j] stays put. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		h->e[i] = h->e[j];
		h->e[j] = 0;
		i = j;
	}
	h->n--;
}

/* Position of link index, or of the empty entry where it would go; found
 * tells which. */
static size_t find_link(const struct ev_view *v, int index, int *found)
{
	const struct ev_hash *h = &v->by_index;

	*found = 0;
	if (!h->cap)
		return 0;
	size_t i = home(h, link_hash(index));
	while (h->e[i]) {
		if (v->links[h->e[i] - 1].ifi.index == index) {
			*found = 1;
			break;
		}
		i = (i + 1) & (h->cap - 1);
	}
	return i;
}

static size_t find_member(const struct ev_view *v, const struct ifplex_addr *a, int group, int *found)
{
	const struct ev_hash *h = &v->by_member;

	*found = 0;
	if (!h->cap)
		return 0;
	size_t i = home(h, member_hash(a, group));
	while (h->e[i]) {
		if (same_member(&v->mem[h->e[i] - 1], a, group)) {
			*found = 1;
			break;
		}
		i = (i + 1) & (h->cap - 1);
	}
	return i;
}

/* Room for one more slot in an array of elem-sized entries. */
static int slots_reserve(void **arr, size_t *n, size_t *cap, size_t elem, size_t free_slot)
{
	if (free_slot || *n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, c * elem);
	if (!p)
		return IFPLEX_ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

static size_t link_slot_take(struct ev_view *v)
{
	size_t s;

	if (v->free_links) {
		s = v->free_links - 1;
		v->free_links = v->links[s].members;
	} else {
		s = v->nlinks++;
	}
	memset(&v->links[s], 0, sizeof v->links[s]);
	return s;
}

static void link_slot_give(struct ev_view *v, size_t s)
{
	v->links[s].present = 0;
	v->links[s].ifi.index = 0;
	v->links[s].members = v->free_links;
	v->free_links = s + 1;
}

static size_t member_slot_take(struct ev_view *v)
{
	size_t s;

	if (v->free_mem) {
		s = v->free_mem - 1;
		v->free_mem = v->mem[s].next;
	} else {
		s = v->nmem++;
	}
	memset(&v->mem[s], 0, sizeof v->mem[s]);
	return s;
}

void view_init(struct ev_view *v)
{
	memset(v, 0, sizeof *v);
}

void view_free(struct ev_view *v)
{
	free(v->links);
	free(v->mem);
	free(v->by_index.e);
	free(v->by_member.e);
	view_init(v);
}

struct ev_link *view_link(struct ev_view *v, int index)
{
	int found;
	size_t pos = find_link(v, index, &found);

	return found ? &v->links[v->by_index.e[pos] - 1] : NULL;
}

/* The slot of link index, made a stub if the view has none; reserve first. */
static size_t link_get_or_stub(struct ev_view *v, int index)
{
	int found;
	size_t pos = find_link(v, index, &found);

	if (found)
		return v->by_index.e[pos] - 1;
	size_t s = link_slot_take(v);
	v->links[s].ifi.index = index;
	v->by_index.e[pos] = s + 1;
	v->by_index.n++;
	return s;
}

static int link_reserve(struct ev_view *v)
{
	int rc = hash_reserve(v, &v->by_index);
	if (rc == 0)
		rc = slots_reserve((void **)&v->links, &v->nlinks, &v->caplinks, sizeof *v->links,
				   v->free_links);
	return rc;
}

int view_link_put(struct ev_view *v, const struct ifplex_iface *ifi, struct ifplex_iface *old)
{
	int rc = link_reserve(v);

	if (rc < 0)
		return rc;
	struct ev_link *l = &v->links[link_get_or_stub(v, ifi->index)];
	int had = l->present;
	if (had && old)
		*old = l->ifi;
	l->ifi = *ifi;
	l->present = 1;
	return had;
}

static void member_unlink(struct ev_view *v, struct ev_link *l, size_t s)
{
	struct ev_member *m = &v->mem[s];

	if (m->prev)
		v->mem[m->prev - 1].next = m->next;
	else
		l->members = m->next;
	if (m->next)
		v->mem[m->next - 1].prev = m->prev;
	m->used = 0;
	m->next = v->free_mem;
	v->free_mem = s + 1;
}

int view_link_del(struct ev_view *v, int index, void (*fn)(const struct ev_member *m, void *arg), void *arg)
{
	int found;
	size_t pos = find_link(v, index, &found);

	if (!found)
		return 0;
	size_t s = v->by_index.e[pos] - 1;
	struct ev_link *l = &v->links[s];
	int had = l->present;
	while (l->members) {
		size_t ms = l->members - 1;
		int mfound;
		if (fn)
			fn(&v->mem[ms], arg);
		size_t mpos = find_member(v, &v->mem[ms].a, v->mem[ms].group, &mfound);
		if (mfound)
			hash_remove_at(v, &v->by_member, mpos);
		member_unlink(v, l, ms);
	}
	hash_remove_at(v, &v->by_index, pos);
	link_slot_give(v, s);
	return had;
}

int view_member_put(struct ev_view *v, const struct ifplex_addr *a, int group)
{
	int found, rc;
	size_t pos = find_member(v, a, group, &found);

	if (found) {
		v->mem[v->by_member.e[pos] - 1].a = *a;
		return 1;
	}
	if ((rc = link_reserve(v)) < 0 || (rc = hash_reserve(v, &v->by_member)) < 0 ||
	    (rc = slots_reserve((void **)&v->mem, &v->nmem, &v->capmem, sizeof *v->mem, v->free_mem)) < 0)
		return rc;
	size_t ls = link_get_or_stub(v, a->index);
	size_t s = member_slot_take(v);
	struct ev_member *m = &v->mem[s];
	m->a = *a;
	m->group = group;
	m->used = 1;
	m->next = v->links[ls].members;
	if (m->next)
		v->mem[m->next - 1].prev = s + 1;
	v->links[ls].members = s + 1;
	pos = find_member(v, a, group, &found); /* the table may have grown */
	v->by_member.e[pos] = s + 1;
	v->by_member.n++;
	return 0;
}

int view_member_del(struct ev_view *v, const struct ifplex_addr *a, int group)
{
	int found, lfound;
	size_t pos = find_member(v, a, group, &found);

	if (!found)
		return 0;
	size_t s = v->by_member.e[pos] - 1;
	size_t lpos = find_link(v, v->mem[s].a.index, &lfound);
	hash_remove_at(v, &v->by_member, pos);
	if (!lfound)
		return 1; /* cannot happen: a member always has its link or a stub */
	size_t ls = v->by_index.e[lpos] - 1;
	member_unlink(v, &v->links[ls], s);
	if (!v->links[ls].present && !v->links[ls].members) {
		hash_remove_at(v, &v->by_index, lpos);
		link_slot_give(v, ls);
	}
	return 1;
}

void view_rezone(struct ev_view *v, int index, const char *name)
{
	struct ev_link *l = view_link(v, index);

	for (size_t s = l ? l->members : 0; s; s = v->mem[s - 1].next) {
		struct ifplex_addr *a = &v->mem[s - 1].a;
		if (a->zone[0])
			snprintf(a->zone, sizeof a->zone, "%s", name);
	}
}
