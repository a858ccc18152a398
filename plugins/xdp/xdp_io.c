/* SPDX-License-Identifier: MIT */
/* Receiving: datagrams from the conversations' RX rings, checked and
 * copied out (read, read_msg, read_batch) or lent in place (read_lent);
 * the frames go back to the fill ring in batches.  And poll. */
#include "xdp.h"

#include <poll.h>
#include <string.h>

#define BATCH 64

/* Take up to max descriptors from l's RX ring (the caller holds rx_lock). */
static size_t rx_take(struct xdp_leg *l, struct xdp_desc *out, size_t max)
{
	uint32_t cons = *l->rx.consumer;
	uint32_t n = xdp_ring_load(l->rx.producer) - cons;
	const struct xdp_desc *d = l->rx.descs;

	if (n > max)
		n = (uint32_t)max;
	for (uint32_t i = 0; i < n; i++)
		out[i] = d[(cons + i) & (l->rx.size - 1)];
	xdp_ring_store(l->rx.consumer, cons + n);
	return n;
}

static int rx_ready(ifplex_bconn *c)
{
	for (int i = 0; i < c->nlegs; i++)
		if (xdp_ring_load(c->leg[i].rx.producer) != *c->leg[i].rx.consumer)
			return 1;
	return 0;
}

/* Where one received datagram goes: a message to copy into, or a lent
 * view; NULL for the other. */
struct sink {
	struct ifplex_msg *m;
	struct ifplex_lent *v;
};

static void fill_addr(ifplex_bconn *c, struct ifplex_netaddr *a, const struct xdp_rx *rx)
{
	memset(a, 0, sizeof *a);
	a->kind = IFPLEX_NETADDR_IP;
	a->ip = rx->src;
	a->port = rx->sport;
	if (rx->src.len == 16 && rx->src.b[0] == 0xfe && (rx->src.b[1] & 0xc0) == 0x80)
		memcpy(a->zone, c->ifc->name, strlen(c->ifc->name) + 1);
}

/* Check one frame; 1 if it is a datagram for c (counted), 0 if dropped. */
static int accept_frame(ifplex_bconn *c, const uint8_t *f, size_t len, struct xdp_rx *rx)
{
	int rc = xdp_frame_parse(f, len, rx);

	if (rc == XDP_RX_MALFORMED || rc == XDP_RX_NOTOURS) {
		XDP_COUNT(c->ifc, rx_malformed, 1);
		return 0;
	}
	if (rc == XDP_RX_CHECKSUM) {
		XDP_COUNT(c->ifc, rx_checksum, 1);
		return 0;
	}
	if (rx->skipped & XDP_SKIP_IPOPT)
		XDP_COUNT(c->ifc, rx_ip_options, 1);
	if (rx->skipped & XDP_SKIP_EXT)
		XDP_COUNT(c->ifc, rx_ext_headers, 1);
	/* A connected conversation hears its peer only, as a kernel socket. */
	if (c->connected && (rx->sport != c->remote.port || rx->src.len != c->remote.ip.len ||
			     memcmp(rx->src.b, c->remote.ip.b, rx->src.len) != 0))
		return 0;
	return 1;
}

static void deliver(ifplex_bconn *c, int leg, const struct xdp_desc *d, const struct xdp_rx *rx,
		    struct sink *s)
{
	if (s->m) {
		struct ifplex_msg *m = s->m;
		size_t n = rx->len < m->len ? rx->len : m->len;
		if (n)
			memcpy(m->buf, rx->payload, n);
		m->n = n;
		m->flags = rx->len > m->len ? IFPLEX_MSG_TRUNC : 0;
		if (m->flags)
			XDP_COUNT(c->ifc, rx_truncated, 1);
		m->fds_received = 0;
		m->result = 0;
		if (m->addr)
			fill_addr(c, m->addr, rx);
		if (m->meta && m->meta->size >= offsetof(struct ifplex_msg_meta, queue) + sizeof(int)) {
			struct ifplex_msg_meta *mt = m->meta;
			mt->ifindex = c->ifc->index;
			mt->queue = (int)c->leg[leg].key.queue;
			if (mt->size >= offsetof(struct ifplex_msg_meta, timestamp) + sizeof(int64_t))
				mt->timestamp = 0;
			if (mt->size >= offsetof(struct ifplex_msg_meta, dst) + sizeof(struct ifplex_ip))
				mt->dst = rx->dst;
		} else if (m->meta && m->meta->size >= offsetof(struct ifplex_msg_meta, ifindex) + sizeof(int)) {
			m->meta->ifindex = c->ifc->index;
		}
	} else {
		struct ifplex_lent *v = s->v;
		v->data = rx->payload;
		v->len = rx->len;
		v->flags = 0;
		v->result = 0;
		v->token = XDP_TOKEN(leg, d->addr & ~(uint64_t)(c->leg[leg].u->frame_size - 1));
		if (v->addr)
			fill_addr(c, v->addr, rx);
	}
	XDP_COUNT(c->ifc, rx, 1);
}

/* Up to count datagrams into m (copies) or v (lent) without waiting. */
static size_t rx_once(ifplex_bconn *c, struct ifplex_msg *m, struct ifplex_lent *v, size_t count)
{
	size_t got = 0;

	for (int k = 0; k < c->nlegs && got < count; k++) {
		int li = (int)((c->rx_next + (unsigned)k) % (unsigned)c->nlegs);
		struct xdp_leg *l = &c->leg[li];
		struct xdp_desc d[BATCH];
		uint64_t back[BATCH];
		size_t nback = 0;
		size_t want = count - got < BATCH ? count - got : BATCH;
		size_t n = rx_take(l, d, want);
		for (size_t i = 0; i < n; i++) {
			struct xdp_rx rx;
			const uint8_t *f = l->u->area + d[i].addr;
			if (d[i].addr + d[i].len > l->u->frames * l->u->frame_size ||
			    !accept_frame(c, f, d[i].len, &rx)) {
				back[nback++] = d[i].addr;
				continue;
			}
			struct sink s = {m ? &m[got] : NULL, v ? &v[got] : NULL};
			deliver(c, li, &d[i], &rx, &s);
			if (m)
				back[nback++] = d[i].addr; /* copied: the frame goes back now */
			got++;
		}
		xdp_umem_refill(l->u, back, nback);
	}
	c->rx_next++;
	if (got < count)
		got += xdp_kernel_rx(c, m ? m + got : NULL, v ? v + got : NULL, count - got);
	return got;
}

static int rx_wait_loop(ifplex_bconn *c, struct ifplex_msg *m, struct ifplex_lent *v, size_t count)
{
	int rc;

	if (count == 0)
		return 0;
	pthread_mutex_lock(&c->rx_lock);
	for (;;) {
		if (atomic_load(&c->closing)) {
			rc = IFPLEX_ECLOSED;
			break;
		}
		size_t got = rx_once(c, m, v, count);
		if (got) {
			rc = (int)got;
			break;
		}
		if ((rc = xdp_wait(c, c->wait_fd, POLLIN)) < 0)
			break;
	}
	pthread_mutex_unlock(&c->rx_lock);
	return rc;
}

int xdp_read_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline)
{
	(void)deadline; /* the live copy set through set_deadline is used */
	return rx_wait_loop(c, m, NULL, count);
}

int xdp_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline)
{
	int rc = xdp_read_batch(c, m, 1, deadline);
	return rc < 0 ? rc : 0;
}

int xdp_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n)
{
	struct ifplex_msg m = {.buf = buf, .len = len};
	int rc = xdp_read_msg(c, &m, deadline);

	*n = m.n;
	return rc;
}

int xdp_read_lent(ifplex_bconn *c, struct ifplex_lent *v, size_t count, int64_t deadline)
{
	(void)deadline;
	return rx_wait_loop(c, NULL, v, count);
}

int xdp_release_lent(ifplex_bconn *c, struct ifplex_lent *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		unsigned leg = (unsigned)(v[i].token >> 56);
		uint64_t addr = XDP_TOKEN_ADDR(v[i].token);
		if ((v[i].token & XDP_TOKEN_SPARE && leg) || leg >= (unsigned)c->nlegs || addr >= c->leg[leg].u->frames * c->leg[leg].u->frame_size ||
		    addr % c->leg[leg].u->frame_size)
			return IFPLEX_EINVAL; /* not a token of this conversation */
	}
	for (size_t i = 0; i < count; i++) {
		uint64_t addr = XDP_TOKEN_ADDR(v[i].token);
		if (v[i].token & XDP_TOKEN_SPARE)
			xdp_umem_put(c->leg[0].u, &addr, 1);
		else
			xdp_umem_refill(c->leg[v[i].token >> 56].u, &addr, 1);
		v[i].data = NULL;
	}
	return 0;
}

static unsigned ready_now(ifplex_bconn *c, unsigned events)
{
	unsigned r = 0;

	if ((events & IFPLEX_POLL_IN) && (rx_ready(c) || xdp_kernel_ready(c)))
		r |= IFPLEX_POLL_IN;
	if (events & IFPLEX_POLL_OUT) {
		struct xdp_ring *tx = &c->leg[0].tx;
		if (*tx->producer - xdp_ring_load(tx->consumer) < tx->size)
			r |= IFPLEX_POLL_OUT;
	}
	return r;
}

int xdp_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents)
{
	for (;;) {
		if (atomic_load(&c->closing))
			return IFPLEX_ECLOSED;
		if ((*revents = ready_now(c, events)))
			return 0;
		int timeout = -1;
		if (deadline == 0)
			return IFPLEX_ETIMEDOUT;
		if (deadline > 0) {
			int64_t left = deadline - xdp_now();
			if (left <= 0)
				return IFPLEX_ETIMEDOUT;
			timeout = (int)((left + 999999) / 1000000);
		}
		struct pollfd p[3] = {{.fd = c->wait_fd, .events = POLLIN},
				      {.fd = c->close_fd, .events = POLLIN},
				      {.fd = c->leg[0].fd, .events = POLLOUT}};
		if (!(events & IFPLEX_POLL_IN))
			p[0].fd = -1;
		if (!(events & IFPLEX_POLL_OUT))
			p[2].fd = -1;
		poll(p, 3, timeout);
	}
}
