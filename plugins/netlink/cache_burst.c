/* SPDX-License-Identifier: MIT */
/* Bursts.  When more notifications came than the ring (ebpf) or the
 * socket buffer (notify) holds, the cache dumps again what it lost and
 * makes room, so that the next burst of that size is applied as deltas:
 * the ring is replaced by one twice the size the burst needed, the socket
 * buffer is raised to its cap.  The ring reports which kinds it lost, so
 * that only those are dumped; the socket cannot tell. */
#define _GNU_SOURCE
#include "nl.h"

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static int bind_groups(int fd)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
				 .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR};

	return bind(fd, (struct sockaddr *)&sa, sizeof sa);
}

/* Replace the ring with one of size bytes on a new socket.  The new
 * socket is subscribed once its filter is on, so nothing queues there;
 * for a moment both sockets get every notification, and the old ring
 * stops when its socket is closed (the close waits for deliveries under
 * way).  The old ring is applied to its end, then the new one: what both
 * saw is applied twice, which leaves the state as once (a notification
 * carries the whole state of its link or address), and an address put
 * back where its order is in doubt marks its link for a relist.  A ring
 * that cannot be made leaves the old one in place. */
static void grow_ring(struct cache *c, size_t size)
{
	char why[160] = "";
	struct nl_bpf *nb;
	struct nl_bpf_seen old;
	int fd;

	if (cache_subscribe(c, 0, &fd) < 0)
		return;
	if (nl_bpf_attach(fd, size, &nb, why, sizeof why) < 0) {
		c->host->log(IFPLEX_LOG_WARN, "netlink cache: ring of %zu bytes not made (%s)", size, why);
		close(fd);
		return;
	}
	if (bind_groups(fd) < 0) {
		nl_bpf_free(nb);
		close(fd);
		return;
	}
	close(c->sub_fd);
	int rc = nl_bpf_drain(c->bpf, cache_apply_locked, c);
	nl_bpf_read(c->bpf, &old);
	pthread_rwlock_wrlock(&c->rw);
	struct nl_bpf *ob = c->bpf;
	/* Losses of the old ring since the overflow was handled: rebuild. */
	if (rc < 0 || old.lost != c->applied.lost)
		c->stale = 1;
	atomic_fetch_add(&c->generation, old.gen);
	c->bpf = nb;
	c->sub_fd = fd;
	c->applied = (struct nl_bpf_seen){0};
	pthread_rwlock_unlock(&c->rw);
	nl_bpf_free(ob);
	c->grows++;
	c->ring_bytes = size;
	c->host->log(IFPLEX_LOG_DEBUG, "netlink cache: ring grown to %zu bytes", size);
}

int cache_ebpf_overflow(struct cache *c, struct nl_state *st, const struct nl_bpf_seen *now)
{
	uint64_t links = now->lost_links - c->applied.lost_links, addrs = now->lost_addrs - c->applied.lost_addrs;
	uint64_t lost = now->lost - c->applied.lost, bytes = now->lost_bytes - c->applied.lost_bytes;
	int rc;

	/* What fit is in the ring, in order: apply it, then dump the kinds
	 * that did not fit.  Changes made meanwhile are in the dump and in
	 * the ring both, and are applied again from the ring: the same. */
	rc = nl_bpf_drain(c->bpf, cache_apply_locked, c);
	if (rc < 0 || links + addrs < lost || (links && addrs)) {
		rc = cache_resync(c, st);
	} else {
		rc = cache_resync_kind(c, st, addrs != 0);
		pthread_rwlock_wrlock(&c->rw);
		c->applied = *now;
		pthread_rwlock_unlock(&c->rw);
	}
	size_t ring = nl_bpf_ring_size(c->bpf), want = ring;
	while (want < 2 * (ring + bytes) && want < c->ring_max)
		want *= 2;
	if (rc == 0 && want > ring)
		grow_ring(c, want);
	return rc;
}

void cache_grow_rcvbuf(struct cache *c)
{
	int cur = 0, v;
	socklen_t len = sizeof cur;

	/* Straight to the cap: the kernel charges a socket's buffer only for
	 * what queues in it, so room for a burst costs nothing until one
	 * comes, and the size of the burst that overflowed is not known. */
	if (getsockopt(c->sub_fd, SOL_SOCKET, SO_RCVBUF, &cur, &len) < 0 || cur >= c->rcvbuf_max)
		return;
	v = c->rcvbuf_max / 2; /* the kernel doubles what it is given */
	if (setsockopt(c->sub_fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof v) < 0 &&
	    setsockopt(c->sub_fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof v) < 0)
		return;
	len = sizeof v;
	if (getsockopt(c->sub_fd, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0 && v > cur) {
		c->grows++;
		c->ring_bytes = (uint64_t)v;
		c->host->log(IFPLEX_LOG_DEBUG, "netlink cache: socket buffer grown to %d bytes", v);
	}
}
