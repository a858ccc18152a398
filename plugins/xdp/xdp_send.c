/* SPDX-License-Identifier: MIT */
/* Sending: the next hop from the kernel's routing table, its link-layer
 * address from the neighbour table (resolved through the kernel when
 * missing), frames built in the UMEM with checksums, the TX ring, and a
 * sendto() that makes the kernel copy them out (copy mode). */
#define _GNU_SOURCE
#include "xdp.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* How long a looked-up neighbour is used before asking the kernel again,
 * and how long a resolution may take when no deadline is sooner (the
 * kernel's own: three probes a second apart). */
#define NEIGH_TTL 1000000000ll
#define RESOLVE_MAX 3000000000ll

static int group_mac(const struct ifplex_ip *ip, uint8_t mac[6])
{
	if (ip->len == 4 && (ip->b[0] & 0xf0) == 0xe0) { /* RFC 1112 6.4 */
		uint8_t m[6] = {0x01, 0x00, 0x5e, (uint8_t)(ip->b[1] & 0x7f), ip->b[2], ip->b[3]};
		memcpy(mac, m, 6);
		return 1;
	}
	if (ip->len == 4 && ip->b[0] == 255 && ip->b[1] == 255 && ip->b[2] == 255 && ip->b[3] == 255) {
		memset(mac, 0xff, 6);
		return 1;
	}
	if (ip->len == 16 && ip->b[0] == 0xff) { /* RFC 2464 7 */
		mac[0] = mac[1] = 0x33;
		memcpy(mac + 2, ip->b + 12, 4);
		return 1;
	}
	return 0;
}

static struct xdp_neigh_entry *slot_of(ifplex_bconn *c, const struct ifplex_ip *ip)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < ip->len; i++)
		h = (h ^ ip->b[i]) * 16777619u;
	return &c->neigh[h % XDP_NEIGH_CACHE];
}

static int no_route(ifplex_bconn *c, const struct ifplex_ip *dst, const char *why, int code)
{
	char ip[IFPLEX_IP_STRLEN], text[400];

	c->st->host->ip_string(dst, ip, sizeof ip);
	snprintf(text, sizeof text, "xdp %s: %s %s", c->ifc->name, ip, why);
	XDP_COUNT(c->ifc, tx_no_route, 1);
	return c->st->host->fail_text(text, code);
}

/* Wait for the kernel to resolve nh: until it has an address, fails, the
 * write deadline (or RESOLVE_MAX) passes, or Close. */
static int resolve(ifplex_bconn *c, const struct ifplex_ip *nh, uint8_t mac[6])
{
	int64_t start = xdp_now(), dl = atomic_load(&c->deadline[1]);
	int state = 0, ms = 1, rc;

	XDP_COUNT(c->ifc, neigh_resolve, 1);
	if ((rc = xdp_neigh_use(&c->st->rt, c->ifc->index, nh)) < 0)
		return c->st->host->fail("RTM_NEWNEIGH", rc);
	for (;;) {
		struct pollfd p = {.fd = c->close_fd, .events = POLLIN};
		poll(&p, 1, ms);
		if (atomic_load(&c->closing))
			return IFPLEX_ECLOSED;
		if ((rc = xdp_neigh_get(&c->st->rt, c->ifc->index, nh, mac, &state)) != 0)
			return rc < 0 ? c->st->host->fail("RTM_GETNEIGH", rc) : 0;
		if (state & NUD_FAILED)
			break;
		if (dl && xdp_now() >= dl)
			return IFPLEX_ETIMEDOUT;
		if (xdp_now() - start >= RESOLVE_MAX)
			break;
		ms = ms < 32 ? ms * 2 : ms;
	}
	char ip[IFPLEX_IP_STRLEN], text[400];
	c->st->host->ip_string(nh, ip, sizeof ip);
	snprintf(text, sizeof text, "xdp %s: no link-layer address for next hop %s (%s)",
		 c->ifc->name, ip, nh->len == 4 ? "ARP" : "neighbour discovery");
	XDP_COUNT(c->ifc, tx_no_neigh, 1);
	return c->st->host->fail_text(text, -EHOSTUNREACH);
}

int xdp_dest_mac(ifplex_bconn *c, const struct ifplex_ip *dst, int64_t deadline, uint8_t mac[6])
{
	struct xdp_neigh_entry *e = slot_of(c, dst);
	int64_t now = xdp_now();
	struct xdp_hop hop;
	int state, rc;

	if (group_mac(dst, mac))
		return 0;
	if (e->ip.len == dst->len && memcmp(e->ip.b, dst->b, dst->len) == 0 && now - e->checked < NEIGH_TTL) {
		memcpy(mac, e->mac, 6);
		return 0;
	}
	if ((rc = xdp_route_get(&c->st->rt, dst, 0, &hop)) < 0)
		return no_route(c, dst, "has no route", rc);
	if (hop.type == RTN_LOCAL)
		return no_route(c, dst, "is an address of this host: the datapath sends only out of its interface",
				-EHOSTUNREACH);
	if (hop.oif != c->ifc->index)
		return no_route(c, dst, "is routed through another interface", -ENETUNREACH);
	if (hop.type == RTN_BROADCAST) {
		memset(mac, 0xff, 6);
		return 0;
	}
	const struct ifplex_ip *nh = hop.gw.len ? &hop.gw : dst;
	rc = xdp_neigh_get(&c->st->rt, c->ifc->index, nh, mac, &state);
	if (rc < 0)
		return c->st->host->fail("RTM_GETNEIGH", rc);
	if (rc == 1 && (state & NUD_STALE))
		xdp_neigh_use(&c->st->rt, c->ifc->index, nh); /* have the kernel confirm it */
	if (rc == 0) {
		if (deadline < 0) { /* only start it (dial): the first write waits */
			XDP_COUNT(c->ifc, neigh_resolve, 1);
			xdp_neigh_use(&c->st->rt, c->ifc->index, nh);
			return -EAGAIN;
		}
		if ((rc = resolve(c, nh, mac)) < 0)
			return rc;
	}
	e->ip = *dst;
	memcpy(e->mac, mac, 6);
	e->checked = now;
	return 0;
}

/* Have the kernel send what the TX ring holds; the caller holds tx_lock. */
static int kick(ifplex_bconn *c, struct xdp_leg *l)
{
	for (int tries = 0; tries < 64; tries++) {
		if (xdp_ring_load(l->tx.consumer) == *l->tx.producer)
			return 0;
		if (sendto(l->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
			continue;
		if (errno == EAGAIN || errno == EBUSY || errno == ENOBUFS || errno == EINTR)
			continue; /* more than one call's batch, or the device queue was full */
		return c->st->host->fail("sendto", -errno);
	}
	return 0;
}

static void norm_dst(struct ifplex_netaddr *a)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (a->ip.len == 16 && memcmp(a->ip.b, mapped, 12) == 0) {
		memmove(a->ip.b, a->ip.b + 12, 4);
		a->ip.len = 4;
	}
}

/* One datagram into a frame and onto the TX ring (not yet published): 0;
 * or sent by the kernel: 1. */
static int put_one(ifplex_bconn *c, struct xdp_leg *l, struct ifplex_msg *m, uint32_t *prod)
{
	struct ifplex_netaddr dst;
	struct xdp_tx h;
	size_t hl = xdp_frame_hdrlen(c->family);
	int rc;

	if (m->addr) {
		dst = *m->addr;
		norm_dst(&dst);
	} else if (c->connected) {
		dst = c->remote;
	} else {
		return c->st->host->fail("sendto", -EDESTADDRREQ);
	}
	if (dst.ip.len != c->local.ip.len)
		return c->st->host->fail("sendto", -EAFNOSUPPORT);
	if (dst.port <= 0 || dst.port > 65535)
		return c->st->host->fail("sendto", -EINVAL);
	if (m->len && !m->buf)
		return IFPLEX_EINVAL;
	size_t room = (size_t)c->ifc->mtu - (hl - 14);
	if (m->len > room || hl + m->len > l->u->frame_size) {
		/* What is queued before it leaves first, as a socket's would. */
		xdp_ring_store(l->tx.producer, *prod);
		if ((rc = kick(c, l)) < 0 || (rc = xdp_kernel_tx(c, &dst, m->buf, m->len)) < 0)
			return rc;
		m->n = m->len;
		return 1;
	}
	memcpy(h.src_mac, c->ifc->mac, 6);
	if ((rc = xdp_dest_mac(c, &dst.ip, 0, h.dst_mac)) < 0)
		return rc;
	uint64_t addr;
	for (;;) {
		if (*prod - xdp_ring_load(l->tx.consumer) < l->tx.size && xdp_umem_take(l->u, &addr, 1) == 1)
			break;
		xdp_ring_store(l->tx.producer, *prod);
		if ((rc = kick(c, l)) < 0)
			return rc;
		if (*prod - xdp_ring_load(l->tx.consumer) < l->tx.size && xdp_umem_take(l->u, &addr, 1) == 1)
			break;
		if ((rc = xdp_wait(c, l->fd, POLLOUT)) < 0)
			return rc;
	}
	uint8_t *f = l->u->area + addr;
	if (m->len)
		memcpy(f + hl, m->buf, m->len);
	h.src = c->local.ip;
	h.dst = dst.ip;
	h.sport = c->local.port;
	h.dport = dst.port;
	h.ip_id = c->ip_id++;
	struct xdp_desc *d = &((struct xdp_desc *)l->tx.descs)[*prod & (l->tx.size - 1)];
	d->addr = addr;
	d->len = (uint32_t)xdp_frame_build(f, &h, m->len);
	d->options = 0;
	(*prod)++;
	m->n = m->len;
	return 0;
}

int xdp_write_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline)
{
	struct xdp_leg *l = &c->leg[0];
	int rc = 0;
	size_t sent = 0;

	(void)deadline; /* the live copy set through set_deadline is used */
	pthread_mutex_lock(&c->tx_lock);
	uint32_t prod = *l->tx.producer;
	for (; sent < count; sent++) {
		if (atomic_load(&c->closing)) {
			rc = IFPLEX_ECLOSED;
			break;
		}
		m[sent].n = 0;
		if ((rc = put_one(c, l, &m[sent], &prod)) < 0) {
			m[sent].result = rc;
			break;
		}
		m[sent].result = 0;
	}
	xdp_ring_store(l->tx.producer, prod);
	int krc = kick(c, l);
	if (sent)
		XDP_COUNT(c->ifc, tx, sent);
	pthread_mutex_unlock(&c->tx_lock);
	if (sent)
		return (int)sent;
	return rc < 0 ? rc : krc;
}

int xdp_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline)
{
	int rc = xdp_write_batch(c, m, 1, deadline);
	return rc < 0 ? rc : 0;
}

int xdp_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n)
{
	struct ifplex_msg m = {.buf = (void *)buf, .len = len};
	int rc = xdp_write_msg(c, &m, deadline);

	*n = m.n;
	return rc;
}
