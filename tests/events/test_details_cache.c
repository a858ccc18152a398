/* SPDX-License-Identifier: MIT */
/* Details served from the netlink cache (ebpf, notify) equal those served
 * by request (off), field by field, and follow changes: a link given a
 * master, taken down, given an alternative name, an address deprecated by
 * `ip addr change ... preferred_lft 0`, each seen once the generation has
 * moved.  Lifetimes keep counting down between reads with no message in
 * between.  The reference is a child process with IFPLEX_CACHE=off,
 * forked before this one chooses its backend. */
#define _GNU_SOURCE
#include "../helpers.h"
#include "../netns.h"

#include <ifplex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const modes[] = {"ebpf", "notify", "off"};

/* ---- the reference: requests on a socket pair, answers as raw structs */

static int ref_fd = -1;
static pid_t ref_pid;

struct ref_ask {
	int what; /* 0 link details, 1 address details */
	int index;
};

static void ref_serve(int fd)
{
	struct ref_ask q;

	setenv("IFPLEX_CACHE", "off", 1);
	while (read(fd, &q, sizeof q) == sizeof q) {
		int rc;
		if (q.what == 0) {
			struct ifplex_link_details d = {.size = sizeof d};
			rc = ifplex_interface_details(q.index, &d);
			if (write(fd, &rc, sizeof rc) != sizeof rc || write(fd, &d, sizeof d) != sizeof d)
				_exit(1);
		} else {
			struct ifplex_addr_details *d = NULL;
			size_t n = 0;
			rc = ifplex_interface_addr_details(q.index, sizeof *d, &d, &n);
			if (write(fd, &rc, sizeof rc) != sizeof rc || write(fd, &n, sizeof n) != sizeof n)
				_exit(1);
			for (size_t i = 0; i < n; i++)
				if (write(fd, &d[i], sizeof d[i]) != sizeof d[i])
					_exit(1);
			ifplex_free(d);
		}
	}
	_exit(0);
}

static void ref_start(void)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	ref_pid = fork();
	ck_assert_int_ge(ref_pid, 0);
	if (ref_pid == 0) {
		close(sv[0]);
		ref_serve(sv[1]);
	}
	close(sv[1]);
	ref_fd = sv[0];
}

static void ref_stop(void)
{
	close(ref_fd);
	waitpid(ref_pid, NULL, 0);
}

static void read_all(void *p, size_t n)
{
	for (size_t got = 0; got < n;) {
		ssize_t r = read(ref_fd, (char *)p + got, n - got);
		ck_assert_int_gt(r, 0);
		got += (size_t)r;
	}
}

static int ref_link(int index, struct ifplex_link_details *d)
{
	struct ref_ask q = {0, index};
	int rc;

	ck_assert_int_eq(write(ref_fd, &q, sizeof q), sizeof q);
	read_all(&rc, sizeof rc);
	read_all(d, sizeof *d);
	return rc;
}

static int ref_addrs(int index, struct ifplex_addr_details **list, size_t *n)
{
	struct ref_ask q = {1, index};
	int rc;

	ck_assert_int_eq(write(ref_fd, &q, sizeof q), sizeof q);
	read_all(&rc, sizeof rc);
	read_all(n, sizeof *n);
	*list = calloc(*n ? *n : 1, sizeof **list);
	ck_assert_ptr_nonnull(*list);
	read_all(*list, *n * sizeof **list);
	return rc;
}

/* ---- set-up */

static void setup(void)
{
	netns_enter();
	sh("ip link set lo up && ip link add v0 type veth peer name v1 && ip link add br0 type bridge && "
	   "ip link add mv0 link v1 type macvlan mode bridge && "
	   "for l in v0 v1 br0 mv0; do ip link set $l up; done && "
	   "ip addr add 10.7.0.1 peer 10.7.0.2/32 dev v0 && "
	   "ip addr add 10.8.0.1/24 brd + dev v1 label v1:x && ip addr add 10.8.0.2/24 dev v1 && "
	   "ip -6 addr add 2001:db8:7::1/64 dev v0 nodad valid_lft 100 preferred_lft 60");
}

static int index_of(const char *name)
{
	struct ifplex_iface ifi;

	ck_assert_int_eq(ifplex_interface_by_name(name, &ifi), 0);
	return ifi.index;
}

/* Wait for the generation to move past g (the cache has seen a change). */
static void await_generation(uint64_t g)
{
	for (int i = 0; i < 400; i++) {
		if (ifplex_generation() > g)
			return;
		usleep(5000);
	}
	ck_abort_msg("the generation never moved past %llu", (unsigned long long)g);
}

static void use_mode(int i)
{
	ref_start();
	setenv("IFPLEX_CACHE", modes[i], 1);
}

static unsigned requests(void)
{
	return (unsigned)atoi(ifplex_backend_describe("netlink_requests"));
}

/* Counters move: ours lie between the reference's before and after. */
#define WITHIN(lo, v, hi) ck_assert_msg((lo) <= (v) && (v) <= (hi), "%s: %llu not in [%llu, %llu]", #v, \
					(unsigned long long)(v), (unsigned long long)(lo), \
					(unsigned long long)(hi))

static void same_link(int index)
{
	struct ifplex_link_details a, d = {.size = sizeof d}, b;

	ck_assert_int_eq(ref_link(index, &a), 0);
	ck_assert_int_eq(ifplex_interface_details(index, &d), 0);
	ck_assert_int_eq(ref_link(index, &b), 0);
	ck_assert_uint_eq(d.present, a.present);
	ck_assert_str_eq(d.kind, a.kind);
	ck_assert_int_eq(d.operstate, a.operstate);
	ck_assert_int_eq(d.carrier, a.carrier);
	ck_assert_int_eq(d.master, a.master);
	ck_assert_int_eq(d.link, a.link);
	ck_assert_int_eq(d.link_netnsid, a.link_netnsid);
	ck_assert_uint_eq(d.txqlen, a.txqlen);
	ck_assert_uint_eq(d.num_tx_queues, a.num_tx_queues);
	ck_assert_uint_eq(d.num_rx_queues, a.num_rx_queues);
	ck_assert_uint_eq(d.naltnames, a.naltnames);
	for (unsigned i = 0; i < a.naltnames && i < IFPLEX_ALTNAMES_MAX; i++)
		ck_assert_str_eq(d.altnames[i], a.altnames[i]);
	WITHIN(a.stats.rx_packets, d.stats.rx_packets, b.stats.rx_packets);
	WITHIN(a.stats.tx_packets, d.stats.tx_packets, b.stats.tx_packets);
	WITHIN(a.stats.rx_bytes, d.stats.rx_bytes, b.stats.rx_bytes);
	WITHIN(a.stats.tx_bytes, d.stats.tx_bytes, b.stats.tx_bytes);
	WITHIN(a.stats.rx_dropped, d.stats.rx_dropped, b.stats.rx_dropped);
	WITHIN(a.stats.tx_dropped, d.stats.tx_dropped, b.stats.tx_dropped);
	WITHIN(a.stats.rx_errors, d.stats.rx_errors, b.stats.rx_errors);
}

static void same_addrs(int index)
{
	struct ifplex_addr_details *a, *d, *b;
	size_t na, nd, nb;

	ck_assert_int_eq(ref_addrs(index, &a, &na), 0);
	ck_assert_int_eq(ifplex_interface_addr_details(index, sizeof *d, &d, &nd), 0);
	ck_assert_int_eq(ref_addrs(index, &b, &nb), 0);
	ck_assert_uint_eq(nd, na);
	ck_assert_uint_eq(nd, nb);
	for (size_t i = 0; i < nd; i++) {
		ck_assert_msg(memcmp(&d[i].addr, &a[i].addr, sizeof a[i].addr) == 0, "address %zu", i);
		ck_assert_uint_eq(d[i].present, a[i].present);
		ck_assert_uint_eq(d[i].flags, a[i].flags);
		ck_assert_int_eq(d[i].scope, a[i].scope);
		ck_assert(memcmp(&d[i].peer, &a[i].peer, sizeof a[i].peer) == 0);
		ck_assert(memcmp(&d[i].broadcast, &a[i].broadcast, sizeof a[i].broadcast) == 0);
		ck_assert_str_eq(d[i].label, a[i].label);
		/* Seconds left count down: between the reference's readings. */
		WITHIN(b[i].valid_lft, d[i].valid_lft, a[i].valid_lft);
		WITHIN(b[i].preferred_lft, d[i].preferred_lft, a[i].preferred_lft);
	}
	free(a);
	free(b);
	ifplex_free(d);
}

static void same_everywhere(void)
{
	struct ifplex_iface *l;
	size_t n;

	ck_assert_int_eq(ifplex_interfaces(&l, &n), 0);
	for (size_t i = 0; i < n; i++) {
		same_link(l[i].index);
		same_addrs(l[i].index);
	}
	same_addrs(0);
	ifplex_free(l);
}

/* Every link and address: the same as by request, in each mode. */
START_TEST(test_same_as_request)
{
	use_mode(_i);
	same_everywhere();
	/* Served from the cache: no request for addresses, one for the
	 * counters of a link; by request: more. */
	ifplex_interface_details(index_of("v0"), &(struct ifplex_link_details){.size = sizeof(struct ifplex_link_details)});
	unsigned r0 = requests();
	struct ifplex_addr_details *d;
	size_t n;
	ck_assert_int_eq(ifplex_interface_addr_details(0, sizeof *d, &d, &n), 0);
	ifplex_free(d);
	unsigned r1 = requests();
	struct ifplex_link_details ld = {.size = sizeof ld};
	ck_assert_int_eq(ifplex_interface_details(index_of("v0"), &ld), 0);
	unsigned r2 = requests();
	if (_i < 2) {
		ck_assert_uint_eq(r1, r0);
		ck_assert_uint_eq(r2, r1 + 1);
	} else {
		ck_assert_uint_ge(r1, r0 + 2);
	}
	ref_stop();
}
END_TEST

static struct ifplex_addr_details *find_addr(struct ifplex_addr_details *d, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++) {
		char t[IFPLEX_ADDR_STRLEN];
		ifplex_addr_string(&d[i].addr, t, sizeof t);
		if (strcmp(t, text) == 0)
			return &d[i];
	}
	ck_abort_msg("no address %s", text);
	return NULL;
}

/* Changes the kernel announces are in the next details once the
 * generation has moved. */
START_TEST(test_changes_seen)
{
	use_mode(_i);
	int v0 = index_of("v0"), br0 = index_of("br0");
	struct ifplex_link_details d = {.size = sizeof d};
	struct ifplex_addr_details *ad;
	size_t n;

	ck_assert_int_eq(ifplex_interface_details(v0, &d), 0);
	ck_assert_int_eq(d.master, 0);
	ck_assert_uint_eq(d.naltnames, 0);
	uint64_t g = ifplex_generation();
	sh("ip link set v0 master br0");
	if (_i < 2)
		await_generation(g);
	ck_assert_int_eq(ifplex_interface_details(v0, &d), 0);
	ck_assert_int_eq(d.master, br0);

	g = ifplex_generation();
	sh("ip link property add dev v0 altname a-rather-long-alternative-name-for-v0");
	if (_i < 2)
		await_generation(g);
	ck_assert_int_eq(ifplex_interface_details(v0, &d), 0);
	ck_assert_uint_eq(d.naltnames, 1);
	ck_assert_str_eq(d.altnames[0], "a-rather-long-alternative-name-for-v0");

	g = ifplex_generation();
	sh("ip link set v1 down");
	if (_i < 2)
		await_generation(g);
	/* v1's own message can move the generation before the kernel's link
	 * watch (a delayed work, up to a second under load) announces v0's
	 * new operstate: wait for that one, the bound as an upper limit. */
	for (int i = 0; i < 400; i++) {
		ck_assert_int_eq(ifplex_interface_details(v0, &d), 0);
		if (d.operstate == IFPLEX_OPER_LOWERLAYERDOWN)
			break;
		usleep(5000);
	}
	ck_assert_int_eq(d.operstate, IFPLEX_OPER_LOWERLAYERDOWN);
	ck_assert_int_eq(d.carrier, 0);

	ck_assert_int_eq(ifplex_interface_addr_details(v0, sizeof *ad, &ad, &n), 0);
	ck_assert_uint_eq(find_addr(ad, n, "2001:db8:7::1/64")->flags & IFPLEX_ADDRF_DEPRECATED, 0);
	ifplex_free(ad);
	g = ifplex_generation();
	sh("ip -6 addr change 2001:db8:7::1/64 dev v0 valid_lft 100 preferred_lft 0");
	if (_i < 2)
		await_generation(g);
	ck_assert_int_eq(ifplex_interface_addr_details(v0, sizeof *ad, &ad, &n), 0);
	struct ifplex_addr_details *x = find_addr(ad, n, "2001:db8:7::1/64");
	ck_assert_uint_ne(x->flags & IFPLEX_ADDRF_DEPRECATED, 0);
	ck_assert_uint_eq(x->preferred_lft, 0);
	ck_assert_uint_le(x->valid_lft, 100);
	ck_assert_uint_ge(x->valid_lft, 99);
	ifplex_free(ad);

	/* A master taken away, the link deleted: seen too. */
	g = ifplex_generation();
	sh("ip link set v0 nomaster");
	if (_i < 2)
		await_generation(g);
	ck_assert_int_eq(ifplex_interface_details(v0, &d), 0);
	ck_assert_int_eq(d.master, 0);
	same_everywhere();
	int mv0 = index_of("mv0");
	g = ifplex_generation();
	sh("ip link del mv0");
	if (_i < 2)
		await_generation(g);
	ck_assert_int_eq(ifplex_interface_details(mv0, &d), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_addr_details(mv0, sizeof *ad, &ad, &n), IFPLEX_ENOIFACE);
	same_everywhere();
	ref_stop();
}
END_TEST

/* Seconds left go down between reads that no message separates, and
 * stay those the kernel gives. */
START_TEST(test_lifetimes_count_down)
{
	use_mode(_i);
	int v0 = index_of("v0");
	struct ifplex_addr_details *ad;
	size_t n;

	ck_assert_int_eq(ifplex_interface_addr_details(v0, sizeof *ad, &ad, &n), 0);
	uint32_t first = find_addr(ad, n, "2001:db8:7::1/64")->preferred_lft;
	ifplex_free(ad);
	ck_assert_uint_le(first, 60);
	ck_assert_uint_ge(first, 58);
	sleep(3);
	same_addrs(v0);
	ck_assert_int_eq(ifplex_interface_addr_details(v0, sizeof *ad, &ad, &n), 0);
	uint32_t later = find_addr(ad, n, "2001:db8:7::1/64")->preferred_lft;
	ifplex_free(ad);
	ck_assert_uint_le(later, first - 2);
	ck_assert_uint_ge(later, first - 4);
	ref_stop();
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("details_cache");
	TCase *tc = tcase_create("modes");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_same_as_request, 0, 3);
	tcase_add_loop_test(tc, test_changes_seen, 0, 3);
	tcase_add_loop_test(tc, test_lifetimes_count_down, 0, 3);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
