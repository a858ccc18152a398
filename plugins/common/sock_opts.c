/* Socket options (Go's SetNoDelay, SetKeepAlive, SetLinger, buffers) and
 * multicast membership. */
#define _GNU_SOURCE
#include "sock.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

static int setint(ifplex_bconn *c, int level, int name, int64_t v)
{
	int i = v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;

	if (setsockopt(c->fd, level, name, &i, sizeof i) < 0)
		return sock_host->fail("setsockopt", -errno);
	return 0;
}

int sock_set_option(ifplex_bconn *c, int option, int64_t value)
{
	int v6 = c->family == AF_INET6;
	int rc;

	switch (option) {
	case IFPLEX_OPT_NODELAY:
		return setint(c, IPPROTO_TCP, TCP_NODELAY, !!value);
	case IFPLEX_OPT_KEEPALIVE:
		return setint(c, SOL_SOCKET, SO_KEEPALIVE, !!value);
	case IFPLEX_OPT_KEEPALIVE_PERIOD:
		if (value <= 0)
			return IFPLEX_EINVAL;
		if ((rc = setint(c, IPPROTO_TCP, TCP_KEEPIDLE, value)) < 0)
			return rc;
		return setint(c, IPPROTO_TCP, TCP_KEEPINTVL, value);
	case IFPLEX_OPT_LINGER: {
		struct linger l = {.l_onoff = value >= 0, .l_linger = value > INT_MAX ? INT_MAX : value < 0 ? 0 : (int)value};
		if (setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) < 0)
			return sock_host->fail("setsockopt", -errno);
		return 0;
	}
	case IFPLEX_OPT_READ_BUFFER:
		return value <= 0 ? IFPLEX_EINVAL : setint(c, SOL_SOCKET, SO_RCVBUF, value);
	case IFPLEX_OPT_WRITE_BUFFER:
		return value <= 0 ? IFPLEX_EINVAL : setint(c, SOL_SOCKET, SO_SNDBUF, value);
	case IFPLEX_OPT_MULTICAST_LOOP:
		return v6 ? setint(c, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, !!value)
			  : setint(c, IPPROTO_IP, IP_MULTICAST_LOOP, !!value);
	case IFPLEX_OPT_MULTICAST_TTL:
		if (value < 0 || value > 255)
			return IFPLEX_EINVAL;
		return v6 ? setint(c, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, value)
			  : setint(c, IPPROTO_IP, IP_MULTICAST_TTL, value);
	}
	return IFPLEX_EINVAL;
}

int sock_join_group(ifplex_bconn *c, const struct ifplex_ip *group, int ifindex, int join)
{
	static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	const uint8_t *p4 = group->len == 4 ? group->b
			    : memcmp(group->b, v4_prefix, 12) == 0 ? group->b + 12 : NULL;

	if (c->family == AF_UNIX || c->type == SOCK_STREAM)
		return IFPLEX_ENOTSUP;
	if (p4) {
		struct ip_mreqn mr = {.imr_ifindex = ifindex};
		memcpy(&mr.imr_multiaddr, p4, 4);
		if (setsockopt(c->fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mr, sizeof mr) < 0)
			return sock_host->fail("setsockopt", -errno);
		/* Send on the same interface the group was joined on, as Go does. */
		if (join && ifindex)
			setsockopt(c->fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr);
		return 0;
	}
	if (c->family != AF_INET6)
		return sock_host->fail_text("IPv6 group on an IPv4 socket", IFPLEX_EBADADDR);
	struct ipv6_mreq mr6 = {.ipv6mr_interface = (unsigned)ifindex};
	memcpy(&mr6.ipv6mr_multiaddr, group->b, 16);
	if (setsockopt(c->fd, IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &mr6, sizeof mr6) < 0)
		return sock_host->fail("setsockopt", -errno);
	if (join && ifindex)
		setsockopt(c->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof ifindex);
	return 0;
}
