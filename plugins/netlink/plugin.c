/* SPDX-License-Identifier: MIT */
/* The netlink backend: Linux interfaces and addresses over rtnetlink,
 * sockets and lookups from plugins/common. */
#include "nl.h"
#include "../common/sock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nl_open_state(const struct ifplex_host *host, void **state)
{
	struct nl_state *st = host->alloc(sizeof *st);

	if (!st)
		return IFPLEX_ENOMEM;
	st->host = host;
	st->sock.fd = -1;
	int rc = cache_init(&st->cache, host);
	if (rc < 0) {
		host->free(st);
		return rc;
	}
	pthread_mutex_init(&st->lock, NULL);
	if ((rc = nl_fork_register(st)) < 0) {
		cache_free(&st->cache);
		pthread_mutex_destroy(&st->lock);
		host->free(st);
		return rc;
	}
	sock_set_host(host);
	*state = st;
	/* The socket opens on first use, so that choosing the backend is free. */
	return 0;
}

static void nl_close_state(void *state)
{
	struct nl_state *st = state;

	nl_fork_unregister(st);
	cache_free(&st->cache);
	nl_close(&st->sock);
	pthread_mutex_destroy(&st->lock);
	st->host->free(st);
}

static int nl_interfaces(void *state, struct ifplex_iface **list, size_t *count)
{
	struct nl_state *st = state;
	struct vec v;

	int rc = cache_enter(&st->cache, st, CACHE_LINKS);
	if (rc != 0) {
		if (rc == 1) {
			rc = table_copy_links(&st->cache.t, st->host, list, count);
			pthread_rwlock_unlock(&st->cache.rw);
		}
		return rc;
	}
	vec_init(&v, st->host, sizeof(struct ifplex_iface));
	pthread_mutex_lock(&st->lock);
	rc = nl_links_dump(st, &v);
	pthread_mutex_unlock(&st->lock);
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}

/* One link from the cache's hash tables, or one targeted request. */
int nl_one_link(struct nl_state *st, int index, const char *name, struct ifplex_iface *out)
{
	int rc = cache_enter(&st->cache, st, CACHE_LINKS);

	if (rc == 1) {
		const struct ifplex_iface *f = name ? table_by_name(&st->cache.t, name)
						    : table_by_index(&st->cache.t, index);
		if (f)
			*out = *f;
		pthread_rwlock_unlock(&st->cache.rw);
		return f ? 0 : IFPLEX_ENOIFACE;
	}
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&st->lock);
	rc = nl_link_get(st, index, name, out);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int nl_by_index(void *state, int index, struct ifplex_iface *out)
{
	return nl_one_link(state, index, NULL, out);
}

static int nl_by_name(void *state, const char *name, struct ifplex_iface *out)
{
	return nl_one_link(state, 0, name, out);
}

/* Every address from the snapshot: one allocation, one copy. */
static int copy_snapshot_addrs(struct nl_state *st, struct ifplex_snapshot *s, struct ifplex_addr **list,
			       size_t *count)
{
	const struct ifplex_host *h = st->host;
	size_t bytes = s->naddrs * sizeof **list;
	struct ifplex_addr *out = IFPLEX_HOST_HAS(h, alloc_raw) ? h->alloc_raw(bytes ? bytes : 1) : h->alloc(bytes ? bytes : 1);

	if (out)
		memcpy(out, s->addrs, bytes);
	h->snapshot_put(s);
	if (!out)
		return IFPLEX_ENOMEM;
	*list = out;
	*count = bytes / sizeof *out;
	return 0;
}

static int nl_interface_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	struct nl_state *st = state;
	struct ifplex_snapshot *s;
	int rc = 0;

	if (index == 0) {
		rc = cache_snapshot(&st->cache, st, &s);
		if (rc == 0)
			return copy_snapshot_addrs(st, s, list, count);
		if (rc < 0 && rc != IFPLEX_ENOTSUP)
			return rc;
	}
	/* 1: auto's first calls, already counted: served from dumps. */
	if (rc != 1)
		rc = cache_enter(&st->cache, st, CACHE_ADDRS);
	else
		rc = 0;
	if (rc != 0) {
		if (rc == 1) {
			rc = table_copy_addrs(&st->cache.t, st->host, index, list, count);
			pthread_rwlock_unlock(&st->cache.rw);
		}
		return rc;
	}
	pthread_mutex_lock(&st->lock);
	rc = nl_addrs(st, index, list, count);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int nl_multicast_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	struct nl_state *st = state;

	if (index) {
		struct ifplex_iface ifi;
		int rc = nl_by_index(st, index, &ifi);
		if (rc < 0)
			return rc;
	}
	const char *source = NULL;
	int rc = nl_multicast(st, index, list, count, &source);
	if (source)
		atomic_store(&st->mcast_source, source);
	return rc;
}

static uint64_t nl_generation(void *state)
{
	struct nl_state *st = state;
	return cache_generation(&st->cache, st);
}

static int nl_cache_reset(void *state)
{
	struct nl_state *st = state;
	return cache_reset(&st->cache);
}

static int nl_snapshot(void *state, struct ifplex_snapshot **out)
{
	struct nl_state *st = state;
	int rc = cache_snapshot(&st->cache, st, out);

	return rc == 1 ? IFPLEX_ENOTSUP : rc;
}

static const struct ifplex_backend netlink_backend = {
	.abi = IFPLEX_BACKEND_ABI,
	.size = sizeof(struct ifplex_backend),
	.name = "netlink",
	.caps = IFPLEX_CAP_INTERFACES | IFPLEX_CAP_ADDRS | IFPLEX_CAP_MULTICAST_ADDRS | IFPLEX_CAP_GENERATION |
		IFPLEX_CAP_EVENTS | IFPLEX_CAP_DETAILS | SOCK_BACKEND_CAPS,
	.open = nl_open_state,
	.close = nl_close_state,
	.describe = nl_describe,
	.interfaces = nl_interfaces,
	.interface_by_index = nl_by_index,
	.interface_by_name = nl_by_name,
	.interface_addrs = nl_interface_addrs,
	.multicast_addrs = nl_multicast_addrs,
	.generation = nl_generation,
	.cache_reset = nl_cache_reset,
	SOCK_BACKEND_OPS,
	/* Events and details (issue 15). */
	.events_open = nl_events_open,
	.events_read = nl_events_read,
	.events_wait = nl_events_wait,
	.events_wait_fd = nl_events_wait_fd,
	.events_close = nl_events_close,
	.link_details = nl_link_details,
	.addr_details = nl_addr_details,
	.snapshot = nl_snapshot,
};

IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &netlink_backend;
}
