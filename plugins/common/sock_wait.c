/* SPDX-License-Identifier: MIT */
/* Calls that wait.  With no deadline a read or write is the one blocking
 * system call POSIX makes; Close (a shutdown of the socket, and a signal)
 * and a deadline set meanwhile end it (sock_wake.c).  With a deadline the
 * call is made with MSG_DONTWAIT and, when it would block, waits in
 * poll(2) for the socket until the live deadline, which other threads may
 * change while it waits. */
#include "sock.h"
#include "sock_os.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdatomic.h>
#include <time.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int sock_deadline_passed(int64_t deadline)
{
	return deadline && now_ns() >= deadline;
}

/* poll's timeout for an absolute deadline (0: none, -1 ms), rounded up so
 * that a wait never ends before the deadline; -2 once it has passed. */
static int timeout_ms(int64_t deadline)
{
	if (!deadline)
		return -1;
	int64_t left = deadline - now_ns();
	if (left <= 0)
		return -2;
	int64_t ms = (left + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

int sock_wait(int fd, short events, int64_t deadline)
{
	for (;;) {
		int timeout = timeout_ms(deadline);
		if (timeout == -2)
			return IFPLEX_ETIMEDOUT;
		struct pollfd p = {.fd = fd, .events = events};
		int n = poll(&p, 1, timeout);
		if (n > 0)
			return 0; /* ready, or an error the next call will report */
		if (n < 0 && errno != EINTR)
			return sock_host->fail("poll", -errno);
	}
}

static int64_t live_deadline(ifplex_bconn *c, short events)
{
	return atomic_load(&c->deadline[events & POLLOUT ? 1 : 0]);
}

int sock_expired(ifplex_bconn *c, short events)
{
	return sock_deadline_passed(live_deadline(c, events));
}

int sock_call_begin(ifplex_bconn *c, short events, struct sock_waiter **w)
{
	int64_t dl = live_deadline(c, events);

	*w = NULL;
	if (dl)
		return sock_deadline_passed(dl) ? IFPLEX_ETIMEDOUT : MSG_DONTWAIT;
	if (!sock_blocking_ok() || !(*w = sock_wait_begin(c)))
		return MSG_DONTWAIT;
	/* Registered: a deadline set or a Close from now on finds this thread. */
	if (atomic_load(&c->closing) || live_deadline(c, events)) {
		sock_wait_end(c, *w);
		*w = NULL;
		return atomic_load(&c->closing) ? IFPLEX_ECLOSED : MSG_DONTWAIT;
	}
	return 0;
}

void sock_call_end(ifplex_bconn *c, struct sock_waiter *w)
{
	sock_wait_end(c, w);
}

/* Wait for events on c (and the waiter's wakeup): 0 when the timeout ran
 * out or something woke it, 1 when c is ready (*revents), or an error. */
static int wait_once(ifplex_bconn *c, struct sock_waiter *w, short events, int timeout, short *revents)
{
	int wfd = sock_wait_fd(w);
	struct pollfd p[2] = {{.fd = c->fd, .events = events}, {.fd = wfd, .events = POLLIN}};
	int n = poll(p, wfd >= 0 ? 2 : 1, timeout);

	*revents = 0;
	if (n < 0)
		return errno == EINTR ? 0 : sock_host->fail("poll", -errno);
	if (n > 0 && wfd >= 0 && (p[1].revents & POLLIN))
		sock_wait_take(w);
	*revents = n > 0 ? p[0].revents : 0;
	return *revents != 0;
}

/* Wait until c is ready for want, Close interrupts the wait, or the
 * deadline passes: c's live deadline for want when live (0: none), else
 * until (negative: no limit, 0: one look). */
static int wait_ready(ifplex_bconn *c, short want, int live, int64_t until, short *rev)
{
	struct sock_waiter *w = sock_wait_begin(c);
	int rc;

	for (;;) {
		/* The latest change first, then what it changed. */
		sock_wait_renew(c, w);
		if (atomic_load(&c->closing)) {
			rc = IFPLEX_ECLOSED;
			break;
		}
		int timeout = live ? timeout_ms(live_deadline(c, want)) : until < 0 ? -1 : until == 0 ? 0 : timeout_ms(until);
		if (timeout == -2 && live) {
			rc = IFPLEX_ETIMEDOUT;
			break;
		}
		int last = timeout == 0 || timeout == -2;
		if ((rc = wait_once(c, w, want, last ? 0 : timeout, rev)) < 0)
			break;
		if (rc == 1) {
			rc = atomic_load(&c->closing) ? IFPLEX_ECLOSED : 0;
			break;
		}
		if (last && !live) {
			rc = IFPLEX_ETIMEDOUT;
			break;
		}
	}
	sock_wait_end(c, w);
	return rc;
}

int sock_wait_conn(ifplex_bconn *c, short events)
{
	short rev;

	return wait_ready(c, events, 1, 0, &rev);
}

int sock_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents)
{
	short want = (short)((events & IFPLEX_POLL_IN ? POLLIN : 0) |
			     (events & IFPLEX_POLL_OUT ? POLLOUT : 0));
	short rev;
	int rc = wait_ready(c, want, 0, deadline, &rev);

	if (rc < 0)
		return rc;
	/* An error or hang-up is ready too: the next call reports it. */
	int other = (rev & (POLLERR | POLLHUP | POLLNVAL)) != 0;
	*revents = ((rev & POLLIN) || other ? events & IFPLEX_POLL_IN : 0) |
		   ((rev & POLLOUT) || other ? events & IFPLEX_POLL_OUT : 0);
	return 0;
}

int sock_set_deadline(ifplex_bconn *c, int which, int64_t deadline)
{
	if (which & 1)
		atomic_store(&c->deadline[0], deadline);
	if (which & 2)
		atomic_store(&c->deadline[1], deadline);
	sock_wake(c, atomic_fetch_add(&c->changes, 1) + 1);
	return 0;
}

int sock_again(ifplex_bconn *c, short events, const char *syscall)
{
	if (errno == EINTR)
		return 0; /* a signal, or a wakeup: look at the deadline again */
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		return sock_host->fail(syscall, -errno);
	return sock_wait_conn(c, events);
}
