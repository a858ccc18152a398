/* SPDX-License-Identifier: MIT */
/* The filter's objects made off the calling thread.  Creating its three
 * maps and loading its program (the verifier) take about a millisecond of
 * system time here, whatever their size; the call that arms should not
 * wait for that.  The build starts a short-lived thread that makes them and
 * ends; calls meanwhile read the subscription as in notify mode, and the
 * first one that finds the objects ready attaches them (one setsockopt).
 * The thread touches nothing but its cache_prep, whose result the caller
 * reads only after joining it, and it never calls malloc or free: glibc
 * would give it an arena of its own, kept for the process's life. */
#define _GNU_SOURCE
#include "nl.h"

#include <signal.h>
#include <stdio.h>

static void *prep_main(void *arg)
{
	struct cache_prep *p = arg;
	int64_t t0 = cache_mono_ns();

	p->rc = nl_bpf_prepare(p->ring, &p->b, p->why, sizeof p->why);
	p->ns = cache_mono_ns() - t0;
	atomic_store_explicit(&p->ready, 1, memory_order_release);
	return NULL;
}

/* Join the thread if it has ended.  A thread that stored its result may
 * not have ended yet (on a busy machine it waits for a processor to exit),
 * and no call waits for that: a later one, or the reset, joins it. */
static void reap(struct cache_prep *p)
{
	if (p->live && pthread_tryjoin_np(p->thread, NULL) == 0)
		p->live = 0;
}

int prep_reap(struct cache_prep *p)
{
	reap(p);
	return p->live;
}

void prep_start(struct cache_prep *p, size_t ring)
{
	sigset_t all, old;

	reap(p);
	if (p->pending || p->live)
		return; /* under way or made; or the last thread still ending */
	p->ring = ring;
	p->b = NULL;
	p->rc = 0;
	p->why[0] = '\0';
	atomic_store_explicit(&p->ready, 0, memory_order_relaxed);
	p->pending = 1;
	/* Every signal blocked, so that none of the program's handlers runs
	 * on a thread it does not know of. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&p->thread, NULL, prep_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		p->live = 1;
	else
		prep_main(p); /* no thread (no memory, a limit): as before, on this call */
}

int prep_ready(struct cache_prep *p)
{
	reap(p);
	return p->pending && atomic_load_explicit(&p->ready, memory_order_acquire);
}

int prep_take(struct cache_prep *p, struct nl_bpf **b, char *why, size_t len, int64_t *ns)
{
	*b = p->b;
	*ns = p->ns;
	snprintf(why, len, "%s", p->why);
	p->b = NULL;
	p->pending = 0;
	return p->rc;
}

void prep_join(struct cache_prep *p)
{
	if (!p->live)
		return;
	pthread_join(p->thread, NULL);
	p->live = 0;
}

void prep_discard(struct cache_prep *p)
{
	prep_join(p);
	if (p->pending)
		nl_bpf_free(p->b);
	p->b = NULL;
	p->pending = 0;
}
