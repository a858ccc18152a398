/* SPDX-License-Identifier: MIT */
/* The cache's tables.  Links are two parallel arrays by slot, the public
 * records (dense, so that a list is copied in runs, one memcpy when no link
 * was deleted since the last compaction) and what the cache keeps beside
 * them; addresses are compact slots chained per link and family in the
 * kernel's order, each knowing its link's slot.  Open-addressing hashes
 * find links by index and name and addresses by value.  A deleted slot
 * stays dead until a rebuild compacts the arrays, so that a delta is O(1);
 * the hashes never keep deleted entries (deletion shifts back), so that a
 * lookup always ends.  Links stay in index order, so that copies list them
 * as a dump does. */
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
	t->orphan_head = t->orphan_tail = -1;
}

void table_free(struct table *t)
{
	cache_mem_free(t->ifi, t->caplinks * sizeof *t->ifi);
	cache_mem_free(t->lm, t->caplm * sizeof *t->lm);
	cache_mem_free(t->ld, t->capld * sizeof *t->ld);
	cache_mem_free(t->names, t->names_cap);
	cache_mem_free(t->addrs, t->capaddrs * sizeof *t->addrs);
	cache_mem_free(t->ad, t->capad * sizeof *t->ad);
	cache_mem_free(t->by_index, t->hcap_links * sizeof *t->by_index);
	cache_mem_free(t->by_name, t->hcap_links * sizeof *t->by_name);
	cache_mem_free(t->by_addr, t->hcap_addrs * sizeof *t->by_addr);
	uint64_t version = t->version;
	table_init(t);
	t->version = version + 1;
}

static void link_no_addrs(struct link_meta *l)
{
	l->head[0] = l->head[1] = l->tail[0] = l->tail[1] = -1;
	l->dirty = 0;
}

void table_clear_addrs(struct table *t)
{
	cache_mem_free(t->addrs, t->capaddrs * sizeof *t->addrs);
	cache_mem_free(t->ad, t->capad * sizeof *t->ad);
	cache_mem_free(t->by_addr, t->hcap_addrs * sizeof *t->by_addr);
	t->addrs = NULL;
	t->ad = NULL;
	t->by_addr = NULL;
	t->naddrs = t->capaddrs = t->capad = t->liveaddrs = t->hcap_addrs = t->orphans = 0;
	t->chained[0] = t->chained[1] = 0;
	t->orphan_head = t->orphan_tail = -1;
	for (size_t i = 0; i < t->nlinks; i++)
		link_no_addrs(&t->lm[i]);
	t->dirty = 0;
	t->version++;
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

static uint64_t hash_addr_key(int index, const struct ifplex_ip *ip, int prefixlen)
{
	uint64_t h = hash_bytes(ip->b, ip->len, 0xcbf29ce484222325ULL ^ (uint64_t)ip->len);
	return mix(h ^ ((uint64_t)(uint32_t)index << 8) ^ (uint64_t)prefixlen);
}

static uint64_t hash_slot(const struct addr_slot *s)
{
	return hash_addr_key(s->index, &s->ip, s->prefixlen);
}

static int same_key(const struct addr_slot *s, const struct ifplex_addr *a)
{
	return s->index == a->index && s->prefixlen == a->prefixlen && s->ip.len == a->ip.len &&
	       memcmp(s->ip.b, a->ip.b, a->ip.len) == 0;
}

/* The hash an entry of kind k for slot was put under. */
static uint64_t home_of(const struct table *t, enum hkind k, size_t slot)
{
	switch (k) {
	case BY_INDEX:
		return hash_index(t->ifi[slot].index);
	case BY_NAME:
		return hash_name(t->ifi[slot].name);
	default:
		return hash_slot(&t->addrs[slot]);
	}
}

/* Visit the probe sequence of hv: entries up to the first empty one.  At
 * most half of a table is full, and the bound holds even if it were not. */
#define PROBE(h, cap, hv, i)                                                                  \
	for (size_t i = (hv) & ((cap) - 1), n_##i = (cap) ? 0 : 1; n_##i < (cap) && (h)[i] != EMPTY; \
	     i = (i + 1) & ((cap) - 1), n_##i++)

static void hash_put(uint32_t *h, size_t cap, uint64_t hv, size_t slot)
{
	size_t i = hv & (cap - 1);
	while (h[i] != EMPTY)
		i = (i + 1) & (cap - 1);
	h[i] = (uint32_t)slot + 1;
}

static uint32_t *hash_of(const struct table *t, enum hkind k, size_t *cap)
{
	*cap = k == BY_ADDR ? t->hcap_addrs : t->hcap_links;
	return k == BY_INDEX ? t->by_index : k == BY_NAME ? t->by_name : t->by_addr;
}

/* Remove slot from the hash of kind k: empty its position and shift back
 * each later entry of the run that may take its place (its home is not
 * between the hole and where it sits). */
static void hash_del(const struct table *t, enum hkind k, size_t slot)
{
	size_t cap, pos = NONE;
	uint32_t *h = hash_of(t, k, &cap);

	PROBE(h, cap, home_of(t, k, slot), i)
		if (h[i] - 1 == slot) {
			pos = i;
			break;
		}
	if (pos == NONE)
		return;
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

static size_t find_link(const struct table *t, int index)
{
	PROBE(t->by_index, t->hcap_links, hash_index(index), i)
		if (t->ifi[t->by_index[i] - 1].index == index)
			return t->by_index[i] - 1;
	return NONE;
}

static size_t find_addr(const struct table *t, const struct ifplex_addr *a)
{
	PROBE(t->by_addr, t->hcap_addrs, hash_addr_key(a->index, &a->ip, a->prefixlen), i)
		if (same_key(&t->addrs[t->by_addr[i] - 1], a))
			return t->by_addr[i] - 1;
	return NONE;
}

long table_link_slot(const struct table *t, int index)
{
	size_t l = find_link(t, index);
	return l == NONE ? -1 : (long)l;
}

const struct ifplex_iface *table_by_index(const struct table *t, int index)
{
	size_t l = find_link(t, index);
	return l == NONE ? NULL : &t->ifi[l];
}

const struct ifplex_iface *table_by_name(const struct table *t, const char *name)
{
	PROBE(t->by_name, t->hcap_links, hash_name(name), i)
		if (strcmp(t->ifi[t->by_name[i] - 1].name, name) == 0)
			return &t->ifi[t->by_name[i] - 1];
	return NULL;
}

/* ---------------------------------------------------------------- chains */

static int family_of(const struct addr_slot *a)
{
	return a->ip.len == 16;
}

static void mark_dirty(struct table *t, size_t l)
{
	if (!t->lm[l].dirty) {
		t->lm[l].dirty = 1;
		t->dirty++;
	}
}

static void chain_append(struct table *t, size_t l, size_t i)
{
	struct link_meta *m = &t->lm[l];
	struct addr_slot *a = &t->addrs[i];
	int f = family_of(a);

	a->orphan = 0;
	a->link = (uint32_t)l;
	a->next = -1;
	a->prev = m->tail[f];
	if (m->tail[f] >= 0)
		t->addrs[m->tail[f]].next = (int)i;
	else
		m->head[f] = (int)i;
	m->tail[f] = (int)i;
	t->chained[f]++;
}

static void chain_remove(struct table *t, size_t i)
{
	struct addr_slot *a = &t->addrs[i];
	struct link_meta *m = &t->lm[a->link];
	int f = family_of(a);

	if (a->prev >= 0)
		t->addrs[a->prev].next = a->next;
	else
		m->head[f] = a->next;
	if (a->next >= 0)
		t->addrs[a->next].prev = a->prev;
	else
		m->tail[f] = a->prev;
	a->prev = a->next = -1;
	t->chained[f]--;
}

/* Orphans (addresses whose link is not known yet) wait in one list, in
 * their order of arrival. */
static void orphan_append(struct table *t, size_t i)
{
	struct addr_slot *a = &t->addrs[i];

	a->orphan = 1;
	a->next = -1;
	a->prev = t->orphan_tail;
	if (t->orphan_tail >= 0)
		t->addrs[t->orphan_tail].next = (int)i;
	else
		t->orphan_head = (int)i;
	t->orphan_tail = (int)i;
	t->orphans++;
}

static void orphan_remove(struct table *t, size_t i)
{
	struct addr_slot *a = &t->addrs[i];

	if (a->prev >= 0)
		t->addrs[a->prev].next = a->next;
	else
		t->orphan_head = a->next;
	if (a->next >= 0)
		t->addrs[a->next].prev = a->prev;
	else
		t->orphan_tail = a->prev;
	a->prev = a->next = -1;
	t->orphans--;
}

/* Addresses that came before link l join it in their order of arrival;
 * joining addresses already there, their place in the kernel's list is
 * unknown. */
static void adopt_orphans(struct table *t, size_t l)
{
	int index = t->ifi[l].index;

	for (int i = t->orphan_head, next; i >= 0; i = next) {
		struct addr_slot *a = &t->addrs[i];
		next = a->next;
		if (a->index != index)
			continue;
		orphan_remove(t, (size_t)i);
		if (t->lm[l].head[family_of(a)] >= 0)
			mark_dirty(t, l);
		chain_append(t, l, (size_t)i);
	}
}

/* ---------------------------------------------------------------- rebuild */

static size_t pow2_at_least(size_t n)
{
	size_t c = 16;
	while (c < n)
		c *= 2;
	return c;
}

/* Grow *arr of *cap elements of elem bytes to hold n + 1. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = cache_mem_resize(*arr, *cap * elem, c * elem);
	if (!p)
		return IFPLEX_ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

/* Sort live links by index: an index-ordered permutation applied to both
 * arrays (insertion order is almost sorted: a link moved in from another
 * namespace is the rare one out of place). */
static void sort_links(struct table *t)
{
	for (size_t i = 1; i < t->nlinks; i++) {
		struct ifplex_iface fi = t->ifi[i];
		struct link_meta mi = t->lm[i];
		struct link_detail di = t->ld[i];
		size_t j = i;
		for (; j > 0 && t->ifi[j - 1].index > fi.index; j--) {
			t->ifi[j] = t->ifi[j - 1];
			t->lm[j] = t->lm[j - 1];
			t->ld[j] = t->ld[j - 1];
		}
		t->ifi[j] = fi;
		t->lm[j] = mi;
		t->ld[j] = di;
	}
}

/* Compact both arrays (links sorted by index, addresses in chain order,
 * orphans last), size the hashes for what is live plus more, and attach
 * orphans whose link is known now.  All memory is taken first: on failure
 * nothing changed. */
static int rebuild(struct table *t, size_t more_links, size_t more_addrs)
{
	size_t hl = pow2_at_least(4 * (t->livelinks + more_links + 1));
	size_t ha = pow2_at_least(4 * (t->liveaddrs + more_addrs + 1));
	size_t ca = pow2_at_least(t->liveaddrs + more_addrs);
	uint32_t *bi = cache_mem_zalloc(hl * sizeof *bi), *bn = cache_mem_zalloc(hl * sizeof *bn);
	uint32_t *ba = cache_mem_zalloc(ha * sizeof *ba);
	struct addr_slot *na = cache_mem_zalloc(ca * sizeof *na);
	struct addr_detail *nd = cache_mem_zalloc(ca * sizeof *nd);
	size_t nl = 0, n = 0;
	int sorted = 1;

	if (!bi || !bn || !ba || !na || !nd) {
		cache_mem_free(bi, hl * sizeof *bi);
		cache_mem_free(bn, hl * sizeof *bn);
		cache_mem_free(ba, ha * sizeof *ba);
		cache_mem_free(na, ca * sizeof *na);
		cache_mem_free(nd, ca * sizeof *nd);
		return IFPLEX_ENOMEM;
	}
	for (size_t i = 0; i < t->nlinks; i++)
		if (t->lm[i].live) {
			sorted &= nl == 0 || t->ifi[nl - 1].index < t->ifi[i].index;
			if (nl != i) {
				t->ifi[nl] = t->ifi[i];
				t->lm[nl] = t->lm[i];
				t->ld[nl] = t->ld[i];
			}
			nl++;
		}
	t->nlinks = nl;
	if (!sorted)
		sort_links(t);
	t->unsorted = 0;
	/* Each link's chains in order, renumbered into the new array. */
	for (size_t i = 0; i < nl; i++) {
		struct link_meta *l = &t->lm[i];
		hash_put(bi, hl, hash_index(t->ifi[i].index), i);
		hash_put(bn, hl, hash_name(t->ifi[i].name), i);
		for (int f = 0; f < 2; f++) {
			int old = l->head[f];
			l->head[f] = l->tail[f] = -1;
			for (; old >= 0; old = t->addrs[old].next) {
				na[n] = t->addrs[old];
				nd[n] = t->ad[old];
				na[n].link = (uint32_t)i;
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
	for (int i = t->orphan_head; i >= 0; i = t->addrs[i].next) {
		nd[n] = t->ad[i];
		na[n++] = t->addrs[i];
	}
	cache_mem_free(t->by_index, t->hcap_links * sizeof *t->by_index);
	cache_mem_free(t->by_name, t->hcap_links * sizeof *t->by_name);
	cache_mem_free(t->by_addr, t->hcap_addrs * sizeof *t->by_addr);
	cache_mem_free(t->addrs, t->capaddrs * sizeof *t->addrs);
	cache_mem_free(t->ad, t->capad * sizeof *t->ad);
	t->by_index = bi;
	t->by_name = bn;
	t->hcap_links = hl;
	t->addrs = na;
	t->naddrs = n;
	t->capaddrs = ca;
	t->ad = nd;
	t->capad = ca;
	t->by_addr = ba;
	t->hcap_addrs = ha;
	for (size_t i = 0; i < n; i++)
		hash_put(ba, ha, hash_slot(&na[i]), i);
	t->orphans = 0;
	t->orphan_head = t->orphan_tail = -1;
	for (size_t i = chained; i < n; i++)
		orphan_append(t, i);
	for (size_t i = chained; i < n; i++) {
		size_t l = find_link(t, na[i].index);
		if (l == NONE)
			continue;
		orphan_remove(t, i);
		if (t->lm[l].head[family_of(&na[i])] >= 0)
			mark_dirty(t, l);
		chain_append(t, l, i);
	}
	return 0;
}

/* ---------------------------------------------------------------- deltas */

static void del_addr(struct table *t, size_t i)
{
	struct addr_slot *a = &t->addrs[i];

	if (a->orphan)
		orphan_remove(t, i);
	else
		chain_remove(t, i);
	hash_del(t, BY_ADDR, i);
	a->live = 0;
	t->liveaddrs--;
	t->version++;
}

static void drop_link_addrs(struct table *t, size_t l)
{
	for (int f = 0; f < 2; f++)
		while (t->lm[l].head[f] >= 0)
			del_addr(t, (size_t)t->lm[l].head[f]);
	if (t->lm[l].dirty) {
		t->lm[l].dirty = 0;
		t->dirty--;
	}
}

static int del_link(struct table *t, int index)
{
	size_t l = find_link(t, index);

	if (l == NONE)
		return 0;
	/* Its addresses go with it (the kernel also says so, later). */
	drop_link_addrs(t, l);
	hash_del(t, BY_NAME, l);
	hash_del(t, BY_INDEX, l);
	t->names_dead += t->ld[l].alt_len;
	t->lm[l].live = 0;
	t->livelinks--;
	t->version++;
	return 0;
}

/* Room for n more bytes of names: the live ones packed into a new block
 * when most are dead, else the block grown.  Nothing changes on failure. */
static int names_room(struct table *t, size_t n)
{
	if (t->names_len + n <= t->names_cap)
		return 0;
	size_t live = t->names_len - t->names_dead;
	size_t cap = 2 * (live + n) > 4096 ? 2 * (live + n) : 4096;
	if (t->names_dead < live) {
		size_t c = cap > 2 * t->names_cap ? cap : 2 * t->names_cap;
		void *p = cache_mem_resize(t->names, t->names_cap, c);
		if (!p)
			return IFPLEX_ENOMEM;
		t->names = p;
		t->names_cap = c;
		return 0;
	}
	char *p = cache_mem_zalloc(cap);
	size_t len = 0;
	if (!p)
		return IFPLEX_ENOMEM;
	for (size_t l = 0; l < t->nlinks; l++) {
		struct link_detail *d = &t->ld[l];
		if (!t->lm[l].live || !d->alt_len)
			continue;
		memcpy(p + len, t->names + d->alt_off, d->alt_len);
		d->alt_off = (uint32_t)len;
		len += d->alt_len;
	}
	cache_mem_free(t->names, t->names_cap);
	t->names = p;
	t->names_cap = cap;
	t->names_len = len;
	t->names_dead = 0;
	return 0;
}

/* Link slot l's details become d, its names alt (d->alt_len bytes). */
static int set_link_detail(struct table *t, size_t l, const struct link_detail *d, const char *alt)
{
	struct link_detail *o = &t->ld[l];
	uint32_t off = o->alt_off, len = o->alt_len;

	if (d->alt_len != len || (len && memcmp(t->names + off, alt, len) != 0)) {
		int rc = names_room(t, d->alt_len);
		if (rc < 0)
			return rc;
		/* The room may have moved this link's names: dead from now. */
		t->names_dead += o->alt_len;
		off = (uint32_t)t->names_len;
		len = d->alt_len;
		if (len)
			memcpy(t->names + off, alt, len);
		t->names_len += len;
	}
	*o = *d;
	o->alt_off = off;
	o->alt_len = len;
	return 0;
}

static int put_link(struct table *t, const struct ifplex_iface *ifi, const struct link_detail *d,
		    const char *alt)
{
	size_t l = find_link(t, ifi->index);
	int rc;

	if (l != NONE) {
		if (d && (rc = set_link_detail(t, l, d, alt)) < 0)
			return rc;
		if (memcmp(&t->ifi[l], ifi, sizeof *ifi) == 0)
			return 0; /* a notification of something a list does not show */
		if (strcmp(t->ifi[l].name, ifi->name) != 0) {
			hash_del(t, BY_NAME, l);
			t->ifi[l] = *ifi;
			hash_put(t->by_name, t->hcap_links, hash_name(ifi->name), l);
		}
		t->ifi[l] = *ifi;
		t->version++;
		return 0;
	}
	if (2 * (t->nlinks + 1) > t->hcap_links && (rc = rebuild(t, 1, 0)) < 0)
		return rc;
	if ((rc = grow((void **)&t->ifi, &t->caplinks, t->nlinks, sizeof *t->ifi)) < 0 ||
	    (rc = grow((void **)&t->lm, &t->caplm, t->nlinks, sizeof *t->lm)) < 0 ||
	    (rc = grow((void **)&t->ld, &t->capld, t->nlinks, sizeof *t->ld)) < 0)
		return rc;
	memset(&t->ld[t->nlinks], 0, sizeof t->ld[t->nlinks]);
	if (d && (rc = set_link_detail(t, t->nlinks, d, alt)) < 0)
		return rc;
	l = t->nlinks++;
	int in_order = l == 0 || t->ifi[l - 1].index < ifi->index;
	t->ifi[l] = *ifi;
	memset(&t->lm[l], 0, sizeof t->lm[l]);
	t->lm[l].live = 1;
	link_no_addrs(&t->lm[l]);
	hash_put(t->by_index, t->hcap_links, hash_index(ifi->index), l);
	hash_put(t->by_name, t->hcap_links, hash_name(ifi->name), l);
	t->livelinks++;
	t->version++;
	if (t->orphans)
		adopt_orphans(t, l);
	/* A link below the last index (moved in from another namespace, or
	 * given an index) takes its place in order at the next rebuild: rare. */
	t->unsorted |= !in_order;
	return 0;
}

/* Put links back in index order if one came out of it. */
static int sort_if_needed(struct table *t)
{
	if (!t->unsorted)
		return 0;
	int rc = rebuild(t, 0, 0);
	if (rc == 0)
		t->unsorted = 0;
	return rc;
}

static int apply_link(struct table *t, const struct nlmsghdr *h)
{
	struct ifplex_iface ifi;
	struct link_detail d;
	char alt[LINK_ALT_MAX];

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
	if (rc == 0)
		rc = detail_link_parse(h, &d, alt);
	if (rc == 0)
		rc = put_link(t, &ifi, &d, alt);
	return rc < 0 ? rc : sort_if_needed(t);
}

static void set_slot(struct addr_slot *s, const struct ifplex_addr *a, const struct nl_addr_meta *m)
{
	s->index = a->index;
	s->ip = a->ip;
	s->prefixlen = (uint8_t)a->prefixlen;
	s->wants_zone = (uint8_t)nl_addr_wants_zone(a, m->scope);
	s->flags = m->flags;
}

/* Slot i's details become d (none known: zero). */
static void set_addr_detail(struct table *t, size_t i, const struct addr_detail *d, int fresh)
{
	struct addr_detail n = {0};

	if (d) {
		n = *d;
		detail_addr_merge(&n, fresh ? NULL : &t->ad[i]);
	}
	t->ad[i] = n;
}

static int put_addr(struct table *t, const struct ifplex_addr *a, const struct nl_addr_meta *m,
		    const struct addr_detail *d, int from_dump)
{
	size_t i = find_addr(t, a);
	int rc;

	if (i != NONE) {
		struct addr_slot *s = &t->addrs[i];
		set_addr_detail(t, i, d, 0);
		/* A promoted IPv4 secondary moves up among the primaries. */
		if (!from_dump && !s->orphan && a->ip.len == 4 && ((s->flags ^ m->flags) & IFA_F_SECONDARY))
			mark_dirty(t, s->link);
		int zone = nl_addr_wants_zone(a, m->scope);
		if (s->wants_zone != zone)
			t->version++;
		set_slot(s, a, m);
		return 0;
	}
	if (a->prefixlen < 0 || a->prefixlen > 128)
		return IFPLEX_EMALFORMED;
	if (2 * (t->naddrs + 1) > t->hcap_addrs && (rc = rebuild(t, 0, 1)) < 0)
		return rc;
	if ((rc = grow((void **)&t->addrs, &t->capaddrs, t->naddrs, sizeof *t->addrs)) < 0 ||
	    (rc = grow((void **)&t->ad, &t->capad, t->naddrs, sizeof *t->ad)) < 0)
		return rc;
	set_addr_detail(t, t->naddrs, d, 1);
	i = t->naddrs++;
	struct addr_slot *s = &t->addrs[i];
	memset(s, 0, sizeof *s);
	set_slot(s, a, m);
	s->live = 1;
	s->prev = s->next = -1;
	hash_put(t->by_addr, t->hcap_addrs, hash_slot(s), i);
	t->liveaddrs++;
	t->version++;
	size_t l = find_link(t, a->index);
	if (l == NONE) {
		orphan_append(t, i);
		return 0;
	}
	/* A notification does not say where in the kernel's list the address
	 * went; at the end of an empty list is the only sure place. */
	if (!from_dump && t->lm[l].head[family_of(s)] >= 0)
		mark_dirty(t, l);
	chain_append(t, l, i);
	return 0;
}

static int apply_addr(struct table *t, const struct nlmsghdr *h, int from_dump)
{
	struct ifplex_addr a;
	struct nl_addr_meta m;
	struct addr_detail d;
	int rc = nl_parse_addr(h, &a, &m);

	if (rc != 0)
		return rc < 0 ? rc : 0;
	if (h->nlmsg_type == RTM_NEWADDR) {
		if ((rc = detail_addr_parse(h, a.ip.len, detail_now(), &d)) < 0)
			return rc;
		return put_addr(t, &a, &m, &d, from_dump);
	}
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
		size_t l = find_link(t, index);
		if (l == NONE)
			return 0; /* gone since: nothing to order */
		drop_link_addrs(t, l);
	} else {
		table_clear_addrs(t);
	}
	for (size_t i = 0; i < n; i++) {
		if (index && list[i].a.index != index)
			continue;
		int rc = put_addr(t, &list[i].a, &list[i].m, list[i].has_d ? &list[i].d : NULL, 1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* n links of stride bytes, each beginning with its record and, with
 * details, a struct table_link whose names are in names. */
static int relink(struct table *t, const void *links, size_t stride, size_t n, int details, const char *names)
{
#define LINK_AT(k) ((const struct ifplex_iface *)((const char *)links + (k) * stride))
	/* Links the dump no longer has are gone, with their addresses; the
	 * rest are updated or added in the dump's (index) order. */
	size_t k = 0;
	for (size_t i = 0; i < t->nlinks; i++) {
		if (!t->lm[i].live)
			continue;
		int index = t->ifi[i].index;
		while (k < n && LINK_AT(k)->index < index)
			k++;
		if (k == n || LINK_AT(k)->index != index)
			del_link(t, index);
	}
	for (size_t i = 0; i < n; i++) {
		const struct table_link *tl = details ? (const struct table_link *)LINK_AT(i) : NULL;
		int rc = put_link(t, LINK_AT(i), tl ? &tl->d : NULL, tl ? names + tl->d.alt_off : NULL);
		if (rc < 0)
			return rc;
	}
#undef LINK_AT
	return sort_if_needed(t);
}

int table_relink(struct table *t, const struct ifplex_iface *links, size_t n)
{
	return relink(t, links, sizeof *links, n, 0, NULL);
}

int table_relink_details(struct table *t, const struct table_link *links, size_t n, const char *names)
{
	return relink(t, links, sizeof *links, n, 1, names);
}

size_t table_dirty_links(const struct table *t, int *out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < t->nlinks && k < max; i++)
		if (t->lm[i].live && t->lm[i].dirty)
			out[k++] = t->ifi[i].index;
	return t->dirty;
}

/* ---------------------------------------------------------------- copies */

void table_copy_link_records(const struct table *t, struct ifplex_iface *out)
{
	size_t n = 0;

	/* Runs of live slots, one memcpy each. */
	for (size_t i = 0; i < t->nlinks;) {
		if (!t->lm[i].live) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < t->nlinks && t->lm[j].live)
			j++;
		memcpy(out + n, t->ifi + i, (j - i) * sizeof *out);
		n += j - i;
		i = j;
	}
}

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

	if (!out)
		return IFPLEX_ENOMEM;
	table_copy_link_records(t, out);
	*list = out;
	*count = t->livelinks;
	return 0;
}

/* One address as the public struct: every byte written, the zone from
 * its link's name where the address takes one. */
static void write_addr(const struct table *t, const struct addr_slot *s, struct ifplex_addr *d)
{
	memset(d, 0, sizeof *d);
	d->index = s->index;
	d->ip = s->ip;
	d->prefixlen = s->prefixlen;
	if (s->wants_zone)
		memcpy(d->zone, t->ifi[s->link].name, strlen(t->ifi[s->link].name) + 1);
}

void table_addr_record(const struct table *t, size_t i, struct ifplex_addr *out)
{
	write_addr(t, &t->addrs[i], out);
}

static size_t copy_chain(const struct table *t, size_t l, int f, struct ifplex_addr *out)
{
	size_t n = 0;

	for (int i = t->lm[l].head[f]; i >= 0; i = t->addrs[i].next)
		write_addr(t, &t->addrs[i], &out[n++]);
	return n;
}

void table_copy_addr_records(const struct table *t, struct ifplex_addr *out)
{
	size_t n = 0;

	for (int f = 0; f < 2; f++)
		for (size_t l = 0; l < t->nlinks; l++)
			if (t->lm[l].live)
				n += copy_chain(t, l, f, out + n);
}

int table_copy_addrs(const struct table *t, const struct ifplex_host *host, int index,
		     struct ifplex_addr **list, size_t *count)
{
	size_t n = 0;

	if (index) {
		size_t l = find_link(t, index);
		if (l == NONE)
			return IFPLEX_ENOIFACE;
		for (int f = 0; f < 2; f++)
			for (int i = t->lm[l].head[f]; i >= 0; i = t->addrs[i].next)
				n++;
		struct ifplex_addr *out = alloc_filled(host, n * sizeof *out);
		if (!out)
			return IFPLEX_ENOMEM;
		n = copy_chain(t, l, 0, out);
		n += copy_chain(t, l, 1, out + n);
		*list = out;
		*count = n;
		return 0;
	}
	/* Orphans wait for their link and are not listed. */
	n = t->chained[0] + t->chained[1];
	struct ifplex_addr *out = alloc_filled(host, n * sizeof *out);
	if (!out)
		return IFPLEX_ENOMEM;
	table_copy_addr_records(t, out);
	*list = out;
	*count = n;
	return 0;
}

size_t table_bytes(const struct table *t, int addrs)
{
	if (addrs)
		return t->capaddrs * sizeof *t->addrs + t->capad * sizeof *t->ad +
		       t->hcap_addrs * sizeof *t->by_addr;
	return t->caplinks * sizeof *t->ifi + t->caplm * sizeof *t->lm + t->capld * sizeof *t->ld + t->names_cap +
	       2 * t->hcap_links * sizeof *t->by_index;
}
