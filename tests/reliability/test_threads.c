/* SPDX-License-Identifier: MIT */
/* Many threads calling every interface function, describe() and
 * ifplex_cache_reset() at once while links change, in every cache mode; run
 * under ThreadSanitizer by scripts/test.  And the text describe() returns
 * stays what it was while other keys and other threads are described. */
#include "../netns.h"
#include "../helpers.h"
#include "../netlink/reference.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static const char *const modes[] = {"ebpf", "notify", "off", "auto"};
static const char *const keys[] = {"cache", "cache_modes", "cache_why", "mcast_source", "netlink_requests",
				   "cache_resyncs", "cache_build_ns", "cache_bpf_setup_ns", "cache_link_bytes",
				   "cache_addr_bytes"};
#define NKEYS (sizeof keys / sizeof keys[0])

static atomic_int stop;

static void setup(void)
{
	netns_enter();
	setenv("IFPLEX_BACKEND", "netlink", 1);
	open_reference();
}

static void *reader(void *arg)
{
	int k = (int)(intptr_t)arg;

	while (!atomic_load(&stop)) {
		int rc = read_round();
		if (rc)
			return (void *)(intptr_t)rc;
		/* Text from describe is read while other threads describe too. */
		const char *v = ifplex_backend_describe(keys[k++ % NKEYS]);
		if (v && strlen(v) > 512)
			return (void *)8;
		ifplex_generation();
	}
	return NULL;
}

static void *resetter(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		if (ifplex_cache_reset() < 0)
			return (void *)1;
		usleep(1000);
	}
	return NULL;
}

static void *churn(void *arg)
{
	(void)arg;
	for (int i = 0; !atomic_load(&stop); i++) {
		char cmd[200];
		snprintf(cmd, sizeof cmd, "ip link add tc%d type veth peer name tc%dp && ip addr add 10.62.%d.1/24 dev tc%d && "
			 "ip link set tc%d name tx%d && ip link del tx%d", i % 3, i % 3, i % 200, i % 3, i % 3, i % 3, i % 3);
		if (system(cmd) != 0)
			return (void *)1;
	}
	return NULL;
}

START_TEST(test_threads_and_reset)
{
	pthread_t r[4], z, c;
	void *res;

	setenv("IFPLEX_CACHE", modes[_i], 1);
	atomic_store(&stop, 0);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&r[i], NULL, reader, (void *)(intptr_t)i), 0);
	ck_assert_int_eq(pthread_create(&z, NULL, resetter, NULL), 0);
	ck_assert_int_eq(pthread_create(&c, NULL, churn, NULL), 0);
	sleep(3);
	atomic_store(&stop, 1);
	for (int i = 0; i < 4; i++) {
		pthread_join(r[i], &res);
		ck_assert_msg(res == NULL, "reader %d failed (check %ld)", i, (long)res);
	}
	pthread_join(z, &res);
	ck_assert_msg(res == NULL, "ifplex_cache_reset failed");
	pthread_join(c, &res);
	ck_assert_ptr_null(res);
	check_coherent("after threads and resets");
}
END_TEST

/* A text describe() returned stays as it was while this thread describes
 * other keys and other threads describe the same key. */
static void *describe_all(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		struct ifplex_iface one;
		ifplex_interface_by_name("lo", &one);
		ifplex_backend_describe(keys[i % NKEYS]);
	}
	return NULL;
}

START_TEST(test_describe_text_is_stable)
{
	const char *held[NKEYS];
	char copy[NKEYS][256];
	pthread_t t[2];

	setenv("IFPLEX_CACHE", modes[_i], 1);
	prime(strcmp(modes[_i], "auto") == 0 ? "ebpf" : modes[_i]);
	for (size_t k = 0; k < NKEYS; k++) {
		held[k] = ifplex_backend_describe(keys[k]);
		ck_assert_msg(held[k], "no %s", keys[k]);
		snprintf(copy[k], sizeof copy[k], "%s", held[k]);
	}
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, describe_all, NULL), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (size_t k = 0; k < NKEYS; k++)
		ck_assert_msg(strcmp(held[k], copy[k]) == 0, "describe(\"%s\") was \"%s\", now reads \"%s\"", keys[k],
			      copy[k], held[k]);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("netns");

	tcase_set_timeout(tc, 240);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_threads_and_reset, 0, 4);
	tcase_add_loop_test(tc, test_describe_text_is_stable, 0, 4);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
