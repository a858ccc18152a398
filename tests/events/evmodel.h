/* SPDX-License-Identifier: MIT */
/* A subscriber's model of the state, built only from the events it reads,
 * and its comparison with a fresh listing: what a monitoring agent does. */
#ifndef IFPLEX_TEST_EVMODEL_H
#define IFPLEX_TEST_EVMODEL_H

#include <check.h>
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct evmodel {
	struct ifplex_iface *links;
	size_t nlinks, caplinks;
	struct ifplex_addr *addrs;
	size_t naddrs, capaddrs;
	int in_sync;          /* between RESYNC (or INITIAL) and SYNCED */
	unsigned resyncs, synced;
	uint64_t last_gen;
};

static inline int evmodel_same_addr(const struct ifplex_addr *a, const struct ifplex_addr *b)
{
	return a->index == b->index && a->prefixlen == b->prefixlen && a->ip.len == b->ip.len &&
	       memcmp(a->ip.b, b->ip.b, a->ip.len) == 0;
}

static inline void evmodel_reset(struct evmodel *m)
{
	m->nlinks = m->naddrs = 0;
}

static inline void evmodel_free(struct evmodel *m)
{
	free(m->links);
	free(m->addrs);
	memset(m, 0, sizeof *m);
}

static inline struct ifplex_iface *evmodel_link(struct evmodel *m, int index)
{
	for (size_t i = 0; i < m->nlinks; i++)
		if (m->links[i].index == index)
			return &m->links[i];
	return NULL;
}

static inline struct ifplex_addr *evmodel_addr(struct evmodel *m, const struct ifplex_addr *a)
{
	for (size_t i = 0; i < m->naddrs; i++)
		if (evmodel_same_addr(&m->addrs[i], a))
			return &m->addrs[i];
	return NULL;
}

/* Apply one event as a subscriber would; the generation must grow by one. */
static inline void evmodel_apply(struct evmodel *m, const struct ifplex_event *e)
{
	ck_assert_msg(e->generation == m->last_gen + 1, "generation %llu after %llu",
		      (unsigned long long)e->generation, (unsigned long long)m->last_gen);
	m->last_gen = e->generation;
	switch (e->kind) {
	case IFPLEX_EV_RESYNC:
		evmodel_reset(m);
		m->in_sync = 1;
		m->resyncs++;
		break;
	case IFPLEX_EV_SYNCED:
		m->in_sync = 0;
		m->synced++;
		break;
	case IFPLEX_EV_LINK_ADDED:
	case IFPLEX_EV_LINK_CHANGED: {
		struct ifplex_iface *l = evmodel_link(m, e->index);
		if (!l) {
			if (m->nlinks == m->caplinks) {
				m->caplinks = m->caplinks ? m->caplinks * 2 : 16;
				m->links = realloc(m->links, m->caplinks * sizeof *m->links);
				ck_assert_ptr_nonnull(m->links);
			}
			l = &m->links[m->nlinks++];
		}
		*l = e->link;
		break;
	}
	case IFPLEX_EV_LINK_REMOVED: {
		struct ifplex_iface *l = evmodel_link(m, e->index);
		if (l)
			*l = m->links[--m->nlinks];
		break;
	}
	case IFPLEX_EV_ADDR_ADDED:
	case IFPLEX_EV_ADDR_CHANGED: {
		struct ifplex_addr *a = evmodel_addr(m, &e->addr);
		if (!a) {
			if (m->naddrs == m->capaddrs) {
				m->capaddrs = m->capaddrs ? m->capaddrs * 2 : 16;
				m->addrs = realloc(m->addrs, m->capaddrs * sizeof *m->addrs);
				ck_assert_ptr_nonnull(m->addrs);
			}
			a = &m->addrs[m->naddrs++];
		}
		*a = e->addr;
		break;
	}
	case IFPLEX_EV_ADDR_REMOVED: {
		struct ifplex_addr *a = evmodel_addr(m, &e->addr);
		if (a)
			*a = m->addrs[--m->naddrs];
		break;
	}
	}
}

/* The model equals a fresh listing: every link with its record, and (when
 * mask has IFPLEX_EVENTS_ADDRS) every address with its zone. */
static inline void evmodel_check(struct evmodel *m, unsigned mask, const char *when)
{
	struct ifplex_iface *ifs;
	struct ifplex_addr *as;
	size_t nifs, nas;
	char t[IFPLEX_ADDR_STRLEN];

	ck_assert_int_eq(ifplex_interfaces(&ifs, &nifs), 0);
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &as, &nas), 0);
	ck_assert_msg(nifs == m->nlinks, "%s: %zu links listed, the model has %zu", when, nifs, m->nlinks);
	for (size_t i = 0; i < nifs; i++) {
		struct ifplex_iface *l = evmodel_link(m, ifs[i].index);
		ck_assert_msg(l, "%s: link %s missing from the model", when, ifs[i].name);
		ck_assert_msg(memcmp(l, &ifs[i], sizeof *l) == 0, "%s: link %s differs (model %s mtu %d flags %#x)",
			      when, ifs[i].name, l->name, l->mtu, l->flags);
	}
	if (!(mask & IFPLEX_EVENTS_ADDRS))
		nas = 0;
	ck_assert_msg(nas == m->naddrs, "%s: %zu addresses listed, the model has %zu", when, nas, m->naddrs);
	for (size_t i = 0; i < nas; i++) {
		struct ifplex_addr *a = evmodel_addr(m, &as[i]);
		ifplex_addr_string(&as[i], t, sizeof t);
		ck_assert_msg(a, "%s: address %s missing from the model", when, t);
		ck_assert_msg(strcmp(a->zone, as[i].zone) == 0, "%s: address %s has zone %s in the model", when, t,
			      a->zone);
	}
	ifplex_free(ifs);
	ifplex_free(as);
}

#endif
