/* SPDX-License-Identifier: MIT */
/* IP endpoints to and from IPv4 and IPv6 socket addresses, the same on
 * POSIX and Winsock, and the family a conversation uses (Go's
 * favoriteAddrFamily).  Unix addresses and zone names stay with each
 * plugin: they differ by system. */
#ifndef IFPLEX_COMMON_IPSA_H
#define IFPLEX_COMMON_IPSA_H

#include <ifplex/backend.h>

#ifdef _WIN32
#  include <winsock2.h>
#  include <ws2tcpip.h>
#else
#  include <netinet/in.h>
#  include <sys/socket.h>
#endif

/* The four IPv4 bytes of ip (also IPv4-mapped), or NULL for IPv6. */
const uint8_t *ipsa_ip4(const struct ifplex_ip *ip);
/* Whether ip is 0.0.0.0, :: or empty. */
int ipsa_unspecified(const struct ifplex_ip *ip);
/* 4 or 6 for an IP conversation on spec, 0 for a Unix one. */
int ipsa_family(const struct ifplex_sockspec *spec, int listening);
/* a as an IPv4 (v6 0) or IPv6 (v6 1) socket address with scope as its
 * scope id; IPv4 on an IPv6 socket is IPv4-mapped.  0, or
 * IFPLEX_EBADADDR when an IPv6 address meets an IPv4 socket. */
int ipsa_to(const struct ifplex_netaddr *a, int v6, uint32_t scope, struct sockaddr_storage *ss,
	    int *len);
/* An IPv4 or IPv6 socket address of len bytes into out (the zone left
 * empty, *scope its scope id): 1, or 0 for another family or length. */
int ipsa_from(const struct sockaddr *sa, size_t len, struct ifplex_netaddr *out, uint32_t *scope);

#endif
