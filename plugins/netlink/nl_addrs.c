/* SPDX-License-Identifier: MIT */
/* Addresses: all of them from one link dump and one address dump; one
 * interface's from a request the kernel filters (NETLINK_GET_STRICT_CHK). */
#include "nl.h"

#include <linux/if_addr.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct addr_ctx {
	struct vec *out;
	int index;     /* keep only this interface's, 0: all */
};

static int on_addr(const struct nlmsghdr *h, void *arg)
{
	struct addr_ctx *c = arg;
	struct ifplex_addr a;
	struct nl_addr_meta m;

	if (h->nlmsg_type != RTM_NEWADDR)
		return 0;
	int rc = nl_parse_addr(h, &a, &m);
	if (rc < 0)
		return rc;
	if (rc > 0 || (c->index && a.index != c->index))
		return 0;
	struct ifplex_addr *slot = vec_push(c->out);
	if (!slot)
		return IFPLEX_ENOMEM;
	*slot = a;
	/* Mark for a zone; the name is filled in once the links are known. */
	slot->zone[0] = nl_addr_wants_zone(&a, m.scope) ? '%' : '\0';
	return 0;
}

static void reset_vec(void *arg)
{
	((struct addr_ctx *)arg)->out->len = 0;
}

static int dump_addrs(struct nl_state *st, int index, struct vec *out)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg ifa;
	} r = {
		.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)), .nlmsg_type = RTM_GETADDR,
		      .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP},
		.ifa = {.ifa_family = AF_UNSPEC},
	};
	struct addr_ctx c = {.out = out, .index = index};
	struct nl_sock *s;
	int rc;

	if ((rc = nl_state_sock(st, &s)) < 0)
		return rc;
	/* With strict checking the kernel sends only this interface's
	 * addresses; without it, the filter above does the same job. */
	if (index && s->strict)
		r.ifa.ifa_index = (uint32_t)index;
	rc = nl_request(s, &r.h, on_addr, reset_vec, &c);
	return rc < 0 ? st->host->fail("netlinkrib", rc) : 0;
}

static int by_index(const void *x, const void *y)
{
	const struct ifplex_iface *a = x, *b = y;
	return (a->index > b->index) - (a->index < b->index);
}

/* Fill zones and drop addresses whose link vanished between the dumps;
 * links is sorted here so that each address costs a binary search. */
static void finish(struct vec *addrs, struct ifplex_iface *links, size_t nlinks)
{
	struct ifplex_addr *a = addrs->data;
	size_t kept = 0;

	qsort(links, nlinks, sizeof *links, by_index);
	for (size_t i = 0; i < addrs->len; i++) {
		struct ifplex_iface key = {.index = a[i].index};
		const struct ifplex_iface *l = bsearch(&key, links, nlinks, sizeof *links, by_index);
		if (!l)
			continue;
		a[kept] = a[i];
		if (a[kept].zone[0])
			memcpy(a[kept].zone, l->name, sizeof l->name);
		kept++;
	}
	addrs->len = kept;
}

int nl_addrs(struct nl_state *st, int index, struct ifplex_addr **list, size_t *count)
{
	struct vec links, addrs;
	struct ifplex_iface one;
	int rc;

	vec_init(&links, st->host, sizeof(struct ifplex_iface));
	vec_init(&addrs, st->host, sizeof(struct ifplex_addr));
	if (index) {
		rc = nl_link_get(st, index, NULL, &one);
		if (rc == 0)
			rc = dump_addrs(st, index, &addrs);
		if (rc == 0)
			finish(&addrs, &one, 1);
	} else {
		rc = nl_links_dump(st, &links);
		if (rc == 0)
			rc = dump_addrs(st, 0, &addrs);
		if (rc == 0)
			finish(&addrs, links.data, links.len);
	}
	vec_free(&links);
	if (rc == 0)
		rc = vec_take(&addrs, list, count);
	vec_free(&addrs);
	return rc;
}
