/* SPDX-License-Identifier: MIT */
/* A NETLINK_ROUTE request socket: send one request, read its whole answer,
 * checking sequence, port id, errors, truncation and interrupted dumps. */
#define _GNU_SOURCE
#include "nl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

/* Larger than the kernel's usual dump skb (32 KiB); grown on MSG_TRUNC. */
#define NL_BUF_START (64 * 1024)
#define NL_BUF_MAX (16 * 1024 * 1024)
#define NL_MAX_RESTARTS 16

int nl_open(struct nl_sock *s)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	socklen_t len = sizeof sa;
	int one = 1;

	/* A reopen keeps the buffer, which has grown to what answers need.  It
	 * is mapped memory (cache_mem.c), off the C library's heap, which a
	 * long-lived block would make trim and fault in again on every large
	 * allocation of the program's. */
	if (!s->buf) {
		s->cap = NL_BUF_START;
		if (!(s->buf = cache_mem_zalloc(s->cap))) {
			s->cap = 0;
			return -ENOMEM;
		}
	}
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s->fd < 0)
		return -errno;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &len) < 0) {
		int e = -errno;
		close(s->fd);
		s->fd = -1;
		return e;
	}
	s->portid = sa.nl_pid;
	/* Kernels before 4.20 refuse this; they get a filtered dump instead. */
	s->strict = setsockopt(s->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one) == 0;
	s->pid = getpid();
	s->seq = (uint32_t)time(NULL);
	return 0;
}

void nl_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	cache_mem_free(s->buf, s->cap);
	s->fd = -1;
	s->buf = NULL;
	s->cap = 0;
}

/* A dump left unread blocks the next one on this socket (EBUSY): the
 * kernel's dump state goes with the socket, and a new one is opened. */
static int reopen(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	return nl_open(s);
}

static int send_req(struct nl_sock *s, struct nlmsghdr *req)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};

	req->nlmsg_seq = ++s->seq;
	req->nlmsg_pid = 0;
	for (;;) {
		ssize_t n = sendto(s->fd, req, req->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel);
		if (n >= 0) {
			atomic_fetch_add_explicit(&s->requests_total, 1, memory_order_relaxed);
			return 0;
		}
		if (errno != EINTR)
			return -errno;
	}
}

/* One datagram into s->buf; -EMSGSIZE after growing when it was cut. */
static ssize_t recv_one(struct nl_sock *s)
{
	struct sockaddr_nl from;
	struct iovec iov = {.iov_base = s->buf, .iov_len = s->cap};
	struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};

	for (;;) {
		ssize_t n = recvmsg(s->fd, &m, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (m.msg_flags & MSG_TRUNC) {
			/* The message is lost; grow so that the retry fits. */
			size_t cap = s->cap * 4;
			char *b = cap <= NL_BUF_MAX ? cache_mem_resize(s->buf, s->cap, cap) : NULL;
			if (!b)
				return -ENOBUFS;
			s->buf = b;
			s->cap = cap;
			return -EMSGSIZE;
		}
		if (m.msg_namelen != sizeof from || from.nl_pid != 0)
			continue; /* not from the kernel */
		return n;
	}
}

/* read_answer's outcomes besides 0 and errors: run the request again, the
 * answer read to its end (an interrupted dump) or not (a cut datagram). */
enum { AGAIN_DONE = 1, AGAIN_CUT = 2 };

/* Read the answer to the request with seq.  A negative return may leave the
 * rest of a dump unread. */
static int read_answer(struct nl_sock *s, uint32_t seq, int dump, nl_cb cb, void *arg)
{
	int intr = 0;

	for (;;) {
		ssize_t n = recv_one(s);
		if (n == -EMSGSIZE)
			return AGAIN_CUT;
		if (n < 0)
			return (int)n;
		/* int, as NLMSG_OK expects: a last message whose aligned length
		 * runs past the datagram makes it negative instead of wrapping. */
		int left = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)s->buf; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != s->portid)
				continue; /* the tail of an abandoned earlier answer */
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = 1;
			if (h->nlmsg_type == NLMSG_DONE)
				return intr ? AGAIN_DONE : 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof *e))
					return IFPLEX_EMALFORMED;
				if (e->error == 0 && dump)
					continue; /* an acknowledgement */
				/* A kernel error ends the answer; a positive one is malformed. */
				return e->error <= 0 && e->error > -4096 ? e->error : IFPLEX_EMALFORMED;
			}
			if (h->nlmsg_type == NLMSG_NOOP || h->nlmsg_type == NLMSG_OVERRUN)
				continue;
			int rc = cb(h, arg);
			if (rc < 0)
				return rc;
			if (!dump)
				return 0;
		}
		if (left != 0)
			return IFPLEX_EMALFORMED; /* a length ran past the datagram */
	}
}

int nl_request(struct nl_sock *s, struct nlmsghdr *req, nl_cb cb, void (*reset)(void *), void *arg)
{
	int dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int rc = 0;

	for (int tries = 0;; tries++) {
		if ((rc = send_req(s, req)) < 0)
			return rc;
		rc = read_answer(s, req->nlmsg_seq, dump, cb, arg);
		if (rc == 0)
			return 0;
		/* Anything but a finished answer leaves a dump half read: the
		 * next request must not meet its rest, or the kernel's EBUSY. */
		if (rc != AGAIN_DONE && dump) {
			int e = reopen(s);
			if (e < 0)
				return rc < 0 ? rc : e;
		}
		if (rc < 0)
			return rc;
		/* Churn that interrupts every dump must not fail the call: the
		 * last whole answer stands, flagged (as Go and glibc take every
		 * interrupted dump). */
		if (rc == AGAIN_DONE && tries + 1 >= NL_MAX_RESTARTS)
			return NL_INTERRUPTED;
		if (tries + 1 >= NL_MAX_RESTARTS + 4)
			return -EMSGSIZE; /* cut again and again: a buffer at its limit */
		if (reset)
			reset(arg);
	}
}
