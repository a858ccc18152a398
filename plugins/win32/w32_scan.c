/* SPDX-License-Identifier: MIT */
/* The state one scan of GetAdaptersAddresses (and GetIfTable2, for the
 * medium's connection state) shows, sorted for w32_diff. */
#include "w32.h"

#include <stdlib.h>
#include <string.h>

void w32_state_free(struct w32_state *st)
{
	free(st->links);
	free(st->mem);
	memset(st, 0, sizeof *st);
}

static int link_cmp(const void *x, const void *y)
{
	int a = ((const struct w32_link *)x)->ifi.index, b = ((const struct w32_link *)y)->ifi.index;

	return a < b ? -1 : a > b;
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
		qsort(st->mem, st->nmem, sizeof *st->mem, w32_member_cmp);
	return 0;
}
