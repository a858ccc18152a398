/* SPDX-License-Identifier: MIT */
/* What ipifc/N/status tells beyond Go's records, as ipifcstate() in
 * sys/src/9/ip/ipifc.c writes it (9front and the 4th edition alike): the
 * head line's sfixedformat ends "pktin %lud pktout %lud errin %lud errout
 * %lud" (ifc->in, out, inerr, outerr: packet and error counters of this
 * interface; no byte counts, no drops, Plan 9 keeps none), and each
 * address line's slineformat ends with lifc->validlt and lifc->preflt.
 * /net/ipifc/stats is no per-interface source: ipifcstats() hands it to
 * ipstats(), the IP MIB of the whole stack.
 *
 * The lifetimes are the ones configured (add6, or ~0 for none), counted
 * from lifc->origint, which no file shows (ipifcremove6 and ipv6local test
 * validlt < now - origint): so finite ones are given as totals
 * (IFPLEX_AD_LIFETIMES_TOTAL), never as seconds left; an address with
 * neither limit has forever left, which is exact (IFPLEX_AD_LIFETIMES).
 * Kind, operational state, carrier, master and the rest stay absent: /net
 * has no such facts. */
#include "p9.h"
#include "../common/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int p9_link_details(void *state, int index, struct ifplex_link_details *out)
{
	struct p9 *p = state;
	struct ifplex_iface ifi;
	char *status = malloc(P9_STATUS_MAX);
	size_t slen;

	if (!status)
		return IFPLEX_ENOMEM;
	int rc = p9_read_iface(p, index - 1, &ifi, status, &slen);
	if (rc == 0) {
		const char *nl = memchr(status, '\n', slen);
		rc = p9_parse_status_counters(status, nl ? (size_t)(nl - status) : slen, &out->stats);
		if (rc > 0)
			out->present |= IFPLEX_LD_STATS_PACKETS | IFPLEX_LD_STATS_ERRORS;
		if (rc < 0) {
			char msg[320];
			snprintf(msg, sizeof msg, "invalid interface status file: %s/status", ifi.name);
			rc = p->host->fail_text(msg, IFPLEX_EMALFORMED);
		}
	}
	free(status);
	return rc < 0 ? rc : 0;
}

struct details_ctx {
	struct p9 *p;
	struct vec *v;
};

static int push_details(const struct ifplex_addr *a, const char *line, size_t len, void *arg)
{
	struct details_ctx *c = arg;
	struct ifplex_addr_details *d = vec_push(c->v);

	if (!d)
		return IFPLEX_ENOMEM;
	d->size = sizeof *d;
	d->addr = *a;
	if (p9_parse_status_lifetimes(line, len, &d->valid_lft, &d->preferred_lft) < 0)
		return c->p->host->fail_text("invalid address lifetimes in an interface status file",
					     IFPLEX_EMALFORMED);
	int forever = d->valid_lft == IFPLEX_LIFETIME_FOREVER && d->preferred_lft == IFPLEX_LIFETIME_FOREVER;
	d->present = forever ? IFPLEX_AD_LIFETIMES : IFPLEX_AD_LIFETIMES_TOTAL;
	return 0;
}

int p9_addr_details(void *state, int index, struct ifplex_addr_details **list, size_t *count)
{
	struct p9 *p = state;
	struct vec v;
	struct details_ctx c = {p, &v};

	vec_init(&v, p->host, sizeof(struct ifplex_addr_details));
	int rc = p9_each_addr(p, index, push_details, &c);
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}
