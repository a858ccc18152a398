/* SPDX-License-Identifier: MIT */
/* The value rules where the operating system answers, through the default
 * backend in a private network namespace: the IPv4 rule on lookups,
 * interface addresses and datagram senders, raw-IP endpoints without a
 * port, and the texts of socket and lookup errors. */
#include "../netns.h"
#include "../helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>

static void setup(void)
{
	netns_enter();
}

static void expect_rule(const struct ifplex_ip *ip)
{
	struct ifplex_ip v4;
	char s[IFPLEX_IP_STRLEN];

	ifplex_ip_string(ip, s, sizeof s);
	if (ifplex_ip_to4(ip, &v4) == 0)
		ck_assert_msg(ip->len == 4, "IPv4 %s came back in %d bytes", s, ip->len);
	else
		ck_assert_msg(ip->len == 16, "IPv6 %s came back in %d bytes", s, ip->len);
}

START_TEST(test_lookup_localhost)
{
	struct ifplex_ip *ips;
	size_t n;

	/* Bug 6: names resolved to 4 bytes while literals gave 16. */
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "localhost", &ips, &n), 0);
	ck_assert_uint_ge(n, 1);
	for (size_t i = 0; i < n; i++)
		expect_rule(&ips[i]);
	ifplex_free(ips);
	ck_assert_int_eq(ifplex_lookup_ip("ip4", "127.0.0.1", &ips, &n), 0);
	ck_assert_int_eq(ips[0].len, 4);
	ifplex_free(ips);
	struct ifplex_netaddr a;
	ck_assert_int_eq(ifplex_resolve_addr("tcp4", "localhost:80", &a), 0);
	ck_assert_int_eq(a.ip.len, 4);
}
END_TEST

START_TEST(test_interface_addrs)
{
	struct ifplex_addr *l;
	size_t n;

	sh("ip addr add 192.0.2.1/24 dev lo && ip addr add 2001:db8::1/64 dev lo nodad");
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &l, &n), 0);
	ck_assert_uint_ge(n, 3);
	for (size_t i = 0; i < n; i++)
		expect_rule(&l[i].ip);
	ifplex_free(l);
}
END_TEST

START_TEST(test_datagram_sender)
{
	ifplex_conn *srv, *cli;
	struct ifplex_netaddr at, to, from, local;
	char buf[8], s[IFPLEX_ADDR_STRLEN];
	size_t n;

	/* A dual-stack socket hears IPv4 as ::ffff:a.b.c.d; the rule gives 4 bytes. */
	ck_assert_int_eq(ifplex_listen_packet("udp", ":0", &srv), 0);
	ck_assert_int_eq(ifplex_conn_local_addr(srv, &at), 0);
	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &cli), 0);
	ck_assert_int_eq(ifplex_conn_local_addr(cli, &local), 0);
	ck_assert_int_eq(local.ip.len, 4);
	ck_assert_int_eq(ifplex_resolve_addr("udp4", "127.0.0.1:0", &to), 0);
	to.port = at.port;
	ck_assert_int_eq(ifplex_write_to(cli, "ping", 4, &to, &n), 0);
	ck_assert_int_eq(ifplex_read_from(srv, buf, sizeof buf, &n, &from), 0);
	ck_assert_int_eq(from.kind, IFPLEX_NETADDR_IP);
	ck_assert_int_eq(from.ip.len, 4);
	ck_assert_int_eq(from.port, local.port);
	char want[IFPLEX_ADDR_STRLEN];
	snprintf(want, sizeof want, "127.0.0.1:%d", local.port);
	ifplex_netaddr_string(&from, s, sizeof s);
	ck_assert_str_eq(s, want);
	ifplex_close(cli);
	ifplex_close(srv);
}
END_TEST

START_TEST(test_error_names_failing_call)
{
	static char big[70000];
	ifplex_conn *c;
	struct ifplex_netaddr to;
	size_t n;

	/* Issue 9 item 8: the text named getpeername, the call that only
	 * looked up the address for the message, not the one that failed. */
	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &c), 0);
	ck_assert_int_eq(ifplex_resolve_addr("udp4", "127.0.0.1:9", &to), 0);
	int rc = ifplex_write_to(c, big, sizeof big, &to, &n);
	ck_assert_int_lt(rc, 0);
	const char *m = ifplex_last_error();
	ck_assert_msg(strncmp(m, "write udp4 127.0.0.1:", 21) == 0, "message: %s", m);
	ck_assert_msg(strstr(m, "getpeername") == NULL, "message: %s", m);
	ck_assert_msg(strstr(m, ": sendto: message too long") != NULL, "message: %s", m);
	ifplex_close(c);
}
END_TEST

START_TEST(test_raw_ip_endpoint)
{
	ifplex_conn *c;
	struct ifplex_netaddr a;
	char s[IFPLEX_ADDR_STRLEN];

	/* Go's IPAddr: a raw socket's address has no port. */
	ck_assert_int_eq(ifplex_listen_packet("ip4:icmp", "127.0.0.1", &c), 0);
	ck_assert_int_eq(ifplex_conn_local_addr(c, &a), 0);
	ck_assert_int_eq(a.kind, IFPLEX_NETADDR_IPRAW);
	ck_assert_int_eq(a.ip.len, 4);
	ifplex_netaddr_string(&a, s, sizeof s);
	ck_assert_str_eq(s, "127.0.0.1");
	ifplex_close(c);
	ck_assert_int_eq(ifplex_listen_packet("ip6:ipv6-icmp", "::1", &c), 0);
	ck_assert_int_eq(ifplex_conn_local_addr(c, &a), 0);
	ifplex_netaddr_string(&a, s, sizeof s);
	ck_assert_str_eq(s, "::1");
	ifplex_close(c);
}
END_TEST

START_TEST(test_mx_invalid_name)
{
	struct ifplex_mx *mx;
	size_t n;

	/* The system resolver called this a temporary failure. */
	ck_assert_int_eq(ifplex_lookup_mx("bad..name", &mx, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup bad..name: no such host");
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("os-values");
	TCase *tc = tcase_create("netns");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_lookup_localhost);
	tcase_add_test(tc, test_interface_addrs);
	tcase_add_test(tc, test_datagram_sender);
	tcase_add_test(tc, test_error_names_failing_call);
	tcase_add_test(tc, test_raw_ip_endpoint);
	tcase_add_test(tc, test_mx_invalid_name);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
