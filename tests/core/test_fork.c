/* SPDX-License-Identifier: MIT */
/* fork() from a program whose threads are busy in ifplex: choosing the
 * backend (ifplex_init), loading plugins (ifplex_plugins) and opening and
 * closing connections hold the core's locks all the time; every child must
 * still get through its own calls (a child stuck on a lock held by a thread
 * it does not have is killed by its alarm and fails the test). */
#include "helpers.h"

#include <ifplex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static _Atomic int stop;
static struct ifplex_options opts;

static void *busy_init(void *arg)
{
	while (!atomic_load(&stop))
		ifplex_init(&opts);
	return NULL;
}

static void *busy_plugins(void *arg)
{
	struct ifplex_plugin_info *l;
	size_t n;

	while (!atomic_load(&stop))
		if (ifplex_plugins(&l, &n) == 0)
			ifplex_free(l);
	return NULL;
}

static void *busy_conns(void *arg)
{
	ifplex_conn *c;

	while (!atomic_load(&stop))
		if (ifplex_dial("udp", "192.0.2.2:53", &c) == 0)
			ifplex_close(c);
	return NULL;
}

static int sanitized(void)
{
	const char *v = getenv("IFPLEX_TEST_SANITIZED");
	return v && strcmp(v, "yes") == 0;
}

/* What a child does: every path that takes one of the core's locks.  In a
 * sanitizer build only paths that allocate nothing: gcc 12's libasan does
 * not keep its allocator's lock across fork, so a child's malloc can hang
 * on it whatever ifplex does. */
static int child_work(struct ifplex_plugin_info *probe)
{
	struct ifplex_plugin_info *l;
	struct ifplex_iface *ifs;
	ifplex_conn *c;
	size_t n;
	long not_a_conn = 0;

	sigset_t alrm;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	signal(SIGALRM, SIG_DFL);
	alarm(5);
	if (ifplex_init(&opts) != 0)                            /* the backend lock */
		return 1;
	if (ifplex_plugin_probe(probe) != 0 || probe->status != 0) /* the loader's */
		return 2;
	if (ifplex_close((ifplex_conn *)&not_a_conn) != IFPLEX_ECLOSED) /* the handles' */
		return 3;
	if (sanitized())
		return 0;
	if (ifplex_interfaces(&ifs, &n) != 0)
		return 1;
	ifplex_free(ifs);
	if (ifplex_plugins(&l, &n) != 0)
		return 5;
	ifplex_free(l);
	if (ifplex_dial("udp", "192.0.2.2:53", &c) != 0 || ifplex_close(c) != 0)
		return 6;
	return 0;
}

START_TEST(test_fork_while_threads_busy)
{
	pthread_t t[3];
	int hung = 0, failed = 0;

	opts = (struct ifplex_options){.size = sizeof opts, .backend = "fakeconn",
				       .plugin_path = ifplex_test_env("IFPLEX_TEST_FAKE_DIR")};
	ck_assert_msg(ifplex_init(&opts) == 0, "%s", ifplex_last_error());
	struct ifplex_plugin_info probe = {.name = "fakeconn"};
	snprintf(probe.path, sizeof probe.path, "%s/ifplex-fakeconn.so", opts.plugin_path);
	ck_assert_int_eq(ifplex_plugin_probe(&probe), 0);
	ck_assert_int_eq(pthread_create(&t[0], NULL, busy_init, NULL), 0);
	ck_assert_int_eq(pthread_create(&t[1], NULL, busy_plugins, NULL), 0);
	ck_assert_int_eq(pthread_create(&t[2], NULL, busy_conns, NULL), 0);
	int i;
	for (i = 0; i < 100 && !hung && !failed; i++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			_exit(child_work(&probe));
		int st;
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
			hung++;
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed = WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	ck_assert_msg(hung == 0 && failed == 0, "child %d of 100 %s (%d)", i, hung ? "hung" : "failed",
		      failed);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fork");
	TCase *tc = tcase_create("fork");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_fork_while_threads_busy);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
