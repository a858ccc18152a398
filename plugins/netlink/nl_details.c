/* SPDX-License-Identifier: MIT */
/* The details slots.  With the cache serving (ebpf, notify), from what it
 * keeps beside its table (cache_details.c), plus one RTM_GETSTATS for the
 * counters: the kernel announces no counter change, so a cached count
 * would be stale the moment a packet passed.  With the cache off (or
 * auto's first calls), on request: one RTM_GETLINK with statistics for a
 * link, one RTM_GETADDR dump the kernel filters for addresses (of every
 * link: one link dump for the zones, as nl_addrs does). */
#include "nl.h"

#include <errno.h>
#include <linux/if_link.h>
#include <string.h>
#include <sys/socket.h>

static int on_link(const struct nlmsghdr *h, void *arg)
{
	if (h->nlmsg_type != RTM_NEWLINK)
		return IFPLEX_EMALFORMED;
	return nl_parse_link_details(h, arg);
}

static int on_stats(const struct nlmsghdr *h, void *arg)
{
	if (h->nlmsg_type != RTM_NEWSTATS)
		return IFPLEX_EMALFORMED;
	return nl_parse_link_stats(h, arg);
}

/* The link's counters alone: an answer of some 200 bytes, where a link
 * message is 1.5 KiB. */
static int link_stats(struct nl_state *st, int index, struct ifplex_link_details *out)
{
	struct {
		struct nlmsghdr h;
		struct if_stats_msg m;
	} r = {
		.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct if_stats_msg)), .nlmsg_type = RTM_GETSTATS,
		      .nlmsg_flags = NLM_F_REQUEST},
		.m = {.family = AF_UNSPEC, .ifindex = (uint32_t)index,
		      .filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64)},
	};
	struct nl_sock *s;

	pthread_mutex_lock(&st->lock);
	int rc = nl_state_sock(st, &s);
	if (rc == 0)
		rc = nl_request(s, &r.h, on_stats, NULL, out);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int nl_link_details(void *state, int index, struct ifplex_link_details *out)
{
	struct nl_state *st = state;
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
	} r = {
		.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_GETLINK,
		      .nlmsg_flags = NLM_F_REQUEST},
		.ifi = {.ifi_family = AF_UNSPEC, .ifi_index = index},
	};
	struct nl_sock *s;
	int rc = cache_enter(&st->cache, st, CACHE_LINKS);

	if (rc < 0)
		return rc;
	if (rc == 1) {
		rc = detail_link_get(&st->cache.t, index, out);
		pthread_rwlock_unlock(&st->cache.rw);
		if (rc == 0)
			rc = link_stats(st, index, out);
	} else {
		pthread_mutex_lock(&st->lock);
		rc = nl_state_sock(st, &s);
		if (rc == 0)
			rc = nl_request(s, &r.h, on_link, NULL, out);
		pthread_mutex_unlock(&st->lock);
	}
	if (rc == -ENODEV || rc == IFPLEX_ENOIFACE)
		return IFPLEX_ENOIFACE;
	return rc < 0 ? st->host->fail("netlinkrib", rc) : 0;
}

struct details_ctx {
	struct vec *out;
	int index;
};

static int on_addr(const struct nlmsghdr *h, void *arg)
{
	struct details_ctx *c = arg;
	struct ifplex_addr_details d = {.size = sizeof d};

	if (h->nlmsg_type != RTM_NEWADDR)
		return 0;
	int rc = nl_parse_addr_details(h, &d);
	if (rc < 0)
		return rc;
	if (rc > 0 || (c->index && d.addr.index != c->index))
		return 0;
	/* Marked for a zone; the name is filled in once the links are known. */
	d.addr.zone[0] = nl_addr_wants_zone(&d.addr, d.scope) ? '%' : '\0';
	struct ifplex_addr_details *slot = vec_push(c->out);
	if (!slot)
		return IFPLEX_ENOMEM;
	*slot = d;
	return 0;
}

static void reset_vec(void *arg)
{
	((struct details_ctx *)arg)->out->len = 0;
}

static int dump_details(struct nl_state *st, int index, struct vec *out)
{
	struct details_ctx c = {.out = out, .index = index};
	struct nl_sock *s;
	int rc;

	pthread_mutex_lock(&st->lock);
	rc = nl_state_sock(st, &s);
	if (rc == 0)
		rc = nl_addr_dump(s, index, on_addr, reset_vec, &c);
	pthread_mutex_unlock(&st->lock);
	return rc < 0 ? st->host->fail("netlinkrib", rc) : 0;
}

int nl_addr_details(void *state, int index, struct ifplex_addr_details **list, size_t *count)
{
	struct nl_state *st = state;
	struct vec links, addrs;
	struct ifplex_iface one;
	int rc;

	rc = cache_enter(&st->cache, st, CACHE_ADDRS);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		rc = detail_addrs_get(&st->cache.t, st->host, index, list, count);
		pthread_rwlock_unlock(&st->cache.rw);
		return rc == IFPLEX_ENOMEM ? st->host->fail("details", rc) : rc;
	}
	vec_init(&links, st->host, sizeof(struct ifplex_iface));
	vec_init(&addrs, st->host, sizeof(struct ifplex_addr_details));
	/* The links first: an address whose link came after is dropped, as
	 * ifplex_interface_addrs drops it. */
	if (index) {
		rc = nl_one_link(st, index, NULL, &one);
		if (rc == 0)
			rc = dump_details(st, index, &addrs);
		if (rc == 0)
			addrs.len = nl_addrs_pair(addrs.data, addrs.len, sizeof(struct ifplex_addr_details),
						  offsetof(struct ifplex_addr_details, addr), &one, 1);
	} else {
		pthread_mutex_lock(&st->lock);
		rc = nl_links_dump(st, &links);
		pthread_mutex_unlock(&st->lock);
		if (rc == 0)
			rc = dump_details(st, 0, &addrs);
		if (rc == 0)
			addrs.len = nl_addrs_pair(addrs.data, addrs.len, sizeof(struct ifplex_addr_details),
						  offsetof(struct ifplex_addr_details, addr), links.data, links.len);
	}
	vec_free(&links);
	if (rc == 0)
		rc = vec_take(&addrs, (void *)list, count);
	vec_free(&addrs);
	return rc;
}
