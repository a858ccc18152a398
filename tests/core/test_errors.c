/* SPDX-License-Identifier: MIT */
/* Error codes and texts of the value layer: ifplex_strerror's stable
 * strings, the rule that every failing call records its own error,
 * escaped input in messages, NULL arguments, buffer sizes, DNS names. */
#define _GNU_SOURCE
#include "helpers.h"

#include <errno.h>
#include <ifplex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void use_fake(void)
{
	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	setenv("IFPLEX_BACKEND", "fake", 1);
}

/* An unrelated failure, so that a call that fails without recording shows. */
static void sentinel(void)
{
	struct ifplex_network n;

	ck_assert_int_eq(ifplex_network_parse("sentinel", &n), IFPLEX_EUNKNOWNNET);
	ck_assert_str_eq(ifplex_last_error(), "unknown network sentinel");
}

START_TEST(test_strerror_stable)
{
	const char *a = ifplex_strerror(-ECONNREFUSED);
	const char *b = ifplex_strerror(-ENOENT);
	char line[256];

	/* Two texts in one printf: each keeps its own (issue 10, bug 3). */
	snprintf(line, sizeof line, "%s %s", a, b);
	ck_assert_str_eq(line, "Connection refused No such file or directory");
	/* The C library's own text, and the same pointer every time. */
	ck_assert_str_eq(a, strerror(ECONNREFUSED));
	ck_assert_ptr_eq(ifplex_strerror(-ECONNREFUSED), a);
	ck_assert_str_eq(ifplex_strerror(-2999), "Unknown error 2999");
	ck_assert_ptr_eq(ifplex_strerror(-2999), ifplex_strerror(-2999));
	ck_assert_str_eq(ifplex_strerror(IFPLEX_EOF), "EOF");
	ck_assert_str_eq(ifplex_strerror(-(IFPLEX_EBASE + 99)), "unknown ifplex error");
	ck_assert_str_eq(ifplex_strerror(5), "not an error code");
	ck_assert_str_eq(ifplex_strerror(INT32_MIN), "unknown ifplex error");
}
END_TEST

START_TEST(test_strerror_threads_see_one_text)
{
	/* A string from another thread's call stays what it was. */
	const char *mine = ifplex_strerror(-EPIPE);
	ifplex_strerror(-EACCES);
	ck_assert_str_eq(mine, strerror(EPIPE));
}
END_TEST

START_TEST(test_escaped_input)
{
	struct ifplex_ip ip;

	ck_assert_int_eq(ifplex_ip_parse("a\nb\x01\x7f\xff\t", &ip), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "invalid IP address: a\\nb\\x01\\x7f\\xff\\t");
	/* Printable UTF-8 stays; a C1 control is written as Go writes it. */
	ck_assert_int_eq(ifplex_ip_parse("\xc3\xa9t\xc3\xa9\xc2\x85", &ip), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "invalid IP address: \xc3\xa9t\xc3\xa9\\u0085");
	/* Overlong and surrogate encodings are bytes, not characters. */
	ck_assert_int_eq(ifplex_ip_parse("\xc0\xaf\xed\xa0\x80", &ip), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "invalid IP address: \\xc0\\xaf\\xed\\xa0\\x80");
	char host[IFPLEX_HOST_MAX], port[8];
	ck_assert_int_eq(ifplex_split_host_port("x\r\ny", host, sizeof host, port, sizeof port),
			 IFPLEX_EMISSINGPORT);
	ck_assert_str_eq(ifplex_last_error(), "address x\\r\\ny: missing port in address");
}
END_TEST

START_TEST(test_long_input_message)
{
	static char big[100001];
	struct ifplex_ip ip;

	/* Escapes near the end of a long message are never cut in half. */
	memset(big, '\n', sizeof big - 1);
	ck_assert_int_eq(ifplex_ip_parse(big, &ip), IFPLEX_EBADADDR);
	const char *m = ifplex_last_error();
	size_t n = strlen(m);
	ck_assert_uint_lt(n, 1024);
	ck_assert_uint_gt(n, 1000);
	ck_assert(strchr(m, '\n') == NULL);
	ck_assert_str_eq(m + n - 2, "\\n");
}
END_TEST

/* A failing call, after an unrelated failure: it must leave its own code
 * and a message that names it. */
#define RECORDS(call, code, needle)                                                   \
	do {                                                                          \
		sentinel();                                                           \
		int rc_ = (call);                                                     \
		ck_assert_msg(rc_ == (code), "%s gave %d", #call, rc_);              \
		ck_assert_msg(ifplex_last_error_code() == rc_, "%s left code %d", #call, \
			      ifplex_last_error_code());                              \
		ck_assert_msg(strstr(ifplex_last_error(), needle) != NULL,            \
			      "%s left \"%s\", want \"%s\"", #call, ifplex_last_error(), needle); \
	} while (0)

START_TEST(test_value_helpers_record)
{
	struct ifplex_ip ip = {.len = 16}, out;
	struct ifplex_ipmask m = {.len = 4};
	struct ifplex_ipnet n = {0};
	struct ifplex_netaddr a = {.kind = 99};
	struct ifplex_network net;
	char buf[4];
	uint8_t hw[6] = {0};
	size_t hwlen;
	int ones, bits;

	RECORDS(ifplex_ip_parse(NULL, &ip), IFPLEX_EINVAL, "ifplex_ip_parse: NULL argument");
	RECORDS(ifplex_ip_parse_zone("fe80::1%", &ip, buf, sizeof buf), IFPLEX_EBADADDR,
		"invalid IP address: fe80::1%");
	RECORDS(ifplex_ip_string(&ip, buf, 2), IFPLEX_ESHORTBUF, "ifplex_ip_string: buffer too small");
	RECORDS(ifplex_ip_string(NULL, buf, sizeof buf), IFPLEX_EINVAL, "ifplex_ip_string: NULL argument");
	RECORDS(ifplex_mask_size(NULL, &ones, &bits), IFPLEX_EINVAL, "ifplex_mask_size: NULL argument");
	RECORDS(ifplex_mask_size(&m, NULL, &bits), IFPLEX_EINVAL, "ifplex_mask_size: NULL argument");
	RECORDS(ifplex_mask_string(&m, buf, sizeof buf), IFPLEX_ESHORTBUF, "ifplex_mask_string");
	RECORDS(ifplex_ip_mask(&ip, &m, &out), IFPLEX_EINVAL, "a 4-byte mask does not fit a 16-byte IP");
	RECORDS(ifplex_ip_mask(NULL, &m, &out), IFPLEX_EINVAL, "ifplex_ip_mask: NULL argument");
	RECORDS(ifplex_ip_mask(&ip, NULL, &out), IFPLEX_EINVAL, "ifplex_ip_mask: NULL argument");
	RECORDS(ifplex_cidr_mask(33, 32, &m), IFPLEX_EINVAL, "no mask of 33 ones in 32 bits");
	RECORDS(ifplex_cidr_mask(8, 32, NULL), IFPLEX_EINVAL, "ifplex_cidr_mask: NULL argument");
	RECORDS(ifplex_cidr_parse(NULL, &ip, &n), IFPLEX_EINVAL, "ifplex_cidr_parse: NULL argument");
	RECORDS(ifplex_ipnet_string(NULL, buf, sizeof buf), IFPLEX_EINVAL, "ifplex_ipnet_string");
	RECORDS(ifplex_ipnet_string(&n, buf, 2), IFPLEX_ESHORTBUF, "ifplex_ipnet_string");
	RECORDS(ifplex_join_host_port("h", "p", buf, 3), IFPLEX_ESHORTBUF, "ifplex_join_host_port");
	RECORDS(ifplex_join_host_port(NULL, "p", buf, 3), IFPLEX_EINVAL, "ifplex_join_host_port");
	RECORDS(ifplex_split_host_port("h:p", NULL, 0, buf, sizeof buf), IFPLEX_EINVAL,
		"ifplex_split_host_port");
	RECORDS(ifplex_network_parse(NULL, &net), IFPLEX_EINVAL, "ifplex_network_parse: NULL argument");
	RECORDS(ifplex_netaddr_string(&a, buf, sizeof buf), IFPLEX_EINVAL, "unknown kind 99");
	RECORDS(ifplex_netaddr_string(NULL, buf, sizeof buf), IFPLEX_EINVAL, "ifplex_netaddr_string");
	RECORDS(ifplex_hwaddr_string(hw, 6, buf, sizeof buf), IFPLEX_ESHORTBUF, "ifplex_hwaddr_string");
	RECORDS(ifplex_hwaddr_string(NULL, 6, buf, sizeof buf), IFPLEX_EINVAL, "ifplex_hwaddr_string");
	RECORDS(ifplex_hwaddr_parse("00:00:5e:00:53:01", hw, 2, &hwlen), IFPLEX_ESHORTBUF,
		"6 bytes do not fit a buffer of 2");
	RECORDS(ifplex_hwaddr_parse(NULL, hw, 2, &hwlen), IFPLEX_EINVAL, "ifplex_hwaddr_parse");
	RECORDS(ifplex_addr_string(NULL, buf, sizeof buf), IFPLEX_EINVAL, "ifplex_addr_string");
	RECORDS(ifplex_resolve_addr(NULL, "x", NULL), IFPLEX_EINVAL, "ifplex_resolve_addr");
	RECORDS(ifplex_lookup_port("tcp", NULL, &ones), IFPLEX_EINVAL, "ifplex_lookup_port");
	RECORDS(ifplex_lookup_ip(NULL, NULL, NULL, NULL), IFPLEX_EINVAL, "ifplex_lookup_ip");
}
END_TEST

START_TEST(test_answers_record_nothing)
{
	struct ifplex_ip v6 = {.len = 16, .b = {0x20, 0x01}}, out;

	/* "Not IPv4" is an answer, not a failure: the record stays. */
	sentinel();
	ck_assert_int_eq(ifplex_ip_to4(&v6, &out), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_ip_to16(&(struct ifplex_ip){.len = 3}, &out), IFPLEX_EINVAL);
	ck_assert_str_eq(ifplex_last_error(), "unknown network sentinel");
	/* Success records nothing either. */
	ck_assert_int_eq(ifplex_ip_parse("::1", &out), 0);
	ck_assert_str_eq(ifplex_last_error(), "unknown network sentinel");
}
END_TEST

START_TEST(test_null_arguments)
{
	struct ifplex_ip ip = ifplex_ipv4(10, 0, 0, 1);
	struct ifplex_ipnet n = {.ip = ip, .mask = ifplex_ipv4_mask(255, 0, 0, 0)};

	/* Issue 9 item 8: each of these crashed on NULL. */
	ck_assert_int_eq(ifplex_ipnet_contains(NULL, &ip), 0);
	ck_assert_int_eq(ifplex_ipnet_contains(&n, NULL), 0);
	ck_assert_int_eq(ifplex_ipnet_contains(&n, &ip), 1);
	ck_assert_int_eq(ifplex_ip_equal(NULL, &ip), 0);
	ck_assert_int_eq(ifplex_ip_equal(&ip, NULL), 0);
	ck_assert_int_eq(ifplex_ip_is_loopback(NULL), 0);
	ck_assert_int_eq(ifplex_ip_is_unspecified(NULL), 0);
	ck_assert_int_eq(ifplex_ip_is_private(NULL), 0);
	ck_assert_int_eq(ifplex_ip_is_multicast(NULL), 0);
	ck_assert_int_eq(ifplex_ip_is_interface_local_multicast(NULL), 0);
	ck_assert_int_eq(ifplex_ip_is_link_local_multicast(NULL), 0);
	ck_assert_int_eq(ifplex_ip_is_link_local_unicast(NULL), 0);
	ck_assert_int_eq(ifplex_ip_is_global_unicast(NULL), 0);
	ck_assert_int_eq(ifplex_default_mask(NULL).len, 0);
	int ones = -1, bits = -1;
	ck_assert_int_eq(ifplex_mask_size(&n.mask, &ones, &bits), 0);
	ck_assert_int_eq(ones, 8);
	ck_assert_int_eq(bits, 32);
	/* Hostile lengths in the structs read no further than the struct. */
	struct ifplex_ip wide = {.len = 255};
	ck_assert_int_eq(ifplex_ip_equal(&wide, &wide), 0);
	ck_assert_int_eq(ifplex_ip_is_global_unicast(&wide), 0);
	char s[IFPLEX_IP_STRLEN];
	ck_assert_int_eq(ifplex_ip_string(&wide, s, sizeof s), 0);
	ck_assert_str_eq(s, "?00000000000000000000000000000000");
}
END_TEST

START_TEST(test_hwaddr_string_sizes)
{
	static const uint8_t hw[IFPLEX_HWADDR_MAX] = {0xde, 0xad};
	char buf[IFPLEX_HWADDR_STRLEN], small[8] = "canary!";

	ck_assert_int_eq(ifplex_hwaddr_string(hw, IFPLEX_HWADDR_MAX, buf, sizeof buf), 0);
	ck_assert_uint_eq(strlen(buf), IFPLEX_HWADDR_MAX * 3 - 1);
	/* hwlen * 3 wrapped and wrote past the buffer (issue 9 item 3). */
	ck_assert_int_eq(ifplex_hwaddr_string(hw, SIZE_MAX / 3 + 1, small, 4), IFPLEX_ESHORTBUF);
	ck_assert_int_eq(ifplex_hwaddr_string(hw, SIZE_MAX, small, 4), IFPLEX_ESHORTBUF);
	ck_assert_mem_eq(small + 4, "ry!", 4);
	ck_assert_int_eq(ifplex_hwaddr_string(hw, 2, small, 5), IFPLEX_ESHORTBUF);
	ck_assert_int_eq(ifplex_hwaddr_string(hw, 2, small, 6), 0);
	ck_assert_str_eq(small, "de:ad");
	ck_assert_int_eq(ifplex_hwaddr_string(hw, 0, small, 1), 0);
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(test_dns_names)
{
	struct ifplex_mx *mx;
	struct ifplex_srv *srv;
	struct ifplex_ip *ips;
	size_t n;
	char cname[IFPLEX_HOST_MAX];

	use_fake();
	/* An invalid name does not exist (Go's isDomainName), whatever the
	 * backend: no "temporary failure", no question sent. */
	ck_assert_int_eq(ifplex_lookup_mx("bad..name", &mx, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup bad..name: no such host");
	ck_assert_int_eq(ifplex_lookup_mx("a\nb", &mx, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup a\\nb: no such host");
	ck_assert_int_eq(ifplex_lookup_cname("-lead.example", cname, sizeof cname), IFPLEX_ENOTFOUND);
	ck_assert_int_eq(ifplex_lookup_srv("x mpp", "tcp", "example.org", &srv, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup _x mpp._tcp.example.org: no such host");
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "12345", &ips, &n), IFPLEX_EBADADDR);
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "under_score.example", &ips, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup under_score.example: no such host");
	char label[80];
	memset(label, 'a', 64);
	strcpy(label + 64, ".example");
	ck_assert_int_eq(ifplex_lookup_ip(NULL, label, &ips, &n), IFPLEX_ENOTFOUND);
	/* Valid names reach the backend (the fake lacks MX). */
	ck_assert_int_eq(ifplex_lookup_mx("example.org", &mx, &n), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_lookup_mx(".", &mx, &n), IFPLEX_ENOTSUP);
}
END_TEST

START_TEST(test_ipv4_rule_values)
{
	struct ifplex_ip ip, net_ip, v6;
	struct ifplex_ipnet net;
	struct ifplex_netaddr a;
	struct ifplex_ip *ips;
	size_t n;

	use_fake();
	ck_assert_int_eq(ifplex_ipv4(1, 2, 3, 4).len, 4);
	ck_assert_int_eq(ifplex_ip_parse("1.2.3.4", &ip), 0);
	ck_assert_int_eq(ip.len, 4);
	ck_assert_int_eq(ifplex_ip_parse("::ffff:1.2.3.4", &ip), 0);
	ck_assert_int_eq(ip.len, 4);
	ck_assert_int_eq(ifplex_ip_parse("::1.2.3.4", &v6), 0);
	ck_assert_int_eq(v6.len, 16);
	ck_assert_int_eq(ifplex_cidr_parse("::ffff:1.2.3.4/120", &ip, &net), 0);
	ck_assert_int_eq(ip.len, 4);
	ck_assert_int_eq(net.ip.len, 4);
	ck_assert_int_eq(net.mask.len, 16);
	ck_assert_int_eq(ifplex_ip_to16(&ip, &v6), 0);
	ck_assert_int_eq(ifplex_ip_mask(&v6, &net.mask, &net_ip), 0);
	ck_assert_int_eq(net_ip.len, 4);
	ck_assert_int_eq(ifplex_resolve_addr("udp", "[::ffff:1.2.3.4]:53", &a), 0);
	ck_assert_int_eq(a.ip.len, 4);
	/* No zone on IPv4, mapped or not: its text could not come back. */
	char zone[8];
	ck_assert_int_eq(ifplex_ip_parse_zone("::ffff:1.2.3.4%eth0", &ip, zone, sizeof zone), IFPLEX_EBADADDR);
	ck_assert_int_eq(ifplex_resolve_addr("udp", "[::ffff:1.2.3.4%eth0]:53", &a), IFPLEX_EBADADDR);
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "::ffff:1.2.3.4", &ips, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ips[0].len, 4);
	ifplex_free(ips);
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "fake.example", &ips, &n), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert(ips[i].len == 4 || (ips[i].len == 16 && ifplex_ip_to4(&ips[i], &ip) < 0));
	ifplex_free(ips);
	struct ifplex_addr *addrs;
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &addrs, &n), 0);
	for (size_t i = 0; i < n; i++)
		ck_assert(addrs[i].ip.len == 4 || (addrs[i].ip.len == 16 && ifplex_ip_to4(&addrs[i].ip, &ip) < 0));
	ifplex_free(addrs);
}
END_TEST

START_TEST(test_raw_ip_addresses)
{
	struct ifplex_netaddr a;
	char s[IFPLEX_ADDR_STRLEN];

	/* Go's IPAddr.String has no port (issue 10). */
	ck_assert_int_eq(ifplex_resolve_addr("ip4:icmp", "127.0.0.1", &a), 0);
	ck_assert_int_eq(a.kind, IFPLEX_NETADDR_IPRAW);
	ifplex_netaddr_string(&a, s, sizeof s);
	ck_assert_str_eq(s, "127.0.0.1");
	ck_assert_int_eq(ifplex_resolve_addr("ip", "fe80::1%eth0", &a), 0);
	ifplex_netaddr_string(&a, s, sizeof s);
	ck_assert_str_eq(s, "fe80::1%eth0");
	ck_assert_int_eq(ifplex_resolve_addr("ip6", "", &a), 0);
	ifplex_netaddr_string(&a, s, sizeof s);
	ck_assert_str_eq(s, "");
	/* A protocol name from the system's database, and one Go lacks. */
	struct ifplex_network n;
	ck_assert_int_eq(ifplex_network_parse("ip4:gre", &n), 0);
	ck_assert_int_eq(n.proto, 47);
	ck_assert_int_eq(ifplex_network_parse("ip:OSPF", &n), 0);
	ck_assert_int_eq(n.proto, 89);
	ck_assert_int_eq(ifplex_network_parse("ip6:icmpv6", &n), IFPLEX_EUNKNOWNNET);
	ck_assert_int_eq(ifplex_network_parse("ip4:255", &n), 0);
	ck_assert_int_eq(n.proto, 255);
	/* A name too long to keep is kept by number. */
	ck_assert_int_eq(ifplex_network_parse("ip4:ipv6-icmp", &n), 0);
	ck_assert_str_eq(n.name, "ip4:ipv6-icmp");
	ck_assert_int_eq(ifplex_network_parse("ip4:IPv6-ICMP", &n), 0);
	ck_assert_int_eq(ifplex_network_parse("ip6:mobility-header", &n), 0); /* /etc/protocols */
	ck_assert_int_eq(n.proto, 135);
	ck_assert_str_eq(n.name, "ip6:135");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("errors");
	TCase *tc = tcase_create("values");

	tcase_add_test(tc, test_strerror_stable);
	tcase_add_test(tc, test_strerror_threads_see_one_text);
	tcase_add_test(tc, test_escaped_input);
	tcase_add_test(tc, test_long_input_message);
	tcase_add_test(tc, test_value_helpers_record);
	tcase_add_test(tc, test_answers_record_nothing);
	tcase_add_test(tc, test_null_arguments);
	tcase_add_test(tc, test_hwaddr_string_sizes);
	tcase_add_test(tc, test_dns_names);
	tcase_add_test(tc, test_ipv4_rule_values);
	tcase_add_test(tc, test_raw_ip_addresses);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
