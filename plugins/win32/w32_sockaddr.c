/* Endpoints to and from Winsock socket addresses. */
#include "w32.h"

#include <afunix.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* The IPv4 bytes of ip, or NULL when it is IPv6. */
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
	for (int i = 0; i < ip->len; i++)
		if (ip->b[i] && !(ip->len == 16 && i >= 10 && i < 12 && ip->b[i] == 0xff))
			return 0;
	return 1;
}

int w32_family(const struct ifplex_sockspec *spec, int listening)
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

/* A zone is an interface index or a friendly name. */
static ULONG zone_index(const char *zone)
{
	char *end;
	unsigned long v = strtoul(zone, &end, 10);
	struct ifplex_iface ifi;

	if (*end == '\0' && v > 0 && v <= INT32_MAX)
		return v;
	return w32_interface_by_name(NULL, zone, &ifi) == 0 ? (ULONG)ifi.index : 0;
}

int w32_to_sockaddr(const struct ifplex_netaddr *a, int family, struct sockaddr_storage *ss,
		    int *len)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_UNIX) {
		SOCKADDR_UN *sun = (SOCKADDR_UN *)ss;
		size_t n = strlen(a->path);
		if (n >= sizeof sun->sun_path)
			return w32_host->fail_text("invalid argument: Unix socket path too long",
						   IFPLEX_EBADADDR);
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, a->path, n);
		if (a->path[0] == '@')
			sun->sun_path[0] = '\0'; /* abstract: no file */
		*len = (int)(offsetof(SOCKADDR_UN, sun_path) + n + (a->path[0] != '@' && n > 0));
		return 0;
	}
	const uint8_t *p4 = ip4(&a->ip);
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		if (a->ip.len && !p4)
			return w32_host->fail_text("address family mismatch", IFPLEX_EBADADDR);
		sin->sin_family = AF_INET;
		sin->sin_port = htons((u_short)a->port);
		if (p4)
			memcpy(&sin->sin_addr, p4, 4);
		*len = sizeof *sin;
		return 0;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((u_short)a->port);
	if (p4 && !unspecified(&a->ip)) {
		memcpy(sin6->sin6_addr.s6_addr, v4_prefix, 12);
		memcpy(sin6->sin6_addr.s6_addr + 12, p4, 4);
	} else if (a->ip.len == 16 && !p4) {
		memcpy(sin6->sin6_addr.s6_addr, a->ip.b, 16);
	} /* else: 0.0.0.0 on an IPv6 socket is "::" */
	if (a->zone[0]) {
		sin6->sin6_scope_id = zone_index(a->zone);
		if (!sin6->sin6_scope_id)
			return w32_host->fail_text("no such network interface", IFPLEX_ENOIFACE);
	}
	*len = sizeof *sin6;
	return 0;
}

int w32_from_sockaddr(const struct sockaddr *sa, int len, struct ifplex_netaddr *out)
{
	memset(out, 0, sizeof *out);
	if (len >= (int)sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		out->kind = IFPLEX_NETADDR_IP;
		out->ip.len = 4;
		memcpy(out->ip.b, &sin->sin_addr, 4);
		out->port = ntohs(sin->sin_port);
		return 0;
	}
	if (len >= (int)sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		out->kind = IFPLEX_NETADDR_IP;
		out->ip.len = 16;
		memcpy(out->ip.b, sin6->sin6_addr.s6_addr, 16);
		out->port = ntohs(sin6->sin6_port);
		if (sin6->sin6_scope_id) {
			struct ifplex_iface ifi;
			if (w32_interface_by_index(NULL, (int)sin6->sin6_scope_id, &ifi) == 0)
				memcpy(out->zone, ifi.name, sizeof out->zone);
			else
				snprintf(out->zone, sizeof out->zone, "%lu",
					 (unsigned long)sin6->sin6_scope_id);
		}
		return 0;
	}
	if (len >= (int)sizeof sa->sa_family && sa->sa_family == AF_UNIX) {
		const SOCKADDR_UN *sun = (const SOCKADDR_UN *)sa;
		size_t n = (size_t)len - offsetof(SOCKADDR_UN, sun_path);
		if ((size_t)len <= offsetof(SOCKADDR_UN, sun_path))
			n = 0;
		if (n > sizeof sun->sun_path)
			n = sizeof sun->sun_path;
		out->kind = IFPLEX_NETADDR_UNIX;
		if (n > 0 && sun->sun_path[0] == '\0') {
			out->path[0] = '@';
			memcpy(out->path + 1, sun->sun_path + 1, n - 1);
		} else {
			memcpy(out->path, sun->sun_path, strnlen(sun->sun_path, n));
		}
		return 0;
	}
	return w32_host->fail_text("unknown socket address family", IFPLEX_EMALFORMED);
}
