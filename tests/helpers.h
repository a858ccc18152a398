/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the check suites. */
#ifndef IFPLEX_TEST_HELPERS_H
#define IFPLEX_TEST_HELPERS_H

#include <check.h>
#include <stdlib.h>

/* Run one suite, print check's summary, exit with its verdict. */
static inline int ifplex_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
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

#endif
