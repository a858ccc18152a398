/* SPDX-License-Identifier: MIT */
/* The details calls' contract: sizes (smaller, equal, larger than the
 * library's struct), present bits, the same addresses in the same order as
 * ifplex_interface_addrs, errors; and IFPLEX_ENOTSUP from a backend
 * without details or events (the fake one). */
#define _GNU_SOURCE
#include "../helpers.h"
#include "../netns.h"

#include <ifplex.h>
#include <stddef.h>
#include <string.h>

static void setup(void)
{
	netns_enter();
	sh("ip link add da0 type veth peer name da1 && ip addr add 10.5.0.1/24 dev da0 && "
	   "ip -6 addr add 2001:db8:5::1/64 dev da0 nodad && ip link set da0 up");
}

START_TEST(test_link_sizes)
{
	struct ifplex_iface ifi;
	/* A caller that knows a larger struct: the rest comes back zero. */
	struct {
		struct ifplex_link_details d;
		unsigned char more[64];
	} big;
	struct ifplex_link_details d = {.size = sizeof d};

	ck_assert_int_eq(ifplex_interface_by_name("da0", &ifi), 0);
	memset(&big, 0xa5, sizeof big);
	big.d.size = sizeof big;
	ck_assert_int_eq(ifplex_interface_details(ifi.index, &big.d), 0);
	ck_assert_uint_eq(big.d.size, sizeof big);
	for (size_t i = 0; i < sizeof big.more; i++)
		ck_assert_uint_eq(big.more[i], 0);
	ck_assert_int_eq(ifplex_interface_details(ifi.index, &d), 0);
	ck_assert_str_eq(d.kind, "veth");
	ck_assert_str_eq(big.d.kind, "veth");
	ck_assert(d.present & IFPLEX_LD_KIND);
	ck_assert(d.present & IFPLEX_LD_OPERSTATE);
	ck_assert(d.present & IFPLEX_LD_STATS_BYTES);
	ck_assert_int_gt(d.link, 0);
	ck_assert_int_eq(d.link_netnsid, -1);
	/* Too small, NULL, bad or absent index. */
	d.size = offsetof(struct ifplex_link_details, stats);
	ck_assert_int_eq(ifplex_interface_details(ifi.index, &d), IFPLEX_EINVAL);
	ck_assert_ptr_nonnull(strstr(ifplex_last_error(), "struct size"));
	d.size = 65537;
	ck_assert_int_eq(ifplex_interface_details(ifi.index, &d), IFPLEX_EINVAL);
	d.size = sizeof d;
	ck_assert_int_eq(ifplex_interface_details(ifi.index, NULL), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_interface_details(0, &d), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_interface_details(99999, &d), IFPLEX_ENOIFACE);
	ck_assert_str_eq(ifplex_last_error(), "route ip+net: no such network interface (index 99999)");
}
END_TEST

static void check_same_addrs(int index, size_t size)
{
	struct ifplex_iface ifi = {.index = index};
	struct ifplex_addr *plain;
	struct ifplex_addr_details *d;
	size_t n, nd;

	ck_assert_int_eq(ifplex_interface_addrs(index ? &ifi : NULL, &plain, &n), 0);
	ck_assert_int_eq(ifplex_interface_addr_details(index, size, &d, &nd), 0);
	ck_assert_uint_eq(n, nd);
	for (size_t i = 0; i < n; i++) {
		const struct ifplex_addr_details *e = (const void *)((const char *)d + i * size);
		ck_assert_uint_eq(e->size, size);
		ck_assert_msg(memcmp(&e->addr, &plain[i], sizeof plain[i]) == 0, "address %zu differs", i);
		ck_assert(e->present & IFPLEX_AD_SCOPE);
		for (size_t k = sizeof *e; k < size; k++)
			ck_assert_uint_eq(((const unsigned char *)e)[k], 0);
	}
	ifplex_free(plain);
	ifplex_free(d);
}

START_TEST(test_addr_lists)
{
	struct ifplex_iface ifi;
	struct ifplex_addr_details *d = (void *)1;
	size_t n = 7;

	ck_assert_int_eq(ifplex_interface_by_name("da0", &ifi), 0);
	check_same_addrs(0, sizeof *d);
	check_same_addrs(ifi.index, sizeof *d);
	check_same_addrs(ifi.index, sizeof *d + 40);
	ck_assert_int_eq(ifplex_interface_addr_details(ifi.index, sizeof *d - 4, &d, &n), IFPLEX_EINVAL);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ifplex_interface_addr_details(-1, sizeof *d, &d, &n), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_interface_addr_details(99999, sizeof *d, &d, &n), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_addr_details(ifi.index, sizeof *d, NULL, &n), IFPLEX_EINVAL);
	/* The IPv4 address's facts. */
	ck_assert_int_eq(ifplex_interface_addr_details(ifi.index, sizeof *d, &d, &n), 0);
	ck_assert_uint_ge(n, 1);
	ck_assert_int_eq(d[0].addr.ip.len, 4);
	ck_assert_int_eq(d[0].scope, IFPLEX_SCOPE_GLOBAL);
	ck_assert_str_eq(d[0].label, "da0");
	ck_assert(d[0].flags & IFPLEX_ADDRF_PERMANENT);
	ck_assert_uint_eq(d[0].valid_lft, IFPLEX_LIFETIME_FOREVER);
	ifplex_free(d);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(ifplex_operstate_name(IFPLEX_OPER_UP), "UP");
	ck_assert_str_eq(ifplex_operstate_name(IFPLEX_OPER_LOWERLAYERDOWN), "LOWERLAYERDOWN");
	ck_assert_str_eq(ifplex_operstate_name(0), "?");
	ck_assert_str_eq(ifplex_operstate_name(8), "?");
	ck_assert_str_eq(ifplex_scope_name(IFPLEX_SCOPE_LINK), "link");
	ck_assert_str_eq(ifplex_scope_name(IFPLEX_SCOPE_GLOBAL), "global");
	ck_assert_ptr_null(ifplex_scope_name(7));
}
END_TEST

/* The fake backend has neither: a clear IFPLEX_ENOTSUP, never a crash. */
START_TEST(test_fake_enotsup)
{
	struct ifplex_options o = {.size = sizeof o, .backend = "fake",
				   .plugin_path = ifplex_test_env("IFPLEX_TEST_FAKE_DIR")};
	struct ifplex_link_details d = {.size = sizeof d};
	struct ifplex_addr_details *ad;
	ifplex_events *ev;
	size_t n;

	ck_assert_int_eq(ifplex_init(&o), 0);
	ck_assert_int_eq(ifplex_interface_details(2, &d), IFPLEX_ENOTSUP);
	ck_assert_str_eq(ifplex_last_error(), "details: not supported by backend fake");
	ck_assert_int_eq(ifplex_interface_addr_details(2, sizeof *ad, &ad, &n), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_events_open(IFPLEX_EVENTS_ALL, &ev), IFPLEX_ENOTSUP);
	ck_assert_str_eq(ifplex_last_error(), "events: not supported by backend fake");
	ck_assert_uint_eq(ifplex_backend_caps() & (IFPLEX_CAP_EVENTS | IFPLEX_CAP_DETAILS), 0);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("details");
	TCase *tc = tcase_create("netns");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_link_sizes);
	tcase_add_test(tc, test_addr_lists);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_fake_enotsup);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
