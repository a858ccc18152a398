/* SPDX-License-Identifier: MIT */
/* Conversations of the fake backend: each dial or listen_packet makes an
 * in-memory loopback (what is written is read back), with blocking reads,
 * deadlines, wake-up on close, readiness polling and lent buffers, so that
 * the core's connection handling can be tested without sockets.  Counts the
 * handles alive, so that tests can see each one closed exactly once. */
#include "fake.h"

#include <errno.h>
/* libtool compiles a DLL's objects with DLL_EXPORT defined, which makes
 * winpthreads' header import its functions from libwinpthread-1.dll:
 * the Windows test DLLs link winpthreads in instead. */
#if defined(_WIN32) && defined(DLL_EXPORT)
#undef DLL_EXPORT
#endif
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CAP 4096

struct ifplex_bconn {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int interrupted;
	int lent;                  /* lent buffers not yet released */
	size_t len;
	unsigned char buf[CAP];
	struct ifplex_netaddr local, remote;
};

static _Atomic long alive, waiting;

long fake_conns_alive(void)
{
	return atomic_load(&alive);
}

long fake_conns_waiting(void)
{
	return atomic_load(&waiting);
}

static int make(const struct ifplex_sockspec *spec, ifplex_bconn **out, int dialled)
{
	ifplex_bconn *c = calloc(1, sizeof *c);
	pthread_condattr_t ca;

	if (!c)
		return IFPLEX_ENOMEM;
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	c->local = spec->addr;
	if (dialled) {
		c->remote = spec->addr;
		c->local.port = 40000;
	}
	atomic_fetch_add(&alive, 1);
	*out = c;
	return 0;
}

int fake_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	return make(spec, out, 1);
}

int fake_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	return make(spec, out, 0);
}

/* A test may hold every interrupt and every backend close at a gate, so
 * that another thread's close of the same handle surely overlaps: a close
 * with a call in progress interrupts first, one with none (the core's
 * fast path) goes straight to the backend's close.  An
 * atomic flag, not a lock, so that a child forked while a thread passes
 * the gate does not inherit it held. */
static _Atomic int gate_shut;

IFPLEX_PLUGIN_EXPORT void fake_gate_interrupts(int shut);
IFPLEX_PLUGIN_EXPORT void fake_gate_interrupts(int shut)
{
	atomic_store(&gate_shut, shut);
}

static void gate_wait(void)
{
	while (atomic_load(&gate_shut))
		usleep(20);
}

int fake_close_conn(ifplex_bconn *c)
{
	gate_wait();
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	/* Scribble, so that a use after this close reads garbage, not a conn. */
	memset(c, 0xdb, sizeof *c);
	free(c);
	atomic_fetch_sub(&alive, 1);
	return 0;
}

int fake_interrupt(ifplex_bconn *c)
{
	gate_wait();
	pthread_mutex_lock(&c->mu);
	c->interrupted = 1;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

int fake_set_deadline(ifplex_bconn *c, int which, int64_t deadline)
{
	pthread_mutex_lock(&c->mu);
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

/* Wait on c (locked) until ready() or the deadline (0: none) or close. */
static int wait_until(ifplex_bconn *c, int (*ready)(const ifplex_bconn *), int64_t deadline)
{
	int rc = 0;

	atomic_fetch_add(&waiting, 1);
	while (!ready(c)) {
		if (c->interrupted) {
			rc = IFPLEX_ECLOSED;
			break;
		}
		if (deadline > 0) {
			struct timespec ts = {.tv_sec = deadline / 1000000000, .tv_nsec = deadline % 1000000000};
			if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT && !ready(c)) {
				rc = IFPLEX_ETIMEDOUT;
				break;
			}
		} else {
			pthread_cond_wait(&c->cv, &c->mu);
		}
	}
	atomic_fetch_sub(&waiting, 1);
	return rc;
}

static int readable(const ifplex_bconn *c)
{
	return c->len > 0;
}

static int writable(const ifplex_bconn *c)
{
	return c->len < CAP;
}

int fake_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n)
{
	pthread_mutex_lock(&c->mu);
	int rc = wait_until(c, readable, deadline);
	if (rc == 0) {
		*n = len < c->len ? len : c->len;
		memcpy(buf, c->buf, *n);
		memmove(c->buf, c->buf + *n, c->len - *n);
		c->len -= *n;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int fake_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n)
{
	int rc = 0;

	*n = 0;
	pthread_mutex_lock(&c->mu);
	while (rc == 0 && *n < len && (rc = wait_until(c, writable, deadline)) == 0) {
		size_t k = len - *n < CAP - c->len ? len - *n : CAP - c->len;
		memcpy(c->buf + c->len, (const char *)buf + *n, k);
		c->len += k;
		*n += k;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int fake_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	*out = c->local;
	return 0;
}

int fake_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	if (!c->remote.kind)
		return -ENOTCONN;
	*out = c->remote;
	return 0;
}

static unsigned ready_events(const ifplex_bconn *c, unsigned events)
{
	return (readable(c) ? IFPLEX_POLL_IN : 0) | (writable(c) ? IFPLEX_POLL_OUT : 0);
}

int fake_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents)
{
	int rc = 0;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		*revents = ready_events(c, events) & events;
		if (*revents)
			break;
		if (c->interrupted) {
			rc = IFPLEX_ECLOSED;
			break;
		}
		if (deadline == 0) {
			rc = IFPLEX_ETIMEDOUT;
			break;
		}
		if (deadline < 0) {
			pthread_cond_wait(&c->cv, &c->mu);
			continue;
		}
		struct timespec ts = {.tv_sec = deadline / 1000000000, .tv_nsec = deadline % 1000000000};
		if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) == ETIMEDOUT &&
		    !(ready_events(c, events) & events)) {
			rc = IFPLEX_ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

/* Everything queued, lent as one datagram in a buffer of its own. */
int fake_read_lent(ifplex_bconn *c, struct ifplex_lent *v, size_t count, int64_t deadline)
{
	pthread_mutex_lock(&c->mu);
	int rc = wait_until(c, readable, deadline);
	if (rc == 0) {
		unsigned char *copy = malloc(c->len);
		if (!copy) {
			rc = IFPLEX_ENOMEM;
		} else {
			struct ifplex_netaddr *from = v[0].addr;
			memcpy(copy, c->buf, c->len);
			v[0] = (struct ifplex_lent){.data = copy, .len = c->len, .addr = from,
						    .token = (uintptr_t)copy};
			if (from)
				*from = c->remote;
			c->len = 0;
			c->lent++;
			rc = 1;
		}
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int fake_release_lent(ifplex_bconn *c, struct ifplex_lent *v, size_t count)
{
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < count; i++) {
		free((void *)(uintptr_t)v[i].token);
		c->lent--;
	}
	pthread_mutex_unlock(&c->mu);
	return 0;
}
