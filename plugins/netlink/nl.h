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
/* Whether an IPv6 address of this scope carries the interface name as zone. */
int nl_addr_wants_zone(const struct ifplex_addr *a, int scope);

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
/* nl_describe.c: describe()'s facts and counters. */
const char *nl_describe(void *state, const char *key);

#endif
