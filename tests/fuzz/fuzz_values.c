/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the public parsers of the value layer: IP, IP with
 * zone, CIDR, host:port, network names, ParseMAC, ports and resolution of
 * literals.  Each success must survive a round trip (parse, format, parse
 * gives the same value); each failure must record a message that holds no
 * raw control byte.  Built without a backend, so that no name is ever
 * resolved. */
#include <ifplex.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define require(cond)                      \
	do {                               \
		if (!(cond))               \
			__builtin_trap();  \
	} while (0)

static void check_failure(int rc)
{
	if (rc >= 0)
		return;
	const char *m = ifplex_last_error();
	require(ifplex_last_error_code() == rc);
	require(m[0] && strlen(m) < 1024);
	for (const unsigned char *p = (const unsigned char *)m; *p; p++)
		require(*p >= 0x20 && *p != 0x7f);
}

static int same_ip(const struct ifplex_ip *a, const struct ifplex_ip *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

static void ip_round_trip(const char *s)
{
	struct ifplex_ip ip, back;
	char text[IFPLEX_IP_STRLEN], zone[IFPLEX_NAME_MAX], both[IFPLEX_ADDR_STRLEN];
	int rc = ifplex_ip_parse(s, &ip);

	check_failure(rc);
	if (rc == 0) {
		require(ip.len == 4 || ip.len == 16);
		require(ifplex_ip_string(&ip, text, sizeof text) == 0);
		require(ifplex_ip_parse(text, &back) == 0 && same_ip(&ip, &back));
	}
	rc = ifplex_ip_parse_zone(s, &ip, zone, sizeof zone);
	check_failure(rc);
	if (rc == 0) {
		require(ifplex_ip_string(&ip, text, sizeof text) == 0);
		strcpy(both, text);
		if (zone[0]) {
			require(ip.len == 16);
			strcat(both, "%");
			strcat(both, zone);
		}
		char z2[IFPLEX_NAME_MAX];
		require(ifplex_ip_parse_zone(both, &back, z2, sizeof z2) == 0);
		require(same_ip(&ip, &back) && strcmp(zone, z2) == 0);
	}
}

static void cidr_round_trip(const char *s)
{
	struct ifplex_ip ip;
	struct ifplex_ipnet net, back;
	char text[IFPLEX_IPNET_STRLEN];
	int rc = ifplex_cidr_parse(s, &ip, &net);

	check_failure(rc);
	if (rc != 0)
		return;
	/* Go's Contains compares IPv4 in 4 bytes: a mapped address with an
	 * IPv6-sized network is outside it, in Go too. */
	if (ip.len == net.ip.len)
		require(ifplex_ipnet_contains(&net, &ip));
	int ones, bits;
	require(ifplex_mask_size(&net.mask, &ones, &bits) == 0 && bits == 8 * net.mask.len);
	require(ifplex_ipnet_string(&net, text, sizeof text) == 0);
	/* The text of an IPv4-mapped network is the IPv4 one: compare as Go does. */
	require(ifplex_cidr_parse(text, NULL, &back) == 0);
	require(ifplex_ip_equal(&back.ip, &net.ip));
}

static void hostport_round_trip(const char *s)
{
	static char host[1 << 17], port[1 << 17], joined[1 << 18], h2[1 << 17], p2[1 << 17];
	int rc = ifplex_split_host_port(s, host, sizeof host, port, sizeof port);

	check_failure(rc);
	if (rc != 0)
		return;
	require(ifplex_join_host_port(host, port, joined, sizeof joined) == 0);
	require(ifplex_split_host_port(joined, h2, sizeof h2, p2, sizeof p2) == 0);
	require(strcmp(host, h2) == 0 && strcmp(port, p2) == 0);
}

static void network_round_trip(const char *s)
{
	struct ifplex_network n, back;
	int rc = ifplex_network_parse(s, &n);

	check_failure(rc);
	if (rc != 0)
		return;
	require(ifplex_network_parse(n.name, &back) == 0);
	require(back.kind == n.kind && back.family == n.family && back.proto == n.proto);
}

static void mac_round_trip(const char *s)
{
	uint8_t hw[IFPLEX_HWADDR_MAX], back[IFPLEX_HWADDR_MAX];
	size_t n, nb;
	char text[IFPLEX_HWADDR_STRLEN];
	int rc = ifplex_hwaddr_parse(s, hw, sizeof hw, &n);

	check_failure(rc);
	if (rc != 0)
		return;
	require(n == 6 || n == 8 || n == 20);
	require(ifplex_hwaddr_string(hw, n, text, sizeof text) == 0);
	require(ifplex_hwaddr_parse(text, back, sizeof back, &nb) == 0 && nb == n && memcmp(hw, back, n) == 0);
}

static void port_check(const char *s)
{
	int port = -1;
	int rc = ifplex_lookup_port("tcp", s, &port);

	check_failure(rc);
	if (rc == 0)
		require(port >= 0 && port <= 65535);
}

static void resolve_round_trip(const char *network, const char *s)
{
	struct ifplex_netaddr a, back;
	char text[IFPLEX_ADDR_STRLEN];
	int rc = ifplex_resolve_addr(network, s, &a);

	check_failure(rc);
	if (rc != 0)
		return;
	require(a.port >= 0 && a.port <= 65535);
	require(a.ip.len == 0 || a.ip.len == 4 || a.ip.len == 16);
	require(ifplex_netaddr_string(&a, text, sizeof text) == 0);
	if (a.kind == IFPLEX_NETADDR_UNIX)
		return;
	require(ifplex_resolve_addr(network, text, &back) == 0);
	require(back.kind == a.kind && same_ip(&back.ip, &a.ip) && back.port == a.port &&
		strcmp(back.zone, a.zone) == 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* No backend, whatever the environment says: nothing is looked up. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("IFPLEX_BACKEND", "none", 1);
	unsetenv("IFPLEX_PLUGIN_PATH");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const networks[] = {"tcp", "tcp4", "udp6", "ip", "ip4:icmp", "ip6", "unix", ""};
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ip_round_trip(s);
	cidr_round_trip(s);
	hostport_round_trip(s);
	network_round_trip(s);
	mac_round_trip(s);
	port_check(s);
	if (size > 0)
		resolve_round_trip(networks[data[0] % (sizeof networks / sizeof networks[0])], s + 1);
	free(s);
	return 0;
}
