/* SPDX-License-Identifier: MIT */
/* describe(): facts for `ifplex backends` and counters for tests and
 * benchmarks.  Mode and source names are static strings, valid for ever.
 * A counter or the reason for the cache mode is written into the calling
 * thread's own buffer for that key, so that the text stays as it is until
 * the same thread describes the same key again (no other thread, and no
 * other key, ever rewrites it); NULL when that buffer cannot be had. */
#include "nl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const counters[] = {"netlink_requests", "cache_resyncs", "cache_relists", "cache_build_ns",
				       "cache_bpf_setup_ns", "cache_link_bytes", "cache_addr_bytes",
				       "cache_partial_resyncs", "cache_grows", "cache_ring_bytes", "cache_snapshots",
				       "cache_bpf_arm_calls"};
#define NCOUNTERS (sizeof counters / sizeof counters[0])

struct texts {
	char counter[NCOUNTERS][24];
	char why[sizeof ((struct cache *)0)->why];
};

static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int key_ok;

static void make_key(void)
{
	key_ok = pthread_key_create(&key, free) == 0;
}

/* This thread's buffers, made on its first describe(). */
static struct texts *thread_texts(void)
{
	pthread_once(&key_once, make_key);
	if (!key_ok)
		return NULL;
	struct texts *t = pthread_getspecific(key);
	if (!t && (t = calloc(1, sizeof *t)) && pthread_setspecific(key, t) != 0) {
		free(t);
		t = NULL;
	}
	return t;
}

static unsigned long long counter(struct nl_state *st, size_t k)
{
	struct cache *c = &st->cache;
	unsigned long long v;

	switch (k) {
	case 0:
		return atomic_load(&st->sock.requests_total);
	case 1:
		return atomic_load(&c->resyncs);
	case 2:
		return atomic_load(&c->relists);
	case 3:
		return (unsigned long long)atomic_load(&c->build_ns);
	case 4:
		return (unsigned long long)atomic_load(&c->bpf_setup_ns);
	case 7:
		return atomic_load(&c->partial);
	case 8:
		return atomic_load(&c->grows);
	case 9:
		return atomic_load(&c->ring_bytes);
	case 10:
		return atomic_load(&c->snapshots);
	case 11:
		return atomic_load(&c->arm_calls);
	default:
		pthread_rwlock_rdlock(&c->rw);
		v = table_bytes(&c->t, k == 6);
		pthread_rwlock_unlock(&c->rw);
		return v;
	}
}

const char *nl_describe(void *state, const char *key_name)
{
	struct nl_state *st = state;
	char why[128];

	if (strcmp(key_name, "cache") == 0)
		return cache_mode_name(&st->cache);
	if (strcmp(key_name, "cache_modes") == 0)
		return nl_bpf_available(why, sizeof why) ? "ebpf notify off" : "notify off";
	if (strcmp(key_name, "mcast_source") == 0) {
		const char *s = atomic_load(&st->mcast_source);
		return s ? s : "none yet";
	}
	if (strcmp(key_name, "cache_why") == 0) {
		struct texts *t = thread_texts();
		if (!t)
			return NULL;
		cache_why(&st->cache, t->why, sizeof t->why);
		return t->why;
	}
	for (size_t k = 0; k < NCOUNTERS; k++)
		if (strcmp(key_name, counters[k]) == 0) {
			struct texts *t = thread_texts();
			if (!t)
				return NULL;
			snprintf(t->counter[k], sizeof t->counter[k], "%llu", counter(st, k));
			return t->counter[k];
		}
	return NULL;
}
