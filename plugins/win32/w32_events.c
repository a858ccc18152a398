/* SPDX-License-Identifier: MIT */
/* Change subscriptions.  A worker thread per subscription scans the
 * adapters and queues the notices that lead from its last scan to this
 * one.  It scans when Windows announces a change (NotifyIpInterfaceChange,
 * NotifyUnicastIpAddressChange: "notify") or every IFPLEX_WIN32_POLL_MS
 * (poll), chosen by IFPLEX_WIN32_EVENTS=notify|poll|auto.  Either way a
 * change undone before the next scan is never seen: the guarantee here is
 * that the subscriber's view ends equal to the system's state. */
#include "w32.h"

#include <ifplex.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define POLL_MS_DEFAULT 100
#define POLL_MS_MAX 60000
/* Notices waiting for the reader beyond this are thrown away for a LOST
 * notice, after which the core lists the state again. */
#define QUEUE_MAX 65536

enum { MODE_NOTIFY = 1, MODE_POLL };

struct ifplex_bevents {
	int mode;
	int mcast;
	DWORD poll_ms;
	HANDLE ready;              /* manual reset: set while notices wait */
	HANDLE kick;               /* auto reset: Windows announced a change */
	HANDLE stop;
	HANDLE thread;
	HANDLE notify_if, notify_addr;
	struct w32_state last;     /* the worker's alone */
	SRWLOCK lock;              /* the queue and lost */
	struct ifplex_notice *q;
	size_t qcap, qhead, qlen;
	int lost;
};

static void queue_push(const struct ifplex_notice *n, void *arg)
{
	struct ifplex_bevents *e = arg;

	if (e->lost)
		return;
	if (e->qlen == e->qcap) {
		size_t cap = e->qcap ? e->qcap * 2 : 64;
		struct ifplex_notice *q = cap <= QUEUE_MAX ? malloc(cap * sizeof *q) : NULL;
		if (!q) {
			e->lost = 1; /* the reader gets LOST, then a listing */
			e->qlen = 0;
			return;
		}
		for (size_t i = 0; i < e->qlen; i++)
			q[i] = e->q[(e->qhead + i) % e->qcap];
		free(e->q);
		e->q = q;
		e->qcap = cap;
		e->qhead = 0;
	}
	e->q[(e->qhead + e->qlen++) % e->qcap] = *n;
}

/* One scan, its notices queued; a failed scan is tried again at the next
 * poll or announcement, from the same last state. */
static void scan(struct ifplex_bevents *e)
{
	struct w32_state now;

	if (w32_scan(&now, e->mcast) < 0)
		return;
	AcquireSRWLockExclusive(&e->lock);
	w32_diff(&e->last, &now, queue_push, e);
	if (e->qlen || e->lost)
		SetEvent(e->ready);
	ReleaseSRWLockExclusive(&e->lock);
	w32_state_free(&e->last);
	e->last = now;
}

static DWORD WINAPI worker(void *arg)
{
	struct ifplex_bevents *e = arg;
	HANDLE h[2] = {e->stop, e->kick};

	for (;;) {
		DWORD w = WaitForMultipleObjects(2, h, FALSE, e->mode == MODE_POLL ? e->poll_ms : INFINITE);
		if (w != WAIT_OBJECT_0 + 1 && w != WAIT_TIMEOUT)
			return 0;
		scan(e);
	}
}

/* Windows calls these on a thread of its own: they only wake the worker,
 * which scans (the rows lack the name, flags and hardware address). */
static VOID NETIOAPI_API_ on_interface(PVOID ctx, PMIB_IPINTERFACE_ROW row, MIB_NOTIFICATION_TYPE type)
{
	SetEvent(((struct ifplex_bevents *)ctx)->kick);
}

static VOID NETIOAPI_API_ on_address(PVOID ctx, PMIB_UNICASTIPADDRESS_ROW row, MIB_NOTIFICATION_TYPE type)
{
	SetEvent(((struct ifplex_bevents *)ctx)->kick);
}

static void unregister(struct ifplex_bevents *e)
{
	/* CancelMibChangeNotify2 returns once no callback runs any more. */
	if (e->notify_if)
		CancelMibChangeNotify2(e->notify_if);
	if (e->notify_addr)
		CancelMibChangeNotify2(e->notify_addr);
	e->notify_if = e->notify_addr = NULL;
}

/* Register both announcements: 0, or a code with the reason recorded.
 * Wine 8.0 answers NO_ERROR with no handle and never calls back: that is
 * a stub, not a registration. */
static int register_notify(struct ifplex_bevents *e)
{
	DWORD err = NotifyIpInterfaceChange(AF_UNSPEC, on_interface, e, FALSE, &e->notify_if);

	if (err != NO_ERROR)
		return w32_fail_code("notifyipinterfacechange", err, IFPLEX_ENOTSUP);
	err = NotifyUnicastIpAddressChange(AF_UNSPEC, on_address, e, FALSE, &e->notify_addr);
	if (err != NO_ERROR) {
		unregister(e);
		return w32_fail_code("notifyunicastipaddresschange", err, IFPLEX_ENOTSUP);
	}
	if (!e->notify_if || !e->notify_addr) {
		unregister(e);
		return w32_host->fail_text("notifyipinterfacechange: registered without a handle "
					   "(a stub, as in wine 8.0); IFPLEX_WIN32_EVENTS=poll polls",
					   IFPLEX_ENOTSUP);
	}
	return 0;
}

/* IFPLEX_WIN32_POLL_MS: 0, or IFPLEX_EINVAL for what is not 1 to 60000. */
static int poll_interval(DWORD *ms)
{
	const char *s = w32_host->getenv("IFPLEX_WIN32_POLL_MS");
	char *end;

	*ms = POLL_MS_DEFAULT;
	if (!s)
		return 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < 1 || v > POLL_MS_MAX)
		return w32_host->fail_text("IFPLEX_WIN32_POLL_MS: not a number of milliseconds "
					   "from 1 to 60000", IFPLEX_EINVAL);
	*ms = (DWORD)v;
	return 0;
}

/* The mechanism IFPLEX_WIN32_EVENTS asks for, registered: auto takes the
 * announcements where Windows gives them, else polls. */
static int choose(struct ifplex_bevents *e)
{
	const char *want = w32_host->getenv("IFPLEX_WIN32_EVENTS");
	int rc;

	if (!want || !*want || strcmp(want, "auto") == 0) {
		/* Windows announces no multicast group changes. */
		if (!e->mcast && register_notify(e) == 0) {
			e->mode = MODE_NOTIFY;
			return 0;
		}
		w32_host->log(1, "win32 events: polling every %lu ms (%s)", (unsigned long)e->poll_ms,
			      e->mcast ? "multicast groups are never announced"
				       : "no change notifications");
		e->mode = MODE_POLL;
		return 0;
	}
	if (strcmp(want, "poll") == 0) {
		e->mode = MODE_POLL;
		return 0;
	}
	if (strcmp(want, "notify") != 0)
		return w32_host->fail_text("IFPLEX_WIN32_EVENTS: not notify, poll or auto", IFPLEX_EINVAL);
	if (e->mcast)
		return w32_host->fail_text("Windows announces no multicast group changes: "
					   "IFPLEX_WIN32_EVENTS=poll polls them", IFPLEX_ENOTSUP);
	if ((rc = register_notify(e)) < 0)
		return rc;
	e->mode = MODE_NOTIFY;
	return 0;
}

void w32_events_close(ifplex_bevents *e)
{
	if (!e)
		return;
	unregister(e);
	if (e->thread) {
		SetEvent(e->stop);
		WaitForSingleObject(e->thread, INFINITE);
		CloseHandle(e->thread);
	}
	if (e->ready)
		CloseHandle(e->ready);
	if (e->kick)
		CloseHandle(e->kick);
	if (e->stop)
		CloseHandle(e->stop);
	w32_state_free(&e->last);
	free(e->q);
	free(e);
}

int w32_events_open(void *state, unsigned mask, ifplex_bevents **out)
{
	struct ifplex_bevents *e = calloc(1, sizeof *e);
	int rc;

	*out = NULL;
	if (!e)
		return IFPLEX_ENOMEM;
	InitializeSRWLock(&e->lock);
	e->mcast = (mask & IFPLEX_EVENTS_MCAST) != 0;
	e->ready = CreateEventW(NULL, TRUE, FALSE, NULL);
	e->kick = CreateEventW(NULL, FALSE, FALSE, NULL);
	e->stop = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!e->ready || !e->kick || !e->stop) {
		rc = w32_fail("createevent", GetLastError());
		goto fail;
	}
	if ((rc = poll_interval(&e->poll_ms)) < 0 || (rc = choose(e)) < 0)
		goto fail;
	/* The first scan is the base the core's listing follows; an
	 * announcement before it only leads to a scan that finds nothing new. */
	if ((rc = w32_scan(&e->last, e->mcast)) < 0)
		goto fail;
	e->thread = CreateThread(NULL, 0, worker, e, 0, NULL);
	if (!e->thread) {
		rc = w32_fail("createthread", GetLastError());
		goto fail;
	}
	*out = e;
	return 0;
fail:
	w32_events_close(e);
	return rc;
}

int w32_events_read(ifplex_bevents *e, struct ifplex_notice *v, size_t n)
{
	size_t got = 0;

	AcquireSRWLockExclusive(&e->lock);
	if (e->lost && n) {
		memset(v, 0, sizeof *v);
		v->kind = IFPLEX_NOTICE_LOST;
		e->lost = 0;
		got = 1;
	} else {
		for (; got < n && e->qlen; got++) {
			v[got] = e->q[e->qhead];
			e->qhead = (e->qhead + 1) % e->qcap;
			e->qlen--;
		}
	}
	if (!e->qlen && !e->lost)
		ResetEvent(e->ready);
	ReleaseSRWLockExclusive(&e->lock);
	return got > INT_MAX ? INT_MAX : (int)got;
}

int w32_events_wait(ifplex_bevents *e, int64_t deadline)
{
	DWORD ms = INFINITE;

	if (deadline >= 0) {
		int64_t left = deadline == 0 ? 0 : deadline - ifplex_now();
		int64_t m = left <= 0 ? 0 : (left + 999999) / 1000000;
		ms = m >= INFINITE ? INFINITE - 1 : (DWORD)m;
	}
	DWORD w = WaitForSingleObject(e->ready, ms);
	if (w == WAIT_OBJECT_0)
		return 1;
	if (w == WAIT_TIMEOUT)
		return 0;
	return w32_fail("waitforsingleobject", GetLastError());
}

int w32_events_wait_fd(ifplex_bevents *e, intptr_t *fd)
{
	*fd = (intptr_t)e->ready;
	return 0;
}
