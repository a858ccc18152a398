/* SPDX-License-Identifier: MIT */
/* The link and address cache of the netlink plugin. */
#ifndef IFPLEX_NL_CACHE_H
#define IFPLEX_NL_CACHE_H

#include <ifplex/backend.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct nl_state;

/* ---- cache_table.c: links and addresses with hash lookups; every delta
 * costs O(1) in the number of interfaces (amortized over compactions). */
struct link_slot {
	struct ifplex_iface ifi;
	int live;
	/* This link's addresses, IPv4 [0] and IPv6 [1], in the kernel's order
	 * (first to last); -1 when none. */
	int head[2], tail[2];
	/* A notification added an address where its place in the kernel's
	 * list is unknown: read the link's addresses again before serving them. */
	int dirty;
};

struct addr_slot {
	struct ifplex_addr a;  /* zone left empty: filled from the link on copy-out */
	int live;
	int wants_zone;
	int prev, next;        /* neighbours in its link's list of its family */
	int orphan;            /* its link was unknown when it arrived */
	uint32_t flags;        /* IFA_F_* */
};

struct table {
	struct link_slot *links; /* by ascending index (a dump's order); dead slots until a rebuild */
	size_t nlinks, caplinks, livelinks;
	struct addr_slot *addrs;
	size_t naddrs, capaddrs, liveaddrs;
	/* Linear probing, at most half full; a deletion shifts the entries
	 * after it back, so that there are no tombstones and every probe ends
	 * at an empty entry.  Entries are slot index + 1, 0 is empty. */
	size_t *by_index, *by_name, *by_addr;
	size_t hcap_links, hcap_addrs;
	size_t orphans;        /* addresses waiting for their link */
	size_t dirty;          /* links whose address order is in doubt */
};

/* An address as a dump delivers it, for table_relist. */
struct table_addr {
	struct ifplex_addr a;
	struct nl_addr_meta m;
};

void table_init(struct table *t);
void table_free(struct table *t);
/* Forget every address, keep the links (a restarted address dump). */
void table_clear_addrs(struct table *t);
/* Apply one rtnetlink message (NEW/DEL LINK/ADDR); others are ignored.
 * from_dump: the message is part of a dump, whose order is the kernel's;
 * else a notification, after which a link may be dirty.  0, or
 * IFPLEX_ENOMEM / IFPLEX_EMALFORMED, after which the caller resyncs. */
int table_apply(struct table *t, const struct nlmsghdr *h, int from_dump);
/* Replace the addresses of link index (0: of every link) with list, a
 * dump's answer in the kernel's order; the link is no longer dirty. */
int table_relist(struct table *t, int index, const struct table_addr *list, size_t n);
/* Up to max indexes of dirty links; the number of dirty links. */
size_t table_dirty_links(const struct table *t, int *out, size_t max);
int table_copy_links(const struct table *t, const struct ifplex_host *host,
		     struct ifplex_iface **list, size_t *count);
/* In a dump's order: every IPv4 address of every link by index, then
 * every IPv6 one; of one link, its IPv4 then its IPv6 addresses. */
int table_copy_addrs(const struct table *t, const struct ifplex_host *host, int index,
		     struct ifplex_addr **list, size_t *count);
/* Memory the link (addrs 0) or address (1) tables hold, for benchmarks. */
size_t table_bytes(const struct table *t, int addrs);
const struct ifplex_iface *table_by_index(const struct table *t, int index);
const struct ifplex_iface *table_by_name(const struct table *t, const char *name);

/* ---- cache.c: modes, subscription, freshness */
enum cache_mode { CACHE_OFF, CACHE_NOTIFY, CACHE_EBPF };

/* What a call needs of the cache, for cache_enter. */
enum cache_need {
	CACHE_LINKS = 0,
	CACHE_ADDRS = 1,  /* addresses in the kernel's order: dirty links are read again */
};

struct nl_bpf; /* cache_bpf.c */

/* Locks: every writer of the table (and of bpf, sub_fd, built, epoch, why)
 * holds refresh, then rw for writing; readers hold only rw for reading.
 * The order is refresh, then the state's request lock, then rw (nl_fork.c
 * takes the first two around fork()). */
struct cache {
	const struct ifplex_host *host;
	int want;                  /* the chosen mode: -1 auto, else enum cache_mode */
	_Atomic int mode;          /* what is active now */
	int calls;                 /* calls seen in auto mode before building */
	char chosen[160];          /* why this mode was chosen */
	char why[256];             /* that, and how it stands, for describe() and IFPLEX_DEBUG */
	unsigned epoch;            /* fork epoch the cache was built in */
	int built;
	int sub_fd;                /* the subscription socket, -1 if none */
	struct nl_bpf *bpf;        /* ebpf mode, once armed */
	/* The ring's counters that the table has caught up with; written by
	 * the refresher, read by the lock-free check of the hot path. */
	_Atomic uint64_t applied_gen;
	_Atomic uint64_t applied_lost;
	_Atomic uint64_t generation; /* what ifplex_generation() reports in notify mode */
	_Atomic int stale;         /* the table missed something: rebuild before serving */
	pthread_rwlock_t rw;       /* readers copy under rd; deltas under wr */
	pthread_mutex_t refresh;   /* one refresher at a time */
	struct table t;
	char *rbuf;
	size_t rcap;
	/* For tests and benchmarks. */
	_Atomic unsigned resyncs;  /* full rebuilds */
	_Atomic unsigned relists;  /* address lists read again for their order */
	_Atomic int64_t build_ns, bpf_setup_ns;
};

int cache_init(struct cache *c, const struct ifplex_host *host);
void cache_free(struct cache *c);
/* Make the table current for what need asks.  1: the cache serves this
 * call (the caller then holds c->rw for reading and must unlock); 0: serve
 * from dumps (off, or auto's first calls); negative: an error. */
int cache_enter(struct cache *c, struct nl_state *st, enum cache_need need);
int cache_reset(struct cache *c);
uint64_t cache_generation(struct cache *c, struct nl_state *st);
const char *cache_mode_name(const struct cache *c);
/* The reason for the mode, copied into buf under the refresh lock. */
void cache_why(struct cache *c, char *buf, size_t len);

/* ---- nl_fork.c: fork() from a threaded program */
/* Take part in the fork handlers from open to close: 0, or IFPLEX_ENOMEM
 * when the handlers cannot be installed. */
int nl_fork_register(struct nl_state *st);
void nl_fork_unregister(struct nl_state *st);
/* Grows in every forked child: a memory load tells a fork happened. */
unsigned nl_fork_epoch(void);

/* ---- cache_bpf.c: the socket filter, its ring and counters */
/* Whether this build has the BPF path, and if the process may use it. */
int nl_bpf_available(char *why, size_t len);
int nl_bpf_attach(int sub_fd, struct nl_bpf **out, char *why, size_t len);
void nl_bpf_free(struct nl_bpf *b);
/* Counters in memory-mapped map data: no system call. */
uint64_t nl_bpf_generation(const struct nl_bpf *b);
uint64_t nl_bpf_lost(const struct nl_bpf *b);
/* Hand every queued message to fn (no system call); 0 or fn's error. */
int nl_bpf_drain(struct nl_bpf *b, int (*fn)(const void *msg, size_t len, void *arg), void *arg);

#endif
