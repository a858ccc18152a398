/* SPDX-License-Identifier: MIT */
/* The link parser on RTM_NEWLINK messages for link types this machine
 * cannot create (no ipip, sit, gre or ip6_tunnel modules).  The messages are
 * laid out as Linux's rtnl_fill_ifinfo (net/core/rtnetlink.c) fills them:
 * ifinfomsg with ifi_type from include/uapi/linux/if_arp.h, then IFLA_IFNAME,
 * IFLA_MTU, IFLA_ADDRESS (dev_addr, addr_len bytes: the local tunnel
 * endpoint) and IFLA_BROADCAST (the remote one).  The expected values are
 * Go's (net/interface_linux.go, newLink): a 4-byte address on an IPv4
 * tunnel (ARPHRD_TUNNEL, ARPHRD_SIT, ARPHRD_IPGRE) and a 16-byte address on
 * an IPv6 tunnel (ARPHRD_TUNNEL6, ARPHRD_IP6GRE) is no hardware address. */
#include "../helpers.h"
#include "../../plugins/netlink/nl.h"
#include "nlmsg.h"

#include <check.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <string.h>

/* One link message of ARPHRD type with an address of n bytes (pattern
 * 0x0a, 0x0b, ...; all zeros when zero is set). */
static const struct nlmsghdr *link_msg(struct nlmsg_buf *m, unsigned short type, size_t n, int zero)
{
	unsigned char addr[32], peer[32];
	uint32_t mtu = 1480;

	struct nlmsghdr *h = nlmsg_start(m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = type;
	ifi->ifi_index = 7;
	ifi->ifi_flags = 0x91; /* IFF_UP | IFF_POINTOPOINT | IFF_NOARP, as ipip has */
	for (size_t i = 0; i < n; i++) {
		addr[i] = zero ? 0 : (unsigned char)(0x0a + i);
		peer[i] = (unsigned char)(0xc0 + i);
	}
	nlmsg_put_attr(h, IFLA_IFNAME, "tun7", 5);
	nlmsg_put_attr(h, IFLA_MTU, &mtu, sizeof mtu);
	if (n) {
		nlmsg_put_attr(h, IFLA_ADDRESS, addr, n);
		nlmsg_put_attr(h, IFLA_BROADCAST, peer, n);
	}
	return h;
}

static const struct {
	const char *kind;
	unsigned short type;
	size_t len;
	int reported;
} cases[] = {
	{"ipip, vti", ARPHRD_TUNNEL, 4, 0},
	{"sit", ARPHRD_SIT, 4, 0},
	{"gre", ARPHRD_IPGRE, 4, 0},
	{"ip6tnl, vti6", ARPHRD_TUNNEL6, 16, 0},
	{"ip6gre", ARPHRD_IP6GRE, 16, 0},
	/* Go skips only those lengths on those types. */
	{"IPv4 tunnel type, 16 bytes", ARPHRD_TUNNEL, 16, 1},
	{"IPv6 tunnel type, 4 bytes", ARPHRD_TUNNEL6, 4, 1},
	{"ethernet (gretap, veth)", ARPHRD_ETHER, 6, 1},
	{"infiniband", ARPHRD_INFINIBAND, 20, 1},
	{"a 4-byte address of another type", ARPHRD_NONE, 4, 1},
	{"firewire", ARPHRD_IEEE1394, 16, 1},
};

START_TEST(test_tunnel_hwaddr)
{
	struct nlmsg_buf m;
	struct ifplex_iface ifi;

	ck_assert_int_eq(nl_parse_link(link_msg(&m, cases[_i].type, cases[_i].len, 0), &ifi), 0);
	ck_assert_str_eq(ifi.name, "tun7");
	ck_assert_int_eq(ifi.mtu, 1480);
	if (!cases[_i].reported) {
		ck_assert_msg(ifi.hwaddr_len == 0, "%s: a %zu-byte tunnel endpoint reported as hardware address",
			      cases[_i].kind, cases[_i].len);
		return;
	}
	ck_assert_msg(ifi.hwaddr_len == cases[_i].len, "%s: hardware address of %u bytes, want %zu", cases[_i].kind,
		      ifi.hwaddr_len, cases[_i].len);
	for (size_t i = 0; i < cases[_i].len; i++)
		ck_assert_uint_eq(ifi.hwaddr[i], 0x0a + i);
}
END_TEST

START_TEST(test_zero_hwaddr_is_none)
{
	struct nlmsg_buf m;
	struct ifplex_iface ifi;

	/* The loopback's six zero bytes, as Go reports it: no address. */
	ck_assert_int_eq(nl_parse_link(link_msg(&m, ARPHRD_LOOPBACK, 6, 1), &ifi), 0);
	ck_assert_uint_eq(ifi.hwaddr_len, 0);
	/* A link without IFLA_ADDRESS (tun) has none either. */
	ck_assert_int_eq(nl_parse_link(link_msg(&m, ARPHRD_NONE, 0, 0), &ifi), 0);
	ck_assert_uint_eq(ifi.hwaddr_len, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nl_parse");
	TCase *tc = tcase_create("links");

	tcase_add_loop_test(tc, test_tunnel_hwaddr, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, test_zero_hwaddr_is_none);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
