/* SPDX-License-Identifier: MIT */
/* Follow link and address changes from an epoll loop: the subscription's
 * descriptor is registered like any socket, and when it turns readable
 * every waiting event is read without blocking.  The current state comes
 * first (IFPLEX_EVENTS_INITIAL), ended by "synced".
 *
 *   events_epoll [MS]    run for MS milliseconds (default: until killed)
 */
#define _GNU_SOURCE
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

/* Read until the subscription has nothing more: the descriptor shows only
 * what the kernel queued, not what waits inside the subscription. */
static int drain(ifplex_events *ev)
{
	struct ifplex_event e[16];
	int n;

	while ((n = ifplex_events_read(ev, e, 16, 0)) > 0) {
		for (int i = 0; i < n; i++) {
			char text[IFPLEX_ADDR_STRLEN] = "";
			if (e[i].kind >= IFPLEX_EV_ADDR_ADDED && e[i].kind <= IFPLEX_EV_MCAST_LEFT)
				ifplex_addr_string(&e[i].addr, text, sizeof text);
			printf("%s%s%s%s%s\n", ifplex_event_kind_name(e[i].kind), *e[i].name ? " " : "",
			       e[i].name, *text ? " " : "", text);
		}
		fflush(stdout);
	}
	return n;
}

int main(int argc, char **argv)
{
	int ms = argc > 1 ? atoi(argv[1]) : -1;
	ifplex_events *ev;
	intptr_t fd;

	if (ifplex_events_open(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS | IFPLEX_EVENTS_INITIAL, &ev) < 0 ||
	    ifplex_events_wait_fd(ev, &fd) < 0) {
		fprintf(stderr, "events_epoll: %s\n", ifplex_last_error());
		return 1;
	}
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event want = {.events = EPOLLIN};
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, (int)fd, &want) < 0) {
		perror("events_epoll: epoll");
		return 1;
	}
	int64_t end = ms < 0 ? -1 : ifplex_now() + ms * 1000000LL;
	int rc = drain(ev); /* the initial state waits inside the subscription */
	while (rc == 0) {
		int64_t left = end < 0 ? -1 : (end - ifplex_now()) / 1000000;
		if (end >= 0 && left <= 0)
			break;
		struct epoll_event got;
		if (epoll_wait(ep, &got, 1, (int)left) > 0)
			rc = drain(ev);
	}
	if (rc < 0)
		fprintf(stderr, "events_epoll: %s\n", ifplex_last_error());
	close(ep);
	ifplex_events_close(ev);
	return rc < 0;
}
