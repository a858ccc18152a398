/* SPDX-License-Identifier: MIT */
/* Set-uid and set-capability programs ignore the environment: with
 * IFPLEX_PLUGIN_PATH and IFPLEX_BACKEND pointing at the fake plugin, a
 * privileged copy of tests/core/secure_probe still takes auto's choice from
 * the installed directory.  The same copy without privileges takes the
 * environment's choice, so that the test can fail. */
#define _GNU_SOURCE
#include "helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

static char dir[1024], prog[1200];

static void setup(void)
{
	char src[1200], cmd[2600];

	snprintf(dir, sizeof dir, "%s/tests/core/secure-XXXXXX", ifplex_test_env("IFPLEX_TEST_BUILDDIR"));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(src, sizeof src, "%s/tests/core/secure_probe", ifplex_test_env("IFPLEX_TEST_BUILDDIR"));
	snprintf(prog, sizeof prog, "%s/secure_probe", dir);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, prog);
	ck_assert_int_eq(system(cmd), 0);
	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	setenv("IFPLEX_BACKEND", "fake", 1);
}

static void teardown(void)
{
	char cmd[1100];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Run prog as uid (or as root for -1); its one line of output. */
static void run_as(int uid, char *out, size_t len)
{
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		if (uid >= 0 && (setgid((gid_t)uid) < 0 || setuid((uid_t)uid) < 0))
			_exit(3);
		execl(prog, prog, (char *)NULL);
		_exit(4);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
}

static void expect_environment_ignored(const char *out)
{
	ck_assert_msg(strstr(out, "fake") == NULL, "the environment was read: %s", out);
	ck_assert_msg(strstr(out, "auto on linux chose netlink") != NULL, "%s", out);
}

START_TEST(test_plain_program_reads_environment)
{
	char out[4096];

	run_as(-1, out, sizeof out);
	ck_assert_str_eq(out, "active fake (IFPLEX_BACKEND=fake)\n");
	run_as(NOBODY, out, sizeof out);
	ck_assert_str_eq(out, "active fake (IFPLEX_BACKEND=fake)\n");
}
END_TEST

START_TEST(test_setuid_program_ignores_environment)
{
	char out[4096];

	/* Root runs a program set-uid to nobody: AT_SECURE. */
	ck_assert_int_eq(chown(prog, NOBODY, NOBODY), 0);
	ck_assert_int_eq(chmod(prog, 04755), 0);
	run_as(-1, out, sizeof out);
	expect_environment_ignored(out);
}
END_TEST

START_TEST(test_setcap_program_ignores_environment)
{
	char out[4096], cmd[1300];

	/* Nobody runs a program that gains a capability: AT_SECURE. */
	snprintf(cmd, sizeof cmd, "setcap cap_net_raw+ep '%s'", prog);
	ck_assert_int_eq(system(cmd), 0);
	run_as(NOBODY, out, sizeof out);
	expect_environment_ignored(out);
}
END_TEST

int main(void)
{
	if (geteuid() != 0 || system("command -v setcap >/dev/null 2>&1") != 0) {
		printf("SKIP: test_secure needs root and setcap (libcap2-bin)\n");
		return 77;
	}
	Suite *s = suite_create("secure");
	TCase *tc = tcase_create("secure-environment");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_plain_program_reads_environment);
	tcase_add_test(tc, test_setuid_program_ignores_environment);
	tcase_add_test(tc, test_setcap_program_ignores_environment);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
