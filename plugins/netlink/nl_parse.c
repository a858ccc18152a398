/* SPDX-License-Identifier: MIT */
/* rtnetlink messages to ifplex values.  Bytes from the kernel are trusted
 * for nothing: every header and attribute length is checked before use. */
#include "nl.h"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <string.h>
#include <sys/socket.h>

/* Walk attributes that attrs_ok() accepted: each is whole and in bounds. */
#define for_each_attr(a, p, len)                                                  \
	for (const char *a##_p = (p), *a##_end = (p) + (len);                      \
	     a##_p + sizeof(struct rtattr) <= a##_end;                              \
	     a##_p += RTA_ALIGN(((const struct rtattr *)a##_p)->rta_len))          \
		for (const struct rtattr *a = (const struct rtattr *)a##_p; a; a = NULL)

/* Every attribute in [p, p+len) fits, or the message is refused. */
static int attrs_ok(const void *p, size_t len)
{
	while (len > 0) {
		const struct rtattr *a = p;
		if (len < sizeof *a || a->rta_len < sizeof *a || a->rta_len > len)
			return 0;
		size_t step = RTA_ALIGN(a->rta_len);
		if (step > len)
			step = len; /* the last attribute may lack its padding */
		p = (const char *)p + step;
		len -= step;
	}
	return 1;
}

static const void *payload(const struct rtattr *a, size_t *n)
{
	*n = a->rta_len - sizeof *a;
	return (const char *)a + RTA_LENGTH(0);
}

static const struct {
	unsigned kernel, ifplex;
} flag_map[] = {
	{IFF_UP, IFPLEX_IFF_UP},
	{IFF_BROADCAST, IFPLEX_IFF_BROADCAST},
	{IFF_LOOPBACK, IFPLEX_IFF_LOOPBACK},
	{IFF_POINTOPOINT, IFPLEX_IFF_POINTTOPOINT},
	{IFF_MULTICAST, IFPLEX_IFF_MULTICAST},
	{IFF_RUNNING, IFPLEX_IFF_RUNNING},
};

/* An IP tunnel's IFLA_ADDRESS is its local endpoint, never reported as a
 * hardware address (Go's newLink in net/interface_linux.go: ipip, sit and
 * gre with 4 bytes, ip6tnl and ip6gre with 16). */
static int tunnel_endpoint(unsigned short type, size_t n)
{
	if (n == 4)
		return type == ARPHRD_TUNNEL || type == ARPHRD_SIT || type == ARPHRD_IPGRE;
	if (n == 16)
		return type == ARPHRD_TUNNEL6 || type == ARPHRD_IP6GRE;
	return 0;
}

int nl_parse_link(const struct nlmsghdr *h, struct ifplex_iface *out)
{
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return IFPLEX_EMALFORMED;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const char *attrs = (const char *)ifi + NLMSG_ALIGN(sizeof *ifi);
	size_t len = h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof *ifi));
	int have_name = 0;

	if (h->nlmsg_len < NLMSG_LENGTH(NLMSG_ALIGN(sizeof *ifi)) || !attrs_ok(attrs, len) || ifi->ifi_index <= 0)
		return IFPLEX_EMALFORMED;
	memset(out, 0, sizeof *out);
	out->index = ifi->ifi_index;
	for (size_t i = 0; i < sizeof flag_map / sizeof flag_map[0]; i++)
		if (ifi->ifi_flags & flag_map[i].kernel)
			out->flags |= flag_map[i].ifplex;
	for_each_attr(a, attrs, len)
	{
		size_t n;
		const void *p = payload(a, &n);
		switch (a->rta_type) {
		case IFLA_IFNAME: {
			const char *nul = memchr(p, '\0', n);
			size_t sl = nul ? (size_t)(nul - (const char *)p) : n;
			if (sl == 0 || sl >= IFPLEX_NAME_MAX)
				return IFPLEX_EMALFORMED;
			memcpy(out->name, p, sl);
			out->name[sl] = '\0';
			have_name = 1;
			break;
		}
		case IFLA_MTU:
			if (n < sizeof(uint32_t))
				return IFPLEX_EMALFORMED;
			uint32_t mtu;
			memcpy(&mtu, p, sizeof mtu);
			out->mtu = mtu > INT32_MAX ? INT32_MAX : (int)mtu;
			break;
		case IFLA_ADDRESS: {
			/* All zeros (loopback) is no address, as Go reports it. */
			int nonzero = 0;
			for (size_t k = 0; k < n; k++)
				nonzero |= ((const uint8_t *)p)[k];
			if (n > IFPLEX_HWADDR_MAX)
				return IFPLEX_EMALFORMED;
			if (nonzero && !tunnel_endpoint(ifi->ifi_type, n)) {
				memcpy(out->hwaddr, p, n);
				out->hwaddr_len = (uint8_t)n;
			}
			break;
		}
		}
	}
	return have_name ? 0 : IFPLEX_EMALFORMED;
}

int nl_parse_addr(const struct nlmsghdr *h, struct ifplex_addr *out, struct nl_addr_meta *meta)
{
	if (h->nlmsg_len < NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct ifaddrmsg))))
		return IFPLEX_EMALFORMED;
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const char *attrs = (const char *)ifa + NLMSG_ALIGN(sizeof *ifa);
	size_t len = h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof *ifa));
	const void *local = NULL, *address = NULL;
	uint32_t flags;
	size_t alen = ifa->ifa_family == AF_INET ? 4 : ifa->ifa_family == AF_INET6 ? 16 : 0;

	if (!attrs_ok(attrs, len))
		return IFPLEX_EMALFORMED;
	if (alen == 0)
		return 1;
	if (ifa->ifa_prefixlen > alen * 8 || ifa->ifa_index == 0 || ifa->ifa_index > INT32_MAX)
		return IFPLEX_EMALFORMED;
	flags = ifa->ifa_flags;
	for_each_attr(a, attrs, len)
	{
		size_t n;
		const void *p = payload(a, &n);
		if (a->rta_type == IFA_FLAGS) {
			/* All 32 bits; ifa_flags holds only the low 8. */
			if (n != sizeof flags)
				return IFPLEX_EMALFORMED;
			memcpy(&flags, p, sizeof flags);
		} else if (a->rta_type == IFA_LOCAL || a->rta_type == IFA_ADDRESS) {
			if (n != alen)
				return IFPLEX_EMALFORMED;
			if (a->rta_type == IFA_LOCAL)
				local = p;
			else
				address = p;
		}
	}
	/* On a point-to-point link IFA_ADDRESS is the peer; IFA_LOCAL is ours. */
	const void *ip = local ? local : address;
	if (!ip)
		return IFPLEX_EMALFORMED;
	memset(out, 0, sizeof *out);
	out->index = (int)ifa->ifa_index;
	out->ip.len = (uint8_t)alen;
	memcpy(out->ip.b, ip, alen);
	out->prefixlen = ifa->ifa_prefixlen;
	meta->scope = ifa->ifa_scope;
	meta->flags = flags;
	return 0;
}

int nl_addr_wants_zone(const struct ifplex_addr *a, int scope)
{
	int fe80 = a->ip.b[0] == 0xfe && (a->ip.b[1] & 0xc0) == 0x80;
	return a->ip.len == 16 && (scope == RT_SCOPE_LINK || scope == RT_SCOPE_HOST || fe80);
}

int nl_parse_mcast(const struct nlmsghdr *h, struct ifplex_addr *out)
{
	if (h->nlmsg_len < NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct ifaddrmsg))))
		return IFPLEX_EMALFORMED;
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const char *attrs = (const char *)ifa + NLMSG_ALIGN(sizeof *ifa);
	size_t len = h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof *ifa));
	size_t alen = ifa->ifa_family == AF_INET ? 4 : ifa->ifa_family == AF_INET6 ? 16 : 0;

	if (!attrs_ok(attrs, len))
		return IFPLEX_EMALFORMED;
	if (alen == 0)
		return 1;
	if (ifa->ifa_index == 0 || ifa->ifa_index > INT32_MAX)
		return IFPLEX_EMALFORMED;
	memset(out, 0, sizeof *out);
	for_each_attr(a, attrs, len)
	{
		size_t n;
		const void *p = payload(a, &n);
		if (a->rta_type == IFA_MULTICAST) {
			if (n != alen)
				return IFPLEX_EMALFORMED;
			out->ip.len = (uint8_t)alen;
			memcpy(out->ip.b, p, alen);
		}
	}
	if (!out->ip.len)
		return IFPLEX_EMALFORMED;
	out->index = (int)ifa->ifa_index;
	out->prefixlen = (int)alen * 8;
	return 0;
}
