/* SPDX-License-Identifier: MIT */
/* Blocking: readiness of an AF_XDP socket (its RX ring has entries, its TX
 * ring room) under deadlines that other threads may change, and Close. */
#include "xdp.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

int64_t xdp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int xdp_deadline_passed(int64_t deadline)
{
	return deadline && xdp_now() >= deadline;
}

int xdp_wait(ifplex_bconn *c, int fd, short events)
{
	int dir = events & POLLOUT ? 1 : 0;
	int64_t deadline = atomic_load(&c->deadline[dir]);
	int timeout = -1;

	if (atomic_load(&c->closing))
		return IFPLEX_ECLOSED;
	if (deadline) {
		int64_t left = deadline - xdp_now();
		if (left <= 0)
			return IFPLEX_ETIMEDOUT;
		/* Rounded up: a wait never ends before its deadline. */
		int64_t ms = (left + 999999) / 1000000;
		timeout = ms > INT_MAX ? INT_MAX : (int)ms;
	}
	struct pollfd p[3] = {{.fd = fd, .events = events},
			      {.fd = c->close_fd, .events = POLLIN},
			      {.fd = c->wake[dir], .events = POLLIN}};
	int n = poll(p, 3, timeout);
	if (n < 0 && errno != EINTR)
		return -errno;
	if (atomic_load(&c->closing))
		return IFPLEX_ECLOSED;
	if (n > 0 && p[2].revents) {
		uint64_t v;
		if (read(c->wake[dir], &v, sizeof v) < 0) {
			/* EAGAIN: drained already; nothing else can fail here. */
		}
	}
	return 0;
}
