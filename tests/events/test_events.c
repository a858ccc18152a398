/* SPDX-License-Identifier: MIT */
/* Change events on the netlink backend, in network namespaces of the
 * tests' own: changes undone at once, a link's life across namespaces,
 * bursts with two subscribers and a forced overflow, the initial listing,
 * fork, threads, deadlines, the descriptor, multicast groups. */
#define _GNU_SOURCE
#include "../helpers.h"
#include "../netns.h"
#include "evmodel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static const char *const modes[] = {"ebpf", "notify", "off"};

static void setup(void)
{
	netns_enter();
}

/* Every event read, in order, and the subscriber's model. */
struct evlog {
	struct ifplex_event *v;
	size_t n, cap;
	struct evmodel m;
};

static void log_free(struct evlog *l)
{
	free(l->v);
	evmodel_free(&l->m);
	memset(l, 0, sizeof *l);
}

/* Read what is there (waiting up to ms for the first) into the log. */
static size_t log_read(ifplex_events *ev, struct evlog *l, int ms)
{
	struct ifplex_event buf[64];
	size_t total = 0;
	int64_t deadline = ifplex_now() + (int64_t)ms * 1000000;

	for (;;) {
		int n = ifplex_events_read(ev, buf, 64, total ? 0 : deadline);
		ck_assert_msg(n >= 0, "events read: %s", ifplex_last_error());
		if (n == 0)
			return total;
		for (int i = 0; i < n; i++) {
			if (l->n == l->cap) {
				l->cap = l->cap ? l->cap * 2 : 256;
				l->v = realloc(l->v, l->cap * sizeof *l->v);
				ck_assert_ptr_nonnull(l->v);
			}
			l->v[l->n++] = buf[i];
			evmodel_apply(&l->m, &buf[i]);
		}
		total += (size_t)n;
	}
}

/* Read until an event satisfies want (from position from on) or 10 s pass;
 * its position. */
static size_t log_until(ifplex_events *ev, struct evlog *l, size_t from,
			int (*want)(const struct ifplex_event *e, const void *arg), const void *arg)
{
	int64_t end = ifplex_now() + 10000000000LL;

	for (;;) {
		for (size_t i = from; i < l->n; i++)
			if (want(&l->v[i], arg))
				return i;
		from = l->n;
		ck_assert_msg(ifplex_now() < end, "the event never came (%zu events read)", l->n);
		log_read(ev, l, 100);
	}
}

struct want_link {
	int kind;
	const char *name;
	unsigned changed;
};

static int is_link(const struct ifplex_event *e, const void *arg)
{
	const struct want_link *w = arg;
	return e->kind == w->kind && strcmp(e->name, w->name) == 0 && strcmp(e->link.name, w->name) == 0 &&
	       (e->changed & w->changed) == w->changed;
}

static ifplex_events *open_events(unsigned mask)
{
	ifplex_events *ev = NULL;
	ck_assert_msg(ifplex_events_open(mask, &ev) == 0, "events open: %s", ifplex_last_error());
	return ev;
}

static void addr_text(const struct ifplex_event *e, char *buf, size_t len)
{
	ck_assert_int_eq(ifplex_addr_string(&e->addr, buf, len), 0);
}

/* ---- an address added and deleted by one ip -batch: both events, in order */

static int is_addr(const struct ifplex_event *e, const void *arg)
{
	const struct want_link *w = arg;
	char t[IFPLEX_ADDR_STRLEN];

	ifplex_addr_string(&e->addr, t, sizeof t);
	return e->kind == w->kind && strcmp(t, w->name) == 0;
}

/* The kinds of the events about addr (text) among l's events [from, to):
 * "+" for added, "-" for removed, "?" for anything else. */
static void addr_story(const struct evlog *l, size_t from, size_t to, const char *addr, char *out, size_t len)
{
	size_t k = 0;

	for (size_t i = from; i < to && k + 1 < len; i++) {
		char t[IFPLEX_ADDR_STRLEN];
		ifplex_addr_string(&l->v[i].addr, t, sizeof t);
		if (l->v[i].kind < IFPLEX_EV_ADDR_ADDED || l->v[i].kind > IFPLEX_EV_ADDR_REMOVED || strcmp(t, addr))
			continue;
		out[k++] = l->v[i].kind == IFPLEX_EV_ADDR_ADDED ? '+' : l->v[i].kind == IFPLEX_EV_ADDR_REMOVED ? '-' : '?';
	}
	out[k] = '\0';
}

START_TEST(test_batch_add_del_ipv4)
{
	struct evlog l = {0};

	sh("ip link add e0 type veth peer name e1");
	ifplex_events *ev = open_events(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS | IFPLEX_EVENTS_INITIAL);
	sh("printf 'addr add 10.7.0.9/24 dev e0\\naddr del 10.7.0.9/24 dev e0\\n' | ip -batch -");
	/* IPv4 announces within the command: both are there when it returns. */
	log_read(ev, &l, 1000);
	char story[16];
	addr_story(&l, 0, l.n, "10.7.0.9/24", story, sizeof story);
	ck_assert_str_eq(story, "+-");
	ck_assert_uint_eq(l.m.resyncs, 0);
	evmodel_check(&l.m, IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, "after the batch");
	ifplex_events_close(ev);
	log_free(&l);
}
END_TEST

/* `ip -o monitor address` as a second subscriber: its lines on a pipe. */
struct monitor {
	pid_t pid;
	int fd;
	char text[65536];
	size_t len;
};

static void monitor_start(struct monitor *m)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	m->pid = fork();
	ck_assert_int_ge(m->pid, 0);
	if (m->pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execlp("ip", "ip", "-o", "monitor", "address", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	m->fd = p[0];
	m->len = 0;
	m->text[0] = '\0';
}

/* What the monitor printed within 10 ms, added to its text. */
static void monitor_pump(struct monitor *m)
{
	struct pollfd p = {.fd = m->fd, .events = POLLIN};

	if (poll(&p, 1, 10) == 1) {
		ssize_t n = read(m->fd, m->text + m->len, sizeof m->text - 1 - m->len);
		ck_assert_int_gt(n, 0);
		m->len += (size_t)n;
		m->text[m->len] = '\0';
	}
}

/* Read until a line after position from holds want; where it ends. */
static size_t monitor_until(struct monitor *m, size_t from, const char *want)
{
	for (int waited = 0; waited < 10000; waited += 10) {
		char *hit = strstr(m->text + from, want);
		char *eol = hit ? strchr(hit, '\n') : NULL;
		if (eol)
			return (size_t)(eol + 1 - m->text);
		monitor_pump(m);
	}
	ck_abort_msg("ip monitor never printed %s", want);
	return 0;
}

/* Until the monitor shows a probe, it may not have subscribed yet. */
static void monitor_ready(struct monitor *m)
{
	for (int i = 1; i < 250; i++) {
		char probe[40];
		snprintf(probe, sizeof probe, " 10.251.0.%d/32 ", i);
		sh("ip addr add 10.251.0.%d/32 dev lo && ip addr del 10.251.0.%d/32 dev lo", i, i);
		for (int waited = 0; waited < 200 && !strstr(m->text, probe); waited += 10)
			monitor_pump(m);
		if (strstr(m->text, probe))
			return;
	}
	ck_abort_msg("ip monitor never started");
}

/* The monitor's story of addr between two positions of its text. */
static void monitor_story(const struct monitor *m, size_t from, size_t to, const char *addr, char *out,
			  size_t len)
{
	size_t k = 0;
	char key[80];

	snprintf(key, sizeof key, " %s ", addr);
	for (const char *line = m->text + from; line < m->text + to && k + 1 < len;) {
		const char *eol = strchr(line, '\n');
		char buf[512];
		size_t n = (size_t)(eol - line) < sizeof buf - 1 ? (size_t)(eol - line) : sizeof buf - 1;
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (strstr(buf, key))
			out[k++] = strncmp(buf, "Deleted", 7) == 0 ? '-' : '+';
		line = eol + 1;
	}
	out[k] = '\0';
}

/* IPv6 addresses are announced from the kernel's DAD work, after the
 * command returns: an address deleted before that work runs is announced
 * only as deleted.  Whatever the kernel announced, the subscriber gets:
 * the same story as ip monitor tells, round after round. */
START_TEST(test_batch_add_del_ipv6)
{
	struct evlog l = {0};
	struct monitor *m = calloc(1, sizeof *m);

	sh("ip link add e0 type veth peer name e1");
	ifplex_events *ev = open_events(IFPLEX_EVENTS_ADDRS);
	monitor_start(m);
	monitor_ready(m);
	for (int r = 1; r <= 20; r++) {
		char mark[32], mtext[40], ours[16], theirs[16];
		snprintf(mark, sizeof mark, "10.250.0.%d/32", r);
		snprintf(mtext, sizeof mtext, " %s ", mark);
		/* A start mark both have seen, then the batch, then an end mark. */
		sh("ip addr add %s dev e0", mark);
		size_t m0 = monitor_until(m, 0, mtext);
		size_t e0 = log_until(ev, &l, 0, is_addr, &(struct want_link){IFPLEX_EV_ADDR_ADDED, mark, 0});
		sh("printf 'addr add 2001:db8:7::9/64 dev e0 nodad\\naddr del 2001:db8:7::9/64 dev e0\\n' | ip -batch -");
		sh("ip addr del %s dev e0", mark);
		size_t m1 = monitor_until(m, m0, mtext);
		size_t e1 = log_until(ev, &l, e0 + 1, is_addr, &(struct want_link){IFPLEX_EV_ADDR_REMOVED, mark, 0});
		addr_story(&l, e0 + 1, e1, "2001:db8:7::9/64", ours, sizeof ours);
		monitor_story(m, m0, m1, "2001:db8:7::9/64", theirs, sizeof theirs);
		ck_assert_msg(strcmp(ours, theirs) == 0, "round %d: ip monitor told %s, the events %s", r, theirs, ours);
		ck_assert_msg(strchr(ours, '-'), "round %d: no removal announced", r);
	}
	kill(m->pid, SIGTERM);
	waitpid(m->pid, NULL, 0);
	close(m->fd);
	free(m);
	ifplex_events_close(ev);
	log_free(&l);
}
END_TEST

/* ---- a link created, renamed, moved to another namespace and back, deleted */

static pid_t other_namespace(void)
{
	int p[2];
	char c;

	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		ssize_t w = write(p[1], "x", 1);
		(void)w;
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

START_TEST(test_link_lifecycle)
{
	struct evlog l = {0};
	ifplex_events *ev = open_events(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_INITIAL);
	pid_t other = other_namespace();
	size_t at = 0;

	sh("ip link add lc0 type veth peer name lc1");
	at = log_until(ev, &l, at, is_link, &(struct want_link){IFPLEX_EV_LINK_ADDED, "lc0", 0});
	int index = l.v[at].index;
	ck_assert_int_gt(index, 0);
	sh("ip link set lc0 name lcr");
	at = log_until(ev, &l, at + 1, is_link, &(struct want_link){IFPLEX_EV_LINK_CHANGED, "lcr", IFPLEX_CHANGED_NAME});
	ck_assert_int_eq(l.v[at].index, index);
	sh("ip link set lcr mtu 1400");
	at = log_until(ev, &l, at + 1, is_link, &(struct want_link){IFPLEX_EV_LINK_CHANGED, "lcr", IFPLEX_CHANGED_MTU});
	ck_assert_int_eq(l.v[at].link.mtu, 1400);
	sh("ip link set lcr netns %d", (int)other);
	at = log_until(ev, &l, at + 1, is_link, &(struct want_link){IFPLEX_EV_LINK_REMOVED, "lcr", 0});
	evmodel_check(&l.m, IFPLEX_EVENTS_LINKS, "moved out");
	sh("nsenter --net=/proc/%d/ns/net ip link set lcr netns %d", (int)other, (int)getpid());
	at = log_until(ev, &l, at + 1, is_link, &(struct want_link){IFPLEX_EV_LINK_ADDED, "lcr", 0});
	evmodel_check(&l.m, IFPLEX_EVENTS_LINKS, "moved back");
	sh("ip link del lcr");
	at = log_until(ev, &l, at + 1, is_link, &(struct want_link){IFPLEX_EV_LINK_REMOVED, "lcr", 0});
	log_read(ev, &l, 200);
	/* The peer went with it. */
	log_until(ev, &l, 0, is_link, &(struct want_link){IFPLEX_EV_LINK_REMOVED, "lc1", 0});
	evmodel_check(&l.m, IFPLEX_EVENTS_LINKS, "deleted");
	ck_assert_uint_eq(l.m.resyncs, 0);
	/* Each step once: one addition of lc0, one rename, two removals of lcr. */
	int adds = 0, renames = 0, removals = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind == IFPLEX_EV_LINK_ADDED && strcmp(l.v[i].name, "lc0") == 0)
			adds++;
		if (l.v[i].kind == IFPLEX_EV_LINK_CHANGED && (l.v[i].changed & IFPLEX_CHANGED_NAME))
			renames++;
		if (l.v[i].kind == IFPLEX_EV_LINK_REMOVED && strcmp(l.v[i].name, "lcr") == 0)
			removals++;
	}
	ck_assert_int_eq(adds, 1);
	ck_assert_int_eq(renames, 1);
	ck_assert_int_eq(removals, 2);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	ifplex_events_close(ev);
	log_free(&l);
}
END_TEST

/* ---- 10,000 changes under load, two subscribers, one of them overflowing */

#define BURST 10000

/* The address of change k: each is added, then deleted.  IPv4, which the
 * kernel announces within the command (IPv6 additions come from its DAD
 * work, later, or not at all for an address deleted first). */
static void burst_addr(int k, char *buf, size_t len)
{
	int a = k / 2;
	snprintf(buf, len, "10.%d.%d.%d/32", 100 + a / 62500, a / 250 % 250, a % 250 + 1);
}

/* Where the event stands in the burst (adds at even positions, deletions
 * at odd ones), or -1 when it is not the burst's. */
static int burst_pos(const struct ifplex_event *e)
{
	char t[IFPLEX_ADDR_STRLEN];
	unsigned x, y, z, w;

	if (e->kind < IFPLEX_EV_ADDR_ADDED || e->kind > IFPLEX_EV_ADDR_REMOVED || strcmp(e->name, "bu0") != 0)
		return -1;
	addr_text(e, t, sizeof t);
	if (sscanf(t, "10.%u.%u.%u/%u", &x, &y, &z, &w) != 4 || x < 100 || x > 101 || y >= 250 || z < 1 ||
	    z > 250 || w != 32)
		return -1;
	int a = (int)((x - 100) * 62500 + y * 250 + z - 1);
	if (a >= BURST / 2)
		return -1;
	return a * 2 + (e->kind == IFPLEX_EV_ADDR_REMOVED);
}

/* The guarantee on one subscriber's stream: the burst's events outside
 * listings come in runs, each a contiguous stretch of the burst in order;
 * a run after a resync starts past the last one's end, and an addition
 * in it may come as CHANGED (the listing held the address already). */
static void check_runs(const struct evlog *l, int strict, const char *who)
{
	int last = -1, end = -1, in_listing = 0, resynced = 0, runs = 0, seen = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct ifplex_event *e = &l->v[i];
		if (e->kind == IFPLEX_EV_RESYNC) {
			ck_assert_msg(!strict, "%s: a resync", who);
			in_listing = resynced = 1;
			continue;
		}
		if (e->kind == IFPLEX_EV_SYNCED) {
			in_listing = 0;
			if (last >= 0)
				end = last;
			last = -1;
			continue;
		}
		int p = burst_pos(e);
		if (p < 0 || in_listing)
			continue;
		seen++;
		if (last < 0) {
			runs++;
			ck_assert_msg(p > end, "%s: a run starts at change %d, before %d", who, p, end);
		} else {
			ck_assert_msg(p == last + 1, "%s: event %zu is change %d after change %d", who, i, p, last);
		}
		if (p % 2)
			ck_assert_msg(e->kind == IFPLEX_EV_ADDR_REMOVED, "%s: change %d came as %s", who, p,
				      ifplex_event_kind_name(e->kind));
		else
			ck_assert_msg(e->kind == IFPLEX_EV_ADDR_ADDED ||
					      (resynced && e->kind == IFPLEX_EV_ADDR_CHANGED),
				      "%s: change %d came as %s", who, p, ifplex_event_kind_name(e->kind));
		last = p;
	}
	if (strict)
		ck_assert_msg(seen == BURST && runs == 1, "%s: %d of %d changes in %d runs", who, seen, BURST, runs);
	else
		ck_assert_msg(last == BURST - 1 || (last < 0 && end == BURST - 1) || resynced,
			      "%s: the last change seen is %d", who, last);
}

struct reader {
	ifplex_events *ev;
	struct evlog log;
	_Atomic int stop;
};

static void *read_along(void *arg)
{
	struct reader *r = arg;
	while (!r->stop)
		log_read(r->ev, &r->log, 50);
	log_read(r->ev, &r->log, 200);
	return NULL;
}

START_TEST(test_burst_two_subscribers)
{
	char path[] = "/tmp/ifplex-burstXXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	for (int k = 0; k < BURST; k++) {
		char a[64];
		burst_addr(k, a, sizeof a);
		fprintf(f, "addr %s %s dev bu0\n", k % 2 ? "del" : "add", a);
	}
	fclose(f);
	setenv("IFPLEX_CACHE", modes[_i], 1);
	sh("ip link add bu0 type veth peer name bu1");

	/* A: a large buffer, read along by a thread.  B: a small one, read
	 * only after the burst, so that it overflows. */
	struct reader a = {0};
	setenv("IFPLEX_EVENTS_RCVBUF", "67108864", 1);
	a.ev = open_events(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS | IFPLEX_EVENTS_INITIAL);
	setenv("IFPLEX_EVENTS_RCVBUF", "65536", 1);
	ifplex_events *b = open_events(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS | IFPLEX_EVENTS_INITIAL);
	unsetenv("IFPLEX_EVENTS_RCVBUF");
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, read_along, &a), 0);
	/* Load: both cores busy while the burst runs. */
	pid_t hogs[2];
	for (int i = 0; i < 2; i++) {
		hogs[i] = fork();
		if (hogs[i] == 0)
			for (;;)
				;
	}
	sh("ip -batch %s", path);
	for (int i = 0; i < 2; i++) {
		kill(hogs[i], SIGKILL);
		waitpid(hogs[i], NULL, 0);
	}
	unlink(path);
	/* After the burst, a few changes more: both follow them. */
	sh("ip link set bu0 mtu 1300 && ip addr add 10.99.0.1/24 dev bu0 && ip link set bu1 name bu2");
	struct evlog lb = {0};
	log_read(b, &lb, 1000);
	log_read(b, &lb, 500);
	a.stop = 1;
	pthread_join(t, NULL);

	check_runs(&a.log, 1, "A");
	evmodel_check(&a.log.m, IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, "A after the burst");
	ck_assert_msg(lb.m.resyncs >= 1, "B never overflowed (%zu events)", lb.n);
	ck_assert_uint_eq(lb.m.synced, lb.m.resyncs + 1); /* the initial listing, then each resync */
	check_runs(&lb, 0, "B");
	evmodel_check(&lb.m, IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, "B after the burst");
	ck_assert_int_eq(evmodel_link(&lb.m, if_nametoindex("bu2")) != NULL, 1);
	ifplex_events_close(a.ev);
	ifplex_events_close(b);
	log_free(&a.log);
	log_free(&lb);
}
END_TEST

/* ---- the initial listing */

START_TEST(test_initial_listing)
{
	struct evlog l = {0};

	sh("ip link add in0 type veth peer name in1 && ip addr add 10.8.0.1/24 dev in0 && ip link set in0 up");
	ifplex_events *ev = open_events(IFPLEX_EVENTS_ALL | IFPLEX_EVENTS_INITIAL);
	log_read(ev, &l, 1000);
	ck_assert_uint_eq(l.m.resyncs, 0);
	ck_assert_uint_eq(l.m.synced, 1);
	size_t i = 0;
	for (; i < l.n && l.v[i].kind != IFPLEX_EV_SYNCED; i++)
		ck_assert_msg(l.v[i].flags & IFPLEX_EVF_SYNC, "listing event %zu without the sync flag", i);
	ck_assert_int_lt(i, l.n);
	evmodel_check(&l.m, IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, "after the listing");
	ifplex_events_close(ev);
	log_free(&l);
}
END_TEST

/* ---- fork: the child's subscription starts over, the parent's goes on */

START_TEST(test_fork)
{
	struct evlog l = {0};
	ifplex_events *ev = open_events(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS);

	sh("ip link add fk0 type veth peer name fk1");
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct evlog c = {0};
		log_read(ev, &c, 1000);
		if (c.n == 0 || c.v[0].kind != IFPLEX_EV_RESYNC || c.m.synced != 1)
			_exit(2);
		evmodel_check(&c.m, IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, "child");
		_exit(0);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child ended with %#x", st);
	/* The parent's events were not taken by the child. */
	log_until(ev, &l, 0, is_link, &(struct want_link){IFPLEX_EV_LINK_ADDED, "fk0", 0});
	ck_assert_uint_eq(l.m.resyncs, 0);
	ifplex_events_close(ev);
	log_free(&l);
}
END_TEST

/* ---- two threads reading one subscription: each event once */

struct shared {
	ifplex_events *ev;
	uint64_t *gens;
	size_t n, cap;
	pthread_mutex_t lock;
	_Atomic int stop;
};

static void *read_shared(void *arg)
{
	struct shared *s = arg;
	struct ifplex_event buf[7];

	while (!s->stop) {
		int n = ifplex_events_read(s->ev, buf, 7, ifplex_now() + 20000000);
		if (n < 0)
			return (void *)1;
		pthread_mutex_lock(&s->lock);
		for (int i = 0; i < n && s->n < s->cap; i++)
			s->gens[s->n++] = buf[i].generation;
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

static int by_value(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

START_TEST(test_threads_share)
{
	struct shared s = {.cap = 100000};
	pthread_t t[2];

	s.gens = calloc(s.cap, sizeof *s.gens);
	pthread_mutex_init(&s.lock, NULL);
	sh("ip link add th0 type veth peer name th1");
	s.ev = open_events(IFPLEX_EVENTS_ALL);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, read_shared, &s), 0);
	sh("for i in $(seq 1 100); do echo addr add 10.9.$i.1/24 dev th0; done | ip -batch -");
	sh("ip link set th0 up && ip link set th0 mtu 1400 && ip link set th0 down");
	usleep(500000);
	s.stop = 1;
	for (int i = 0; i < 2; i++) {
		void *r;
		pthread_join(t[i], &r);
		ck_assert_ptr_null(r);
	}
	ck_assert_uint_ge(s.n, 103);
	qsort(s.gens, s.n, sizeof *s.gens, by_value);
	for (size_t i = 0; i < s.n; i++)
		ck_assert_msg(s.gens[i] == i + 1, "event %zu has generation %llu", i, (unsigned long long)s.gens[i]);
	ifplex_events_close(s.ev);
	free(s.gens);
}
END_TEST

/* ---- deadlines and the descriptor */

START_TEST(test_deadline_and_fd)
{
	struct ifplex_event e;
	ifplex_events *ev = open_events(IFPLEX_EVENTS_LINKS);
	intptr_t fd;

	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, 0), 0);
	int64_t t0 = ifplex_now(), deadline = t0 + 50000000;
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, deadline), 0);
	ck_assert_msg(ifplex_now() >= deadline, "returned before the deadline");
	ck_assert_int_eq(ifplex_events_wait_fd(ev, &fd), 0);
	struct pollfd p = {.fd = (int)fd, .events = POLLIN};
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	sh("ip link add fd0 type veth peer name fd1");
	ck_assert_int_eq(poll(&p, 1, 5000), 1);
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, 0), 1);
	ck_assert_int_eq(e.kind, IFPLEX_EV_LINK_ADDED);
	/* The second link is still to be read, with deadline 0. */
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, 0), 1);
	ck_assert_int_eq(e.kind, IFPLEX_EV_LINK_ADDED);
	ck_assert_int_eq(ifplex_events_read(ev, &e, 1, 0), 0);
	ck_assert_int_eq(ifplex_events_read(ev, NULL, 0, 0), 0);
	ck_assert_int_eq(ifplex_events_read(ev, NULL, 1, 0), IFPLEX_EINVAL);
	ifplex_events_close(ev);
}
END_TEST

/* ---- multicast groups: a socket joins and leaves */

static int is_group(const struct ifplex_event *e, const void *arg)
{
	char t[IFPLEX_ADDR_STRLEN];
	const struct want_link *w = arg;

	if (e->kind != w->kind)
		return 0;
	ifplex_addr_string(&e->addr, t, sizeof t);
	return strcmp(t, w->name) == 0;
}

START_TEST(test_multicast_groups)
{
	struct evlog l = {0};
	struct ifplex_iface ifi;
	struct ifplex_ip group;
	ifplex_conn *c;

	sh("ip link add mc0 type veth peer name mc1 && ip link set mc0 up && ip link set mc1 up");
	ifplex_events *ev = open_events(IFPLEX_EVENTS_MCAST);
	ck_assert_int_eq(ifplex_interface_by_name("mc0", &ifi), 0);
	ck_assert_int_eq(ifplex_ip_parse("239.1.2.3", &group), 0);
	ck_assert_int_eq(ifplex_listen_packet("udp4", "0.0.0.0:0", &c), 0);
	ck_assert_int_eq(ifplex_join_group(c, &group, &ifi), 0);
	size_t at = log_until(ev, &l, 0, is_group, &(struct want_link){IFPLEX_EV_MCAST_JOINED, "239.1.2.3/32", 0});
	ck_assert_str_eq(l.v[at].name, "mc0");
	ck_assert_int_eq(ifplex_leave_group(c, &group, &ifi), 0);
	log_until(ev, &l, at, is_group, &(struct want_link){IFPLEX_EV_MCAST_LEFT, "239.1.2.3/32", 0});
	ifplex_close(c);
	/* A link-local IPv6 group carries its interface as zone. */
	sh("ip link add mz0 type veth peer name mz1 && ip link set mz0 up");
	log_until(ev, &l, 0, is_group, &(struct want_link){IFPLEX_EV_MCAST_JOINED, "ff02::1%mz0/128", 0});
	ifplex_events_close(ev);
	log_free(&l);
}
END_TEST

/* ---- a removed link takes its addresses and groups along */

START_TEST(test_implied_removals)
{
	struct evlog l = {0};
	ifplex_events *ev = open_events(IFPLEX_EVENTS_ALL | IFPLEX_EVENTS_INITIAL);

	sh("ip link add im0 type veth peer name im1 && ip link set im0 up && ip addr add 10.6.0.1/24 dev im0");
	log_read(ev, &l, 500);
	sh("ip link del im0");
	size_t at = log_until(ev, &l, 0, is_link, &(struct want_link){IFPLEX_EV_LINK_REMOVED, "im0", 0});
	/* Nothing of im0's is announced after its removal, and the model
	 * (which ignores groups) holds none of its addresses. */
	for (size_t i = at + 1; i < l.n; i++)
		ck_assert_msg(strcmp(l.v[i].name, "im0") != 0, "%s of im0 after its removal",
			      ifplex_event_kind_name(l.v[i].kind));
	evmodel_check(&l.m, IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, "after the removal");
	ifplex_events_close(ev);
	log_free(&l);
}
END_TEST

/* ---- bad arguments */

START_TEST(test_arguments)
{
	ifplex_events *ev = (ifplex_events *)1;
	intptr_t fd;

	ck_assert_int_eq(ifplex_events_open(0, &ev), IFPLEX_EINVAL);
	ck_assert_ptr_null(ev);
	ck_assert_int_eq(ifplex_events_open(0x80, &ev), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_events_open(IFPLEX_EVENTS_ALL, NULL), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_events_read(NULL, NULL, 0, 0), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_events_wait_fd(NULL, &fd), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_events_close(NULL), 0);
	ck_assert_str_eq(ifplex_event_kind_name(IFPLEX_EV_ADDR_REMOVED), "addr-removed");
	ck_assert_str_eq(ifplex_event_kind_name(IFPLEX_EV_RESYNC), "resync");
	ck_assert_str_eq(ifplex_event_kind_name(0), "?");
	ck_assert_str_eq(ifplex_event_kind_name(99), "?");
	ck_assert_uint_ne(ifplex_backend_caps() & IFPLEX_CAP_EVENTS, 0);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("netns");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_batch_add_del_ipv4);
	tcase_add_test(tc, test_batch_add_del_ipv6);
	tcase_add_test(tc, test_link_lifecycle);
	tcase_add_loop_test(tc, test_burst_two_subscribers, 0, 3);
	tcase_add_test(tc, test_initial_listing);
	tcase_add_test(tc, test_fork);
	tcase_add_test(tc, test_threads_share);
	tcase_add_test(tc, test_deadline_and_fd);
	tcase_add_test(tc, test_multicast_groups);
	tcase_add_test(tc, test_implied_removals);
	tcase_add_test(tc, test_arguments);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
