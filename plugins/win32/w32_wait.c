/* SPDX-License-Identifier: MIT */
/* Waiting on a non-blocking SOCKET with WSAPoll under the live deadlines,
 * woken early by Close or a deadline change from another thread. */
#include "w32.h"

#include <ifplex.h>

#include <limits.h>

static int64_t live_deadline(ifplex_bconn *c, int events)
{
	return atomic_load(&c->deadline[events & W32_IN ? 0 : 1]);
}

static int passed(int64_t deadline)
{
	return deadline != 0 && ifplex_now() >= deadline;
}

int w32_expired(ifplex_bconn *c, int events)
{
	return passed(live_deadline(c, events));
}

/* Milliseconds until deadline for WSAPoll (-1: none), rounded up. */
static int timeout_ms(int64_t deadline)
{
	if (deadline == 0)
		return -1;
	int64_t left = deadline - ifplex_now();
	if (left <= 0)
		return 0;
	int64_t ms = (left + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* The conversation's wake socket, made on first use; INVALID_SOCKET if
 * none can be (no loopback): Close then reaches no blocked call. */
static SOCKET wake_socket(ifplex_bconn *c)
{
	SOCKET w = atomic_load(&c->wake);

	if (w != INVALID_SOCKET)
		return w;
	w = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_NO_HANDLE_INHERIT);
	if (w == INVALID_SOCKET)
		return w;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int len = sizeof sin;
	u_long on = 1;
	if (bind(w, (struct sockaddr *)&sin, len) != 0 ||
	    getsockname(w, (struct sockaddr *)&sin, &len) != 0 ||
	    connect(w, (struct sockaddr *)&sin, len) != 0 || ioctlsocket(w, FIONBIO, &on) != 0) {
		closesocket(w);
		return INVALID_SOCKET;
	}
	SOCKET expected = INVALID_SOCKET;
	if (!atomic_compare_exchange_strong(&c->wake, &expected, w)) {
		closesocket(w); /* another thread installed one first */
		return expected;
	}
	return w;
}

/* One datagram for each call waiting now. */
static void wake_all(ifplex_bconn *c)
{
	SOCKET w = atomic_load(&c->wake);
	int n = atomic_load(&c->waiters);
	char token = 0;

	for (int i = 0; w != INVALID_SOCKET && i < n; i++)
		send(w, &token, 1, 0);
}

static void take_token(SOCKET w)
{
	char token;

	recv(w, &token, 1, 0); /* another waiter may have taken it: fine */
}

/* Poll c (and its wake socket) for events for timeout milliseconds (-1:
 * no limit); *ready gets what the socket reported.  Returns WSAPoll's
 * count or an error. */
static int poll_once(ifplex_bconn *c, SOCKET w, int events, int timeout, SHORT *ready)
{
	WSAPOLLFD p[2] = {
		{.fd = c->s, .events = (SHORT)((events & W32_IN ? POLLRDNORM : 0) |
					       (events & W32_OUT ? POLLWRNORM : 0))},
		{.fd = w, .events = POLLRDNORM},
	};
	int n = WSAPoll(p, w != INVALID_SOCKET ? 2 : 1, timeout);

	*ready = 0;
	if (n == SOCKET_ERROR)
		return w32_fail("wsapoll", WSAGetLastError());
	if (n > 0 && w != INVALID_SOCKET && (p[1].revents & POLLRDNORM))
		take_token(w);
	*ready = p[0].revents;
	return n;
}

int w32_wait(ifplex_bconn *c, int events)
{
	SOCKET w = wake_socket(c);
	int rc;

	atomic_fetch_add(&c->waiters, 1);
	for (;;) {
		if (atomic_load(&c->closing)) {
			rc = IFPLEX_ECLOSED;
			break;
		}
		/* Read after registering as a waiter: a change made from now on
		 * also leaves a token on the wake socket. */
		int64_t deadline = live_deadline(c, events);
		if (passed(deadline)) {
			rc = IFPLEX_ETIMEDOUT;
			break;
		}
		SHORT ready;
		rc = poll_once(c, w, events, timeout_ms(deadline), &ready);
		if (rc < 0)
			break;
		if (ready) {
			rc = atomic_load(&c->closing) ? IFPLEX_ECLOSED : 0;
			break;
		}
	}
	atomic_fetch_sub(&c->waiters, 1);
	return rc;
}

int w32_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents)
{
	int want = (events & IFPLEX_POLL_IN ? W32_IN : 0) | (events & IFPLEX_POLL_OUT ? W32_OUT : 0);
	SOCKET w = deadline != 0 ? wake_socket(c) : INVALID_SOCKET;
	int rc = 0;

	atomic_fetch_add(&c->waiters, 1);
	for (;;) {
		if (atomic_load(&c->closing)) {
			rc = IFPLEX_ECLOSED;
			break;
		}
		int timeout = deadline < 0 ? -1 : deadline == 0 ? 0 : timeout_ms(deadline);
		SHORT ready;
		int n = poll_once(c, w, want, timeout, &ready);
		if (n < 0) {
			rc = n;
			break;
		}
		if (ready) {
			/* An error or hang-up is ready too: the next call reports it. */
			int other = (ready & (POLLERR | POLLHUP | POLLNVAL)) != 0;
			*revents = ((ready & POLLRDNORM) || other ? events & IFPLEX_POLL_IN : 0) |
				   ((ready & POLLWRNORM) || other ? events & IFPLEX_POLL_OUT : 0);
			break;
		}
		if (n == 0 && timeout >= 0) {
			rc = IFPLEX_ETIMEDOUT;
			break;
		}
	}
	atomic_fetch_sub(&c->waiters, 1);
	return rc;
}

int w32_wait_connect(ifplex_bconn *c, int64_t deadline)
{
	for (;;) {
		fd_set wr, ex;
		FD_ZERO(&wr);
		FD_ZERO(&ex);
		FD_SET(c->s, &wr);
		FD_SET(c->s, &ex);
		int ms = timeout_ms(deadline);
		struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
		int n = select(0, NULL, &wr, &ex, ms < 0 ? NULL : &tv);
		if (n == SOCKET_ERROR)
			return w32_fail("select", WSAGetLastError());
		if (n > 0) {
			int err = 0, len = sizeof err;
			if (getsockopt(c->s, SOL_SOCKET, SO_ERROR, (char *)&err, &len) != 0)
				return w32_fail("getsockopt", WSAGetLastError());
			return err ? w32_fail("connectex", (DWORD)err) : 0;
		}
		if (passed(deadline))
			return IFPLEX_ETIMEDOUT;
	}
}

int w32_again(ifplex_bconn *c, int events, DWORD err, const char *syscall)
{
	if (err == WSAEINTR)
		return 0;
	if (err != WSAEWOULDBLOCK)
		return w32_fail(syscall, err);
	return w32_wait(c, events);
}

int w32_set_deadline(ifplex_bconn *c, int which, int64_t deadline)
{
	if (which & 1)
		atomic_store(&c->deadline[0], deadline);
	if (which & 2)
		atomic_store(&c->deadline[1], deadline);
	wake_all(c);
	return 0;
}

int w32_interrupt(ifplex_bconn *c)
{
	atomic_store(&c->closing, 1);
	wake_all(c);
	return 0;
}

void w32_wake_close(ifplex_bconn *c)
{
	SOCKET w = atomic_load(&c->wake);

	if (w != INVALID_SOCKET)
		closesocket(w);
}
