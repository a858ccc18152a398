/* SPDX-License-Identifier: MIT */
/* Snapshots: one block holding the interfaces, the addresses (IPv4 then
 * IPv6, each grouped by interface), each interface's address ranges and
 * two hash tables (by index, by name), counted by atomic references.  A
 * backend fills the arrays; sealing checks them and builds the rest, after
 * which nothing in the block changes until the last reference frees it. */
#include "internal.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SNAP_MAGIC 0x70616e73786c7066ULL /* "fplxsnap" */
/* Blocks come from the OS, not the C library's heap: a block that lives as
 * long as it is current would raise the top of glibc's heap, which then
 * trims and faults pages in again on every large allocation of the
 * program's.  Sizes are rounded up to this, so that spares fit again. */
#define MAP_GRAIN (16 * 1024)
/* Freed mapped blocks kept for the next snapshot, so that a rebuild after a
 * change does not fault its pages in again. */
#define SPARES 2

struct snap {
	struct ifplex_snapshot pub; /* first: what a backend sees */
	uint64_t magic;
	_Atomic uint64_t refs;
	int sealed;
	size_t bytes;               /* the mapped block's size */
	size_t cap_ifaces, cap_addrs;
	/* Per interface: IPv4 start, IPv4 count, IPv6 start, IPv6 count. */
	uint32_t *ranges;
	/* Open addressing over interface positions + 1 (0: empty), at most
	 * half full, so that every probe ends at an empty entry. */
	uint32_t *by_index, *by_name;
	size_t hcap;
};

static struct {
	void *block[SPARES];
	size_t bytes[SPARES];
} spare; /* under IFPLEX__LOCK_SNAPSHOT */

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

static size_t pow2_at_least(size_t n)
{
	size_t c = 16;
	while (c < n)
		c *= 2;
	return c;
}

/* A mapped block of at least n bytes: a spare that fits (not more than
 * twice n, so that one large spare is not spent on small snapshots), else
 * a new mapping. */
static void *map_block(size_t n, size_t *got)
{
	void *p = NULL;

	ifplex__lock(IFPLEX__LOCK_SNAPSHOT);
	for (int i = 0; i < SPARES && !p; i++)
		if (spare.block[i] && spare.bytes[i] >= n && spare.bytes[i] / 2 <= n) {
			p = spare.block[i];
			*got = spare.bytes[i];
			spare.block[i] = NULL;
		}
	ifplex__unlock(IFPLEX__LOCK_SNAPSHOT);
	if (p)
		return p;
	*got = (n + MAP_GRAIN - 1) / MAP_GRAIN * MAP_GRAIN;
	return ifplex__os_map(*got);
}

static void unmap_block(void *p, size_t n)
{
	ifplex__lock(IFPLEX__LOCK_SNAPSHOT);
	for (int i = 0; i < SPARES && p; i++)
		if (!spare.block[i]) {
			spare.block[i] = p;
			spare.bytes[i] = n;
			p = NULL;
		}
	ifplex__unlock(IFPLEX__LOCK_SNAPSHOT);
	if (p)
		ifplex__os_unmap(p, n);
}

struct ifplex_snapshot *ifplex__snapshot_alloc(size_t nifaces, size_t naddrs)
{
	/* Positions are 32-bit; the hash tables hold two entries per interface. */
	if (nifaces > UINT32_MAX / 8 || naddrs > UINT32_MAX / 2)
		return NULL;
	size_t hcap = pow2_at_least(2 * nifaces + 2);
	size_t off_if = align64(sizeof(struct snap));
	size_t off_ad = off_if + align64(nifaces * sizeof(struct ifplex_iface));
	size_t off_rg = off_ad + align64(naddrs * sizeof(struct ifplex_addr));
	size_t off_h = off_rg + align64(nifaces * 4 * sizeof(uint32_t));
	size_t bytes = off_h + 2 * hcap * sizeof(uint32_t), got;
	char *b = map_block(bytes, &got);

	if (!b)
		return NULL;
	struct snap *s = (struct snap *)b;
	memset(s, 0, sizeof *s);
	s->pub.size = sizeof s->pub;
	s->pub.ifaces = (struct ifplex_iface *)(b + off_if);
	s->pub.nifaces = nifaces;
	s->pub.addrs = (struct ifplex_addr *)(b + off_ad);
	s->pub.naddrs = naddrs;
	s->magic = SNAP_MAGIC;
	atomic_init(&s->refs, 1);
	s->bytes = got;
	s->cap_ifaces = nifaces;
	s->cap_addrs = naddrs;
	s->ranges = (uint32_t *)(b + off_rg);
	s->by_index = (uint32_t *)(b + off_h);
	s->by_name = s->by_index + hcap;
	s->hcap = hcap;
	return &s->pub;
}

static struct snap *of(const struct ifplex_snapshot *p)
{
	return (struct snap *)(uintptr_t)p;
}

void ifplex__snapshot_hold(struct ifplex_snapshot *p)
{
	atomic_fetch_add_explicit(&of(p)->refs, 1, memory_order_relaxed);
}

void ifplex__snapshot_put(struct ifplex_snapshot *p)
{
	struct snap *s = of(p);

	if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	s->magic = 0;
	unmap_block(s, s->bytes);
}

int ifplex__snapshot_valid(const struct ifplex_snapshot *p)
{
	return p && of(p)->magic == SNAP_MAGIC && of(p)->sealed;
}

/* ------------------------------------------------------------- lookups */

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_index(int index)
{
	return mix((uint64_t)(uint32_t)index + 0x9e3779b97f4a7c15ULL);
}

static uint64_t hash_name(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return mix(h);
}

/* Put pos under hv unless an equal key is there already: 0, or -1. */
static int hash_put(const struct snap *s, uint32_t *h, uint64_t hv, size_t pos, int by_name)
{
	const struct ifplex_iface *f = s->pub.ifaces;
	size_t mask = s->hcap - 1, i = hv & mask;

	for (; h[i]; i = (i + 1) & mask) {
		const struct ifplex_iface *o = &f[h[i] - 1];
		if (by_name ? strcmp(o->name, f[pos].name) == 0 : o->index == f[pos].index)
			return -1;
	}
	h[i] = (uint32_t)pos + 1;
	return 0;
}

static long find_index(const struct snap *s, int index)
{
	size_t mask = s->hcap - 1;

	for (size_t i = hash_index(index) & mask; s->by_index[i]; i = (i + 1) & mask)
		if (s->pub.ifaces[s->by_index[i] - 1].index == index)
			return (long)s->by_index[i] - 1;
	return -1;
}

static long find_name(const struct snap *s, const char *name)
{
	size_t mask = s->hcap - 1;

	for (size_t i = hash_name(name) & mask; s->by_name[i]; i = (i + 1) & mask)
		if (strcmp(s->pub.ifaces[s->by_name[i] - 1].name, name) == 0)
			return (long)s->by_name[i] - 1;
	return -1;
}

/* ------------------------------------------------------------- sealing */

static int iface_ok(const struct ifplex_iface *f)
{
	return f->index > 0 && memchr(f->name, 0, sizeof f->name) && f->name[0] &&
	       f->hwaddr_len <= IFPLEX_HWADDR_MAX;
}

static int addr_ok(const struct ifplex_addr *a, int v6)
{
	int bits = v6 ? 128 : 32;
	return a->ip.len == (v6 ? 16 : 4) && a->prefixlen >= 0 && a->prefixlen <= bits &&
	       memchr(a->zone, 0, sizeof a->zone);
}

/* Each family's addresses follow the interfaces' order: walk both at once
 * and note where each interface's run begins and how long it is. */
static int index_addrs(struct snap *s)
{
	const struct ifplex_snapshot *p = &s->pub;
	size_t i = 0;

	memset(s->ranges, 0, p->nifaces * 4 * sizeof *s->ranges);
	for (int f = 0; f < 2; f++) {
		size_t pos = 0, end = f ? p->naddrs : p->naddrs4;
		for (; i < end; i++) {
			const struct ifplex_addr *a = &p->addrs[i];
			if (!addr_ok(a, f))
				return -1;
			while (pos < p->nifaces && p->ifaces[pos].index != a->index)
				pos++;
			if (pos == p->nifaces)
				return -1; /* an unknown interface, or out of order */
			uint32_t *r = &s->ranges[pos * 4 + f * 2];
			if (r[1] == 0)
				r[0] = (uint32_t)i;
			r[1]++;
		}
	}
	return 0;
}

int ifplex__snapshot_seal(struct ifplex_snapshot *p, uint64_t generation)
{
	struct snap *s = of(p);

	if (!p || s->magic != SNAP_MAGIC || s->sealed || p->nifaces > s->cap_ifaces ||
	    p->naddrs > s->cap_addrs || p->naddrs4 > p->naddrs || p->size != sizeof *p)
		return IFPLEX_EBADPLUGIN;
	memset(s->by_index, 0, 2 * s->hcap * sizeof *s->by_index);
	for (size_t i = 0; i < p->nifaces; i++) {
		const struct ifplex_iface *f = &p->ifaces[i];
		if (!iface_ok(f) || hash_put(s, s->by_index, hash_index(f->index), i, 0) < 0 ||
		    hash_put(s, s->by_name, hash_name(f->name), i, 1) < 0)
			return IFPLEX_EBADPLUGIN;
	}
	if (index_addrs(s) < 0)
		return IFPLEX_EBADPLUGIN;
	p->generation = generation;
	s->sealed = 1;
	return 0;
}

/* ------------------------------------------------------------ comparing */

static int same_iface(const struct ifplex_iface *a, const struct ifplex_iface *b)
{
	return a->index == b->index && a->mtu == b->mtu && a->flags == b->flags &&
	       strcmp(a->name, b->name) == 0 && a->hwaddr_len == b->hwaddr_len &&
	       memcmp(a->hwaddr, b->hwaddr, a->hwaddr_len) == 0;
}

static int same_addr(const struct ifplex_addr *a, const struct ifplex_addr *b)
{
	return a->index == b->index && a->prefixlen == b->prefixlen && a->ip.len == b->ip.len &&
	       memcmp(a->ip.b, b->ip.b, a->ip.len) == 0 && strcmp(a->zone, b->zone) == 0;
}

int ifplex__snapshot_same(const struct ifplex_snapshot *a, const struct ifplex_snapshot *b)
{
	if (a->nifaces != b->nifaces || a->naddrs != b->naddrs || a->naddrs4 != b->naddrs4)
		return 0;
	for (size_t i = 0; i < a->nifaces; i++)
		if (!same_iface(&a->ifaces[i], &b->ifaces[i]))
			return 0;
	for (size_t i = 0; i < a->naddrs; i++)
		if (!same_addr(&a->addrs[i], &b->addrs[i]))
			return 0;
	return 1;
}

/* ----------------------------------------------------- public accessors */

void ifplex_snapshot_put(const struct ifplex_snapshot *s)
{
	if (ifplex__snapshot_valid(s))
		ifplex__snapshot_put((struct ifplex_snapshot *)(uintptr_t)s);
}

uint64_t ifplex_snapshot_generation(const struct ifplex_snapshot *s)
{
	return s ? s->generation : 0;
}

const struct ifplex_iface *ifplex_snapshot_interfaces(const struct ifplex_snapshot *s, size_t *count)
{
	if (count)
		*count = s ? s->nifaces : 0;
	return s ? s->ifaces : NULL;
}

const struct ifplex_addr *ifplex_snapshot_addrs(const struct ifplex_snapshot *s, int family, size_t *count)
{
	size_t start = 0, n = 0;

	if (s && family == 4) {
		n = s->naddrs4;
	} else if (s && family == 6) {
		start = s->naddrs4;
		n = s->naddrs - s->naddrs4;
	} else if (s && family == 0) {
		n = s->naddrs;
	}
	if (count)
		*count = n;
	return n ? s->addrs + start : NULL;
}

const struct ifplex_addr *ifplex_snapshot_iface_addrs(const struct ifplex_snapshot *p, const struct ifplex_iface *ifi,
						      int family, size_t *count)
{
	long pos = -1;

	if (count)
		*count = 0;
	if (!p || !ifi || (family != 4 && family != 6))
		return NULL;
	const struct snap *s = of(p);
	/* A pointer into this snapshot's array names its position; any other
	 * (a caller's copy) is looked up. */
	uintptr_t at = (uintptr_t)ifi, base = (uintptr_t)p->ifaces;
	if (at >= base && at < base + p->nifaces * sizeof *ifi && (at - base) % sizeof *ifi == 0)
		pos = (long)((at - base) / sizeof *ifi);
	else
		pos = find_index(s, ifi->index);
	if (pos < 0)
		return NULL;
	const uint32_t *r = &s->ranges[(size_t)pos * 4 + (family == 6 ? 2 : 0)];
	if (count)
		*count = r[1];
	return r[1] ? p->addrs + r[0] : NULL;
}

const struct ifplex_iface *ifplex_snapshot_by_index(const struct ifplex_snapshot *p, int index)
{
	long pos = p ? find_index(of(p), index) : -1;
	return pos < 0 ? NULL : &p->ifaces[pos];
}

const struct ifplex_iface *ifplex_snapshot_by_name(const struct ifplex_snapshot *p, const char *name)
{
	long pos = p && name ? find_name(of(p), name) : -1;
	return pos < 0 ? NULL : &p->ifaces[pos];
}
