/* SPDX-License-Identifier: MIT */
/* Address resolution (Go's Resolve*Addr) and the lookup calls. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int backend_lookup(struct ifplex__active *a, const char *what)
{
	int rc = ifplex__backend(a);

	if (rc < 0)
		return ifplex__set_errorf(rc, "lookup %s: %s", what, ifplex__last_message());
	ifplex__pending_clear();
	return 0;
}

/* "lookup NAME: no such host" (ENOTFOUND's text), or the backend's own
 * words when it gave some ("cs: can't translate address"). */
static int lookup_failed(int rc, const char *what)
{
	return ifplex__op_error(rc, "lookup", NULL, what);
}

static int unsupported(const struct ifplex__active *a, const char *what)
{
	return ifplex__set_errorf(IFPLEX_ENOTSUP, "lookup %s: not supported by backend %s", what,
				  a->be->name);
}

/* Digits and dots only: meant as IPv4, so never sent to a resolver (which
 * might read "1.2.3" or "0x7f.1" the inet_aton way). */
static int looks_numeric(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return 0;
	return 1;
}

/* Go sends only valid DNS names to a resolver; others do not exist.  (Go
 * reads /etc/hosts first, whatever the name; ifplex asks nobody.) */
static int dns_name(const char *name)
{
	if (ifplex__is_domain_name(name))
		return 0;
	return ifplex__set_errorf(IFPLEX_ENOTFOUND, "lookup %s: no such host", name);
}

static int is_v6(const struct ifplex_ip *ip)
{
	return ip->len == 16 && !ifplex__ip4(ip);
}

/* Go's ipv4only and ipv6only filters, for a network's family (0: both). */
static int family_fits(const struct ifplex_ip *ip, int family)
{
	return family == 0 || (family == 4 ? ifplex__ip4(ip) != NULL : is_v6(ip));
}

/* golang.org/issue/18806: "::" alone also means 0.0.0.0, for a host that
 * can bind "::" but not connect to it, and for "tcp4". */
static int twin_wanted(const struct ifplex_ip *ips, size_t n, const char *zone)
{
	static const uint8_t zero[16];

	return n == 1 && is_v6(&ips[0]) && memcmp(ips[0].b, zero, 16) == 0 && !zone[0];
}

/* Go's filterAddrList: keep the IPs of family, in order; none is an error. */
static int keep_family(int family, const char *host, struct ifplex_ip *ips, size_t *n)
{
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++)
		if (family_fits(&ips[i], family))
			ips[kept++] = ips[i];
	*n = kept;
	return kept ? 0 : ifplex__addr_error(IFPLEX_EBADADDR, host, "no suitable address found");
}

/* An IP literal host (a zone for IPv6 into zone) as Go's lookupIPAddr and
 * filterAddrList give it, into ips[2] without allocating: 1 with *n IPs
 * of family, 0 when host is a name to look up, or an error. */
static int literal_ips(int family, const char *host, struct ifplex_ip ips[2], size_t *n,
		       char *zone, size_t zonelen)
{
	int rc;

	zone[0] = '\0';
	rc = ifplex__ip_parse_zone_n(host, strlen(host), &ips[0], zone, zonelen);
	if (rc == IFPLEX_ESHORTBUF)
		return ifplex__addr_error(IFPLEX_EBADADDR, host, "zone too long");
	if (rc < 0) {
		const char *pct = strchr(host, '%');
		struct ifplex_ip tmp;
		if (looks_numeric(host) ||
		    (pct && ifplex__ip_parse_n(host, (size_t)(pct - host), &tmp, NULL) == 0))
			return ifplex__addr_error(IFPLEX_EBADADDR, host, "invalid IP address");
		return 0;
	}
	*n = 1;
	if (twin_wanted(ips, *n, zone))
		ips[(*n)++] = ifplex_ipv4(0, 0, 0, 0);
	return (rc = keep_family(family, host, ips, n)) < 0 ? rc : 1;
}

/* A host name through the backend's resolver, as Go's lookupIPAddr and
 * filterAddrList: the IPs of family, IPv4 in 4 bytes, on the heap. */
static int name_ips(int family, const char *host, struct ifplex_ip **list, size_t *count)
{
	struct ifplex_ip *ips = NULL;
	struct ifplex__active a;
	size_t n = 0;
	int rc;

	if ((rc = dns_name(host)) < 0 || (rc = backend_lookup(&a, host)) < 0)
		return rc;
	if (!a.be->lookup_ip)
		return unsupported(&a, host);
	rc = a.be->lookup_ip(a.state, host, family, &ips, &n);
	rc = ifplex__plugin_list(&a, "lookup_ip", rc, &ips, &n, sizeof *ips, ifplex__ip_ok);
	if (rc == 0 && n == 0)
		rc = IFPLEX_ENOTFOUND;
	if (rc < 0) {
		ifplex_free(ips);
		return lookup_failed(rc, host);
	}
	for (size_t i = 0; i < n; i++)
		ifplex__ip_norm(&ips[i]);
	if (twin_wanted(ips, n, "")) {
		struct ifplex_ip *more = ifplex__realloc(ips, 2 * sizeof *ips);
		if (!more) {
			ifplex_free(ips);
			return ifplex__set_errorf(IFPLEX_ENOMEM, "lookup %s: out of memory", host);
		}
		ips = more;
		ips[n++] = ifplex_ipv4(0, 0, 0, 0);
	}
	if ((rc = keep_family(family, host, ips, &n)) < 0) {
		ifplex_free(ips);
		return rc;
	}
	*list = ips;
	*count = n;
	return 0;
}

/* Go's lookupIPAddr and filterAddrList for a non-empty host, on the heap;
 * zone receives a literal's zone ("" if none). */
static int host_ips(int family, const char *host, struct ifplex_ip **list, size_t *count,
		    char *zone, size_t zonelen)
{
	struct ifplex_ip lit[2];
	size_t n = 0;
	int rc = literal_ips(family, host, lit, &n, zone, zonelen);

	if (rc == 0)
		return name_ips(family, host, list, count);
	if (rc < 0)
		return rc;
	if (!(*list = ifplex__alloc(n * sizeof **list, 0)))
		return ifplex__set_errorf(IFPLEX_ENOMEM, "lookup %s: out of memory", host);
	memcpy(*list, lit, n * sizeof lit[0]);
	*count = n;
	return 0;
}

int ifplex_lookup_ip(const char *network, const char *host, struct ifplex_ip **list, size_t *count)
{
	struct ifplex_network n = {.kind = IFPLEX_NET_IP};
	char zone[IFPLEX_NAME_MAX];
	int rc;

	if (!host || !list || !count)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_lookup_ip", "NULL argument");
	*list = NULL;
	*count = 0;
	if (network && (rc = ifplex__network_parse(network, 0, &n)) < 0)
		return rc;
	if (n.kind != IFPLEX_NET_IP)
		return ifplex__set_errorf(IFPLEX_EUNKNOWNNET, "unknown network %s", network);
	if (!*host)
		return ifplex__set_errorf(IFPLEX_ENOTFOUND, "lookup : no such host");
	return host_ips(n.family, host, list, count, zone, sizeof zone);
}

/* The backend's answer for a service name, lower-cased as Go asks. */
static int port_by_name(const char *network, int kind, const char *service, int *port)
{
	struct ifplex__active a;
	char lower[64];
	size_t n = strlen(service);
	int rc = IFPLEX_ENOTFOUND;

	if (n < sizeof lower) {
		for (size_t i = 0; i <= n; i++)
			lower[i] = (service[i] >= 'A' && service[i] <= 'Z') ? (char)(service[i] + 32)
									    : service[i];
		if ((rc = backend_lookup(&a, service)) < 0)
			return rc;
		if (!a.be->lookup_port)
			return ifplex__set_errorf(IFPLEX_ENOTSUP, "lookup %s/%s: not supported by backend %s",
						  network, service, a.be->name);
		/* Go's "" network is a wildcard: either protocol. */
		rc = a.be->lookup_port(a.state, kind ? kind : IFPLEX_NET_TCP, lower, port);
		if (!kind && (rc == IFPLEX_ENOTFOUND || rc == IFPLEX_EBADPORT))
			rc = a.be->lookup_port(a.state, IFPLEX_NET_UDP, lower, port);
	}
	if (rc == IFPLEX_ENOTFOUND || rc == IFPLEX_EBADPORT)
		/* Current Go's DNSError (1.19 said "address tcp/x: unknown port");
		 * the "" network is named "ip" there. */
		return ifplex__set_errorf(IFPLEX_EBADPORT, "lookup %s/%s: unknown port",
					  *network ? network : "ip", service);
	return rc < 0 ? lookup_failed(rc, service) : 0;
}

int ifplex_lookup_port(const char *network, const char *service, int *port)
{
	struct ifplex_network n = {0};
	int p, rc;

	if (!service || !port)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_lookup_port", "NULL argument");
	/* The network matters only for a name (Go's needsLookup). */
	if (ifplex__parse_port(service, &p) < 0) {
		if (network && *network &&
		    (ifplex__network_parse(network, 1, &n) < 0 ||
		     (n.kind != IFPLEX_NET_TCP && n.kind != IFPLEX_NET_UDP)))
			return ifplex__addr_error(IFPLEX_EUNKNOWNNET, network, "unknown network");
		if ((rc = port_by_name(network && *network ? network : "ip", n.kind, service, &p)) < 0)
			return rc;
	}
	if (p < 0 || p > 65535)
		return ifplex__addr_error(IFPLEX_EBADPORT, service, "invalid port");
	*port = p;
	return 0;
}

/* Go's Resolve*Addr, with every candidate for dial: out->list holds the
 * addresses in the order to try, the family Go's forResolve prefers first;
 * out->count >= 1 on success.  A literal, a path or the wildcard (one or
 * two candidates) stays in out->here: a dial to "127.0.0.1:80" allocates
 * nothing; a name's answers may be more, and go to the heap. */
int ifplex__resolve(const struct ifplex_network *n, const char *address,
		    struct ifplex__cands *out)
{
	char host[IFPLEX_HOST_MAX + IFPLEX_NAME_MAX], service[64];
	struct ifplex_netaddr base;
	int rc;

	out->list = out->here;
	out->count = 0;
	memset(&base, 0, sizeof base);
	base.kind = IFPLEX_NETADDR_IP;
	if (n->kind == IFPLEX_NET_UNIX || n->kind == IFPLEX_NET_UNIXGRAM ||
	    n->kind == IFPLEX_NET_UNIXPACKET) {
		size_t len = strlen(address);
		if (len >= IFPLEX_PATH_MAX)
			return ifplex__addr_error(IFPLEX_EBADADDR, address, "too long for a Unix socket");
		base.kind = IFPLEX_NETADDR_UNIX;
		memcpy(base.path, address, len + 1);
		out->here[out->count++] = base;
		return 0;
	}
	if (n->kind == IFPLEX_NET_IP) {
		size_t len = strlen(address);
		base.kind = IFPLEX_NETADDR_IPRAW;
		if (len >= sizeof host)
			return ifplex__addr_error(IFPLEX_EBADADDR, address, "too long");
		memcpy(host, address, len + 1);
	} else if (*address) {
		rc = ifplex_split_host_port(address, host, sizeof host, service, sizeof service);
		if (rc == IFPLEX_ESHORTBUF)
			return ifplex__addr_error(IFPLEX_EBADADDR, address, "too long");
		if (rc < 0 || (rc = ifplex_lookup_port(n->name, service, &base.port)) < 0)
			return rc;
	} else {
		host[0] = '\0';
	}
	if (!*host) {
		out->here[out->count++] = base; /* the wildcard */
		return 0;
	}
	struct ifplex_ip lit[2], *ips = lit;
	size_t nips = 0;
	rc = literal_ips(n->family, host, lit, &nips, base.zone, sizeof base.zone);
	if (rc == 0)
		rc = name_ips(n->family, host, &ips, &nips);
	if (rc < 0)
		return rc;
	if (nips > sizeof out->here / sizeof out->here[0] &&
	    !(out->list = ifplex__alloc(nips * sizeof *out->list, 0))) {
		out->list = out->here;
		ifplex_free(ips);
		return ifplex__set_errorf(IFPLEX_ENOMEM, "resolve %s: out of memory", address);
	}
	/* Go's forResolve: an IPv6 literal ("[::1]:80", or a colon for raw IP)
	 * prefers IPv6, anything else IPv4; the other family follows. */
	int want6 = strchr(address, n->kind == IFPLEX_NET_IP ? ':' : '[') != NULL;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nips; i++) {
			int v6 = ifplex__ip4(&ips[i]) == NULL;
			if (n->family == 0 && (pass == 0) != (v6 == want6))
				continue;
			if (n->family != 0 && pass == 1)
				continue;
			struct ifplex_netaddr *e = &out->list[out->count++];
			*e = base;
			e->ip = ips[i];
		}
	}
	if (ips != lit)
		ifplex_free(ips);
	return 0;
}

void ifplex__cands_free(struct ifplex__cands *c)
{
	if (c->list != c->here)
		ifplex_free(c->list);
	c->list = c->here;
	c->count = 0;
}

/* Go 1.0's "" network: "tcp" for an address with a port, else "ip". */
static const char *wildcard_network(const char *address)
{
	char host[IFPLEX_HOST_MAX + IFPLEX_NAME_MAX], port[64];
	const char *why;

	return ifplex__split_host_port(address, host, sizeof host, port, sizeof port, &why) == 0
		? "tcp" : "ip";
}

int ifplex_resolve_addr(const char *network, const char *address, struct ifplex_netaddr *out)
{
	struct ifplex_network n;
	struct ifplex__cands cands;
	int rc;

	if (!network || !address || !out)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_resolve_addr", "NULL argument");
	if (!*network)
		network = wildcard_network(address);
	if ((rc = ifplex__network_parse(network, 0, &n)) < 0)
		return rc;
	if ((rc = ifplex__resolve(&n, address, &cands)) < 0)
		return rc;
	*out = cands.list[0];
	ifplex__cands_free(&cands);
	return 0;
}

int ifplex_lookup_addr(const char *addr, char ***names, size_t *count)
{
	struct ifplex__active a;
	struct ifplex_ip ip;
	char zone[IFPLEX_NAME_MAX];
	int rc;

	if (!addr || !names || !count)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_lookup_addr", "NULL argument");
	*names = NULL;
	*count = 0;
	if (ifplex__ip_parse_zone_n(addr, strlen(addr), &ip, zone, sizeof zone) < 0)
		return ifplex__set_errorf(IFPLEX_EBADADDR, "lookup %s: unrecognized address", addr);
	if ((rc = backend_lookup(&a, addr)) < 0)
		return rc;
	if (!a.be->lookup_addr)
		return unsupported(&a, addr);
	rc = a.be->lookup_addr(a.state, &ip, names, count);
	rc = ifplex__plugin_list(&a, "lookup_addr", rc, names, count, sizeof **names, ifplex__name_ok);
	return rc < 0 ? lookup_failed(rc, addr) : 0;
}

int ifplex_lookup_cname(const char *host, char *buf, size_t len)
{
	struct ifplex__active a;
	int rc;

	if (!host || !buf || !len)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_lookup_cname", "NULL argument or empty buffer");
	buf[0] = '\0';
	if ((rc = dns_name(host)) < 0 || (rc = backend_lookup(&a, host)) < 0)
		return rc;
	if (!a.be->lookup_cname)
		return unsupported(&a, host);
	rc = a.be->lookup_cname(a.state, host, buf, len);
	return rc < 0 ? lookup_failed(rc, host) : 0;
}

int ifplex_lookup_srv(const char *service, const char *proto, const char *name,
		      struct ifplex_srv **list, size_t *count)
{
	struct ifplex__active a;
	char target[IFPLEX_HOST_MAX + 160];
	int rc;

	if (!name || !list || !count)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_lookup_srv", "NULL argument");
	*list = NULL;
	*count = 0;
	/* Go: with service and proto empty, look the name up as given. */
	if ((!service || !*service) && (!proto || !*proto))
		snprintf(target, sizeof target, "%s", name);
	else
		snprintf(target, sizeof target, "_%s._%s.%s", service ? service : "",
			 proto ? proto : "", name);
	if ((rc = dns_name(target)) < 0 || (rc = backend_lookup(&a, target)) < 0)
		return rc;
	if (!a.be->lookup_srv)
		return unsupported(&a, target);
	rc = a.be->lookup_srv(a.state, target, list, count);
	rc = ifplex__plugin_list(&a, "lookup_srv", rc, list, count, sizeof **list, ifplex__srv_ok);
	return rc < 0 ? lookup_failed(rc, target) : 0;
}

int ifplex_lookup_mx(const char *name, struct ifplex_mx **list, size_t *count)
{
	struct ifplex__active a;
	int rc;

	if (!name || !list || !count)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_lookup_mx", "NULL argument");
	*list = NULL;
	*count = 0;
	if ((rc = dns_name(name)) < 0 || (rc = backend_lookup(&a, name)) < 0)
		return rc;
	if (!a.be->lookup_mx)
		return unsupported(&a, name);
	rc = a.be->lookup_mx(a.state, name, list, count);
	rc = ifplex__plugin_list(&a, "lookup_mx", rc, list, count, sizeof **list, ifplex__mx_ok);
	return rc < 0 ? lookup_failed(rc, name) : 0;
}
