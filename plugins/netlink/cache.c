/* SPDX-License-Identifier: MIT */
/* Keeping the cache exactly as fresh as a dump: a NETLINK_ROUTE socket
 * subscribed to link and address changes, read either by a BPF socket
 * filter into a ring (ebpf: no system call when nothing changed) or by a
 * non-blocking receive (notify: one system call when nothing changed), and
 * the snapshot published from the table, rebuilt on the first call that
 * wants one after a change. */
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
/* The notify socket's buffer grows up to this (IFPLEX_CACHE_RCVBUF_MAX). */
#define RCVBUF_MAX (32 << 20)

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
	const char *rmax = host->getenv("IFPLEX_CACHE_RCVBUF_MAX");

	memset(c, 0, sizeof *c);
	c->host = host;
	c->sub_fd = -1;
	c->epoch = nl_fork_epoch();
	c->ring_max = nl_bpf_ring_max();
	c->rcvbuf_max = rmax && atoi(rmax) > 0 ? atoi(rmax) : RCVBUF_MAX;
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

/* Forget everything built; under refresh and rw for writing. */
static void drop(struct cache *c)
{
	prep_discard(&c->prep);
	if (c->bpf) {
		/* What the ring counted stays counted. */
		atomic_fetch_add(&c->generation, nl_bpf_generation(c->bpf));
		nl_bpf_free(c->bpf);
	}
	c->bpf = NULL;
	if (c->sub_fd >= 0)
		close(c->sub_fd);
	c->sub_fd = -1;
	if (c->snap)
		c->host->snapshot_put(c->snap);
	c->snap = NULL;
	table_free(&c->t);
	c->applied = (struct nl_bpf_seen){0};
	c->built = 0;
	c->stale = 0;
	c->bpf_setup_ns = 0;
	c->arm_calls = 0;
}

void cache_free(struct cache *c)
{
	drop(c);
	prep_gone(&c->prep); /* the plugin's code may go next */
	cache_mem_free(c->rbuf, c->rcap);
	pthread_rwlock_destroy(&c->rw);
	pthread_mutex_destroy(&c->refresh);
}

int64_t cache_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The first cached call: subscribe, then one link and one address dump;
 * ebpf's filter is made meanwhile on a helper thread (cache_arm.c) and
 * armed by a later call, so that this one costs about the dumps. */
static int build(struct cache *c, struct nl_state *st)
{
	int64_t t0 = cache_mono_ns();
	int rc = cache_subscribe(c, 1, &c->sub_fd);

	if (rc < 0)
		return rc;
	/* After the subscription: with descriptors short, the filter is
	 * what goes without (and is tried again), not the cache. */
	if (c->mode == CACHE_EBPF)
		prep_start(&c->prep, nl_bpf_ring_first());
	if ((rc = cache_resync(c, st)) < 0) {
		pthread_rwlock_wrlock(&c->rw);
		drop(c);
		pthread_rwlock_unlock(&c->rw);
		return rc;
	}
	pthread_rwlock_wrlock(&c->rw);
	c->built = 1; /* published under the lock the hot path reads it with */
	pthread_rwlock_unlock(&c->rw);
	c->build_ns = cache_mono_ns() - t0;
	c->host->log(IFPLEX_LOG_DEBUG, "netlink cache: built in %lld us, %zu links, %zu addresses; "
				       "multicast lists are read on each call",
		     (long long)c->build_ns / 1000, c->t.livelinks, c->t.liveaddrs);
	return 0;
}

static int refresh_notify(struct cache *c, struct nl_state *st);
static int refresh_ebpf(struct cache *c, struct nl_state *st);

/* A failure the same attach may not meet again: retried on a later call. */
static int transient(int rc)
{
	return rc == IFPLEX_ENOMEM || rc == -ENOMEM || rc == -EAGAIN || rc == -EMFILE || rc == -ENFILE ||
	       rc == -ENOBUFS || rc == -EINTR;
}

/* ebpf after the build, on each call until armed: once the helper thread
 * has made the filter, attach it to the subscribed socket and take what
 * queued there before; from then on changes go to the ring.  Until then
 * (and after a failure, while it is made again) the subscription is read
 * as in notify mode: no call waits for the verifier. */
static int arm_bpf(struct cache *c, struct nl_state *st)
{
	char why[160] = "";
	struct nl_bpf *b;
	int64_t ns, t0 = cache_mono_ns();

	c->arm_calls++;
	prep_start(&c->prep, nl_bpf_ring_first()); /* unless under way */
	if (!prep_ready(&c->prep))
		return refresh_notify(c, st);
	size_t ring = c->prep.ring;
	int rc = prep_take(&c->prep, &b, why, sizeof why, &ns);
	if (rc == 0 && (rc = nl_bpf_attach_to(b, c->sub_fd, why, sizeof why)) < 0)
		nl_bpf_free(b);
	if (rc < 0) {
		/* A chosen ebpf, or a failure that may pass, is tried again (made
		 * anew from this call on); auto settles for notify only when BPF
		 * cannot work. */
		if (c->want == CACHE_EBPF || transient(rc)) {
			snprintf(c->why, sizeof c->why, "%s; BPF attach failed (%s), the subscription is read "
				 "as in notify mode until it attaches", c->chosen, why);
			c->host->log(IFPLEX_LOG_WARN, "netlink cache: ebpf not armed (%s), will retry", why);
			prep_start(&c->prep, nl_bpf_ring_first());
		} else {
			c->mode = CACHE_NOTIFY;
			snprintf(c->why, sizeof c->why, "%s, but BPF attach failed: %s", c->chosen, why);
			c->host->log(IFPLEX_LOG_WARN, "netlink cache: notify (%s)", c->why);
		}
		return refresh_notify(c, st);
	}
	/* The setup's whole cost: the helper's part and this call's attach. */
	c->bpf_setup_ns = ns + cache_mono_ns() - t0;
	c->ring_bytes = ring;
	rc = refresh_notify(c, st); /* what queued before the filter */
	pthread_rwlock_wrlock(&c->rw);
	c->bpf = b;
	c->applied = (struct nl_bpf_seen){0};
	pthread_rwlock_unlock(&c->rw);
	snprintf(c->why, sizeof c->why, "%s", c->chosen);
	c->host->log(IFPLEX_LOG_DEBUG, "netlink cache: BPF filter armed on call %u after the build, made in %lld us, "
				       "ring %zu bytes (%s)",
		     (unsigned)c->arm_calls, (long long)ns / 1000, ring, c->chosen);
	if (rc == 0)
		rc = refresh_ebpf(c, st);
	return rc;
}

static int apply_bytes(const void *msg, size_t len, struct cache *c)
{
	int left = (int)len; /* signed, as NLMSG_OK expects */

	for (const struct nlmsghdr *h = msg; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		int rc = table_apply(&c->t, h, 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int cache_apply_locked(const void *msg, size_t len, void *arg)
{
	struct cache *c = arg;

	pthread_rwlock_wrlock(&c->rw);
	int rc = apply_bytes(msg, len, c);
	pthread_rwlock_unlock(&c->rw);
	return rc;
}

/* notify: what queued on the socket, under the write lock per datagram. */
static int refresh_notify(struct cache *c, struct nl_state *st)
{
	for (;;) {
		if (!c->rbuf) {
			if (!(c->rbuf = cache_mem_zalloc(64 * 1024)))
				return c->host->fail("recvmsg", IFPLEX_ENOMEM);
			c->rcap = 64 * 1024;
		}
		ssize_t n = recv(c->sub_fd, c->rbuf, c->rcap, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* The kernel dropped changes: start over, with room
				 * for the next burst. */
				cache_grow_rcvbuf(c);
				return cache_resync(c, st);
			}
			return c->host->fail("recvmsg", -errno);
		}
		if ((size_t)n > c->rcap) {
			/* Cut: the message is lost; grow and rebuild from dumps. */
			char *b = cache_mem_resize(c->rbuf, c->rcap, (size_t)n);
			if (b) {
				c->rbuf = b;
				c->rcap = (size_t)n;
			}
			int rc = cache_resync(c, st);
			if (rc < 0)
				return rc;
			continue;
		}
		pthread_rwlock_wrlock(&c->rw);
		int rc = apply_bytes(c->rbuf, (size_t)n, c);
		atomic_fetch_add(&c->generation, 1);
		pthread_rwlock_unlock(&c->rw);
		if (rc < 0 && (rc = cache_resync(c, st)) < 0)
			return rc;
	}
}

/* ebpf: read the counters (memory loads); drain the ring only on change. */
static int refresh_ebpf(struct cache *c, struct nl_state *st)
{
	struct nl_bpf_seen now;

	nl_bpf_read(c->bpf, &now);
	if (now.gen == c->applied.gen && now.lost == c->applied.lost)
		return 0;
	if (now.lost != c->applied.lost)
		return cache_ebpf_overflow(c, st, &now);
	int rc = nl_bpf_drain(c->bpf, cache_apply_locked, c);
	if (rc < 0)
		return cache_resync(c, st);
	pthread_rwlock_wrlock(&c->rw);
	c->applied.gen = now.gen;
	pthread_rwlock_unlock(&c->rw);
	return 0;
}

/* Whether the table serves need as it is, with rw held for reading: built
 * in this process, ebpf armed, and nothing new in the ring. */
static int fresh(const struct cache *c, enum cache_need need)
{
	return c->built && c->bpf && c->epoch == nl_fork_epoch() && !c->stale && !(need == CACHE_ADDRS && c->t.dirty) &&
	       nl_bpf_generation(c->bpf) == c->applied.gen && nl_bpf_lost(c->bpf) == c->applied.lost;
}

/* With refresh held: bring the table up to date for need.  1 when the
 * cache serves, 0 when the call is served from dumps, or an error. */
static int refresh_locked(struct cache *c, struct nl_state *st, enum cache_need need)
{
	int rc;

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
		if (c->want < 0 && c->calls++ < AUTO_UNCACHED_CALLS)
			return 0;
		rc = build(c, st);
	} else if (c->stale) {
		rc = cache_resync(c, st);
	} else if (c->mode == CACHE_EBPF && !c->bpf) {
		rc = arm_bpf(c, st);
	} else {
		rc = c->mode == CACHE_EBPF ? refresh_ebpf(c, st) : refresh_notify(c, st);
	}
	/* A resync above may itself be doubtful (interrupted): it stands for
	 * this call, the next one dumps again. */
	if (rc == 0 && need == CACHE_ADDRS && c->t.dirty)
		rc = cache_relist(c, st);
	return rc < 0 ? rc : 1;
}

int cache_enter(struct cache *c, struct nl_state *st, enum cache_need need)
{
	if (c->want == CACHE_OFF)
		return 0;
	/* Fast path (ebpf): nothing changed, read under the read lock so
	 * that a reset cannot free what it reads. */
	if (c->mode == CACHE_EBPF) {
		pthread_rwlock_rdlock(&c->rw);
		if (fresh(c, need))
			return 1;
		pthread_rwlock_unlock(&c->rw);
	}
	pthread_mutex_lock(&c->refresh);
	int rc = refresh_locked(c, st, need);
	if (rc == 1)
		pthread_rwlock_rdlock(&c->rw);
	pthread_mutex_unlock(&c->refresh);
	return rc;
}

/* ---- snapshots */

/* A new snapshot of the table, published in place of the last one; with
 * refresh held, so that the table stays as it is while it is copied. */
static int publish(struct cache *c)
{
	const struct ifplex_host *h = c->host;
	const struct table *t = &c->t;
	struct ifplex_snapshot *s = h->snapshot_alloc(t->livelinks, t->chained[0] + t->chained[1]);

	if (!s)
		return h->fail("snapshot", IFPLEX_ENOMEM);
	table_copy_link_records(t, s->ifaces);
	table_copy_addr_records(t, s->addrs);
	s->naddrs4 = t->chained[0];
	int rc = h->snapshot_seal(s, atomic_load(&c->generation) + c->applied.gen);
	if (rc < 0) {
		h->snapshot_put(s);
		return h->fail("snapshot", rc);
	}
	pthread_rwlock_wrlock(&c->rw);
	struct ifplex_snapshot *old = c->snap;
	c->snap = s;
	c->snap_version = t->version;
	pthread_rwlock_unlock(&c->rw);
	if (old)
		h->snapshot_put(old);
	c->snapshots++;
	return 0;
}

int cache_snapshot(struct cache *c, struct nl_state *st, struct ifplex_snapshot **out)
{
	*out = NULL;
	if (c->want == CACHE_OFF || !IFPLEX_HOST_HAS(c->host, snapshot_alloc))
		return IFPLEX_ENOTSUP;
	if (c->mode == CACHE_EBPF) {
		pthread_rwlock_rdlock(&c->rw);
		if (fresh(c, CACHE_ADDRS) && c->snap && c->snap_version == c->t.version) {
			c->host->snapshot_hold(c->snap);
			*out = c->snap;
		}
		pthread_rwlock_unlock(&c->rw);
		if (*out)
			return 0;
	}
	pthread_mutex_lock(&c->refresh);
	int rc = refresh_locked(c, st, CACHE_ADDRS);
	if (rc == 1 && (!c->snap || c->snap_version != c->t.version))
		rc = publish(c);
	if (rc >= 0 && c->built && c->snap) {
		c->host->snapshot_hold(c->snap);
		*out = c->snap;
		rc = 0;
	}
	pthread_mutex_unlock(&c->refresh);
	return rc < 0 ? rc : *out ? 0 : 1;
}

void cache_fork_prepare(struct cache *c)
{
	/* Waiting (at most the verifier's millisecond) is what keeps the
	 * child from inheriting objects half made, whose descriptors no one
	 * could name; whole ones the child frees (drop) and the parent arms. */
	prep_wait(&c->prep);
}

int cache_reset(struct cache *c)
{
	pthread_mutex_lock(&c->refresh);
	prep_discard(&c->prep); /* before rw: readers need not wait for the thread */
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
