/* SPDX-License-Identifier: MIT */
/* The xdp datapath plugin: configuration, state, and the slots it fills.
 * It serves UDP conversations only; the core gives it nothing else and
 * hands what it passes on (IFPLEX_DATAPATH_PASS) to the interface backend. */
#include "xdp.h"

#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int xdp_open_state(const struct ifplex_host *host, void **state)
{
	char why[300];
	int rc;

	if (!IFPLEX_HOST_HAS(host, iface_by_name) || !IFPLEX_HOST_HAS(host, iface_addrs) ||
	    !IFPLEX_HOST_HAS(host, ip_string))
		return host->fail_text("xdp: the core lends no interface lookups (ABI 2 datapath slots)",
				       IFPLEX_ENOTSUP);
	struct xdp_state *st = host->alloc(sizeof *st);
	if (!st)
		return IFPLEX_ENOMEM;
	st->host = host;
	st->rt.fd = -1;
	const char *cfg = host->getenv("IFPLEX_XDP");
	if ((rc = xdp_cfg_parse(cfg ? cfg : "", cfg ? strlen(cfg) : 0, &st->cfg, why, sizeof why)) < 0)
		goto fail;
	const char *mode = host->getenv("IFPLEX_XDP_MODE");
	if (mode && strcmp(mode, "native") == 0) {
		st->force_mode = XDP_FLAGS_DRV_MODE;
	} else if (mode && strcmp(mode, "generic") == 0) {
		st->force_mode = XDP_FLAGS_SKB_MODE;
	} else if (mode && *mode && strcmp(mode, "auto") != 0) {
		snprintf(why, sizeof why, "IFPLEX_XDP_MODE=%.40s: not native, generic or auto", mode);
		rc = IFPLEX_EINVAL;
		goto fail;
	}
	for (int i = 0; i < st->cfg.n; i++) {
		struct ifplex_iface ifi;
		if (host->iface_by_name(st->cfg.e[i].name, &ifi) < 0) {
			snprintf(why, sizeof why, "interface %s (IFPLEX_XDP): no such network interface",
				 st->cfg.e[i].name);
			rc = IFPLEX_ENOIFACE;
			goto fail;
		}
	}
	if ((rc = xdp_route_open(&st->rt)) < 0) {
		snprintf(why, sizeof why, "rtnetlink socket: %s", strerror(-rc));
		goto fail;
	}
	pthread_mutex_init(&st->lock, NULL);
	*state = st;
	return 0;
fail:
	host->free(st);
	char text[400];
	snprintf(text, sizeof text, "xdp: %s", why);
	return host->fail_text(text, rc);
}

static void xdp_close_state(void *state)
{
	struct xdp_state *st = state;

	xdp_route_close(&st->rt);
	pthread_mutex_destroy(&st->lock);
	st->host->free(st);
}

static const struct ifplex_backend xdp_backend = {
	.abi = IFPLEX_BACKEND_ABI,
	.size = sizeof(struct ifplex_backend),
	.name = "xdp",
	.caps = IFPLEX_CAP_UDP | IFPLEX_CAP_DEADLINES | IFPLEX_CAP_BATCH | IFPLEX_CAP_POLL |
		IFPLEX_CAP_LENT,
	.open = xdp_open_state,
	.close = xdp_close_state,
	.describe = xdp_describe,
	.dial = xdp_dial,
	.listen_packet = xdp_listen_packet,
	.close_conn = xdp_close_conn,
	.read = xdp_read,
	.write = xdp_write,
	.read_msg = xdp_read_msg,
	.write_msg = xdp_write_msg,
	.read_batch = xdp_read_batch,
	.write_batch = xdp_write_batch,
	.local_addr = xdp_local_addr,
	.remote_addr = xdp_remote_addr,
	.wait_fd = xdp_wait_fd,
	.conn_caps = xdp_conn_caps,
	.set_deadline = xdp_set_deadline,
	.interrupt = xdp_interrupt,
	.poll = xdp_poll,
	.read_lent = xdp_read_lent,
	.release_lent = xdp_release_lent,
};

IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &xdp_backend;
}
