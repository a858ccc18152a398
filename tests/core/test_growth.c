/* SPDX-License-Identifier: MIT */
/* Growth of the plugin ABI raises nothing: a plugin built before the
 * optional slots were appended (struct of exactly IFPLEX_BACKEND_SIZE_MIN
 * bytes, tests/fake/ifplex-fakeold) loads, works, and answers
 * IFPLEX_ENOTSUP for the slots it lacks; one built against a newer header
 * (ifplex-fakenew, slots this core does not know) loads too; one below the
 * minimum is refused naming the file; `ifplex backends` shows each size. */
#include "helpers.h"

#include <ifplex.h>
#include <ifplex/backend.h>
#include <stdio.h>
#include <string.h>

static void use(const char *backend)
{
	struct ifplex_options o = {.size = sizeof o, .backend = backend,
				   .plugin_path = ifplex_test_env("IFPLEX_TEST_FAKE_DIR")};
	ck_assert_msg(ifplex_init(&o) == 0, "%s: %s", backend, ifplex_last_error());
}

static ifplex_conn *dial_fake(void)
{
	ifplex_conn *c = NULL;
	size_t n;

	ck_assert_msg(ifplex_dial("udp", "192.0.2.2:53", &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_write(c, "ping", 4, &n), 0);
	ck_assert_uint_eq(n, 4);
	return c;
}

START_TEST(test_old_plugin_works)
{
	struct ifplex_iface *l;
	size_t n;
	char buf[8];

	use("fakeold");
	ck_assert_int_eq(ifplex_interfaces(&l, &n), 0);
	ck_assert_uint_eq(n, 3);
	ifplex_free(l);
	ifplex_conn *c = dial_fake();
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(ifplex_close(c), 0);
}
END_TEST

START_TEST(test_old_plugin_lacks_new_slots)
{
	unsigned rev = 99;
	struct ifplex_lent v[1] = {{0}};

	use("fakeold");
	/* The capability bits follow the slots the struct reaches. */
	ck_assert_uint_eq(ifplex_backend_caps() & (IFPLEX_CAP_POLL | IFPLEX_CAP_LENT), 0);
	ck_assert_uint_ne(ifplex_backend_caps() & IFPLEX_CAP_UDP, 0);
	ifplex_conn *c = dial_fake();
	ck_assert_int_eq(ifplex_conn_poll(c, IFPLEX_POLL_IN, 0, &rev), IFPLEX_ENOTSUP);
	ck_assert_str_eq(ifplex_last_error(), "poll udp: not supported by backend fakeold");
	ck_assert_int_eq(ifplex_read_lent(c, v, 1), IFPLEX_ENOTSUP);
	ck_assert_str_eq(ifplex_last_error(), "read udp: not supported by backend fakeold");
	ck_assert_int_eq(ifplex_release_lent(c, v, 1), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_close(c), 0);
}
END_TEST

START_TEST(test_full_plugin_has_them)
{
	unsigned rev = 0;
	struct ifplex_netaddr from;
	struct ifplex_lent v[2] = {{.addr = &from}};

	/* The same source at full size: the slots are there and work. */
	use("fakeconn");
	ck_assert_uint_eq(ifplex_backend_caps() & (IFPLEX_CAP_POLL | IFPLEX_CAP_LENT),
			  IFPLEX_CAP_POLL | IFPLEX_CAP_LENT);
	ifplex_conn *c = dial_fake();
	ck_assert_int_eq(ifplex_conn_poll(c, IFPLEX_POLL_IN | IFPLEX_POLL_OUT, 0, &rev), 0);
	ck_assert_uint_eq(rev, IFPLEX_POLL_IN | IFPLEX_POLL_OUT);
	ck_assert_int_eq(ifplex_read_lent(c, v, 2), 1);
	ck_assert_uint_eq(v[0].len, 4);
	ck_assert_int_eq(memcmp(v[0].data, "ping", 4), 0);
	ck_assert_int_eq(from.port, 53);
	ck_assert_int_eq(ifplex_release_lent(c, v, 1), 0);
	/* Nothing queued: a poll that may not wait times out. */
	ck_assert_int_eq(ifplex_conn_poll(c, IFPLEX_POLL_IN, 0, &rev), IFPLEX_ETIMEDOUT);
	ck_assert_int_eq(ifplex_close(c), 0);
}
END_TEST

START_TEST(test_newer_plugin_loads)
{
	struct ifplex_iface i;

	use("fakenew");
	ck_assert_int_eq(ifplex_interface_by_name("eth0", &i), 0);
	ck_assert_int_eq(i.index, 2);
	ifplex_conn *c = dial_fake();
	ck_assert_int_eq(ifplex_close(c), 0);
}
END_TEST

START_TEST(test_host_slots_reach_plugin)
{
	/* The plugin reads the cache mode through IFPLEX_HOST_HAS(host, cache_mode). */
	struct ifplex_options o = {.size = sizeof o, .backend = "fakeold", .cache = "notify",
				   .plugin_path = ifplex_test_env("IFPLEX_TEST_FAKE_DIR")};
	ck_assert_int_eq(ifplex_init(&o), 0);
	ck_assert_str_eq(ifplex_backend_describe("cache_asked"), "notify");
}
END_TEST

START_TEST(test_listing_shows_sizes)
{
	struct ifplex_plugin_info *l;
	size_t n;
	int seen = 0;

	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	ck_assert_int_eq(ifplex_plugins(&l, &n), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(l[i].name, "fakeold") == 0) {
			ck_assert_int_eq(l[i].status, 0);
			ck_assert_uint_eq(l[i].size, IFPLEX_BACKEND_SIZE_MIN);
			seen |= 1;
		} else if (strcmp(l[i].name, "fakenew") == 0) {
			ck_assert_int_eq(l[i].status, 0);
			ck_assert_uint_eq(l[i].size, sizeof(struct ifplex_backend) + 2 * sizeof(void *));
			seen |= 2;
		} else if (strcmp(l[i].name, "short") == 0) {
			ck_assert_int_eq(l[i].status, IFPLEX_EBADPLUGIN);
			ck_assert_uint_eq(l[i].size, offsetof(struct ifplex_backend, interfaces));
			ck_assert_msg(strstr(l[i].message, "/ifplex-short.so: ") != NULL, "%s", l[i].message);
			seen |= 4;
		}
	}
	ck_assert_int_eq(seen, 7);
	ifplex_free(l);
}
END_TEST

START_TEST(test_tool_prints_abi_and_sizes)
{
	char cmd[2048], line[512], want[128];
	int got_core = 0, got_old = 0, in_old = 0;

	snprintf(cmd, sizeof cmd, "IFPLEX_PLUGIN_PATH='%s' IFPLEX_BACKEND=fakeold '%s' backends",
		 ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), ifplex_test_env("IFPLEX_TOOL"));
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	snprintf(want, sizeof want, "  ABI          2, struct of %zu bytes\n", IFPLEX_BACKEND_SIZE_MIN);
	while (fgets(line, sizeof line, p)) {
		char core[128];
		snprintf(core, sizeof core, "core ABI 2 (plugin structs of %zu bytes or more)\n",
			 IFPLEX_BACKEND_SIZE_MIN);
		got_core |= strcmp(line, core) == 0;
		if (line[0] != ' ')
			in_old = strncmp(line, "fakeold ", 8) == 0;
		got_old |= in_old && strcmp(line, want) == 0;
	}
	ck_assert_int_eq(pclose(p), 0);
	ck_assert(got_core);
	ck_assert(got_old);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("growth");
	TCase *tc = tcase_create("abi-growth");

	tcase_add_test(tc, test_old_plugin_works);
	tcase_add_test(tc, test_old_plugin_lacks_new_slots);
	tcase_add_test(tc, test_full_plugin_has_them);
	tcase_add_test(tc, test_newer_plugin_loads);
	tcase_add_test(tc, test_host_slots_reach_plugin);
	tcase_add_test(tc, test_listing_shows_sizes);
	tcase_add_test(tc, test_tool_prints_abi_and_sizes);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
