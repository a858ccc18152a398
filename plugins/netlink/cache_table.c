/* The cache's tables: links and addresses in slot arrays, found through
 * open-addressing hashes by index, by name and by address.  Deleted slots
 * stay as tombstones until a rebuild, so that a delta is O(1) and the
 * order of the kernel's dump is kept. */
#include "nl.h"

#include <linux/if_addr.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define EMPTY 0
#define GONE SIZE_MAX

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

void table_clear_addrs(struct table *t)
{
	free(t->addrs);
	free(t->by_addr);
	t->addrs = NULL;
	t->by_addr = NULL;
	t->naddrs = t->capaddrs = t->liveaddrs = t->hcap_addrs = t->orphans = 0;
	for (size_t i = 0; i < t->nlinks; i++)
		t->links[i].first_addr = -1;
}

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

static void hash_put(size_t *h, size_t cap, uint64_t hv, size_t slot)
{
	for (size_t i = hv & (cap - 1);; i = (i + 1) & (cap - 1))
		if (h[i] == EMPTY || h[i] == GONE) {
			h[i] = slot + 1;
			return;
		}
}

/* Find the hash position whose slot matches; SIZE_MAX if none. */
#define HASH_FIND(h, cap, hv, cond)                                               \
	({                                                                          \
		size_t found_ = SIZE_MAX;                                           \
		if (cap)                                                            \
			for (size_t i_ = (hv) & ((cap) - 1);; i_ = (i_ + 1) & ((cap) - 1)) { \
				if ((h)[i_] == EMPTY)                                \
					break;                                      \
				if ((h)[i_] != GONE) {                               \
					size_t s = (h)[i_] - 1;                      \
					if (cond) {                                  \
						found_ = i_;                         \
						break;                               \
					}                                            \
				}                                                    \
			}                                                            \
		found_;                                                             \
	})

static size_t pow2_at_least(size_t n)
{
	size_t c = 16;
	while (c < n)
		c *= 2;
	return c;
}

/* Compact both arrays, size the hashes for what is live, relink chains. */
static int rebuild(struct table *t, size_t more_links, size_t more_addrs)
{
	size_t nl = 0, na = 0;
	size_t hl = pow2_at_least(4 * (t->livelinks + more_links + 1));
	size_t ha = pow2_at_least(4 * (t->liveaddrs + more_addrs + 1));
	size_t *bi = calloc(hl, sizeof *bi), *bn = calloc(hl, sizeof *bn), *ba = calloc(ha, sizeof *ba);

	if (!bi || !bn || !ba) {
		free(bi);
		free(bn);
		free(ba);
		return IFPLEX_ENOMEM;
	}
	for (size_t i = 0; i < t->nlinks; i++)
		if (t->links[i].live) {
			t->links[nl] = t->links[i];
			t->links[nl].first_addr = -1;
			hash_put(bi, hl, hash_index(t->links[nl].ifi.index), nl);
			hash_put(bn, hl, hash_name(t->links[nl].ifi.name), nl);
			nl++;
		}
	t->nlinks = nl;
	free(t->by_index);
	free(t->by_name);
	t->by_index = bi;
	t->by_name = bn;
	t->hcap_links = hl;
	for (size_t i = 0; i < t->naddrs; i++)
		if (t->addrs[i].live) {
			t->addrs[na] = t->addrs[i];
			hash_put(ba, ha, hash_addr(&t->addrs[na].a), na);
			na++;
		}
	t->naddrs = na;
	free(t->by_addr);
	t->by_addr = ba;
	t->hcap_addrs = ha;
	/* Chains: walk backwards so that each link's chain is in slot order. */
	t->orphans = 0;
	for (size_t i = na; i-- > 0;) {
		struct addr_slot *a = &t->addrs[i];
		size_t p = HASH_FIND(t->by_index, t->hcap_links, hash_index(a->a.index),
				     t->links[s].ifi.index == a->a.index);
		a->prev = -1;
		a->next = -1;
		a->orphan = p == SIZE_MAX;
		if (a->orphan) {
			t->orphans++;
			continue; /* its link is not (yet) known */
		}
		struct link_slot *l = &t->links[t->by_index[p] - 1];
		a->next = l->first_addr;
		if (a->next >= 0)
			t->addrs[a->next].prev = (int)i;
		l->first_addr = (int)i;
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

static struct link_slot *find_link(const struct table *t, int index, size_t *hpos)
{
	size_t p = HASH_FIND(t->by_index, t->hcap_links, hash_index(index), t->links[s].ifi.index == index);
	if (hpos)
		*hpos = p;
	return p == SIZE_MAX ? NULL : &t->links[t->by_index[p] - 1];
}

const struct ifplex_iface *table_by_index(const struct table *t, int index)
{
	struct link_slot *l = find_link(t, index, NULL);
	return l ? &l->ifi : NULL;
}

const struct ifplex_iface *table_by_name(const struct table *t, const char *name)
{
	size_t p = HASH_FIND(t->by_name, t->hcap_links, hash_name(name), strcmp(t->links[s].ifi.name, name) == 0);
	return p == SIZE_MAX ? NULL : &t->links[t->by_name[p] - 1].ifi;
}

static void unhash_name(struct table *t, const char *name, size_t slot)
{
	size_t p = HASH_FIND(t->by_name, t->hcap_links, hash_name(name), s == slot);
	if (p != SIZE_MAX)
		t->by_name[p] = GONE;
}

static void chain_unlink(struct table *t, size_t i)
{
	struct addr_slot *a = &t->addrs[i];

	if (a->prev >= 0)
		t->addrs[a->prev].next = a->next;
	else {
		struct link_slot *l = find_link(t, a->a.index, NULL);
		if (l && l->first_addr == (int)i)
			l->first_addr = a->next;
	}
	if (a->next >= 0)
		t->addrs[a->next].prev = a->prev;
	a->prev = a->next = -1;
}

static void chain_link(struct table *t, size_t i)
{
	struct addr_slot *a = &t->addrs[i];
	struct link_slot *l = find_link(t, a->a.index, NULL);

	a->prev = a->next = -1;
	a->orphan = !l;
	if (!l) {
		t->orphans++;
		return;
	}
	a->next = l->first_addr;
	if (a->next >= 0)
		t->addrs[a->next].prev = (int)i;
	l->first_addr = (int)i;
}

static int del_addr_slot(struct table *t, size_t hpos)
{
	size_t i = t->by_addr[hpos] - 1;

	if (t->addrs[i].orphan)
		t->orphans--;
	else
		chain_unlink(t, i);
	t->addrs[i].live = 0;
	t->by_addr[hpos] = GONE;
	t->liveaddrs--;
	return 0;
}

static int apply_link(struct table *t, const struct nlmsghdr *h)
{
	struct ifplex_iface ifi;
	size_t hpos;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return IFPLEX_EMALFORMED;
	/* Bridge-port events share the link group; a port leaving its bridge
	 * is an AF_BRIDGE RTM_DELLINK while the link itself stays. */
	if (((const struct ifinfomsg *)NLMSG_DATA(h))->ifi_family == AF_BRIDGE)
		return 0;

	if (h->nlmsg_type == RTM_DELLINK) {
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
			return IFPLEX_EMALFORMED;
		const struct ifinfomsg *m = NLMSG_DATA(h);
		struct link_slot *l = find_link(t, m->ifi_index, &hpos);
		if (!l)
			return 0;
		size_t slot = (size_t)(l - t->links);
		/* Its addresses go with it (the kernel also says so, later). */
		while (l->first_addr >= 0) {
			struct addr_slot *a = &t->addrs[l->first_addr];
			size_t ap = HASH_FIND(t->by_addr, t->hcap_addrs, hash_addr(&a->a), (int)s == l->first_addr);
			if (ap == SIZE_MAX)
				return IFPLEX_EMALFORMED;
			del_addr_slot(t, ap);
		}
		unhash_name(t, l->ifi.name, slot);
		t->by_index[hpos] = GONE;
		l->live = 0;
		t->livelinks--;
		return 0;
	}
	int rc = nl_parse_link(h, &ifi);
	if (rc < 0)
		return rc;
	struct link_slot *l = find_link(t, ifi.index, &hpos);
	if (l) {
		size_t slot = (size_t)(l - t->links);
		if (strcmp(l->ifi.name, ifi.name) != 0) {
			unhash_name(t, l->ifi.name, slot);
			hash_put(t->by_name, t->hcap_links, hash_name(ifi.name), slot);
		}
		l->ifi = ifi;
		return 0;
	}
	if (2 * (t->nlinks + 1) > t->hcap_links && (rc = rebuild(t, 1, 0)) < 0)
		return rc;
	if ((rc = grow((void **)&t->links, &t->caplinks, t->nlinks, sizeof *t->links)) < 0)
		return rc;
	size_t slot = t->nlinks++;
	t->links[slot] = (struct link_slot){.ifi = ifi, .live = 1, .first_addr = -1};
	hash_put(t->by_index, t->hcap_links, hash_index(ifi.index), slot);
	hash_put(t->by_name, t->hcap_links, hash_name(ifi.name), slot);
	t->livelinks++;
	/* Addresses that arrived before their link join its chain (rare). */
	if (t->orphans)
		return rebuild(t, 0, 0);
	return 0;
}

static int apply_addr(struct table *t, const struct nlmsghdr *h)
{
	struct ifplex_addr a;
	int scope, rc = nl_parse_addr(h, &a, &scope);

	if (rc != 0)
		return rc < 0 ? rc : 0;
	size_t p = HASH_FIND(t->by_addr, t->hcap_addrs, hash_addr(&a), same_addr(&t->addrs[s].a, &a));
	if (h->nlmsg_type == RTM_DELADDR)
		return p == SIZE_MAX ? 0 : del_addr_slot(t, p);
	if (p != SIZE_MAX) {
		struct addr_slot *s = &t->addrs[t->by_addr[p] - 1];
		s->a = a;
		s->wants_zone = nl_addr_wants_zone(&a, scope);
		return 0;
	}
	if (2 * (t->naddrs + 1) > t->hcap_addrs && (rc = rebuild(t, 0, 1)) < 0)
		return rc;
	if ((rc = grow((void **)&t->addrs, &t->capaddrs, t->naddrs, sizeof *t->addrs)) < 0)
		return rc;
	size_t slot = t->naddrs++;
	t->addrs[slot] = (struct addr_slot){.a = a, .live = 1, .wants_zone = nl_addr_wants_zone(&a, scope)};
	hash_put(t->by_addr, t->hcap_addrs, hash_addr(&a), slot);
	chain_link(t, slot);
	t->liveaddrs++;
	return 0;
}

int table_apply(struct table *t, const struct nlmsghdr *h)
{
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return apply_link(t, h);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return apply_addr(t, h);
	default:
		return 0;
	}
}

/* Memory every byte of which the copy-out writes: no need to zero it. */
static void *alloc_filled(const struct ifplex_host *host, size_t n)
{
	if (host->size >= offsetof(struct ifplex_host, alloc_raw) + sizeof host->alloc_raw && host->alloc_raw)
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

static void copy_addr(const struct table *t, const struct addr_slot *s, struct ifplex_addr *out,
		      const struct link_slot *l)
{
	/* The whole struct (its zone is empty and zero-filled), then the zone. */
	*out = s->a;
	if (s->wants_zone && l)
		memcpy(out->zone, l->ifi.name, strlen(l->ifi.name) + 1);
	(void)t;
}

int table_copy_addrs(const struct table *t, const struct ifplex_host *host, int index,
		     struct ifplex_addr **list, size_t *count)
{
	size_t n = 0;

	if (index) {
		const struct link_slot *l = find_link(t, index, NULL);
		if (!l)
			return IFPLEX_ENOIFACE;
		for (int i = l->first_addr; i >= 0; i = t->addrs[i].next)
			n++;
		struct ifplex_addr *out = alloc_filled(host, n * sizeof *out);
		if (!out)
			return IFPLEX_ENOMEM;
		/* The chain runs newest first; fill from the end to keep slot order. */
		size_t k = n;
		for (int i = l->first_addr; i >= 0; i = t->addrs[i].next)
			copy_addr(t, &t->addrs[i], &out[--k], l);
		*list = out;
		*count = n;
		return 0;
	}
	struct ifplex_addr *out = alloc_filled(host, t->liveaddrs * sizeof *out);
	if (!out)
		return IFPLEX_ENOMEM;
	for (size_t i = 0; i < t->naddrs; i++) {
		const struct addr_slot *s = &t->addrs[i];
		if (!s->live)
			continue;
		const struct link_slot *l = find_link(t, s->a.index, NULL);
		if (!l)
			continue; /* its link is gone or not yet seen */
		copy_addr(t, s, &out[n++], l);
	}
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
