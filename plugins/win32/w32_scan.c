/* SPDX-License-Identifier: MIT */
/* The state one scan of GetAdaptersAddresses (and GetIfTable2, for the
 * medium's connection state) shows, sorted, and the notices that lead
 * from one such state to the next, found by merging the two. */
#include "w32.h"

#include <stdlib.h>
#include <string.h>

void w32_state_free(struct w32_state *st)
{
	free(st->links);
	free(st->mem);
	memset(st, 0, sizeof *st);
}

static int cmp_int(int a, int b)
{
	return a < b ? -1 : a > b;
}

static int link_cmp(const void *x, const void *y)
{
	return cmp_int(((const struct w32_link *)x)->ifi.index, ((const struct w32_link *)y)->ifi.index);
}

/* The core's view knows a member by its link, kind, address and prefix. */
static int member_cmp(const void *x, const void *y)
{
	const struct w32_member *a = x, *b = y;
	int c = cmp_int(a->a.index, b->a.index);

	if (!c)
		c = cmp_int(a->group, b->group);
	if (!c)
		c = cmp_int(a->a.ip.len, b->a.ip.len);
	if (!c)
		c = memcmp(a->a.ip.b, b->a.ip.b, a->a.ip.len);
	if (!c)
		c = cmp_int(a->a.prefixlen, b->a.prefixlen);
	return c;
}

/* A growing array of n elements of elem bytes: a slot, or NULL. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t elem)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		void *p = realloc(*arr, c * elem);
		if (!p)
			return NULL;
		*arr = p;
		*cap = c;
	}
	char *slot = (char *)*arr + (*n)++ * elem;
	memset(slot, 0, elem);
	return slot;
}

static int push_member(struct w32_state *st, size_t *cap, const IP_ADAPTER_ADDRESSES *a,
		       const SOCKET_ADDRESS *sa, int prefixlen, unsigned flags, int group)
{
	struct ifplex_addr one;
	int rc = w32_addr_of(a, sa, prefixlen, &one);

	if (rc <= 0)
		return rc;
	struct w32_member *m = grow((void **)&st->mem, &st->nmem, cap, sizeof *m);
	if (!m)
		return IFPLEX_ENOMEM;
	m->a = one;
	m->flags = flags;
	m->group = group;
	return 0;
}

static int scan_members(struct w32_state *st, size_t *cap, const IP_ADAPTER_ADDRESSES *a)
{
	int rc = 0;

	for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u && rc == 0; u = u->Next)
		rc = push_member(st, cap, a, &u->Address, u->OnLinkPrefixLength, w32_addr_flags(u), 0);
	for (IP_ADAPTER_ANYCAST_ADDRESS *y = a->FirstAnycastAddress; y && rc == 0; y = y->Next)
		rc = push_member(st, cap, a, &y->Address, -1, 0, 0);
	for (IP_ADAPTER_MULTICAST_ADDRESS *m = a->FirstMulticastAddress; m && rc == 0; m = m->Next)
		rc = push_member(st, cap, a, &m->Address, -1, 0, 1);
	return rc;
}

/* The medium's state of index in the table (-1: not in it, or unknown). */
static int carrier_in(const MIB_IF_TABLE2 *t, int index)
{
	for (ULONG i = 0; t && i < t->NumEntries; i++) {
		if (t->Table[i].InterfaceIndex == (NET_IFINDEX)index)
			return w32_row_carrier(&t->Table[i]);
	}
	return -1;
}

int w32_scan(struct w32_state *st, int mcast)
{
	IP_ADAPTER_ADDRESSES *all;
	MIB_IF_TABLE2 *table = NULL;
	size_t lcap = 0, mcap = 0;
	int rc = w32_adapters(mcast ? GAA_UNICAST & ~GAA_FLAG_SKIP_MULTICAST : GAA_UNICAST, &all);

	memset(st, 0, sizeof *st);
	if (rc < 0)
		return rc;
	/* Without the table the carrier is unknown; the rest stands. */
	if (GetIfTable2(&table) != NO_ERROR)
		table = NULL;
	for (IP_ADAPTER_ADDRESSES *a = all; a && rc == 0; a = a->Next) {
		struct w32_link *l = grow((void **)&st->links, &st->nlinks, &lcap, sizeof *l);
		if (!l) {
			rc = IFPLEX_ENOMEM;
			break;
		}
		w32_adapter_iface(a, &l->ifi);
		l->carrier = carrier_in(table, l->ifi.index);
		rc = scan_members(st, &mcap, a);
	}
	if (table)
		FreeMibTable(table);
	free(all);
	if (rc < 0) {
		w32_state_free(st);
		return rc;
	}
	if (st->nlinks)
		qsort(st->links, st->nlinks, sizeof *st->links, link_cmp);
	if (st->nmem)
		qsort(st->mem, st->nmem, sizeof *st->mem, member_cmp);
	return 0;
}

static int link_same(const struct w32_link *a, const struct w32_link *b)
{
	const struct ifplex_iface *x = &a->ifi, *y = &b->ifi;

	return a->carrier == b->carrier && x->flags == y->flags && x->mtu == y->mtu &&
	       strcmp(x->name, y->name) == 0 && x->hwaddr_len == y->hwaddr_len &&
	       memcmp(x->hwaddr, y->hwaddr, sizeof x->hwaddr) == 0;
}

static void emit_link(int kind, const struct w32_link *l,
		      void (*emit)(const struct ifplex_notice *, void *), void *arg)
{
	struct ifplex_notice n;

	memset(&n, 0, sizeof n);
	n.kind = (uint32_t)kind;
	n.link = l->ifi;
	emit(&n, arg);
}

static void emit_member(int gone, const struct w32_member *m,
			void (*emit)(const struct ifplex_notice *, void *), void *arg)
{
	struct ifplex_notice n;

	memset(&n, 0, sizeof n);
	if (m->group)
		n.kind = gone ? IFPLEX_NOTICE_MCAST_DEL : IFPLEX_NOTICE_MCAST;
	else
		n.kind = gone ? IFPLEX_NOTICE_ADDR_DEL : IFPLEX_NOTICE_ADDR;
	n.addr = m->a;
	emit(&n, arg);
}

/* Both states are sorted by the same keys, so one merge walk each finds
 * what came, changed and went. */
void w32_diff(const struct w32_state *o, const struct w32_state *n,
	      void (*emit)(const struct ifplex_notice *, void *), void *arg)
{
	size_t i, j;

	/* Links added or changed (a carrier alone is something beyond the record). */
	for (i = 0, j = 0; j < n->nlinks; j++) {
		while (i < o->nlinks && o->links[i].ifi.index < n->links[j].ifi.index)
			i++;
		const struct w32_link *was = i < o->nlinks && o->links[i].ifi.index == n->links[j].ifi.index
						     ? &o->links[i] : NULL;
		if (!was || !link_same(was, &n->links[j]))
			emit_link(IFPLEX_NOTICE_LINK, &n->links[j], emit, arg);
	}
	/* Members gone, then members come or changed (the DAD state, origins). */
	for (int pass = 0; pass < 2; pass++) {
		const struct w32_state *a = pass ? n : o, *b = pass ? o : n;
		for (i = 0, j = 0; i < a->nmem; i++) {
			int c = 1;
			while (j < b->nmem && (c = member_cmp(&b->mem[j], &a->mem[i])) < 0)
				j++;
			if (j >= b->nmem)
				c = 1;
			if (c != 0)
				emit_member(!pass, &a->mem[i], emit, arg);
			else if (pass && a->mem[i].flags != b->mem[j].flags)
				emit_member(0, &a->mem[i], emit, arg);
		}
	}
	/* Links gone, last, after their members. */
	for (i = 0, j = 0; i < o->nlinks; i++) {
		while (j < n->nlinks && n->links[j].ifi.index < o->links[i].ifi.index)
			j++;
		if (j >= n->nlinks || n->links[j].ifi.index != o->links[i].ifi.index)
			emit_link(IFPLEX_NOTICE_LINK_DEL, &o->links[i], emit, arg);
	}
}
