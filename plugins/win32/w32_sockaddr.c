/* SPDX-License-Identifier: MIT */
/* Endpoints to and from Winsock socket addresses. */
#include "w32.h"
#include "../common/ipsa.h"

#include <afunix.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int w32_family(const struct ifplex_sockspec *spec, int listening)
{
	int f = ipsa_family(spec, listening);

	return f == 0 ? AF_UNIX : f == 4 ? AF_INET : AF_INET6;
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
	ULONG scope = 0;
	if (family == AF_INET6 && a->zone[0] && (scope = zone_index(a->zone)) == 0)
		return w32_host->fail_text("no such network interface", IFPLEX_ENOIFACE);
	if (ipsa_to(a, family == AF_INET6, scope, ss, len) < 0)
		return w32_host->fail_text("address family mismatch", IFPLEX_EBADADDR);
	return 0;
}

int w32_from_sockaddr(const struct sockaddr *sa, int len, struct ifplex_netaddr *out)
{
	uint32_t scope;

	if (len > 0 && ipsa_from(sa, (size_t)len, out, &scope)) {
		struct ifplex_iface ifi;
		if (scope && w32_interface_by_index(NULL, (int)scope, &ifi) == 0)
			memcpy(out->zone, ifi.name, sizeof out->zone);
		else if (scope)
			snprintf(out->zone, sizeof out->zone, "%lu", (unsigned long)scope);
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
