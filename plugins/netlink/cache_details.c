/* SPDX-License-Identifier: MIT */
/* Link and address details kept beside the cache's table: parsed from the
 * same RTM_NEWLINK and RTM_NEWADDR messages the table applies (dumps and
 * notifications alike), read back into the public structs.  Statistics are
 * not here: the kernel announces no counter change, so nl_details.c asks
 * for them on each call.
 *
 * Lifetimes.  IFA_CACHEINFO gives the seconds left when the kernel wrote
 * the message; kept as that, they would be wrong a moment later.  So a
 * detail keeps the absolute expiry on CLOCK_MONOTONIC: the message's time
 * plus the seconds left, and a read gives the seconds from now to it,
 * rounded up (the kernel's count drops a second at whole seconds after it
 * set the lifetimes; ours at whole seconds after the message, never below
 * the kernel's at the same moment and at most one above).  The message's
 * time is when the table applied it: exact for a dump, which is read as it
 * is written; a notification may have waited in the socket or the BPF ring
 * until the next call (neither records when it came), which would push the
 * expiry later by that wait.  But the kernel sets lifetimes together with
 * the cacheinfo's tstamp, so a notification with the tstamp already held
 * (duplicate address detection ended, the address was deprecated) carries
 * the lifetimes known before: the earlier expiry stands. */
#define _GNU_SOURCE
#include "nl.h"

#include <linux/if_addr.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#define LD_STATS (IFPLEX_LD_STATS_PACKETS | IFPLEX_LD_STATS_BYTES | IFPLEX_LD_STATS_ERRORS | IFPLEX_LD_STATS_DROPS)
#define FOREVER_NS INT64_MAX

int64_t detail_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int detail_link_parse(const struct nlmsghdr *h, struct link_detail *d, char *alt)
{
	struct ifplex_link_details x;
	size_t off = 0;

	memset(&x, 0, sizeof x);
	int rc = nl_parse_link_details(h, &x);
	if (rc < 0)
		return rc;
	memset(d, 0, sizeof *d);
	d->present = (uint32_t)(x.present & ~(uint64_t)LD_STATS);
	d->operstate = (uint8_t)x.operstate;
	d->carrier = (uint8_t)x.carrier;
	d->naltnames = x.naltnames > UINT16_MAX ? UINT16_MAX : (uint16_t)x.naltnames;
	d->master = x.master;
	d->link = x.link;
	d->link_netnsid = x.link_netnsid;
	d->txqlen = x.txqlen;
	d->ntxq = x.num_tx_queues;
	d->nrxq = x.num_rx_queues;
	memcpy(d->kind, x.kind, sizeof d->kind); /* both 32 bytes, NUL inside */
	for (unsigned i = 0; i < x.naltnames && i < IFPLEX_ALTNAMES_MAX; i++) {
		size_t n = strlen(x.altnames[i]) + 1;
		memcpy(alt + off, x.altnames[i], n);
		off += n;
	}
	d->alt_len = (uint32_t)off;
	return 0;
}

static int64_t until(int64_t now, uint32_t left)
{
	return left == IFPLEX_LIFETIME_FOREVER ? FOREVER_NS : now + (int64_t)left * 1000000000;
}

int detail_addr_parse(const struct nlmsghdr *h, size_t alen, int64_t now, struct addr_detail *d)
{
	struct ifplex_addr_details x = {0};
	uint32_t tstamp;
	int rc = nl_parse_addr_extra(h, alen, &x, &tstamp);

	if (rc < 0)
		return rc;
	size_t label = strlen(x.label);
	if (label >= sizeof d->label)
		return IFPLEX_EMALFORMED; /* longer than the kernel allows */
	memset(d, 0, sizeof *d);
	d->scope = ((const struct ifaddrmsg *)NLMSG_DATA(h))->ifa_scope;
	d->peer = x.peer;
	d->broadcast = x.broadcast;
	memcpy(d->label, x.label, label + 1);
	if (x.present & IFPLEX_AD_LIFETIMES) {
		d->lifetimes = 1;
		d->tstamp = tstamp;
		d->valid_until = until(now, x.valid_lft);
		d->preferred_until = until(now, x.preferred_lft);
	}
	return 0;
}

void detail_addr_merge(struct addr_detail *d, const struct addr_detail *old)
{
	if (!old || !old->lifetimes || !d->lifetimes || old->tstamp != d->tstamp)
		return;
	/* Both bound the same expiry from above: the earlier is nearer. */
	if (old->valid_until < d->valid_until)
		d->valid_until = old->valid_until;
	if (old->preferred_until < d->preferred_until)
		d->preferred_until = old->preferred_until;
}

/* Seconds from now to an expiry, rounded up (see the top). */
static uint32_t left(int64_t at, int64_t now)
{
	if (at == FOREVER_NS)
		return IFPLEX_LIFETIME_FOREVER;
	if (at <= now)
		return 0;
	int64_t s = (at - now + 999999999) / 1000000000;
	return s >= IFPLEX_LIFETIME_FOREVER ? IFPLEX_LIFETIME_FOREVER - 1 : (uint32_t)s;
}

int detail_link_get(const struct table *t, int index, struct ifplex_link_details *out)
{
	long l = table_link_slot(t, index);

	if (l < 0)
		return IFPLEX_ENOIFACE;
	const struct link_detail *d = &t->ld[l];
	const char *alt = t->names + d->alt_off;
	out->present |= d->present;
	memcpy(out->kind, d->kind, sizeof out->kind);
	out->operstate = d->operstate;
	out->carrier = d->carrier;
	out->master = d->master;
	out->link = d->link;
	out->link_netnsid = d->link_netnsid;
	out->txqlen = d->txqlen;
	out->num_tx_queues = d->ntxq;
	out->num_rx_queues = d->nrxq;
	out->naltnames = d->naltnames;
	for (unsigned i = 0, off = 0; off < d->alt_len && i < IFPLEX_ALTNAMES_MAX; i++) {
		size_t n = strlen(alt + off) + 1;
		memcpy(out->altnames[i], alt + off, n);
		off += (unsigned)n;
	}
	return 0;
}

static void write_details(const struct table *t, size_t i, int64_t now, struct ifplex_addr_details *o)
{
	const struct addr_detail *d = &t->ad[i];

	o->size = sizeof *o;
	o->present = IFPLEX_AD_FLAGS | IFPLEX_AD_SCOPE | IFPLEX_AD_PEER | IFPLEX_AD_BROADCAST | IFPLEX_AD_LABEL;
	table_addr_record(t, i, &o->addr);
	o->flags = nl_addr_flags(t->addrs[i].flags, t->addrs[i].ip.len);
	o->scope = d->scope;
	o->peer = d->peer;
	o->broadcast = d->broadcast;
	memcpy(o->label, d->label, sizeof d->label);
	if (d->lifetimes) {
		o->present |= IFPLEX_AD_LIFETIMES;
		o->valid_lft = left(d->valid_until, now);
		o->preferred_lft = left(d->preferred_until, now);
	}
}

/* The addresses of link slot l, family f (0 IPv4, 1 IPv6), into o. */
static size_t chain_details(const struct table *t, size_t l, int f, int64_t now,
			    struct ifplex_addr_details *o)
{
	size_t n = 0;

	for (int i = t->lm[l].head[f]; i >= 0; i = t->addrs[i].next)
		write_details(t, (size_t)i, now, &o[n++]);
	return n;
}

int detail_addrs_get(const struct table *t, const struct ifplex_host *host, int index,
		     struct ifplex_addr_details **list, size_t *count)
{
	size_t n = 0, first = 0, last = t->nlinks;
	int64_t now = detail_now();

	if (index) {
		long l = table_link_slot(t, index);
		if (l < 0)
			return IFPLEX_ENOIFACE;
		first = (size_t)l;
		last = first + 1;
		for (int f = 0; f < 2; f++)
			for (int i = t->lm[l].head[f]; i >= 0; i = t->addrs[i].next)
				n++;
	} else {
		n = t->chained[0] + t->chained[1]; /* orphans are not listed */
	}
	struct ifplex_addr_details *out = host->alloc(n ? n * sizeof *out : 1);
	if (!out)
		return IFPLEX_ENOMEM;
	n = 0;
	/* As a dump lists them: every IPv4 address by link, then every IPv6. */
	for (int f = 0; f < 2; f++)
		for (size_t l = first; l < last; l++)
			if (t->lm[l].live)
				n += chain_details(t, l, f, now, out + n);
	*list = out;
	*count = n;
	return 0;
}
