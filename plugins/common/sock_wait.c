/* SPDX-License-Identifier: MIT */
/* Waiting: readiness through poll(2) under absolute deadlines that other
 * threads may change (or Close may end) while a call waits, woken through
 * the OS part's semaphore (sock_os_wake_*). */
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

/* Both ends of the conversation's wakeup packed in one word, so that
 * threads racing to make it agree on one pair: 0, or (wfd+1)<<32 | rfd+1. */
static void wake_unpack(uint64_t w, int *rfd, int *wfd)
{
	*rfd = (int)(uint32_t)w - 1;
	*wfd = (int)(uint32_t)(w >> 32) - 1;
}

/* The read side of the conversation's wakeup, made on first use; -1 if
 * none can be made (waits then see deadline changes only at their end). */
static int wake_rfd(ifplex_bconn *c)
{
	uint64_t w = atomic_load(&c->wake);
	int rfd, wfd;

	if (!w) {
		if (sock_os_wake_open(&rfd, &wfd) < 0)
			return -1;
		uint64_t made = (uint64_t)(uint32_t)(wfd + 1) << 32 | (uint32_t)(rfd + 1);
		if (!atomic_compare_exchange_strong(&c->wake, &w, made))
			sock_os_wake_close(rfd, wfd); /* another thread installed one first */
		else
			w = made;
	}
	wake_unpack(w, &rfd, &wfd);
	return rfd;
}

void sock_wake_free(ifplex_bconn *c)
{
	uint64_t w = atomic_load(&c->wake);
	int rfd, wfd;

	if (w) {
		wake_unpack(w, &rfd, &wfd);
		sock_os_wake_close(rfd, wfd);
	}
}

/* Wait for events on c or a wakeup: 0 when the timeout ran out, 1 when
 * something happened (*revents says whether c is ready), or an error. */
static int wait_once(ifplex_bconn *c, int wfd, short events, int timeout, short *revents)
{
	struct pollfd p[2] = {{.fd = c->fd, .events = events}, {.fd = wfd, .events = POLLIN}};
	int n = poll(p, wfd >= 0 ? 2 : 1, timeout);

	*revents = 0;
	if (n < 0)
		return errno == EINTR ? 1 : sock_host->fail("poll", -errno);
	if (n > 0 && wfd >= 0 && (p[1].revents & POLLIN))
		sock_os_wake_take(wfd);
	*revents = n > 0 ? p[0].revents : 0;
	return n > 0;
}

/* Wait until c is ready for want, Close interrupts the wait, or the
 * deadline passes: c's live deadline for want when live (0: none), else
 * until (negative: no limit, 0: one look). */
static int wait_ready(ifplex_bconn *c, short want, int live, int64_t until, short *rev)
{
	int wfd = live || until != 0 ? wake_rfd(c) : -1;
	int rc;

	atomic_fetch_add(&c->waiters, 1);
	for (;;) {
		if (atomic_load(&c->closing)) {
			rc = IFPLEX_ECLOSED;
			break;
		}
		/* Read after registering as a waiter: a change made from now on
		 * also leaves a token behind. */
		int timeout = live ? timeout_ms(live_deadline(c, want)) : until < 0 ? -1 : until == 0 ? 0 : timeout_ms(until);
		if (timeout == -2 && live) {
			rc = IFPLEX_ETIMEDOUT;
			break;
		}
		if (timeout == -2)
			timeout = 0; /* look once more, then time out */
		if ((rc = wait_once(c, wfd, want, timeout, rev)) < 0)
			break;
		if (*rev) {
			rc = atomic_load(&c->closing) ? IFPLEX_ECLOSED : 0;
			break;
		}
		if (rc == 0 && !live) {
			rc = IFPLEX_ETIMEDOUT;
			break;
		}
	}
	atomic_fetch_sub(&c->waiters, 1);
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
	uint64_t w;
	int rfd, wfd;

	if (which & 1)
		atomic_store(&c->deadline[0], deadline);
	if (which & 2)
		atomic_store(&c->deadline[1], deadline);
	int n = atomic_load(&c->waiters);
	if (n > 0 && (w = atomic_load(&c->wake)) != 0) {
		wake_unpack(w, &rfd, &wfd);
		if (sock_os_wake_post(wfd, (unsigned)n) < 0)
			return sock_host->fail("write", -errno);
	}
	return 0;
}

int sock_read_prewait(ifplex_bconn *c)
{
	if (!atomic_load_explicit(&c->read_waits, memory_order_relaxed))
		return 0;
	return sock_wait_conn(c, POLLIN);
}

void sock_read_note(ifplex_bconn *c, int waited)
{
	if (atomic_load_explicit(&c->read_waits, memory_order_relaxed) != waited)
		atomic_store_explicit(&c->read_waits, waited, memory_order_relaxed);
}

int sock_again(ifplex_bconn *c, short events, const char *syscall)
{
	if (errno == EINTR)
		return 0;
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		return sock_host->fail(syscall, -errno);
	return sock_wait_conn(c, events);
}
