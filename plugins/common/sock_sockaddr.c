/* SPDX-License-Identifier: MIT */
/* Endpoints to socket addresses and back; the address family as Go picks it. */
#define _GNU_SOURCE
#include "sock.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const struct ifplex_host *sock_host;

void sock_set_host(const struct ifplex_host *h)
{
	sock_host = h;
}

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static const uint8_t *ip4(const struct ifplex_ip *ip)
{
	if (ip->len == 4)
		return ip->b;
	if (ip->len == 16 && memcmp(ip->b, v4_prefix, 12) == 0)
		return ip->b + 12;
	return NULL;
}

static int unspecified(const struct ifplex_ip *ip)
{
	static const uint8_t zero[16];
	const uint8_t *p4 = ip4(ip);

	if (ip->len == 0)
		return 1;
	return p4 ? memcmp(p4, zero, 4) == 0 : memcmp(ip->b, zero, 16) == 0;
}

int sock_family(const struct ifplex_sockspec *spec, int listening)
{
	const struct ifplex_netaddr *a = &spec->addr;

	switch (spec->net.kind) {
	case IFPLEX_NET_UNIX:
	case IFPLEX_NET_UNIXGRAM:
	case IFPLEX_NET_UNIXPACKET:
		return AF_UNIX;
	}
	if (spec->net.family == 4)
		return AF_INET;
	if (spec->net.family == 6)
		return AF_INET6;
	/* Go: a wildcard listen takes a dual-stack IPv6 socket; otherwise the
	 * address decides. */
	if (listening && unspecified(&a->ip))
		return AF_INET6;
	if (a->ip.len == 0)
		return AF_INET; /* dial ":80" means the local system */
	return ip4(&a->ip) ? AF_INET : AF_INET6;
}

static uint32_t zone_index(const char *zone)
{
	char *end;
	unsigned long v;

	if (!zone[0])
		return 0;
	v = strtoul(zone, &end, 10);
	if (*end == '\0' && v > 0 && v <= UINT32_MAX)
		return (uint32_t)v;
	return if_nametoindex(zone);
}

int sock_to_sockaddr(const struct ifplex_netaddr *a, int family, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_UNIX) {
		struct sockaddr_un *sun = (struct sockaddr_un *)ss;
		size_t n = strlen(a->path);
		if (n >= sizeof sun->sun_path)
			return sock_host->fail_text("invalid argument: Unix socket path too long",
						     IFPLEX_EBADADDR);
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, a->path, n);
		if (a->path[0] == '@')
			sun->sun_path[0] = '\0'; /* abstract: no file, no NUL terminator */
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (a->path[0] != '@' && n > 0));
		if (n == 0)
			*len = sizeof(sa_family_t);
		return 0;
	}
	const uint8_t *p4 = ip4(&a->ip);
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		if (a->ip.len && !p4)
			return sock_host->fail_text("address family mismatch", IFPLEX_EBADADDR);
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)a->port);
		if (p4)
			memcpy(&sin->sin_addr, p4, 4);
		*len = sizeof *sin;
		return 0;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)a->port);
	if (p4 && !unspecified(&a->ip)) {
		memcpy(sin6->sin6_addr.s6_addr, v4_prefix, 12);
		memcpy(sin6->sin6_addr.s6_addr + 12, p4, 4);
	} else if (a->ip.len == 16 && !p4) {
		memcpy(sin6->sin6_addr.s6_addr, a->ip.b, 16);
	} /* else: 0.0.0.0 on an IPv6 socket is "::" */
	if (a->zone[0]) {
		sin6->sin6_scope_id = zone_index(a->zone);
		if (!sin6->sin6_scope_id)
			return sock_host->fail_text("no such network interface", IFPLEX_ENOIFACE);
	}
	*len = sizeof *sin6;
	return 0;
}

int sock_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct ifplex_netaddr *out)
{
	memset(out, 0, sizeof *out);
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		out->kind = IFPLEX_NETADDR_IP;
		out->ip.len = 4;
		memcpy(out->ip.b, &sin->sin_addr, 4);
		out->port = ntohs(sin->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		out->kind = IFPLEX_NETADDR_IP;
		out->ip.len = 16;
		memcpy(out->ip.b, sin6->sin6_addr.s6_addr, 16);
		out->port = ntohs(sin6->sin6_port);
		if (sin6->sin6_scope_id) {
			char name[IF_NAMESIZE];
			if (if_indextoname(sin6->sin6_scope_id, name))
				snprintf(out->zone, sizeof out->zone, "%s", name);
			else
				snprintf(out->zone, sizeof out->zone, "%u", sin6->sin6_scope_id);
		}
		return 0;
	}
	if (sa->sa_family == AF_UNIX) {
		const struct sockaddr_un *sun = (const struct sockaddr_un *)sa;
		size_t off = offsetof(struct sockaddr_un, sun_path);
		out->kind = IFPLEX_NETADDR_UNIX;
		if ((size_t)len <= off)
			return 0; /* unnamed */
		size_t n = (size_t)len - off;
		if (n > sizeof sun->sun_path)
			n = sizeof sun->sun_path;
		if (sun->sun_path[0] == '\0') {
			/* Abstract: the name is every byte after the NUL, shown as "@name". */
			if (n >= sizeof out->path)
				n = sizeof out->path - 1;
			out->path[0] = '@';
			memcpy(out->path + 1, sun->sun_path + 1, n - 1);
			out->path[n] = '\0';
		} else {
			size_t sl = strnlen(sun->sun_path, n);
			if (sl >= sizeof out->path)
				sl = sizeof out->path - 1;
			memcpy(out->path, sun->sun_path, sl);
			out->path[sl] = '\0';
		}
		return 0;
	}
	return IFPLEX_EMALFORMED;
}
