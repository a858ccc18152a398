/* SPDX-License-Identifier: MIT */
/* show: everything known about one interface, its details included (what
 * the backend does not know is left out of the text and null in JSON). */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

/* Address flags as `ip addr` prints them. */
static const struct {
	unsigned bit;
	const char *name;
} addr_flags[] = {
	{IFPLEX_ADDRF_SECONDARY, "secondary"},
	{IFPLEX_ADDRF_TEMPORARY, "temporary"},
	{IFPLEX_ADDRF_NODAD, "nodad"},
	{IFPLEX_ADDRF_OPTIMISTIC, "optimistic"},
	{IFPLEX_ADDRF_DADFAILED, "dadfailed"},
	{IFPLEX_ADDRF_HOMEADDRESS, "home"},
	{IFPLEX_ADDRF_DEPRECATED, "deprecated"},
	{IFPLEX_ADDRF_TENTATIVE, "tentative"},
	{IFPLEX_ADDRF_PERMANENT, "permanent"},
	{IFPLEX_ADDRF_MANAGETEMPADDR, "mngtmpaddr"},
	{IFPLEX_ADDRF_NOPREFIXROUTE, "noprefixroute"},
	{IFPLEX_ADDRF_MCAUTOJOIN, "autojoin"},
	{IFPLEX_ADDRF_STABLE_PRIVACY, "stable-privacy"},
};
#define NFLAGS (sizeof addr_flags / sizeof addr_flags[0])

/* The name of link index, or "" (another namespace's, or gone). */
static const char *name_of(int index, struct ifplex_iface *buf)
{
	if (index <= 0 || ifplex_interface_by_index(index, buf) < 0)
		return "";
	return buf->name;
}

static void ip_text(const struct ifplex_ip *ip, char *buf, size_t len)
{
	ifplex_ip_string(ip, buf, len);
}

/* ---- JSON */

static void json_key(const char *key, int present)
{
	printf(",\"%s\":", key);
	if (!present)
		fputs("null", stdout);
}

static void json_u64(const char *key, int present, uint64_t v)
{
	json_key(key, present);
	if (present)
		printf("%llu", (unsigned long long)v);
}

static void json_text(const char *key, int present, const char *v)
{
	json_key(key, present);
	if (present)
		json_string(stdout, v);
}

static void json_link_details(const struct ifplex_link_details *d)
{
	struct ifplex_iface buf;
	uint64_t p = d->present;

	printf(",\"details\":{\"kind\":");
	if (p & IFPLEX_LD_KIND)
		json_string(stdout, d->kind);
	else
		fputs("null", stdout);
	json_text("operstate", p & IFPLEX_LD_OPERSTATE, ifplex_operstate_name(d->operstate));
	json_key("carrier", p & IFPLEX_LD_CARRIER);
	if (p & IFPLEX_LD_CARRIER)
		fputs(d->carrier ? "true" : "false", stdout);
	json_u64("master", p & IFPLEX_LD_MASTER, (uint64_t)d->master);
	json_text("master_name", (p & IFPLEX_LD_MASTER) && d->master, name_of(d->master, &buf));
	json_u64("link", p & IFPLEX_LD_LINK, (uint64_t)d->link);
	json_key("link_netnsid", p & IFPLEX_LD_LINK_NETNSID);
	if (p & IFPLEX_LD_LINK_NETNSID)
		printf("%d", d->link_netnsid);
	json_text("link_name", (p & IFPLEX_LD_LINK) && d->link && d->link_netnsid < 0, name_of(d->link, &buf));
	json_key("altnames", p & IFPLEX_LD_ALTNAMES);
	if (p & IFPLEX_LD_ALTNAMES) {
		putchar('[');
		for (unsigned i = 0; i < d->naltnames && i < IFPLEX_ALTNAMES_MAX; i++) {
			if (i)
				putchar(',');
			json_string(stdout, d->altnames[i]);
		}
		putchar(']');
	}
	json_u64("txqlen", p & IFPLEX_LD_TXQLEN, d->txqlen);
	json_u64("num_tx_queues", p & IFPLEX_LD_QUEUES, d->num_tx_queues);
	json_u64("num_rx_queues", p & IFPLEX_LD_QUEUES, d->num_rx_queues);
	const struct ifplex_link_stats *s = &d->stats;
	printf(",\"stats\":{\"rx_packets\":");
	if (p & IFPLEX_LD_STATS_PACKETS)
		printf("%llu", (unsigned long long)s->rx_packets);
	else
		fputs("null", stdout);
	json_u64("tx_packets", p & IFPLEX_LD_STATS_PACKETS, s->tx_packets);
	json_u64("rx_bytes", p & IFPLEX_LD_STATS_BYTES, s->rx_bytes);
	json_u64("tx_bytes", p & IFPLEX_LD_STATS_BYTES, s->tx_bytes);
	json_u64("rx_errors", p & IFPLEX_LD_STATS_ERRORS, s->rx_errors);
	json_u64("tx_errors", p & IFPLEX_LD_STATS_ERRORS, s->tx_errors);
	json_u64("rx_dropped", p & IFPLEX_LD_STATS_DROPS, s->rx_dropped);
	json_u64("tx_dropped", p & IFPLEX_LD_STATS_DROPS, s->tx_dropped);
	fputs("}}", stdout);
}

static void json_addr_details(const struct ifplex_addr_details *d)
{
	char t[IFPLEX_ADDR_STRLEN];
	uint64_t p = d->present;
	const char *scope = ifplex_scope_name(d->scope);

	ifplex_addr_string(&d->addr, t, sizeof t);
	printf("{\"addr\":");
	json_string(stdout, t);
	json_key("flags", p & IFPLEX_AD_FLAGS);
	if (p & IFPLEX_AD_FLAGS) {
		const char *sep = "";
		putchar('[');
		for (size_t i = 0; i < NFLAGS; i++)
			if (d->flags & addr_flags[i].bit) {
				printf("%s\"%s\"", sep, addr_flags[i].name);
				sep = ",";
			}
		putchar(']');
	}
	json_key("scope", p & IFPLEX_AD_SCOPE);
	if ((p & IFPLEX_AD_SCOPE) && scope)
		json_string(stdout, scope);
	else if (p & IFPLEX_AD_SCOPE)
		printf("%d", d->scope);
	ip_text(&d->peer, t, sizeof t);
	json_text("peer", (p & IFPLEX_AD_PEER) && d->peer.len, t);
	ip_text(&d->broadcast, t, sizeof t);
	json_text("broadcast", (p & IFPLEX_AD_BROADCAST) && d->broadcast.len, t);
	json_text("label", (p & IFPLEX_AD_LABEL) && d->label[0], d->label);
	json_u64("valid_life_time", p & IFPLEX_AD_LIFETIMES, d->valid_lft);
	json_u64("preferred_life_time", p & IFPLEX_AD_LIFETIMES, d->preferred_lft);
	json_u64("valid_life_time_total", p & IFPLEX_AD_LIFETIMES_TOTAL, d->valid_lft);
	json_u64("preferred_life_time_total", p & IFPLEX_AD_LIFETIMES_TOTAL, d->preferred_lft);
	putchar('}');
}

/* ---- text */

static void text_lifetime(const char *what, uint32_t v)
{
	if (v == IFPLEX_LIFETIME_FOREVER)
		printf(" %s forever", what);
	else
		printf(" %s %us", what, (unsigned)v);
}

static void text_link_details(const struct ifplex_link_details *d)
{
	struct ifplex_iface buf;
	uint64_t p = d->present;

	if (p & IFPLEX_LD_KIND)
		printf("  %-9s %s\n", "kind", d->kind[0] ? d->kind : "-");
	if (p & IFPLEX_LD_OPERSTATE)
		printf("  %-9s %s\n", "operstate", ifplex_operstate_name(d->operstate));
	if (p & IFPLEX_LD_CARRIER)
		printf("  %-9s %s\n", "carrier", d->carrier ? "yes" : "no");
	if ((p & IFPLEX_LD_MASTER) && d->master)
		printf("  %-9s %s (%d)\n", "master", name_of(d->master, &buf), d->master);
	if ((p & IFPLEX_LD_LINK) && d->link && d->link_netnsid >= 0)
		printf("  %-9s index %d in namespace %d\n", "link", d->link, d->link_netnsid);
	else if ((p & IFPLEX_LD_LINK) && d->link)
		printf("  %-9s %s (%d)\n", "link", name_of(d->link, &buf), d->link);
	for (unsigned i = 0; (p & IFPLEX_LD_ALTNAMES) && i < d->naltnames && i < IFPLEX_ALTNAMES_MAX; i++)
		printf("  %-9s %s\n", "altname", d->altnames[i]);
	if (p & IFPLEX_LD_TXQLEN)
		printf("  %-9s %u\n", "txqlen", d->txqlen);
	if (p & IFPLEX_LD_QUEUES)
		printf("  %-9s tx %u, rx %u\n", "queues", d->num_tx_queues, d->num_rx_queues);
	for (int tx = 0; tx < 2; tx++) {
		if (!(p & (IFPLEX_LD_STATS_PACKETS | IFPLEX_LD_STATS_BYTES | IFPLEX_LD_STATS_ERRORS |
			   IFPLEX_LD_STATS_DROPS)))
			break;
		const struct ifplex_link_stats *s = &d->stats;
		printf("  %-9s", tx ? "tx" : "rx");
		if (p & IFPLEX_LD_STATS_PACKETS)
			printf(" packets %llu", (unsigned long long)(tx ? s->tx_packets : s->rx_packets));
		if (p & IFPLEX_LD_STATS_BYTES)
			printf(" bytes %llu", (unsigned long long)(tx ? s->tx_bytes : s->rx_bytes));
		if (p & IFPLEX_LD_STATS_ERRORS)
			printf(" errors %llu", (unsigned long long)(tx ? s->tx_errors : s->rx_errors));
		if (p & IFPLEX_LD_STATS_DROPS)
			printf(" dropped %llu", (unsigned long long)(tx ? s->tx_dropped : s->rx_dropped));
		putchar('\n');
	}
}

static void text_addr_details(const struct ifplex_addr_details *d)
{
	char t[IFPLEX_ADDR_STRLEN];
	uint64_t p = d->present;

	ifplex_addr_string(&d->addr, t, sizeof t);
	printf("  %-9s %s", "addr", t);
	if ((p & IFPLEX_AD_PEER) && d->peer.len) {
		ip_text(&d->peer, t, sizeof t);
		printf(" peer %s", t);
	}
	if ((p & IFPLEX_AD_BROADCAST) && d->broadcast.len) {
		ip_text(&d->broadcast, t, sizeof t);
		printf(" brd %s", t);
	}
	if (p & IFPLEX_AD_SCOPE) {
		const char *scope = ifplex_scope_name(d->scope);
		if (scope)
			printf(" scope %s", scope);
		else
			printf(" scope %d", d->scope);
	}
	for (size_t i = 0; (p & IFPLEX_AD_FLAGS) && i < NFLAGS; i++)
		if (d->flags & addr_flags[i].bit)
			printf(" %s", addr_flags[i].name);
	if ((p & IFPLEX_AD_LABEL) && d->label[0])
		printf(" label %s", d->label);
	if (p & IFPLEX_AD_LIFETIMES) {
		text_lifetime("valid", d->valid_lft);
		text_lifetime("preferred", d->preferred_lft);
	}
	if (p & IFPLEX_AD_LIFETIMES_TOTAL) {
		text_lifetime("valid-total", d->valid_lft);
		text_lifetime("preferred-total", d->preferred_lft);
	}
	putchar('\n');
}

/* show's group list: "mcast" lines, or a JSON array (null when unsupported). */
static void print_groups(int json, int rc, const struct ifplex_addr *a, size_t n)
{
	char s[IFPLEX_ADDR_STRLEN];

	if (json) {
		printf(",\"mcast\":");
		if (rc < 0) {
			printf("null");
			return;
		}
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			ifplex_addr_string(&a[i], s, sizeof s);
			if (i)
				putchar(',');
			json_string(stdout, s);
		}
		putchar(']');
		return;
	}
	if (rc < 0)
		printf("  %-9s %s\n", "mcast", "(not listed by this backend)");
	for (size_t i = 0; rc == 0 && i < n; i++) {
		ifplex_addr_string(&a[i], s, sizeof s);
		printf("  %-9s %s\n", "mcast", s);
	}
}

/* Addresses: with their details where the backend has them, else plain. */
static void print_addrs(int json, int drc, const struct ifplex_addr_details *d, const struct ifplex_addr *a,
			size_t n)
{
	char s[IFPLEX_ADDR_STRLEN];

	if (json) {
		printf(",\"addrs\":[");
		for (size_t i = 0; i < n; i++) {
			ifplex_addr_string(drc == 0 ? &d[i].addr : &a[i], s, sizeof s);
			if (i)
				putchar(',');
			json_string(stdout, s);
		}
		printf("],\"addr_details\":");
		if (drc < 0) {
			fputs("null", stdout);
			return;
		}
		putchar('[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				putchar(',');
			json_addr_details(&d[i]);
		}
		putchar(']');
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (drc == 0) {
			text_addr_details(&d[i]);
			continue;
		}
		ifplex_addr_string(&a[i], s, sizeof s);
		printf("  %-9s %s\n", "addr", s);
	}
}

int cmd_show(struct tool *t)
{
	struct ifplex_iface ifi;
	struct ifplex_addr *addrs = NULL, *groups = NULL;
	struct ifplex_addr_details *ad = NULL;
	struct ifplex_link_details ld = {.size = sizeof ld};
	size_t naddrs = 0, ngroups = 0;
	int rc, grc, lrc, drc;

	if (t->argc != 1)
		return tool_usage("show takes one interface name or index");
	if ((rc = find_iface(t->argv[0], &ifi)) < 0)
		return tool_fail(rc);
	/* Details are beyond Go: a backend without them still shows the rest. */
	lrc = ifplex_interface_details(ifi.index, &ld);
	if (lrc < 0 && lrc != IFPLEX_ENOTSUP)
		return tool_fail(lrc);
	drc = ifplex_interface_addr_details(ifi.index, sizeof *ad, &ad, &naddrs);
	if (drc < 0 && drc != IFPLEX_ENOTSUP)
		return tool_fail(drc);
	if (drc < 0) {
		rc = ifplex_interface_addrs(&ifi, &addrs, &naddrs);
		if (rc < 0 && rc != IFPLEX_ENOTSUP)
			return tool_fail(rc);
	}
	/* Groups are a capability not every backend has: say so, not fail. */
	grc = ifplex_interface_multicast_addrs(&ifi, &groups, &ngroups);
	if (grc < 0 && grc != IFPLEX_ENOTSUP) {
		ifplex_free(addrs);
		ifplex_free(ad);
		return tool_fail(grc);
	}
	if (t->json) {
		putchar('{');
		print_iface_fields_json(&ifi);
		printf(",\"state\":\"%s\"", iface_state(ifi.flags));
		print_addrs(1, drc, ad, addrs, naddrs);
		print_groups(1, grc, groups, ngroups);
		if (lrc == 0)
			json_link_details(&ld);
		else
			printf(",\"details\":null");
		puts("}");
	} else {
		char hw[IFPLEX_HWADDR_STRLEN], flags[80];
		ifplex_hwaddr_string(ifi.hwaddr, ifi.hwaddr_len, hw, sizeof hw);
		text_flags(flags, sizeof flags, ifi.flags);
		printf("%s\n  index     %d\n  state     %s\n  flags     %s\n  mtu       %d\n  hwaddr    %s\n",
		       ifi.name, ifi.index, iface_state(ifi.flags), flags, ifi.mtu, hw[0] ? hw : "-");
		if (lrc == 0)
			text_link_details(&ld);
		print_addrs(0, drc, ad, addrs, naddrs);
		print_groups(0, grc, groups, ngroups);
	}
	ifplex_free(addrs);
	ifplex_free(ad);
	ifplex_free(groups);
	return 0;
}
