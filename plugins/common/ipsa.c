/* SPDX-License-Identifier: MIT */
/* IP endpoints to and from IPv4 and IPv6 socket addresses. */
#include "ipsa.h"

#include <string.h>

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

const uint8_t *ipsa_ip4(const struct ifplex_ip *ip)
{
	if (ip->len == 4)
		return ip->b;
	if (ip->len == 16 && memcmp(ip->b, v4_prefix, 12) == 0)
		return ip->b + 12;
	return NULL;
}

int ipsa_unspecified(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ipsa_ip4(ip);
	size_t n = p4 ? 4 : ip->len;

	for (size_t i = 0; i < n; i++)
		if ((p4 ? p4 : ip->b)[i])
			return 0;
	return 1;
}

int ipsa_family(const struct ifplex_sockspec *spec, int listening)
{
	const struct ifplex_netaddr *a = &spec->addr;

	switch (spec->net.kind) {
	case IFPLEX_NET_UNIX:
	case IFPLEX_NET_UNIXGRAM:
	case IFPLEX_NET_UNIXPACKET:
		return 0;
	}
	if (spec->net.family == 4 || spec->net.family == 6)
		return spec->net.family;
	/* Go: a wildcard listen takes a dual-stack IPv6 socket; otherwise the
	 * address decides, and dialing ":80" means this system over IPv4. */
	if (listening && ipsa_unspecified(&a->ip))
		return 6;
	if (a->ip.len == 0)
		return 4;
	return ipsa_ip4(&a->ip) ? 4 : 6;
}

int ipsa_to(const struct ifplex_netaddr *a, int v6, uint32_t scope, struct sockaddr_storage *ss,
	    int *len)
{
	const uint8_t *p4 = ipsa_ip4(&a->ip);

	memset(ss, 0, sizeof *ss);
	if (!v6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		if (a->ip.len && !p4)
			return IFPLEX_EBADADDR;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)a->port);
		if (p4)
			memcpy(&sin->sin_addr, p4, 4);
		*len = (int)sizeof *sin;
		return 0;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)a->port);
	if (p4 && !ipsa_unspecified(&a->ip)) {
		memcpy(sin6->sin6_addr.s6_addr, v4_prefix, 12);
		memcpy(sin6->sin6_addr.s6_addr + 12, p4, 4);
	} else if (a->ip.len == 16 && !p4) {
		memcpy(sin6->sin6_addr.s6_addr, a->ip.b, 16);
	} /* else: 0.0.0.0 on an IPv6 socket is "::" */
	sin6->sin6_scope_id = scope;
	*len = (int)sizeof *sin6;
	return 0;
}

int ipsa_from(const struct sockaddr *sa, size_t len, struct ifplex_netaddr *out, uint32_t *scope)
{
	memset(out, 0, sizeof *out);
	*scope = 0;
	if (len >= sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		out->kind = IFPLEX_NETADDR_IP;
		out->ip.len = 4;
		memcpy(out->ip.b, &sin->sin_addr, 4);
		out->port = ntohs(sin->sin_port);
		return 1;
	}
	if (len >= sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		out->kind = IFPLEX_NETADDR_IP;
		out->ip.len = 16;
		memcpy(out->ip.b, sin6->sin6_addr.s6_addr, 16);
		out->port = ntohs(sin6->sin6_port);
		*scope = sin6->sin6_scope_id;
		return 1;
	}
	return 0;
}
