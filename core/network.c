/* SPDX-License-Identifier: MIT */
/* Network names ("tcp4", "ip6:58", "unixgram"), ports, and endpoint text,
 * as Go's parseNetwork, parsePort and Addr.String. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int kind, family;
} plain[] = {
	{"tcp", IFPLEX_NET_TCP, 0},       {"tcp4", IFPLEX_NET_TCP, 4},
	{"tcp6", IFPLEX_NET_TCP, 6},      {"udp", IFPLEX_NET_UDP, 0},
	{"udp4", IFPLEX_NET_UDP, 4},      {"udp6", IFPLEX_NET_UDP, 6},
	{"ip", IFPLEX_NET_IP, 0},         {"ip4", IFPLEX_NET_IP, 4},
	{"ip6", IFPLEX_NET_IP, 6},        {"unix", IFPLEX_NET_UNIX, 0},
	{"unixgram", IFPLEX_NET_UNIXGRAM, 0}, {"unixpacket", IFPLEX_NET_UNIXPACKET, 0},
};

/* Go's own protocol table, which the system's database only adds to. */
static const struct {
	const char *name;
	int proto;
} builtin_protocols[] = {
	{"icmp", 1}, {"igmp", 2}, {"tcp", 6}, {"udp", 17}, {"ipv6-icmp", 58},
};

/* Go's maxProtoLength: longer names are unknown, whatever the database says. */
#define PROTO_NAME_MAX 25

/* Go's dtoi: decimal digits, at most 0xFFFFFF; -1 if s is not that. */
static int dtoi(const char *s, int *out)
{
	int n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
		if (n >= 0xFFFFFF)
			return -1;
	}
	*out = n;
	return 0;
}

static int lookup_protocol(const char *name, int *proto)
{
	char lower[PROTO_NAME_MAX + 1];
	size_t n = strlen(name);

	if (n == 0 || n > PROTO_NAME_MAX)
		return -1;
	for (size_t i = 0; i <= n; i++)
		lower[i] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] - 'A' + 'a') : name[i];
	for (size_t i = 0; i < sizeof builtin_protocols / sizeof builtin_protocols[0]; i++) {
		if (strcmp(lower, builtin_protocols[i].name) == 0) {
			*proto = builtin_protocols[i].proto;
			return 0;
		}
	}
	return ifplex__os_protocol(lower, proto);
}

int ifplex__network_parse(const char *network, int needs_proto, struct ifplex_network *out)
{
	struct ifplex_network n = {0};
	const char *colon = strrchr(network, ':');

	if (!colon) {
		for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
			if (strcmp(network, plain[i].name) == 0 &&
			    !(needs_proto && plain[i].kind == IFPLEX_NET_IP)) {
				n.kind = plain[i].kind;
				n.family = plain[i].family;
				/* Names of the table: short, known to fit. */
				memcpy(n.name, plain[i].name, strlen(plain[i].name) + 1);
				*out = n;
				return 0;
			}
		}
		goto unknown;
	}
	size_t alen = (size_t)(colon - network);
	if (alen == 2 && memcmp(network, "ip", 2) == 0)
		n.family = 0;
	else if (alen == 3 && memcmp(network, "ip4", 3) == 0)
		n.family = 4;
	else if (alen == 3 && memcmp(network, "ip6", 3) == 0)
		n.family = 6;
	else
		goto unknown;
	n.kind = IFPLEX_NET_IP;
	if (dtoi(colon + 1, &n.proto) < 0 && lookup_protocol(colon + 1, &n.proto) < 0) {
		if (!colon[1])
			return ifplex__set_errorf(IFPLEX_EUNKNOWNNET, "unknown IP protocol specified");
		return ifplex__set_errorf(IFPLEX_EUNKNOWNNET, "address %s: unknown IP protocol specified",
					  colon + 1);
	}
	/* The name as given, unless it is too long to keep: then by number. */
	if (strlen(network) < sizeof n.name)
		memcpy(n.name, network, strlen(network) + 1);
	else
		snprintf(n.name, sizeof n.name, "%.*s:%d", (int)alen, network, n.proto);
	*out = n;
	return 0;
unknown:
	return ifplex__set_errorf(IFPLEX_EUNKNOWNNET, "unknown network %s", network);
}

int ifplex_network_parse(const char *network, struct ifplex_network *out)
{
	if (!network || !out)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_network_parse", "NULL argument");
	return ifplex__network_parse(network, 1, out);
}

int ifplex__parse_port(const char *s, int *port)
{
	/* Go's parsePort: an optional sign, then digits; large magnitudes
	 * saturate so that they stay out of range without overflowing. */
	const long cutoff = 1L << 30;
	int neg = 0;
	long n = 0;

	if (!*s) {
		*port = 0; /* golang.org/issue/13610: "" is port 0 */
		return 0;
	}
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (n < cutoff)
			n = n * 10 + (*p - '0');
	}
	if (n > 65535)
		n = 65536;
	*port = neg ? -(int)n : (int)n;
	return 0;
}

/* The n bytes of text at s that a fixed array of n holds: up to its NUL, or
 * all of it when a caller left none. */
static int bounded(const char *s, size_t n)
{
	return (int)strnlen(s, n);
}

int ifplex__netaddr_text(const struct ifplex_netaddr *a, char *buf, size_t len)
{
	char ip[IFPLEX_IP_STRLEN], out[IFPLEX_ADDR_STRLEN + 8];

	if (a->kind == IFPLEX_NETADDR_UNIX) {
		snprintf(out, sizeof out, "%.*s", bounded(a->path, sizeof a->path), a->path);
	} else if (a->kind == IFPLEX_NETADDR_IP || a->kind == IFPLEX_NETADDR_IPRAW) {
		if (a->ip.len == 0)
			ip[0] = '\0';
		else
			ifplex__ip_string(&a->ip, ip, sizeof ip);
		char host[IFPLEX_IP_STRLEN + IFPLEX_NAME_MAX];
		int zl = bounded(a->zone, sizeof a->zone);
		snprintf(host, sizeof host, "%s%s%.*s", ip, zl ? "%" : "", zl, a->zone);
		if (a->kind == IFPLEX_NETADDR_IPRAW)
			snprintf(out, sizeof out, "%s", host);
		else if (strchr(host, ':')) /* JoinHostPort brackets a host with a colon */
			snprintf(out, sizeof out, "[%s]:%d", host, a->port);
		else
			snprintf(out, sizeof out, "%s:%d", host, a->port);
	} else {
		return IFPLEX_EINVAL;
	}
	return ifplex__copy_out(buf, len, out);
}

int ifplex_netaddr_string(const struct ifplex_netaddr *a, char *buf, size_t len)
{
	if (!a || !buf)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_netaddr_string", "NULL argument");
	int rc = ifplex__netaddr_text(a, buf, len);
	if (rc == IFPLEX_EINVAL)
		return ifplex__set_errorf(rc, "ifplex_netaddr_string: unknown kind %d", a->kind);
	return rc < 0 ? ifplex__fail(rc, "ifplex_netaddr_string", NULL) : 0;
}

void ifplex__netaddr_fix(const struct ifplex_network *n, struct ifplex_netaddr *a)
{
	if (a->kind != IFPLEX_NETADDR_IP && a->kind != IFPLEX_NETADDR_IPRAW)
		return;
	if (n->kind == IFPLEX_NET_IP) {
		a->kind = IFPLEX_NETADDR_IPRAW;
		a->port = 0;
	}
	ifplex__ip_norm(&a->ip);
}
