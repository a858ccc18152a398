/* SPDX-License-Identifier: MIT */
/* The routing-message parser against the published vectors of Go's
 * golang.org/x/net/route tests: address_test.go (FreeBSD, little endian),
 * address_darwin_test.go, the 50-byte Darwin RTM_DELMADDR of
 * golang/go#44740, and the fuzz inputs of message_test.go.  Go's expected
 * values are the expected values here. */
#include "../helpers.h"
#include "rs.h"

#include <stdio.h>
#include <string.h>

static const struct rs_layout *freebsd, *darwin;

static void setup(void)
{
	freebsd = rs_layout_find("freebsd", "amd64");
	darwin = rs_layout_find("darwin", "amd64");
	ck_assert_ptr_nonnull(freebsd);
	ck_assert_ptr_nonnull(darwin);
}

static void walk(const struct rs_layout *l, uint32_t attrs, const uint8_t *b, size_t n, struct rs_sa sa[RS_RTAX_LIMIT])
{
	char err[256] = "";
	ck_assert_msg(rs_walk(l, attrs, b, n, sa, err, sizeof err) == 0, "%s", err);
}

static void expect_link(const struct rs_sa *sa, int index, const char *name, const char *hw)
{
	struct rs_link link;
	char err[256] = "", got[64] = "";

	ck_assert_ptr_nonnull(sa->p);
	ck_assert_uint_eq(sa->family, 18);
	ck_assert_msg(rs_sa_link(sa, &link, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(link.index, index);
	ck_assert_str_eq(link.name, name);
	for (unsigned i = 0; i < link.alen; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%02x", i ? ":" : "", link.addr[i]);
	ck_assert_str_eq(got, hw);
}

/* sa read as family af: its text, "%zone" when it has one. */
static void expect_inet(const struct rs_layout *l, const struct rs_sa *sa, int af, const char *want)
{
	struct rs_inet in;
	char got[96];
	static const char hex[] = "0123456789abcdef";

	ck_assert_ptr_nonnull(sa->p);
	rs_sa_inet(l, sa, af, &in);
	if (in.ip.len == 4) {
		snprintf(got, sizeof got, "%u.%u.%u.%u", in.ip.b[0], in.ip.b[1], in.ip.b[2], in.ip.b[3]);
	} else {
		/* Full hex groups: no formatter of the core is linked here. */
		char *p = got;
		for (int i = 0; i < 16; i += 2) {
			*p++ = hex[in.ip.b[i] >> 4];
			*p++ = hex[in.ip.b[i] & 15];
			*p++ = hex[in.ip.b[i + 1] >> 4];
			*p++ = hex[in.ip.b[i + 1] & 15];
			*p++ = i < 14 ? ':' : '\0';
		}
	}
	if (in.zone)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%%%u", in.zone);
	ck_assert_str_eq(got, want);
}

static void expect_absent(const struct rs_sa sa[RS_RTAX_LIMIT], const int *slots, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(sa[slots[i]].p == NULL, "slot %d present", slots[i]);
}

enum { DST = 0x1, GATEWAY = 0x2, NETMASK = 0x4, BRD = 0x80, IFP = 0x10, IFA = 0x20 };

START_TEST(test_go_address_test_1)
{
	static const uint8_t b[] = {
		0x38, 0x12, 0x0, 0x0, 0xff, 0xff, 0xff, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
		0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
		0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
		0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

		0x38, 0x12, 0x2, 0x0, 0x6, 0x3, 0x6, 0x0, 0x65, 0x6d, 0x31, 0x0, 0xc, 0x29, 0x66, 0x2c,
		0xdc, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
		0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
		0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

		0x10, 0x2, 0x0, 0x0, 0xac, 0x10, 0xdc, 0xb4, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

		0x10, 0x2, 0x0, 0x0, 0xac, 0x10, 0xdc, 0xff, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
	};
	struct rs_sa sa[RS_RTAX_LIMIT];
	static const int absent[] = {3, 4, 5, 6};

	walk(freebsd, DST | GATEWAY | NETMASK | BRD, b, sizeof b, sa);
	expect_link(&sa[0], 0, "", "");
	expect_link(&sa[1], 2, "em1", "00:0c:29:66:2c:dc");
	expect_inet(freebsd, &sa[2], 2, "172.16.220.180");
	expect_inet(freebsd, &sa[7], 2, "172.16.220.255");
	expect_absent(sa, absent, 4);
}
END_TEST

START_TEST(test_go_address_test_2)
{
	static const uint8_t b[] = {
		0x7, 0x0, 0x0, 0x0, 0xff, 0xff, 0xff, 0x0,

		0x18, 0x12, 0xa, 0x0, 0x87, 0x8, 0x0, 0x0, 0x76, 0x6c, 0x61, 0x6e, 0x35, 0x36, 0x38, 0x32,
		0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

		0x10, 0x2, 0x0, 0x0, 0xa9, 0xfe, 0x0, 0x1, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
	};
	struct rs_sa sa[RS_RTAX_LIMIT];
	static const int absent[] = {0, 1, 3, 6, 7};

	walk(freebsd, NETMASK | IFP | IFA, b, sizeof b, sa);
	/* The kernel-form netmask has no family: it takes the address's. */
	ck_assert_uint_eq(sa[2].family, 0);
	expect_inet(freebsd, &sa[2], sa[5].family, "255.255.255.0");
	expect_link(&sa[4], 10, "vlan5682", "");
	expect_inet(freebsd, &sa[5], 2, "169.254.0.1");
	expect_absent(sa, absent, 5);
}
END_TEST

START_TEST(test_go_darwin_1_netmask_bogus_family)
{
	static const uint8_t b[] = {
		0x10, 0x2, 0x0, 0x0, 0xc0, 0xa8, 0x56, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

		0x14, 0x12, 0x4, 0x0, 0x6, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
		0x0, 0x0, 0x0, 0x0,

		0x7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0,
	};
	struct rs_sa sa[RS_RTAX_LIMIT];
	static const int absent[] = {3, 4, 5, 6, 7};

	walk(darwin, DST | GATEWAY | NETMASK, b, sizeof b, sa);
	expect_inet(darwin, &sa[0], 2, "192.168.86.0");
	expect_link(&sa[1], 4, "", "");
	ck_assert_uint_eq(sa[2].family, 0xff);
	expect_inet(darwin, &sa[2], sa[0].family, "255.255.255.0");
	expect_absent(sa, absent, 5);
}
END_TEST

START_TEST(test_go_darwin_2_utun)
{
	static const uint8_t b[] = {
		0x10, 0x02, 0x00, 0x00, 0x64, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,

		0x14, 0x12, 0x21, 0x00, 0x01, 0x08, 0x00, 0x00, 0x75, 0x74, 0x75, 0x6e, 0x34, 0x33, 0x31, 0x39,
		0x00, 0x00, 0x00, 0x00,

		0x06, 0x02, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00,
	};
	struct rs_sa sa[RS_RTAX_LIMIT];

	walk(darwin, DST | GATEWAY | NETMASK, b, sizeof b, sa);
	expect_inet(darwin, &sa[0], 2, "100.113.0.0");
	expect_link(&sa[1], 33, "utun4319", "");
	expect_inet(darwin, &sa[2], 2, "255.255.0.0");
}
END_TEST

START_TEST(test_go_darwin_3_kame_zone)
{
	static const uint8_t b[] = {
		0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x84, 0x1b, 0x4e, 0x62, 0x81, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,

		0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe, 0x80, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00,
		0xf2, 0x2f, 0x4b, 0xff, 0xfe, 0x09, 0x3b, 0xff, 0x00, 0x00, 0x00, 0x00,

		0x0e, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
	};
	struct rs_sa sa[RS_RTAX_LIMIT];

	walk(darwin, DST | GATEWAY | NETMASK, b, sizeof b, sa);
	expect_inet(darwin, &sa[0], 30, "fd84:1b4e:6281:0000:0000:0000:0000:0000");
	/* The embedded 0x0021 is zone 33 and leaves the address. */
	expect_inet(darwin, &sa[1], 30, "fe80:0000:0000:0000:f22f:4bff:fe09:3bff%33");
	expect_inet(darwin, &sa[2], 30, "ffff:ffff:ffff:0000:0000:0000:0000:0000");
	struct rs_inet m;
	rs_sa_inet(darwin, &sa[2], 30, &m);
	ck_assert_int_eq(rs_mask_ones(&m.ip), 48);
}
END_TEST

START_TEST(test_go_darwin_4_short_netmask)
{
	static const uint8_t b[] = {
		0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,

		0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0xd0, 0x4c, 0xff, 0xfe, 0x10, 0x15, 0xd2, 0x00, 0x00, 0x00, 0x00,

		0x02, 0x1e, 0x00, 0x00,
	};
	struct rs_sa sa[RS_RTAX_LIMIT];

	walk(darwin, DST | GATEWAY | NETMASK, b, sizeof b, sa);
	expect_inet(darwin, &sa[0], 30, "0000:0000:0000:0000:0000:0000:0000:0000");
	expect_inet(darwin, &sa[1], 30, "fe80:0000:0000:0000:02d0:4cff:fe10:15d2");
	/* A 2-byte sockaddr: family only, the unspecified mask. */
	expect_inet(darwin, &sa[2], 30, "0000:0000:0000:0000:0000:0000:0000:0000");
}
END_TEST

START_TEST(test_go_darwin_5_zero_length_sockaddr)
{
	/* golang/go#70528: the kernel can produce addresses of length 0. */
	static const uint8_t b[] = {
		0x00, 0x1e, 0x00, 0x00,

		0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe, 0x80, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00,
		0xf2, 0x2f, 0x4b, 0xff, 0xfe, 0x09, 0x3b, 0xff, 0x00, 0x00, 0x00, 0x00,

		0x0e, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
	};
	struct rs_sa sa[RS_RTAX_LIMIT];

	walk(darwin, DST | GATEWAY | NETMASK, b, sizeof b, sa);
	ck_assert_uint_eq(sa[0].len, 0);
	ck_assert_uint_eq(sa[0].space, 4);
	expect_inet(darwin, &sa[0], 30, "0000:0000:0000:0000:0000:0000:0000:0000");
	expect_inet(darwin, &sa[1], 30, "fe80:0000:0000:0000:f22f:4bff:fe09:3bff%33");
	expect_inet(darwin, &sa[2], 30, "ffff:ffff:ffff:0000:0000:0000:0000:0000");
}
END_TEST

START_TEST(test_go_darwin_6_whole_message_as_sockaddrs)
{
	/* golang/go#70528 (comment 2498692877): a whole message handed over
	 * as sockaddrs.  Its first "sockaddr" claims 132 bytes of AF_UNSPEC:
	 * ifplex walks it without reading past the buffer and finds nothing
	 * after it; Go also reads 0.0.0.0 out of it, which ifplex, having no
	 * family for it, does not. */
	static const uint8_t b[] = {
		0x84, 0x00, 0x05, 0x04, 0x01, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x01, 0x15, 0x00, 0x00, 0x00,
		0x1B, 0x01, 0x00, 0x00, 0xF5, 0x5A, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x02, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
		0x14, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
	};
	struct rs_sa sa[RS_RTAX_LIMIT];
	static const int absent[] = {1, 2, 3, 4, 5, 6, 7};

	walk(darwin, DST | GATEWAY | NETMASK, b, sizeof b, sa);
	ck_assert_ptr_nonnull(sa[0].p);
	ck_assert_uint_eq(sa[0].len, 0x84);
	ck_assert_uint_eq(sa[0].family, 0);
	expect_absent(sa, absent, 7);
}
END_TEST

/* golang/go#44740: 50 bytes from a Darwin routing socket, RTM_DELMADDR,
 * whose last sockaddr (14 bytes) lacks its padding. */
static const uint8_t issue44740[] = {
	0x32, 0x00, 0x05, 0x10, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
	0x14, 0x12, 0x04, 0x00, 0x06, 0x03, 0x06, 0x00, 0x65, 0x6e, 0x30, 0xac, 0x87, 0xa3, 0x19, 0x7f,
	0x82, 0x00, 0x00, 0x00, 0x0e, 0x12, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x91, 0xe0, 0xf0, 0x01,
	0x00, 0x00,
};

START_TEST(test_go_issue_44740_unpadded_last_sockaddr)
{
	struct rs_sa sa[RS_RTAX_LIMIT];
	struct rs_report rep;
	struct rs_sink none = {0};
	uint8_t m[sizeof issue44740];

	walk(darwin, IFP | IFA, issue44740 + 16, sizeof issue44740 - 16, sa);
	expect_link(&sa[4], 4, "en0", "ac:87:a3:19:7f:82");
	expect_link(&sa[5], 0, "", "91:e0:f0:01:00:00");
	ck_assert_uint_eq(sa[5].space, 14);
	/* RTM_DELMADDR, read for events: a link-layer group, no IP group. */
	ck_assert_int_eq(rs_parse(darwin, issue44740, sizeof issue44740, &none, &rep), 0);
	ck_assert_uint_eq(rep.other_type, 0);
	ck_assert_uint_eq(rep.dropped, 1);
	/* As RTM_NEWMADDR: a link-layer group, which is no IP group. */
	memcpy(m, issue44740, sizeof m);
	m[3] = 0x0f;
	ck_assert_msg(rs_parse(darwin, m, sizeof m, &none, &rep) == 0, "%s", rep.err);
	ck_assert_uint_eq(rep.dropped, 1);
}
END_TEST

START_TEST(test_go_fuzz_inputs)
{
	/* message_test.go TestParseRIBWithFuzz, through every layout. */
	static const char f1[] = "0\x00\x05\x05"
				 "0000000000000000"
				 "00000000000000000000"
				 "00000000000000000000"
				 "00000000000000000000"
				 "0000000000000\x02"
				 "000000"
				 "00000000";
	static const char f2[] = "\x02\x00\x05\f0000000000000000"
				 "0\x02"
				 "00000000000000";
	static const char f3[] = "\x02\x00\x05\x10"
				 "0000000000000\x12"
				 "00"
				 "0\x00\xff\x00";
	static const char f4[] = "\x02\x00\x05\f0000000000000000"
				 "0\x12"
				 "000\x00\x02\x00"
				 "00";
	static const char f5[] = "\x00\x00\x00\x01\x00";
	static const char f6[] = "00000";
	static const struct {
		const char *s;
		size_t n;
	} in[] = {{f1, sizeof f1 - 1}, {f2, sizeof f2 - 1}, {f3, sizeof f3 - 1},
		  {f4, sizeof f4 - 1}, {f5, sizeof f5 - 1}, {f6, sizeof f6 - 1}};
	static const char *const systems[][2] = {{"freebsd", "amd64"}, {"freebsd", "i386"}, {"darwin", "arm64"},
						 {"netbsd", "amd64"},  {"openbsd", "i386"}, {"dragonfly", "amd64"}};
	struct rs_sink none = {0};
	struct rs_report rep;

	for (size_t s = 0; s < sizeof systems / sizeof systems[0]; s++) {
		const struct rs_layout *l = rs_layout_find(systems[s][0], systems[s][1]);
		ck_assert_ptr_nonnull(l);
		for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
			int rc = rs_parse(l, (const uint8_t *)in[i].s, in[i].n, &none, &rep);
			ck_assert_msg(rc == 0 || (rc == IFPLEX_EMALFORMED && rep.err[0]), "%s input %zu: %d", l->os, i, rc);
		}
	}
}
END_TEST

/* FreeBSD's if_announcemsghdr (sys/net/if.h): 24 bytes, ifan_index at
 * 4, ifan_name[16] at 6, ifan_what at 22. */
static void announce_msg(uint8_t m[24], unsigned len, unsigned index, const char *name, size_t nlen,
			 unsigned what)
{
	memset(m, 0, 24);
	m[0] = (uint8_t)len;
	m[2] = 5;
	m[3] = 0x11;
	m[4] = (uint8_t)index;
	memcpy(m + 6, name, nlen);
	m[22] = (uint8_t)what;
}

static struct rs_announce seen;

static int on_announce(void *arg, const struct rs_announce *an)
{
	(void)arg;
	seen = *an;
	return 0;
}

START_TEST(test_announce)
{
	struct rs_sink sink = {.announce = on_announce};
	struct rs_report rep;
	uint8_t m[24];

	announce_msg(m, 24, 3, "em1", 3, 0);
	ck_assert_msg(rs_parse(freebsd, m, 24, &sink, &rep) == 0, "%s", rep.err);
	ck_assert_int_eq(seen.index, 3);
	ck_assert_int_eq(seen.arrival, 1);
	ck_assert_str_eq(seen.name, "em1");
	announce_msg(m, 24, 3, "em1", 3, 1);
	ck_assert_int_eq(rs_parse(freebsd, m, 24, &sink, &rep), 0);
	ck_assert_int_eq(seen.arrival, 0);
	/* IFAN_* beyond departure: not ours, skipped. */
	announce_msg(m, 24, 3, "em1", 3, 2);
	ck_assert_int_eq(rs_parse(freebsd, m, 24, &sink, &rep), 0);
	ck_assert_uint_eq(rep.other_type, 1);
	announce_msg(m, 24, 3, "0123456789abcdef", 16, 0);
	ck_assert_int_eq(rs_parse(freebsd, m, 24, &sink, &rep), IFPLEX_EMALFORMED);
	ck_assert_msg(strstr(rep.err, "without a NUL"), "%s", rep.err);
	announce_msg(m, 24, 0, "em1", 3, 0);
	ck_assert_int_eq(rs_parse(freebsd, m, 24, &sink, &rep), IFPLEX_EMALFORMED);
	ck_assert_msg(strstr(rep.err, "RTM_IFANNOUNCE (type 0x11) at offset 0: interface index 0"), "%s", rep.err);
	announce_msg(m, 20, 3, "em1", 3, 0);
	ck_assert_int_eq(rs_parse(freebsd, m, 20, &sink, &rep), IFPLEX_EMALFORMED);
	ck_assert_msg(strstr(rep.err, "shorter than its header"), "%s", rep.err);
}
END_TEST

/* Event-stream records: whole, in part (more to come), or wrong. */
START_TEST(test_stream_records)
{
	static const char rec[] = "ifplex-rib 1 freebsd amd64 route 4\nabcdifplex-rib 1 freebsd amd64 overflow 0\n";
	struct rs_record r;
	size_t used, n = sizeof rec - 1;
	char err[256];

	ck_assert_int_eq(rs_stream_next((const uint8_t *)rec, n, &r, &used, err, sizeof err), 1);
	ck_assert_int_eq(r.what, RS_ROUTE);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_ptr_eq(r.layout, freebsd);
	ck_assert_int_eq(memcmp(r.p, "abcd", 4), 0);
	ck_assert_int_eq(rs_stream_next((const uint8_t *)rec + used, n - used, &r, &used, err, sizeof err), 1);
	ck_assert_int_eq(r.what, RS_OVERFLOW);
	for (size_t cut = 0; cut < 39; cut++)
		ck_assert_int_eq(rs_stream_next((const uint8_t *)rec, cut, &r, &used, err, sizeof err), 0);
	static const char bad[][64] = {"ifplex-rib 1 freebsd amd64 overflow 3\nabc",
				       "ifplex-rib 1 freebsd amd64 iflist 0\n", "ifplex-rib 1 freebsd amd64 route 65536\n"};
	static const char *const why[] = {"an overflow of 3 bytes", "a iflist section", "at most 65535"};
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(rs_stream_next((const uint8_t *)bad[i], strlen(bad[i]), &r, &used, err, sizeof err),
				 IFPLEX_EMALFORMED);
		ck_assert_msg(strstr(err, why[i]), "%s", err);
	}
	/* And a dump refuses a stream's sections. */
	struct rs_rib rib;
	ck_assert_int_eq(rs_rib_parse((const uint8_t *)rec, n, &rib, err, sizeof err), IFPLEX_EMALFORMED);
	ck_assert_msg(strstr(err, "belongs in an event stream"), "%s", err);
}
END_TEST

START_TEST(test_layouts_known)
{
	static const char *const have[][2] = {{"freebsd", "amd64"}, {"freebsd", "i386"},  {"freebsd", "arm64"},
					      {"darwin", "amd64"},  {"darwin", "arm64"},   {"netbsd", "amd64"},
					      {"netbsd", "i386"},   {"netbsd", "arm64"},   {"openbsd", "amd64"},
					      {"openbsd", "i386"},  {"openbsd", "arm64"},  {"dragonfly", "amd64"}};
	for (size_t i = 0; i < sizeof have / sizeof have[0]; i++)
		ck_assert_msg(rs_layout_find(have[i][0], have[i][1]), "%s %s", have[i][0], have[i][1]);
	ck_assert_ptr_null(rs_layout_find("darwin", "i386"));
	ck_assert_ptr_null(rs_layout_find("plan9", "amd64"));
	ck_assert_uint_eq(rs_layout_find("freebsd", "i386")->align, 4);
	ck_assert_uint_eq(rs_layout_find("freebsd", "amd64")->align, 8);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("routesock vectors");
	TCase *tc = tcase_create("go");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_go_address_test_1);
	tcase_add_test(tc, test_go_address_test_2);
	tcase_add_test(tc, test_go_darwin_1_netmask_bogus_family);
	tcase_add_test(tc, test_go_darwin_2_utun);
	tcase_add_test(tc, test_go_darwin_3_kame_zone);
	tcase_add_test(tc, test_go_darwin_4_short_netmask);
	tcase_add_test(tc, test_go_darwin_5_zero_length_sockaddr);
	tcase_add_test(tc, test_go_darwin_6_whole_message_as_sockaddrs);
	tcase_add_test(tc, test_go_issue_44740_unpadded_last_sockaddr);
	tcase_add_test(tc, test_go_fuzz_inputs);
	tcase_add_test(tc, test_layouts_known);
	tcase_add_test(tc, test_announce);
	tcase_add_test(tc, test_stream_records);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
