/* SPDX-License-Identifier: MIT */
/* Bringing the cache's table back to the kernel's state by dumps: the
 * subscription socket, the whole table (one link dump and one address
 * dump), one kind alone after its notifications were lost, and the
 * kernel's address order for links a notification left in doubt.  Every
 * function here is called with the refresh lock held. */
#define _GNU_SOURCE
#include "nl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Up to this many dirty links are read one by one; more, in one dump. */
#define RELIST_ONE_BY_ONE 8

/* A NETLINK_ROUTE socket for link and address notifications, subscribed
 * now or (bind_now 0) once a filter is on it, so that nothing queues. */
int cache_subscribe(struct cache *c, int bind_now, int *out)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0)
		return c->host->fail("socket", -errno);
	const char *rb = c->host->getenv("IFPLEX_CACHE_RCVBUF");
	if (rb && atoi(rb) > 0) {
		int v = atoi(rb);
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
	}
	if (bind_now) {
		struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
					 .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR};
		if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
			int e = -errno;
			close(fd);
			return c->host->fail("bind", e);
		}
	}
	*out = fd;
	return 0;
}

/* Throw away what queued: the dump that follows supersedes it. */
static void discard_queued(struct cache *c)
{
	char buf[4096];

	if (c->bpf)
		nl_bpf_drain(c->bpf, NULL, NULL);
	while (recv(c->sub_fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC) >= 0 || errno == ENOBUFS ||
	       errno == EINTR)
		;
}

static int on_dump_msg(const struct nlmsghdr *h, void *arg)
{
	return table_apply(arg, h, 1);
}

static void reset_table(void *arg)
{
	table_free(arg);
}

static void reset_addrs(void *arg)
{
	table_clear_addrs(arg);
}

static void link_dump_req(void *buf)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
		char attr[RTA_SPACE(sizeof(uint32_t))];
	} *r = buf;
	/* Statistics are most of a link message and nobody here reads them. */
	uint32_t mask = RTEXT_FILTER_SKIP_STATS;

	memset(r, 0, sizeof *r);
	r->h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)) + RTA_SPACE(sizeof(uint32_t));
	r->h.nlmsg_type = RTM_GETLINK;
	r->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	struct rtattr *a = (struct rtattr *)r->attr;
	a->rta_type = IFLA_EXT_MASK;
	a->rta_len = RTA_LENGTH(sizeof mask);
	memcpy(RTA_DATA(a), &mask, sizeof mask);
}

/* A whole table from one link dump and one address dump: 0, NL_INTERRUPTED
 * (kept, but changes kept interrupting it), or an error. */
static int dump_table(struct nl_state *st, struct table *t)
{
	struct nl_sock *s;
	int rc, intr = 0;
	char lr[NLMSG_LENGTH(sizeof(struct ifinfomsg)) + RTA_SPACE(sizeof(uint32_t))];

	pthread_mutex_lock(&st->lock);
	rc = nl_state_sock(st, &s);
	if (rc == 0) {
		link_dump_req(lr);
		rc = nl_request(s, (struct nlmsghdr *)lr, on_dump_msg, reset_table, t);
		intr |= rc == NL_INTERRUPTED;
	}
	if (rc >= 0) {
		struct {
			struct nlmsghdr h;
			struct ifaddrmsg ifa;
		} ar = {.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)), .nlmsg_type = RTM_GETADDR,
			      .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP}};
		/* A restarted address dump starts its addresses again, keeping links. */
		rc = nl_request(s, &ar.h, on_dump_msg, reset_addrs, t);
		intr |= rc == NL_INTERRUPTED;
	}
	pthread_mutex_unlock(&st->lock);
	if (rc < 0)
		return st->host->fail("netlinkrib", rc);
	return intr ? NL_INTERRUPTED : 0;
}

/* Build a fresh table from dumps and swap it in; queued changes older
 * than the dump are thrown away first, newer ones apply after it. */
int cache_resync(struct cache *c, struct nl_state *st)
{
	struct table fresh;
	struct nl_bpf_seen seen = {0};

	if (c->bpf)
		nl_bpf_read(c->bpf, &seen);
	discard_queued(c);
	table_init(&fresh);
	int rc = dump_table(st, &fresh);
	if (rc < 0) {
		table_free(&fresh);
		c->stale = 1; /* whatever was dropped above is not in the table */
		return rc;
	}
	pthread_rwlock_wrlock(&c->rw);
	struct table old = c->t;
	fresh.version = old.version + 1;
	c->t = fresh;
	c->applied = seen;
	/* Dumps that churn kept interrupting may be inconsistent: the next
	 * call dumps again. */
	c->stale = rc == NL_INTERRUPTED;
	atomic_fetch_add(&c->generation, 1);
	pthread_rwlock_unlock(&c->rw);
	table_free(&old);
	c->resyncs++;
	return 0;
}

/* ---- one kind again, after the ring lost only that kind's messages */

/* A link dump's records with their details; the names in a vector of
 * bytes beside them. */
struct relink_ctx {
	struct vec links, names;
};

static int on_link(const struct nlmsghdr *h, void *arg)
{
	struct relink_ctx *r = arg;
	struct table_link *tl;
	char alt[LINK_ALT_MAX];

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (!(tl = vec_push(&r->links)))
		return IFPLEX_ENOMEM;
	int rc = nl_parse_link(h, &tl->ifi);
	if (rc == 0)
		rc = detail_link_parse(h, &tl->d, alt);
	tl->d.alt_off = (uint32_t)r->names.len;
	for (uint32_t i = 0; rc == 0 && i < tl->d.alt_len; i++) {
		char *c = vec_push(&r->names);
		if (!c)
			rc = IFPLEX_ENOMEM;
		else
			*c = alt[i];
	}
	if (rc < 0)
		r->links.len--;
	return rc;
}

static void reset_relink(void *arg)
{
	struct relink_ctx *r = arg;
	r->links.len = r->names.len = 0;
}

static int dump_addrs_into(struct nl_sock *s, int index, struct vec *v);

/* Dump links (kind 0) or every address (1) and put them in place of what
 * the table has of that kind. */
int cache_resync_kind(struct cache *c, struct nl_state *st, int addrs)
{
	struct nl_sock *s;
	struct vec v;
	struct relink_ctx r;
	char lr[NLMSG_LENGTH(sizeof(struct ifinfomsg)) + RTA_SPACE(sizeof(uint32_t))];

	vec_init(&v, st->host, sizeof(struct table_addr));
	vec_init(&r.links, st->host, sizeof(struct table_link));
	vec_init(&r.names, st->host, 1);
	pthread_mutex_lock(&st->lock);
	int rc = nl_state_sock(st, &s);
	if (rc == 0 && addrs) {
		rc = dump_addrs_into(s, 0, &v);
	} else if (rc == 0) {
		link_dump_req(lr);
		rc = nl_request(s, (struct nlmsghdr *)lr, on_link, reset_relink, &r);
	}
	pthread_mutex_unlock(&st->lock);
	if (rc >= 0) {
		int intr = rc == NL_INTERRUPTED;
		pthread_rwlock_wrlock(&c->rw);
		rc = addrs ? table_relist(&c->t, 0, v.data, v.len)
			   : table_relink_details(&c->t, r.links.data, r.links.len, r.names.data);
		if (rc < 0 || intr)
			c->stale = 1; /* half applied, or doubtful: rebuild next */
		atomic_fetch_add(&c->generation, 1);
		pthread_rwlock_unlock(&c->rw);
		c->partial++;
	}
	vec_free(&v);
	vec_free(&r.links);
	vec_free(&r.names);
	return rc < 0 ? st->host->fail("netlinkrib", rc) : 0;
}

/* ---- the kernel's address order for links a notification left in doubt */

struct relist_ctx {
	struct vec *v;
	size_t start;    /* where this dump's addresses begin in v */
	int index;       /* 0: every link */
};

static int on_relist_addr(const struct nlmsghdr *h, void *arg)
{
	struct relist_ctx *r = arg;
	struct table_addr x;

	if (h->nlmsg_type != RTM_NEWADDR)
		return 0;
	int rc = nl_parse_addr(h, &x.a, &x.m);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	if ((rc = detail_addr_parse(h, x.a.ip.len, detail_now(), &x.d)) < 0)
		return rc;
	x.has_d = 1;
	if (r->index && x.a.index != r->index)
		return 0; /* a kernel without strict checking sends every address */
	struct table_addr *slot = vec_push(r->v);
	if (!slot)
		return IFPLEX_ENOMEM;
	*slot = x;
	return 0;
}

static void reset_relist(void *arg)
{
	struct relist_ctx *r = arg;
	r->v->len = r->start;
}

/* One address dump, of link index (0: all), appended to v. */
static int dump_addrs_into(struct nl_sock *s, int index, struct vec *v)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg ifa;
	} r = {.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)), .nlmsg_type = RTM_GETADDR,
		     .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP},
	       .ifa = {.ifa_index = (uint32_t)(s->strict ? index : 0)}};
	struct relist_ctx ctx = {.v = v, .start = v->len, .index = index};

	return nl_request(s, &r.h, on_relist_addr, reset_relist, &ctx);
}

/* Read the addresses of dirty links again, in the kernel's order: each
 * one's with a filtered dump, or all of them with one dump when many are
 * dirty (or the kernel cannot filter). */
int cache_relist(struct cache *c, struct nl_state *st)
{
	int idx[RELIST_ONE_BY_ONE];
	size_t n = table_dirty_links(&c->t, idx, RELIST_ONE_BY_ONE);
	struct nl_sock *s;
	struct vec v;
	int rc, intr = 0;

	vec_init(&v, st->host, sizeof(struct table_addr));
	pthread_mutex_lock(&st->lock);
	rc = nl_state_sock(st, &s);
	int all = rc == 0 && (n > RELIST_ONE_BY_ONE || !s->strict);
	for (size_t i = 0; rc >= 0 && i < (all ? 1 : n); i++) {
		rc = dump_addrs_into(s, all ? 0 : idx[i], &v);
		intr |= rc == NL_INTERRUPTED;
	}
	pthread_mutex_unlock(&st->lock);
	if (rc >= 0) {
		pthread_rwlock_wrlock(&c->rw);
		for (size_t i = 0; rc >= 0 && i < (all ? 1 : n); i++)
			rc = table_relist(&c->t, all ? 0 : idx[i], v.data, v.len);
		if (rc < 0 || intr)
			c->stale = 1; /* a half-applied or doubtful list: rebuild next */
		pthread_rwlock_unlock(&c->rw);
		c->relists++;
	}
	vec_free(&v);
	return rc < 0 ? st->host->fail("netlinkrib", rc) : 0;
}
