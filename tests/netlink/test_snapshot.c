/* SPDX-License-Identifier: MIT */
/* Snapshots on netlink, in every cache mode (ebpf and notify publish them
 * from the cache, off has the core build them), against uncached dumps in
 * a private network namespace: every view in the dumps' order, holders
 * keeping their view across changes, the same snapshot again while
 * nothing changed (no copy, no request), readers racing changes, fork.
 * And bursts: after a ring or socket buffer overflowed, the next burst of
 * the same size is applied as deltas, and a burst of one kind dumps only
 * that kind again. */
#include "../netns.h"
#include "../helpers.h"
#include "reference.h"
#include "churn.h"
#include "forkcheck.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static const char *const modes[] = {"ebpf", "notify", "off"};

static unsigned counter(const char *key)
{
	const char *v = ifplex_backend_describe(key);
	ck_assert_msg(v, "no counter %s", key);
	return (unsigned)atoll(v);
}

static void setup(void)
{
	netns_enter();
	setenv("IFPLEX_BACKEND", "netlink", 1);
	unsetenv("IFPLEX_CACHE_RCVBUF");
	unsetenv("IFPLEX_CACHE_RING");
	unsetenv("IFPLEX_CACHE_RING_MAX");
	open_reference();
	/* Links and addresses of both families, of several links. */
	sh("sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 net.ipv6.conf.default.addr_gen_mode=1");
	sh("ip link add sa type veth peer name sb && ip link add br0 type bridge && "
	   "ip link set sa up && ip link set sb up && ip link set br0 up");
	sh("ip addr add 10.1.0.1/24 dev sa && ip addr add 10.1.0.2/24 dev sa && ip addr add 10.2.0.1/16 dev sb");
	sh("ip -6 addr add 2001:db8:1::1/64 dev sa nodad && ip -6 addr add fe80::1/64 dev sb nodad");
}

static void use_mode(int i)
{
	setenv("IFPLEX_CACHE", modes[i], 1);
}

/* s against dumps made now: interfaces in order, addresses in the dump's
 * order (family 0), each interface's ranges, and the lookups. */
static void check_snapshot(const struct ifplex_snapshot *s, const char *what)
{
	struct ifplex_iface *ri;
	struct ifplex_addr *ra;
	size_t nri, nra, n, m;

	ck_assert_int_eq(ref_be->interfaces(ref_state, &ri, &nri), 0);
	ck_assert_int_eq(ref_be->interface_addrs(ref_state, 0, &ra, &nra), 0);
	const struct ifplex_iface *si = ifplex_snapshot_interfaces(s, &n);
	ck_assert_msg(n == nri, "%s: %zu interfaces in the snapshot, %zu dumped", what, n, nri);
	const struct ifplex_addr *sa = ifplex_snapshot_addrs(s, 0, &m);
	same_addrs(sa, m, ra, nra, what);
	for (size_t i = 0; i < n; i++) {
		same_iface(&si[i], &ri[i], what);
		ck_assert_ptr_eq(ifplex_snapshot_by_index(s, ri[i].index), &si[i]);
		ck_assert_ptr_eq(ifplex_snapshot_by_name(s, ri[i].name), &si[i]);
		struct ifplex_addr *one;
		size_t none, n4, n6;
		ck_assert_int_eq(ref_be->interface_addrs(ref_state, ri[i].index, &one, &none), 0);
		const struct ifplex_addr *v4 = ifplex_snapshot_iface_addrs(s, &si[i], 4, &n4);
		const struct ifplex_addr *v6 = ifplex_snapshot_iface_addrs(s, &si[i], 6, &n6);
		ck_assert_uint_eq(n4 + n6, none);
		for (size_t k = 0; k < none; k++) {
			const struct ifplex_addr *got = k < n4 ? &v4[k] : &v6[k - n4];
			same_addrs(got, 1, &one[k], 1, what);
		}
		free(one);
	}
	free(ri);
	free(ra);
}

START_TEST(test_views)
{
	const struct ifplex_snapshot *s;

	use_mode(_i);
	/* From the first call on: auto's uncached calls and the cache alike. */
	ck_assert_msg(ifplex_snapshot_get(&s) == 0, "%s", ifplex_last_error());
	check_snapshot(s, "first snapshot");
	ifplex_snapshot_put(s);
	prime(modes[_i]);
	ck_assert_int_eq(ifplex_snapshot_get(&s), 0);
	check_snapshot(s, "cached snapshot");
	/* The list calls copy the same. */
	check_coherent("list calls");
	ifplex_snapshot_put(s);
}
END_TEST

/* Copies of what a snapshot shows, to compare later. */
struct kept {
	struct ifplex_iface ifs[64];
	struct ifplex_addr as[64];
	size_t n, m;
};

static void keep(const struct ifplex_snapshot *s, struct kept *k)
{
	const struct ifplex_iface *i = ifplex_snapshot_interfaces(s, &k->n);
	const struct ifplex_addr *a = ifplex_snapshot_addrs(s, 0, &k->m);
	ck_assert(k->n <= 64 && k->m <= 64);
	memcpy(k->ifs, i, k->n * sizeof *i);
	memcpy(k->as, a, k->m * sizeof *a);
}

static void unchanged(const struct ifplex_snapshot *s, const struct kept *k)
{
	size_t n, m;
	const struct ifplex_iface *i = ifplex_snapshot_interfaces(s, &n);
	const struct ifplex_addr *a = ifplex_snapshot_addrs(s, 0, &m);
	ck_assert_uint_eq(n, k->n);
	ck_assert_uint_eq(m, k->m);
	ck_assert(memcmp(i, k->ifs, n * sizeof *i) == 0);
	ck_assert(memcmp(a, k->as, m * sizeof *a) == 0);
}

START_TEST(test_holders_keep_their_view)
{
	const struct ifplex_snapshot *s1, *s2, *s3;
	struct kept k;

	use_mode(_i);
	prime(modes[_i]);
	ck_assert_int_eq(ifplex_snapshot_get(&s1), 0);
	keep(s1, &k);
	uint64_t g1 = ifplex_snapshot_generation(s1);
	if (_i != 2)
		ck_assert_uint_eq(g1, ifplex_generation());
	/* Nothing changed: the same snapshot, with no request and nothing
	 * published (off reads the lists and finds them the same). */
	unsigned requests = counter("netlink_requests"), published = counter("cache_snapshots");
	for (int r = 0; r < 1000; r++) {
		ck_assert_int_eq(ifplex_snapshot_get(&s2), 0);
		ck_assert_ptr_eq(s2, s1);
		ifplex_snapshot_put(s2);
	}
	ck_assert_uint_eq(counter("cache_snapshots"), published);
	if (_i != 2)
		ck_assert_uint_eq(counter("netlink_requests"), requests);

	sh("ip link add new0 type veth peer name new1 && ip link set sa mtu 1400 && ip addr add 10.3.0.1/24 dev sb && "
	   "ip link set sb name sb2 && ip link del br0");
	ck_assert_int_eq(ifplex_snapshot_get(&s2), 0);
	ck_assert_ptr_ne(s2, s1);
	ck_assert_uint_gt(ifplex_snapshot_generation(s2), g1);
	check_snapshot(s2, "after the changes");
	ck_assert_ptr_null(ifplex_snapshot_by_name(s2, "br0"));
	ck_assert_ptr_nonnull(ifplex_snapshot_by_name(s1, "br0"));
	ck_assert_ptr_nonnull(ifplex_snapshot_by_name(s2, "sb2"));
	/* The zone of sb's link-local address follows the rename in the new
	 * snapshot only. */
	size_t n6;
	const struct ifplex_addr *ll = ifplex_snapshot_iface_addrs(s2, ifplex_snapshot_by_name(s2, "sb2"), 6, &n6);
	ck_assert_uint_eq(n6, 1);
	ck_assert_str_eq(ll[0].zone, "sb2");
	ll = ifplex_snapshot_iface_addrs(s1, ifplex_snapshot_by_name(s1, "sb"), 6, &n6);
	ck_assert_uint_eq(n6, 1);
	ck_assert_str_eq(ll[0].zone, "sb");
	unchanged(s1, &k);
	ifplex_snapshot_put(s1);
	ck_assert_int_eq(ifplex_snapshot_get(&s3), 0);
	ck_assert_ptr_eq(s3, s2);
	ifplex_snapshot_put(s3);
	ifplex_snapshot_put(s2);
}
END_TEST

/* One snapshot read through: each view agrees with the others.  0, or
 * which check failed. */
static int walk(const struct ifplex_snapshot *s)
{
	size_t n, m, m4;
	const struct ifplex_iface *f = ifplex_snapshot_interfaces(s, &n);
	ifplex_snapshot_addrs(s, 4, &m4);
	const struct ifplex_addr *a = ifplex_snapshot_addrs(s, 0, &m);
	size_t seen = 0;

	for (size_t i = 0; i < n; i++) {
		if (i && f[i - 1].index >= f[i].index)
			return 1;
		if (ifplex_snapshot_by_index(s, f[i].index) != &f[i] || ifplex_snapshot_by_name(s, f[i].name) != &f[i])
			return 2;
		for (int fam = 4; fam <= 6; fam += 2) {
			size_t c;
			const struct ifplex_addr *r = ifplex_snapshot_iface_addrs(s, &f[i], fam, &c);
			for (size_t k = 0; k < c; k++)
				if (r[k].index != f[i].index || r[k].ip.len != (fam == 4 ? 4 : 16) ||
				    (fam == 4) != (size_t)(&r[k] - a) < m4)
					return 3;
			seen += c;
		}
	}
	return seen == m ? 0 : 4;
}

static void *reader(void *arg)
{
	(void)arg;
	while (churning()) {
		const struct ifplex_snapshot *s;
		if (ifplex_snapshot_get(&s) < 0)
			return (void *)10;
		int rc = walk(s);
		ifplex_snapshot_put(s);
		if (rc)
			return (void *)(intptr_t)rc;
		if (read_round())
			return (void *)11;
	}
	return NULL;
}

START_TEST(test_readers_during_churn)
{
	use_mode(_i);
	prime(modes[_i]);
	run_churn(1, reader);
	const struct ifplex_snapshot *s;
	ck_assert_int_eq(ifplex_snapshot_get(&s), 0);
	check_snapshot(s, "after churn");
	ifplex_snapshot_put(s);
}
END_TEST

/* The child reads what it held, and gets its own after a change. */
static int snapshot_child(void *arg)
{
	const struct ifplex_snapshot *s = arg, *c;

	if (walk(s) || !ifplex_snapshot_by_name(s, "sa"))
		return 1;
	if (system("ip link add child0 type veth peer name child1") != 0)
		return 2;
	if (ifplex_snapshot_get(&c) < 0 || c == s || !ifplex_snapshot_by_name(c, "child0") || walk(c))
		return 3;
	ifplex_snapshot_put(c);
	ifplex_snapshot_put(s);
	return 0;
}

START_TEST(test_fork)
{
	const struct ifplex_snapshot *s;
	struct kept k;

	use_mode(_i);
	prime(modes[_i]);
	ck_assert_int_eq(ifplex_snapshot_get(&s), 0);
	keep(s, &k);
	fork_check(snapshot_child, (void *)s);
	unchanged(s, &k);
	ifplex_snapshot_put(s);
	ck_assert_int_eq(ifplex_snapshot_get(&s), 0);
	check_snapshot(s, "parent after the child's change");
	ck_assert_ptr_nonnull(ifplex_snapshot_by_name(s, "child0"));
	ifplex_snapshot_put(s);
}
END_TEST

/* ------------------------------------------------------------- bursts */

/* Link changes only: n veth pairs made in one ip -batch. */
static void link_burst(const char *prefix, int n)
{
	char path[] = "/tmp/ifplex-burst-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < n; i++)
		fprintf(f, "link add %s%d type veth peer name %s%dp\n", prefix, i, prefix, i);
	fclose(f);
	sh("ip -batch %s", path);
	unlink(path);
}

static void addr_burst(int base, int n)
{
	char path[] = "/tmp/ifplex-burst-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < n; i++)
		fprintf(f, "addr add 10.%d.%d.%d/32 dev sa\n", 100 + base, i / 250, i % 250 + 1);
	fclose(f);
	sh("ip -batch %s", path);
	unlink(path);
}

/* A burst larger than the first ring (ebpf) or socket buffer (notify): the
 * cache dumps again once and grows; the next burst of the same size is
 * applied as deltas, with no dump. */
START_TEST(test_burst_then_deltas)
{
	use_mode(_i);
	if (_i == 0)
		setenv("IFPLEX_CACHE_RING", "8192", 1);
	else
		setenv("IFPLEX_CACHE_RCVBUF", "4096", 1);
	prime(modes[_i]);
	unsigned full = counter("cache_resyncs"), part = counter("cache_partial_resyncs");
	link_burst("b", 150);
	check_coherent("after the first burst");
	ck_assert_msg(counter("cache_resyncs") + counter("cache_partial_resyncs") > full + part,
		      "a burst larger than the buffer was not noticed");
	ck_assert_uint_gt(counter("cache_grows"), 0);
	if (_i == 0) {
		/* Only links were lost: only links were dumped again. */
		ck_assert_uint_eq(counter("cache_resyncs"), full);
		ck_assert_uint_gt(counter("cache_partial_resyncs"), part);
	}
	full = counter("cache_resyncs");
	part = counter("cache_partial_resyncs");
	unsigned requests = counter("netlink_requests");
	link_burst("c", 150);
	check_coherent("after the second burst");
	ck_assert_uint_eq(counter("cache_resyncs"), full);
	ck_assert_uint_eq(counter("cache_partial_resyncs"), part);
	/* check_coherent asks the cache nothing that needs a request. */
	ck_assert_uint_eq(counter("netlink_requests"), requests);
}
END_TEST

/* A burst of addresses alone, lost: addresses alone are dumped again. */
START_TEST(test_burst_of_addresses)
{
	setenv("IFPLEX_CACHE", "ebpf", 1);
	setenv("IFPLEX_CACHE_RING", "4096", 1);
	setenv("IFPLEX_CACHE_RING_MAX", "4096", 1); /* stays small: every burst overflows */
	prime("ebpf");
	unsigned full = counter("cache_resyncs"), part = counter("cache_partial_resyncs");
	addr_burst(0, 200);
	check_coherent("after a burst of addresses");
	ck_assert_uint_eq(counter("cache_resyncs"), full);
	ck_assert_uint_gt(counter("cache_partial_resyncs"), part);
	ck_assert_uint_eq(counter("cache_grows"), 0);
	/* Both kinds lost at once: one whole resync. */
	part = counter("cache_partial_resyncs");
	sh("ip link add mix0 type veth peer name mix1");
	addr_burst(1, 200);
	link_burst("m", 40);
	check_coherent("after a burst of both kinds");
	ck_assert_uint_gt(counter("cache_resyncs"), full);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("netlink");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_views, 0, 3);
	tcase_add_loop_test(tc, test_holders_keep_their_view, 0, 3);
	tcase_add_loop_test(tc, test_readers_during_churn, 0, 3);
	tcase_add_loop_test(tc, test_fork, 0, 3);
	tcase_add_loop_test(tc, test_burst_then_deltas, 0, 2);
	tcase_add_test(tc, test_burst_of_addresses);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
