/* SPDX-License-Identifier: MIT */
/* Snapshots the core builds from the list calls, on backends that publish
 * none: the fake backend (a constant generation), plan9 (no generation:
 * the lists are compared) and routesock (a generation that follows the
 * replayed file).  Each test runs in a process of its own (check forks),
 * so each may choose its backend. */
#include "../helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every view of s agrees with the list calls made now: the interfaces in
 * order, family 0 as IPv4 then IPv6 grouped by interface, each interface's
 * ranges, and the lookups. */
static void check_against_lists(const struct ifplex_snapshot *s)
{
	struct ifplex_iface *ifs;
	struct ifplex_addr *as;
	size_t n, m, sn, sm;

	ck_assert_int_eq(ifplex_interfaces(&ifs, &n), 0);
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &as, &m), 0);
	const struct ifplex_iface *si = ifplex_snapshot_interfaces(s, &sn);
	ck_assert_uint_eq(sn, n);
	const struct ifplex_addr *sa = ifplex_snapshot_addrs(s, 0, &sm);
	ck_assert_uint_eq(sm, m);
	size_t k = 0;
	for (int fam = 4; fam <= 6; fam += 2) {
		size_t start = k;
		for (size_t i = 0; i < n; i++) {
			ck_assert_int_eq(si[i].index, ifs[i].index);
			ck_assert_str_eq(si[i].name, ifs[i].name);
			ck_assert_int_eq(si[i].mtu, ifs[i].mtu);
			ck_assert_uint_eq(si[i].flags, ifs[i].flags);
			ck_assert_ptr_eq(ifplex_snapshot_by_index(s, ifs[i].index), &si[i]);
			ck_assert_ptr_eq(ifplex_snapshot_by_name(s, ifs[i].name), &si[i]);
			size_t c, c2;
			const struct ifplex_addr *r = ifplex_snapshot_iface_addrs(s, &si[i], fam, &c);
			/* A copy of the record is looked up by index: the same range. */
			struct ifplex_iface copy = si[i];
			ck_assert_ptr_eq(ifplex_snapshot_iface_addrs(s, &copy, fam, &c2), r);
			ck_assert_uint_eq(c2, c);
			ck_assert(c == 0 || r == sa + k);
			/* The list's addresses of this interface and family, in order. */
			for (size_t j = 0; j < m; j++) {
				if (as[j].index != ifs[i].index || as[j].ip.len != (fam == 4 ? 4 : 16))
					continue;
				ck_assert_uint_lt(k, sm);
				ck_assert_int_eq(sa[k].index, as[j].index);
				ck_assert_int_eq(sa[k].prefixlen, as[j].prefixlen);
				ck_assert_mem_eq(sa[k].ip.b, as[j].ip.b, as[j].ip.len);
				ck_assert_str_eq(sa[k].zone, as[j].zone);
				k++;
			}
			ck_assert_uint_eq(k - (c ? (size_t)(r - sa) : k), c);
		}
		size_t fc;
		const struct ifplex_addr *fa = ifplex_snapshot_addrs(s, fam, &fc);
		ck_assert_uint_eq(fc, k - start);
		ck_assert(fc == 0 || fa == sa + start);
	}
	ck_assert_uint_eq(k, m);
	ifplex_free(ifs);
	ifplex_free(as);
}

START_TEST(test_fake_views)
{
	const struct ifplex_snapshot *s, *t;
	char text[IFPLEX_ADDR_STRLEN];
	size_t n;

	setenv("IFPLEX_BACKEND", "fake", 1);
	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	ck_assert_msg(ifplex_snapshot_get(&s) == 0, "%s", ifplex_last_error());
	check_against_lists(s);
	ck_assert_uint_eq(ifplex_snapshot_generation(s), 7);
	/* The fake lists 127.0.0.1, ::1, 192.0.2.2, fe80::…, 2001:db8::2. */
	const struct ifplex_addr *a = ifplex_snapshot_addrs(s, 0, &n);
	ck_assert_uint_eq(n, 5);
	const char *want[] = {"127.0.0.1/8", "192.0.2.2/24", "::1/128", "fe80::fc:ff:fe00:1%eth0/64", "2001:db8::2/64"};
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(ifplex_addr_string(&a[i], text, sizeof text), 0);
		ck_assert_str_eq(text, want[i]);
	}
	const struct ifplex_iface *eth0 = ifplex_snapshot_by_name(s, "eth0");
	ck_assert_ptr_nonnull(eth0);
	ck_assert_int_eq(eth0->index, 2);
	ck_assert_ptr_null(ifplex_snapshot_by_name(s, "eth1"));
	ck_assert_ptr_null(ifplex_snapshot_by_index(s, 3));
	ck_assert_ptr_null(ifplex_snapshot_iface_addrs(s, eth0, 5, &n));
	ck_assert_uint_eq(n, 0);
	/* The tun has no addresses: NULL and 0, not an error. */
	ck_assert_ptr_null(ifplex_snapshot_iface_addrs(s, ifplex_snapshot_by_index(s, 5), 4, &n));
	ck_assert_uint_eq(n, 0);
	/* The same generation: the same snapshot, not a copy. */
	ck_assert_int_eq(ifplex_snapshot_get(&t), 0);
	ck_assert_ptr_eq(t, s);
	ifplex_snapshot_put(t);
	ifplex_snapshot_put(s);
	/* NULLs: no crash, nothing found. */
	ck_assert_ptr_null(ifplex_snapshot_interfaces(NULL, &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(ifplex_snapshot_addrs(NULL, 0, &n));
	ck_assert_ptr_null(ifplex_snapshot_by_name(NULL, "lo"));
	ck_assert_uint_eq(ifplex_snapshot_generation(NULL), 0);
	ifplex_snapshot_put(NULL);
	ck_assert_int_eq(ifplex_snapshot_get(NULL), IFPLEX_EINVAL);
}
END_TEST

static void sh(const char *cmd)
{
	ck_assert_msg(system(cmd) == 0, "command failed: %s", cmd);
}

/* plan9 counts no generations: the core compares the lists and keeps the
 * snapshot while they read the same; a change publishes a new one and the
 * holder of the old one still sees the old state. */
START_TEST(test_plan9_change)
{
	char tmp[] = "/tmp/ifplex-snap-XXXXXX", cmd[2048], net[256];
	const struct ifplex_snapshot *s1, *s2, *s3;
	size_t n1, n2;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(cmd, sizeof cmd, "cp -r %s/plan9/fixtures/9front/net %s/", ifplex_test_env("IFPLEX_TEST_SRCDIR"), tmp);
	sh(cmd);
	snprintf(net, sizeof net, "%s/net", tmp);
	setenv("IFPLEX_PLAN9_NET", net, 1);
	setenv("IFPLEX_BACKEND", "plan9", 1);
	ck_assert_msg(ifplex_snapshot_get(&s1) == 0, "%s", ifplex_last_error());
	check_against_lists(s1);
	ck_assert_int_eq(ifplex_snapshot_get(&s2), 0);
	ck_assert_ptr_eq(s2, s1);
	ifplex_snapshot_put(s2);
	uint64_t g1 = ifplex_snapshot_generation(s1);
	const struct ifplex_iface *if1 = ifplex_snapshot_interfaces(s1, &n1);
	const struct ifplex_iface *eth = ifplex_snapshot_by_name(s1, "/net/ipifc/1");
	ck_assert_ptr_nonnull(eth);
	size_t na;
	ck_assert_ptr_nonnull(ifplex_snapshot_iface_addrs(s1, eth, 4, &na));
	ck_assert_uint_eq(na, 3);

	/* An interface goes and the Ethernet loses an address. */
	snprintf(cmd, sizeof cmd, "rm -r %s/ipifc/4 && sed -i '/10.0.2.16 /d' %s/ipifc/1/status", net, net);
	sh(cmd);
	ck_assert_int_eq(ifplex_snapshot_get(&s3), 0);
	ck_assert_ptr_ne(s3, s1);
	ck_assert_uint_gt(ifplex_snapshot_generation(s3), g1);
	check_against_lists(s3);
	ifplex_snapshot_interfaces(s3, &n2);
	ck_assert_uint_eq(n2, n1 - 1);
	ck_assert_ptr_nonnull(ifplex_snapshot_iface_addrs(s3, ifplex_snapshot_by_name(s3, "/net/ipifc/1"), 4, &na));
	ck_assert_uint_eq(na, 2);
	/* The holder's view is as it was. */
	ck_assert_ptr_eq(ifplex_snapshot_interfaces(s1, &n2), if1);
	ck_assert_uint_eq(n2, n1);
	ck_assert_ptr_nonnull(ifplex_snapshot_iface_addrs(s1, eth, 4, &na));
	ck_assert_uint_eq(na, 3);
	ck_assert_uint_eq(ifplex_snapshot_generation(s1), g1);
	ifplex_snapshot_put(s1);
	ifplex_snapshot_put(s3);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	sh(cmd);
}
END_TEST

/* routesock's generation follows its replayed file: the same generation
 * gives the same snapshot without reading the lists again. */
START_TEST(test_routesock_generation)
{
	char tmp[] = "/tmp/ifplex-snap-XXXXXX", cmd[2048], path[256];
	const char *fx = ifplex_test_env("IFPLEX_TEST_BUILDDIR");
	const struct ifplex_snapshot *s1, *s2, *s3;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(path, sizeof path, "%s/now.rib", tmp);
	snprintf(cmd, sizeof cmd, "cp %s/tests/routesock/fixtures/freebsd-amd64.rib %s", fx, path);
	sh(cmd);
	setenv("IFPLEX_BACKEND", "routesock", 1);
	setenv("IFPLEX_ROUTESOCK_RIB", path, 1);
	ck_assert_msg(ifplex_snapshot_get(&s1) == 0, "%s", ifplex_last_error());
	check_against_lists(s1);
	ck_assert_uint_eq(ifplex_snapshot_generation(s1), ifplex_generation());
	ck_assert_int_eq(ifplex_snapshot_get(&s2), 0);
	ck_assert_ptr_eq(s2, s1);
	ck_assert_str_eq(ifplex_snapshot_by_index(s1, 4)->name, "vlan100");
	snprintf(cmd, sizeof cmd, "cp %s/tests/routesock/fixtures/dragonfly-amd64.rib %s", fx, path);
	sh(cmd);
	ck_assert_int_eq(ifplex_snapshot_get(&s3), 0);
	ck_assert_ptr_ne(s3, s1);
	ck_assert_uint_gt(ifplex_snapshot_generation(s3), ifplex_snapshot_generation(s1));
	ck_assert_str_eq(ifplex_snapshot_by_index(s3, 4)->name, "vlan0");
	ck_assert_str_eq(ifplex_snapshot_by_index(s1, 4)->name, "vlan100");
	check_against_lists(s3);
	ifplex_snapshot_put(s1);
	ifplex_snapshot_put(s2);
	ifplex_snapshot_put(s3);
	unlink(path);
	rmdir(tmp);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fake_views);
	tcase_add_test(tc, test_plan9_change);
	tcase_add_test(tc, test_routesock_generation);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
