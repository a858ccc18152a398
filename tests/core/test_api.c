/* SPDX-License-Identifier: MIT */
/* The public API dispatched to the fake backend: lists, lookups by index
 * and name, errors, and IFPLEX_ENOTSUP for what the backend lacks. */
#include "helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>

static void setup(void)
{
	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	setenv("IFPLEX_BACKEND", "fake", 1);
}

START_TEST(test_interfaces)
{
	struct ifplex_iface *l;
	size_t n;

	ck_assert_int_eq(ifplex_interfaces(&l, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(l[0].name, "lo");
	ck_assert_int_eq(l[0].mtu, 65536);
	ck_assert_uint_eq(l[0].flags, IFPLEX_IFF_UP | IFPLEX_IFF_LOOPBACK | IFPLEX_IFF_RUNNING);
	ck_assert_str_eq(l[1].name, "eth0");
	ck_assert_uint_eq(l[1].hwaddr_len, 6);
	ck_assert_str_eq(l[2].name, "tun-\xc3\xa9t\xc3\xa9");
	ifplex_free(l);
}
END_TEST

START_TEST(test_by_index_and_name)
{
	struct ifplex_iface i;

	ck_assert_int_eq(ifplex_interface_by_index(2, &i), 0);
	ck_assert_str_eq(i.name, "eth0");
	ck_assert_int_eq(ifplex_interface_by_name("lo", &i), 0);
	ck_assert_int_eq(i.index, 1);
	ck_assert_int_eq(ifplex_interface_by_index(3, &i), IFPLEX_ENOIFACE);
	ck_assert_str_eq(ifplex_last_error(), "route ip+net: no such network interface (index 3)");
	ck_assert_int_eq(ifplex_interface_by_name("eth9", &i), IFPLEX_ENOIFACE);
	ck_assert_str_eq(ifplex_last_error(), "route ip+net: no such network interface eth9");
	ck_assert_int_eq(ifplex_interface_by_index(0, &i), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_interface_by_index(-4, &i), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_interface_by_name("", &i), IFPLEX_EINVAL);
	char longname[300];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_int_eq(ifplex_interface_by_name(longname, &i), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_interface_by_name(NULL, &i), IFPLEX_EINVAL);
}
END_TEST

START_TEST(test_addrs)
{
	struct ifplex_addr *l;
	size_t n;
	char s[IFPLEX_ADDR_STRLEN];

	ck_assert_int_eq(ifplex_interface_addrs(NULL, &l, &n), 0);
	ck_assert_uint_eq(n, 5);
	ifplex_addr_string(&l[0], s, sizeof s);
	ck_assert_str_eq(s, "127.0.0.1/8");
	ifplex_addr_string(&l[3], s, sizeof s);
	ck_assert_str_eq(s, "fe80::fc:ff:fe00:1%eth0/64");
	ifplex_free(l);

	struct ifplex_iface eth0;
	ck_assert_int_eq(ifplex_interface_by_name("eth0", &eth0), 0);
	ck_assert_int_eq(ifplex_interface_addrs(&eth0, &l, &n), 0);
	ck_assert_uint_eq(n, 3);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(l[i].index, 2);
	ifplex_free(l);

	/* An interface without addresses gives an empty list, not an error. */
	struct ifplex_iface tun;
	ck_assert_int_eq(ifplex_interface_by_index(5, &tun), 0);
	ck_assert_int_eq(ifplex_interface_addrs(&tun, &l, &n), 0);
	ck_assert_uint_eq(n, 0);
	ifplex_free(l);

	struct ifplex_iface gone = {.index = 42};
	ck_assert_int_eq(ifplex_interface_addrs(&gone, &l, &n), IFPLEX_ENOIFACE);
	ck_assert_ptr_null(l);
}
END_TEST

START_TEST(test_multicast)
{
	struct ifplex_iface eth0;
	struct ifplex_addr *l;
	size_t n;
	char s[IFPLEX_ADDR_STRLEN];

	ck_assert_int_eq(ifplex_interface_by_name("eth0", &eth0), 0);
	ck_assert_int_eq(ifplex_interface_multicast_addrs(&eth0, &l, &n), 0);
	ck_assert_uint_eq(n, 2);
	ifplex_addr_string(&l[1], s, sizeof s);
	ck_assert_str_eq(s, "ff02::1%eth0/128");
	ifplex_free(l);
}
END_TEST

START_TEST(test_generation_and_cache)
{
	ck_assert_uint_eq(ifplex_generation(), 7);
	ck_assert_str_eq(ifplex_cache_mode(), "none");
	ck_assert_int_eq(ifplex_cache_reset(), 0);
	ck_assert_ptr_null(ifplex_backend_describe("no-such-key"));
}
END_TEST

START_TEST(test_sockets_not_supported)
{
	ifplex_conn *c = (ifplex_conn *)1;

	ck_assert_int_eq(ifplex_dial("tcp", "127.0.0.1:80", &c), IFPLEX_ENOTSUP);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp 127.0.0.1:80: not supported by backend fake");
	ck_assert_int_eq(ifplex_listen("tcp", ":0", &c), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_listen_packet("udp", ":0", &c), IFPLEX_ENOTSUP);
	char buf[4];
	size_t n;
	ck_assert_int_eq(ifplex_read(NULL, buf, sizeof buf, &n), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_close(NULL), 0);
	intptr_t fd;
	ck_assert_int_eq(ifplex_conn_fd(NULL, &fd), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_lookup_mx("example.org", &(struct ifplex_mx *){NULL}, &n), IFPLEX_ENOTSUP);
}
END_TEST

START_TEST(test_dial_input_errors)
{
	ifplex_conn *c;

	ck_assert_int_eq(ifplex_dial("tcp7", "127.0.0.1:80", &c), IFPLEX_EUNKNOWNNET);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp7: unknown network tcp7");
	ck_assert_int_eq(ifplex_listen("udp", ":0", &c), IFPLEX_EUNKNOWNNET);
	ck_assert_int_eq(ifplex_listen_packet("tcp", ":0", &c), IFPLEX_EUNKNOWNNET);
}
END_TEST

START_TEST(test_lookups)
{
	struct ifplex_ip *ips;
	size_t n;
	char s[IFPLEX_IP_STRLEN];
	int port;

	ck_assert_int_eq(ifplex_lookup_ip(NULL, "fake.example", &ips, &n), 0);
	ck_assert_uint_eq(n, 2);
	ifplex_free(ips);
	ck_assert_int_eq(ifplex_lookup_ip("ip4", "fake.example", &ips, &n), 0);
	ck_assert_uint_eq(n, 1);
	ifplex_ip_string(&ips[0], s, sizeof s);
	ck_assert_str_eq(s, "192.0.2.2");
	ifplex_free(ips);
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "nosuch.example", &ips, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup nosuch.example: no such host");
	ck_assert_int_eq(ifplex_lookup_ip("ip5", "x", &ips, &n), IFPLEX_EUNKNOWNNET);

	ck_assert_int_eq(ifplex_lookup_port("tcp", "http", &port), 0);
	ck_assert_int_eq(port, 80);
	ck_assert_int_eq(ifplex_lookup_port("tcp", "8080", &port), 0);
	ck_assert_int_eq(port, 8080);
	ck_assert_int_eq(ifplex_lookup_port("tcp", "65536", &port), IFPLEX_EBADPORT);
	ck_assert_int_eq(ifplex_lookup_port("tcp", "gopher-nosuch", &port), IFPLEX_EBADPORT);
	ck_assert_str_eq(ifplex_last_error(), "lookup tcp/gopher-nosuch: unknown port");

	/* A service name in an address goes through the backend too;
	 * family-0 networks try IPv4 first, as Go's forResolve does. */
	struct ifplex_netaddr a;
	char at[IFPLEX_ADDR_STRLEN];
	ck_assert_int_eq(ifplex_resolve_addr("tcp", "fake.example:http", &a), 0);
	ifplex_netaddr_string(&a, at, sizeof at);
	ck_assert_str_eq(at, "192.0.2.2:80");
	ck_assert_int_eq(ifplex_resolve_addr("tcp6", "fake.example:http", &a), 0);
	ifplex_netaddr_string(&a, at, sizeof at);
	ck_assert_str_eq(at, "[2001:db8::2]:80");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("fake-backend");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_interfaces);
	tcase_add_test(tc, test_by_index_and_name);
	tcase_add_test(tc, test_addrs);
	tcase_add_test(tc, test_multicast);
	tcase_add_test(tc, test_generation_and_cache);
	tcase_add_test(tc, test_sockets_not_supported);
	tcase_add_test(tc, test_dial_input_errors);
	tcase_add_test(tc, test_lookups);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
