/* SPDX-License-Identifier: MIT */
/* The netlink backend in network namespaces of its own: ifplex against
 * `ip -j`, arrivals and departures, point-to-point, by index and name,
 * multicast groups, and the number of dumps per call. */
#include "../netns.h"
#include "../helpers.h"

#include <ifplex.h>
#include <string.h>

static const char *tool, *srcdir;

static void setup(void)
{
	tool = ifplex_test_env("IFPLEX_TOOL");
	srcdir = ifplex_test_env("IFPLEX_TEST_SRCDIR");
	setenv("IFPLEX_BACKEND", "netlink", 1);
	setenv("IFPLEX_CACHE", "off", 1);
	netns_enter();
}

static size_t count_ifaces(void)
{
	struct ifplex_iface *l;
	size_t n;

	ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
	ifplex_free(l);
	return n;
}

static void compare_with_ip(void)
{
	sh("python3 '%s/netlink/compare_ip.py' '%s'", srcdir, tool);
}

START_TEST(test_link_types_match_ip)
{
	sh("ip link add veth0 type veth peer name veth1");
	sh("ip link set veth0 up && ip link set veth1 up");
	sh("ip addr add 192.0.2.1/24 dev veth0 && ip addr add 2001:db8::1/64 dev veth0 nodad");
	sh("ip addr add 198.51.100.7/25 dev veth1");
	sh("ip link add link veth0 name mv0 type macvlan mode bridge && ip link set mv0 up");
	sh("ip link add br0 type bridge && ip link set br0 up && ip addr add 203.0.113.1/24 dev br0");
	sh("ip link add vx0 type vxlan id 42 dstport 4789 local 192.0.2.1 dev veth0 && ip link set vx0 mtu 1400");
	sh("ip tuntap add tun0 mode tun && ip link set tun0 up");
	sh("ip link add bare0 type veth peer name bare1"); /* no addresses at all */
	compare_with_ip();

	/* The library itself: a name with no address is still listed. */
	struct ifplex_iface ifi;
	ck_assert_int_eq(ifplex_interface_by_name("bare0", &ifi), 0);
	ck_assert_uint_eq(ifi.hwaddr_len, 6);
	ck_assert_int_eq(ifplex_interface_by_name("tun0", &ifi), 0);
	ck_assert_uint_eq(ifi.hwaddr_len, 0);
	ck_assert_uint_ne(ifi.flags & IFPLEX_IFF_POINTTOPOINT, 0);
	ck_assert_int_eq(ifplex_interface_by_name("vx0", &ifi), 0);
	ck_assert_int_eq(ifi.mtu, 1400);
}
END_TEST

START_TEST(test_arrival_and_departure)
{
	size_t base = count_ifaces();

	for (int round = 0; round < 3; round++) {
		sh("ip link add arr0 type veth peer name arr1");
		ck_assert_uint_eq(count_ifaces(), base + 2);
		sh("ip link del arr0");
		ck_assert_uint_eq(count_ifaces(), base);
	}
}
END_TEST

START_TEST(test_point_to_point)
{
	struct ifplex_iface ifi;
	struct ifplex_addr *l;
	size_t n;
	char s[IFPLEX_ADDR_STRLEN];

	sh("ip tuntap add ptp0 mode tun && ip link set ptp0 up");
	sh("ip addr add 169.254.0.1 peer 169.254.0.254 dev ptp0");
	ck_assert_int_eq(ifplex_interface_by_name("ptp0", &ifi), 0);
	ck_assert_int_eq(ifplex_interface_addrs(&ifi, &l, &n), 0);
	int local = 0;
	for (size_t i = 0; i < n; i++) {
		ifplex_addr_string(&l[i], s, sizeof s);
		ck_assert_msg(strstr(s, "169.254.0.254") == NULL, "peer reported as an address: %s", s);
		local |= strcmp(s, "169.254.0.1/32") == 0;
	}
	ck_assert_msg(local, "the local address is missing");
	ifplex_free(l);
	ifplex_free(NULL);
	/* Every address list, not only one interface's. */
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &l, &n), 0);
	for (size_t i = 0; i < n; i++) {
		ifplex_addr_string(&l[i], s, sizeof s);
		ck_assert_msg(strstr(s, "169.254.0.254") == NULL, "peer in all addresses: %s", s);
	}
	ifplex_free(l);
	compare_with_ip();
}
END_TEST

START_TEST(test_by_index_and_name)
{
	struct ifplex_iface a, b;

	sh("ip link add idx0 type veth peer name idx1");
	ck_assert_int_eq(ifplex_interface_by_name("idx0", &a), 0);
	ck_assert_int_eq(ifplex_interface_by_index(a.index, &b), 0);
	ck_assert_str_eq(b.name, "idx0");
	ck_assert_int_eq(b.mtu, a.mtu);
	ck_assert_mem_eq(b.hwaddr, a.hwaddr, 6);
	ck_assert_int_eq(ifplex_interface_by_index(1, &b), 0);
	ck_assert_str_eq(b.name, "lo");
	ck_assert_uint_ne(b.flags & IFPLEX_IFF_LOOPBACK, 0);

	ck_assert_int_eq(ifplex_interface_by_name("nosuch0", &b), IFPLEX_ENOIFACE);
	ck_assert_str_eq(ifplex_last_error(), "route ip+net: no such network interface nosuch0");
	ck_assert_int_eq(ifplex_interface_by_index(99999, &b), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_by_name("a-name-longer-than-ifnamsiz", &b), IFPLEX_ENOIFACE);

	/* Renamed: the old name is gone, the index stays. */
	sh("ip link set idx0 name idx9");
	ck_assert_int_eq(ifplex_interface_by_name("idx0", &b), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_by_index(a.index, &b), 0);
	ck_assert_str_eq(b.name, "idx9");
}
END_TEST

START_TEST(test_one_interface_addrs_and_zones)
{
	struct ifplex_iface ifi;
	struct ifplex_addr *l;
	size_t n;
	char s[IFPLEX_ADDR_STRLEN];

	sh("ip link add z0 type veth peer name z1");
	sh("ip addr add 10.1.2.3/16 dev z0 && ip addr add fe80::1234/64 dev z0 nodad");
	sh("ip addr add 2001:db8:5::1/48 dev z0 nodad && ip addr add 10.9.9.9/8 dev z1");
	ck_assert_int_eq(ifplex_interface_by_name("z0", &ifi), 0);
	ck_assert_int_eq(ifplex_interface_addrs(&ifi, &l, &n), 0);
	ck_assert_uint_eq(n, 3);
	int seen = 0;
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(l[i].index, ifi.index);
		ifplex_addr_string(&l[i], s, sizeof s);
		seen |= strcmp(s, "10.1.2.3/16") == 0 ? 1 : strcmp(s, "fe80::1234%z0/64") == 0 ? 2
			: strcmp(s, "2001:db8:5::1/48") == 0 ? 4 : 0;
	}
	ck_assert_int_eq(seen, 7);
	ifplex_free(l);

	struct ifplex_iface gone = ifi;
	sh("ip link del z0");
	ck_assert_int_eq(ifplex_interface_addrs(&gone, &l, &n), IFPLEX_ENOIFACE);
}
END_TEST

START_TEST(test_multicast_groups)
{
	struct ifplex_iface ifi;
	struct ifplex_addr *l;
	size_t n;
	ifplex_conn *c;
	struct ifplex_ip g;

	sh("ip link add mc0 type veth peer name mc1 && ip link set mc0 up && ip link set mc1 up");
	sh("ip addr add 192.0.2.10/24 dev mc0");
	ck_assert_int_eq(ifplex_interface_by_name("mc0", &ifi), 0);
	ck_assert_int_eq(ifplex_listen_packet("udp4", "0.0.0.0:0", &c), 0);
	ck_assert_int_eq(ifplex_ip_parse("224.1.2.3", &g), 0);

	for (int step = 0; step < 2; step++) {
		int joined = step == 0;
		if (joined)
			ck_assert_msg(ifplex_join_group(c, &g, &ifi) == 0, "%s", ifplex_last_error());
		else
			ck_assert_msg(ifplex_leave_group(c, &g, &ifi) == 0, "%s", ifplex_last_error());
		ck_assert_int_eq(ifplex_interface_multicast_addrs(&ifi, &l, &n), 0);
		int found = 0;
		for (size_t i = 0; i < n; i++) {
			ck_assert_int_eq(l[i].index, ifi.index);
			found |= ifplex_ip_equal(&l[i].ip, &g);
		}
		ck_assert_int_eq(found, joined);
		ifplex_free(l);
	}
	ifplex_close(c);

	/* IPv6: link-local groups carry the zone. */
	ck_assert_int_eq(ifplex_listen_packet("udp6", "[::]:0", &c), 0);
	ck_assert_int_eq(ifplex_ip_parse("ff02::1:2345", &g), 0);
	ck_assert_msg(ifplex_join_group(c, &g, &ifi) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_interface_multicast_addrs(&ifi, &l, &n), 0);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		if (ifplex_ip_equal(&l[i].ip, &g)) {
			found = 1;
			ck_assert_str_eq(l[i].zone, "mc0");
		}
	ck_assert(found);
	ifplex_free(l);
	ifplex_close(c);
	/* This kernel dumps both families' groups over netlink. */
	ck_assert_str_eq(ifplex_backend_describe("mcast_source"), "netlink");
}
END_TEST

START_TEST(test_multicast_proc_fallback)
{
	struct ifplex_addr *l;
	size_t n;
	char s[IFPLEX_ADDR_STRLEN], path[1024];
	static const char *const want[] = {"224.0.0.1/32", "239.1.2.3/32", "224.0.0.1/32", "ff02::1%lo/128",
					   "ff02::1%eth0/128", "ff0e::1234/128"};

	/* Fixture files in the kernel's layout, with a bad group and a short
	 * IPv6 line that are skipped. */
	snprintf(path, sizeof path, "%s/netlink/fixtures/proc", ifplex_test_env("IFPLEX_TEST_SRCDIR"));
	setenv("IFPLEX_NETLINK_PROC", path, 1);
	ck_assert_int_eq(ifplex_interface_multicast_addrs(NULL, &l, &n), 0);
	ck_assert_str_eq(ifplex_backend_describe("mcast_source"), "proc");
	ck_assert_uint_eq(n, 6);
	for (size_t i = 0; i < n; i++) {
		ifplex_addr_string(&l[i], s, sizeof s);
		ck_assert_str_eq(s, want[i]);
	}
	ifplex_free(l);
}
END_TEST

START_TEST(test_many_interfaces_two_dumps)
{
	/* 250 veth pairs: 500 interfaces, each with an address. */
	char path[] = "/tmp/ifplex-batch-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < 250; i++) {
		fprintf(f, "link add m%da type veth peer name m%db\n", i, i);
		fprintf(f, "addr add 10.%d.%d.1/24 dev m%da\n", i / 200, i % 200, i);
	}
	fclose(f);
	sh("ip -batch %s", path);
	unlink(path);

	unsigned before = (unsigned)atoi(ifplex_backend_describe("netlink_requests"));
	struct ifplex_addr *l;
	size_t n;
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &l, &n), 0);
	unsigned after = (unsigned)atoi(ifplex_backend_describe("netlink_requests"));
	ck_assert_uint_eq(after - before, 2); /* one link dump, one address dump */
	ck_assert_uint_ge(n, 251);
	ifplex_free(l);
	ck_assert_uint_ge(count_ifaces(), 501);
	compare_with_ip();

	/* One interface's addresses: one small request, not a dump of all. */
	struct ifplex_iface ifi;
	ck_assert_int_eq(ifplex_interface_by_name("m100a", &ifi), 0);
	before = (unsigned)atoi(ifplex_backend_describe("netlink_requests"));
	ck_assert_int_eq(ifplex_interface_addrs(&ifi, &l, &n), 0);
	after = (unsigned)atoi(ifplex_backend_describe("netlink_requests"));
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_le(after - before, 2); /* the link (for its name) and its addresses */
	ifplex_free(l);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("netlink");
	TCase *tc = tcase_create("netns");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_link_types_match_ip);
	tcase_add_test(tc, test_arrival_and_departure);
	tcase_add_test(tc, test_point_to_point);
	tcase_add_test(tc, test_by_index_and_name);
	tcase_add_test(tc, test_one_interface_addrs_and_zones);
	tcase_add_test(tc, test_multicast_groups);
	tcase_add_test(tc, test_many_interfaces_two_dumps);
	tcase_add_test(tc, test_multicast_proc_fallback);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
