/* SPDX-License-Identifier: MIT */
/* Socket options (Go's SetNoDelay, SetKeepAlive, SetLinger, buffers),
 * multicast membership and binding to a device.  The few options whose
 * names differ by OS are chosen by the macros the system defines. */
#include "sock.h"
#include "sock_os.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

/* Seconds of idleness before the first keep-alive probe: TCP_KEEPIDLE
 * (Linux, the BSDs), TCP_KEEPALIVE on macOS. */
#if defined(TCP_KEEPIDLE)
#  define SOCK_TCP_KEEPIDLE TCP_KEEPIDLE
#elif defined(TCP_KEEPALIVE)
#  define SOCK_TCP_KEEPIDLE TCP_KEEPALIVE
#endif

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
#if defined(SOCK_TCP_KEEPIDLE) && defined(TCP_KEEPINTVL)
		if ((rc = setint(c, IPPROTO_TCP, SOCK_TCP_KEEPIDLE, value)) < 0)
			return rc;
		return setint(c, IPPROTO_TCP, TCP_KEEPINTVL, value);
#else
		(void)rc;
		return sock_host->fail_text("keep-alive period: not supported on this system", IFPLEX_ENOTSUP);
#endif
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
		if (sock_os_join4(c->fd, p4, ifindex, join) < 0)
			return sock_host->fail("setsockopt", -errno);
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

int sock_bind_device(int fd, int family, const char *device)
{
	size_t n = strlen(device);

	/* The kernel would cut a longer name and bind to another interface. */
	if (n >= IFNAMSIZ) {
		char msg[96];
		snprintf(msg, sizeof msg, "bind to device: interface name of %zu bytes is longer than %d",
			 n, IFNAMSIZ - 1);
		return sock_host->fail_text(msg, IFPLEX_EINVAL);
	}
#if defined(SO_BINDTODEVICE)
	(void)family;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, (socklen_t)n) < 0)
		return sock_host->fail("setsockopt", -errno);
	return 0;
#elif defined(IP_BOUND_IF) && defined(IPV6_BOUND_IF)
	unsigned idx = if_nametoindex(device);
	if (!idx)
		return sock_host->fail_text("bind to device: no such network interface", IFPLEX_ENOIFACE);
	int r = family == AF_INET6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_BOUND_IF, &idx, sizeof idx)
				   : setsockopt(fd, IPPROTO_IP, IP_BOUND_IF, &idx, sizeof idx);
	if (r < 0)
		return sock_host->fail("setsockopt", -errno);
	return 0;
#else
	(void)fd;
	(void)family;
	return sock_host->fail_text("bind to device: not supported on this system", IFPLEX_ENOTSUP);
#endif
}
