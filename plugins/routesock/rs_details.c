/* SPDX-License-Identifier: MIT */
/* Link and address details from routing messages: what RTM_IFINFO's
 * if_data and RTM_NEWADDR's sockaddrs and flags tell.  What a BSD does not
 * say through them (master, lower link, queues, alternative names, an
 * address's label, scope numbers of its own and lifetimes, which take
 * ioctls) stays absent. */
#include "rs_plugin.h"

#include <stdio.h>
#include <string.h>

struct want {
	const struct rs_layout *layout;
	int index, found;
	struct ifplex_link_details *out;
};

static void fill_link(const struct rs_layout *l, const struct ifplex_iface *ifi, const struct rs_ifdata *d,
		      struct ifplex_link_details *out)
{
	const char *kind = rs_ift_kind(l, d->type);
	static const struct {
		unsigned a, b;
		uint64_t bit;
	} pairs[] = {{RS_IPACKETS, RS_OPACKETS, IFPLEX_LD_STATS_PACKETS},
		     {RS_IBYTES, RS_OBYTES, IFPLEX_LD_STATS_BYTES},
		     {RS_IERRORS, RS_OERRORS, IFPLEX_LD_STATS_ERRORS},
		     {RS_IQDROPS, RS_OQDROPS, IFPLEX_LD_STATS_DROPS}};
	uint64_t *stats[][2] = {{&out->stats.rx_packets, &out->stats.tx_packets},
				{&out->stats.rx_bytes, &out->stats.tx_bytes},
				{&out->stats.rx_errors, &out->stats.tx_errors},
				{&out->stats.rx_dropped, &out->stats.tx_dropped}};

	if (kind) {
		snprintf(out->kind, sizeof out->kind, "%s", kind);
		out->present |= IFPLEX_LD_KIND;
	}
	/* Administratively down is down whatever the medium says (as Linux's
	 * operstate); otherwise the link state decides, where there is one. */
	if (!(ifi->flags & IFPLEX_IFF_UP)) {
		out->operstate = IFPLEX_OPER_DOWN;
		out->present |= IFPLEX_LD_OPERSTATE;
	} else if (d->has & RS_DATA_LINK_STATE) {
		out->operstate = d->link_state > 0 ? IFPLEX_OPER_UP
				 : d->link_state < 0 ? IFPLEX_OPER_DOWN
						     : IFPLEX_OPER_UNKNOWN;
		out->present |= IFPLEX_LD_OPERSTATE;
	}
	if ((d->has & RS_DATA_LINK_STATE) && d->link_state != 0) {
		out->carrier = d->link_state > 0;
		out->present |= IFPLEX_LD_CARRIER;
	}
	/* A pair is present when both directions are: a system without
	 * output drops (NetBSD, xnu's if_data) has no drops at all. */
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		if (!(d->ctr_has & 1u << pairs[i].a) || !(d->ctr_has & 1u << pairs[i].b))
			continue;
		*stats[i][0] = d->ctr[pairs[i].a];
		*stats[i][1] = d->ctr[pairs[i].b];
		out->present |= pairs[i].bit;
	}
}

static int on_ifdata(void *arg, const struct ifplex_iface *ifi, const struct rs_ifdata *d)
{
	struct want *w = arg;

	if (ifi->index != w->index || w->found)
		return 0;
	w->found = 1;
	fill_link(w->layout, ifi, d, w->out);
	return 0;
}

int rs_link_details(void *state, int index, struct ifplex_link_details *out)
{
	struct rs_state *st = state;
	struct rs_dump d;
	struct want w = {.index = index, .out = out};
	struct rs_sink sink = {.arg = &w, .ifdata = on_ifdata};
	int rc = rs_load(st, RS_DETAILS_WHAT, index, &d);

	if (rc == 0) {
		w.layout = d.layout;
		rc = rs_parse_dump(st, &d, (int)d.layout->details_what, &sink);
	}
	rs_dump_free(&d);
	if (rc == 0 && !w.found)
		rc = IFPLEX_ENOIFACE;
	return rc;
}

/* RFC 4007's scopes, as both the KAME kernels and Linux give IPv6
 * addresses (in6_addrscope, ipv6_addr_scope); IPv4 has none on a BSD. */
static int scope6(const struct ifplex_ip *ip)
{
	static const uint8_t loopback[16] = {[15] = 1};

	if (memcmp(ip->b, loopback, 16) == 0)
		return IFPLEX_SCOPE_HOST;
	if (ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0x80)
		return IFPLEX_SCOPE_LINK;
	if (ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0xc0)
		return IFPLEX_SCOPE_SITE;
	return IFPLEX_SCOPE_GLOBAL;
}

int rs_addr_details(void *state, int index, struct ifplex_addr_details **list, size_t *count)
{
	struct rs_state *st = state;
	struct ifplex_addr *addrs = NULL;
	size_t n = 0;
	struct vec extra, out;
	int rc;

	vec_init(&extra, st->host, sizeof(struct rs_addr_extra));
	vec_init(&out, st->host, sizeof(struct ifplex_addr_details));
	rc = rs_list_addrs(st, index, &addrs, &n, &extra);
	if (rc == 0 && n != extra.len)
		rc = IFPLEX_ENOMEM; /* cannot happen: one extra per address */
	if (rc == 0)
		rc = vec_reserve(&out, n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct rs_addr_extra *x = (const struct rs_addr_extra *)extra.data + i;
		struct ifplex_addr_details *dt = vec_push(&out);
		dt->size = sizeof *dt;
		dt->addr = addrs[i];
		if (addrs[i].ip.len == 16) {
			dt->scope = scope6(&addrs[i].ip);
			dt->present |= IFPLEX_AD_SCOPE;
		}
		if (x->msg.has_flags) {
			dt->flags = x->msg.flags;
			dt->present |= IFPLEX_AD_FLAGS;
		}
		/* RTAX_BRD holds the far end on a point-to-point link. */
		if (x->msg.has_brd) {
			if (x->peer)
				dt->peer = x->msg.brd;
			else
				dt->broadcast = x->msg.brd;
			dt->present |= x->peer ? IFPLEX_AD_PEER : IFPLEX_AD_BROADCAST;
		}
	}
	if (rc == 0)
		rc = vec_take(&out, list, count);
	vec_free(&out);
	vec_free(&extra);
	st->host->free(addrs);
	return rc;
}
