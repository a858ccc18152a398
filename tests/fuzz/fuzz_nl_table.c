/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the cache's tables (plugins/netlink/cache_table.c)
 * against a reference model.  The input is read as operations: links
 * added, renamed, changed and deleted, addresses added (also before their
 * link, and as promoted secondaries) and deleted, an address list read
 * again (as after a dump), the links read again (as after lost link
 * notifications: one gone, one changed), and lookups of names and indexes
 * that exist or not.  Each is turned into the rtnetlink message the kernel would send and
 * applied; after every few (and when the input asks), every lookup, both
 * copy-outs (in order), the records a snapshot is filled with and the
 * dirty links must agree with the model, and every lookup must end. */
#include "../../plugins/netlink/nl.h"
#include "../netlink/nlmsg.h"

#include <linux/if_addr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXI 24      /* link indexes 1 .. MAXI */
#define NAMES 40     /* names l0 .. l39: renames reuse them */
#define MAXA 160     /* addresses in the model */
#define check(c) ((c) ? (void)0 : __builtin_trap())

struct maddr {
	struct ifplex_addr a;
	struct nl_addr_meta m;
};

static struct model {
	int live[MAXI + 1], dirty[MAXI + 1], name[MAXI + 1], mtu[MAXI + 1];
	struct maddr list[MAXI + 1][2][MAXA]; /* each link's addresses by family, in order */
	int n[MAXI + 1][2];
	struct maddr orphans[MAXA];           /* addresses of links not (yet) known */
	int norphans;
} m;

static void *raw_alloc(size_t n) { return malloc(n ? n : 1); }
static void *zero_alloc(size_t n) { return calloc(1, n ? n : 1); }
static const struct ifplex_host host = {
	.size = sizeof(struct ifplex_host), .alloc = zero_alloc, .free = free, .alloc_raw = raw_alloc,
};

struct in {
	const uint8_t *p;
	size_t left;
};

static unsigned take(struct in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

/* ---- messages as the kernel sends them */

static const struct nlmsghdr *link_msg(struct nlmsg_buf *b, int type, int index, int name, int mtu)
{
	char text[16];
	uint32_t v = (uint32_t)mtu;

	struct nlmsghdr *h = nlmsg_start(b, (unsigned short)type, sizeof(struct ifinfomsg));
	((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index = index;
	if (type == RTM_NEWLINK) {
		snprintf(text, sizeof text, "l%d", name);
		nlmsg_put_attr(h, IFLA_IFNAME, text, strlen(text) + 1);
		nlmsg_put_attr(h, IFLA_MTU, &v, sizeof v);
	}
	return h;
}

static const struct nlmsghdr *addr_msg(struct nlmsg_buf *b, int type, const struct maddr *x)
{
	struct nlmsghdr *h = nlmsg_start(b, (unsigned short)type, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	ifa->ifa_family = x->a.ip.len == 4 ? AF_INET : AF_INET6;
	ifa->ifa_prefixlen = (unsigned char)x->a.prefixlen;
	ifa->ifa_index = (unsigned)x->a.index;
	ifa->ifa_scope = (unsigned char)x->m.scope;
	ifa->ifa_flags = (unsigned char)x->m.flags;
	nlmsg_put_attr(h, IFA_ADDRESS, x->a.ip.b, x->a.ip.len);
	nlmsg_put_attr(h, IFA_FLAGS, &x->m.flags, sizeof x->m.flags);
	return h;
}

/* ---- the model */

static int same_key(const struct ifplex_addr *x, const struct ifplex_addr *y)
{
	return x->index == y->index && x->prefixlen == y->prefixlen && x->ip.len == y->ip.len &&
	       memcmp(x->ip.b, y->ip.b, x->ip.len) == 0;
}

static void remove_at(struct maddr *v, int *n, int i)
{
	memmove(&v[i], &v[i + 1], (size_t)(*n - i - 1) * sizeof *v);
	(*n)--;
}

static void model_append(int index, const struct maddr *x)
{
	int f = x->a.ip.len == 16;
	if (m.n[index][f])
		m.dirty[index] = 1;
	m.list[index][f][m.n[index][f]++] = *x;
}

static int model_count(void)
{
	int n = m.norphans;
	for (int i = 1; i <= MAXI; i++)
		n += m.n[i][0] + m.n[i][1];
	return n;
}

static void model_new_addr(const struct maddr *x)
{
	int i = x->a.index, f = x->a.ip.len == 16;
	for (int k = 0; k < m.norphans; k++)
		if (same_key(&m.orphans[k].a, &x->a)) {
			m.orphans[k] = *x;
			return;
		}
	if (m.live[i])
		for (int k = 0; k < m.n[i][f]; k++)
			if (same_key(&m.list[i][f][k].a, &x->a)) {
				if (f == 0 && ((m.list[i][f][k].m.flags ^ x->m.flags) & IFA_F_SECONDARY))
					m.dirty[i] = 1;
				m.list[i][f][k] = *x;
				return;
			}
	if (m.live[i])
		model_append(i, x);
	else
		m.orphans[m.norphans++] = *x;
}

static void model_del_addr(const struct maddr *x)
{
	int i = x->a.index, f = x->a.ip.len == 16;
	for (int k = 0; k < m.norphans; k++)
		if (same_key(&m.orphans[k].a, &x->a)) {
			remove_at(m.orphans, &m.norphans, k);
			return;
		}
	for (int k = 0; k < m.n[i][f]; k++)
		if (same_key(&m.list[i][f][k].a, &x->a)) {
			remove_at(m.list[i][f], &m.n[i][f], k);
			return;
		}
}

static void model_new_link(int index)
{
	m.live[index] = 1;
	/* Addresses that came first join in their order of arrival. */
	for (int k = 0; k < m.norphans;)
		if (m.orphans[k].a.index == index) {
			model_append(index, &m.orphans[k]);
			remove_at(m.orphans, &m.norphans, k);
		} else {
			k++;
		}
}

static int name_used(int name)
{
	for (int i = 1; i <= MAXI; i++)
		if (m.live[i] && m.name[i] == name)
			return i;
	return 0;
}

/* ---- the checks */

/* The address, and as zone its link's name where the address takes one. */
static void check_addr(const struct ifplex_addr *got, const struct maddr *want)
{
	char zone[16] = "";

	check(same_key(got, &want->a));
	if (nl_addr_wants_zone(&want->a, want->m.scope))
		snprintf(zone, sizeof zone, "l%d", m.name[want->a.index]);
	check(strcmp(got->zone, zone) == 0);
}

static void check_all(const struct table *t)
{
	struct ifplex_iface *links;
	struct ifplex_addr *addrs;
	size_t n, na, k = 0;
	char name[16];

	check(table_copy_links(t, &host, &links, &n) == 0);
	for (int i = 1; i <= MAXI; i++) {
		snprintf(name, sizeof name, "l%d", m.name[i]);
		const struct ifplex_iface *by_index = table_by_index(t, i);
		if (!m.live[i]) {
			check(!by_index);
			continue;
		}
		check(k < n && links[k].index == i && links[k].mtu == m.mtu[i] && strcmp(links[k].name, name) == 0);
		k++;
		check(by_index && strcmp(by_index->name, name) == 0);
		const struct ifplex_iface *by_name = table_by_name(t, name);
		check(by_name && by_name->index == i);
		/* This link's addresses: IPv4, then IPv6, each in order. */
		check(table_copy_addrs(t, &host, i, &addrs, &na) == 0);
		check(na == (size_t)(m.n[i][0] + m.n[i][1]));
		for (int f = 0, j = 0; f < 2; f++)
			for (int a = 0; a < m.n[i][f]; a++)
				check_addr(&addrs[j++], &m.list[i][f][a]);
		free(addrs);
	}
	check(k == n);
	free(links);
	/* Names no link has, and indexes no link has, are not found. */
	for (int nm = 0; nm < NAMES + 8; nm++)
		if (!name_used(nm)) {
			snprintf(name, sizeof name, "l%d", nm);
			check(!table_by_name(t, name));
		}
	check(!table_by_name(t, "") && !table_by_index(t, 0) && !table_by_index(t, MAXI + 1));
	/* Every address: each family in turn, links by index. */
	check(table_copy_addrs(t, &host, 0, &addrs, &na) == 0);
	check(na == (size_t)(model_count() - m.norphans));
	check(na == t->chained[0] + t->chained[1]);
	k = 0;
	for (int f = 0; f < 2; f++)
		for (int i = 1; i <= MAXI; i++)
			for (int a = 0; m.live[i] && a < m.n[i][f]; a++) {
				check(f == 1 || k < t->chained[0]);
				check_addr(&addrs[k++], &m.list[i][f][a]);
			}
	/* The records a snapshot is filled with: the same, byte for byte. */
	struct ifplex_addr *recs = malloc((na ? na : 1) * sizeof *recs);
	check(recs);
	table_copy_addr_records(t, recs);
	check(memcmp(recs, addrs, na * sizeof *recs) == 0);
	free(recs);
	free(addrs);
	check(t->liveaddrs == (size_t)model_count() && t->orphans == (size_t)m.norphans);
	/* The dirty links, by index. */
	int dirty[MAXI], nd = 0, got[MAXI];
	for (int i = 1; i <= MAXI; i++)
		if (m.live[i] && m.dirty[i])
			dirty[nd++] = i;
	check(table_dirty_links(t, got, MAXI) == (size_t)nd);
	for (int i = 0; i < nd; i++)
		check(got[i] == dirty[i]);
}

/* ---- one operation */

static void random_addr(struct in *in, struct maddr *x)
{
	unsigned b = take(in), c = take(in);

	memset(x, 0, sizeof *x);
	x->a.index = 1 + (int)(take(in) % (MAXI + 4)) % MAXI;
	if (b & 1) {
		x->a.ip.len = 16;
		x->a.ip.b[0] = c & 1 ? 0xfe : 0x20;
		x->a.ip.b[1] = c & 1 ? 0x80 : 0x01;
		x->a.ip.b[15] = (uint8_t)(c >> 1);
		x->a.prefixlen = 64;
		x->m.scope = c & 1 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	} else {
		x->a.ip.len = 4;
		x->a.ip.b[0] = 10;
		x->a.ip.b[3] = (uint8_t)(c & 15);
		x->a.prefixlen = (b >> 1) & 1 ? 24 : 32;
		x->m.flags = (b >> 2) & 1 ? IFA_F_SECONDARY : 0;
	}
	x->a.ip.b[2] = (uint8_t)x->a.index; /* one address never sits on two links */
}

static int apply(struct table *t, const struct nlmsghdr *h)
{
	return table_apply(t, h, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = {data, size};
	struct table t;
	struct nlmsg_buf b;
	int ops = 0;

	memset(&m, 0, sizeof m);
	table_init(&t);
	while (in.left && ops++ < 1000) {
		unsigned op = take(&in) % 9, i = 1 + take(&in) % MAXI;
		struct maddr x;
		switch (op) {
		case 0: /* a new link, or a change to one (MTU, and a rename) */
		case 1: {
			int name = (int)(take(&in) % NAMES), owner = name_used(name);
			if (owner && owner != (int)i)
				break; /* the kernel keeps names unique */
			int mtu = 1000 + (int)take(&in);
			if (apply(&t, link_msg(&b, RTM_NEWLINK, (int)i, name, mtu)) < 0)
				return 0;
			m.name[i] = name;
			m.mtu[i] = mtu;
			if (!m.live[i])
				model_new_link((int)i);
			break;
		}
		case 2: /* a link deleted, with its addresses */
			if (apply(&t, link_msg(&b, RTM_DELLINK, (int)i, 0, 0)) < 0)
				return 0;
			if (m.live[i]) {
				m.live[i] = m.dirty[i] = 0;
				m.n[i][0] = m.n[i][1] = 0;
			}
			break;
		case 3:
		case 4: /* an address added (or changed: a promotion) */
			random_addr(&in, &x);
			if (model_count() >= MAXA)
				break;
			if (apply(&t, addr_msg(&b, RTM_NEWADDR, &x)) < 0)
				return 0;
			model_new_addr(&x);
			break;
		case 5:
			random_addr(&in, &x);
			if (apply(&t, addr_msg(&b, RTM_DELADDR, &x)) < 0)
				return 0;
			model_del_addr(&x);
			break;
		case 6: { /* a link's list read again, in an order the input picks */
			if (!m.live[i])
				break;
			static struct table_addr list[2 * MAXA];
			int n = 0;
			for (int f = 0; f < 2; f++) {
				for (int k = m.n[i][f] - 1; k > 0; k--) {
					int j = (int)(take(&in) % (unsigned)(k + 1));
					struct maddr tmp = m.list[i][f][k];
					m.list[i][f][k] = m.list[i][f][j];
					m.list[i][f][j] = tmp;
				}
				for (int k = 0; k < m.n[i][f]; k++)
					list[n++] = (struct table_addr){m.list[i][f][k].a, m.list[i][f][k].m};
			}
			if (table_relist(&t, (int)i, list, (size_t)n) < 0)
				return 0;
			m.dirty[i] = 0;
			break;
		}
		case 7: { /* the links read again by a dump: link i gone, another's MTU changed */
			static struct ifplex_iface links[MAXI];
			size_t n = 0;
			unsigned j = 1 + take(&in) % MAXI;
			int mtu = 1000 + (int)take(&in);
			for (int k = 1; k <= MAXI; k++) {
				if (!m.live[k] || k == (int)i)
					continue;
				struct ifplex_iface *l = &links[n++];
				memset(l, 0, sizeof *l);
				l->index = k;
				l->mtu = k == (int)j ? mtu : m.mtu[k];
				snprintf(l->name, sizeof l->name, "l%d", m.name[k]);
			}
			if (table_relink(&t, links, n) < 0)
				return 0;
			if (m.live[i]) {
				m.live[i] = m.dirty[i] = 0;
				m.n[i][0] = m.n[i][1] = 0;
			}
			if (j != i && m.live[j])
				m.mtu[j] = mtu;
			break;
		}
		default: /* lookups only */
			break;
		}
		/* Every few operations and at the end: the whole check is costly. */
		if (ops % 4 == 0 || !in.left || op == 8)
			check_all(&t);
	}
	check_all(&t);
	table_free(&t);
	return 0;
}
