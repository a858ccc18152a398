/* Network names ("tcp4", "ip6:58", "unixgram") and endpoint text. */
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
	{"unix", IFPLEX_NET_UNIX, 0},     {"unixgram", IFPLEX_NET_UNIXGRAM, 0},
	{"unixpacket", IFPLEX_NET_UNIXPACKET, 0},
};

/* Go's built-in protocol table, so that the core needs no /etc/protocols. */
static const struct {
	const char *name;
	int proto;
} protocols[] = {
	{"icmp", 1}, {"igmp", 2}, {"tcp", 6}, {"udp", 17}, {"ipv6-icmp", 58}, {"icmpv6", 58},
};

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
		char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b + 32) : *b;
		if (x != y || !x)
			return x - y;
	}
}

int ifplex_network_parse(const char *network, struct ifplex_network *out)
{
	struct ifplex_network n = {0};

	if (!network || !out)
		return IFPLEX_EINVAL;
	size_t len = strlen(network);
	if (len == 0 || len >= sizeof n.name)
		goto unknown;
	memcpy(n.name, network, len + 1);
	const char *colon = strrchr(network, ':');
	if (!colon) {
		for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
			if (strcmp(network, plain[i].name) == 0) {
				n.kind = plain[i].kind;
				n.family = plain[i].family;
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
	const char *p = colon + 1;
	if (*p >= '0' && *p <= '9') {
		int v = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9' || v > 255)
				goto unknown;
			v = v * 10 + (*p - '0');
		}
		if (v > 255)
			goto unknown;
		n.proto = v;
	} else {
		size_t i;
		for (i = 0; i < sizeof protocols / sizeof protocols[0]; i++)
			if (ascii_casecmp(p, protocols[i].name) == 0)
				break;
		if (i == sizeof protocols / sizeof protocols[0])
			goto unknown;
		n.proto = protocols[i].proto;
	}
	*out = n;
	return 0;
unknown:
	return ifplex__set_errorf(IFPLEX_EUNKNOWNNET, "unknown network %s", network);
}

int ifplex__parse_port(const char *s, int *port)
{
	long v = 0;

	if (!*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v <= 65535)
			v = v * 10 + (*p - '0');
	}
	*port = v > 65535 ? -2 : (int)v;
	return 0;
}

int ifplex_netaddr_string(const struct ifplex_netaddr *a, char *buf, size_t len)
{
	char ip[IFPLEX_IP_STRLEN], host[IFPLEX_IP_STRLEN + IFPLEX_NAME_MAX], port[8];

	if (!a || !buf)
		return IFPLEX_EINVAL;
	if (a->kind == IFPLEX_NETADDR_UNIX)
		return ifplex__copy_out(buf, len, a->path);
	if (a->kind != IFPLEX_NETADDR_IP)
		return IFPLEX_EINVAL;
	if (a->ip.len == 0)
		ip[0] = '\0';
	else
		ifplex_ip_string(&a->ip, ip, sizeof ip);
	if (a->zone[0])
		snprintf(host, sizeof host, "%s%%%s", ip, a->zone);
	else
		snprintf(host, sizeof host, "%s", ip);
	snprintf(port, sizeof port, "%d", a->port);
	return ifplex_join_host_port(host, port, buf, len);
}
