/* SPDX-License-Identifier: MIT */
/* Details on the plan9 backend, from fixture trees of /net as the Plan 9
 * kernels write them (tests/plan9/mkfixtures.py): the counters of an
 * interface's status head and each address's lifetimes, and nothing it
 * does not know marked present; no events. */
#include "../helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void use_tree(const char *edition)
{
	char root[1024];

	snprintf(root, sizeof root, "%s/plan9/fixtures/%s/net", ifplex_test_env("IFPLEX_TEST_SRCDIR"), edition);
	setenv("IFPLEX_PLAN9_NET", root, 1);
	setenv("IFPLEX_BACKEND", "plan9", 1);
}

START_TEST(test_counters)
{
	struct ifplex_link_details d = {.size = sizeof d};

	use_tree(_i == 0 ? "9front" : "4e");
	ck_assert_int_eq(ifplex_interface_details(2, &d), 0);
	/* pktin, pktout, errin, errout: no byte counts, drops or anything else. */
	ck_assert_uint_eq(d.present, IFPLEX_LD_STATS_PACKETS | IFPLEX_LD_STATS_ERRORS);
	ck_assert_uint_eq(d.stats.rx_packets, _i == 0 ? 5 : 2001);
	ck_assert_uint_eq(d.stats.tx_packets, _i == 0 ? 6 : 1002);
	ck_assert_uint_eq(d.stats.rx_errors, 0);
	ck_assert_int_eq(ifplex_interface_details(99, &d), IFPLEX_ENOIFACE);
	ck_assert_uint_ne(ifplex_backend_caps() & IFPLEX_CAP_DETAILS, 0);
}
END_TEST

START_TEST(test_lifetimes)
{
	struct ifplex_addr_details *d;
	struct ifplex_addr *plain;
	size_t n, np;
	int finite = 0;

	/* Each edition's fixture has one address with finite lifetimes. */
	const char *finite_addr = _i == 0 ? "2001:db8:2:0:5054:ff:fe12:3456/64" : "2001:db8:1:0:20c:29ff:fef3:a1b2/64";

	use_tree(_i == 0 ? "9front" : "4e");
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &plain, &np), 0);
	ck_assert_int_eq(ifplex_interface_addr_details(0, sizeof *d, &d, &n), 0);
	ck_assert_uint_eq(n, np);
	for (size_t i = 0; i < n; i++) {
		char t[IFPLEX_ADDR_STRLEN];
		ck_assert(memcmp(&d[i].addr, &plain[i], sizeof plain[i]) == 0);
		ifplex_addr_string(&d[i].addr, t, sizeof t);
		if (strcmp(t, finite_addr) == 0) {
			/* ipifc.c's slineformat: valid, then preferred, as
			 * configured (from an origin no file shows): totals. */
			ck_assert_uint_eq(d[i].present, IFPLEX_AD_LIFETIMES_TOTAL);
			ck_assert_uint_eq(d[i].valid_lft, 86400);
			ck_assert_uint_eq(d[i].preferred_lft, 14400);
			finite = 1;
		} else {
			/* No limit: forever left, exactly. */
			ck_assert_uint_eq(d[i].present, IFPLEX_AD_LIFETIMES);
		}
		if (strcmp(t, "10.0.2.15/24") == 0) {
			ck_assert_uint_eq(d[i].valid_lft, IFPLEX_LIFETIME_FOREVER);
		}
	}
	ck_assert(finite);
	ifplex_free(d);
	ifplex_free(plain);
}
END_TEST

START_TEST(test_malformed_and_no_events)
{
	struct ifplex_link_details d = {.size = sizeof d};
	ifplex_events *ev;

	use_tree("bad-head");
	ck_assert_int_eq(ifplex_interface_details(1, &d), IFPLEX_EMALFORMED);
	ck_assert_int_eq(ifplex_events_open(IFPLEX_EVENTS_LINKS, &ev), IFPLEX_ENOTSUP);
	ck_assert_str_eq(ifplex_last_error(), "events: not supported by backend plan9");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("details-plan9");
	TCase *tc = tcase_create("fixtures");

	tcase_add_loop_test(tc, test_counters, 0, 2);
	tcase_add_loop_test(tc, test_lifetimes, 0, 2);
	tcase_add_test(tc, test_malformed_and_no_events);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
