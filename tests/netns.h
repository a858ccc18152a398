/* SPDX-License-Identifier: MIT */
/* Network namespaces for integration tests: every test that changes links
 * runs in a namespace of its own, never on the host's interfaces. */
#ifndef IFPLEX_TEST_NETNS_H
#define IFPLEX_TEST_NETNS_H

#define _GNU_SOURCE
#include <check.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit 77 with a reason unless this process may make namespaces and veth
 * links; probed in a child so that the caller stays where it is. */
static inline void netns_require(void)
{
	const char *why = NULL;

	if (geteuid() != 0)
		why = "needs root to create network namespaces";
	else if (system("command -v ip >/dev/null 2>&1") != 0)
		why = "needs the ip command (iproute2)";
	if (!why) {
		pid_t pid = fork();
		if (pid == 0) {
			if (unshare(CLONE_NEWNET) < 0)
				_exit(1);
			_exit(system("ip link add ifplex-probe0 type veth peer name ifplex-probe1 >/dev/null 2>&1") == 0 ? 0 : 2);
		}
		int st = 0;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) == 1)
			why = "cannot create a network namespace (unshare CLONE_NEWNET)";
		else if (WEXITSTATUS(st) != 0)
			why = "cannot create veth links in a network namespace";
	}
	if (why) {
		printf("SKIP: %s\n", why);
		exit(77);
	}
}

/* Move the calling (forked) test into a fresh namespace with lo up. */
static inline void netns_enter(void)
{
	ck_assert_msg(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET) failed");
	ck_assert_int_eq(system("ip link set lo up"), 0);
}

/* Run a shell command and require success. */
#define sh(...)                                                              \
	do {                                                                 \
		char cmd_[4096];                                             \
		snprintf(cmd_, sizeof cmd_, __VA_ARGS__);                    \
		ck_assert_msg(system(cmd_) == 0, "command failed: %s", cmd_); \
	} while (0)

#endif
