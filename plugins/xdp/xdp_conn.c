/* SPDX-License-Identifier: MIT */
/* Conversations: which UDP endpoints are the datapath's (a local address of
 * an interface IFPLEX_XDP names), and opening and closing one: a kernel UDP
 * socket that holds the port (so the port is the kernel's to hand out and
 * no kernel socket can take it), the interface's program, one AF_XDP socket
 * per receive queue, and the program's map entries that steer to them. */
#define _GNU_SOURCE
#include "xdp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(struct xdp_state *st, int code, const char *why)
{
	char text[600];

	snprintf(text, sizeof text, "xdp: %s", why);
	return st->host->fail_text(text, code);
}

static void norm(struct ifplex_ip *ip)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (ip->len == 16 && memcmp(ip->b, mapped, 12) == 0) {
		memmove(ip->b, ip->b + 12, 4);
		ip->len = 4;
	}
}

/* 1 and the interface and its IFPLEX_XDP entry when ip is an address of
 * one of them; 0 when it is none's; a negative code when an interface
 * named in IFPLEX_XDP is gone. */
static int owner(struct xdp_state *st, const struct ifplex_ip *ip, const char *zone,
		 struct ifplex_iface *ifi, int *entry)
{
	for (int i = 0; i < st->cfg.n; i++) {
		struct ifplex_addr *list = NULL;
		size_t n = 0;
		int rc = st->host->iface_by_name(st->cfg.e[i].name, ifi);
		if (rc < 0) {
			char why[400];
			snprintf(why, sizeof why, "interface %s (IFPLEX_XDP): no such network interface",
				 st->cfg.e[i].name);
			return fail(st, IFPLEX_ENOIFACE, why);
		}
		if (zone && *zone && strcmp(zone, ifi->name) != 0)
			continue;
		if ((rc = st->host->iface_addrs(ifi->index, &list, &n)) < 0)
			return rc;
		int found = 0;
		for (size_t k = 0; k < n && !found; k++) {
			struct ifplex_ip a = list[k].ip;
			norm(&a);
			found = a.len == ip->len && memcmp(a.b, ip->b, ip->len) == 0;
		}
		st->host->free(list);
		if (found) {
			*entry = i;
			return 1;
		}
	}
	return 0;
}

/* A kernel socket bound to the local endpoint: the port (picked by the
 * kernel for port 0), refused when taken, kept from kernel sockets. */
static int reserve(ifplex_bconn *c, int ifindex)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int af = c->family == 4 ? AF_INET : AF_INET6;
	int fd = socket(af, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return c->st->host->fail("socket", -errno);
	memset(&ss, 0, sizeof ss);
	if (af == AF_INET) {
		struct sockaddr_in *s4 = (void *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)c->local.port);
		memcpy(&s4->sin_addr, c->local.ip.b, 4);
		len = sizeof *s4;
	} else {
		struct sockaddr_in6 *s6 = (void *)&ss;
		int one = 1;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)c->local.port);
		memcpy(&s6->sin6_addr, c->local.ip.b, 16);
		if (c->local.ip.b[0] == 0xfe && (c->local.ip.b[1] & 0xc0) == 0x80)
			s6->sin6_scope_id = (uint32_t)ifindex;
		len = sizeof *s6;
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		int e = errno;
		close(fd);
		return c->st->host->fail("bind", -e);
	}
	c->local.port = ntohs(af == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					    : ((struct sockaddr_in6 *)&ss)->sin6_port);
	c->reserve_fd = fd;
	return 0;
}

static struct xdp_umem *find_umem(struct xdp_iface *ifc, int queue)
{
	for (struct xdp_umem *u = ifc->umems; u; u = u->next)
		if (u->queue == queue)
			return u;
	return NULL;
}

/* Give back what one leg holds; under the state's lock. */
static void leg_close(ifplex_bconn *c, struct xdp_leg *l)
{
	if (l->slot >= 0)
		xdp_unsteer(c->ifc, &l->key, l->slot);
	if (l->rx.map) {
		/* Frames still in the RX ring return to the fill ring. */
		uint32_t cons = *l->rx.consumer, prod = xdp_ring_load(l->rx.producer);
		const struct xdp_desc *d = l->rx.descs;
		for (; cons != prod; cons++) {
			uint64_t a = d[cons & (l->rx.size - 1)].addr;
			xdp_umem_refill(l->u, &a, 1);
		}
		xdp_ring_store(l->rx.consumer, cons);
	}
	xdp_ring_unmap(&l->rx);
	xdp_ring_unmap(&l->tx);
	if (l->fd >= 0)
		xdp_sock_close(l->fd);
	if (l->u && --l->u->refs == 0) {
		struct xdp_umem **p = &c->ifc->umems;
		while (*p != l->u)
			p = &(*p)->next;
		*p = l->u->next;
		xdp_umem_close(l->u);
	}
}

static void conv_free(ifplex_bconn *c)
{
	struct xdp_state *st = c->st;

	pthread_mutex_lock(&st->lock);
	for (int i = 0; i < c->nlegs; i++)
		leg_close(c, &c->leg[i]);
	if (c->ifc && --c->ifc->refs == 0) {
		struct xdp_iface **p = &st->ifaces;
		while (*p != c->ifc)
			p = &(*p)->next;
		*p = c->ifc->next;
		st->host->log(IFPLEX_LOG_DEBUG, "xdp: %s: last conversation closed, program detached",
			      c->ifc->name);
		xdp_detach(c->ifc);
	}
	pthread_mutex_unlock(&st->lock);
	if (c->wait_fd >= 0)
		close(c->wait_fd);
	int fds[] = {c->reserve_fd, c->close_fd, c->wake[0], c->wake[1]};
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	pthread_mutex_destroy(&c->rx_lock);
	pthread_mutex_destroy(&c->tx_lock);
	free(c);
}

static struct xdp_iface *find_iface(struct xdp_state *st, int index)
{
	for (struct xdp_iface *f = st->ifaces; f; f = f->next)
		if (f->index == index)
			return f;
	return NULL;
}

/* The interface's program (attached on first use) and one socket per
 * queue; under the state's lock. */
static int legs_open(ifplex_bconn *c, const struct ifplex_iface *ifi, int queue, char *why, size_t wl)
{
	struct xdp_state *st = c->st;
	int rc;

	if (!(c->ifc = find_iface(st, ifi->index))) {
		if ((rc = xdp_attach(st, ifi, &c->ifc, why, wl)) < 0)
			return rc;
		c->ifc->next = st->ifaces;
		st->ifaces = c->ifc;
		st->host->log(IFPLEX_LOG_DEBUG, "xdp: %s: program attached in %s mode, %d receive queue(s)",
			      c->ifc->name, c->ifc->mode, c->ifc->nqueues);
	}
	c->ifc->refs++;
	int first = queue >= 0 ? queue : 0;
	int count = queue >= 0 ? 1 : c->ifc->nqueues;
	if (count > XDP_MAX_LEGS) {
		snprintf(why, wl, "%.64s has %d receive queues; name at most %d in IFPLEX_XDP (%.64s:QUEUE)",
			 ifi->name, count, XDP_MAX_LEGS, ifi->name);
		return -E2BIG;
	}
	for (int q = first; q < first + count; q++) {
		struct xdp_leg *l = &c->leg[c->nlegs++];
		l->fd = -1;
		l->slot = -1;
		if (!(l->u = find_umem(c->ifc, q))) {
			if ((rc = xdp_umem_open(c->ifc, q, &l->u, why, wl)) < 0)
				return rc;
			l->u->next = c->ifc->umems;
			c->ifc->umems = l->u;
		}
		l->u->refs++;
		if ((rc = xdp_sock_open(l->u, &l->fd, &l->rx, &l->tx, why, wl)) < 0)
			return rc;
		memcpy(l->key.addr, c->local.ip.b, c->local.ip.len);
		l->key.queue = (unsigned)q;
		l->key.port = htons((uint16_t)c->local.port);
		l->key.family = (unsigned char)c->family;
		if ((rc = xdp_steer(c->ifc, l->fd, &l->key, &l->slot)) < 0) {
			snprintf(why, wl, "steer %s queue %d to its socket: %s", ifi->name, q, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static int readiness(ifplex_bconn *c)
{
	if ((c->close_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    (c->wake[0] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    (c->wake[1] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
		return c->st->host->fail("eventfd", -errno);
	/* One descriptor that is readable when any queue's ring is, or the
	 * kernel's socket (reassembled fragments). */
	if ((c->wait_fd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return c->st->host->fail("epoll_create1", -errno);
	for (int i = 0; i <= c->nlegs; i++) {
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
		int fd = i < c->nlegs ? c->leg[i].fd : c->reserve_fd;
		if (epoll_ctl(c->wait_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
			return c->st->host->fail("epoll_ctl", -errno);
	}
	return 0;
}

static int open_conv(struct xdp_state *st, const struct ifplex_iface *ifi, int entry,
		     const struct ifplex_netaddr *local, const struct ifplex_netaddr *remote,
		     ifplex_bconn **out)
{
	ifplex_bconn *c = calloc(1, sizeof *c);
	char why[400] = "";
	int rc;

	if (!c)
		return IFPLEX_ENOMEM;
	c->st = st;
	c->reserve_fd = c->close_fd = c->wake[0] = c->wake[1] = c->wait_fd = -1;
	pthread_mutex_init(&c->rx_lock, NULL);
	pthread_mutex_init(&c->tx_lock, NULL);
	c->local = *local;
	c->local.kind = IFPLEX_NETADDR_IP;
	c->family = local->ip.len == 4 ? 4 : 6;
	if (remote) {
		c->remote = *remote;
		norm(&c->remote.ip);
		c->connected = 1;
	}
	if ((rc = reserve(c, ifi->index)) < 0) {
		conv_free(c);
		return rc;
	}
	pthread_mutex_lock(&st->lock);
	rc = legs_open(c, ifi, st->cfg.e[entry].queue, why, sizeof why);
	pthread_mutex_unlock(&st->lock);
	if (rc < 0) {
		conv_free(c);
		return fail(st, rc, why);
	}
	if ((rc = readiness(c)) < 0) {
		conv_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int xdp_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	struct xdp_state *st = state;
	struct ifplex_netaddr local = spec->addr;
	struct ifplex_iface ifi;
	int entry, rc;

	if (spec->net.kind != IFPLEX_NET_UDP)
		return IFPLEX_DATAPATH_PASS;
	norm(&local.ip);
	if (local.ip.len == 0)
		return IFPLEX_DATAPATH_PASS; /* every interface: the kernel's */
	if ((spec->net.family == 4 && local.ip.len != 4) || (spec->net.family == 6 && local.ip.len != 16))
		return IFPLEX_DATAPATH_PASS;
	if ((rc = owner(st, &local.ip, local.zone, &ifi, &entry)) <= 0)
		return rc < 0 ? rc : IFPLEX_DATAPATH_PASS;
	return open_conv(st, &ifi, entry, &local, NULL, out);
}

int xdp_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	struct xdp_state *st = state;
	struct ifplex_netaddr remote = spec->addr, local = {.kind = IFPLEX_NETADDR_IP};
	struct ifplex_iface ifi;
	int entry = -1, rc;

	if (spec->net.kind != IFPLEX_NET_UDP || (IFPLEX_SPEC_HAS(spec, device) && spec->device))
		return IFPLEX_DATAPATH_PASS;
	norm(&remote.ip);
	if (remote.ip.len == 0)
		return IFPLEX_DATAPATH_PASS;
	if (spec->local && spec->local->ip.len) {
		local = *spec->local;
		norm(&local.ip);
		if (local.ip.len != remote.ip.len)
			return IFPLEX_DATAPATH_PASS;
		if ((rc = owner(st, &local.ip, local.zone, &ifi, &entry)) <= 0)
			return rc < 0 ? rc : IFPLEX_DATAPATH_PASS;
	} else {
		/* The source the kernel would pick: its route's. */
		struct xdp_hop hop;
		if (spec->local)
			local.port = spec->local->port;
		if (xdp_route_get(&st->rt, &remote.ip, 0, &hop) < 0 || hop.src.len == 0)
			return IFPLEX_DATAPATH_PASS; /* the kernel's dial says why */
		local.ip = hop.src;
		if ((rc = owner(st, &local.ip, NULL, &ifi, &entry)) <= 0)
			return rc < 0 ? rc : IFPLEX_DATAPATH_PASS;
		if (ifi.index != hop.oif)
			return IFPLEX_DATAPATH_PASS;
	}
	if ((rc = open_conv(st, &ifi, entry, &local, &remote, out)) < 0)
		return rc;
	/* Start resolving the peer now, as a kernel socket's first send would. */
	uint8_t mac[6];
	xdp_dest_mac(*out, &remote.ip, -1, mac);
	return 0;
}

int xdp_close_conn(ifplex_bconn *c)
{
	conv_free(c);
	return 0;
}

static void poke(int fd)
{
	uint64_t one = 1;
	if (fd >= 0 && write(fd, &one, sizeof one) < 0) {
		/* A full counter is readable already: nothing is lost. */
	}
}

int xdp_interrupt(ifplex_bconn *c)
{
	atomic_store(&c->closing, 1);
	poke(c->close_fd);
	return 0;
}

int xdp_set_deadline(ifplex_bconn *c, int which, int64_t deadline)
{
	for (int d = 0; d < 2; d++)
		if (which & (1 << d)) {
			atomic_store(&c->deadline[d], deadline);
			poke(c->wake[d]);
		}
	return 0;
}

int xdp_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	*out = c->local;
	return 0;
}

int xdp_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	if (!c->connected)
		return c->st->host->fail("getpeername", -ENOTCONN);
	*out = c->remote;
	return 0;
}

int xdp_wait_fd(ifplex_bconn *c, intptr_t *fd)
{
	*fd = c->wait_fd;
	return 0;
}

uint64_t xdp_conn_caps(ifplex_bconn *c)
{
	(void)c;
	return IFPLEX_CAP_UDP | IFPLEX_CAP_DEADLINES | IFPLEX_CAP_BATCH | IFPLEX_CAP_POLL |
	       IFPLEX_CAP_LENT;
}
