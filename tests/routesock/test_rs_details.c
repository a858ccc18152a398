/* SPDX-License-Identifier: MIT */
/* Link and address details by replay: for every layout ribgen.py writes
 * (each system's if_data, ifa_msghdr and sockaddrs, from its headers), what
 * ifplex_interface_details and ifplex_interface_addr_details give equals
 * the generated values field by field, and nothing else is marked present. */
#define _GNU_SOURCE
#include "fixtures.h"

#include <ifplex.h>

#define LINK_KNOWN                                                                                      \
	(IFPLEX_LD_KIND | IFPLEX_LD_OPERSTATE | IFPLEX_LD_CARRIER | IFPLEX_LD_STATS_PACKETS |             \
	 IFPLEX_LD_STATS_BYTES | IFPLEX_LD_STATS_ERRORS | IFPLEX_LD_STATS_DROPS)
#define ADDR_KNOWN (IFPLEX_AD_FLAGS | IFPLEX_AD_SCOPE | IFPLEX_AD_PEER | IFPLEX_AD_BROADCAST)

static void use(const char *base)
{
	char path[1200];

	snprintf(path, sizeof path, "%s/%s.rib", rs_dir, base);
	setenv("IFPLEX_BACKEND", "routesock", 1);
	setenv("IFPLEX_ROUTESOCK_RIB", path, 1);
}

static void pair(char *line, size_t len, uint64_t present, uint64_t bit, const char *name, uint64_t a, uint64_t b)
{
	if (present & bit)
		snprintf(line + strlen(line), len - strlen(line), " %s=%llu/%llu", name, (unsigned long long)a,
			 (unsigned long long)b);
}

static void link_line(const struct ifplex_link_details *d, int index, struct rs_text *t)
{
	char line[512];

	ck_assert_msg((d->present & ~(uint64_t)LINK_KNOWN) == 0, "link %d: present %#llx", index,
		      (unsigned long long)d->present);
	snprintf(line, sizeof line, "link %d", index);
	if (d->present & IFPLEX_LD_KIND)
		snprintf(line + strlen(line), sizeof line - strlen(line), " kind=%s", d->kind[0] ? d->kind : "-");
	if (d->present & IFPLEX_LD_OPERSTATE)
		snprintf(line + strlen(line), sizeof line - strlen(line), " oper=%s",
			 ifplex_operstate_name(d->operstate));
	if (d->present & IFPLEX_LD_CARRIER)
		snprintf(line + strlen(line), sizeof line - strlen(line), " carrier=%d", d->carrier);
	pair(line, sizeof line, d->present, IFPLEX_LD_STATS_PACKETS, "packets", d->stats.rx_packets,
	     d->stats.tx_packets);
	pair(line, sizeof line, d->present, IFPLEX_LD_STATS_BYTES, "bytes", d->stats.rx_bytes, d->stats.tx_bytes);
	pair(line, sizeof line, d->present, IFPLEX_LD_STATS_ERRORS, "errors", d->stats.rx_errors,
	     d->stats.tx_errors);
	pair(line, sizeof line, d->present, IFPLEX_LD_STATS_DROPS, "drops", d->stats.rx_dropped,
	     d->stats.tx_dropped);
	rs_text_add(t, line);
}

static void addr_line(const struct ifplex_addr_details *d, struct rs_text *t)
{
	char line[512], a[IFPLEX_ADDR_STRLEN], ip[64];

	ck_assert_msg((d->present & ~(uint64_t)ADDR_KNOWN) == 0, "present %#llx", (unsigned long long)d->present);
	ck_assert_int_eq(ifplex_addr_string(&d->addr, a, sizeof a), 0);
	snprintf(line, sizeof line, "addr %d %s", d->addr.index, a);
	if (d->present & IFPLEX_AD_FLAGS)
		snprintf(line + strlen(line), sizeof line - strlen(line), " flags=0x%x", d->flags);
	if (d->present & IFPLEX_AD_SCOPE)
		snprintf(line + strlen(line), sizeof line - strlen(line), " scope=%d", d->scope);
	if (d->present & IFPLEX_AD_PEER) {
		ck_assert_int_eq(ifplex_ip_string(&d->peer, ip, sizeof ip), 0);
		snprintf(line + strlen(line), sizeof line - strlen(line), " peer=%s", ip);
	}
	if (d->present & IFPLEX_AD_BROADCAST) {
		ck_assert_int_eq(ifplex_ip_string(&d->broadcast, ip, sizeof ip), 0);
		snprintf(line + strlen(line), sizeof line - strlen(line), " broadcast=%s", ip);
	}
	rs_text_add(t, line);
}

START_TEST(test_details_equal_generated)
{
	const struct rs_fixture *fx = &rs_layouts[_i];
	struct ifplex_iface *ifs;
	struct ifplex_addr_details *ads;
	size_t n, na;
	struct rs_text got = {0};
	char name[128];

	use(fx->base);
	ck_assert_msg(ifplex_interfaces(&ifs, &n) == 0, "%s: %s", fx->base, ifplex_last_error());
	for (size_t i = 0; i < n; i++) {
		struct ifplex_link_details d = {.size = sizeof d};
		ck_assert_msg(ifplex_interface_details(ifs[i].index, &d) == 0, "%s: %s", fx->base, ifplex_last_error());
		link_line(&d, ifs[i].index, &got);
	}
	ifplex_free(ifs);
	ck_assert_msg(ifplex_interface_addr_details(0, sizeof *ads, &ads, &na) == 0, "%s", ifplex_last_error());
	for (size_t i = 0; i < na; i++)
		addr_line(&ads[i], &got);
	ifplex_free(ads);
	snprintf(name, sizeof name, "%s.details", fx->base);
	char *want = rs_slurp(name, NULL);
	ck_assert_msg(strcmp(got.s, want) == 0, "%s:\n--- got\n%s--- want\n%s", fx->base, got.s, want);
	free(want);
	free(got.s);
}
END_TEST

/* One interface's addresses, and an index no interface has. */
START_TEST(test_details_by_index)
{
	struct ifplex_link_details d = {.size = sizeof d};
	struct ifplex_addr_details *ads;
	size_t n;

	use("freebsd-amd64");
	ck_assert_int_eq(ifplex_interface_addr_details(3, sizeof *ads, &ads, &n), 0);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(ads[i].addr.index, 3);
	ck_assert(ads[0].present & IFPLEX_AD_PEER);
	ifplex_free(ads);
	ck_assert_int_eq(ifplex_interface_details(99, &d), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_addr_details(99, sizeof *ads, &ads, &n), IFPLEX_ENOIFACE);
}
END_TEST

int main(void)
{
	int rc = rs_fixtures_load();
	if (rc)
		return rc;
	Suite *s = suite_create("routesock details");
	TCase *tc = tcase_create("replay");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_details_equal_generated, 0, rs_nlayouts);
	tcase_add_test(tc, test_details_by_index);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
