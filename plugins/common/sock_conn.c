/* SPDX-License-Identifier: MIT */
/* POSIX conversations: dial, listen, accept, read, write, close.  A
 * conversation's descriptor blocks (a listener's does not): a call with no
 * deadline is the one system call POSIX makes, one with a deadline passes
 * MSG_DONTWAIT and waits through sock_wait.c. */
#include "sock.h"
#include "sock_os.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int socktype(const struct ifplex_network *n)
{
	switch (n->kind) {
	case IFPLEX_NET_TCP:
	case IFPLEX_NET_UNIX:
		return SOCK_STREAM;
	case IFPLEX_NET_UDP:
	case IFPLEX_NET_UNIXGRAM:
		return SOCK_DGRAM;
	case IFPLEX_NET_UNIXPACKET:
		return SOCK_SEQPACKET;
	default:
		return SOCK_RAW;
	}
}

static int new_conn(int fd, int family, int type, ifplex_bconn **out)
{
	ifplex_bconn *c = sock_host->alloc(sizeof *c);

	if (!c) {
		close(fd);
		return IFPLEX_ENOMEM;
	}
	c->fd = fd;
	c->family = family;
	c->type = type;
	*out = c;
	return 0;
}

/* A socket of the spec's kind, with the options Go sets on every one. */
static int open_socket(const struct ifplex_sockspec *spec, int family, int listening, int *type_out,
		       int nonblock)
{
	int type = socktype(&spec->net);
	int proto = type == SOCK_RAW ? spec->net.proto : 0;
	int fd = sock_os_socket(family, type, proto, nonblock);
	int one = 1, zero = 0;

	if (fd < 0)
		return sock_host->fail("socket", -errno);
	if (family == AF_INET6 && spec->net.kind != IFPLEX_NET_IP) {
		/* Dual stack unless the network named the family. */
		int v6only = spec->net.family == 6;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, v6only ? &one : &zero, sizeof one);
	}
	if (family != AF_UNIX && type == SOCK_STREAM) {
		if (listening)
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		else
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	if (family != AF_UNIX && type == SOCK_DGRAM && listening)
		setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
	int rc;
	if (spec->device && *spec->device && (rc = sock_bind_device(fd, family, spec->device)) < 0) {
		close(fd);
		return rc;
	}
	*type_out = type;
	return fd;
}

static int bind_to(int fd, const struct ifplex_netaddr *a, int family)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int rc = sock_to_sockaddr(a, family, &ss, &len);

	if (rc < 0)
		return rc;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return sock_host->fail("bind", -errno);
	return 0;
}

int sock_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	int family = sock_family(spec, 0), type, rc;
	struct sockaddr_storage ss;
	socklen_t len;

	(void)state;
	if (family == AF_INET && spec->addr.ip.len == 0 && spec->net.family == 6)
		family = AF_INET6;
	if ((rc = sock_to_sockaddr(&spec->addr, family, &ss, &len)) < 0)
		return rc;
	if (family == AF_INET && spec->addr.ip.len == 0)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (family == AF_INET6 && spec->addr.ip.len == 0)
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	/* No deadline: a blocking socket and a blocking connect, as POSIX has
	 * it.  A deadline: a non-blocking connect waited for, then the socket
	 * made blocking again. */
	int fd = open_socket(spec, family, 0, &type, spec->deadline != 0);
	if (fd < 0)
		return fd;
	if (spec->local && (rc = bind_to(fd, spec->local, family)) < 0)
		goto fail;
	if (!spec->deadline) {
		int r;
		do
			r = connect(fd, (struct sockaddr *)&ss, len);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			rc = sock_host->fail("connect", -errno);
			goto fail;
		}
		return new_conn(fd, family, type, out);
	}
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		if (errno != EINPROGRESS && errno != EINTR) {
			rc = sock_host->fail("connect", -errno);
			goto fail;
		}
		if ((rc = sock_wait(fd, POLLOUT, spec->deadline)) < 0)
			goto fail;
		int err = 0;
		socklen_t el = sizeof err;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
			err = errno;
		if (err) {
			rc = sock_host->fail("connect", -err);
			goto fail;
		}
	}
	if (fcntl(fd, F_SETFL, 0) < 0) {
		rc = sock_host->fail("fcntl", -errno);
		goto fail;
	}
	return new_conn(fd, family, type, out);
fail:
	close(fd);
	return rc;
}

static int listen_common(const struct ifplex_sockspec *spec, int stream, ifplex_bconn **out)
{
	int family = sock_family(spec, 1), type, rc;
	/* A listener never blocks in accept (a connection ready when poll
	 * said so may be gone by the accept); a packet socket is read as any
	 * conversation is. */
	int fd = open_socket(spec, family, 1, &type, stream);

	if (fd < 0)
		return fd;
	if ((rc = bind_to(fd, &spec->addr, family)) < 0)
		goto fail;
	if (stream && listen(fd, SOMAXCONN) < 0) {
		rc = sock_host->fail("listen", -errno);
		goto fail;
	}
	if ((rc = new_conn(fd, family, type, out)) < 0)
		return rc;
	(*out)->listener = stream;
	/* A listener removes the file it created; abstract names have none. */
	size_t pl = strlen(spec->addr.path);
	if (family == AF_UNIX && pl && spec->addr.path[0] != '@' && pl < sizeof (*out)->unlink_path)
		memcpy((*out)->unlink_path, spec->addr.path, pl + 1);
	return 0;
fail:
	close(fd);
	return rc;
}

int sock_listen(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	(void)state;
	return listen_common(spec, 1, out);
}

int sock_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	(void)state;
	return listen_common(spec, 0, out);
}

int sock_accept(ifplex_bconn *l, int64_t deadline, ifplex_bconn **out)
{
	int one = 1;

	for (;;) {
		if (sock_expired(l, POLLIN))
			return IFPLEX_ETIMEDOUT;
		int fd = sock_os_accept(l->fd);
		if (fd >= 0) {
			if (l->family != AF_UNIX && l->type == SOCK_STREAM)
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			return new_conn(fd, l->family, l->type, out);
		}
		if (errno == ECONNABORTED)
			continue; /* the peer gave up before we took it */
		int rc = sock_again(l, POLLIN, "accept");
		if (rc < 0)
			return rc;
	}
}

int sock_interrupt(ifplex_bconn *c)
{
	atomic_store(&c->closing, 1);
	uint64_t gen = atomic_fetch_add(&c->changes, 1) + 1;
	/* Only when another thread waits on c: a shutdown wakes its blocked
	 * call (the descriptor stays valid until close_conn, so that it cannot
	 * be reused under that call), and the waiters are told. */
	if (atomic_load(&c->waiters) > 0) {
		shutdown(c->fd, SHUT_RDWR);
		sock_wake(c, gen);
	}
	return 0;
}

int sock_close(ifplex_bconn *c)
{
	int rc = 0;

	if (c->unlink_path[0])
		unlink(c->unlink_path);
	if (close(c->fd) < 0 && errno != EINTR)
		rc = sock_host->fail("close", -errno);
	sock_host->free(c);
	return rc;
}

int sock_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n)
{
	struct sock_waiter *w;

	*n = 0;
	if (len == 0 && c->type == SOCK_STREAM)
		return sock_expired(c, POLLIN) ? IFPLEX_ETIMEDOUT : 0;
	for (;;) {
		int flags = sock_call_begin(c, POLLIN, &w);
		if (flags < 0)
			return flags;
		ssize_t r = recv(c->fd, buf, len, flags);
		int e = errno;
		sock_call_end(c, w);
		if (r == 0 && atomic_load(&c->closing))
			return IFPLEX_ECLOSED;
		if (r > 0 || (r == 0 && c->type != SOCK_STREAM)) {
			*n = (size_t)r;
			return 0;
		}
		if (r == 0)
			return IFPLEX_EOF;
		errno = e;
		int rc = sock_again(c, POLLIN, "read");
		if (rc < 0)
			return rc;
	}
}

int sock_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n)
{
	const char *p = buf;
	struct sock_waiter *w;

	*n = 0;
	do {
		int flags = sock_call_begin(c, POLLOUT, &w);
		if (flags < 0)
			return flags;
		ssize_t r = send(c->fd, p + *n, len - *n, flags | SOCK_NOSIGNAL);
		int e = errno;
		sock_call_end(c, w);
		if (r >= 0) {
			*n += (size_t)r;
			if (c->type != SOCK_STREAM)
				return 0; /* one datagram */
			continue;
		}
		errno = e;
		int rc = sock_again(c, POLLOUT, "write");
		if (rc < 0)
			return rc;
	} while (*n < len);
	return 0;
}

int sock_close_write(ifplex_bconn *c)
{
	if (c->type != SOCK_STREAM && c->type != SOCK_SEQPACKET)
		return IFPLEX_ENOTSUP;
	if (shutdown(c->fd, SHUT_WR) < 0)
		return sock_host->fail("shutdown", -errno);
	return 0;
}

int sock_conn_fd(ifplex_bconn *c, intptr_t *fd)
{
	*fd = c->fd;
	return 0;
}

uint64_t sock_conn_caps(ifplex_bconn *c)
{
	uint64_t caps = IFPLEX_CAP_DEADLINES | IFPLEX_CAP_FD | IFPLEX_CAP_POLL;

	if (c->family == AF_UNIX)
		caps |= IFPLEX_CAP_UNIX | IFPLEX_CAP_FDPASS;
	if (c->type == SOCK_DGRAM || c->type == SOCK_RAW)
		caps |= IFPLEX_CAP_BATCH;
	if (c->type == SOCK_DGRAM && c->family != AF_UNIX)
		caps |= IFPLEX_CAP_MCAST_JOIN;
	return caps;
}

static int local_or_remote(ifplex_bconn *c, struct ifplex_netaddr *out, int remote)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int r = remote ? getpeername(c->fd, (struct sockaddr *)&ss, &len)
		       : getsockname(c->fd, (struct sockaddr *)&ss, &len);

	if (r < 0)
		return sock_host->fail(remote ? "getpeername" : "getsockname", -errno);
	return sock_from_sockaddr((struct sockaddr *)&ss, len, out);
}

int sock_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	return local_or_remote(c, out, 0);
}

int sock_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	return local_or_remote(c, out, 1);
}
