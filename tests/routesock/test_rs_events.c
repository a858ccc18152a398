/* SPDX-License-Identifier: MIT */
/* Change events over PF_ROUTE, by replay: for every layout, the streams
 * ribgen.py writes (routing-socket reads in each system's message format)
 * go through ifplex_events_open/read while the RIB file plays the kernel's
 * state: an address added and deleted, a link taken down, a link come,
 * renamed and gone (RTM_IFANNOUNCE), a group joined and left, a truncated
 * read, an overflow (ENOBUFS) and OpenBSD's RTM_DESYNC, each loss followed
 * by RESYNC, the state, SYNCED.  Then the wait descriptor of a FIFO, a
 * forked child's own source, and the errors of a stream that is missing,
 * unframed or oversized. */
#define _GNU_SOURCE
#include "fixtures.h"

#include <ifplex.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[256];

static void setup(void)
{
	snprintf(tmp, sizeof tmp, "/tmp/ifplex-rs-events-XXXXXX");
	ck_assert(mkdtemp(tmp) != NULL);
}

static void teardown(void)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

static void put_file(const char *path, const char *data, size_t len, int append)
{
	char part[600];
	snprintf(part, sizeof part, "%s.part", path);
	int fd = open(append ? path : part, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	/* The state changes at once, as a kernel's would. */
	if (!append)
		ck_assert_int_eq(rename(part, path), 0);
}

/* The fixture file name as the state (RIB) or appended to the stream. */
static void feed(const char *name, const char *to, int append)
{
	size_t len;
	char *data = rs_slurp(name, &len);
	put_file(to, data, len, append);
	free(data);
}

static void use(const char *rib, const char *events)
{
	setenv("IFPLEX_BACKEND", "routesock", 1);
	setenv("IFPLEX_ROUTESOCK_RIB", rib, 1);
	if (events)
		setenv("IFPLEX_ROUTESOCK_EVENTS", events, 1);
	else
		unsetenv("IFPLEX_ROUTESOCK_EVENTS");
}

static const char *const changed_names[] = {"flags", "mtu", "name", "hwaddr", "other"};

static void event_line(const struct ifplex_event *e, char *line, size_t len)
{
	const char *kind = ifplex_event_kind_name(e->kind);
	char a[IFPLEX_ADDR_STRLEN], hw[64], fl[128];

	switch (e->kind) {
	case IFPLEX_EV_RESYNC:
	case IFPLEX_EV_SYNCED:
		snprintf(line, len, "%s", kind);
		return;
	case IFPLEX_EV_LINK_ADDED:
	case IFPLEX_EV_LINK_CHANGED:
	case IFPLEX_EV_LINK_REMOVED:
		if (e->link.hwaddr_len)
			ck_assert_int_ge(ifplex_hwaddr_string(e->link.hwaddr, e->link.hwaddr_len, hw, sizeof hw), 0);
		snprintf(line, len, "%s %d %s mtu=%d flags=%s hw=%s", kind, e->index, e->name[0] ? e->name : "-",
			 e->link.mtu, rs_flag_text(e->link.flags, fl, sizeof fl), e->link.hwaddr_len ? hw : "-");
		ck_assert_str_eq(e->link.name, e->name);
		if (e->kind == IFPLEX_EV_LINK_CHANGED) {
			snprintf(line + strlen(line), len - strlen(line), " changed=");
			for (int i = 0, first = 1; i < 5; i++)
				if (e->changed & 1u << i) {
					snprintf(line + strlen(line), len - strlen(line), "%s%s", first ? "" : "|",
						 changed_names[i]);
					first = 0;
				}
		}
		break;
	default:
		ck_assert_int_eq(ifplex_addr_string(&e->addr, a, sizeof a), 0);
		snprintf(line, len, "%s %d %s %s", kind, e->index, e->name[0] ? e->name : "-", a);
	}
	if (e->flags & IFPLEX_EVF_SYNC)
		snprintf(line + strlen(line), len - strlen(line), " sync");
	if (e->flags & IFPLEX_EVF_IMPLIED)
		snprintf(line + strlen(line), len - strlen(line), " implied");
}

/* Read until want events came (or 5 s passed), then check none follows. */
static void read_events(ifplex_events *ev, size_t want, struct rs_text *got, uint64_t *generation)
{
	struct ifplex_event buf[16];
	size_t n = 0;
	int64_t deadline = ifplex_now() + 5000000000LL;

	while (n < want && ifplex_now() < deadline) {
		int k = ifplex_events_read(ev, buf, want - n < 16 ? want - n : 16, deadline);
		ck_assert_msg(k >= 0, "events read: %s", ifplex_last_error());
		for (int i = 0; i < k; i++) {
			char line[1024];
			event_line(&buf[i], line, sizeof line);
			ck_assert_uint_eq(buf[i].generation, ++*generation);
			rs_text_add(got, line);
		}
		n += (size_t)k;
	}
	int more = ifplex_events_read(ev, buf, 16, 0);
	if (more > 0) {
		char line[1024];
		event_line(&buf[0], line, sizeof line);
		ck_abort_msg("an event more than expected: %s (after\n%s)", line, got->s ? got->s : "");
	}
	ck_assert_int_eq(more, 0);
}

START_TEST(test_streams)
{
	const struct rs_fixture *fx = &rs_layouts[_i];
	char name[128], rib[300], events[300], line[1024];
	ifplex_events *ev;
	uint64_t generation = 0;

	snprintf(rib, sizeof rib, "%s/state.rib", tmp);
	snprintf(events, sizeof events, "%s/stream", tmp);
	snprintf(name, sizeof name, "%s.rib", fx->base);
	feed(name, rib, 0);
	put_file(events, "", 0, 0);
	use(rib, events);
	snprintf(name, sizeof name, "%s.events", fx->base);
	char *script = rs_slurp(name, NULL);
	unsigned mask = strncmp(script, "mask all\n", 9) == 0 ? IFPLEX_EVENTS_ALL
							      : IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS;
	ck_assert_msg(ifplex_events_open(mask, &ev) == 0, "%s: %s", fx->base, ifplex_last_error());
	int steps = 0;
	for (char *p = strchr(script, '\n') + 1; *p;) {
		char step[64], ribname[128], streamname[128];
		ck_assert_int_eq(sscanf(p, "step %63s %127s %127s", step, ribname, streamname), 3);
		p = strchr(p, '\n') + 1;
		struct rs_text want = {0}, got = {0};
		size_t count = 0;
		while (*p && strncmp(p, "step ", 5) != 0) {
			char *nl = strchr(p, '\n');
			snprintf(line, sizeof line, "%.*s", (int)(nl - p), p);
			rs_text_add(&want, line);
			count++;
			p = nl + 1;
		}
		feed(ribname, rib, 0);
		feed(streamname, events, 1);
		read_events(ev, count, &got, &generation);
		ck_assert_msg(got.s && strcmp(got.s, want.s) == 0, "%s, step %s:\n--- got\n%s--- want\n%s", fx->base,
			      step, got.s ? got.s : "", want.s);
		/* A read that could not be parsed is told, with its fault. */
		if (strcmp(step, "truncated") == 0) {
			const char *why = ifplex_backend_describe("events_rejected");
			ck_assert_msg(why && strncmp(why, "1, the last: ", 13) == 0 && strstr(why, "(truncated)"), "%s",
				      why ? why : "(null)");
		}
		free(want.s);
		free(got.s);
		steps++;
	}
	ck_assert_int_ge(steps, 6);
	free(script);
	ifplex_events_close(ev);
}
END_TEST

/* A FIFO's descriptor is readable when a record arrives, not before. */
START_TEST(test_wait_fd_fifo)
{
	char rib[400], fifo[400], name[128];
	ifplex_events *ev;
	intptr_t fd;
	struct ifplex_event e;

	snprintf(rib, sizeof rib, "%s/state.rib", tmp);
	snprintf(fifo, sizeof fifo, "%s/fifo", tmp);
	feed("freebsd-amd64.rib", rib, 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	use(rib, fifo);
	ck_assert_msg(ifplex_events_open(IFPLEX_EVENTS_ADDRS, &ev) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_events_wait_fd(ev, &fd), 0);
	struct pollfd p = {.fd = (int)fd, .events = POLLIN};
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, 0), 0);
	/* The first record of the first step: an address added. */
	snprintf(name, sizeof name, "freebsd-amd64.ev0.stream");
	size_t len;
	char *data = rs_slurp(name, &len);
	int w = open(fifo, O_WRONLY | O_NONBLOCK);
	ck_assert_int_ge(w, 0);
	ck_assert_int_eq(write(w, data, len), (ssize_t)len);
	close(w);
	free(data);
	ck_assert_int_eq(poll(&p, 1, 5000), 1);
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, ifplex_now() + 5000000000LL), 1);
	ck_assert_int_eq(e.kind, IFPLEX_EV_ADDR_ADDED);
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, ifplex_now() + 5000000000LL), 1);
	ck_assert_int_eq(e.kind, IFPLEX_EV_ADDR_REMOVED);
	/* A blocking read with nothing more comes back at its deadline. */
	int64_t t0 = ifplex_now();
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, t0 + 50000000), 0);
	ck_assert_int_ge(ifplex_now() - t0, 50000000);
	ifplex_events_close(ev);
}
END_TEST

/* After fork() the child reads a source of its own, beginning with a
 * resync; the parent's subscription goes on untouched. */
START_TEST(test_fork)
{
	char rib[400], events[400];
	ifplex_events *ev;
	struct ifplex_event e[64];

	snprintf(rib, sizeof rib, "%s/state.rib", tmp);
	snprintf(events, sizeof events, "%s/stream", tmp);
	feed("freebsd-amd64.rib", rib, 0);
	put_file(events, "", 0, 0);
	use(rib, events);
	ck_assert_int_eq(ifplex_events_open(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, &ev), 0);
	feed("freebsd-amd64.ev0.stream", events, 1);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int n = 0, k, last = 0;
		while ((k = ifplex_events_read(ev, e + n, 64 - (size_t)n, ifplex_now() + 2000000000LL)) > 0) {
			n += k;
			last = e[n - 1].kind;
			if (last == IFPLEX_EV_ADDR_REMOVED || n == 64)
				break;
		}
		_exit(n > 3 && e[0].kind == IFPLEX_EV_RESYNC && last == IFPLEX_EV_ADDR_REMOVED ? 0 : 1);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %d", status);
	ck_assert_int_eq(ifplex_events_read(ev, e, 64, ifplex_now() + 2000000000LL), 2);
	ck_assert_int_eq(e[0].kind, IFPLEX_EV_ADDR_ADDED);
	ck_assert_int_eq(e[1].kind, IFPLEX_EV_ADDR_REMOVED);
	ifplex_events_close(ev);
}
END_TEST

/* Replay without a stream has no events. */
START_TEST(test_no_stream)
{
	char rib[400];
	ifplex_events *ev;

	snprintf(rib, sizeof rib, "%s/state.rib", tmp);
	feed("freebsd-amd64.rib", rib, 0);
	use(rib, NULL);
	ck_assert_int_eq(ifplex_events_open(IFPLEX_EVENTS_LINKS, &ev), IFPLEX_ENOTSUP);
	ck_assert_msg(strstr(ifplex_last_error(), "IFPLEX_ROUTESOCK_EVENTS"), "%s", ifplex_last_error());
}
END_TEST

/* A subscription to a stream holding data: the first read fails with
 * IFPLEX_EMALFORMED and a message that says text. */
static void expect_stream_error(const char *data, const char *text)
{
	char rib[400], events[400];
	ifplex_events *ev;
	struct ifplex_event e;

	snprintf(rib, sizeof rib, "%s/state.rib", tmp);
	snprintf(events, sizeof events, "%s/stream", tmp);
	feed("freebsd-amd64.rib", rib, 0);
	put_file(events, "", 0, 0);
	use(rib, events);
	ck_assert_int_eq(ifplex_events_open(IFPLEX_EVENTS_LINKS, &ev), 0);
	put_file(events, data, strlen(data), 1);
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, 0), IFPLEX_EMALFORMED);
	ck_assert_msg(strstr(ifplex_last_error(), text), "%s", ifplex_last_error());
	ifplex_events_close(ev);
}

/* A stream that is not one is a clear error, never a crash: no framing,
 * a read larger than any routing message, a record of another system. */
START_TEST(test_stream_errors)
{
	expect_stream_error("not a record at all\n", "header is not");
	expect_stream_error("ifplex-rib 1 freebsd amd64 route 70000\n", "at most 65535");
	expect_stream_error("ifplex-rib 1 openbsd amd64 overflow 0\n", "openbsd");
}
END_TEST

/* OpenBSD and NetBSD announce no groups: a subscription to them fails. */
START_TEST(test_no_groups_where_none_announced)
{
	char rib[400], events[400];
	ifplex_events *ev;

	snprintf(rib, sizeof rib, "%s/state.rib", tmp);
	snprintf(events, sizeof events, "%s/stream", tmp);
	feed("openbsd-amd64.rib", rib, 0);
	put_file(events, "", 0, 0);
	use(rib, events);
	ck_assert_int_eq(ifplex_events_open(IFPLEX_EVENTS_MCAST, &ev), IFPLEX_ENOTSUP);
	ck_assert_msg(strstr(ifplex_last_error(), "openbsd announces no multicast groups"), "%s",
		      ifplex_last_error());
}
END_TEST

int main(void)
{
	int rc = rs_fixtures_load();
	if (rc)
		return rc;
	Suite *s = suite_create("routesock events");
	TCase *tc = tcase_create("replay");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_streams, 0, rs_nlayouts);
	tcase_add_test(tc, test_wait_fd_fifo);
	tcase_add_test(tc, test_fork);
	tcase_add_test(tc, test_no_stream);
	tcase_add_test(tc, test_stream_errors);
	tcase_add_test(tc, test_no_groups_where_none_announced);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
