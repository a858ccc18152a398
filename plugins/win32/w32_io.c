/* SPDX-License-Identifier: MIT */
/* Moving bytes on a non-blocking SOCKET: try, and wait with WSAPoll only
 * when Winsock says it would block. */
#include "w32.h"

#include <limits.h>
#include <string.h>

/* Winsock counts in int. */
static int clamp(size_t len)
{
	return len > INT_MAX ? INT_MAX : (int)len;
}

int w32_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n)
{
	for (;;) {
		if (atomic_load(&c->closing))
			return IFPLEX_ECLOSED;
		if (w32_expired(c, W32_IN))
			return IFPLEX_ETIMEDOUT;
		int r = recv(c->s, buf, clamp(len), 0);
		if (r > 0 || (r == 0 && (len == 0 || c->type != SOCK_STREAM))) {
			*n = (size_t)r;
			return 0;
		}
		if (r == 0)
			return IFPLEX_EOF;
		DWORD e = WSAGetLastError();
		if (e == WSAEMSGSIZE) {
			*n = len; /* a datagram cut to the buffer, as on Linux */
			return 0;
		}
		int rc = w32_again(c, W32_IN, e, "wsarecv");
		if (rc < 0)
			return rc;
	}
}

int w32_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n)
{
	const char *p = buf;
	size_t done = 0;

	*n = 0;
	do {
		if (atomic_load(&c->closing))
			return IFPLEX_ECLOSED;
		if (w32_expired(c, W32_OUT))
			return IFPLEX_ETIMEDOUT;
		int r = send(c->s, p + done, clamp(len - done), 0);
		if (r >= 0) {
			done += (size_t)r;
			*n = done;
			if (c->type != SOCK_STREAM)
				return 0; /* one datagram */
			continue;
		}
		int rc = w32_again(c, W32_OUT, WSAGetLastError(), "wsasend");
		if (rc < 0)
			return rc;
	} while (done < len);
	return 0;
}

/* Mark what a receive cannot tell as unknown, as far as meta's size goes. */
static void meta_unknown(struct ifplex_msg_meta *meta)
{
	if (!meta)
		return;
	size_t size = meta->size;
	if (size >= offsetof(struct ifplex_msg_meta, ifindex) + sizeof meta->ifindex)
		meta->ifindex = 0;
	if (size >= offsetof(struct ifplex_msg_meta, queue) + sizeof meta->queue)
		meta->queue = -1;
	if (size >= offsetof(struct ifplex_msg_meta, timestamp) + sizeof meta->timestamp)
		meta->timestamp = 0;
	if (size >= offsetof(struct ifplex_msg_meta, dst) + sizeof meta->dst)
		memset(&meta->dst, 0, sizeof meta->dst);
}

/* Go strips the IPv4 header a raw socket receives. */
static size_t strip_ipv4_header(char *buf, size_t n)
{
	if (n < 20 || (buf[0] >> 4 & 0x0f) != 4)
		return n;
	size_t hl = (size_t)(buf[0] & 0x0f) * 4;
	if (hl < 20 || hl > n)
		return n;
	memmove(buf, buf + hl, n - hl);
	return n - hl;
}

/* One receive without waiting: 1 done, 0 would block, or an error. */
static int recv_one(ifplex_bconn *c, struct ifplex_msg *m)
{
	struct sockaddr_storage from;
	int fromlen = sizeof from;
	WSABUF wb = {.len = (ULONG)clamp(m->len), .buf = m->buf};
	DWORD got = 0, flags = 0;

	m->n = 0;
	m->flags = 0;
	m->fds_received = 0;
	if (m->nfds && m->fds)
		return w32_host->fail_text("wsarecvfrom: Windows passes no descriptors",
					   IFPLEX_ENOTSUP);
	if (WSARecvFrom(c->s, &wb, 1, &got, &flags, (struct sockaddr *)&from, &fromlen, NULL,
			NULL) != 0) {
		DWORD e = WSAGetLastError();
		if (e == WSAEWOULDBLOCK)
			return 0;
		if (e != WSAEMSGSIZE)
			return w32_fail("wsarecvfrom", e);
		got = wb.len;
		m->flags |= IFPLEX_MSG_TRUNC;
	}
	if (got == 0 && c->type == SOCK_STREAM && m->len > 0)
		return IFPLEX_EOF;
	m->n = got;
	if (c->type == SOCK_RAW && c->family == AF_INET)
		m->n = strip_ipv4_header(m->buf, m->n);
	meta_unknown(m->meta);
	if (m->addr) {
		if (c->type == SOCK_STREAM || fromlen <= 0)
			memset(m->addr, 0, sizeof *m->addr);
		else if (w32_from_sockaddr((struct sockaddr *)&from, fromlen, m->addr) < 0)
			memset(m->addr, 0, sizeof *m->addr);
	}
	return 1;
}

/* One send without waiting: 1 done, 0 would block, or an error. */
static int send_one(ifplex_bconn *c, struct ifplex_msg *m)
{
	struct sockaddr_storage to;
	int tolen = 0;
	WSABUF wb = {.len = (ULONG)clamp(m->len), .buf = m->buf};
	DWORD sent = 0;

	m->n = 0;
	if (m->nfds)
		return w32_host->fail_text("wsasendto: Windows passes no descriptors", IFPLEX_ENOTSUP);
	if (m->addr && m->addr->kind) {
		int rc = w32_to_sockaddr(m->addr, c->family, &to, &tolen);
		if (rc < 0)
			return rc;
	}
	if (WSASendTo(c->s, &wb, 1, &sent, 0, tolen ? (struct sockaddr *)&to : NULL, tolen, NULL,
		      NULL) != 0) {
		DWORD e = WSAGetLastError();
		return e == WSAEWOULDBLOCK ? 0 : w32_fail("wsasendto", e);
	}
	m->n = sent;
	return 1;
}

static int msg_io(ifplex_bconn *c, struct ifplex_msg *m, int events)
{
	for (;;) {
		if (atomic_load(&c->closing))
			return IFPLEX_ECLOSED;
		if (w32_expired(c, events))
			return IFPLEX_ETIMEDOUT;
		int r = events == W32_IN ? recv_one(c, m) : send_one(c, m);
		if (r != 0)
			return r < 0 ? r : 0;
		if ((r = w32_wait(c, events)) < 0)
			return r;
	}
}

int w32_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline)
{
	return msg_io(c, m, W32_IN);
}

int w32_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline)
{
	return msg_io(c, m, W32_OUT);
}

/* Windows has no recvmmsg: the first message waits, the rest are taken
 * while they are ready, each with its own result. */
static int batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int events)
{
	if (count == 0)
		return 0;
	if (count > INT_MAX)
		count = INT_MAX;
	int rc = msg_io(c, &m[0], events);
	if (rc < 0)
		return rc;
	m[0].result = 0;
	size_t done = 1;
	for (; done < count; done++) {
		int r = events == W32_IN ? recv_one(c, &m[done]) : send_one(c, &m[done]);
		if (r == 0)
			break;
		m[done].result = r < 0 ? r : 0;
		if (r < 0) {
			done++;
			break;
		}
	}
	return (int)done;
}

int w32_read_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline)
{
	return batch(c, m, count, W32_IN);
}

int w32_write_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline)
{
	return batch(c, m, count, W32_OUT);
}
