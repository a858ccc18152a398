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

static int lookup_failed(int rc, const char *what)
{
	if (rc == IFPLEX_ENOTFOUND)
		return ifplex__set_errorf(rc, "lookup %s: no such host", what);
	return ifplex__op_error(rc, "lookup", NULL, what);
}

/* Only digits and dots: meant as IPv4, so never sent to the resolver. */
static int looks_numeric(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return 0;
	return 1;
}

static int family_of(const struct ifplex_ip *ip)
{
	struct ifplex_ip v4;

	return ifplex_ip_to4(ip, &v4) == 0 ? 4 : 6;
}

int ifplex_lookup_ip(const char *network, const char *host, struct ifplex_ip **list, size_t *count)
{
	struct ifplex__active a;
	int family = 0, rc;

	if (!host || !list || !count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "lookup: NULL argument");
	*list = NULL;
	*count = 0;
	if (network && strcmp(network, "ip") != 0) {
		if (strcmp(network, "ip4") == 0)
			family = 4;
		else if (strcmp(network, "ip6") == 0)
			family = 6;
		else
			return ifplex__set_errorf(IFPLEX_EUNKNOWNNET, "lookup %s: unknown network %s",
						  host, network);
	}
	if (!*host)
		return ifplex__set_errorf(IFPLEX_ENOTFOUND, "lookup : no such host");
	struct ifplex_ip lit;
	if (ifplex__ip_parse_n(host, strlen(host), &lit, NULL) == 0) {
		if (family && family_of(&lit) != family)
			return ifplex__set_errorf(IFPLEX_EBADADDR, "address %s: no suitable address found",
						  host);
		*list = ifplex__alloc(sizeof **list, 1);
		if (!*list)
			return ifplex__set_errorf(IFPLEX_ENOMEM, "lookup %s: out of memory", host);
		**list = lit;
		*count = 1;
		return 0;
	}
	if (looks_numeric(host))
		return ifplex__set_errorf(IFPLEX_EBADADDR, "address %s: invalid IP address", host);
	if ((rc = backend_lookup(&a, host)) < 0)
		return rc;
	if (!a.be->lookup_ip)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "lookup %s: not supported by backend %s",
					  host, a.be->name);
	rc = a.be->lookup_ip(a.state, host, family, list, count);
	rc = ifplex__plugin_list(&a, "lookup_ip", rc, list, count, sizeof **list, ifplex__ip_ok);
	if (rc == 0 && *count == 0) {
		ifplex_free(*list);
		*list = NULL;
		rc = IFPLEX_ENOTFOUND;
	}
	return rc < 0 ? lookup_failed(rc, host) : 0;
}

int ifplex_lookup_port(const char *network, const char *service, int *port)
{
	struct ifplex__active a;
	struct ifplex_network n;
	int rc;

	if (!network || !service || !port)
		return ifplex__set_errorf(IFPLEX_EINVAL, "lookup port: NULL argument");
	if (ifplex_network_parse(network, &n) < 0 ||
	    (n.kind != IFPLEX_NET_TCP && n.kind != IFPLEX_NET_UDP))
		return ifplex__set_errorf(IFPLEX_EUNKNOWNNET, "lookup %s/%s: unknown network %s",
					  network, service, network);
	if (ifplex__parse_port(service, port) == 0) {
		if (*port < 0)
			return ifplex__set_errorf(IFPLEX_EBADPORT, "address %s: invalid port", service);
		return 0;
	}
	if (!*service || service[0] == '-' || service[0] == '+')
		return ifplex__set_errorf(IFPLEX_EBADPORT, "address %s: invalid port", service);
	if ((rc = backend_lookup(&a, service)) < 0)
		return rc;
	if (!a.be->lookup_port)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "lookup %s/%s: not supported by backend %s",
					  network, service, a.be->name);
	rc = a.be->lookup_port(a.state, n.kind, service, port);
	if (rc == IFPLEX_ENOTFOUND || rc == IFPLEX_EBADPORT)
		return ifplex__set_errorf(IFPLEX_EBADPORT, "lookup %s/%s: unknown port", network, service);
	return rc < 0 ? lookup_failed(rc, service) : 0;
}

/* Go's Resolve*Addr, with every candidate for dial: *list holds the
 * addresses in the order to try (IPv4 first for a family-0 network, as Go's
 * forResolve does); *count >= 1 on success. */
int ifplex__resolve(const struct ifplex_network *n, const char *address,
		    struct ifplex_netaddr **list, size_t *count)
{
	char host[IFPLEX_HOST_MAX + IFPLEX_NAME_MAX], service[64];
	struct ifplex_netaddr base = {.kind = IFPLEX_NETADDR_IP};
	int rc;

	*list = NULL;
	*count = 0;
	if (n->kind == IFPLEX_NET_UNIX || n->kind == IFPLEX_NET_UNIXGRAM ||
	    n->kind == IFPLEX_NET_UNIXPACKET) {
		if (strlen(address) >= IFPLEX_PATH_MAX)
			return ifplex__set_errorf(IFPLEX_EBADADDR, "address %s: too long for a Unix socket",
						  address);
		base.kind = IFPLEX_NETADDR_UNIX;
		strcpy(base.path, address);
		goto one;
	}
	if (n->kind == IFPLEX_NET_IP) {
		if (strlen(address) >= sizeof host)
			return ifplex__set_errorf(IFPLEX_EBADADDR, "address %s: too long", address);
		strcpy(host, address);
	} else {
		rc = ifplex_split_host_port(address, host, sizeof host, service, sizeof service);
		if (rc < 0)
			return rc;
		/* "" is port 0, as Go's "127.0.0.1:" means any port. */
		if (*service && ifplex__parse_port(service, &base.port) == 0) {
			if (base.port < 0)
				return ifplex__set_errorf(IFPLEX_EBADPORT, "address %s: invalid port", service);
		} else if (*service) {
			if ((rc = ifplex_lookup_port(n->name, service, &base.port)) < 0)
				return rc;
		}
	}
	if (!*host)
		goto one; /* wildcard */
	char *pct = strchr(host, '%');
	if (pct) {
		if (strlen(pct + 1) >= IFPLEX_NAME_MAX || !pct[1])
			return ifplex__set_errorf(IFPLEX_EBADADDR, "address %s: invalid zone", host);
		strcpy(base.zone, pct + 1);
		*pct = '\0';
	}
	struct ifplex_ip *ips = NULL;
	size_t nips = 0;
	const char *fam = n->family == 4 ? "ip4" : n->family == 6 ? "ip6" : "ip";
	rc = ifplex_lookup_ip(fam, host, &ips, &nips);
	if (rc < 0)
		return rc;
	if (base.zone[0] && (nips != 1 || family_of(&ips[0]) != 6)) {
		ifplex_free(ips);
		return ifplex__set_errorf(IFPLEX_EBADADDR, "address %s%%%s: invalid IP address", host,
					  base.zone);
	}
	*list = ifplex__alloc(nips * sizeof **list, 1);
	if (!*list) {
		ifplex_free(ips);
		return ifplex__set_errorf(IFPLEX_ENOMEM, "resolve %s: out of memory", address);
	}
	/* Two passes: IPv4 first when the network takes either family. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nips; i++) {
			int f = family_of(&ips[i]);
			if (n->family == 0 && (pass == 0) != (f == 4))
				continue;
			if (n->family != 0 && pass == 1)
				continue;
			struct ifplex_netaddr *e = &(*list)[(*count)++];
			*e = base;
			e->ip = ips[i];
		}
	}
	ifplex_free(ips);
	return 0;
one:
	*list = ifplex__alloc(sizeof **list, 1);
	if (!*list)
		return ifplex__set_errorf(IFPLEX_ENOMEM, "resolve %s: out of memory", address);
	**list = base;
	*count = 1;
	return 0;
}

int ifplex_resolve_addr(const char *network, const char *address, struct ifplex_netaddr *out)
{
	struct ifplex_network n;
	struct ifplex_netaddr *list;
	size_t count;
	int rc;

	if (!network || !address || !out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "resolve: NULL argument");
	if ((rc = ifplex_network_parse(network, &n)) < 0)
		return rc;
	if ((rc = ifplex__resolve(&n, address, &list, &count)) < 0)
		return rc;
	*out = list[0];
	ifplex_free(list);
	return 0;
}

int ifplex_lookup_addr(const char *addr, char ***names, size_t *count)
{
	struct ifplex__active a;
	struct ifplex_ip ip;
	char zone[IFPLEX_NAME_MAX];
	int rc;

	if (!addr || !names || !count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "lookup: NULL argument");
	*names = NULL;
	*count = 0;
	if (ifplex_ip_parse_zone(addr, &ip, zone, sizeof zone) < 0)
		return ifplex__set_errorf(IFPLEX_EBADADDR, "address %s: unrecognized address", addr);
	if ((rc = backend_lookup(&a, addr)) < 0)
		return rc;
	if (!a.be->lookup_addr)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "lookup %s: not supported by backend %s",
					  addr, a.be->name);
	rc = a.be->lookup_addr(a.state, &ip, names, count);
	rc = ifplex__plugin_list(&a, "lookup_addr", rc, names, count, sizeof **names, ifplex__name_ok);
	return rc < 0 ? lookup_failed(rc, addr) : 0;
}

int ifplex_lookup_cname(const char *host, char *buf, size_t len)
{
	struct ifplex__active a;
	int rc;

	if (!host || !buf || !len)
		return ifplex__set_errorf(IFPLEX_EINVAL, "lookup: NULL argument");
	buf[0] = '\0';
	if ((rc = backend_lookup(&a, host)) < 0)
		return rc;
	if (!a.be->lookup_cname)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "lookup %s: not supported by backend %s",
					  host, a.be->name);
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
		return ifplex__set_errorf(IFPLEX_EINVAL, "lookup: NULL argument");
	*list = NULL;
	*count = 0;
	/* Go: with service and proto empty, look the name up as given. */
	if ((!service || !*service) && (!proto || !*proto))
		snprintf(target, sizeof target, "%s", name);
	else
		snprintf(target, sizeof target, "_%s._%s.%s", service ? service : "",
			 proto ? proto : "", name);
	if (strlen(target) >= IFPLEX_HOST_MAX)
		return ifplex__set_errorf(IFPLEX_EBADADDR, "lookup %s: name too long", target);
	if ((rc = backend_lookup(&a, target)) < 0)
		return rc;
	if (!a.be->lookup_srv)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "lookup %s: not supported by backend %s",
					  target, a.be->name);
	rc = a.be->lookup_srv(a.state, target, list, count);
	rc = ifplex__plugin_list(&a, "lookup_srv", rc, list, count, sizeof **list, ifplex__srv_ok);
	return rc < 0 ? lookup_failed(rc, target) : 0;
}

int ifplex_lookup_mx(const char *name, struct ifplex_mx **list, size_t *count)
{
	struct ifplex__active a;
	int rc;

	if (!name || !list || !count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "lookup: NULL argument");
	*list = NULL;
	*count = 0;
	if ((rc = backend_lookup(&a, name)) < 0)
		return rc;
	if (!a.be->lookup_mx)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "lookup %s: not supported by backend %s",
					  name, a.be->name);
	rc = a.be->lookup_mx(a.state, name, list, count);
	rc = ifplex__plugin_list(&a, "lookup_mx", rc, list, count, sizeof **list, ifplex__mx_ok);
	return rc < 0 ? lookup_failed(rc, name) : 0;
}
