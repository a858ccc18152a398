/* SPDX-License-Identifier: MIT */
/* Transient failures while loading or opening the backend are retried by
 * the next call: out of descriptors (RLIMIT_NOFILE) and out of memory (the
 * N-th allocation failing, for every N the first call makes, through an
 * LD_PRELOAD interposer).  Lasting failures stay remembered (test_loader). */
#include "netns.h"
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <ifplex.h>
#include <string.h>
#include <sys/resource.h>

#include "list_once.h"

/* Open /dev/null until only `spare` descriptors are left below the limit;
 * returns how many were opened into fds. */
static int fill_fds(int *fds, int max, int spare)
{
	int n = 0;

	while (n < max) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	for (int i = 0; i < spare && n > 0; i++)
		close(fds[--n]);
	return n;
}

static void limit_fds(void)
{
	struct rlimit rl = {64, 64};
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

START_TEST(test_emfile_then_retry)
{
	int fds[64];

	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	setenv("IFPLEX_BACKEND", "fake", 1);
	limit_fds();
	int n = fill_fds(fds, 64, 0);
	int rc = list_once();
	ck_assert_int_eq(rc, -EMFILE);
	ck_assert_msg(strstr(ifplex_last_error(), "ifplex-fake.so") != NULL, "%s", ifplex_last_error());
	ck_assert_msg(strstr(ifplex_last_error(), "Too many open files") != NULL, "%s", ifplex_last_error());
	/* Still out of descriptors: the same answer, tried again. */
	ck_assert_int_eq(list_once(), -EMFILE);
	while (n > 0)
		close(fds[--n]);
	ck_assert_int_eq(list_once(), 0);
	ck_assert_str_eq(ifplex_backend_name(), "fake");
}
END_TEST

START_TEST(test_emfile_netlink_every_step)
{
	/* Leave 0, 1, 2 ... descriptors so that loading, opening the netlink
	 * socket and setting up the cache each run out in turn. */
	netns_enter();
	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_PLUGINS"), 1);
	setenv("IFPLEX_BACKEND", "netlink", 1);
	int succeeded_at = -1;
	for (int spare = 0; spare < 16 && succeeded_at < 0; spare++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			int fds[64];
			limit_fds();
			int n = fill_fds(fds, 64, spare);
			int first = list_once();
			while (n > 0)
				close(fds[--n]);
			int second = list_once(), third = list_once();
			if (second != 0 || third != 0) {
				fprintf(stderr, "spare %d: first %d, then %d %d: %s\n", spare, first, second,
					third, ifplex_last_error());
				_exit(1);
			}
			_exit(first == 0 ? 10 : 0);
		}
		int st;
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert_msg(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 10),
			      "with %d spare descriptors the call after the failure failed (status %d)",
			      spare, st);
		if (WEXITSTATUS(st) == 10)
			succeeded_at = spare;
	}
	ck_assert_msg(succeeded_at > 0, "the first call never ran out of descriptors (%d)", succeeded_at);
}
END_TEST

/* Run the driver for every N until the first call no longer reaches the
 * N-th allocation; each run must end with a working second call. */
static void fail_each_allocation(const char *backend, const char *dir)
{
	char preload[1200], driver[1200], nbuf[32];
	long n;
	int failures = 0;

	snprintf(preload, sizeof preload, "%s/tests/fake/.libs/failalloc.so",
		 ifplex_test_env("IFPLEX_TEST_BUILDDIR"));
	snprintf(driver, sizeof driver, "%s/tests/core/alloc_driver", ifplex_test_env("IFPLEX_TEST_BUILDDIR"));
	setenv("IFPLEX_PLUGIN_PATH", dir, 1);
	setenv("IFPLEX_BACKEND", backend, 1);
	setenv("LD_PRELOAD", preload, 1);
	/* With AddressSanitizer the interposer sits between the program and
	 * the sanitizer's allocator, which asan's start-up check dislikes. */
	char asan[512];
	const char *was = getenv("ASAN_OPTIONS");
	snprintf(asan, sizeof asan, "%s%sverify_asan_link_order=0", was ? was : "", was && *was ? ":" : "");
	setenv("ASAN_OPTIONS", asan, 1);
	for (n = 1; n < 100000; n++) {
		int out[2];
		ck_assert_int_eq(pipe(out), 0);
		snprintf(nbuf, sizeof nbuf, "%ld", n);
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			dup2(out[1], 1);
			execl(driver, driver, nbuf, (char *)NULL);
			_exit(127);
		}
		close(out[1]);
		char line[128] = "";
		ssize_t got = read(out[0], line, sizeof line - 1);
		close(out[0]);
		line[got > 0 ? got : 0] = '\0';
		int st;
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			      "%s: failing allocation %ld: status %d, driver said \"%s\"", backend, n, st,
			      line);
		int reached = 0, first = 0, second = 0;
		long count = 0;
		ck_assert_int_eq(sscanf(line, "%d %d %d %ld", &reached, &first, &second, &count), 4);
		if (!reached)
			break;
		failures += first != 0;
	}
	unsetenv("LD_PRELOAD");
	ck_assert_msg(n > 1 && n < 100000, "%s: %ld allocations", backend, n);
	/* Some failures must have reached the caller, or nothing was tested. */
	ck_assert_msg(failures > 0, "%s: no allocation failure was seen by the first call", backend);
}

START_TEST(test_alloc_failure_fake)
{
	fail_each_allocation("fake", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"));
}
END_TEST

START_TEST(test_alloc_failure_netlink)
{
	netns_enter();
	fail_each_allocation("netlink", ifplex_test_env("IFPLEX_TEST_PLUGINS"));
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("transient");
	TCase *tc = tcase_create("transient-failures");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_emfile_then_retry);
	tcase_add_test(tc, test_emfile_netlink_every_step);
	tcase_add_test(tc, test_alloc_failure_fake);
	tcase_add_test(tc, test_alloc_failure_netlink);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
