/* SPDX-License-Identifier: MIT */
/* Locks of objects (a change subscription) on Windows, which has no
 * fork(): a slim reader/writer lock used exclusively. */
#include "events.h"

#include <stdlib.h>
#include <windows.h>

struct ifplex__mutex {
	SRWLOCK l;
};

struct ifplex__mutex *ifplex__mutex_new(void)
{
	struct ifplex__mutex *m = malloc(sizeof *m);

	if (m)
		InitializeSRWLock(&m->l);
	return m;
}

void ifplex__mutex_free(struct ifplex__mutex *m)
{
	free(m);
}

void ifplex__mutex_lock(struct ifplex__mutex *m)
{
	AcquireSRWLockExclusive(&m->l);
}

void ifplex__mutex_unlock(struct ifplex__mutex *m)
{
	ReleaseSRWLockExclusive(&m->l);
}
