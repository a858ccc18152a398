/* SPDX-License-Identifier: MIT */
/* Waking a thread blocked in a call on a conversation, for Close and for a
 * deadline changed while it waits.
 *
 * A call with no deadline is the one blocking system call POSIX makes (a
 * recv that sleeps in the kernel), so nothing but a signal can end it
 * early; Close also shuts the socket down, which wakes it on Linux.  The
 * signal is SIGURG, as Go's runtime chose: its default action is to ignore
 * it and no program relies on it for out-of-band data any more.  The no-op
 * handler (without SA_RESTART, so that the call fails with EINTR and looks
 * at the deadline again) is installed the first time a call would block,
 * and only where the program left SIGURG at its default; otherwise calls
 * never block in the kernel and wait in poll(2) with a wakeup descriptor
 * of their thread instead.
 *
 * Every thread that waits has a record in one registry: the conversation
 * it waits on, the last deadline change it saw, and how many signals were
 * sent to it and handled.  A waker signals the records waiting on its
 * conversation that have not seen its change, again and again (a signal
 * that arrives just before the call blocks is lost), until each has seen
 * it or left.  Signals do not queue, so a waiter that was sent any does
 * not count them: it leaves the registry under its lock (after which none
 * is sent) and makes one system call, on whose return the kernel runs the
 * handler for the one pending, so that none lands in the program's own
 * calls. */
#define _GNU_SOURCE
#include "sock.h"
#include "sock_os.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KICK_SIGNAL SIGURG
/* How long a waker keeps signalling a waiter that does not answer. */
#define KICK_PATIENCE_NS 1000000000LL

struct sock_waiter {
	pthread_t thread;
	_Atomic(ifplex_bconn *) on;   /* the conversation it waits on, or NULL */
	_Atomic uint64_t seen;        /* that conversation's changes when it looked */
	_Atomic unsigned kicks;       /* signals sent to it while on it */
	int rfd, wfd;                 /* its wakeup when signals are not used; -1 */
	struct sock_waiter *next;
};

static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static struct sock_waiter *waiters;
static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int key_ok;
static _Atomic int kick_state; /* 0 not decided, 1 signals, -1 poll */
static __thread struct sock_waiter *mine;

/* Only there so that the blocked call fails with EINTR. */
static void on_kick(int sig)
{
	(void)sig;
}

static void thread_gone(void *p)
{
	struct sock_waiter *w = p;

	pthread_mutex_lock(&registry);
	for (struct sock_waiter **q = &waiters; *q; q = &(*q)->next)
		if (*q == w) {
			*q = w->next;
			break;
		}
	pthread_mutex_unlock(&registry);
	if (w->rfd >= 0)
		sock_os_wake_close(w->rfd, w->wfd);
	mine = NULL;
	free(w);
}

/* In a child after fork, only the forking thread exists: forget the
 * others' records (leaked: their memory is the parent's copy). */
static void in_child(void)
{
	waiters = mine;
	if (mine)
		mine->next = NULL;
	pthread_mutex_init(&registry, NULL);
}

static void before_fork(void)
{
	pthread_mutex_lock(&registry);
}

static void after_fork(void)
{
	pthread_mutex_unlock(&registry);
}

static void init(void)
{
	key_ok = pthread_key_create(&key, thread_gone) == 0 &&
		 pthread_atfork(before_fork, after_fork, in_child) == 0;
}

/* The calling thread's record, made on its first wait; NULL without memory. */
static struct sock_waiter *me(void)
{
	struct sock_waiter *w = mine;

	if (w)
		return w;
	pthread_once(&once, init);
	if (!key_ok || !(w = calloc(1, sizeof *w)))
		return NULL;
	w->thread = pthread_self();
	w->rfd = w->wfd = -1;
	if (pthread_setspecific(key, w) != 0) {
		free(w);
		return NULL;
	}
	pthread_mutex_lock(&registry);
	w->next = waiters;
	waiters = w;
	pthread_mutex_unlock(&registry);
	mine = w;
	return w;
}

/* Whether blocked calls can be ended with the signal: decided once, by
 * installing the handler where SIGURG is at its default. */
static int kick_ready(void)
{
	int s = atomic_load_explicit(&kick_state, memory_order_relaxed);

	if (s)
		return s > 0;
	pthread_mutex_lock(&registry);
	if (!(s = atomic_load(&kick_state))) {
		struct sigaction old, sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_kick;
		sigemptyset(&sa.sa_mask);
		s = -1;
		if (sigaction(KICK_SIGNAL, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
		    old.sa_handler == SIG_DFL && sigaction(KICK_SIGNAL, &sa, NULL) == 0)
			s = 1;
		atomic_store(&kick_state, s);
	}
	pthread_mutex_unlock(&registry);
	return s > 0;
}

/* Whether our handler is still the one SIGURG runs (a program may put its
 * own in later): if not, signals are given up for good. */
static int kick_still_ours(void)
{
	struct sigaction cur;

	if (sigaction(KICK_SIGNAL, NULL, &cur) == 0 && !(cur.sa_flags & SA_SIGINFO) && cur.sa_handler == on_kick)
		return 1;
	atomic_store(&kick_state, -1);
	return 0;
}

int sock_blocking_ok(void)
{
	return kick_ready();
}

/* Memory order.  A waiter and a waker (Close, or a deadline change) meet
 * as in Dekker's algorithm: the waiter registers (c->waiters up), then
 * looks at c (closing, deadlines); the waker changes c, then looks at
 * c->waiters.  Both pairs are sequentially consistent, so at least one
 * side sees the other: the waiter does not block, or the waker wakes it.
 * The record's on and seen need no order of their own: they are stored
 * before the waiter's increment, which releases them to a waker that
 * read the count (seq_cst stores are a full fence each on x86; two of the
 * three a call made were this).  Leaving, on is cleared against kicks, the other such
 * pair: a waker that counted a kick sees on still set, and then the
 * waiter sees the kick, or the waker sees on cleared and sends nothing.
 * The decrement is a hint only (a waker that reads a stale count makes one
 * round for nobody), so it is relaxed. */
struct sock_waiter *sock_wait_begin(ifplex_bconn *c)
{
	struct sock_waiter *w = me();

	if (!w)
		return NULL;
	/* Without signals, the thread's own wakeup, made once. */
	if (!kick_ready() && w->rfd < 0 && sock_os_wake_open(&w->rfd, &w->wfd) < 0)
		w->rfd = w->wfd = -1; /* then a change is seen only when the wait ends */
	/* changes read with acquire at least: a change seen here comes with
	 * what it changed (loads cost nothing more on x86). */
	atomic_store_explicit(&w->seen, atomic_load(&c->changes), memory_order_relaxed);
	atomic_store_explicit(&w->on, c, memory_order_relaxed);
	atomic_fetch_add(&c->waiters, 1);
	return w;
}

void sock_wait_renew(ifplex_bconn *c, struct sock_waiter *w)
{
	if (w)
		atomic_store(&w->seen, atomic_load(&c->changes));
}

void sock_wait_end(ifplex_bconn *c, struct sock_waiter *w)
{
	if (!w)
		return;
	atomic_fetch_sub_explicit(&c->waiters, 1, memory_order_relaxed);
	atomic_store(&w->on, NULL);
	if (atomic_load(&w->kicks) == 0)
		return; /* a waker seeing on set after this sends nothing */
	/* A waker sends under the lock: once it is ours, what was sent is
	 * pending here, and is handled as this system call returns. */
	sigset_t pending;
	pthread_mutex_lock(&registry);
	pthread_mutex_unlock(&registry);
	sigpending(&pending);
	atomic_store(&w->kicks, 0);
}

int sock_wait_fd(const struct sock_waiter *w)
{
	return w ? w->rfd : -1;
}

void sock_wait_take(struct sock_waiter *w)
{
	if (w && w->rfd >= 0)
		sock_os_wake_take(w->rfd);
}

/* Signal (or post to) every waiter on c that has not seen change gen;
 * whether any was left to wake. */
static int wake_round(ifplex_bconn *c, uint64_t gen, int signals)
{
	int left = 0;

	pthread_mutex_lock(&registry);
	for (struct sock_waiter *w = waiters; w; w = w->next) {
		if (atomic_load(&w->on) != c || atomic_load(&w->seen) >= gen)
			continue;
		left = 1;
		if (!signals) {
			if (w->wfd >= 0)
				sock_os_wake_post(w->wfd, 1);
			continue;
		}
		atomic_fetch_add(&w->kicks, 1);
		if (atomic_load(&w->on) != c || pthread_kill(w->thread, KICK_SIGNAL) != 0)
			atomic_fetch_sub(&w->kicks, 1);
	}
	pthread_mutex_unlock(&registry);
	return left;
}

void sock_wake(ifplex_bconn *c, uint64_t gen)
{
	if (atomic_load(&c->waiters) == 0)
		return;
	int signals = atomic_load(&kick_state) > 0;
	/* A posted token stays until taken: one round is enough. */
	if (!signals) {
		wake_round(c, gen, 0);
		return;
	}
	struct timespec pause = {0, 20000};
	for (int64_t waited = 0; wake_round(c, gen, 1) && waited < KICK_PATIENCE_NS; waited += pause.tv_nsec) {
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 10000000)
			pause.tv_nsec *= 2;
		if (!kick_still_ours())
			break;
	}
}
