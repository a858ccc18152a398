/* SPDX-License-Identifier: MIT */
/* Change events.  The plugin announces notices on a subscription of its
 * own; here the subscriber's view is kept, added is told from changed and
 * what changed is worked out, the state is listed again after a loss, and
 * what does not fit the caller's buffer waits in a queue. */
#include "events.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Notices taken from the plugin at a time. */
#define NOTICE_BATCH 64

/* A listing of the state being handed over as events. */
struct listing {
	struct ifplex_iface *links;
	struct ifplex_addr *addrs, *groups;
	size_t nlinks, naddrs, ngroups;
	size_t next;         /* position across the three lists */
	int active;
};

struct ifplex_events {
	struct ifplex__active a;
	ifplex_bevents *be;
	unsigned mask;
	struct ifplex__mutex *mu;
	struct ev_view view;
	uint64_t generation;
	struct ifplex_event *q;   /* a ring of events waiting to be read */
	size_t qcap, qhead, qlen;
	struct listing listing;
	/* Announcements were lost, or the view could not follow one (no
	 * memory): list the state before reading on. */
	int must_list;
	struct ifplex_notice notices[NOTICE_BATCH];
};

static const char *const kind_names[] = {
	NULL, "link-added", "link-changed", "link-removed", "addr-added", "addr-changed",
	"addr-removed", "mcast-joined", "mcast-left", "resync", "synced",
};

const char *ifplex_event_kind_name(int kind)
{
	if (kind <= 0 || (size_t)kind >= sizeof kind_names / sizeof kind_names[0])
		return "?";
	return kind_names[kind];
}

/* The mask bit an event kind is delivered under; 0: always. */
static unsigned kind_mask(int kind)
{
	switch (kind) {
	case IFPLEX_EV_LINK_ADDED:
	case IFPLEX_EV_LINK_CHANGED:
	case IFPLEX_EV_LINK_REMOVED:
		return IFPLEX_EVENTS_LINKS;
	case IFPLEX_EV_ADDR_ADDED:
	case IFPLEX_EV_ADDR_CHANGED:
	case IFPLEX_EV_ADDR_REMOVED:
		return IFPLEX_EVENTS_ADDRS;
	case IFPLEX_EV_MCAST_JOINED:
	case IFPLEX_EV_MCAST_LEFT:
		return IFPLEX_EVENTS_MCAST;
	}
	return 0;
}

/* Queue e (its generation set here) if the subscriber asked for its kind.
 * A failure leaves the subscriber behind: the state is listed again. */
static void push(struct ifplex_events *ev, struct ifplex_event *e)
{
	unsigned want = kind_mask(e->kind);

	if (want && !(ev->mask & want))
		return;
	if (ev->qlen == ev->qcap) {
		size_t cap = ev->qcap ? ev->qcap * 2 : 64;
		struct ifplex_event *q = malloc(cap * sizeof *q);
		if (!q) {
			ev->must_list = 1;
			return;
		}
		for (size_t i = 0; i < ev->qlen; i++)
			q[i] = ev->q[(ev->qhead + i) % ev->qcap];
		free(ev->q);
		ev->q = q;
		ev->qcap = cap;
		ev->qhead = 0;
	}
	e->generation = ++ev->generation;
	ev->q[(ev->qhead + ev->qlen++) % ev->qcap] = *e;
}

static void event_init(struct ifplex_event *e, int kind, unsigned flags, int index, const char *name)
{
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->flags = flags;
	e->index = index;
	if (name)
		memcpy(e->name, name, sizeof e->name);
}

/* The name of link index into buf: the view's, or the backend's when the
 * view has not seen the link yet (Linux announces a new link's multicast
 * groups before the link); "" when neither knows it. */
static const char *link_name(struct ifplex_events *ev, int index, char *buf)
{
	struct ev_link *l = view_link(&ev->view, index);
	struct ifplex_iface ifi;

	if (l && l->present)
		return memcpy(buf, l->ifi.name, IFPLEX_NAME_MAX);
	buf[0] = '\0';
	if (ev->a.be->interface_by_index && ev->a.be->interface_by_index(ev->a.state, index, &ifi) == 0)
		memcpy(buf, ifi.name, IFPLEX_NAME_MAX);
	ifplex__pending_clear();
	return buf;
}

static void push_link(struct ifplex_events *ev, int kind, unsigned flags, unsigned changed,
		      const struct ifplex_iface *ifi)
{
	struct ifplex_event e;

	event_init(&e, kind, flags, ifi->index, ifi->name);
	e.changed = changed;
	e.link = *ifi;
	push(ev, &e);
}

static void push_addr(struct ifplex_events *ev, int kind, unsigned flags, const struct ifplex_addr *a,
		      const char *name)
{
	struct ifplex_event e;

	event_init(&e, kind, flags, a->index, name);
	e.addr = *a;
	push(ev, &e);
}

/* ---- listing the state: at the start, and after announcements were lost */

static void listing_free(struct listing *l)
{
	ifplex__free(l->links);
	ifplex__free(l->addrs);
	ifplex__free(l->groups);
	memset(l, 0, sizeof *l);
}

/* Fill a fresh view from the backend's lists; with emit, hand the lists
 * over as events afterwards (after a RESYNC event when resync). */
static int list_state(struct ifplex_events *ev, int emit, int resync)
{
	const struct ifplex_backend *be = ev->a.be;
	struct listing l = {0};
	struct ev_view fresh;
	int rc = be->interfaces ? be->interfaces(ev->a.state, &l.links, &l.nlinks) : IFPLEX_ENOTSUP;

	if (rc == 0 && (ev->mask & IFPLEX_EVENTS_ADDRS))
		rc = be->interface_addrs ? be->interface_addrs(ev->a.state, 0, &l.addrs, &l.naddrs)
					 : IFPLEX_ENOTSUP;
	if (rc == 0 && (ev->mask & IFPLEX_EVENTS_MCAST))
		rc = be->multicast_addrs ? be->multicast_addrs(ev->a.state, 0, &l.groups, &l.ngroups)
					 : IFPLEX_ENOTSUP;
	view_init(&fresh);
	for (size_t i = 0; rc == 0 && i < l.nlinks; i++)
		rc = view_link_put(&fresh, &l.links[i], NULL) < 0 ? IFPLEX_ENOMEM : 0;
	for (size_t i = 0; rc == 0 && i < l.naddrs; i++)
		rc = view_member_put(&fresh, &l.addrs[i], 0) < 0 ? IFPLEX_ENOMEM : 0;
	for (size_t i = 0; rc == 0 && i < l.ngroups; i++)
		rc = view_member_put(&fresh, &l.groups[i], 1) < 0 ? IFPLEX_ENOMEM : 0;
	if (rc < 0) {
		view_free(&fresh);
		listing_free(&l);
		return rc;
	}
	view_free(&ev->view);
	ev->view = fresh;
	ev->must_list = 0;
	if (resync) {
		struct ifplex_event e;
		event_init(&e, IFPLEX_EV_RESYNC, 0, 0, NULL);
		push(ev, &e);
	}
	if (emit) {
		listing_free(&ev->listing);
		ev->listing = l;
		ev->listing.active = 1;
	} else {
		listing_free(&l);
	}
	return 0;
}

/* Queue the listing's next event, or SYNCED at its end. */
static void listing_step(struct ifplex_events *ev)
{
	struct listing *l = &ev->listing;
	size_t p = l->next++;

	if (p < l->nlinks) {
		push_link(ev, IFPLEX_EV_LINK_ADDED, IFPLEX_EVF_SYNC, 0, &l->links[p]);
		return;
	}
	char name[IFPLEX_NAME_MAX];
	p -= l->nlinks;
	if (p < l->naddrs) {
		push_addr(ev, IFPLEX_EV_ADDR_ADDED, IFPLEX_EVF_SYNC, &l->addrs[p],
			  link_name(ev, l->addrs[p].index, name));
		return;
	}
	p -= l->naddrs;
	if (p < l->ngroups) {
		push_addr(ev, IFPLEX_EV_MCAST_JOINED, IFPLEX_EVF_SYNC, &l->groups[p],
			  link_name(ev, l->groups[p].index, name));
		return;
	}
	listing_free(l);
	struct ifplex_event e;
	event_init(&e, IFPLEX_EV_SYNCED, 0, 0, NULL);
	push(ev, &e);
}

/* ---- notices to events */

static unsigned link_changes(const struct ifplex_iface *o, const struct ifplex_iface *n)
{
	unsigned c = 0;

	if (o->flags != n->flags)
		c |= IFPLEX_CHANGED_FLAGS;
	if (o->mtu != n->mtu)
		c |= IFPLEX_CHANGED_MTU;
	if (strncmp(o->name, n->name, sizeof o->name) != 0)
		c |= IFPLEX_CHANGED_NAME;
	if (o->hwaddr_len != n->hwaddr_len ||
	    memcmp(o->hwaddr, n->hwaddr, n->hwaddr_len <= IFPLEX_HWADDR_MAX ? n->hwaddr_len : IFPLEX_HWADDR_MAX))
		c |= IFPLEX_CHANGED_HWADDR;
	return c ? c : IFPLEX_CHANGED_OTHER;
}

struct implied {
	struct ifplex_events *ev;
	const char *name;
};

static void on_implied(const struct ev_member *m, void *arg)
{
	struct implied *x = arg;

	push_addr(x->ev, m->group ? IFPLEX_EV_MCAST_LEFT : IFPLEX_EV_ADDR_REMOVED, IFPLEX_EVF_IMPLIED, &m->a,
		  x->name);
}

static void on_link(struct ifplex_events *ev, const struct ifplex_notice *n)
{
	struct ifplex_iface old;
	int had = view_link_put(&ev->view, &n->link, &old);

	if (had < 0) {
		ev->must_list = 1;
		return;
	}
	if (!had) {
		push_link(ev, IFPLEX_EV_LINK_ADDED, 0, 0, &n->link);
		return;
	}
	unsigned changed = link_changes(&old, &n->link);
	if (changed & IFPLEX_CHANGED_NAME)
		view_rezone(&ev->view, n->link.index, n->link.name);
	push_link(ev, IFPLEX_EV_LINK_CHANGED, 0, changed, &n->link);
}

static void on_addr(struct ifplex_events *ev, const struct ifplex_notice *n)
{
	struct ifplex_addr a = n->addr;
	char buf[IFPLEX_NAME_MAX];
	const char *name = link_name(ev, a.index, buf);
	int group = n->kind == IFPLEX_NOTICE_MCAST || n->kind == IFPLEX_NOTICE_MCAST_DEL;

	if (n->flags & IFPLEX_NOTICE_ZONE)
		memcpy(a.zone, name, sizeof a.zone);
	switch (n->kind) {
	case IFPLEX_NOTICE_ADDR:
	case IFPLEX_NOTICE_MCAST: {
		int had = view_member_put(&ev->view, &a, group);
		if (had < 0) {
			ev->must_list = 1;
			return;
		}
		push_addr(ev, group ? IFPLEX_EV_MCAST_JOINED : had ? IFPLEX_EV_ADDR_CHANGED : IFPLEX_EV_ADDR_ADDED,
			  0, &a, name);
		return;
	}
	default:
		view_member_del(&ev->view, &a, group);
		push_addr(ev, group ? IFPLEX_EV_MCAST_LEFT : IFPLEX_EV_ADDR_REMOVED, 0, &a, name);
	}
}

static void translate(struct ifplex_events *ev, const struct ifplex_notice *n)
{
	switch (n->kind) {
	case IFPLEX_NOTICE_LINK:
		on_link(ev, n);
		break;
	case IFPLEX_NOTICE_LINK_OTHER: {
		struct ev_link *l = view_link(&ev->view, n->link.index);
		if (l && l->present) {
			struct ifplex_iface ifi = l->ifi;
			push_link(ev, IFPLEX_EV_LINK_CHANGED, 0, IFPLEX_CHANGED_OTHER, &ifi);
		}
		break;
	}
	case IFPLEX_NOTICE_LINK_DEL: {
		struct implied x = {ev, n->link.name};
		view_link_del(&ev->view, n->link.index, on_implied, &x);
		push_link(ev, IFPLEX_EV_LINK_REMOVED, 0, 0, &n->link);
		break;
	}
	case IFPLEX_NOTICE_ADDR:
	case IFPLEX_NOTICE_ADDR_DEL:
	case IFPLEX_NOTICE_MCAST:
	case IFPLEX_NOTICE_MCAST_DEL:
		on_addr(ev, n);
		break;
	case IFPLEX_NOTICE_LOST:
	default: /* a notice this core does not know: the view cannot follow */
		ev->must_list = 1;
	}
}

/* Move what is ready into buf without waiting: queued events, the rest of
 * a listing, a listing due, then the plugin's notices. */
static int fill(struct ifplex_events *ev, struct ifplex_event *buf, size_t n, size_t *got)
{
	while (*got < n) {
		if (ev->qlen) {
			buf[(*got)++] = ev->q[ev->qhead];
			ev->qhead = (ev->qhead + 1) % ev->qcap;
			ev->qlen--;
			continue;
		}
		if (ev->listing.active) {
			listing_step(ev);
			continue;
		}
		if (ev->must_list) {
			int rc = list_state(ev, 1, 1);
			if (rc < 0)
				return rc;
			continue;
		}
		size_t want = n - *got < NOTICE_BATCH ? n - *got : NOTICE_BATCH;
		ifplex__pending_clear();
		int m = ev->a.be->events_read(ev->be, ev->notices, want);
		if (m < 0)
			return m;
		if (m == 0)
			break;
		/* After a loss, or a notice the view could not follow, what
		 * came with it is older than the listing that follows. */
		for (int i = 0; i < m && i < (int)want && !ev->must_list; i++)
			translate(ev, &ev->notices[i]);
	}
	return 0;
}

int ifplex_events_read(ifplex_events *ev, struct ifplex_event *buf, size_t n, int64_t deadline)
{
	size_t got = 0;

	if (!ev || (!buf && n))
		return ifplex__set_errorf(IFPLEX_EINVAL, "events read: NULL argument");
	if (n > INT_MAX)
		n = INT_MAX;
	for (;;) {
		ifplex__mutex_lock(ev->mu);
		int rc = fill(ev, buf, n, &got);
		ifplex__mutex_unlock(ev->mu);
		if (rc < 0 && got == 0)
			return ifplex__op_error(rc, "events", ev->a.be->name, NULL);
		if (got || n == 0 || deadline == 0 || (deadline > 0 && ifplex__now() >= deadline))
			return (int)got;
		/* Wait without the lock, so that another thread can read meanwhile. */
		ifplex__pending_clear();
		rc = ev->a.be->events_wait(ev->be, deadline);
		if (rc < 0)
			return ifplex__op_error(rc, "events", ev->a.be->name, NULL);
		if (rc == 0)
			deadline = 0; /* one more look, then return */
	}
}

int ifplex_events_wait_fd(ifplex_events *ev, intptr_t *fd)
{
	if (!ev || !fd)
		return ifplex__set_errorf(IFPLEX_EINVAL, "events wait fd: NULL argument");
	if (!ev->a.be->events_wait_fd)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "events: backend %s has no descriptor to wait on",
					  ev->a.be->name);
	ifplex__mutex_lock(ev->mu);
	ifplex__pending_clear();
	int rc = ev->a.be->events_wait_fd(ev->be, fd);
	ifplex__mutex_unlock(ev->mu);
	return rc < 0 ? ifplex__op_error(rc, "events", ev->a.be->name, NULL) : 0;
}

static void events_free(struct ifplex_events *ev)
{
	if (ev->be)
		ev->a.be->events_close(ev->be);
	view_free(&ev->view);
	listing_free(&ev->listing);
	free(ev->q);
	ifplex__mutex_free(ev->mu);
	free(ev);
}

int ifplex_events_close(ifplex_events *ev)
{
	if (ev)
		events_free(ev);
	return 0;
}

int ifplex_events_open(unsigned mask, ifplex_events **out)
{
	struct ifplex__active a;
	int rc;

	if (!out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "events open: NULL argument");
	*out = NULL;
	if ((mask & ~(IFPLEX_EVENTS_ALL | IFPLEX_EVENTS_INITIAL)) || !(mask & IFPLEX_EVENTS_ALL))
		return ifplex__set_errorf(IFPLEX_EINVAL, "events open: invalid mask %#x", mask);
	if ((rc = ifplex__backend(&a)) < 0)
		return ifplex__set_errorf(rc, "events: %s", ifplex__last_message());
	const struct ifplex_backend *be = a.be;
	if (!be->events_open || !be->events_read || !be->events_wait || !be->events_close)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "events: not supported by backend %s", be->name);
	struct ifplex_events *ev = calloc(1, sizeof *ev);
	if (!ev || !(ev->mu = ifplex__mutex_new())) {
		free(ev);
		return ifplex__set_errorf(IFPLEX_ENOMEM, "events open: out of memory");
	}
	ev->a = a;
	ev->mask = mask & IFPLEX_EVENTS_ALL;
	view_init(&ev->view);
	ifplex__pending_clear();
	/* Subscribed first, listed second: nothing falls between the two. */
	rc = be->events_open(a.state, ev->mask | IFPLEX_EVENTS_LINKS, &ev->be);
	if (rc == 0 && !ev->be)
		rc = IFPLEX_EBADPLUGIN;
	if (rc == 0)
		rc = list_state(ev, (mask & IFPLEX_EVENTS_INITIAL) != 0, 0);
	if (rc < 0) {
		rc = ifplex__op_error(rc, "events", be->name, NULL);
		events_free(ev);
		return rc;
	}
	*out = ev;
	return 0;
}
