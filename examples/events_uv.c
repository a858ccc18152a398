/* SPDX-License-Identifier: MIT */
/* Follow link and address changes from a libuv loop: a uv_poll_t watches
 * the subscription's descriptor, and each time it turns readable every
 * waiting event is read without blocking.  The current state comes first
 * (IFPLEX_EVENTS_INITIAL), ended by "synced".
 *
 *   events_uv [MS]    run for MS milliseconds (default: until killed)
 */
#define _GNU_SOURCE
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

static ifplex_events *ev;

/* Read until the subscription has nothing more. */
static void drain(uv_poll_t *h, int status, int events)
{
	struct ifplex_event e[16];
	int n;

	(void)events;
	if (status < 0)
		return;
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
	if (n < 0) {
		fprintf(stderr, "events_uv: %s\n", ifplex_last_error());
		uv_stop(h->loop);
	}
}

static void stop(uv_timer_t *t)
{
	uv_stop(t->loop);
}

int main(int argc, char **argv)
{
	uv_loop_t *loop = uv_default_loop();
	uv_poll_t poll;
	uv_timer_t timer;
	intptr_t fd;

	if (ifplex_events_open(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS | IFPLEX_EVENTS_INITIAL, &ev) < 0 ||
	    ifplex_events_wait_fd(ev, &fd) < 0) {
		fprintf(stderr, "events_uv: %s\n", ifplex_last_error());
		return 1;
	}
	uv_poll_init(loop, &poll, (int)fd);
	uv_poll_start(&poll, UV_READABLE, drain);
	if (argc > 1) {
		uv_timer_init(loop, &timer);
		uv_timer_start(&timer, stop, (uint64_t)atoi(argv[1]), 0);
	}
	drain(&poll, 0, 0); /* the initial state waits inside the subscription */
	uv_run(loop, UV_RUN_DEFAULT);
	ifplex_events_close(ev);
	return 0;
}
