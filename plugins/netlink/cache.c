/* SPDX-License-Identifier: MIT */
/* Keeping the cache exactly as fresh as a dump: a NETLINK_ROUTE socket
 * subscribed to link and address changes, read either by a BPF socket
 * filter into a ring (ebpf: no system call when nothing changed) or by a
 * non-blocking receive (notify: one system call when nothing changed). */
#define _GNU_SOURCE
#include "nl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *const mode_names[] = {"off", "notify", "ebpf"};

#define AUTO_UNCACHED_CALLS 2
/* Up to this many dirty links are read one by one; more, in one dump. */
#define RELIST_ONE_BY_ONE 8

const char *cache_mode_name(const struct cache *c)
{
	return mode_names[c->mode];
}

void cache_why(struct cache *c, char *buf, size_t len)
{
	pthread_mutex_lock(&c->refresh);
	snprintf(buf, len, "%s", c->why);
	pthread_mutex_unlock(&c->refresh);
}

int cache_init(struct cache *c, const struct ifplex_host *host)
{
	/* The program's choice (ifplex_init) or IFPLEX_CACHE, as the core gives it. */
	const char *v = IFPLEX_HOST_HAS(host, cache_mode) ? host->cache_mode : NULL;

	memset(c, 0, sizeof *c);
	c->host = host;
	c->sub_fd = -1;
	c->epoch = nl_fork_epoch();
	table_init(&c->t);
	if (!v || !*v || strcmp(v, "auto") == 0)
		c->want = -1;
	else if (strcmp(v, "off") == 0)
		c->want = CACHE_OFF;
	else if (strcmp(v, "notify") == 0)
		c->want = CACHE_NOTIFY;
	else if (strcmp(v, "ebpf") == 0)
		c->want = CACHE_EBPF;
	else
		return host->fail_text("IFPLEX_CACHE: unknown cache mode (auto, ebpf, notify, off)",
				       IFPLEX_EINVAL);
	char why[128] = "";
	int bpf_ok = nl_bpf_available(why, sizeof why);
	if (c->want == CACHE_EBPF && !bpf_ok) {
		char msg[256];
		snprintf(msg, sizeof msg, "IFPLEX_CACHE=ebpf: %s", why);
		return host->fail_text(msg, IFPLEX_ENOTSUP);
	}
	if (c->want >= 0) {
		c->mode = c->want;
		snprintf(c->chosen, sizeof c->chosen, "IFPLEX_CACHE=%s", mode_names[c->want]);
	} else {
		c->mode = bpf_ok ? CACHE_EBPF : CACHE_NOTIFY;
		snprintf(c->chosen, sizeof c->chosen, "auto: %s", bpf_ok ? "BPF permitted" : why);
	}
	snprintf(c->why, sizeof c->why, "%s", c->chosen);
	pthread_rwlock_init(&c->rw, NULL);
	pthread_mutex_init(&c->refresh, NULL);
	host->log(IFPLEX_LOG_DEBUG, "netlink cache: %s (%s)%s", mode_names[c->mode], c->why,
		  c->want < 0 ? "; the first two calls are served from dumps" : "");
	return 0;
}

static void drop(struct cache *c)
{
	if (c->bpf)
		nl_bpf_free(c->bpf);
	c->bpf = NULL;
	if (c->sub_fd >= 0)
		close(c->sub_fd);
	c->sub_fd = -1;
	table_free(&c->t);
	c->built = 0;
	c->stale = 0;
}

void cache_free(struct cache *c)
{
	drop(c);
	free(c->rbuf);
	pthread_rwlock_destroy(&c->rw);
	pthread_mutex_destroy(&c->refresh);
}

static int subscribe(struct cache *c)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
				 .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0)
		return c->host->fail("socket", -errno);
	const char *rb = c->host->getenv("IFPLEX_CACHE_RCVBUF");
	if (rb && atoi(rb) > 0) {
		int v = atoi(rb);
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = -errno;
		close(fd);
		return c->host->fail("bind", e);
	}
	c->sub_fd = fd;
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

/* A whole table from one link dump and one address dump: 0, NL_INTERRUPTED
 * (kept, but changes kept interrupting it), or an error. */
static int dump_table(struct nl_state *st, struct table *t)
{
	struct nl_sock *s;
	int rc, intr = 0;

	pthread_mutex_lock(&st->lock);
	rc = nl_state_sock(st, &s);
	if (rc == 0) {
		struct {
			struct nlmsghdr h;
			struct ifinfomsg ifi;
			char attr[RTA_SPACE(sizeof(uint32_t))];
		} lr = {.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)) + RTA_SPACE(sizeof(uint32_t)),
			      .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP}};
		struct rtattr *a = (struct rtattr *)lr.attr;
		uint32_t mask = RTEXT_FILTER_SKIP_STATS;
		a->rta_type = IFLA_EXT_MASK;
		a->rta_len = RTA_LENGTH(sizeof mask);
		memcpy(RTA_DATA(a), &mask, sizeof mask);
		rc = nl_request(s, &lr.h, on_dump_msg, reset_table, t);
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
static int resync(struct cache *c, struct nl_state *st)
{
	struct table fresh;
	uint64_t gen = c->bpf ? nl_bpf_generation(c->bpf) : 0;
	uint64_t lost = c->bpf ? nl_bpf_lost(c->bpf) : 0;

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
	c->t = fresh;
	c->applied_gen = gen;
	c->applied_lost = lost;
	/* Dumps that churn kept interrupting may be inconsistent: the next
	 * call dumps again. */
	c->stale = rc == NL_INTERRUPTED;
	atomic_fetch_add(&c->generation, 1);
	pthread_rwlock_unlock(&c->rw);
	table_free(&old);
	c->resyncs++;
	return 0;
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The first cached call: subscribe, then one link and one address dump;
 * BPF is armed on a later call, so that this one costs about the dumps. */
static int build(struct cache *c, struct nl_state *st)
{
	int64_t t0 = mono_ns();
	int rc = subscribe(c);

	if (rc < 0)
		return rc;
	if ((rc = resync(c, st)) < 0) {
		pthread_rwlock_wrlock(&c->rw);
		drop(c);
		pthread_rwlock_unlock(&c->rw);
		return rc;
	}
	pthread_rwlock_wrlock(&c->rw);
	c->built = 1; /* published under the lock the hot path reads it with */
	pthread_rwlock_unlock(&c->rw);
	c->build_ns = mono_ns() - t0;
	c->host->log(IFPLEX_LOG_DEBUG, "netlink cache: built in %lld us, %zu links, %zu addresses; "
				       "multicast lists are read on each call",
		     (long long)c->build_ns / 1000, c->t.livelinks, c->t.liveaddrs);
	return 0;
}

static int refresh_notify(struct cache *c, struct nl_state *st);
static int refresh_ebpf_locked(struct cache *c, struct nl_state *st);

/* A failure the same attach may not meet again: retried on a later call. */
static int transient(int rc)
{
	return rc == IFPLEX_ENOMEM || rc == -ENOMEM || rc == -EAGAIN || rc == -EMFILE || rc == -ENFILE ||
	       rc == -ENOBUFS || rc == -EINTR;
}

/* ebpf's second cached call: attach the filter to the subscribed socket,
 * then take what queued there before it; from now on changes go to the
 * ring.  Until it attaches, the subscription is read as in notify mode. */
static int arm_bpf(struct cache *c, struct nl_state *st)
{
	char why[160] = "";
	struct nl_bpf *b;
	int64_t t0 = mono_ns();

	int rc = nl_bpf_attach(c->sub_fd, &b, why, sizeof why);
	if (rc < 0) {
		/* A chosen ebpf, or a failure that may pass, is tried again on
		 * each call; auto settles for notify only when BPF cannot work. */
		if (c->want == CACHE_EBPF || transient(rc)) {
			snprintf(c->why, sizeof c->why, "%s; BPF attach failed (%s), the subscription is read "
				 "as in notify mode until it attaches", c->chosen, why);
			c->host->log(IFPLEX_LOG_WARN, "netlink cache: ebpf not armed (%s), will retry on the next call",
				     why);
		} else {
			c->mode = CACHE_NOTIFY;
			snprintf(c->why, sizeof c->why, "%s, but BPF attach failed: %s", c->chosen, why);
			c->host->log(IFPLEX_LOG_WARN, "netlink cache: notify (%s)", c->why);
		}
		return refresh_notify(c, st);
	}
	c->bpf_setup_ns = mono_ns() - t0;
	rc = refresh_notify(c, st); /* what queued before the filter */
	pthread_rwlock_wrlock(&c->rw);
	c->bpf = b;
	atomic_store(&c->applied_gen, 0);
	atomic_store(&c->applied_lost, 0);
	pthread_rwlock_unlock(&c->rw);
	snprintf(c->why, sizeof c->why, "%s", c->chosen);
	c->host->log(IFPLEX_LOG_DEBUG, "netlink cache: BPF filter armed in %lld us (%s)",
		     (long long)c->bpf_setup_ns / 1000, c->chosen);
	if (rc == 0)
		rc = refresh_ebpf_locked(c, st);
	return rc;
}

static int apply_bytes(const void *msg, size_t len, void *arg)
{
	struct cache *c = arg;
	int left = (int)len; /* signed, as NLMSG_OK expects */

	for (const struct nlmsghdr *h = msg; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		int rc = table_apply(&c->t, h, 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* notify: what queued on the socket, under the write lock per datagram. */
static int refresh_notify(struct cache *c, struct nl_state *st)
{
	for (;;) {
		if (!c->rbuf) {
			if (!(c->rbuf = malloc(64 * 1024)))
				return c->host->fail("recvmsg", IFPLEX_ENOMEM);
			c->rcap = 64 * 1024;
		}
		ssize_t n = recv(c->sub_fd, c->rbuf, c->rcap, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) /* the kernel dropped changes: start over */
				return resync(c, st);
			return c->host->fail("recvmsg", -errno);
		}
		if ((size_t)n > c->rcap) {
			/* Cut: the message is lost; grow and rebuild from dumps. */
			char *b = realloc(c->rbuf, (size_t)n);
			if (b) {
				c->rbuf = b;
				c->rcap = (size_t)n;
			}
			int rc = resync(c, st);
			if (rc < 0)
				return rc;
			continue;
		}
		pthread_rwlock_wrlock(&c->rw);
		int rc = apply_bytes(c->rbuf, (size_t)n, c);
		atomic_fetch_add(&c->generation, 1);
		pthread_rwlock_unlock(&c->rw);
		if (rc < 0 && (rc = resync(c, st)) < 0)
			return rc;
	}
}

static int apply_locked(const void *msg, size_t len, void *arg)
{
	struct cache *c = arg;

	pthread_rwlock_wrlock(&c->rw);
	int rc = apply_bytes(msg, len, c);
	pthread_rwlock_unlock(&c->rw);
	return rc;
}

/* ebpf: read the counters (memory loads); drain the ring only on change. */
static int refresh_ebpf_locked(struct cache *c, struct nl_state *st)
{
	uint64_t gen = nl_bpf_generation(c->bpf), lost = nl_bpf_lost(c->bpf);

	if (gen == c->applied_gen && lost == c->applied_lost)
		return 0;
	if (lost != c->applied_lost)
		return resync(c, st);
	int rc = nl_bpf_drain(c->bpf, apply_locked, c);
	if (rc < 0)
		return resync(c, st);
	c->applied_gen = gen;
	return 0;
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
static int relist(struct cache *c, struct nl_state *st)
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

int cache_enter(struct cache *c, struct nl_state *st, enum cache_need need)
{
	int rc = 0;

	if (c->want == CACHE_OFF)
		return 0;
	/* Fast path (ebpf): built in this process and nothing changed, read
	 * under the read lock so that a reset cannot free what it reads. */
	if (c->mode == CACHE_EBPF) {
		pthread_rwlock_rdlock(&c->rw);
		if (c->built && c->bpf && c->epoch == nl_fork_epoch() && !c->stale &&
		    !(need == CACHE_ADDRS && c->t.dirty) && nl_bpf_generation(c->bpf) == c->applied_gen &&
		    nl_bpf_lost(c->bpf) == c->applied_lost)
			return 1;
		pthread_rwlock_unlock(&c->rw);
	}
	pthread_mutex_lock(&c->refresh);
	if (c->epoch != nl_fork_epoch()) {
		/* A forked child: the parent's socket and ring are not ours. */
		pthread_rwlock_wrlock(&c->rw);
		drop(c);
		c->epoch = nl_fork_epoch();
		pthread_rwlock_unlock(&c->rw);
		c->calls = 0;
	}
	if (!c->built) {
		/* auto serves its first calls from the dumps, so that a process
		 * that asks once or twice (`ifplex addrs` lists addresses, then
		 * names) pays for no cache. */
		if (c->want < 0 && c->calls++ < AUTO_UNCACHED_CALLS) {
			pthread_mutex_unlock(&c->refresh);
			return 0;
		}
		rc = build(c, st);
	} else if (c->stale) {
		rc = resync(c, st);
	} else if (c->mode == CACHE_EBPF && !c->bpf) {
		rc = arm_bpf(c, st);
	} else {
		rc = c->mode == CACHE_EBPF ? refresh_ebpf_locked(c, st) : refresh_notify(c, st);
	}
	/* A resync above may itself be doubtful (interrupted): it stands for
	 * this call, the next one dumps again. */
	if (rc == 0 && need == CACHE_ADDRS && c->t.dirty)
		rc = relist(c, st);
	if (rc == 0)
		pthread_rwlock_rdlock(&c->rw);
	pthread_mutex_unlock(&c->refresh);
	return rc < 0 ? rc : 1;
}

int cache_reset(struct cache *c)
{
	pthread_mutex_lock(&c->refresh);
	pthread_rwlock_wrlock(&c->rw);
	drop(c);
	c->calls = AUTO_UNCACHED_CALLS; /* the next call builds */
	c->epoch = nl_fork_epoch();
	pthread_rwlock_unlock(&c->rw);
	pthread_mutex_unlock(&c->refresh);
	return 0;
}

uint64_t cache_generation(struct cache *c, struct nl_state *st)
{
	uint64_t g;

	if (c->want == CACHE_OFF)
		return 0;
	/* Brings the table up to date (ebpf: memory loads only), so that a
	 * grown generation means the next call sees the change. */
	int rc = cache_enter(c, st, CACHE_LINKS);
	if (rc < 0)
		return atomic_load(&c->generation);
	if (rc == 0) /* auto's first call: nothing built yet */
		return 0;
	g = atomic_load(&c->generation);
	if (c->mode == CACHE_EBPF && c->bpf)
		g += nl_bpf_generation(c->bpf);
	pthread_rwlock_unlock(&c->rw);
	return g;
}
