/* SPDX-License-Identifier: MIT */
/* fork() from a threaded program.  The child has only the forking thread:
 * a lock another thread held at that moment would stay held in the child
 * for ever.  So the prepare handler takes, for every open state, the
 * cache's refresh lock and the request lock (waiting for a dump under way
 * to end), and both processes release them after the fork.  The cache's
 * rwlock is not taken: every writer holds the refresh lock first, so at the
 * fork it has at most readers, which the child does not have; the child
 * makes it anew.  A pthread rwlock cannot be released in the child by the
 * thread that took it before the fork either: glibc tells its writer by
 * thread id, and the child's id differs.  The child then builds its own
 * cache on first use (cache.c notices the new epoch). */
#include "nl.h"

static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int installed;
static struct nl_state *states;     /* every open state, through fork_next */
static _Atomic unsigned epoch;

unsigned nl_fork_epoch(void)
{
	return atomic_load_explicit(&epoch, memory_order_acquire);
}

static void prepare(void)
{
	pthread_mutex_lock(&registry);
	for (struct nl_state *st = states; st; st = st->fork_next) {
		pthread_mutex_lock(&st->cache.refresh);
		cache_fork_prepare(&st->cache);
		pthread_mutex_lock(&st->lock);
	}
}

static void release(void)
{
	for (struct nl_state *st = states; st; st = st->fork_next) {
		pthread_mutex_unlock(&st->lock);
		pthread_mutex_unlock(&st->cache.refresh);
	}
	pthread_mutex_unlock(&registry);
}

static void in_child(void)
{
	/* Before the mutexes go: no other thread exists yet to see the rwlock. */
	for (struct nl_state *st = states; st; st = st->fork_next)
		pthread_rwlock_init(&st->cache.rw, NULL);
	atomic_fetch_add_explicit(&epoch, 1, memory_order_release);
	release();
}

/* Once per process; a failure (no memory) is tried again by the next open. */
static int install(void)
{
	pthread_mutex_lock(&install_lock);
	if (!atomic_load(&installed) && pthread_atfork(prepare, release, in_child) == 0)
		atomic_store(&installed, 1);
	pthread_mutex_unlock(&install_lock);
	return atomic_load(&installed) ? 0 : IFPLEX_ENOMEM;
}

int nl_fork_register(struct nl_state *st)
{
	if (!atomic_load(&installed) && install() < 0)
		return IFPLEX_ENOMEM;
	pthread_mutex_lock(&registry);
	st->fork_next = states;
	states = st;
	pthread_mutex_unlock(&registry);
	return 0;
}

void nl_fork_unregister(struct nl_state *st)
{
	pthread_mutex_lock(&registry);
	for (struct nl_state **p = &states; *p; p = &(*p)->fork_next)
		if (*p == st) {
			*p = st->fork_next;
			break;
		}
	pthread_mutex_unlock(&registry);
}
