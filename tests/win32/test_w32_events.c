/* SPDX-License-Identifier: MIT */
/* The win32 backend's change events under wine, driven by events_wine.py,
 * which changes links and addresses on the Linux side of the namespace.
 *
 *   test_w32_events open [all]
 *       open a subscription to links and addresses (all: and groups),
 *       print "open RC MESSAGE"
 *   test_w32_events watch STOP
 *       subscribe with the initial state, print "ready", then one line per
 *       event ("ev KIND NAME ADDR"), waiting on the subscription's event
 *       object; keep a view (links by index, addresses) from the events,
 *       and once link STOP is added compare it with a fresh listing:
 *       "view ok" or "view differs: ...". */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <ifplex.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXV 256

static struct ifplex_iface links[MAXV];
static struct ifplex_addr addrs[MAXV];
static size_t nlinks, naddrs;

static int same_addr(const struct ifplex_addr *a, const struct ifplex_addr *b)
{
	return a->index == b->index && a->prefixlen == b->prefixlen && a->ip.len == b->ip.len &&
	       memcmp(a->ip.b, b->ip.b, a->ip.len) == 0;
}

static void view_del_addr(const struct ifplex_addr *a)
{
	for (size_t i = 0; i < naddrs; i++)
		if (same_addr(&addrs[i], a)) {
			addrs[i] = addrs[--naddrs];
			return;
		}
}

static void view_put_addr(const struct ifplex_addr *a)
{
	view_del_addr(a);
	if (naddrs < MAXV)
		addrs[naddrs++] = *a;
}

static void view_del_link(int index)
{
	for (size_t i = 0; i < nlinks; i++)
		if (links[i].index == index) {
			links[i] = links[--nlinks];
			return;
		}
}

static void view_put_link(const struct ifplex_iface *l)
{
	view_del_link(l->index);
	if (nlinks < MAXV)
		links[nlinks++] = *l;
}

static void apply(const struct ifplex_event *e)
{
	switch (e->kind) {
	case IFPLEX_EV_RESYNC:
		nlinks = naddrs = 0;
		break;
	case IFPLEX_EV_LINK_ADDED:
	case IFPLEX_EV_LINK_CHANGED:
		view_put_link(&e->link);
		break;
	case IFPLEX_EV_LINK_REMOVED:
		view_del_link(e->index);
		break;
	case IFPLEX_EV_ADDR_ADDED:
	case IFPLEX_EV_ADDR_CHANGED:
		view_put_addr(&e->addr);
		break;
	case IFPLEX_EV_ADDR_REMOVED:
		view_del_addr(&e->addr);
		break;
	}
}

static void print_event(const struct ifplex_event *e)
{
	char a[IFPLEX_ADDR_STRLEN] = "-";

	if (e->kind >= IFPLEX_EV_ADDR_ADDED && e->kind <= IFPLEX_EV_MCAST_LEFT)
		ifplex_addr_string(&e->addr, a, sizeof a);
	printf("ev %s %s %s", ifplex_event_kind_name(e->kind), e->name[0] ? e->name : "-", a);
	if (e->kind == IFPLEX_EV_LINK_CHANGED)
		printf(" changed=%#x mtu=%d", e->changed, e->link.mtu);
	printf("%s\n", e->flags & IFPLEX_EVF_SYNC ? " sync" : "");
	fflush(stdout);
}

static int same_iface(const struct ifplex_iface *a, const struct ifplex_iface *b)
{
	return a->index == b->index && a->mtu == b->mtu && a->flags == b->flags &&
	       strcmp(a->name, b->name) == 0 && a->hwaddr_len == b->hwaddr_len &&
	       memcmp(a->hwaddr, b->hwaddr, a->hwaddr_len) == 0;
}

/* The view against ifplex_interfaces and ifplex_interface_addrs: the
 * number of differences, each printed if report is set. */
static int compare(int report)
{
	struct ifplex_iface *l;
	struct ifplex_addr *a;
	size_t nl, na;
	int bad = 0;

	if (ifplex_interfaces(&l, &nl) < 0 || ifplex_interface_addrs(0, &a, &na) < 0) {
		if (report)
			printf("view differs: listing failed: %s\n", ifplex_last_error());
		return 1;
	}
	if (nl != nlinks || na != naddrs) {
		if (report)
			printf("view differs: %zu links, %zu addresses; listed %zu, %zu\n", nlinks, naddrs, nl, na);
		bad++;
	}
	for (size_t i = 0; i < nl; i++) {
		size_t j = 0;
		while (j < nlinks && !same_iface(&links[j], &l[i]))
			j++;
		if (j == nlinks) {
			if (report)
				printf("view differs: link %s (%d) not as listed\n", l[i].name, l[i].index);
			bad++;
		}
	}
	for (size_t i = 0; i < na; i++) {
		size_t j = 0;
		while (j < naddrs && !same_addr(&addrs[j], &a[i]))
			j++;
		if (j == naddrs) {
			char s[IFPLEX_ADDR_STRLEN];
			ifplex_addr_string(&a[i], s, sizeof s);
			if (report)
				printf("view differs: address %s missing\n", s);
			bad++;
		}
	}
	if (!bad && report)
		printf("view ok: %zu links, %zu addresses\n", nl, na);
	ifplex_free(l);
	ifplex_free(a);
	return bad;
}

/* The guarantee on win32 is that the view ends equal to the system's
 * state: one reading may hold the stop link and not yet a change made
 * before it (wine lists links and addresses with separate calls), so the
 * events of the next readings are taken in for up to five seconds before
 * the view is judged. */
static void settle(ifplex_events *ev, HANDLE h)
{
	struct ifplex_event buf[16];

	for (int rounds = 0; rounds < 50 && compare(0) != 0; rounds++) {
		WaitForSingleObject(h, 100);
		int n;
		while ((n = ifplex_events_read(ev, buf, 16, 0)) > 0) {
			for (int i = 0; i < n; i++) {
				print_event(&buf[i]);
				apply(&buf[i]);
			}
		}
	}
	compare(1);
}

static int watch(const char *stop)
{
	ifplex_events *ev;
	intptr_t h;
	struct ifplex_event buf[16];
	int synced = 0;

	if (ifplex_events_open(IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS | IFPLEX_EVENTS_INITIAL, &ev) < 0 ||
	    ifplex_events_wait_fd(ev, &h) < 0) {
		printf("failed: %s\n", ifplex_last_error());
		return 1;
	}
	/* Five minutes at most: the driver gives up sooner. */
	for (int rounds = 0; rounds < 3000; rounds++) {
		DWORD w = WaitForSingleObject((HANDLE)h, 100);
		if (w == WAIT_FAILED) {
			printf("failed: WaitForSingleObject %lu\n", GetLastError());
			return 1;
		}
		int n;
		while ((n = ifplex_events_read(ev, buf, 16, 0)) > 0) {
			for (int i = 0; i < n; i++) {
				print_event(&buf[i]);
				apply(&buf[i]);
				if (buf[i].kind == IFPLEX_EV_SYNCED && !synced++) {
					printf("ready\n");
					fflush(stdout);
				}
				if (buf[i].kind == IFPLEX_EV_LINK_ADDED && strcmp(buf[i].name, stop) == 0) {
					settle(ev, (HANDLE)h);
					ifplex_events_close(ev);
					return 0;
				}
			}
		}
		if (n < 0) {
			printf("failed: %s\n", ifplex_last_error());
			return 1;
		}
	}
	printf("failed: link %s never came\n", stop);
	ifplex_events_close(ev);
	return 1;
}

int main(int argc, char **argv)
{
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "open") == 0) {
		ifplex_events *ev = NULL;
		unsigned mask = argc == 3 && strcmp(argv[2], "all") == 0
					? IFPLEX_EVENTS_ALL : IFPLEX_EVENTS_LINKS | IFPLEX_EVENTS_ADDRS;
		int rc = ifplex_events_open(mask, &ev);
		printf("open %d %s\n", rc, rc < 0 ? ifplex_last_error() : "");
		ifplex_events_close(ev);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "watch") == 0)
		return watch(argv[2]);
	fprintf(stderr, "usage: test_w32_events open [all] | watch STOP\n");
	return 2;
}
