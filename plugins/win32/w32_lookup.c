/* SPDX-License-Identifier: MIT */
/* Host, port and address lookups through the system resolver
 * (GetAddrInfoW, getservbyname, GetNameInfoW), as Go's lookup_windows.go. */
#include "w32.h"
#include "../common/ipsa.h"
#include "../common/vec.h"

#include <string.h>

int w32_lookup_ip(void *state, const char *host, int family, struct ifplex_ip **list, size_t *count)
{
	wchar_t whost[IFPLEX_HOST_MAX];
	ADDRINFOW hints = {.ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC,
			   .ai_socktype = SOCK_STREAM,
			   .ai_protocol = IPPROTO_TCP};
	ADDRINFOW *res;
	struct vec v;

	if (w32_to_wide(host, whost, sizeof whost / sizeof whost[0]) < 0)
		return IFPLEX_ENOTFOUND;
	int e = GetAddrInfoW(whost, NULL, &hints, &res);
	if (e != 0)
		return w32_fail("getaddrinfow", (DWORD)e);
	vec_init(&v, w32_host, sizeof **list);
	int rc = 0;
	for (ADDRINFOW *r = res; r && rc == 0; r = r->ai_next) {
		struct ifplex_netaddr a;
		if (!r->ai_addr || w32_from_sockaddr(r->ai_addr, (int)r->ai_addrlen, &a) < 0)
			continue;
		/* One entry per address: the resolver repeats them per protocol. */
		int dup = 0;
		for (size_t i = 0; i < v.len && !dup; i++) {
			const struct ifplex_ip *seen = (const struct ifplex_ip *)v.data + i;
			dup = seen->len == a.ip.len && memcmp(seen->b, a.ip.b, a.ip.len) == 0;
		}
		struct ifplex_ip *ip;
		if (dup)
			continue;
		if (!(ip = vec_push(&v)))
			rc = IFPLEX_ENOMEM;
		else
			*ip = a.ip;
	}
	FreeAddrInfoW(res);
	if (rc == 0 && v.len == 0)
		rc = IFPLEX_ENOTFOUND;
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}

int w32_lookup_port(void *state, int kind, const char *service, int *port)
{
	const char *proto = kind == IFPLEX_NET_UDP ? "udp" : "tcp";

	/* Winsock keeps the answer in per-thread memory. */
	struct servent *s = getservbyname(service, proto);
	if (!s) {
		DWORD e = WSAGetLastError();
		if (e == WSANO_DATA || e == WSAHOST_NOT_FOUND || e == 0)
			return w32_host->fail_text("unknown port", IFPLEX_EBADPORT);
		return w32_fail("getservbyname", e);
	}
	*port = ntohs((u_short)s->s_port);
	return 0;
}

int w32_lookup_addr(void *state, const struct ifplex_ip *ip, char ***names, size_t *count)
{
	struct ifplex_netaddr a = {.kind = IFPLEX_NETADDR_IP, .ip = *ip};
	int family = ipsa_ip4(ip) ? AF_INET : AF_INET6;
	struct sockaddr_storage ss;
	int len;
	wchar_t whost[NI_MAXHOST];
	char host[3 * NI_MAXHOST];

	int rc = w32_to_sockaddr(&a, family, &ss, &len);
	if (rc < 0)
		return rc;
	int e = GetNameInfoW((struct sockaddr *)&ss, len, whost, NI_MAXHOST, NULL, 0, NI_NAMEREQD);
	if (e != 0)
		return w32_fail("getnameinfow", (DWORD)e);
	if ((rc = w32_to_utf8(whost, host, sizeof host)) < 0)
		return w32_host->fail_text("getnameinfow: the name is not valid UTF-16",
					   IFPLEX_EMALFORMED);
	/* One allocation: the pointer array, then the text it points into. */
	size_t n = strlen(host) + 1;
	char **out = w32_host->alloc(2 * sizeof(char *) + n);
	if (!out)
		return IFPLEX_ENOMEM;
	out[0] = (char *)(out + 2);
	out[1] = NULL;
	memcpy(out[0], host, n);
	*names = out;
	*count = 1;
	return 0;
}
