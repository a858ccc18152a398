/* SPDX-License-Identifier: MIT */
/* `ifplex watch` in a namespace of its own: every change as a line, also
 * an address added and deleted by one ip -batch (which a watch that polled
 * and compared listings never printed), JSON and text. */
#define _GNU_SOURCE
#include "../helpers.h"
#include "../netns.h"

#include <ifplex.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static void setup(void)
{
	netns_enter();
}

struct watch {
	pid_t pid;
	int fd;
	char out[1 << 16];
	size_t len;
};

static void watch_start(struct watch *w, int json, const char *for_ms)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	w->pid = fork();
	ck_assert_int_ge(w->pid, 0);
	if (w->pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		const char *tool = ifplex_test_env("IFPLEX_TOOL");
		if (json)
			execl(tool, "ifplex", "--json", "watch", for_ms, (char *)NULL);
		else
			execl(tool, "ifplex", "watch", for_ms, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	w->fd = p[0];
	w->len = 0;
	w->out[0] = '\0';
}

/* Read until want appears after position from (or 10 s pass); where the
 * line holding it ends, 0 if it never came. */
static size_t watch_until(struct watch *w, size_t from, const char *want, int ms)
{
	for (int waited = 0; waited < ms; waited += 10) {
		char *hit = strstr(w->out + from, want);
		char *eol = hit ? strchr(hit, '\n') : NULL;
		if (eol)
			return (size_t)(eol + 1 - w->out);
		struct pollfd p = {.fd = w->fd, .events = POLLIN};
		if (poll(&p, 1, 10) == 1) {
			ssize_t n = read(w->fd, w->out + w->len, sizeof w->out - 1 - w->len);
			if (n <= 0)
				break;
			w->len += (size_t)n;
			w->out[w->len] = '\0';
		}
	}
	return 0;
}

/* Until watch prints a probe link, it is still starting. */
static void watch_live(struct watch *w, int json)
{
	for (int i = 0; i < 100; i++) {
		char probe[48];
		snprintf(probe, sizeof probe, json ? "\"name\":\"wp%d\"" : " wp%d ", i);
		sh("ip link add wp%d type veth peer name wq%d", i, i);
		if (watch_until(w, 0, probe, 200))
			return;
	}
	ck_abort_msg("watch never printed a change: %s", w->out);
}

static int watch_stop(struct watch *w)
{
	int st;

	kill(w->pid, SIGTERM);
	ck_assert_int_eq(waitpid(w->pid, &st, 0), w->pid);
	close(w->fd);
	return st;
}

START_TEST(test_batch_json)
{
	struct watch *w = calloc(1, sizeof *w);

	sh("ip link add wt0 type veth peer name wt1");
	watch_start(w, 1, "--for=60000");
	watch_live(w, 1);
	size_t at = w->len;
	sh("printf 'addr add 10.33.0.9/24 dev wt0\\naddr del 10.33.0.9/24 dev wt0\\n' | ip -batch -");
	size_t added = watch_until(w, at, "{\"event\":\"newaddr\",\"index\"", 10000);
	ck_assert_msg(added && strstr(w->out + at, "\"addr\":\"10.33.0.9/24\""), "%s", w->out + at);
	size_t removed = watch_until(w, added, "{\"event\":\"deladdr\",\"index\"", 10000);
	ck_assert_msg(removed, "no deladdr after the newaddr: %s", w->out + at);
	ck_assert_ptr_nonnull(strstr(w->out + added, "\"addr\":\"10.33.0.9/24\""));
	ck_assert_ptr_nonnull(strstr(w->out + at, "\"ifname\":\"wt0\""));
	/* A link's change says what changed. */
	sh("ip link set wt0 mtu 1400");
	ck_assert_msg(watch_until(w, removed, "\"changed\":[\"mtu\"]", 10000), "%s", w->out + removed);
	int st = watch_stop(w);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "watch ended with %#x", st);
	/* One JSON object per line. */
	for (char *line = strtok(w->out, "\n"); line; line = strtok(NULL, "\n"))
		ck_assert_msg(line[0] == '{' && line[strlen(line) - 1] == '}', "not a JSON line: %s", line);
	free(w);
}
END_TEST

START_TEST(test_batch_text)
{
	struct watch *w = calloc(1, sizeof *w);

	sh("ip link add wt0 type veth peer name wt1");
	watch_start(w, 0, "--for=60000");
	watch_live(w, 0);
	size_t at = w->len;
	sh("printf 'addr add 10.33.0.9/24 dev wt0\\naddr del 10.33.0.9/24 dev wt0\\n' | ip -batch -");
	size_t added = watch_until(w, at, "addr-added   wt0", 10000);
	ck_assert_msg(added, "%s", w->out + at);
	ck_assert_msg(watch_until(w, added, "addr-removed wt0", 10000), "%s", w->out + at);
	ck_assert_ptr_nonnull(strstr(w->out + at, " 10.33.0.9/24"));
	watch_stop(w);
	free(w);
}
END_TEST

/* --for=MS ends the watch by itself, with status 0. */
START_TEST(test_for_ends)
{
	struct watch *w = calloc(1, sizeof *w);
	int st;

	watch_start(w, 1, "--for=300");
	ck_assert_int_eq(waitpid(w->pid, &st, 0), w->pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "watch ended with %#x", st);
	close(w->fd);
	free(w);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("netns");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_batch_json);
	tcase_add_test(tc, test_batch_text);
	tcase_add_test(tc, test_for_ends);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
