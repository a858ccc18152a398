/* SPDX-License-Identifier: MIT */
/* IP values against Go's net package test tables (ip_test.go): ParseIP,
 * IP.String, IP.Mask, IPMask.String, ParseCIDR, IPNet.Contains,
 * IPNet.String, CIDRMask, the address-family and scope predicates. */
#include "helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>

#define V4(w, x, y, z) {.len = 16, .b = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, w, x, y, z}}
#define NIL {.len = 0}

static struct ifplex_ip P(const char *s)
{
	struct ifplex_ip ip;
	ck_assert_msg(ifplex_ip_parse(s, &ip) == 0, "parse %s", s);
	return ip;
}

static struct ifplex_ipmask M(const char *s)
{
	struct ifplex_ip ip = P(s);
	struct ifplex_ipmask m = {.len = ip.len};
	memcpy(m.b, ip.b, 16);
	return m;
}

static struct ifplex_ip raw(int len, const uint8_t *b)
{
	struct ifplex_ip ip = {.len = (uint8_t)len};
	memcpy(ip.b, b, (size_t)len);
	return ip;
}

static const struct {
	const char *in;
	struct ifplex_ip out;
} parse_tests[] = {
	{"127.0.1.2", V4(127, 0, 1, 2)},
	{"127.0.0.1", V4(127, 0, 0, 1)},
	{"::ffff:127.1.2.3", V4(127, 1, 2, 3)},
	{"::ffff:7f01:0203", V4(127, 1, 2, 3)},
	{"0:0:0:0:0000:ffff:127.1.2.3", V4(127, 1, 2, 3)},
	{"0:0:0:0::ffff:127.1.2.3", V4(127, 1, 2, 3)},
	{"2001:4860:0:2001::68", {.len = 16, .b = {0x20, 0x01, 0x48, 0x60, 0, 0, 0x20, 0x01, 0, 0, 0, 0, 0, 0, 0x00, 0x68}}},
	{"2001:4860:0000:2001:0000:0000:0000:0068", {.len = 16, .b = {0x20, 0x01, 0x48, 0x60, 0, 0, 0x20, 0x01, 0, 0, 0, 0, 0, 0, 0x00, 0x68}}},
	{"::", {.len = 16}},
	{"1::", {.len = 16, .b = {0, 1}}},
	{"1:2:3:4:5:6:7::", {.len = 16, .b = {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0}}},
	{"::1:2:3:4:5:6:7", {.len = 16, .b = {0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7}}},
	{"FE80::ABCD", {.len = 16, .b = {0xfe, 0x80, [14] = 0xab, [15] = 0xcd}}},
	{"-0.0.0.0", NIL},
	{"0.-1.0.0", NIL},
	{"0.0.-2.0", NIL},
	{"0.0.0.-3", NIL},
	{"127.0.0.256", NIL},
	{"abc", NIL},
	{"123:", NIL},
	{"fe80::1%lo0", NIL},
	{"fe80::1%911", NIL},
	{"", NIL},
	{"a1:a2:a3:a4::b1:b2:b3:b4", NIL}, /* Go issue 6628 */
	{"127.001.002.003", NIL},
	{"::ffff:127.001.002.003", NIL},
	{"123.000.000.000", NIL},
	{"1.2..4", NIL},
	{"0123.0.0.1", NIL},
	/* Go 1.18+ (netip): a group has at most four hex digits. */
	{"0:0:0:0:000000:ffff:127.1.2.3", NIL},
	{"1:2:3:4:5:6:7:8:9", NIL},
	{"1:2:3:4:5:6:7", NIL},
	{":1:2::3", NIL},
	{"1::2::3", NIL},
	{"1.2.3.4.5", NIL},
	{"1.2.3", NIL},
	{"::1.2.3.4:5", NIL},
	{"1:2:3:4:5:6:7:1.2.3.4", NIL},
	{"1:2:3:4:5:6:1.2.3.4", {.len = 16, .b = {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4}}},
};

START_TEST(test_parse_ip)
{
	struct ifplex_ip out;
	int rc = ifplex_ip_parse(parse_tests[_i].in, &out);

	if (parse_tests[_i].out.len == 0) {
		ck_assert_msg(rc == IFPLEX_EBADADDR, "ParseIP(%s) = %d, want EBADADDR", parse_tests[_i].in, rc);
		ck_assert_str_eq(ifplex_strerror(rc), "invalid address");
		char want[128];
		snprintf(want, sizeof want, "invalid IP address: %s", parse_tests[_i].in);
		ck_assert_str_eq(ifplex_last_error(), want);
	} else {
		ck_assert_msg(rc == 0, "ParseIP(%s) failed: %s", parse_tests[_i].in, ifplex_last_error());
		/* The IPv4 rule: IPv4 (mapped too) in 4 bytes, IPv6 in 16. */
		struct ifplex_ip v4, want = parse_tests[_i].out;
		if (ifplex_ip_to4(&want, &v4) == 0)
			want = v4;
		ck_assert_int_eq(out.len, want.len);
		ck_assert_mem_eq(out.b, want.b, want.len);
	}
}
END_TEST

static const struct {
	struct ifplex_ip in;
	const char *str;
} string_tests[] = {
	{{.len = 4, .b = {192, 0, 2, 1}}, "192.0.2.1"},
	{{.len = 4, .b = {0, 0, 0, 0}}, "0.0.0.0"},
	{V4(192, 0, 2, 1), "192.0.2.1"},
	{V4(0, 0, 0, 0), "0.0.0.0"},
	{{.len = 16, .b = {0x20, 0x1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0x1, 0x23, 0, 0x12, 0, 0x1}}, "2001:db8::123:12:1"},
	{{.len = 16, .b = {0x20, 0x1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1}}, "2001:db8::1"},
	{{.len = 16, .b = {0x20, 0x1, 0xd, 0xb8, 0, 0, 0, 0x1, 0, 0, 0, 0x1, 0, 0, 0, 0x1}}, "2001:db8:0:1:0:1:0:1"},
	{{.len = 16, .b = {0x20, 0x1, 0xd, 0xb8, 0, 0x1, 0, 0, 0, 0x1, 0, 0, 0, 0x1, 0, 0}}, "2001:db8:1:0:1:0:1:0"},
	{{.len = 16, .b = {0x20, 0x1, 0, 0, 0, 0, 0, 0, 0, 0x1, 0, 0, 0, 0, 0, 0x1}}, "2001::1:0:0:1"},
	{{.len = 16, .b = {0x20, 0x1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0x1, 0, 0, 0, 0, 0, 0}}, "2001:db8:0:0:1::"},
	{{.len = 16, .b = {0x20, 0x1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0x1, 0, 0, 0, 0, 0, 0x1}}, "2001:db8::1:0:0:1"},
	{{.len = 16, .b = {0x20, 0x1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0xa, 0, 0xb, 0, 0xc, 0, 0xd}}, "2001:db8::a:b:c:d"},
	{{.len = 16}, "::"},
	{{.len = 16, .b = {[15] = 1}}, "::1"},
	{{.len = 16, .b = {0xfe, 0x80, [15] = 1}}, "fe80::1"},
	{{.len = 16, .b = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}, "1::1"},
	{{.len = 16, .b = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}}, "1:0:1::1:0:0"},
	{NIL, "<nil>"},
	{{.len = 8, .b = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}}, "?0123456789abcdef"},
};

START_TEST(test_ip_string)
{
	char buf[IFPLEX_IP_STRLEN];

	ck_assert_int_eq(ifplex_ip_string(&string_tests[_i].in, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, string_tests[_i].str);
	/* Every formatted address parses back to itself. */
	struct ifplex_ip back;
	if (string_tests[_i].in.len == 4 || string_tests[_i].in.len == 16) {
		ck_assert_int_eq(ifplex_ip_parse(buf, &back), 0);
		ck_assert(ifplex_ip_equal(&back, &string_tests[_i].in));
	}
}
END_TEST

START_TEST(test_ip_string_short_buffer)
{
	struct ifplex_ip ip = P("2001:db8::1");
	char buf[12] = "xxxxxxx";

	ck_assert_int_eq(ifplex_ip_string(&ip, buf, 8), IFPLEX_ESHORTBUF);
	ck_assert_int_eq(ifplex_ip_string(&ip, buf, 12), 0);
	ck_assert_str_eq(buf, "2001:db8::1");
}
END_TEST

START_TEST(test_ip_mask)
{
	static const struct {
		const char *ip, *mask, *out;
		int v4mask;
		uint8_t m4[4];
	} t[] = {
		{"192.168.1.127", NULL, "192.168.1.0", 1, {255, 255, 255, 128}},
		{"192.168.1.127", "255.255.255.192", "192.168.1.64", 0, {0}},
		{"192.168.1.127", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffe0", "192.168.1.96", 0, {0}},
		{"192.168.1.127", NULL, "192.0.1.0", 1, {255, 0, 255, 0}},
		{"2001:db8::1", "ffff:ff80::", "2001:d80::", 0, {0}},
		{"2001:db8::1", "f0f0:0f0f::", "2000:d08::", 0, {0}},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ifplex_ip ip = P(t[i].ip), out, want = P(t[i].out);
		struct ifplex_ipmask m = t[i].v4mask
			? ifplex_ipv4_mask(t[i].m4[0], t[i].m4[1], t[i].m4[2], t[i].m4[3])
			: M(t[i].mask);
		ck_assert_int_eq(ifplex_ip_mask(&ip, &m, &out), 0);
		ck_assert_msg(ifplex_ip_equal(&out, &want), "mask case %zu", i);
	}
	/* Lengths that cannot agree give an error, as Go's nil. */
	struct ifplex_ip v6 = P("2001:db8::1"), out;
	struct ifplex_ipmask m4 = ifplex_ipv4_mask(255, 255, 255, 0);
	ck_assert_int_eq(ifplex_ip_mask(&v6, &m4, &out), IFPLEX_EINVAL);
}
END_TEST

START_TEST(test_mask_string)
{
	char buf[40];
	struct ifplex_ipmask m = ifplex_ipv4_mask(255, 255, 255, 240), nil = {0};

	ifplex_mask_string(&m, buf, sizeof buf);
	ck_assert_str_eq(buf, "fffffff0");
	m = ifplex_ipv4_mask(255, 0, 128, 0);
	ifplex_mask_string(&m, buf, sizeof buf);
	ck_assert_str_eq(buf, "ff008000");
	m = M("ffff:ff80::");
	ifplex_mask_string(&m, buf, sizeof buf);
	ck_assert_str_eq(buf, "ffffff80000000000000000000000000");
	m = M("ef00:ff80::cafe:0");
	ifplex_mask_string(&m, buf, sizeof buf);
	ck_assert_str_eq(buf, "ef00ff800000000000000000cafe0000");
	ifplex_mask_string(&nil, buf, sizeof buf);
	ck_assert_str_eq(buf, "<nil>");
}
END_TEST

static const struct {
	const char *in, *ip, *netip;
	int ones, bits; /* bits 0: parse must fail */
} cidr_tests[] = {
	{"135.104.0.0/32", "135.104.0.0", "135.104.0.0", 32, 32},
	{"0.0.0.0/24", "0.0.0.0", "0.0.0.0", 24, 32},
	{"135.104.0.0/24", "135.104.0.0", "135.104.0.0", 24, 32},
	{"135.104.0.1/32", "135.104.0.1", "135.104.0.1", 32, 32},
	{"135.104.0.1/24", "135.104.0.1", "135.104.0.0", 24, 32},
	{"::1/128", "::1", "::1", 128, 128},
	{"abcd:2345::/127", "abcd:2345::", "abcd:2345::", 127, 128},
	{"abcd:2345::/65", "abcd:2345::", "abcd:2345::", 65, 128},
	{"abcd:2345::/64", "abcd:2345::", "abcd:2345::", 64, 128},
	{"abcd:2345::/63", "abcd:2345::", "abcd:2345::", 63, 128},
	{"abcd:2345::/33", "abcd:2345::", "abcd:2345::", 33, 128},
	{"abcd:2345::/32", "abcd:2345::", "abcd:2345::", 32, 128},
	{"abcd:2344::/31", "abcd:2344::", "abcd:2344::", 31, 128},
	{"abcd:2300::/24", "abcd:2300::", "abcd:2300::", 24, 128},
	{"abcd:2345::/24", "abcd:2345::", "abcd:2300::", 24, 128},
	{"2001:DB8::/48", "2001:DB8::", "2001:DB8::", 48, 128},
	{"2001:DB8::1/48", "2001:DB8::1", "2001:DB8::", 48, 128},
	{"192.168.1.1/255.255.255.0", NULL, NULL, 0, 0},
	{"192.168.1.1/35", NULL, NULL, 0, 0},
	{"2001:db8::1/-1", NULL, NULL, 0, 0},
	{"2001:db8::1/-0", NULL, NULL, 0, 0},
	{"-0.0.0.0/32", NULL, NULL, 0, 0},
	{"0.-1.0.0/32", NULL, NULL, 0, 0},
	{"0.0.-2.0/32", NULL, NULL, 0, 0},
	{"0.0.0.-3/32", NULL, NULL, 0, 0},
	{"0.0.0.0/-0", NULL, NULL, 0, 0},
	{"127.000.000.001/32", NULL, NULL, 0, 0},
	{"", NULL, NULL, 0, 0},
	{"10.0.0.0/", NULL, NULL, 0, 0},
	{"fe80::1%eth0/64", NULL, NULL, 0, 0},
};

START_TEST(test_parse_cidr)
{
	struct ifplex_ip ip;
	struct ifplex_ipnet net;
	int rc = ifplex_cidr_parse(cidr_tests[_i].in, &ip, &net);

	if (!cidr_tests[_i].bits) {
		ck_assert_int_eq(rc, IFPLEX_EBADADDR);
		char want[128];
		snprintf(want, sizeof want, "invalid CIDR address: %s", cidr_tests[_i].in);
		ck_assert_str_eq(ifplex_last_error(), want);
		return;
	}
	ck_assert_msg(rc == 0, "ParseCIDR(%s): %s", cidr_tests[_i].in, ifplex_last_error());
	struct ifplex_ip wip = P(cidr_tests[_i].ip), wnet = P(cidr_tests[_i].netip);
	ck_assert(ifplex_ip_equal(&ip, &wip));
	ck_assert(ifplex_ip_equal(&net.ip, &wnet));
	ck_assert_int_eq(net.mask.len, cidr_tests[_i].bits / 8);
	int ones, bits;
	ifplex_mask_size(&net.mask, &ones, &bits);
	ck_assert_int_eq(ones, cidr_tests[_i].ones);
	ck_assert_int_eq(bits, cidr_tests[_i].bits);
}
END_TEST

START_TEST(test_ipnet_contains)
{
	struct {
		const char *ip, *net;
		int ones, bits;
		const char *mask;
		int v4mask;
		uint8_t m4[4];
		int ok;
	} t[] = {
		{"172.16.1.1", "172.16.0.0", 12, 32, NULL, 0, {0}, 1},
		{"172.24.0.1", "172.16.0.0", 13, 32, NULL, 0, {0}, 0},
		{"192.168.0.3", "192.168.0.0", 0, 0, NULL, 1, {0, 0, 255, 252}, 1},
		{"192.168.0.4", "192.168.0.0", 0, 0, NULL, 1, {0, 255, 0, 252}, 0},
		{"2001:db8:1:2::1", "2001:db8:1::", 47, 128, NULL, 0, {0}, 1},
		{"2001:db8:1:2::1", "2001:db8:2::", 47, 128, NULL, 0, {0}, 0},
		{"2001:db8:1:2::1", "2001:db8:1::", 0, 0, "ffff:0:ffff::", 0, {0}, 1},
		{"2001:db8:1:2::1", "2001:db8:1::", 0, 0, "0:0:0:ffff::", 0, {0}, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ifplex_ipnet n = {.ip = P(t[i].net)};
		struct ifplex_ip ip = P(t[i].ip);
		if (t[i].bits)
			ifplex_cidr_mask(t[i].ones, t[i].bits, &n.mask);
		else if (t[i].v4mask)
			n.mask = ifplex_ipv4_mask(t[i].m4[0], t[i].m4[1], t[i].m4[2], t[i].m4[3]);
		else
			n.mask = M(t[i].mask);
		ck_assert_msg(ifplex_ipnet_contains(&n, &ip) == t[i].ok, "contains case %zu", i);
	}
}
END_TEST

START_TEST(test_ipnet_string)
{
	char buf[IFPLEX_IPNET_STRLEN];
	struct ifplex_ipnet n = {.ip = ifplex_ipv4(192, 168, 1, 0)};

	ifplex_cidr_mask(26, 32, &n.mask);
	ifplex_ipnet_string(&n, buf, sizeof buf);
	ck_assert_str_eq(buf, "192.168.1.0/26");
	n.mask = ifplex_ipv4_mask(255, 0, 255, 0);
	ifplex_ipnet_string(&n, buf, sizeof buf);
	ck_assert_str_eq(buf, "192.168.1.0/ff00ff00");
	n.ip = P("2001:db8::");
	ifplex_cidr_mask(55, 128, &n.mask);
	ifplex_ipnet_string(&n, buf, sizeof buf);
	ck_assert_str_eq(buf, "2001:db8::/55");
	n.mask = M("8000:f123:0:cafe::");
	ifplex_ipnet_string(&n, buf, sizeof buf);
	ck_assert_str_eq(buf, "2001:db8::/8000f1230000cafe0000000000000000");
}
END_TEST

START_TEST(test_cidr_mask)
{
	static const struct {
		int ones, bits, ok;
		uint8_t out[16];
	} t[] = {
		{0, 32, 1, {0, 0, 0, 0}},
		{12, 32, 1, {255, 240, 0, 0}},
		{24, 32, 1, {255, 255, 255, 0}},
		{32, 32, 1, {255, 255, 255, 255}},
		{0, 128, 1, {0}},
		{4, 128, 1, {0xf0}},
		{48, 128, 1, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{128, 128, 1, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{33, 32, 0, {0}},
		{32, 33, 0, {0}},
		{-1, 128, 0, {0}},
		{128, -1, 0, {0}},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ifplex_ipmask m;
		int rc = ifplex_cidr_mask(t[i].ones, t[i].bits, &m);
		if (!t[i].ok) {
			ck_assert_int_eq(rc, IFPLEX_EINVAL);
			continue;
		}
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(m.len, t[i].bits / 8);
		ck_assert_mem_eq(m.b, t[i].out, m.len);
	}
}
END_TEST

START_TEST(test_mask_size_noncanonical)
{
	struct ifplex_ipmask m = ifplex_ipv4_mask(255, 0, 255, 0);
	int ones = -1, bits = -1;

	ifplex_mask_size(&m, &ones, &bits);
	ck_assert_int_eq(ones, 0);
	ck_assert_int_eq(bits, 0);
}
END_TEST

START_TEST(test_family)
{
	static const struct {
		const char *ip;
		int af4;
	} t[] = {
		{"255.255.255.255", 1}, {"224.0.0.1", 1}, {"224.0.0.2", 1}, {"0.0.0.0", 1},
		{"127.0.0.1", 1}, {"240.0.0.1", 1}, {"::", 0}, {"::1", 0}, {"ff01::1", 0},
		{"ff02::1", 0}, {"ff02::2", 0}, {"ff05::a:b:c:d", 0}, {"fe80::1:2:3:4", 0},
		{"2001:db8::123:12:1", 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ifplex_ip ip = P(t[i].ip), v4;
		ck_assert_msg((ifplex_ip_to4(&ip, &v4) == 0) == t[i].af4, "family %s", t[i].ip);
	}
}
END_TEST

typedef int (*pred)(const struct ifplex_ip *);

START_TEST(test_scope)
{
	static const uint8_t fe80[16] = {0xfe, 0x80}, fec0[16] = {0xfe, 0xc0}, ff05[16] = {0xff, 0x05},
			     fbff[16] = {0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
			     fc00[16] = {0xfc}, fcff[16] = {0xfc, 0xff, 0x12, 0, 0, 0, 0, 0x44},
			     fdff[16] = {0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
			     fe00[16] = {0xfe},
			     glob6[16] = {0x20, 0x1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0x1, 0x23, 0, 0x12, 0, 0x1};
	const struct {
		pred f;
		struct ifplex_ip in;
		int ok;
	} t[] = {
		{ifplex_ip_is_unspecified, ifplex_ipv4(0, 0, 0, 0), 1},
		{ifplex_ip_is_unspecified, ifplex_ipv4(127, 0, 0, 1), 0},
		{ifplex_ip_is_unspecified, P("::"), 1},
		{ifplex_ip_is_unspecified, P("ff01::1"), 0},
		{ifplex_ip_is_unspecified, NIL, 0},
		{ifplex_ip_is_loopback, ifplex_ipv4(127, 0, 0, 1), 1},
		{ifplex_ip_is_loopback, ifplex_ipv4(127, 255, 255, 254), 1},
		{ifplex_ip_is_loopback, ifplex_ipv4(128, 1, 2, 3), 0},
		{ifplex_ip_is_loopback, P("::1"), 1},
		{ifplex_ip_is_loopback, P("ff02::2"), 0},
		{ifplex_ip_is_loopback, NIL, 0},
		{ifplex_ip_is_multicast, ifplex_ipv4(224, 0, 0, 0), 1},
		{ifplex_ip_is_multicast, ifplex_ipv4(239, 0, 0, 0), 1},
		{ifplex_ip_is_multicast, ifplex_ipv4(240, 0, 0, 0), 0},
		{ifplex_ip_is_multicast, P("ff02::1"), 1},
		{ifplex_ip_is_multicast, raw(16, ff05), 1},
		{ifplex_ip_is_multicast, raw(16, fe80), 0},
		{ifplex_ip_is_multicast, NIL, 0},
		{ifplex_ip_is_interface_local_multicast, ifplex_ipv4(224, 0, 0, 0), 0},
		{ifplex_ip_is_interface_local_multicast, ifplex_ipv4(0xff, 0x01, 0, 0), 0},
		{ifplex_ip_is_interface_local_multicast, P("ff01::1"), 1},
		{ifplex_ip_is_interface_local_multicast, NIL, 0},
		{ifplex_ip_is_link_local_multicast, ifplex_ipv4(224, 0, 0, 0), 1},
		{ifplex_ip_is_link_local_multicast, ifplex_ipv4(239, 0, 0, 0), 0},
		{ifplex_ip_is_link_local_multicast, ifplex_ipv4(0xff, 0x02, 0, 0), 0},
		{ifplex_ip_is_link_local_multicast, P("ff02::2"), 1},
		{ifplex_ip_is_link_local_multicast, raw(16, ff05), 0},
		{ifplex_ip_is_link_local_multicast, NIL, 0},
		{ifplex_ip_is_link_local_unicast, ifplex_ipv4(169, 254, 0, 0), 1},
		{ifplex_ip_is_link_local_unicast, ifplex_ipv4(169, 255, 0, 0), 0},
		{ifplex_ip_is_link_local_unicast, ifplex_ipv4(0xfe, 0x80, 0, 0), 0},
		{ifplex_ip_is_link_local_unicast, raw(16, fe80), 1},
		{ifplex_ip_is_link_local_unicast, raw(16, fec0), 0},
		{ifplex_ip_is_link_local_unicast, NIL, 0},
		{ifplex_ip_is_global_unicast, ifplex_ipv4(240, 0, 0, 0), 1},
		{ifplex_ip_is_global_unicast, ifplex_ipv4(232, 0, 0, 0), 0},
		{ifplex_ip_is_global_unicast, ifplex_ipv4(169, 254, 0, 0), 0},
		{ifplex_ip_is_global_unicast, ifplex_ipv4(255, 255, 255, 255), 0},
		{ifplex_ip_is_global_unicast, raw(16, glob6), 1},
		{ifplex_ip_is_global_unicast, raw(16, fe80), 0},
		{ifplex_ip_is_global_unicast, raw(16, ff05), 0},
		{ifplex_ip_is_global_unicast, NIL, 0},
		{ifplex_ip_is_private, NIL, 0},
		{ifplex_ip_is_private, ifplex_ipv4(1, 1, 1, 1), 0},
		{ifplex_ip_is_private, ifplex_ipv4(9, 255, 255, 255), 0},
		{ifplex_ip_is_private, ifplex_ipv4(10, 0, 0, 0), 1},
		{ifplex_ip_is_private, ifplex_ipv4(10, 255, 255, 255), 1},
		{ifplex_ip_is_private, ifplex_ipv4(11, 0, 0, 0), 0},
		{ifplex_ip_is_private, ifplex_ipv4(172, 15, 255, 255), 0},
		{ifplex_ip_is_private, ifplex_ipv4(172, 16, 0, 0), 1},
		{ifplex_ip_is_private, ifplex_ipv4(172, 16, 255, 255), 1},
		{ifplex_ip_is_private, ifplex_ipv4(172, 23, 18, 255), 1},
		{ifplex_ip_is_private, ifplex_ipv4(172, 31, 255, 255), 1},
		{ifplex_ip_is_private, ifplex_ipv4(172, 31, 0, 0), 1},
		{ifplex_ip_is_private, ifplex_ipv4(172, 32, 0, 0), 0},
		{ifplex_ip_is_private, ifplex_ipv4(192, 167, 255, 255), 0},
		{ifplex_ip_is_private, ifplex_ipv4(192, 168, 0, 0), 1},
		{ifplex_ip_is_private, ifplex_ipv4(192, 168, 255, 255), 1},
		{ifplex_ip_is_private, ifplex_ipv4(192, 169, 0, 0), 0},
		{ifplex_ip_is_private, raw(16, fbff), 0},
		{ifplex_ip_is_private, raw(16, fc00), 1},
		{ifplex_ip_is_private, raw(16, fcff), 1},
		{ifplex_ip_is_private, raw(16, fdff), 1},
		{ifplex_ip_is_private, raw(16, fe00), 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		ck_assert_msg(t[i].f(&t[i].in) == t[i].ok, "scope case %zu", i);
		/* The 4-byte form answers the same, as Go checks with To4. */
		struct ifplex_ip v4;
		if (ifplex_ip_to4(&t[i].in, &v4) == 0)
			ck_assert_msg(t[i].f(&v4) == t[i].ok, "scope case %zu (4-byte)", i);
	}
}
END_TEST

START_TEST(test_parse_zone)
{
	struct ifplex_ip ip;
	char zone[IFPLEX_NAME_MAX];

	ck_assert_int_eq(ifplex_ip_parse_zone("fe80::1%eth0", &ip, zone, sizeof zone), 0);
	ck_assert_str_eq(zone, "eth0");
	ck_assert_int_eq(ifplex_ip_parse_zone("::1", &ip, zone, sizeof zone), 0);
	ck_assert_str_eq(zone, "");
	ck_assert_int_eq(ifplex_ip_parse_zone("1.2.3.4%eth0", &ip, zone, sizeof zone), IFPLEX_EBADADDR);
	ck_assert_int_eq(ifplex_ip_parse_zone("fe80::1%", &ip, zone, sizeof zone), IFPLEX_EBADADDR);
	ck_assert_int_eq(ifplex_ip_parse_zone("fe80::1%eth0", &ip, zone, 3), IFPLEX_ESHORTBUF);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ip");
	TCase *tc = tcase_create("go-tables");

	tcase_add_loop_test(tc, test_parse_ip, 0, sizeof parse_tests / sizeof parse_tests[0]);
	tcase_add_loop_test(tc, test_ip_string, 0, sizeof string_tests / sizeof string_tests[0]);
	tcase_add_test(tc, test_ip_string_short_buffer);
	tcase_add_test(tc, test_ip_mask);
	tcase_add_test(tc, test_mask_string);
	tcase_add_loop_test(tc, test_parse_cidr, 0, sizeof cidr_tests / sizeof cidr_tests[0]);
	tcase_add_test(tc, test_ipnet_contains);
	tcase_add_test(tc, test_ipnet_string);
	tcase_add_test(tc, test_cidr_mask);
	tcase_add_test(tc, test_mask_size_noncanonical);
	tcase_add_test(tc, test_family);
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_parse_zone);
	suite_add_tcase(s, tc);
	return ifplex_test_run_pure(s);
}
