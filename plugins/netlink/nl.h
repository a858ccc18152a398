/* SPDX-License-Identifier: MIT */
/* The netlink plugin's internal interfaces. */
#ifndef IFPLEX_NL_H
#define IFPLEX_NL_H

#include <ifplex/backend.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/vec.h"

/* ---- nl_socket.c: one NETLINK_ROUTE request socket, exact reading */
struct nl_sock {
	int fd;
	uint32_t portid;
	uint32_t seq;
	int strict;          /* NETLINK_GET_STRICT_CHK accepted */
	pid_t pid;           /* the process that opened fd, to notice fork() */
	char *buf;
	size_t cap;
	_Atomic unsigned requests_total; /* requests sent, kept across reopens */
};

/* Called for each answer message; a negative return stops and is returned. */
typedef int (*nl_cb)(const struct nlmsghdr *h, void *arg);

int nl_open(struct nl_sock *s);
void nl_close(struct nl_sock *s);
/* Send req (its seq and pid are set here) and deliver the answer to cb:
 * every message of a dump until NLMSG_DONE, or the one answer of a plain
 * request.  An interrupted or cut dump is run again from the start (the
 * callback's reset is called first).  0; NL_INTERRUPTED when every run was
 * interrupted by changes and the last, whole, answer was kept; or a
 * negative -errno or IFPLEX_E* code (a half-read dump reopens the socket,
 * so that the next request works). */
#define NL_INTERRUPTED 1
int nl_request(struct nl_sock *s, struct nlmsghdr *req, nl_cb cb, void (*reset)(void *), void *arg);

/* ---- nl_parse.c: messages to ifplex values; every length checked */
/* Every attribute in [p, p+len) fits (its length covers its header and
 * stays inside), or 0: the message is refused. */
int nl_attrs_ok(const void *p, size_t len);
/* An attribute's payload and its length. */
const void *nl_attr_payload(const struct rtattr *a, size_t *n);
/* Walk attributes that nl_attrs_ok() accepted: each is whole and in bounds. */
#define nl_for_each_attr(a, p, len)                                               \
	for (const char *a##_p = (p), *a##_end = (p) + (len);                      \
	     a##_p + sizeof(struct rtattr) <= a##_end;                              \
	     a##_p += RTA_ALIGN(((const struct rtattr *)a##_p)->rta_len))          \
		for (const struct rtattr *a = (const struct rtattr *)a##_p; a; a = NULL)
/* RTM_NEWLINK to an interface: 0, or IFPLEX_EMALFORMED. */
int nl_parse_link(const struct nlmsghdr *h, struct ifplex_iface *out);
/* What an address message says beyond the address. */
struct nl_addr_meta {
	int scope;       /* ifa_scope */
	uint32_t flags;  /* IFA_F_*, from IFA_FLAGS when present */
};
/* RTM_NEWADDR to an address (zone left empty): 0, 1 for a family ifplex
 * does not report, or IFPLEX_EMALFORMED. */
int nl_parse_addr(const struct nlmsghdr *h, struct ifplex_addr *out, struct nl_addr_meta *meta);
/* A multicast group membership (RTM_GETMULTICAST dump answer): 0, 1 for a
 * family ifplex does not report, or IFPLEX_EMALFORMED. */
int nl_parse_mcast(const struct nlmsghdr *h, struct ifplex_addr *out);
/* nl_parse_details.c: RTM_NEWLINK to link details (present bits set for
 * what the message tells, a struct the caller zeroed), RTM_NEWADDR to
 * address details (the address's zone left empty): 0, 1 for an address
 * family ifplex does not report, or IFPLEX_EMALFORMED. */
int nl_parse_link_details(const struct nlmsghdr *h, struct ifplex_link_details *out);
int nl_parse_addr_details(const struct nlmsghdr *h, struct ifplex_addr_details *out);
/* Linux's IFA_F_* to IFPLEX_ADDRF_* for an address of alen bytes. */
unsigned nl_addr_flags(uint32_t ifa_flags, size_t alen);
/* Of an address message nl_parse_addr accepted: peer, broadcast, label and
 * lifetimes into out, and when the kernel last set the lifetimes (the
 * cacheinfo's tstamp, 0 without one). */
int nl_parse_addr_extra(const struct nlmsghdr *h, size_t alen, struct ifplex_addr_details *out,
			uint32_t *tstamp);
/* RTM_NEWSTATS with IFLA_STATS_LINK_64 to out's statistics. */
int nl_parse_link_stats(const struct nlmsghdr *h, struct ifplex_link_details *out);
/* Whether an IPv6 address of this scope carries the interface name as zone. */
int nl_addr_wants_zone(const struct ifplex_addr *a, int scope);
/* Whether a multicast group carries the interface name as zone: IPv6
 * interface- and link-local groups. */
int nl_group_wants_zone(const struct ifplex_addr *a);

/* ---- nl_links.c, nl_addrs.c, mcast_proc.c: the backend operations */
#include "cache.h"
struct nl_state {
	const struct ifplex_host *host;
	pthread_mutex_t lock;  /* one request at a time on the socket */
	struct nl_sock sock;
	struct cache cache;    /* cache.h */
	/* Where the last multicast list came from: a static string. */
	_Atomic(const char *) mcast_source;
	struct nl_state *fork_next; /* nl_fork.c's list of open states */
};

int nl_state_sock(struct nl_state *st, struct nl_sock **out);
int nl_links_dump(struct nl_state *st, struct vec *ifaces);
int nl_link_get(struct nl_state *st, int index, const char *name, struct ifplex_iface *out);
int nl_addrs(struct nl_state *st, int index, struct ifplex_addr **list, size_t *count);
/* nl_addrs.c: an RTM_GETADDR dump to cb, of index's addresses where the
 * kernel filters (strict checking), else of all: cb filters again. */
int nl_addr_dump(struct nl_sock *s, int index, nl_cb cb, void (*reset)(void *), void *arg);
/* Fill the zones of addresses marked for one ('%') with their link's name
 * and drop those whose link vanished between the dumps: n records of
 * stride bytes whose struct ifplex_addr lies at off.  links is sorted here,
 * so that each costs a binary search; returns how many were kept. */
size_t nl_addrs_pair(void *recs, size_t n, size_t stride, size_t off, struct ifplex_iface *links,
		     size_t nlinks);
/* One link, from the cache or a targeted request (plugin.c). */
int nl_one_link(struct nl_state *st, int index, const char *name, struct ifplex_iface *out);
/* Multicast groups of one family (4 or 6) from /proc/net/igmp or igmp6
 * (procdir may be another directory for tests), appended to v. */
int mcast_proc(const char *procdir, int family, int index, struct vec *v);
/* nl_mcast.c: groups joined, by RTM_GETMULTICAST where the kernel dumps
 * them, else from /proc; *source says which ("netlink", "proc", "mixed":
 * static strings). */
int nl_multicast(struct nl_state *st, int index, struct ifplex_addr **list, size_t *count,
		 const char **source);
/* nl_events.c: the events slots, a subscribed socket per subscription. */
int nl_events_open(void *state, unsigned mask, ifplex_bevents **out);
int nl_events_read(ifplex_bevents *e, struct ifplex_notice *v, size_t n);
int nl_events_wait(ifplex_bevents *e, int64_t deadline);
int nl_events_wait_fd(ifplex_bevents *e, intptr_t *fd);
void nl_events_close(ifplex_bevents *e);
/* nl_details.c: the details slots, one targeted request each. */
int nl_link_details(void *state, int index, struct ifplex_link_details *out);
int nl_addr_details(void *state, int index, struct ifplex_addr_details **list, size_t *count);
/* nl_describe.c: describe()'s facts and counters. */
const char *nl_describe(void *state, const char *key);

#endif
