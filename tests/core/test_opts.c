/* SPDX-License-Identifier: MIT */
/* Sized option structs: unknown non-zero bytes are refused with the byte
 * named, zero tails and older (shorter) structs are accepted, a size that
 * does not cover the size field is refused. */
#include "helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

static void setup(void)
{
	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	unsetenv("IFPLEX_BACKEND");
}

/* An options struct as a newer header might declare it. */
struct newer_options {
	struct ifplex_options o;
	const char *future;
	int more;
};

START_TEST(test_init_unknown_bytes)
{
	struct newer_options n = {.o = {.size = sizeof n, .backend = "fake"}, .future = "x"};

	ck_assert_int_eq(ifplex_init(&n.o), IFPLEX_EINVAL);
	char want[160];
	snprintf(want, sizeof want, "ifplex_init: options byte %zu is set, past the %zu bytes",
		 sizeof(struct ifplex_options), sizeof(struct ifplex_options));
	ck_assert_msg(strstr(ifplex_last_error(), want) != NULL, "%s", ifplex_last_error());
	/* Nothing was chosen: the backend is still free to pick. */
	n.future = NULL;
	n.more = 1;
	ck_assert_int_eq(ifplex_init(&n.o), IFPLEX_EINVAL);
	n.more = 0;
	ck_assert_int_eq(ifplex_init(&n.o), 0);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
}
END_TEST

START_TEST(test_init_older_struct)
{
	/* A caller that knew only size and backend: plugin_path and cache,
	 * though in memory, are outside its size and not read. */
	struct ifplex_options o = {.size = offsetof(struct ifplex_options, plugin_path),
				   .backend = "fake", .plugin_path = "/nonexistent",
				   .cache = "bogus"};
	ck_assert_int_eq(ifplex_init(&o), 0);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
}
END_TEST

START_TEST(test_init_size_too_small)
{
	struct ifplex_options o = {.size = sizeof(size_t) - 1, .backend = "fake"};

	ck_assert_int_eq(ifplex_init(&o), IFPLEX_EINVAL);
	ck_assert_msg(strstr(ifplex_last_error(), "does not cover its size field") != NULL, "%s",
		      ifplex_last_error());
	o.size = 0;
	ck_assert_int_eq(ifplex_init(&o), IFPLEX_EINVAL);
	/* NULL is no options at all: the environment decides. */
	setenv("IFPLEX_BACKEND", "fake", 1);
	ck_assert_int_eq(ifplex_init(NULL), 0);
}
END_TEST

START_TEST(test_init_size_not_a_size)
{
	struct newer_options n = {.o = {.size = (size_t)1 << 40, .backend = "fake"}};

	ck_assert_int_eq(ifplex_init(&n.o), IFPLEX_EINVAL);
	ck_assert_msg(strstr(ifplex_last_error(), "is not a size") != NULL, "%s", ifplex_last_error());
}
END_TEST

struct newer_dial {
	struct ifplex_dial_options o;
	int64_t future;
};

START_TEST(test_dial_unknown_bytes)
{
	struct newer_dial n = {.o = {.size = sizeof n}, .future = 5};
	ifplex_conn *c = NULL;

	setenv("IFPLEX_BACKEND", "fake", 1);
	ck_assert_int_eq(ifplex_dial_opts("tcp", "192.0.2.2:80", &n.o, &c), IFPLEX_EINVAL);
	ck_assert_msg(strstr(ifplex_last_error(), "dial: options byte") != NULL, "%s", ifplex_last_error());
	ck_assert_ptr_null(c);
	/* With a zero tail the options pass and the call reaches the backend
	 * (fake has no sockets). */
	n.future = 0;
	ck_assert_int_eq(ifplex_dial_opts("tcp", "192.0.2.2:80", &n.o, &c), IFPLEX_ENOTSUP);
	struct ifplex_dial_options small = {.size = 2};
	ck_assert_int_eq(ifplex_dial_opts("tcp", "192.0.2.2:80", &small, &c), IFPLEX_EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("sized-options");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_init_unknown_bytes);
	tcase_add_test(tc, test_init_older_struct);
	tcase_add_test(tc, test_init_size_too_small);
	tcase_add_test(tc, test_init_size_not_a_size);
	tcase_add_test(tc, test_dial_unknown_bytes);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
