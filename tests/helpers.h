/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the check suites. */
#ifndef IFPLEX_TEST_HELPERS_H
#define IFPLEX_TEST_HELPERS_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Run one suite, print check's summary, exit with its verdict. */
static inline int ifplex_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The same for a suite of pure value tests (no namespace, no environment,
 * no signals): in the sanitizer build its tests run in one process, because
 * LeakSanitizer's scan at the exit of each forked test cost about 0.1 s a
 * test here (test_ip: 44 s, 1 s without); the one scan at the end still
 * finds every leak.  CK_FORK, when set, decides. */
static inline int ifplex_test_run_pure(Suite *s)
{
	const char *san = getenv("IFPLEX_TEST_SANITIZED");
	SRunner *sr = srunner_create(s);

	if (san && strcmp(san, "yes") == 0 && !getenv("CK_FORK"))
		srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* An environment variable the test harness must set. */
static inline const char *ifplex_test_env(const char *name)
{
	const char *v = getenv(name);
	ck_assert_msg(v && *v, "%s is not set: run the tests with make check", name);
	return v;
}

/* How much of an exhaustive sweep to run (IFPLEX_TEST_SWEEP): smoke, the
 * least that still runs every branch (distcheck); sample, the default (make
 * check, CI); full, all of it (IFPLEX_TEST_FULL=1 is the same). */
enum ifplex_test_sweep { IFPLEX_SWEEP_SMOKE, IFPLEX_SWEEP_SAMPLE, IFPLEX_SWEEP_FULL };

static inline enum ifplex_test_sweep ifplex_test_sweep(void)
{
	const char *full = getenv("IFPLEX_TEST_FULL"), *v = getenv("IFPLEX_TEST_SWEEP");

	if ((full && strcmp(full, "1") == 0) || (v && strcmp(v, "full") == 0))
		return IFPLEX_SWEEP_FULL;
	if (v && strcmp(v, "smoke") == 0)
		return IFPLEX_SWEEP_SMOKE;
	return IFPLEX_SWEEP_SAMPLE;
}

#endif
