/* SPDX-License-Identifier: MIT */
/* Messages with addresses and control data (descriptor passing), and the
 * batched forms (recvmmsg/sendmmsg, or their loops, from sock_os).  A
 * message without descriptors is the call a POSIX program makes for it
 * (sendto, recv/recvfrom): the kernel's sendmsg/recvmsg copy a message
 * header and an iovec more. */
#include "sock.h"
#include "sock_os.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define MAX_FDS 64     /* descriptors in one message, as the kernel's SCM_MAX_FD is 253 */
#define MAX_BATCH 64

/* Go's ReadFrom on "ip4:..." returns the payload without the IPv4 header. */
static size_t strip_ipv4_header(const ifplex_bconn *c, void *buf, size_t n)
{
	uint8_t *b = buf;

	if (c->family != AF_INET || c->type != SOCK_RAW || n < 20 || (b[0] >> 4) != 4)
		return n;
	size_t hl = (size_t)(b[0] & 0x0f) * 4;
	if (hl < 20 || hl > n)
		return n;
	memmove(b, b + hl, n - hl);
	return n - hl;
}

struct msg_space {
	struct sockaddr_storage addr;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAX_FDS)];
		struct cmsghdr align;
	} ctl;
};

/* Whether m passes descriptors: only then a message header is needed. */
static int with_fds(const struct ifplex_msg *m)
{
	return m->nfds && m->fds;
}

/* Fill h for m; for sending, also the address and descriptors. */
static int prepare(ifplex_bconn *c, struct ifplex_msg *m, struct msghdr *h, struct msg_space *sp,
		   int sending)
{
	memset(h, 0, sizeof *h);
	sp->iov.iov_base = m->buf;
	sp->iov.iov_len = m->len;
	h->msg_iov = &sp->iov;
	h->msg_iovlen = 1;
	if (m->nfds > MAX_FDS)
		return IFPLEX_EINVAL;
	if (!sending) {
		h->msg_name = &sp->addr;
		h->msg_namelen = sizeof sp->addr;
		if (with_fds(m)) {
			h->msg_control = sp->ctl.buf;
			h->msg_controllen = CMSG_SPACE(sizeof(int) * m->nfds);
		}
		return 0;
	}
	if (m->addr) {
		socklen_t len;
		int rc = sock_to_sockaddr(m->addr, c->family, &sp->addr, &len);
		if (rc < 0)
			return rc;
		h->msg_name = &sp->addr;
		h->msg_namelen = len;
	}
	if (with_fds(m)) {
		if (c->family != AF_UNIX)
			return IFPLEX_ENOTSUP;
		h->msg_control = sp->ctl.buf;
		h->msg_controllen = CMSG_SPACE(sizeof(int) * m->nfds);
		struct cmsghdr *cm = CMSG_FIRSTHDR(h);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * m->nfds);
		memcpy(CMSG_DATA(cm), m->fds, sizeof(int) * m->nfds);
	}
	return 0;
}

/* After a receive of n bytes: the payload, the peer (sa, salen; none when
 * salen is 0) and whether it was cut into m. */
static void finish_payload(const ifplex_bconn *c, struct ifplex_msg *m, size_t n, unsigned flags,
			   const struct sockaddr *sa, socklen_t salen)
{
	m->n = strip_ipv4_header(c, m->buf, n);
	m->flags = flags;
	if (m->addr && (salen == 0 || sock_from_sockaddr(sa, salen, m->addr) < 0))
		memset(m->addr, 0, sizeof *m->addr);
}

/* After a recvmsg: the payload, peer, flags and descriptors into m. */
static void finish_recv(ifplex_bconn *c, struct ifplex_msg *m, struct msghdr *h, size_t n)
{
	finish_payload(c, m, n,
		       (h->msg_flags & MSG_TRUNC ? IFPLEX_MSG_TRUNC : 0) |
			       (h->msg_flags & MSG_CTRUNC ? IFPLEX_MSG_CTRUNC : 0),
		       h->msg_name, h->msg_namelen);
	m->fds_received = 0;
	for (struct cmsghdr *cm = h->msg_controllen ? CMSG_FIRSTHDR(h) : NULL; cm; cm = CMSG_NXTHDR(h, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len < CMSG_LEN(0))
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		const char *data = (const char *)CMSG_DATA(cm);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, data + i * sizeof fd, sizeof fd);
			if (m->fds_received < m->nfds)
				m->fds[m->fds_received++] = fd;
			else
				close(fd); /* no room: never leak a descriptor */
		}
	}
}

/* A read without descriptors is a recv/recvfrom, as a POSIX program's. */
static int read_plain(ifplex_bconn *c, struct ifplex_msg *m)
{
	struct sockaddr_storage from;
	struct sock_waiter *w;
	int rc;

	for (;;) {
		socklen_t fl = sizeof from;
		int cut = 0;
		int flags = sock_call_begin(c, POLLIN, &w);
		if (flags < 0)
			return flags;
		ssize_t r = sock_os_recvfrom(c->fd, c->type != SOCK_STREAM, m->buf, m->len, flags,
					     m->addr ? (struct sockaddr *)&from : NULL, &fl, &cut);
		int e = errno;
		sock_call_end(c, w);
		if (r == 0 && atomic_load(&c->closing))
			return IFPLEX_ECLOSED;
		if (r >= 0) {
			finish_payload(c, m, (size_t)r, cut ? IFPLEX_MSG_TRUNC : 0, (struct sockaddr *)&from,
				       m->addr ? fl : 0);
			if (r == 0 && c->type == SOCK_STREAM && m->len > 0)
				return IFPLEX_EOF;
			return 0;
		}
		errno = e;
		if ((rc = sock_again(c, POLLIN, "recvfrom")) < 0)
			return rc;
	}
}

int sock_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline)
{
	struct msghdr h;
	struct msg_space sp;
	struct sock_waiter *w;
	int rc;

	m->n = 0;
	m->fds_received = 0;
	if (m->nfds > MAX_FDS)
		return IFPLEX_EINVAL;
	if (!with_fds(m))
		return read_plain(c, m);
	if ((rc = prepare(c, m, &h, &sp, 0)) < 0)
		return rc;
	for (;;) {
		int flags = sock_call_begin(c, POLLIN, &w);
		if (flags < 0)
			return flags;
		ssize_t r = sock_os_recvmsg(c->fd, &h, flags);
		int e = errno;
		sock_call_end(c, w);
		if (r == 0 && atomic_load(&c->closing))
			return IFPLEX_ECLOSED;
		if (r >= 0) {
			finish_recv(c, m, &h, (size_t)r);
			if (r == 0 && c->type == SOCK_STREAM && m->len > 0 && m->fds_received == 0)
				return IFPLEX_EOF;
			return 0;
		}
		errno = e;
		if ((rc = sock_again(c, POLLIN, "recvmsg")) < 0)
			return rc;
		h.msg_namelen = sizeof sp.addr;
		h.msg_controllen = h.msg_control ? CMSG_SPACE(sizeof(int) * m->nfds) : 0;
	}
}

int sock_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline)
{
	struct msghdr h;
	struct msg_space sp;
	struct sock_waiter *w;
	int rc;

	m->n = 0;
	/* Without descriptors, the sendto (a send when no address) a POSIX
	 * program makes, and no message header to fill. */
	int plain = !with_fds(m) && m->nfds <= MAX_FDS;
	if (plain) {
		h.msg_namelen = 0;
		if (m->addr && (rc = sock_to_sockaddr(m->addr, c->family, &sp.addr, &h.msg_namelen)) < 0)
			return rc;
	} else if ((rc = prepare(c, m, &h, &sp, 1)) < 0) {
		return rc;
	}
	for (;;) {
		int flags = sock_call_begin(c, POLLOUT, &w);
		if (flags < 0)
			return flags;
		ssize_t r = plain ? sendto(c->fd, m->buf, m->len, flags | SOCK_NOSIGNAL,
					   m->addr ? (struct sockaddr *)&sp.addr : NULL, h.msg_namelen)
				  : sendmsg(c->fd, &h, flags | SOCK_NOSIGNAL);
		int e = errno;
		sock_call_end(c, w);
		if (r >= 0) {
			m->n = (size_t)r;
			return 0;
		}
		errno = e;
		if ((rc = sock_again(c, POLLOUT, plain ? "sendto" : "sendmsg")) < 0)
			return rc;
	}
}

int sock_read_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline)
{
	struct sock_mmsg hv[MAX_BATCH];
	struct msg_space sp[MAX_BATCH];
	struct sock_waiter *w;
	int rc;

	if (count > MAX_BATCH)
		count = MAX_BATCH;
	if (count == 0)
		return 0;
	for (size_t i = 0; i < count; i++) {
		memset(&hv[i], 0, sizeof hv[i]);
		if ((rc = prepare(c, &m[i], &hv[i].hdr, &sp[i], 0)) < 0)
			return rc;
	}
	for (;;) {
		int flags = sock_call_begin(c, POLLIN, &w);
		if (flags < 0)
			return flags;
		int r = sock_os_recv_batch(c->fd, hv, (unsigned)count, flags);
		int e = errno;
		sock_call_end(c, w);
		if (r >= 0 && hv[0].len == 0 && atomic_load(&c->closing))
			return IFPLEX_ECLOSED; /* woken by Close's shutdown */
		if (r >= 0) {
			for (int i = 0; i < r; i++) {
				finish_recv(c, &m[i], &hv[i].hdr, hv[i].len);
				m[i].result = 0;
			}
			return r;
		}
		errno = e;
		if ((rc = sock_again(c, POLLIN, sock_os_batch_call[0])) < 0)
			return rc;
	}
}

int sock_write_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline)
{
	struct sock_mmsg hv[MAX_BATCH];
	struct msg_space sp[MAX_BATCH];
	struct sock_waiter *w;
	size_t done = 0;
	int rc;

	if (count > MAX_BATCH)
		count = MAX_BATCH;
	for (size_t i = 0; i < count; i++) {
		memset(&hv[i], 0, sizeof hv[i]);
		m[i].n = 0;
		m[i].result = 0;
		if ((rc = prepare(c, &m[i], &hv[i].hdr, &sp[i], 1)) < 0) {
			m[i].result = rc;
			count = i; /* send what came before the bad one */
			if (i == 0)
				return rc;
			break;
		}
	}
	while (done < count) {
		int flags = sock_call_begin(c, POLLOUT, &w);
		if (flags < 0)
			return done ? (int)done : flags;
		int r = sock_os_send_batch(c->fd, hv + done, (unsigned)(count - done), flags);
		int e = errno;
		sock_call_end(c, w);
		if (r > 0) {
			for (int i = 0; i < r; i++)
				m[done + (size_t)i].n = hv[done + (size_t)i].len;
			done += (size_t)r;
			continue;
		}
		errno = e;
		if (r < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
			rc = sock_host->fail(sock_os_batch_call[1], -errno);
			if (!done)
				return rc;
			m[done].result = rc;
			break;
		}
		if (r < 0 && (rc = sock_again(c, POLLOUT, sock_os_batch_call[1])) < 0)
			return done ? (int)done : rc;
	}
	return (int)done;
}
