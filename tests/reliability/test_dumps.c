/* SPDX-License-Identifier: MIT */
/* Netlink dumps that go wrong half way.  A call that fails in the middle of
 * a dump (here: the host's allocator refuses the k-th block) must leave the
 * request socket usable: the kernel refuses a new dump on a socket whose
 * last one was not read to its end (EBUSY).  And under heavy churn, where
 * dumps keep being interrupted, an enumeration never fails with EAGAIN. */
#include "../netns.h"
#include "../helpers.h"
#include "../netlink/reference.h"

#include <pthread.h>
#include <stdatomic.h>

/* ---- a host whose allocator fails once, at the fail_at-th block */

static atomic_int allocs, fail_at;

static void *failing_alloc(size_t n)
{
	if (atomic_fetch_add(&allocs, 1) + 1 == atomic_load(&fail_at))
		return NULL;
	return calloc(1, n ? n : 1);
}

static const struct ifplex_host failing_host = {
	.size = sizeof(struct ifplex_host), .alloc = failing_alloc, .free = free, .log = ref_log,
	.getenv = ref_getenv, .fail = ref_fail, .fail_text = ref_fail, .alloc_raw = failing_alloc,
	.cache_mode = "off",
};

static void many_links(int pairs, int addrs_each)
{
	char path[] = "/tmp/ifplex-links-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < pairs; i++) {
		fprintf(f, "link add dl%d type veth peer name dl%dp\n", i, i);
		for (int k = 0; k < addrs_each; k++)
			fprintf(f, "addr add 10.%d.%d.%d/32 dev dl%d\n", 64 + i / 250, i % 250, k + 1, i);
	}
	fclose(f);
	sh("ip -batch %s", path);
	unlink(path);
}

static void setup(void)
{
	netns_enter();
	setenv("IFPLEX_BACKEND", "netlink", 1);
	open_reference();
	/* Several datagrams of links and of addresses per dump. */
	many_links(40, 12);
}

static void same_links(struct ifplex_iface *a, size_t na, const char *what)
{
	struct ifplex_iface *r;
	size_t nr;
	ck_assert_int_eq(ref_be->interfaces(ref_state, &r, &nr), 0);
	ck_assert_msg(na == nr, "%s: %zu interfaces, a dump has %zu", what, na, nr);
	for (size_t i = 0; i < na; i++)
		same_iface(&a[i], &r[i], what);
	free(r);
}

/* Every k: the k-th allocation of a call fails, then the next call works. */
START_TEST(test_failure_mid_dump_leaves_socket_usable)
{
	const struct ifplex_backend *be;
	void *st;
	int failed = 0;

	be = nl_plugin_open(&failing_host, &st);
	for (int k = 1; k <= 12; k++) {
		char what[96];
		struct ifplex_iface *l;
		struct ifplex_addr *a;
		size_t n;

		atomic_store(&allocs, 0);
		atomic_store(&fail_at, k);
		int rc = _i == 0 ? be->interfaces(st, &l, &n) : be->interface_addrs(st, 0, &a, &n);
		atomic_store(&fail_at, 0);
		if (rc == 0) {
			free(_i == 0 ? (void *)l : (void *)a);
			continue;
		}
		ck_assert_int_eq(rc, IFPLEX_ENOMEM);
		failed++;
		snprintf(what, sizeof what, "the call after allocation %d failed", k);
		rc = _i == 0 ? be->interfaces(st, &l, &n) : be->interface_addrs(st, 0, &a, &n);
		ck_assert_msg(rc == 0, "%s: %d (%s)", what, rc, rc < 0 && rc > -4096 ? strerror(-rc) : "");
		if (_i == 0)
			same_links(l, n, what);
		free(_i == 0 ? (void *)l : (void *)a);
	}
	ck_assert_int_gt(failed, 0);
	be->close(st);
}
END_TEST

/* ---- no EAGAIN under churn */

static atomic_int stop;

static void *churn(void *arg)
{
	char path[] = "/tmp/ifplex-storm-XXXXXX";
	int fd = mkstemp(path);
	(void)arg;
	if (fd < 0)
		return (void *)1;
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < 200; i++)
		fprintf(f, "link set dl%d mtu %d\naddr add 10.63.%d.1/24 dev dl%d\naddr del 10.63.%d.1/24 dev dl%d\n"
			   "link add st%d type veth peer name st%dp\nlink del st%d\n",
			i % 40, 1300 + i, i, i % 40, i, i % 40, i % 8, i % 8, i % 8);
	fclose(f);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "ip -batch %s", path);
	while (!atomic_load(&stop))
		if (system(cmd) != 0)
			break;
	unlink(path);
	return NULL;
}

static const char *const modes[] = {"ebpf", "notify", "off"};

START_TEST(test_no_eagain_under_churn)
{
	pthread_t w;
	long calls = 0, failures = 0;
	int last = 0;

	setenv("IFPLEX_CACHE", modes[_i], 1);
	/* Tiny buffers: notifications overflow and every few calls resync. */
	setenv("IFPLEX_CACHE_RCVBUF", "2048", 1);
	setenv("IFPLEX_CACHE_RING", "4096", 1);
	atomic_store(&stop, 0);
	ck_assert_int_eq(pthread_create(&w, NULL, churn, NULL), 0);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		struct ifplex_iface *l;
		struct ifplex_addr *a;
		size_t n;
		int rc = calls % 2 ? ifplex_interfaces(&l, &n) : ifplex_interface_addrs(NULL, &a, &n);
		if (rc == 0)
			ifplex_free(calls % 2 ? (void *)l : (void *)a);
		else
			failures++, last = rc;
		calls++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < 4);
	atomic_store(&stop, 1);
	pthread_join(w, NULL);
	ck_assert_msg(failures == 0, "%s: %ld of %ld calls failed, the last with %d (%s)", modes[_i], failures, calls,
		      last, ifplex_strerror(last));
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("dumps");
	TCase *tc = tcase_create("netns");

	tcase_set_timeout(tc, 240);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_failure_mid_dump_leaves_socket_usable, 0, 2);
	tcase_add_loop_test(tc, test_no_eagain_under_churn, 0, 3);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
