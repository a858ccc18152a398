/* SPDX-License-Identifier: MIT */
/* The filter's objects made off the calling thread.  Creating its three
 * maps and loading its program (the verifier) take about a millisecond of
 * system time here, whatever their size; the call that arms should not
 * wait for that.  The build starts a short-lived thread that makes them and
 * ends; calls meanwhile read the subscription as in notify mode, and the
 * first one that finds the objects ready attaches them (one setsockopt).
 * The thread is detached (a process may end, or fork, before any call
 * could join it) and touches nothing but its cache_prep, whose result the
 * caller reads once ready says it is stored; its last step.  It never
 * calls malloc or free: glibc would give it an arena of its own, kept for
 * the process's life. */
#define _GNU_SOURCE
#include "nl.h"

#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void make(struct cache_prep *p)
{
	int64_t t0 = cache_mono_ns();

	p->rc = nl_bpf_prepare(p->ring, &p->b, p->why, sizeof p->why);
	p->ns = cache_mono_ns() - t0;
}

static void *helper_main(void *arg)
{
	struct cache_prep *p = arg;

	p->tid = (pid_t)syscall(SYS_gettid);
	make(p);
	atomic_store_explicit(&p->ready, 1, memory_order_release); /* p is the caller's from here */
	return NULL;
}

/* Whether the last helper thread still exists (it may be leaving after
 * its result was stored); a forked child never has it. */
static int helper_exists(const struct cache_prep *p)
{
	return p->tid > 0 && syscall(SYS_tgkill, getpid(), p->tid, 0) == 0;
}

static void pause_briefly(void)
{
	struct timespec ts = {0, 50000};
	nanosleep(&ts, NULL);
}

void prep_start(struct cache_prep *p, size_t ring)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t th;

	if (p->pending || helper_exists(p))
		return; /* under way or made; or the last helper still leaving */
	p->ring = ring;
	p->b = NULL;
	p->rc = 0;
	p->tid = 0;
	p->why[0] = '\0';
	atomic_store_explicit(&p->ready, 0, memory_order_relaxed);
	p->pending = 1;
	int rc = pthread_attr_init(&attr), made_attr = rc == 0;
	if (rc == 0 && (rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED)) == 0) {
		/* Every signal blocked, so that none of the program's handlers
		 * runs on a thread it does not know of. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&th, &attr, helper_main, p);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (made_attr)
		pthread_attr_destroy(&attr);
	if (rc != 0) {
		/* No thread (no memory, a limit): as before, on this call. */
		make(p);
		atomic_store_explicit(&p->ready, 1, memory_order_relaxed);
	}
}

int prep_ready(struct cache_prep *p)
{
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

void prep_wait(struct cache_prep *p)
{
	while (p->pending && !atomic_load_explicit(&p->ready, memory_order_acquire))
		pause_briefly();
}

void prep_gone(struct cache_prep *p)
{
	/* After ready the thread runs only its return into the C library: a
	 * few instructions of this plugin's code, which must stay mapped
	 * until then.  Bounded (a second) against a thread id taken again by
	 * another thread of the program. */
	for (int i = 0; i < 20000 && helper_exists(p); i++)
		pause_briefly();
}

void prep_discard(struct cache_prep *p)
{
	prep_wait(p);
	if (p->pending)
		nl_bpf_free(p->b);
	p->b = NULL;
	p->pending = 0;
}
