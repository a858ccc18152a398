/* The netlink backend: Linux interfaces and addresses over rtnetlink,
 * sockets and lookups from plugins/common. */
#include "nl.h"
#include "../common/posix.h"

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
	pthread_mutex_init(&st->lock, NULL);
	posix_set_host(host);
	*state = st;
	/* The socket opens on first use, so that choosing the backend is free. */
	return 0;
}

static void nl_close_state(void *state)
{
	struct nl_state *st = state;

	nl_close(&st->sock);
	pthread_mutex_destroy(&st->lock);
	st->host->free(st);
}

static const char *nl_describe(void *state, const char *key)
{
	if (strcmp(key, "cache") == 0)
		return "off";
	if (strcmp(key, "cache_modes") == 0)
		return "off";
	if (strcmp(key, "cache_why") == 0)
		return "this build answers every call from rtnetlink dumps";
	if (strcmp(key, "netlink_requests") == 0) {
		/* Requests sent so far, so that tests can count dumps. */
		struct nl_state *st = state;
		pthread_mutex_lock(&st->lock);
		snprintf(st->requests_text, sizeof st->requests_text, "%u", st->sock.requests_total);
		pthread_mutex_unlock(&st->lock);
		return st->requests_text;
	}
	return NULL;
}

static int nl_interfaces(void *state, struct ifplex_iface **list, size_t *count)
{
	struct nl_state *st = state;
	struct vec v;

	vec_init(&v, st->host, sizeof(struct ifplex_iface));
	pthread_mutex_lock(&st->lock);
	int rc = nl_links_dump(st, &v);
	pthread_mutex_unlock(&st->lock);
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}

static int nl_by_index(void *state, int index, struct ifplex_iface *out)
{
	struct nl_state *st = state;

	pthread_mutex_lock(&st->lock);
	int rc = nl_link_get(st, index, NULL, out);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int nl_by_name(void *state, const char *name, struct ifplex_iface *out)
{
	struct nl_state *st = state;

	pthread_mutex_lock(&st->lock);
	int rc = nl_link_get(st, 0, name, out);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int nl_interface_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	struct nl_state *st = state;

	pthread_mutex_lock(&st->lock);
	int rc = nl_addrs(st, index, list, count);
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
	const char *proc = st->host->getenv("IFPLEX_NETLINK_PROC");
	return mcast_proc(st->host, proc && *proc ? proc : "/proc/net", index, list, count);
}

static const struct ifplex_backend netlink_backend = {
	.abi = IFPLEX_BACKEND_ABI,
	.size = sizeof(struct ifplex_backend),
	.name = "netlink",
	.caps = IFPLEX_CAP_INTERFACES | IFPLEX_CAP_ADDRS | IFPLEX_CAP_MULTICAST_ADDRS |
		POSIX_SOCKET_CAPS,
	.open = nl_open_state,
	.close = nl_close_state,
	.describe = nl_describe,
	.interfaces = nl_interfaces,
	.interface_by_index = nl_by_index,
	.interface_by_name = nl_by_name,
	.interface_addrs = nl_interface_addrs,
	.multicast_addrs = nl_multicast_addrs,
	POSIX_SOCKET_OPS,
};

IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &netlink_backend;
}
