/* SPDX-License-Identifier: MIT */
/* Change events: latency (change made -> delivered to the subscriber) and
 * throughput (a burst of address changes, all delivered) of ifplex's
 * subscription, against `ip -o monitor`, libnl-route's cache manager with
 * change callbacks, and a bare subscribed netlink socket (the floor).
 *
 * Runs in a network namespace of its own (root): one veth pair; the
 * changes are made with netlink requests from this process, each
 * acknowledged before the next.  Each subscriber runs alone, reading in a
 * thread of its own (ip monitor: a child process on a pipe).  Prints a
 * Markdown table.
 *
 *   events_bench [--quick]
 */
#define _GNU_SOURCE
#include "bench.h"

#include <ifplex.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef HAVE_LIBNL
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#endif

#define MAX_ROUNDS 1000
#define RCVBUF (8 << 20)

static int ifindex;
static int rounds = 300, burst = 10000;

/* What a subscriber saw: counts of link and address events, and when. */
static struct {
	_Atomic uint64_t links, addrs;
	int64_t link_at[MAX_ROUNDS + 16];
	_Atomic int64_t last_addr_at;
	_Atomic int stop;
	_Atomic unsigned lost;   /* resyncs, ENOBUFS: events the subscriber missed */
	_Atomic int gate;        /* 1: the reader waits (the burst queues meanwhile) */
} seen;

/* Hold the reading thread while the burst is made. */
static void gate_wait(void)
{
	while (seen.gate && !seen.stop)
		usleep(100);
}

static void saw_link(void)
{
	uint64_t i = atomic_load(&seen.links);
	if (i < MAX_ROUNDS + 16)
		seen.link_at[i] = now_ns();
	atomic_store(&seen.links, i + 1);
}

static void saw_addr(void)
{
	atomic_store(&seen.last_addr_at, now_ns());
	atomic_fetch_add(&seen.addrs, 1);
}

/* ---- the changes: netlink requests, each acknowledged */

static int req_fd;

static void request(struct nlmsghdr *h)
{
	static uint32_t seq;
	char ack[4096];

	h->nlmsg_seq = ++seq;
	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send(req_fd, h, h->nlmsg_len, 0) < 0 || recv(req_fd, ack, sizeof ack, 0) < 0) {
		perror("events_bench: request");
		exit(1);
	}
	struct nlmsgerr *e = NLMSG_DATA((struct nlmsghdr *)ack);
	if (e->error) {
		fprintf(stderr, "events_bench: request: %s\n", strerror(-e->error));
		exit(1);
	}
}

static void add_attr(struct nlmsghdr *h, unsigned short type, const void *p, size_t n)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	memcpy(RTA_DATA(a), p, n);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void set_mtu(unsigned mtu)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		char attrs[64];
	} r = {.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_NEWLINK},
	       .i = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex}};
	add_attr(&r.h, IFLA_MTU, &mtu, sizeof mtu);
	request(&r.h);
}

static void change_addr(int k)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg a;
		char attrs[64];
	} r = {.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
		     .nlmsg_type = k % 2 ? RTM_DELADDR : RTM_NEWADDR,
		     .nlmsg_flags = k % 2 ? 0 : NLM_F_CREATE | NLM_F_EXCL},
	       .a = {.ifa_family = AF_INET, .ifa_prefixlen = 32, .ifa_index = (unsigned)ifindex}};
	uint8_t ip[4] = {10, (uint8_t)(100 + k / 2 / 62500), (uint8_t)(k / 2 / 250 % 250), (uint8_t)(k / 2 % 250 + 1)};
	add_attr(&r.h, IFA_LOCAL, ip, 4);
	add_attr(&r.h, IFA_ADDRESS, ip, 4);
	request(&r.h);
}

/* ---- subscribers */

struct sub {
	const char *name;
	int (*start)(void);       /* 0, or -1 when unavailable here */
	void (*stop)(void);
};

static pthread_t reader;

/* ifplex: a subscription read by a thread, blocking. */
static ifplex_events *ev;

static void *ifplex_reader(void *arg)
{
	struct ifplex_event e[64];
	(void)arg;
	while (!seen.stop) {
		gate_wait();
		int n = ifplex_events_read(ev, e, 64, ifplex_now() + 100000000);
		for (int i = 0; i < n; i++) {
			if (e[i].kind == IFPLEX_EV_LINK_CHANGED)
				saw_link();
			else if (e[i].kind >= IFPLEX_EV_ADDR_ADDED && e[i].kind <= IFPLEX_EV_ADDR_REMOVED &&
				 !(e[i].flags & IFPLEX_EVF_SYNC))
				saw_addr();
			else if (e[i].kind == IFPLEX_EV_RESYNC)
				seen.lost++;
		}
	}
	return NULL;
}

static int ifplex_start(void)
{
	if (ifplex_events_open(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, &ev) < 0) {
		fprintf(stderr, "events_bench: %s\n", ifplex_last_error());
		return -1;
	}
	return pthread_create(&reader, NULL, ifplex_reader, NULL) ? -1 : 0;
}

static void ifplex_stop(void)
{
	seen.stop = 1;
	pthread_join(reader, NULL);
	ifplex_events_close(ev);
}

/* A bare subscribed socket: what any reader must at least pay. */
static int raw_fd;

static void *raw_reader(void *arg)
{
	static char buf[65536];
	(void)arg;
	while (!seen.stop) {
		gate_wait();
		struct pollfd p = {.fd = raw_fd, .events = POLLIN};
		if (poll(&p, 1, 100) <= 0)
			continue;
		ssize_t n = recv(raw_fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS)
				seen.lost++;
			continue;
		}
		int left = (int)n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == RTM_NEWLINK)
				saw_link();
			else if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR)
				saw_addr();
		}
	}
	return NULL;
}

static int raw_start(void)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR};
	int size = RCVBUF;

	raw_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (raw_fd < 0 || bind(raw_fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return -1;
	setsockopt(raw_fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
	return pthread_create(&reader, NULL, raw_reader, NULL) ? -1 : 0;
}

static void raw_stop(void)
{
	seen.stop = 1;
	pthread_join(reader, NULL);
	close(raw_fd);
}

/* ip -o monitor link address: a child on a pipe, read line by line. */
static pid_t mon_pid;
static int mon_fd;

static void *mon_reader(void *arg)
{
	static char buf[1 << 16];
	size_t have = 0;
	(void)arg;
	while (!seen.stop) {
		struct pollfd p = {.fd = mon_fd, .events = POLLIN};
		if (poll(&p, 1, 100) <= 0)
			continue;
		ssize_t n = read(mon_fd, buf + have, sizeof buf - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		char *line = buf, *eol;
		while ((eol = memchr(line, '\n', have - (size_t)(line - buf)))) {
			*eol = '\0';
			if (strstr(line, " inet "))
				saw_addr();
			else if (strstr(line, " mtu "))
				saw_link();
			line = eol + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
	}
	return NULL;
}

static int mon_start(void)
{
	int p[2];

	if (pipe(p) < 0)
		return -1;
	mon_pid = fork();
	if (mon_pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		/* Its "No buffer space available" shows as a short burst. */
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2);
		execlp("ip", "ip", "-o", "monitor", "link", "address", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	mon_fd = p[0];
	if (pthread_create(&reader, NULL, mon_reader, NULL))
		return -1;
	/* Until a probe shows, ip has not subscribed yet. */
	for (int i = 0; i < 100; i++) {
		uint64_t before = seen.links;
		set_mtu(i % 2 ? 1500 : 1400);
		for (int w = 0; w < 100 && seen.links == before; w++)
			usleep(1000);
		if (seen.links != before)
			return 0;
	}
	return -1;
}

static void mon_stop(void)
{
	seen.stop = 1;
	pthread_join(reader, NULL);
	kill(mon_pid, SIGTERM);
	waitpid(mon_pid, NULL, 0);
	close(mon_fd);
}

#ifdef HAVE_LIBNL
/* libnl's cache manager with change callbacks, polled by a thread. */
static struct nl_cache_mngr *mngr;

static void on_change(struct nl_cache *c, struct nl_object *o, int action, void *arg)
{
	(void)c;
	(void)arg;
	if (strcmp(nl_object_get_type(o), "route/link") == 0) {
		if (rtnl_link_get_ifindex((struct rtnl_link *)o) == ifindex)
			saw_link();
	} else if ((action == NL_ACT_NEW || action == NL_ACT_DEL) &&
		   rtnl_addr_get_ifindex((struct rtnl_addr *)o) == ifindex) {
		saw_addr();
	}
}

static void *nl_reader(void *arg)
{
	(void)arg;
	while (!seen.stop) {
		gate_wait();
		nl_cache_mngr_poll(mngr, 100);
	}
	return NULL;
}

static int libnl_start(void)
{
	struct nl_cache *links, *addrs;
	struct nl_sock *sk = nl_socket_alloc();

	/* The same receive buffer as ifplex's, so that neither is starved. */
	if (!sk || nl_cache_mngr_alloc(sk, NETLINK_ROUTE, NL_AUTO_PROVIDE, &mngr) < 0)
		return -1;
	nl_socket_set_buffer_size(sk, RCVBUF, 0);
	if (nl_cache_mngr_add(mngr, "route/link", on_change, NULL, &links) < 0 ||
	    nl_cache_mngr_add(mngr, "route/addr", on_change, NULL, &addrs) < 0)
		return -1;
	return pthread_create(&reader, NULL, nl_reader, NULL) ? -1 : 0;
}

static void libnl_stop(void)
{
	seen.stop = 1;
	pthread_join(reader, NULL);
	nl_cache_mngr_free(mngr);
}
#endif

/* ---- one subscriber's run */

static void measure(const struct sub *s)
{
	int64_t lat[MAX_ROUNDS];
	int n = 0;

	memset(&seen, 0, sizeof seen);
	if (s->start() < 0) {
		printf("| %s | not available here | | | |\n", s->name);
		return;
	}
	usleep(100000);
	/* Latency: one MTU change at a time, timed until it is delivered. */
	for (int i = 0; i < rounds; i++) {
		uint64_t before = seen.links;
		int64_t t0 = now_ns();
		set_mtu(i % 2 ? 1500 : 1400);
		int64_t end = t0 + 2000000000;
		while (seen.links == before && now_ns() < end)
			sched_yield();
		if (seen.links != before && before < MAX_ROUNDS + 16)
			lat[n++] = seen.link_at[before] - t0;
		usleep(500);
	}
	/* Throughput: a burst of address additions and deletions queued while
	 * the reader is held (ip monitor: stopped), then the time it takes to
	 * deliver them all. */
	uint64_t before = seen.addrs;
	seen.gate = 1;
	usleep(200000); /* a reader inside a read finishes it */
	if (s->start == mon_start)
		kill(mon_pid, SIGSTOP);
	for (int k = 0; k < burst; k++)
		change_addr(k);
	int64_t t0 = now_ns();
	seen.gate = 0;
	if (s->start == mon_start)
		kill(mon_pid, SIGCONT);
	int64_t idle = now_ns();
	uint64_t last = seen.addrs;
	while (seen.addrs - before < (uint64_t)burst && now_ns() - idle < 2000000000) {
		usleep(1000);
		if (seen.addrs != last) {
			last = seen.addrs;
			idle = now_ns();
		}
	}
	uint64_t got = seen.addrs - before;
	int64_t took = seen.last_addr_at - t0;
	s->stop();
	qsort(lat, (size_t)n, sizeof lat[0], cmp);
	if (n == 0) {
		printf("| %s | no change delivered | | | |\n", s->name);
		return;
	}
	printf("| %s | %.1f µs | %.1f µs | %.0f /s | %llu of %d%s |\n", s->name, lat[n / 2] / 1e3,
	       lat[n * 99 / 100] / 1e3, took > 0 ? got / (took / 1e9) : 0.0, (unsigned long long)got, burst,
	       seen.lost ? " (lost some: resync)" : got < (uint64_t)burst ? " (lost the rest)" : "");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const struct sub subs[] = {
		{"netlink socket (floor)", raw_start, raw_stop},
		{"ifplex events", ifplex_start, ifplex_stop},
#ifdef HAVE_LIBNL
		{"libnl cache manager callbacks", libnl_start, libnl_stop},
#endif
		{"ip -o monitor", mon_start, mon_stop},
	};

	if (argc > 1 && strcmp(argv[1], "--quick") == 0) {
		rounds = 100;
		burst = 2000;
	} else if (argc > 1 && strcmp(argv[1], "--smoke") == 0) {
		rounds = 20;
		burst = 200;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "events_bench: needs root for a network namespace: %s\n", strerror(errno));
		return 1;
	}
	if (system("ip link set lo up && ip link add eb0 type veth peer name eb1") != 0)
		return 1;
	ifindex = (int)if_nametoindex("eb0");
	struct sockaddr_nl k = {.nl_family = AF_NETLINK};
	req_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (req_fd < 0 || connect(req_fd, (struct sockaddr *)&k, sizeof k) < 0)
		return 1;
	printf("| subscriber | latency median | latency p99 | throughput | burst delivered |\n");
	printf("|---|---:|---:|---:|---|\n");
#ifndef HAVE_LIBNL
	printf("| libnl cache manager callbacks | not built (libnl-route-3-dev missing at configure time) | | | |\n");
#endif
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		measure(&subs[i]);
	printf("\n%d MTU changes one at a time (latency: the change's request sent -> the subscriber "
	       "has the event); a burst of %d IPv4 address changes queued while the subscriber is held "
	       "(throughput: events delivered per second once it is released; each subscriber's socket "
	       "buffer is 8 MiB, ip monitor's its own default).\n",
	       rounds, burst);
	return 0;
}
