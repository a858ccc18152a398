/* SPDX-License-Identifier: MIT */
/* Endpoints to socket addresses and back; the address family as Go picks it. */
#define _GNU_SOURCE
#include "sock.h"
#include "ipsa.h"

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

int sock_family(const struct ifplex_sockspec *spec, int listening)
{
	switch (ipsa_family(spec, listening)) {
	case 0:
		return AF_UNIX;
	case 4:
		return AF_INET;
	default:
		return AF_INET6;
	}
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
	if (family == AF_UNIX) {
		struct sockaddr_un *sun = (struct sockaddr_un *)ss;
		memset(ss, 0, sizeof *ss); /* ipsa_to clears the others' */
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
	uint32_t scope = 0;
	int n;

	if (family != AF_INET && a->zone[0]) {
		scope = zone_index(a->zone);
		if (!scope)
			return sock_host->fail_text("no such network interface", IFPLEX_ENOIFACE);
	}
	if (ipsa_to(a, family != AF_INET, scope, ss, &n) < 0)
		return sock_host->fail_text("address family mismatch", IFPLEX_EBADADDR);
	*len = (socklen_t)n;
	return 0;
}

int sock_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct ifplex_netaddr *out)
{
	uint32_t scope;

	if (ipsa_from(sa, (size_t)len, out, &scope)) {
		if (scope) {
			char name[IF_NAMESIZE];
			if (if_indextoname(scope, name))
				snprintf(out->zone, sizeof out->zone, "%s", name);
			else
				snprintf(out->zone, sizeof out->zone, "%u", scope);
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
