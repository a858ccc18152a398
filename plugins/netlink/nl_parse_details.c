/* SPDX-License-Identifier: MIT */
/* Link and address details from rtnetlink messages.  As in nl_parse.c,
 * every header, attribute and nested attribute length is checked first. */
#include "nl.h"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <string.h>
#include <sys/socket.h>

/* Linux's IF_OPER_* (RFC 2863 states in another order) to ifplex's. */
static int operstate(uint8_t v)
{
	static const int map[] = {
		IFPLEX_OPER_UNKNOWN, IFPLEX_OPER_NOTPRESENT, IFPLEX_OPER_DOWN, IFPLEX_OPER_LOWERLAYERDOWN,
		IFPLEX_OPER_TESTING, IFPLEX_OPER_DORMANT, IFPLEX_OPER_UP,
	};
	return v < sizeof map / sizeof map[0] ? map[v] : IFPLEX_OPER_UNKNOWN;
}

/* A string attribute into dst (cap bytes); EMALFORMED when it has no end
 * inside the attribute or does not fit. */
static int attr_string(const void *p, size_t n, char *dst, size_t cap)
{
	const char *nul = memchr(p, '\0', n);
	size_t len = nul ? (size_t)(nul - (const char *)p) : n;

	if (len >= cap)
		return IFPLEX_EMALFORMED;
	memcpy(dst, p, len);
	dst[len] = '\0';
	return 0;
}

static int attr_u32(const void *p, size_t n, uint32_t *v)
{
	if (n < sizeof *v)
		return IFPLEX_EMALFORMED;
	memcpy(v, p, sizeof *v);
	return 0;
}

static int parse_linkinfo(const void *p, size_t n, struct ifplex_link_details *out)
{
	if (!nl_attrs_ok(p, n))
		return IFPLEX_EMALFORMED;
	nl_for_each_attr(a, (const char *)p, n)
	{
		size_t len;
		const void *v = nl_attr_payload(a, &len);
		if ((a->rta_type & NLA_TYPE_MASK) == IFLA_INFO_KIND)
			return attr_string(v, len, out->kind, sizeof out->kind);
	}
	return 0;
}

static int parse_props(const void *p, size_t n, struct ifplex_link_details *out)
{
	if (!nl_attrs_ok(p, n))
		return IFPLEX_EMALFORMED;
	nl_for_each_attr(a, (const char *)p, n)
	{
		size_t len;
		const void *v = nl_attr_payload(a, &len);
		if ((a->rta_type & NLA_TYPE_MASK) != IFLA_ALT_IFNAME)
			continue;
		if (out->naltnames < IFPLEX_ALTNAMES_MAX) {
			int rc = attr_string(v, len, out->altnames[out->naltnames], IFPLEX_ALTNAME_MAX);
			if (rc < 0)
				return rc;
		}
		out->naltnames++;
	}
	return 0;
}

/* The first eight counters, the same in rtnl_link_stats64 (u64) and
 * rtnl_link_stats (u32): rx/tx packets, bytes, errors, dropped. */
static int parse_stats(const void *p, size_t n, size_t width, struct ifplex_link_details *out)
{
	uint64_t c[8];

	if (n < 8 * width)
		return IFPLEX_EMALFORMED;
	for (size_t i = 0; i < 8; i++) {
		if (width == 8) {
			memcpy(&c[i], (const char *)p + i * 8, 8);
		} else {
			uint32_t v;
			memcpy(&v, (const char *)p + i * 4, 4);
			c[i] = v;
		}
	}
	out->stats = (struct ifplex_link_stats){
		.rx_packets = c[0], .tx_packets = c[1], .rx_bytes = c[2], .tx_bytes = c[3],
		.rx_errors = c[4], .tx_errors = c[5], .rx_dropped = c[6], .tx_dropped = c[7],
	};
	out->present |= IFPLEX_LD_STATS_PACKETS | IFPLEX_LD_STATS_BYTES | IFPLEX_LD_STATS_ERRORS |
			IFPLEX_LD_STATS_DROPS;
	return 0;
}

int nl_parse_link_details(const struct nlmsghdr *h, struct ifplex_link_details *out)
{
	if (h->nlmsg_len < NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct ifinfomsg))))
		return IFPLEX_EMALFORMED;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const char *attrs = (const char *)ifi + NLMSG_ALIGN(sizeof *ifi);
	size_t len = h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof *ifi));
	int have64 = 0, rc = 0;

	if (!nl_attrs_ok(attrs, len) || ifi->ifi_index <= 0)
		return IFPLEX_EMALFORMED;
	/* A message names what the link has: an attribute it lacks is a
	 * known "none" (no kind, no master, no lower link, no altnames). */
	out->present |= IFPLEX_LD_KIND | IFPLEX_LD_CARRIER | IFPLEX_LD_MASTER | IFPLEX_LD_LINK |
			IFPLEX_LD_LINK_NETNSID | IFPLEX_LD_ALTNAMES;
	out->kind[0] = '\0';
	out->master = out->link = 0;
	out->link_netnsid = -1;
	out->naltnames = 0;
	/* What `ip` shows as LOWER_UP, or NO-CARRIER when up without it. */
	out->carrier = (ifi->ifi_flags & IFF_LOWER_UP) != 0;
	nl_for_each_attr(a, attrs, len)
	{
		size_t n;
		const void *p = nl_attr_payload(a, &n);
		uint32_t v = 0;
		switch (a->rta_type & NLA_TYPE_MASK) {
		case IFLA_LINKINFO:
			rc = parse_linkinfo(p, n, out);
			break;
		case IFLA_OPERSTATE:
			if (n < 1)
				return IFPLEX_EMALFORMED;
			out->operstate = operstate(*(const uint8_t *)p);
			out->present |= IFPLEX_LD_OPERSTATE;
			break;
		case IFLA_MASTER:
			if ((rc = attr_u32(p, n, &v)) == 0)
				out->master = v > INT32_MAX ? 0 : (int)v;
			break;
		case IFLA_LINK:
			if ((rc = attr_u32(p, n, &v)) == 0 && (int)v != ifi->ifi_index)
				out->link = v > INT32_MAX ? 0 : (int)v;
			break;
		case IFLA_LINK_NETNSID:
			if ((rc = attr_u32(p, n, &v)) == 0)
				out->link_netnsid = (int32_t)v;
			break;
		case IFLA_TXQLEN:
			if ((rc = attr_u32(p, n, &out->txqlen)) == 0)
				out->present |= IFPLEX_LD_TXQLEN;
			break;
		case IFLA_NUM_TX_QUEUES:
			rc = attr_u32(p, n, &out->num_tx_queues);
			out->present |= IFPLEX_LD_QUEUES;
			break;
		case IFLA_NUM_RX_QUEUES:
			rc = attr_u32(p, n, &out->num_rx_queues);
			out->present |= IFPLEX_LD_QUEUES;
			break;
		case IFLA_PROP_LIST:
			rc = parse_props(p, n, out);
			break;
		case IFLA_STATS64:
			rc = parse_stats(p, n, 8, out);
			have64 = 1;
			break;
		case IFLA_STATS:
			if (!have64)
				rc = parse_stats(p, n, 4, out);
			break;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const struct {
	uint32_t kernel;
	unsigned ifplex;
} addr_flags[] = {
	{IFA_F_NODAD, IFPLEX_ADDRF_NODAD},
	{IFA_F_OPTIMISTIC, IFPLEX_ADDRF_OPTIMISTIC},
	{IFA_F_DADFAILED, IFPLEX_ADDRF_DADFAILED},
	{IFA_F_HOMEADDRESS, IFPLEX_ADDRF_HOMEADDRESS},
	{IFA_F_DEPRECATED, IFPLEX_ADDRF_DEPRECATED},
	{IFA_F_TENTATIVE, IFPLEX_ADDRF_TENTATIVE},
	{IFA_F_PERMANENT, IFPLEX_ADDRF_PERMANENT},
	{IFA_F_MANAGETEMPADDR, IFPLEX_ADDRF_MANAGETEMPADDR},
	{IFA_F_NOPREFIXROUTE, IFPLEX_ADDRF_NOPREFIXROUTE},
	{IFA_F_MCAUTOJOIN, IFPLEX_ADDRF_MCAUTOJOIN},
	{IFA_F_STABLE_PRIVACY, IFPLEX_ADDRF_STABLE_PRIVACY},
};

unsigned nl_addr_flags(uint32_t ifa_flags, size_t alen)
{
	/* One bit, two names: secondary for IPv4, temporary for IPv6. */
	unsigned f = ifa_flags & IFA_F_SECONDARY ? (alen == 4 ? IFPLEX_ADDRF_SECONDARY : IFPLEX_ADDRF_TEMPORARY)
						 : 0;

	for (size_t i = 0; i < sizeof addr_flags / sizeof addr_flags[0]; i++)
		if (ifa_flags & addr_flags[i].kernel)
			f |= addr_flags[i].ifplex;
	return f;
}

int nl_parse_addr_extra(const struct nlmsghdr *h, size_t alen, struct ifplex_addr_details *out,
			uint32_t *tstamp)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const char *attrs = (const char *)ifa + NLMSG_ALIGN(sizeof *ifa);
	size_t len = h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof *ifa));
	const void *local = NULL, *address = NULL;
	int rc;

	out->present |= IFPLEX_AD_PEER | IFPLEX_AD_BROADCAST | IFPLEX_AD_LABEL;
	out->peer.len = out->broadcast.len = 0;
	out->label[0] = '\0';
	*tstamp = 0;
	/* nl_parse_addr has checked the attributes and the addresses' sizes. */
	nl_for_each_attr(a, attrs, len)
	{
		size_t n;
		const void *p = nl_attr_payload(a, &n);
		switch (a->rta_type) {
		case IFA_LOCAL:
			local = p;
			break;
		case IFA_ADDRESS:
			address = p;
			break;
		case IFA_BROADCAST:
			if (n != alen)
				return IFPLEX_EMALFORMED;
			out->broadcast.len = (uint8_t)alen;
			memcpy(out->broadcast.b, p, alen);
			break;
		case IFA_LABEL:
			if ((rc = attr_string(p, n, out->label, sizeof out->label)) < 0)
				return rc;
			break;
		case IFA_CACHEINFO: {
			struct ifa_cacheinfo ci;
			if (n < sizeof ci)
				return IFPLEX_EMALFORMED;
			memcpy(&ci, p, sizeof ci);
			out->preferred_lft = ci.ifa_prefered;
			out->valid_lft = ci.ifa_valid;
			*tstamp = ci.tstamp;
			out->present |= IFPLEX_AD_LIFETIMES;
			break;
		}
		}
	}
	/* Where both are given and differ, IFA_ADDRESS is the other end. */
	if (local && address && memcmp(local, address, alen) != 0) {
		out->peer.len = (uint8_t)alen;
		memcpy(out->peer.b, address, alen);
	}
	return 0;
}

int nl_parse_addr_details(const struct nlmsghdr *h, struct ifplex_addr_details *out)
{
	struct nl_addr_meta meta;
	uint32_t tstamp;
	int rc = nl_parse_addr(h, &out->addr, &meta);

	if (rc != 0)
		return rc;
	out->present |= IFPLEX_AD_FLAGS | IFPLEX_AD_SCOPE;
	out->scope = meta.scope;
	out->flags = nl_addr_flags(meta.flags, out->addr.ip.len);
	return nl_parse_addr_extra(h, out->addr.ip.len, out, &tstamp);
}

int nl_parse_link_stats(const struct nlmsghdr *h, struct ifplex_link_details *out)
{
	if (h->nlmsg_len < NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct if_stats_msg))))
		return IFPLEX_EMALFORMED;
	const struct if_stats_msg *m = NLMSG_DATA(h);
	const char *attrs = (const char *)m + NLMSG_ALIGN(sizeof *m);
	size_t len = h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof *m));

	if (!nl_attrs_ok(attrs, len))
		return IFPLEX_EMALFORMED;
	nl_for_each_attr(a, attrs, len)
	{
		size_t n;
		const void *p = nl_attr_payload(a, &n);
		if ((a->rta_type & NLA_TYPE_MASK) == IFLA_STATS_LINK_64)
			return parse_stats(p, n, 8, out);
	}
	return IFPLEX_EMALFORMED; /* asked for, so it is there */
}
