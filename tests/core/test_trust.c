/* SPDX-License-Identifier: MIT */
/* Loader trust for ordinary processes: relative search-path entries, files
 * and directories writable by others than their owner and root, files of
 * other users, and symlinks whose targets fail those rules are refused with
 * the offending path and the reason.  Each test copies the fake plugin into
 * a fresh directory under the build tree (trusted: root's, 0755) and breaks
 * one rule. */
#include "helpers.h"

#include <fcntl.h>
#include <ifplex.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[1024], dir[1100], file[1200];

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t n;

	ck_assert_msg(in >= 0 && out >= 0, "copy %s to %s", from, to);
	while ((n = read(in, buf, sizeof buf)) > 0)
		ck_assert(write(out, buf, (size_t)n) == n);
	close(in);
	close(out);
	ck_assert_int_eq(chmod(to, mode), 0);
}

/* A trusted directory holding ifplex-fake.so (0644), under the build tree. */
static void setup(void)
{
	char src[1200];

	snprintf(base, sizeof base, "%s/tests/core/trust-XXXXXX", ifplex_test_env("IFPLEX_TEST_BUILDDIR"));
	ck_assert_ptr_nonnull(mkdtemp(base));
	ck_assert_int_eq(chmod(base, 0755), 0);
	snprintf(dir, sizeof dir, "%s/plugins", base);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(src, sizeof src, "%s/ifplex-fake.so", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"));
	snprintf(file, sizeof file, "%s/ifplex-fake.so", dir);
	copy_file(src, file, 0644);
	unsetenv("IFPLEX_BACKEND");
	unsetenv("IFPLEX_PLUGIN_PATH");
}

static void teardown(void)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	ck_assert_int_eq(system(cmd), 0);
}

static int init_fake(const char *path)
{
	struct ifplex_options o = {.size = sizeof o, .backend = "fake", .plugin_path = path};
	return ifplex_init(&o);
}

static void expect_refused(const char *path, const char *fragment)
{
	ck_assert_int_eq(init_fake(path), IFPLEX_EBADPLUGIN);
	const char *e = ifplex_last_error();
	ck_assert_msg(strstr(e, "refusing plugin ") != NULL, "%s", e);
	ck_assert_msg(strstr(e, fragment) != NULL, "want \"%s\" in: %s", fragment, e);
}

START_TEST(test_trusted_loads)
{
	ck_assert_int_eq(init_fake(dir), 0);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
}
END_TEST

START_TEST(test_world_writable_dir)
{
	char want[1300];

	ck_assert_int_eq(chmod(dir, 0777), 0);
	snprintf(want, sizeof want, "directory %s is writable by group and others (mode 0777)", dir);
	expect_refused(dir, want);
}
END_TEST

START_TEST(test_group_writable_dir)
{
	char want[1300];

	ck_assert_int_eq(chmod(dir, 0775), 0);
	snprintf(want, sizeof want, "directory %s is writable by group (mode 0775)", dir);
	expect_refused(dir, want);
}
END_TEST

START_TEST(test_sticky_dir_is_no_excuse)
{
	char want[1300];

	ck_assert_int_eq(chmod(dir, 01777), 0);
	snprintf(want, sizeof want, "directory %s is writable by group and others (mode 1777)", dir);
	expect_refused(dir, want);
}
END_TEST

START_TEST(test_writable_ancestor)
{
	char want[1300];

	/* The plugin's own directory is fine; one above it is not. */
	ck_assert_int_eq(chmod(base, 0757), 0);
	snprintf(want, sizeof want, "directory %s is writable by others (mode 0757)", base);
	expect_refused(dir, want);
}
END_TEST

START_TEST(test_world_writable_file)
{
	char want[1300];

	ck_assert_int_eq(chmod(file, 0666), 0);
	snprintf(want, sizeof want, "file %s is writable by group and others (mode 0666)", file);
	expect_refused(dir, want);
}
END_TEST

START_TEST(test_file_of_another_user)
{
	char want[1300];

	ck_assert_int_eq(chown(file, 65534, 65534), 0);
	snprintf(want, sizeof want, "file %s is owned by uid 65534, not by root or this process's uid 0",
		 file);
	expect_refused(dir, want);
}
END_TEST

START_TEST(test_dir_of_another_user)
{
	char want[1300];

	ck_assert_int_eq(chown(dir, 65534, 65534), 0);
	snprintf(want, sizeof want, "directory %s is owned by uid 65534", dir);
	expect_refused(dir, want);
}
END_TEST

START_TEST(test_symlink_into_tmp)
{
	char tmpdir[] = "/tmp/ifplex-trust-XXXXXX", target[64], link[1300], want[1400];

	/* A link in a trusted directory to a file under /tmp (mode 1777). */
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chmod(tmpdir, 0755), 0);
	snprintf(target, sizeof target, "%s/ifplex-fake.so", tmpdir);
	copy_file(file, target, 0644);
	snprintf(link, sizeof link, "%s/link", base);
	ck_assert_int_eq(mkdir(link, 0755), 0);
	snprintf(link, sizeof link, "%s/link/ifplex-fake.so", base);
	ck_assert_int_eq(symlink(target, link), 0);
	snprintf(link, sizeof link, "%s/link", base);
	snprintf(want, sizeof want, "directory /tmp is writable by group and others (mode 1777) "
		 "(reached through symlink %s/ifplex-fake.so)", link);
	expect_refused(link, want);
	unlink(target);
	rmdir(tmpdir);
}
END_TEST

START_TEST(test_symlink_to_trusted)
{
	char link[1300];

	/* A relative link to a trusted file, in a trusted directory: fine. */
	snprintf(link, sizeof link, "%s/link", base);
	ck_assert_int_eq(mkdir(link, 0755), 0);
	snprintf(link, sizeof link, "%s/link/ifplex-fake.so", base);
	ck_assert_int_eq(symlink("../plugins/./ifplex-fake.so", link), 0);
	snprintf(link, sizeof link, "%s/link", base);
	ck_assert_int_eq(init_fake(link), 0);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
}
END_TEST

START_TEST(test_symlinked_dir_in_untrusted_place)
{
	char tmplink[] = "/tmp/ifplex-trust-link-XXXXXX", path[1300], want[1400];

	/* The directory on the search path is a link that sits in /tmp: whoever
	 * may write /tmp may point it elsewhere.  The link's target is fine. */
	int fd = mkstemp(tmplink);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(tmplink);
	ck_assert_int_eq(symlink(dir, tmplink), 0);
	snprintf(want, sizeof want, "directory /tmp is writable by group and others (mode 1777)");
	snprintf(path, sizeof path, "%s", tmplink);
	expect_refused(path, want);
	unlink(tmplink);
}
END_TEST

START_TEST(test_relative_entries_refused)
{
	/* "." and "lib" would load whatever the working directory holds. */
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(init_fake(".:lib"), IFPLEX_ENOBACKEND);
	const char *e = ifplex_last_error();
	ck_assert_msg(strstr(e, "relative directory \".\" refused, relative directory \"lib\" refused") != NULL,
		      "%s", e);
	/* An absolute entry after a refused one still works. */
	char path[1200];
	snprintf(path, sizeof path, ".:%s", dir);
	ck_assert_int_eq(init_fake(path), 0);
}
END_TEST

START_TEST(test_listing_says_why)
{
	struct ifplex_plugin_info *l;
	size_t n;
	int found = 0;

	ck_assert_int_eq(chmod(file, 0646), 0);
	setenv("IFPLEX_PLUGIN_PATH", dir, 1);
	ck_assert_int_eq(ifplex_plugins(&l, &n), 0);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(l[i].name, "fake") != 0)
			continue;
		found = 1;
		ck_assert_str_eq(l[i].path, file);
		ck_assert_int_eq(l[i].status, IFPLEX_EBADPLUGIN);
		ck_assert_msg(strstr(l[i].message, "is writable by others (mode 0646)") != NULL, "%s",
			      l[i].message);
	}
	ck_assert(found);
	ifplex_free(l);
}
END_TEST

int main(void)
{
	if (geteuid() != 0) {
		/* Giving files to another user needs root. */
		fprintf(stderr, "test_trust: needs root to chown files to another user\n");
		return 77;
	}
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("loader-trust");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_trusted_loads);
	tcase_add_test(tc, test_world_writable_dir);
	tcase_add_test(tc, test_group_writable_dir);
	tcase_add_test(tc, test_sticky_dir_is_no_excuse);
	tcase_add_test(tc, test_writable_ancestor);
	tcase_add_test(tc, test_world_writable_file);
	tcase_add_test(tc, test_file_of_another_user);
	tcase_add_test(tc, test_dir_of_another_user);
	tcase_add_test(tc, test_symlink_into_tmp);
	tcase_add_test(tc, test_symlink_to_trusted);
	tcase_add_test(tc, test_symlinked_dir_in_untrusted_place);
	tcase_add_test(tc, test_relative_entries_refused);
	tcase_add_test(tc, test_listing_says_why);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
