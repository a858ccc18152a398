/* SPDX-License-Identifier: MIT */
/* Locks of objects (a change subscription) that a fork() in another thread
 * must not leave held in the child: every one is taken before the fork and
 * released after it in both processes, as glibc does with its own.  None
 * is held across a wait, so taking them all before a fork ends soon. */
#include "events.h"

#include <pthread.h>
#include <stdlib.h>

struct ifplex__mutex {
	pthread_mutex_t m;
	struct ifplex__mutex *prev, *next;
};

static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static struct ifplex__mutex *all;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int installed;

static void prepare(void)
{
	pthread_mutex_lock(&registry);
	for (struct ifplex__mutex *m = all; m; m = m->next)
		pthread_mutex_lock(&m->m);
}

static void release(void)
{
	for (struct ifplex__mutex *m = all; m; m = m->next)
		pthread_mutex_unlock(&m->m);
	pthread_mutex_unlock(&registry);
}

static void install(void)
{
	installed = pthread_atfork(prepare, release, release) == 0;
}

struct ifplex__mutex *ifplex__mutex_new(void)
{
	pthread_once(&once, install);
	if (!installed)
		return NULL;
	struct ifplex__mutex *m = calloc(1, sizeof *m);
	if (!m || pthread_mutex_init(&m->m, NULL) != 0) {
		free(m);
		return NULL;
	}
	pthread_mutex_lock(&registry);
	m->next = all;
	if (all)
		all->prev = m;
	all = m;
	pthread_mutex_unlock(&registry);
	return m;
}

void ifplex__mutex_free(struct ifplex__mutex *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&registry);
	if (m->prev)
		m->prev->next = m->next;
	else
		all = m->next;
	if (m->next)
		m->next->prev = m->prev;
	pthread_mutex_unlock(&registry);
	pthread_mutex_destroy(&m->m);
	free(m);
}

void ifplex__mutex_lock(struct ifplex__mutex *m)
{
	pthread_mutex_lock(&m->m);
}

void ifplex__mutex_unlock(struct ifplex__mutex *m)
{
	pthread_mutex_unlock(&m->m);
}
