/* SPDX-License-Identifier: MIT */
/* Interfaces and addresses from GetAdaptersAddresses, as Go's
 * interface_windows.go reads them: one call per answer, the buffer grown
 * while the system says it is too small. */
#include "w32.h"
#include "../common/vec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Go's initial size; each retry takes the size the system asked for. */
#define GAA_FIRST_SIZE 15000
#define GAA_TRIES 8

int w32_adapters(ULONG flags, IP_ADAPTER_ADDRESSES **out)
{
	ULONG size = GAA_FIRST_SIZE;

	*out = NULL;
	for (int i = 0; i < GAA_TRIES; i++) {
		IP_ADAPTER_ADDRESSES *buf = malloc(size);
		if (!buf)
			return IFPLEX_ENOMEM;
		ULONG want = size;
		ULONG err = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, buf, &want);
		if (err == ERROR_SUCCESS) {
			*out = buf;
			return 0;
		}
		free(buf);
		if (err == ERROR_NO_DATA)
			return 0;
		/* A list that grew between two calls asks again; a size that
		 * did not grow would loop for ever. */
		if (err != ERROR_BUFFER_OVERFLOW || want <= size)
			return w32_fail("getadaptersaddresses", err);
		size = want;
	}
	return w32_host->fail_text("getadaptersaddresses: the adapter list kept growing",
				   IFPLEX_EMALFORMED);
}

int w32_adapter_index(const IP_ADAPTER_ADDRESSES *a)
{
	DWORD i = a->IfIndex ? a->IfIndex : a->Ipv6IfIndex;
	return i > INT32_MAX ? 0 : (int)i;
}

/* The friendly name in UTF-8, cut at a character boundary to fit. */
static void adapter_name(const IP_ADAPTER_ADDRESSES *a, char *name)
{
	char buf[4 * IFPLEX_NAME_MAX];

	name[0] = '\0';
	if (!a->FriendlyName || w32_to_utf8(a->FriendlyName, buf, sizeof buf) < 0)
		return;
	size_t n = strlen(buf);
	if (n >= IFPLEX_NAME_MAX) {
		n = IFPLEX_NAME_MAX - 1;
		while (n > 0 && ((unsigned char)buf[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(name, buf, n);
	name[n] = '\0';
}

void w32_adapter_iface(const IP_ADAPTER_ADDRESSES *a, struct ifplex_iface *ifi)
{
	memset(ifi, 0, sizeof *ifi);
	ifi->index = w32_adapter_index(a);
	adapter_name(a, ifi->name);
	if (a->OperStatus == IfOperStatusUp)
		ifi->flags |= IFPLEX_IFF_UP | IFPLEX_IFF_RUNNING;
	/* Go infers the link's services from its media type. */
	switch (a->IfType) {
	case IF_TYPE_ETHERNET_CSMACD:
	case IF_TYPE_ISO88025_TOKENRING:
	case IF_TYPE_IEEE80211:
	case IF_TYPE_IEEE1394:
		ifi->flags |= IFPLEX_IFF_BROADCAST | IFPLEX_IFF_MULTICAST;
		break;
	case IF_TYPE_PPP:
	case IF_TYPE_TUNNEL:
		ifi->flags |= IFPLEX_IFF_POINTTOPOINT | IFPLEX_IFF_MULTICAST;
		break;
	case IF_TYPE_SOFTWARE_LOOPBACK:
		ifi->flags |= IFPLEX_IFF_LOOPBACK | IFPLEX_IFF_MULTICAST;
		break;
	case IF_TYPE_ATM:
		ifi->flags |= IFPLEX_IFF_BROADCAST | IFPLEX_IFF_POINTTOPOINT | IFPLEX_IFF_MULTICAST;
		break;
	}
	ifi->mtu = a->Mtu == 0xffffffff || a->Mtu > INT32_MAX ? -1 : (int)a->Mtu;
	ULONG hl = a->PhysicalAddressLength;
	if (hl > sizeof a->PhysicalAddress)
		hl = sizeof a->PhysicalAddress;
	memcpy(ifi->hwaddr, a->PhysicalAddress, hl);
	ifi->hwaddr_len = (uint8_t)hl;
}

int w32_interfaces(void *state, struct ifplex_iface **list, size_t *count)
{
	IP_ADAPTER_ADDRESSES *all;
	struct vec v;
	int rc = w32_adapters(GAA_IFACES, &all);

	if (rc < 0)
		return rc;
	vec_init(&v, w32_host, sizeof **list);
	for (IP_ADAPTER_ADDRESSES *a = all; a && rc == 0; a = a->Next) {
		struct ifplex_iface *ifi = vec_push(&v);
		if (!ifi)
			rc = IFPLEX_ENOMEM;
		else
			w32_adapter_iface(a, ifi);
	}
	free(all);
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}

int w32_adapter_find(int index, const char *name,
		     void (*fn)(const IP_ADAPTER_ADDRESSES *a, void *arg), void *arg)
{
	IP_ADAPTER_ADDRESSES *all;
	int rc = w32_adapters(GAA_IFACES, &all);

	if (rc < 0)
		return rc;
	rc = IFPLEX_ENOIFACE;
	for (IP_ADAPTER_ADDRESSES *a = all; a; a = a->Next) {
		if (name) {
			char n[IFPLEX_NAME_MAX];
			adapter_name(a, n);
			if (strcmp(n, name) != 0)
				continue;
		} else if (w32_adapter_index(a) != index) {
			continue;
		}
		fn(a, arg);
		rc = 0;
		break;
	}
	free(all);
	return rc;
}

static void iface_of(const IP_ADAPTER_ADDRESSES *a, void *out)
{
	w32_adapter_iface(a, out);
}

int w32_interface_by_index(void *state, int index, struct ifplex_iface *out)
{
	return w32_adapter_find(index, NULL, iface_of, out);
}

int w32_interface_by_name(void *state, const char *name, struct ifplex_iface *out)
{
	return w32_adapter_find(0, name, iface_of, out);
}

int w32_addr_of(const IP_ADAPTER_ADDRESSES *a, const SOCKET_ADDRESS *sa, int prefixlen,
		struct ifplex_addr *out)
{
	const struct sockaddr *s = sa->lpSockaddr;

	memset(out, 0, sizeof *out);
	if (!s || sa->iSockaddrLength < (INT)sizeof s->sa_family)
		return w32_host->fail_text("getadaptersaddresses: address without a family",
					   IFPLEX_EMALFORMED);
	if (s->sa_family == AF_INET && sa->iSockaddrLength >= (INT)sizeof(struct sockaddr_in)) {
		out->ip.len = 4;
		memcpy(out->ip.b, &((const struct sockaddr_in *)s)->sin_addr, 4);
	} else if (s->sa_family == AF_INET6 &&
		   sa->iSockaddrLength >= (INT)sizeof(struct sockaddr_in6)) {
		out->ip.len = 16;
		memcpy(out->ip.b, &((const struct sockaddr_in6 *)s)->sin6_addr, 16);
		const uint8_t *b = out->ip.b;
		static const uint8_t loop6[16] = {[15] = 1};
		/* Scoped addresses name their interface, as on Linux: link-local
		 * unicast, the host-scoped loopback, interface- and link-local
		 * multicast. */
		if ((b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || memcmp(b, loop6, 16) == 0 ||
		    (b[0] == 0xff && ((b[1] & 0x0f) == 1 || (b[1] & 0x0f) == 2)))
			adapter_name(a, out->zone);
	} else {
		return 0; /* another family: not an IP address */
	}
	int bits = out->ip.len * 8;
	if (prefixlen < 0)
		prefixlen = bits;
	if (prefixlen > bits)
		return w32_host->fail_text("getadaptersaddresses: prefix longer than the address",
					   IFPLEX_EMALFORMED);
	out->index = w32_adapter_index(a);
	out->prefixlen = prefixlen;
	return 1;
}

static int push_addr(struct vec *v, const IP_ADAPTER_ADDRESSES *a, const SOCKET_ADDRESS *sa,
		     int prefixlen)
{
	struct ifplex_addr one;
	int rc = w32_addr_of(a, sa, prefixlen, &one);

	if (rc <= 0)
		return rc;
	struct ifplex_addr *out = vec_push(v);
	if (!out)
		return IFPLEX_ENOMEM;
	*out = one;
	return 0;
}

static int adapter_addrs(const IP_ADAPTER_ADDRESSES *a, struct vec *v, int multicast)
{
	int rc = 0;

	if (multicast) {
		for (IP_ADAPTER_MULTICAST_ADDRESS *m = a->FirstMulticastAddress; m && rc == 0;
		     m = m->Next)
			rc = push_addr(v, a, &m->Address, -1);
		return rc;
	}
	for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u && rc == 0; u = u->Next)
		rc = push_addr(v, a, &u->Address, u->OnLinkPrefixLength);
	/* Go lists anycast addresses too, as addresses without a mask. */
	for (IP_ADAPTER_ANYCAST_ADDRESS *y = a->FirstAnycastAddress; y && rc == 0; y = y->Next)
		rc = push_addr(v, a, &y->Address, -1);
	return rc;
}

int w32_adapter_list(ULONG flags, int index, size_t elem,
		     int (*fn)(const IP_ADAPTER_ADDRESSES *a, struct vec *v, void *arg), void *arg,
		     void *list, size_t *count)
{
	IP_ADAPTER_ADDRESSES *all;
	struct vec v;
	int rc = w32_adapters(flags, &all);

	if (rc < 0)
		return rc;
	vec_init(&v, w32_host, elem);
	int found = index == 0;
	for (IP_ADAPTER_ADDRESSES *a = all; a && rc == 0; a = a->Next) {
		if (index != 0 && w32_adapter_index(a) != index)
			continue;
		found = 1;
		rc = fn(a, &v, arg);
	}
	free(all);
	if (rc == 0 && !found)
		rc = IFPLEX_ENOIFACE;
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}

static int unicast_of(const IP_ADAPTER_ADDRESSES *a, struct vec *v, void *arg)
{
	return adapter_addrs(a, v, 0);
}

static int multicast_of(const IP_ADAPTER_ADDRESSES *a, struct vec *v, void *arg)
{
	return adapter_addrs(a, v, 1);
}

int w32_interface_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	return w32_adapter_list(GAA_UNICAST, index, sizeof **list, unicast_of, NULL, list, count);
}

int w32_multicast_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	return w32_adapter_list(GAA_MULTICAST, index, sizeof **list, multicast_of, NULL, list, count);
}

int w32_interface_ipv4(int index, struct in_addr *out)
{
	IP_ADAPTER_ADDRESSES *all;
	int rc = w32_adapters(GAA_UNICAST, &all);

	if (rc < 0)
		return rc;
	rc = IFPLEX_ENOIFACE;
	for (IP_ADAPTER_ADDRESSES *a = all; a && rc == IFPLEX_ENOIFACE; a = a->Next) {
		if (w32_adapter_index(a) != index)
			continue;
		rc = w32_host->fail_text("no IPv4 address on the interface", -EADDRNOTAVAIL);
		for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u; u = u->Next) {
			const struct sockaddr *s = u->Address.lpSockaddr;
			if (s && s->sa_family == AF_INET &&
			    u->Address.iSockaddrLength >= (INT)sizeof(struct sockaddr_in)) {
				*out = ((const struct sockaddr_in *)s)->sin_addr;
				rc = 0;
				break;
			}
		}
	}
	free(all);
	return rc;
}
