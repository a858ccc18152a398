/* SPDX-License-Identifier: MIT */
/* host:port, network names and endpoint text: Go's SplitHostPort and
 * JoinHostPort tables, parseNetwork, Resolve*Addr on literals. */
#include "helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *hostport, *host, *port;
} split_ok[] = {
	{"localhost:http", "localhost", "http"},
	{"localhost:80", "localhost", "80"},
	{"localhost%lo0:http", "localhost%lo0", "http"},
	{"localhost%lo0:80", "localhost%lo0", "80"},
	{"[localhost%lo0]:http", "localhost%lo0", "http"},
	{"[localhost%lo0]:80", "localhost%lo0", "80"},
	{"127.0.0.1:http", "127.0.0.1", "http"},
	{"127.0.0.1:80", "127.0.0.1", "80"},
	{"[::1]:http", "::1", "http"},
	{"[::1]:80", "::1", "80"},
	{"[::1%lo0]:http", "::1%lo0", "http"},
	{"[::1%lo0]:80", "::1%lo0", "80"},
	{":http", "", "http"},
	{":80", "", "80"},
	{"golang.org:", "golang.org", ""},
	{"127.0.0.1:", "127.0.0.1", ""},
	{"[::1]:", "::1", ""},
	{"golang.org:https%foo", "golang.org", "https%foo"},
};

START_TEST(test_split_ok)
{
	char host[64] = "x", port[32] = "x";

	ck_assert_int_eq(ifplex_split_host_port(split_ok[_i].hostport, host, sizeof host, port, sizeof port), 0);
	ck_assert_str_eq(host, split_ok[_i].host);
	ck_assert_str_eq(port, split_ok[_i].port);
}
END_TEST

static const struct {
	const char *hostport, *err;
	int code;
} split_bad[] = {
	{"golang.org", "missing port in address", IFPLEX_EMISSINGPORT},
	{"127.0.0.1", "missing port in address", IFPLEX_EMISSINGPORT},
	{"[::1]", "missing port in address", IFPLEX_EMISSINGPORT},
	{"[fe80::1%lo0]", "missing port in address", IFPLEX_EMISSINGPORT},
	{"[localhost%lo0]", "missing port in address", IFPLEX_EMISSINGPORT},
	{"localhost%lo0", "missing port in address", IFPLEX_EMISSINGPORT},
	{"::1", "too many colons in address", IFPLEX_EBADADDR},
	{"fe80::1%lo0", "too many colons in address", IFPLEX_EBADADDR},
	{"fe80::1%lo0:80", "too many colons in address", IFPLEX_EBADADDR},
	{"[foo:bar]", "missing port in address", IFPLEX_EMISSINGPORT},
	{"[foo:bar]baz", "missing port in address", IFPLEX_EMISSINGPORT},
	{"[foo]bar:baz", "missing port in address", IFPLEX_EMISSINGPORT},
	{"[foo]:[bar]:baz", "too many colons in address", IFPLEX_EBADADDR},
	{"[foo]:[bar]baz", "unexpected '[' in address", IFPLEX_EBADADDR},
	{"foo[bar]:baz", "unexpected '[' in address", IFPLEX_EBADADDR},
	{"foo]bar:baz", "unexpected ']' in address", IFPLEX_EBADADDR},
	{"[::1", "missing ']' in address", IFPLEX_EBADADDR},
	{"", "missing port in address", IFPLEX_EMISSINGPORT},
};

START_TEST(test_split_bad)
{
	char host[64] = "x", port[32] = "x", want[128];

	ck_assert_int_eq(ifplex_split_host_port(split_bad[_i].hostport, host, sizeof host, port, sizeof port),
			 split_bad[_i].code);
	ck_assert_str_eq(host, "");
	ck_assert_str_eq(port, "");
	/* Go's AddrError: no "address :" before an empty address. */
	if (split_bad[_i].hostport[0])
		snprintf(want, sizeof want, "address %s: %s", split_bad[_i].hostport, split_bad[_i].err);
	else
		snprintf(want, sizeof want, "%s", split_bad[_i].err);
	ck_assert_str_eq(ifplex_last_error(), want);
	ck_assert_int_eq(ifplex_last_error_code(), split_bad[_i].code);
}
END_TEST

START_TEST(test_split_short_buffers)
{
	char host[4], port[32];

	ck_assert_int_eq(ifplex_split_host_port("localhost:80", host, sizeof host, port, sizeof port),
			 IFPLEX_ESHORTBUF);
	ck_assert_str_eq(host, "");
}
END_TEST

START_TEST(test_join)
{
	static const struct {
		const char *host, *port, *out;
	} t[] = {
		{"localhost", "http", "localhost:http"},
		{"localhost", "80", "localhost:80"},
		{"localhost%lo0", "http", "localhost%lo0:http"},
		{"localhost%lo0", "80", "localhost%lo0:80"},
		{"127.0.0.1", "http", "127.0.0.1:http"},
		{"127.0.0.1", "80", "127.0.0.1:80"},
		{"::1", "http", "[::1]:http"},
		{"::1", "80", "[::1]:80"},
		{"::1%lo0", "http", "[::1%lo0]:http"},
		{"::1%lo0", "80", "[::1%lo0]:80"},
		{"", "http", ":http"},
		{"", "80", ":80"},
		{"golang.org", "", "golang.org:"},
		{"127.0.0.1", "", "127.0.0.1:"},
		{"::1", "", "[::1]:"},
		{"golang.org", "https%foo", "golang.org:https%foo"},
	};
	char buf[64];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		ck_assert_int_eq(ifplex_join_host_port(t[i].host, t[i].port, buf, sizeof buf), 0);
		ck_assert_str_eq(buf, t[i].out);
	}
	ck_assert_int_eq(ifplex_join_host_port("::1", "80", buf, 5), IFPLEX_ESHORTBUF);
}
END_TEST

START_TEST(test_network_parse)
{
	static const struct {
		const char *in;
		int kind, family, proto;
	} t[] = {
		{"tcp", IFPLEX_NET_TCP, 0, 0},       {"tcp4", IFPLEX_NET_TCP, 4, 0},
		{"tcp6", IFPLEX_NET_TCP, 6, 0},      {"udp", IFPLEX_NET_UDP, 0, 0},
		{"udp4", IFPLEX_NET_UDP, 4, 0},      {"udp6", IFPLEX_NET_UDP, 6, 0},
		{"ip4:icmp", IFPLEX_NET_IP, 4, 1},   {"ip4:1", IFPLEX_NET_IP, 4, 1},
		{"ip6:58", IFPLEX_NET_IP, 6, 58},    {"ip6:ipv6-icmp", IFPLEX_NET_IP, 6, 58},
		{"ip:udp", IFPLEX_NET_IP, 0, 17},    {"ip4:ICMP", IFPLEX_NET_IP, 4, 1},
		{"unix", IFPLEX_NET_UNIX, 0, 0},     {"unixgram", IFPLEX_NET_UNIXGRAM, 0, 0},
		{"unixpacket", IFPLEX_NET_UNIXPACKET, 0, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ifplex_network n;
		ck_assert_msg(ifplex_network_parse(t[i].in, &n) == 0, "%s", t[i].in);
		ck_assert_int_eq(n.kind, t[i].kind);
		ck_assert_int_eq(n.family, t[i].family);
		ck_assert_int_eq(n.proto, t[i].proto);
		ck_assert_str_eq(n.name, t[i].in);
	}
	static const char *const bad[] = {"tcp7", "", "ip", "ip4", "udp:17", "TCP", "unix4", "ip5:1",
					  "tcptcptcptcptcptcptcp"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct ifplex_network n;
		char want[64];
		ck_assert_msg(ifplex_network_parse(bad[i], &n) == IFPLEX_EUNKNOWNNET, "%s", bad[i]);
		snprintf(want, sizeof want, "unknown network %s", bad[i]);
		ck_assert_str_eq(ifplex_last_error(), want);
	}
	/* Protocols: Go's parseNetwork errors name the protocol. */
	struct ifplex_network n;
	ck_assert_int_eq(ifplex_network_parse("ip4:nosuch", &n), IFPLEX_EUNKNOWNNET);
	ck_assert_str_eq(ifplex_last_error(), "address nosuch: unknown IP protocol specified");
	ck_assert_int_eq(ifplex_network_parse("ip4:", &n), IFPLEX_EUNKNOWNNET);
	ck_assert_str_eq(ifplex_last_error(), "unknown IP protocol specified");
}
END_TEST

START_TEST(test_resolve_literals)
{
	struct ifplex_netaddr a;
	char buf[IFPLEX_ADDR_STRLEN];

	ck_assert_int_eq(ifplex_resolve_addr("tcp", "127.0.0.1:80", &a), 0);
	ck_assert_int_eq(a.kind, IFPLEX_NETADDR_IP);
	ck_assert_int_eq(a.port, 80);
	ifplex_netaddr_string(&a, buf, sizeof buf);
	ck_assert_str_eq(buf, "127.0.0.1:80");

	ck_assert_int_eq(ifplex_resolve_addr("udp6", "[fe80::1%eth0]:53", &a), 0);
	ck_assert_str_eq(a.zone, "eth0");
	ifplex_netaddr_string(&a, buf, sizeof buf);
	ck_assert_str_eq(buf, "[fe80::1%eth0]:53");

	ck_assert_int_eq(ifplex_resolve_addr("tcp", ":0", &a), 0);
	ck_assert_int_eq(a.ip.len, 0);
	ifplex_netaddr_string(&a, buf, sizeof buf);
	ck_assert_str_eq(buf, ":0");

	ck_assert_int_eq(ifplex_resolve_addr("ip4:icmp", "127.0.0.1", &a), 0);
	ck_assert_int_eq(a.port, 0);

	ck_assert_int_eq(ifplex_resolve_addr("unix", "/tmp/x.sock", &a), 0);
	ck_assert_int_eq(a.kind, IFPLEX_NETADDR_UNIX);
	ifplex_netaddr_string(&a, buf, sizeof buf);
	ck_assert_str_eq(buf, "/tmp/x.sock");
	ck_assert_int_eq(ifplex_resolve_addr("unixgram", "@abstract", &a), 0);
	ck_assert_str_eq(a.path, "@abstract");
}
END_TEST

START_TEST(test_resolve_errors)
{
	struct ifplex_netaddr a;

	ck_assert_int_eq(ifplex_resolve_addr("tcp7", "1.2.3.4:80", &a), IFPLEX_EUNKNOWNNET);
	ck_assert_int_eq(ifplex_resolve_addr("tcp", "300.1.1.1:80", &a), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "address 300.1.1.1: invalid IP address");
	ck_assert_int_eq(ifplex_resolve_addr("tcp", "host:99999", &a), IFPLEX_EBADPORT);
	ck_assert_str_eq(ifplex_last_error(), "address 99999: invalid port");
	ck_assert_int_eq(ifplex_resolve_addr("tcp", "[::1", &a), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "address [::1: missing ']' in address");
	ck_assert_int_eq(ifplex_resolve_addr("tcp", "127.0.0.1", &a), IFPLEX_EMISSINGPORT);
	ck_assert_int_eq(ifplex_resolve_addr("tcp4", "[::1]:80", &a), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "address ::1: no suitable address found");
	ck_assert_int_eq(ifplex_resolve_addr("tcp", "1.2.3.4%eth0:80", &a), IFPLEX_EBADADDR);
	char longpath[400];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[sizeof longpath - 1] = '\0';
	ck_assert_int_eq(ifplex_resolve_addr("unix", longpath, &a), IFPLEX_EBADADDR);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(ifplex_strerror(IFPLEX_EUNKNOWNNET), "unknown network");
	ck_assert_str_eq(ifplex_strerror(IFPLEX_ETIMEDOUT), "i/o timeout");
	ck_assert_str_eq(ifplex_strerror(-111), "Connection refused"); /* ECONNREFUSED on Linux */
	ck_assert_str_eq(ifplex_strerror(0), "success");
	ck_assert(ifplex_is_timeout(IFPLEX_ETIMEDOUT));
	ck_assert(!ifplex_is_timeout(IFPLEX_EOF));
	/* Every own code has its own text. */
	for (int c = IFPLEX_EUNKNOWNNET; c >= IFPLEX_EMISSINGPORT; c--)
		for (int d = c - 1; d >= IFPLEX_EMISSINGPORT; d--)
			ck_assert_str_ne(ifplex_strerror(c), ifplex_strerror(d));
}
END_TEST

START_TEST(test_hwaddr_and_addr_string)
{
	static const uint8_t mac[6] = {0x02, 0xfc, 0, 0, 0, 1};
	char buf[IFPLEX_HWADDR_MAX * 3];

	ck_assert_int_eq(ifplex_hwaddr_string(mac, 6, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "02:fc:00:00:00:01");
	ck_assert_int_eq(ifplex_hwaddr_string(NULL, 0, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ifplex_hwaddr_string(mac, 6, buf, 10), IFPLEX_ESHORTBUF);

	struct ifplex_addr a = {.index = 2, .prefixlen = 64, .zone = "eth0"};
	ifplex_ip_parse("fe80::fc:ff:fe00:1", &a.ip);
	char s[IFPLEX_ADDR_STRLEN];
	ck_assert_int_eq(ifplex_addr_string(&a, s, sizeof s), 0);
	ck_assert_str_eq(s, "fe80::fc:ff:fe00:1%eth0/64");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hostport");
	TCase *tc = tcase_create("go-tables");

	tcase_add_loop_test(tc, test_split_ok, 0, sizeof split_ok / sizeof split_ok[0]);
	tcase_add_loop_test(tc, test_split_bad, 0, sizeof split_bad / sizeof split_bad[0]);
	tcase_add_test(tc, test_split_short_buffers);
	tcase_add_test(tc, test_join);
	tcase_add_test(tc, test_network_parse);
	tcase_add_test(tc, test_resolve_literals);
	tcase_add_test(tc, test_resolve_errors);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_hwaddr_and_addr_string);
	suite_add_tcase(s, tc);
	return ifplex_test_run_pure(s);
}
