/* SPDX-License-Identifier: MIT */
/* Endpoints, socket options and multicast groups (Go's sockopt_windows.go
 * and sockoptip_windows.go). */
#include "w32.h"
#include "../common/ipsa.h"

#include <mstcpip.h>
#include <string.h>

static int endpoint(ifplex_bconn *c, struct ifplex_netaddr *out, int remote)
{
	struct sockaddr_storage ss;
	int len = sizeof ss;
	int r = remote ? getpeername(c->s, (struct sockaddr *)&ss, &len)
		       : getsockname(c->s, (struct sockaddr *)&ss, &len);

	/* No failure text: the core asks for endpoints to describe another
	 * failure, whose text must stay (an unconnected socket has no peer). */
	if (r != 0)
		return w32_code(WSAGetLastError());
	return w32_from_sockaddr((struct sockaddr *)&ss, len, out);
}

int w32_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	return endpoint(c, out, 0);
}

int w32_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	return endpoint(c, out, 1);
}

static int set(ifplex_bconn *c, int level, int name, const void *v, int len)
{
	if (setsockopt(c->s, level, name, v, len) != 0)
		return w32_fail("setsockopt", WSAGetLastError());
	return 0;
}

static int set_dword(ifplex_bconn *c, int level, int name, int64_t value)
{
	if (value < 0 || value > INT32_MAX)
		return w32_host->fail_text("setsockopt: value out of range", IFPLEX_EINVAL);
	DWORD v = (DWORD)value;
	return set(c, level, name, &v, sizeof v);
}

/* Go's setKeepAlivePeriod: SIO_KEEPALIVE_VALS sets both the idle time and
 * the interval between probes. */
static int keepalive_period(ifplex_bconn *c, int64_t seconds)
{
	if (seconds <= 0 || seconds > INT32_MAX / 1000)
		return w32_host->fail_text("setsockopt: keep-alive period out of range",
					   IFPLEX_EINVAL);
	struct tcp_keepalive ka = {.onoff = 1,
				   .keepalivetime = (ULONG)(seconds * 1000),
				   .keepaliveinterval = (ULONG)(seconds * 1000)};
	DWORD ret;
	if (WSAIoctl(c->s, SIO_KEEPALIVE_VALS, &ka, sizeof ka, NULL, 0, &ret, NULL, NULL) != 0)
		return w32_fail("wsaioctl", WSAGetLastError());
	return 0;
}

int w32_set_option(ifplex_bconn *c, int option, int64_t value)
{
	int v6 = c->family == AF_INET6;

	switch (option) {
	case IFPLEX_OPT_NODELAY:
		return set_dword(c, IPPROTO_TCP, TCP_NODELAY, value != 0);
	case IFPLEX_OPT_KEEPALIVE:
		return set_dword(c, SOL_SOCKET, SO_KEEPALIVE, value != 0);
	case IFPLEX_OPT_KEEPALIVE_PERIOD:
		return keepalive_period(c, value);
	case IFPLEX_OPT_LINGER: {
		if (value > 65535)
			return w32_host->fail_text("setsockopt: linger out of range", IFPLEX_EINVAL);
		struct linger l = {.l_onoff = value >= 0, .l_linger = (u_short)(value >= 0 ? value : 0)};
		return set(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	}
	case IFPLEX_OPT_READ_BUFFER:
		return set_dword(c, SOL_SOCKET, SO_RCVBUF, value);
	case IFPLEX_OPT_WRITE_BUFFER:
		return set_dword(c, SOL_SOCKET, SO_SNDBUF, value);
	case IFPLEX_OPT_MULTICAST_LOOP:
		return v6 ? set_dword(c, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, value != 0)
			  : set_dword(c, IPPROTO_IP, IP_MULTICAST_LOOP, value != 0);
	case IFPLEX_OPT_MULTICAST_TTL:
		return v6 ? set_dword(c, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, value)
			  : set_dword(c, IPPROTO_IP, IP_MULTICAST_TTL, value);
	}
	return IFPLEX_EINVAL;
}

int w32_join_group(ifplex_bconn *c, const struct ifplex_ip *group, int ifindex, int join)
{
	const uint8_t *g4 = ipsa_ip4(group);

	if (g4 && c->family == AF_INET) {
		/* Go names the interface by its IPv4 address. */
		struct ip_mreq mr = {0};
		memcpy(&mr.imr_multiaddr, g4, 4);
		if (ifindex > 0) {
			int rc = w32_interface_ipv4(ifindex, &mr.imr_interface);
			if (rc < 0)
				return rc;
		}
		return set(c, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mr,
			   sizeof mr);
	}
	if (!g4 && c->family == AF_INET6) {
		struct ipv6_mreq mr = {.ipv6mr_interface = (ULONG)(ifindex > 0 ? ifindex : 0)};
		memcpy(&mr.ipv6mr_multiaddr, group->b, 16);
		return set(c, IPPROTO_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, &mr,
			   sizeof mr);
	}
	return w32_host->fail_text("setsockopt: group and socket families differ", IFPLEX_EINVAL);
}

int w32_close_write(ifplex_bconn *c)
{
	if (shutdown(c->s, SD_SEND) != 0)
		return w32_fail("shutdown", WSAGetLastError());
	return 0;
}

int w32_conn_fd(ifplex_bconn *c, intptr_t *fd)
{
	*fd = (intptr_t)c->s;
	return 0;
}

uint64_t w32_conn_caps(ifplex_bconn *c)
{
	uint64_t caps = IFPLEX_CAP_DEADLINES | IFPLEX_CAP_FD | IFPLEX_CAP_POLL | IFPLEX_CAP_BATCH;

	if (c->family == AF_UNIX)
		return caps | IFPLEX_CAP_UNIX;
	if (c->type == SOCK_STREAM)
		return caps | IFPLEX_CAP_TCP;
	if (c->type == SOCK_RAW)
		return caps | IFPLEX_CAP_RAWIP | IFPLEX_CAP_MCAST_JOIN;
	return caps | IFPLEX_CAP_UDP | IFPLEX_CAP_MCAST_JOIN;
}
