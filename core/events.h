/* SPDX-License-Identifier: MIT */
/* The core's side of change events: a subscription's view of the state
 * (events_view.c) and a lock that survives fork() (mutex_*.c). */
#ifndef IFPLEX_CORE_EVENTS_H
#define IFPLEX_CORE_EVENTS_H

#include "internal.h"

/* ---- events_view.c: the links, addresses and groups a subscription has
 * reported; every operation is O(1) in their number (amortized). */

/* A link the view holds, or a stub that only holds the addresses of a
 * link it has not seen announced. */
struct ev_link {
	struct ifplex_iface ifi;
	int present;
	size_t members;      /* first member's slot + 1; 0: none */
};

/* An address or a group of a link. */
struct ev_member {
	struct ifplex_addr a;
	int group;
	int used;
	size_t prev, next;   /* neighbours in the link's list, slot + 1 */
};

/* Open addressing with linear probing, at most half full; deletions shift
 * the entries after them back, so there are no tombstones.  Entries are
 * slot + 1, 0 is empty. */
struct ev_hash {
	size_t *e;
	size_t cap;          /* a power of two, or 0 */
	size_t n;
};

struct ev_view {
	struct ev_link *links;
	size_t nlinks, caplinks, free_links;  /* free_links: a free slot + 1, chained through members */
	struct ev_member *mem;
	size_t nmem, capmem, free_mem;        /* chained through next */
	struct ev_hash by_index, by_member;
};

void view_init(struct ev_view *v);
void view_free(struct ev_view *v);
/* The link of index, present or a stub; NULL if the view has neither. */
struct ev_link *view_link(struct ev_view *v, int index);
/* Put ifi; *old gets the previous record and the return is 1 when the
 * link was present, 0 when it was not (added); IFPLEX_ENOMEM. */
int view_link_put(struct ev_view *v, const struct ifplex_iface *ifi, struct ifplex_iface *old);
/* Take out the link of index with its members, calling fn for each member
 * first; 1 if the link was present, 0 if not. */
int view_link_del(struct ev_view *v, int index,
		  void (*fn)(const struct ev_member *m, void *arg), void *arg);
/* Put an address or group: 1 when it was there (replaced), 0 when added,
 * IFPLEX_ENOMEM. */
int view_member_put(struct ev_view *v, const struct ifplex_addr *a, int group);
/* Take one out: 1 if it was there, 0 if not. */
int view_member_del(struct ev_view *v, const struct ifplex_addr *a, int group);
/* Rewrite the zone of link index's members that carry one (a rename). */
void view_rezone(struct ev_view *v, int index, const char *name);

/* ---- mutex_*.c: a lock that fork() leaves usable: every lock is taken
 * before a fork and released after it on both sides.  Never held across a
 * wait. */
struct ifplex__mutex;
struct ifplex__mutex *ifplex__mutex_new(void);
void ifplex__mutex_free(struct ifplex__mutex *m);
void ifplex__mutex_lock(struct ifplex__mutex *m);
void ifplex__mutex_unlock(struct ifplex__mutex *m);

#endif
