/* SPDX-License-Identifier: MIT */
/* Change notices for the core's event subscriptions: each subscription has
 * a NETLINK_ROUTE socket of its own, subscribed to the link, address and
 * (Linux 6.11 and later) multicast-group notifications, with a large
 * receive buffer.  The kernel queues every notification on every
 * subscribed socket before the call that made the change returns; when a
 * queue overflows it says so once (ENOBUFS), and the notices then queued
 * are thrown away and reported as one LOST notice, after which the core
 * lists the state again. */
#define _GNU_SOURCE
#include "nl.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Newer than some systems' headers (Linux 6.11). */
#ifndef RTM_NEWMULTICAST
#define RTM_NEWMULTICAST 56
#define RTM_DELMULTICAST 57
#endif
#define NL_GROUP_IPV4_MCADDR 37 /* RTNLGRP_IPV4_MCADDR */
#define NL_GROUP_IPV6_MCADDR 38 /* RTNLGRP_IPV6_MCADDR */

/* A burst of thousands of changes fits; IFPLEX_EVENTS_RCVBUF (bytes)
 * makes it small for tests of overflow. */
#define EV_RCVBUF (8 << 20)
/* One notification is at most a page or two; grown on MSG_TRUNC. */
#define EV_BUF_START (32 * 1024)
#define EV_BUF_MAX (1024 * 1024)

struct ifplex_bevents {
	struct nl_state *st;
	unsigned mask;        /* IFPLEX_EVENTS_* */
	int fd;
	pid_t pid;            /* the process that opened fd, to notice fork() */
	char *buf;
	size_t cap;
	size_t off, len;      /* the unread part of the last datagram */
	int lost;             /* a loss to report before anything newer */
};

static int ev_socket(struct ifplex_bevents *e)
{
	const struct ifplex_host *host = e->st->host;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK};
	const char *small = host->getenv("IFPLEX_EVENTS_RCVBUF");
	int size = small && atoi(small) > 0 ? atoi(small) : EV_RCVBUF;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0)
		return host->fail("socket", -errno);
	if (e->mask & IFPLEX_EVENTS_ADDRS)
		sa.nl_groups |= RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
	/* Past net.core.rmem_max where the process may (CAP_NET_ADMIN). */
	if (small || setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int rc = host->fail("bind", -errno);
		close(fd);
		return rc;
	}
	if (e->mask & IFPLEX_EVENTS_MCAST) {
		static const int groups[] = {NL_GROUP_IPV4_MCADDR, NL_GROUP_IPV6_MCADDR};
		for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
			if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &groups[i], sizeof groups[i]) == 0)
				continue;
			close(fd);
			/* Kernels before 6.11 have no such groups (EINVAL). */
			return host->fail_text("this kernel announces no multicast group changes "
					       "(RTNLGRP_IPV4_MCADDR and RTNLGRP_IPV6_MCADDR need Linux 6.11)",
					       IFPLEX_ENOTSUP);
		}
	}
	e->fd = fd;
	e->pid = getpid();
	e->off = e->len = 0;
	return 0;
}

int nl_events_open(void *state, unsigned mask, ifplex_bevents **out)
{
	struct nl_state *st = state;
	struct ifplex_bevents *e = calloc(1, sizeof *e);

	if (!e || !(e->buf = malloc(EV_BUF_START))) {
		free(e);
		return IFPLEX_ENOMEM;
	}
	e->st = st;
	e->mask = mask;
	e->cap = EV_BUF_START;
	int rc = ev_socket(e);
	if (rc < 0) {
		free(e->buf);
		free(e);
		return rc;
	}
	*out = e;
	return 0;
}

void nl_events_close(ifplex_bevents *e)
{
	/* In a forked child this is its copy: the parent's stays open. */
	if (e->fd >= 0)
		close(e->fd);
	free(e->buf);
	free(e);
}

/* A forked child must not read the parent's socket (each notification
 * would go to one of them): it gets a socket of its own, and what it
 * missed in between is a loss. */
static int ev_own_socket(struct ifplex_bevents *e)
{
	if (e->fd >= 0 && e->pid == getpid())
		return 0;
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
	e->lost = 1;
	return ev_socket(e);
}

/* Throw away what queued: the listing that follows the loss supersedes it. */
static void ev_discard(struct ifplex_bevents *e)
{
	while (recv(e->fd, e->buf, e->cap, MSG_DONTWAIT | MSG_TRUNC) >= 0 || errno == ENOBUFS || errno == EINTR)
		;
	e->off = e->len = 0;
	e->lost = 1;
}

/* The next datagram into buf: 1, 0 when none waits, or a negative code;
 * a loss sets e->lost. */
static int ev_recv(struct ifplex_bevents *e)
{
	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = {.iov_base = e->buf, .iov_len = e->cap};
		struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n = recvmsg(e->fd, &m, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == ENOBUFS) {
				e->st->host->log(IFPLEX_LOG_DEBUG, "netlink events: receive queue overflowed, resync");
				ev_discard(e);
				return 0;
			}
			return e->st->host->fail("recvmsg", -errno);
		}
		if (m.msg_flags & MSG_TRUNC) {
			/* The notification is lost; grow so that the next fits. */
			size_t cap = e->cap * 2;
			char *b = cap <= EV_BUF_MAX ? realloc(e->buf, cap) : NULL;
			if (b) {
				e->buf = b;
				e->cap = cap;
			}
			ev_discard(e);
			return 0;
		}
		if (m.msg_namelen != sizeof from || from.nl_pid != 0)
			continue; /* only the kernel announces */
		e->off = 0;
		e->len = (size_t)n;
		return 1;
	}
}

/* One message to a notice: 1, 0 for a message that announces nothing the
 * core follows, or IFPLEX_EMALFORMED. */
static int ev_notice(const struct nlmsghdr *h, struct ifplex_notice *v)
{
	struct nl_addr_meta meta;
	int rc;

	memset(v, 0, sizeof *v);
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
			return IFPLEX_EMALFORMED;
		const struct ifinfomsg *ifi = NLMSG_DATA(h);
		/* A bridge announces its ports' state in AF_BRIDGE messages; a
		 * DELLINK of those is a port leaving, not the link going. */
		if (ifi->ifi_family == AF_BRIDGE) {
			if (ifi->ifi_index <= 0)
				return IFPLEX_EMALFORMED;
			v->kind = IFPLEX_NOTICE_LINK_OTHER;
			v->link.index = ifi->ifi_index;
			return 1;
		}
		if ((rc = nl_parse_link(h, &v->link)) < 0)
			return rc;
		v->kind = h->nlmsg_type == RTM_NEWLINK ? IFPLEX_NOTICE_LINK : IFPLEX_NOTICE_LINK_DEL;
		return 1;
	}
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if ((rc = nl_parse_addr(h, &v->addr, &meta)) != 0)
			return rc < 0 ? rc : 0;
		v->kind = h->nlmsg_type == RTM_NEWADDR ? IFPLEX_NOTICE_ADDR : IFPLEX_NOTICE_ADDR_DEL;
		v->flags = nl_addr_wants_zone(&v->addr, meta.scope) ? IFPLEX_NOTICE_ZONE : 0;
		return 1;
	case RTM_NEWMULTICAST:
	case RTM_DELMULTICAST:
		if ((rc = nl_parse_mcast(h, &v->addr)) != 0)
			return rc < 0 ? rc : 0;
		v->kind = h->nlmsg_type == RTM_NEWMULTICAST ? IFPLEX_NOTICE_MCAST : IFPLEX_NOTICE_MCAST_DEL;
		v->flags = nl_group_wants_zone(&v->addr) ? IFPLEX_NOTICE_ZONE : 0;
		return 1;
	}
	return 0;
}

int nl_events_read(ifplex_bevents *e, struct ifplex_notice *v, size_t n)
{
	size_t got = 0;
	int rc;

	if ((rc = ev_own_socket(e)) < 0)
		return rc;
	while (got < n) {
		if (e->lost) {
			/* Last of this batch: what follows is newer than the loss. */
			v[got].kind = IFPLEX_NOTICE_LOST;
			e->lost = 0;
			return (int)got + 1;
		}
		if (e->off >= e->len) {
			if ((rc = ev_recv(e)) < 0)
				return got ? (int)got : rc;
			if (rc == 0 && !e->lost)
				break;
			continue;
		}
		/* int, as NLMSG_OK expects: a length running past the datagram
		 * makes it negative instead of wrapping. */
		int left = (int)(e->len - e->off);
		const struct nlmsghdr *h = (const struct nlmsghdr *)(e->buf + e->off);
		if (!NLMSG_OK(h, left)) {
			e->st->host->log(IFPLEX_LOG_WARN, "netlink events: a notification runs past its datagram");
			ev_discard(e);
			continue;
		}
		e->off += NLMSG_ALIGN(h->nlmsg_len);
		rc = ev_notice(h, &v[got]);
		if (rc < 0) {
			e->st->host->log(IFPLEX_LOG_WARN, "netlink events: malformed notification (type %u)",
					 (unsigned)h->nlmsg_type);
			ev_discard(e);
			continue;
		}
		got += (size_t)rc;
	}
	return (int)got;
}

int nl_events_wait(ifplex_bevents *e, int64_t deadline)
{
	struct pollfd p = {.fd = e->fd, .events = POLLIN};
	int timeout = -1, capped = 0;

	if (e->lost || e->off < e->len || e->fd < 0 || e->pid != getpid())
		return 1;
	if (deadline >= 0) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		int64_t left = deadline - ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
		if (left <= 0)
			return 0;
		/* Rounded up, so that a wake-up is never before the deadline. */
		int64_t ms = (left + 999999) / 1000000;
		capped = ms > 1000000;
		timeout = capped ? 1000000 : (int)ms;
	}
	int r = poll(&p, 1, timeout);
	if (r < 0)
		return errno == EINTR ? 1 : e->st->host->fail("poll", -errno);
	return r > 0 || capped || timeout < 0 ? 1 : 0;
}

int nl_events_wait_fd(ifplex_bevents *e, intptr_t *fd)
{
	int rc = ev_own_socket(e);

	if (rc < 0)
		return rc;
	*fd = e->fd;
	return 0;
}
