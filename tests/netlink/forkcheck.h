/* SPDX-License-Identifier: MIT */
/* Fork and check in the child: the cache and snapshot tests each run a
 * child that reads what the parent built, changes a link and reads again.
 * The child reports by its exit status, since check's assertions cannot
 * reach the parent from there. */
#ifndef IFPLEX_TEST_NL_FORKCHECK_H
#define IFPLEX_TEST_NL_FORKCHECK_H

#include <check.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs child(arg) in a forked process and asserts that it returned 0; a
 * non-zero return names the step that failed in the message. */
static inline void fork_check(int (*child)(void *arg), void *arg)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(child(arg));
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child failed with %d", WEXITSTATUS(st));
}

#endif
