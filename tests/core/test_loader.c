/* SPDX-License-Identifier: MIT */
/* The plugin loader: search order and one exact message per failure.
 * check forks each test, so every test starts with nothing loaded. */
#include "helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>

static char fake_dir[1024], notelf_dir[1024];

static void setup(void)
{
	snprintf(fake_dir, sizeof fake_dir, "%s", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"));
	snprintf(notelf_dir, sizeof notelf_dir, "%s", ifplex_test_env("IFPLEX_TEST_NOTELF_DIR"));
	unsetenv("IFPLEX_BACKEND");
}

static void use(const char *backend, const char *path)
{
	setenv("IFPLEX_BACKEND", backend, 1);
	setenv("IFPLEX_PLUGIN_PATH", path, 1);
}

START_TEST(test_loads_fake)
{
	use("fake", fake_dir);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
	ck_assert_str_eq(ifplex_backend_reason(), "IFPLEX_BACKEND=fake");
	ck_assert_uint_ne(ifplex_backend_caps() & IFPLEX_CAP_INTERFACES, 0);
}
END_TEST

START_TEST(test_search_order)
{
	/* A missing directory first, then the real one: the second is found. */
	char path[2100];
	snprintf(path, sizeof path, "/nonexistent/a:%s", fake_dir);
	use("fake", path);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
}
END_TEST

START_TEST(test_not_found_lists_paths)
{
	use("nosuch", "/nonexistent/a:/nonexistent/b");
	ck_assert_ptr_null(ifplex_backend_name());
	ck_assert_int_eq(ifplex_last_error_code(), IFPLEX_ENOBACKEND);
	const char *e = ifplex_last_error();
	ck_assert_msg(strstr(e, "IFPLEX_BACKEND=nosuch: backend nosuch not found (tried "
				"/nonexistent/a/ifplex-nosuch.so, /nonexistent/b/ifplex-nosuch.so, ") != NULL,
		      "message: %s", e);
	ck_assert_msg(strstr(e, "/plugins/ifplex-nosuch.so)") != NULL, "installed dir missing: %s", e);
	/* The failure is remembered: asking again gives the same answer. */
	struct ifplex_iface *l;
	size_t n;
	ck_assert_int_eq(ifplex_interfaces(&l, &n), IFPLEX_ENOBACKEND);
	ck_assert_msg(strstr(ifplex_last_error(), "backend nosuch not found") != NULL, "%s", ifplex_last_error());
}
END_TEST

static void expect_bad(const char *name, const char *dir, const char *fragment)
{
	char want_path[1200];

	use(name, dir);
	ck_assert_ptr_null(ifplex_backend_name());
	ck_assert_int_eq(ifplex_last_error_code(), IFPLEX_EBADPLUGIN);
	snprintf(want_path, sizeof want_path, "%s/ifplex-%s.so", dir, name);
	ck_assert_msg(strstr(ifplex_last_error(), want_path) != NULL, "no file name in: %s", ifplex_last_error());
	ck_assert_msg(strstr(ifplex_last_error(), fragment) != NULL, "want \"%s\" in: %s", fragment,
		      ifplex_last_error());
}

START_TEST(test_abi_mismatch)
{
	char want[64];
	snprintf(want, sizeof want, "plugin ABI %u, core ABI %u", ifplex_backend_abi() + 1, ifplex_backend_abi());
	expect_bad("badabi", fake_dir, "ABI mismatch loading module");
	ck_assert_msg(strstr(ifplex_last_error(), want) != NULL, "%s", ifplex_last_error());
}
END_TEST

START_TEST(test_struct_too_small)
{
	expect_bad("short", fake_dir, "plugin struct too small");
	ck_assert_msg(strstr(ifplex_last_error(), "bytes, ABI 2 needs at least") != NULL, "%s", ifplex_last_error());
}
END_TEST

START_TEST(test_no_entry)
{
	expect_bad("noentry", fake_dir, "not an ifplex plugin");
	ck_assert_msg(strstr(ifplex_last_error(), "no symbol ifplex_backend_entry") != NULL, "%s",
		      ifplex_last_error());
}
END_TEST

START_TEST(test_entry_null)
{
	expect_bad("null", fake_dir, "ifplex_backend_entry returned NULL");
}
END_TEST

START_TEST(test_not_elf)
{
	expect_bad("notelf", notelf_dir, "cannot load plugin");
}
END_TEST

START_TEST(test_misnamed)
{
	expect_bad("misnamed", fake_dir, "calls itself \"someone-else\"");
}
END_TEST

START_TEST(test_invalid_name)
{
	use("../../etc/passwd", fake_dir);
	ck_assert_ptr_null(ifplex_backend_name());
	ck_assert_int_eq(ifplex_last_error_code(), IFPLEX_ENOBACKEND);
	ck_assert_msg(strstr(ifplex_last_error(), "invalid backend name") != NULL, "%s", ifplex_last_error());
}
END_TEST

START_TEST(test_auto_names_os_default)
{
	/* auto on Linux wants netlink; from a directory without it, it says so. */
	use("auto", fake_dir);
	setenv("IFPLEX_PLUGIN_PATH", "/nonexistent", 1);
	unsetenv("IFPLEX_BACKEND");
	const char *name = ifplex_backend_name();
	if (name) {
		/* The installed directory had one: then it is the OS default. */
		ck_assert_str_eq(name, "netlink");
		return;
	}
	ck_assert_msg(strstr(ifplex_last_error(), "auto on linux chose netlink") != NULL, "%s",
		      ifplex_last_error());
}
END_TEST

START_TEST(test_init_recovers_after_failed_load)
{
	/* A failed search must not stick to the name: new choices load. */
	use("fake", "/nonexistent");
	ck_assert_ptr_null(ifplex_backend_name());
	ck_assert_int_eq(ifplex_last_error_code(), IFPLEX_ENOBACKEND);
	struct ifplex_options o = {.size = sizeof o, .backend = "fake", .plugin_path = fake_dir};
	ck_assert_int_eq(ifplex_init(&o), 0);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
}
END_TEST

START_TEST(test_auto_table)
{
	/* One table names the default of every system; the core's code names none. */
	ck_assert_str_eq(ifplex_backend_auto("linux"), "netlink");
	ck_assert_str_eq(ifplex_backend_auto(NULL), "netlink");
	static const char *const bsd[] = {"freebsd", "darwin", "netbsd", "openbsd", "dragonfly"};
	for (size_t i = 0; i < sizeof bsd / sizeof bsd[0]; i++)
		ck_assert_str_eq(ifplex_backend_auto(bsd[i]), "routesock");
	ck_assert_str_eq(ifplex_backend_auto("windows"), "win32");
	ck_assert_str_eq(ifplex_backend_auto("plan9"), "plan9");
	ck_assert_ptr_null(ifplex_backend_auto("haiku"));
	ck_assert_ptr_null(ifplex_backend_auto(""));
}
END_TEST

START_TEST(test_init_in_code)
{
	struct ifplex_options o = {.size = sizeof o, .backend = "fake", .plugin_path = fake_dir};

	setenv("IFPLEX_BACKEND", "nosuch", 1);
	ck_assert_int_eq(ifplex_init(&o), 0);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
	ck_assert_str_eq(ifplex_backend_reason(), "ifplex_init=fake");
	/* Another choice once active is refused. */
	struct ifplex_options other = {.size = sizeof other, .backend = "badabi"};
	ck_assert_int_eq(ifplex_init(&other), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_init(&o), 0);
	/* The listing searches the path given in code, not the environment. */
	setenv("IFPLEX_PLUGIN_PATH", "/nonexistent", 1);
	struct ifplex_plugin_info *l;
	size_t n;
	int fake = 0;
	ck_assert_int_eq(ifplex_plugins(&l, &n), 0);
	for (size_t i = 0; i < n; i++)
		fake |= strcmp(l[i].name, "fake") == 0;
	ck_assert(fake);
	ifplex_free(l);
}
END_TEST

START_TEST(test_plugins_listing)
{
	char path[2100];
	struct ifplex_plugin_info *l;
	size_t n;
	int seen = 0;

	snprintf(path, sizeof path, "%s:%s", fake_dir, notelf_dir);
	use("fake", path);
	ck_assert_int_eq(ifplex_plugins(&l, &n), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(l[i].name, "fake") == 0) {
			ck_assert_int_eq(l[i].status, 0);
			ck_assert_uint_eq(l[i].abi, ifplex_backend_abi());
			seen |= 1;
		} else if (strcmp(l[i].name, "badabi") == 0) {
			ck_assert_int_eq(l[i].status, IFPLEX_EBADPLUGIN);
			ck_assert_msg(strstr(l[i].message, "ABI mismatch") != NULL, "%s", l[i].message);
			seen |= 2;
		} else if (strcmp(l[i].name, "notelf") == 0) {
			ck_assert_int_eq(l[i].status, IFPLEX_EBADPLUGIN);
			seen |= 4;
		}
	}
	ck_assert_int_eq(seen, 7);
	ifplex_free(l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("loader");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_loads_fake);
	tcase_add_test(tc, test_search_order);
	tcase_add_test(tc, test_not_found_lists_paths);
	tcase_add_test(tc, test_abi_mismatch);
	tcase_add_test(tc, test_struct_too_small);
	tcase_add_test(tc, test_no_entry);
	tcase_add_test(tc, test_entry_null);
	tcase_add_test(tc, test_not_elf);
	tcase_add_test(tc, test_misnamed);
	tcase_add_test(tc, test_invalid_name);
	tcase_add_test(tc, test_auto_names_os_default);
	tcase_add_test(tc, test_init_recovers_after_failed_load);
	tcase_add_test(tc, test_auto_table);
	tcase_add_test(tc, test_init_in_code);
	tcase_add_test(tc, test_plugins_listing);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
