/* SPDX-License-Identifier: MIT */
/* The notices that lead from one scan's state to the next: both are
 * sorted by the same keys, so one merge walk each finds what came, what
 * changed and what went.  No system call here (tests/win32/test_w32_diff
 * runs it on states of its own). */
#include "w32.h"

#include <string.h>

static int cmp_int(int a, int b)
{
	return a < b ? -1 : a > b;
}

/* The core's view knows a member by its link, kind, address and prefix. */
int w32_member_cmp(const void *x, const void *y)
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
			while (j < b->nmem && (c = w32_member_cmp(&b->mem[j], &a->mem[i])) < 0)
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
