/* SPDX-License-Identifier: MIT */
/* Datagrams that reach a conversation through the kernel: IP fragments,
 * which the XDP program passes on and the kernel reassembles into the
 * socket holding the conversation's port.  They are copied out, or lent
 * from a spare UMEM frame, so a reader sees one stream either way. */
#include "xdp.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

/* Reading from the kernel's socket is tried only when it is readable. */
int xdp_kernel_ready(ifplex_bconn *c)
{
	struct pollfd p = {.fd = c->reserve_fd, .events = POLLIN};

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void from_sockaddr(ifplex_bconn *c, const struct sockaddr_storage *ss, struct ifplex_netaddr *a)
{
	memset(a, 0, sizeof *a);
	a->kind = IFPLEX_NETADDR_IP;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;
		a->ip.len = 4;
		memcpy(a->ip.b, &s->sin_addr, 4);
		a->port = ntohs(s->sin_port);
		return;
	}
	const struct sockaddr_in6 *s = (const void *)ss;
	a->ip.len = 16;
	memcpy(a->ip.b, &s->sin6_addr, 16);
	a->port = ntohs(s->sin6_port);
	if (s->sin6_scope_id)
		memcpy(a->zone, c->ifc->name, strlen(c->ifc->name) + 1);
}

/* One datagram into buf[0..len): its full length, or 0 when none waits
 * (or it was not from a connected conversation's peer). */
static ssize_t take(ifplex_bconn *c, void *buf, size_t len, struct ifplex_netaddr *from)
{
	struct sockaddr_storage ss;
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr mh = {.msg_name = &ss, .msg_namelen = sizeof ss, .msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n = recvmsg(c->reserve_fd, &mh, MSG_DONTWAIT | MSG_TRUNC);

	if (n < 0)
		return 0;
	from_sockaddr(c, &ss, from);
	if (c->connected && (from->port != c->remote.port || from->ip.len != c->remote.ip.len ||
			     memcmp(from->ip.b, c->remote.ip.b, from->ip.len) != 0))
		return 0;
	XDP_COUNT(c->ifc, rx, 1);
	XDP_COUNT(c->ifc, rx_kernel, 1);
	return n;
}

size_t xdp_kernel_rx(ifplex_bconn *c, struct ifplex_msg *m, struct ifplex_lent *v, size_t count)
{
	size_t got = 0;

	while (got < count && xdp_kernel_ready(c)) {
		struct ifplex_netaddr from;
		if (m) {
			struct ifplex_msg *x = &m[got];
			ssize_t n = take(c, x->buf, x->len, &from);
			if (n <= 0)
				continue;
			x->n = (size_t)n < x->len ? (size_t)n : x->len;
			x->flags = (size_t)n > x->len ? IFPLEX_MSG_TRUNC : 0;
			if (x->flags)
				XDP_COUNT(c->ifc, rx_truncated, 1);
			x->fds_received = 0;
			x->result = 0;
			if (x->addr)
				*x->addr = from;
			if (x->meta && x->meta->size >= offsetof(struct ifplex_msg_meta, ifindex) + sizeof(int))
				x->meta->ifindex = c->ifc->index;
			if (x->meta && x->meta->size >= offsetof(struct ifplex_msg_meta, queue) + sizeof(int))
				x->meta->queue = -1; /* the kernel's, not a queue's ring */
			if (x->meta && x->meta->size >= offsetof(struct ifplex_msg_meta, dst) + sizeof(struct ifplex_ip))
				x->meta->dst = c->local.ip;
			got++;
			continue;
		}
		struct xdp_umem *u = c->leg[0].u;
		uint64_t addr;
		if (xdp_umem_take(u, &addr, 1) != 1)
			break; /* every frame is lent or sending: the ring's turn first */
		ssize_t n = take(c, u->area + addr, u->frame_size, &from);
		if (n <= 0) {
			xdp_umem_put(u, &addr, 1);
			continue;
		}
		/* A reassembled datagram may be larger than a frame: cut, and said. */
		struct ifplex_lent *x = &v[got];
		x->data = u->area + addr;
		x->len = (size_t)n < u->frame_size ? (size_t)n : u->frame_size;
		x->flags = (size_t)n > u->frame_size ? IFPLEX_MSG_TRUNC : 0;
		if (x->flags)
			XDP_COUNT(c->ifc, rx_truncated, 1);
		x->result = 0;
		x->token = XDP_TOKEN(0, addr) | XDP_TOKEN_SPARE;
		if (x->addr)
			*x->addr = from;
		got++;
	}
	return got;
}

/* A datagram larger than the link's MTU: through the kernel's socket,
 * which fragments it as it would for any socket (the datapath does not). */
int xdp_kernel_tx(ifplex_bconn *c, const struct ifplex_netaddr *dst, const void *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	memset(&ss, 0, sizeof ss);
	if (dst->ip.len == 4) {
		struct sockaddr_in *s = (void *)&ss;
		s->sin_family = AF_INET;
		s->sin_port = htons((uint16_t)dst->port);
		memcpy(&s->sin_addr, dst->ip.b, 4);
		sl = sizeof *s;
	} else {
		struct sockaddr_in6 *s = (void *)&ss;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons((uint16_t)dst->port);
		memcpy(&s->sin6_addr, dst->ip.b, 16);
		if (dst->ip.b[0] == 0xfe && (dst->ip.b[1] & 0xc0) == 0x80)
			s->sin6_scope_id = (uint32_t)c->ifc->index;
		sl = sizeof *s;
	}
	for (;;) {
		if (sendto(c->reserve_fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&ss, sl) >= 0) {
			XDP_COUNT(c->ifc, tx_kernel, 1);
			return 0;
		}
		int e = errno, rc;
		if (e == EMSGSIZE)
			XDP_COUNT(c->ifc, tx_too_big, 1);
		if (e != EAGAIN && e != EINTR)
			return c->st->host->fail("sendto", -e);
		if ((rc = xdp_wait(c, c->reserve_fd, POLLOUT)) < 0)
			return rc;
	}
}
