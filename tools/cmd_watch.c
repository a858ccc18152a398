/* SPDX-License-Identifier: MIT */
/* watch: one line per change event, as the backend announces it, until
 * interrupted or --for=MS passes.  No polling: the read waits for the next
 * event (or the end of --for). */
#include "tool.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* The JSON "event" of each kind: the names of the first watch, which
 * compared listings (newlink, link, dellink, newaddr, deladdr), and new
 * ones in their style. */
static const char *json_event(int kind)
{
	switch (kind) {
	case IFPLEX_EV_LINK_ADDED: return "newlink";
	case IFPLEX_EV_LINK_CHANGED: return "link";
	case IFPLEX_EV_LINK_REMOVED: return "dellink";
	case IFPLEX_EV_ADDR_ADDED: return "newaddr";
	case IFPLEX_EV_ADDR_CHANGED: return "addr";
	case IFPLEX_EV_ADDR_REMOVED: return "deladdr";
	case IFPLEX_EV_MCAST_JOINED: return "newmaddr";
	case IFPLEX_EV_MCAST_LEFT: return "delmaddr";
	case IFPLEX_EV_RESYNC: return "resync";
	case IFPLEX_EV_SYNCED: return "synced";
	}
	return "unknown";
}

static const struct {
	unsigned bit;
	const char *name;
} changed_names[] = {
	{IFPLEX_CHANGED_FLAGS, "flags"},
	{IFPLEX_CHANGED_MTU, "mtu"},
	{IFPLEX_CHANGED_NAME, "name"},
	{IFPLEX_CHANGED_HWADDR, "hwaddr"},
	{IFPLEX_CHANGED_OTHER, "other"},
};

static void print_json(const struct ifplex_event *e)
{
	printf("{\"event\":\"%s\"", json_event(e->kind));
	if (e->kind <= IFPLEX_EV_LINK_REMOVED) {
		char hw[IFPLEX_HWADDR_STRLEN];
		ifplex_hwaddr_string(e->link.hwaddr, e->link.hwaddr_len, hw, sizeof hw);
		printf(",\"index\":%d,\"name\":", e->index);
		json_string(stdout, e->link.name);
		printf(",\"mtu\":%d,\"hwaddr\":\"%s\",\"flags\":", e->link.mtu, hw);
		json_flags(stdout, e->link.flags);
	} else if (e->kind <= IFPLEX_EV_MCAST_LEFT) {
		char text[IFPLEX_ADDR_STRLEN];
		ifplex_addr_string(&e->addr, text, sizeof text);
		printf(",\"index\":%d,\"ifname\":", e->index);
		json_string(stdout, e->name);
		printf(",\"addr\":");
		json_string(stdout, text);
	}
	if (e->kind == IFPLEX_EV_LINK_CHANGED) {
		printf(",\"changed\":[");
		int first = 1;
		for (size_t i = 0; i < sizeof changed_names / sizeof changed_names[0]; i++)
			if (e->changed & changed_names[i].bit) {
				printf("%s\"%s\"", first ? "" : ",", changed_names[i].name);
				first = 0;
			}
		putchar(']');
	}
	if (e->flags & IFPLEX_EVF_SYNC)
		printf(",\"listed\":true");
	if (e->flags & IFPLEX_EVF_IMPLIED)
		printf(",\"implied\":true");
	printf(",\"kind\":\"%s\",\"generation\":%llu}\n", ifplex_event_kind_name(e->kind),
	       (unsigned long long)e->generation);
}

static void print_text(const struct ifplex_event *e)
{
	const char *kind = ifplex_event_kind_name(e->kind);

	if (e->kind == IFPLEX_EV_RESYNC || e->kind == IFPLEX_EV_SYNCED) {
		printf("%s\n", kind);
		return;
	}
	printf("%-12s %-16s %5d ", kind, e->name[0] ? e->name : "?", e->index);
	if (e->kind <= IFPLEX_EV_LINK_REMOVED) {
		char hw[IFPLEX_HWADDR_STRLEN], flags[80];
		ifplex_hwaddr_string(e->link.hwaddr, e->link.hwaddr_len, hw, sizeof hw);
		text_flags(flags, sizeof flags, e->link.flags);
		printf("mtu %d hwaddr %s flags %s", e->link.mtu, hw[0] ? hw : "-", flags);
		const char *sep = " changed ";
		for (size_t i = 0; e->kind == IFPLEX_EV_LINK_CHANGED && i < sizeof changed_names / sizeof changed_names[0]; i++)
			if (e->changed & changed_names[i].bit) {
				printf("%s%s", sep, changed_names[i].name);
				sep = ",";
			}
	} else {
		char text[IFPLEX_ADDR_STRLEN];
		ifplex_addr_string(&e->addr, text, sizeof text);
		fputs(text, stdout);
	}
	if (e->flags & IFPLEX_EVF_SYNC)
		fputs(" (listed)", stdout);
	if (e->flags & IFPLEX_EVF_IMPLIED)
		fputs(" (implied)", stdout);
	putchar('\n');
}

/* Every line is out (flushed after each batch) when a signal ends the
 * watch, so it ends at once, successfully. */
static void on_signal(int sig)
{
	(void)sig;
	_Exit(0);
}

int cmd_watch(struct tool *t)
{
	struct ifplex_event buf[64];
	ifplex_events *ev;

	if (t->argc != 0)
		return tool_usage("watch takes no arguments but --for=MS");
	/* Multicast groups where the backend announces them. */
	int rc = ifplex_events_open(IFPLEX_EVENTS_ALL, &ev);
	if (rc == IFPLEX_ENOTSUP)
		rc = ifplex_events_open(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS, &ev);
	if (rc < 0)
		return tool_fail(rc);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	int64_t deadline = t->for_ms >= 0 ? ifplex_now() + t->for_ms * 1000000 : -1;
	for (;;) {
		int n = ifplex_events_read(ev, buf, sizeof buf / sizeof buf[0], deadline);
		if (n < 0) {
			ifplex_events_close(ev);
			return tool_fail(n);
		}
		for (int i = 0; i < n; i++)
			t->json ? print_json(&buf[i]) : print_text(&buf[i]);
		fflush(stdout);
		if (n == 0 && deadline >= 0 && ifplex_now() >= deadline)
			break;
	}
	ifplex_events_close(ev);
	return 0;
}
