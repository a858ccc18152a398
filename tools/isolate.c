/* SPDX-License-Identifier: MIT */
/* Run a step that executes plugin code in a child process, so that a
 * plugin crashing or hanging in its constructor or entry point costs the
 * child, not the command: `ifplex backends` lists every file this way. */
#include "tool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly len bytes from fd before the deadline; how many arrived,
 * and whether the time ran out first. */
static size_t read_all(int fd, void *out, size_t len, int64_t deadline, int *late)
{
	size_t got = 0;

	*late = 0;
	while (got < len) {
		int64_t left = deadline - now_ms();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			*late = 1;
			break;
		}
		if (r < 0)
			break;
		ssize_t n = read(fd, (char *)out + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

int run_isolated(const struct isolated_step *step, const void *in, size_t inlen, void *out,
		 size_t len, int timeout_ms, char *why, size_t whylen)
{
	int fds[2];

	if (pipe(fds) < 0) {
		snprintf(why, whylen, "cannot probe: pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "cannot probe: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		/* A crash is the child's death by signal, whatever handlers the
		 * program (or a sanitizer runtime) installed. */
		static const int crash[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
		for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
			signal(crash[i], SIG_DFL);
		close(fds[0]);
		step->fn(in, inlen, out);
		_exit(write(fds[1], out, len) == (ssize_t)len ? 0 : 1);
	}
	close(fds[1]);
	int late, st = 0;
	size_t got = read_all(fds[0], out, len, now_ms() + timeout_ms, &late);
	close(fds[0]);
	if (late)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (late) {
		snprintf(why, whylen, "did not finish loading within %d s (killed)", timeout_ms / 1000);
		return -1;
	}
	if (WIFSIGNALED(st)) {
		snprintf(why, whylen, "crashed with signal %d (%s) while loading", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
		return -1;
	}
	if (got < len) {
		snprintf(why, whylen, "exited with status %d while loading",
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return -1;
	}
	return 0;
}
