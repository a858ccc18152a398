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
	int first_addr;      /* head of this link's address chain, -1 if none */
};

struct addr_slot {
	struct ifplex_addr a;  /* zone left empty: filled from the link on copy-out */
	int live;
	int wants_zone;
	int prev, next;        /* the link's address chain */
	int orphan;            /* its link was unknown when it arrived */
};

struct table {
	struct link_slot *links;
	size_t nlinks, caplinks, livelinks;
	struct addr_slot *addrs;
	size_t naddrs, capaddrs, liveaddrs;
	/* Open addressing: slot index + 1, 0 empty, SIZE_MAX deleted. */
	size_t *by_index, *by_name, *by_addr;
	size_t hcap_links, hcap_addrs;
	size_t orphans;        /* addresses waiting for their link */
};

void table_init(struct table *t);
void table_free(struct table *t);
/* Forget every address, keep the links (a restarted address dump). */
void table_clear_addrs(struct table *t);
/* Apply one rtnetlink message (NEW/DEL LINK/ADDR); others are ignored.
 * 0, or IFPLEX_ENOMEM / IFPLEX_EMALFORMED, after which the caller resyncs. */
int table_apply(struct table *t, const struct nlmsghdr *h);
int table_copy_links(const struct table *t, const struct ifplex_host *host,
		     struct ifplex_iface **list, size_t *count);
int table_copy_addrs(const struct table *t, const struct ifplex_host *host, int index,
		     struct ifplex_addr **list, size_t *count);
/* Memory the link (addrs 0) or address (1) tables hold, for benchmarks. */
size_t table_bytes(const struct table *t, int addrs);
const struct ifplex_iface *table_by_index(const struct table *t, int index);
const struct ifplex_iface *table_by_name(const struct table *t, const char *name);

/* ---- cache.c: modes, subscription, freshness */
enum cache_mode { CACHE_OFF, CACHE_NOTIFY, CACHE_EBPF };

struct nl_bpf; /* cache_bpf.c */

struct cache {
	const struct ifplex_host *host;
	int want;                  /* IFPLEX_CACHE: -1 auto, else enum cache_mode */
	_Atomic int mode;          /* what is active now */
	int calls;                 /* calls seen in auto mode before building */
	char why[160];             /* why this mode, for describe() and IFPLEX_DEBUG */
	unsigned epoch;            /* fork epoch the cache was built in */
	int built;
	int sub_fd;                /* the subscription socket, -1 if none */
	struct nl_bpf *bpf;        /* ebpf mode only */
	/* The ring's counters that the table has caught up with; written by
	 * the refresher, read by the lock-free check of the hot path. */
	_Atomic uint64_t applied_gen;
	_Atomic uint64_t applied_lost;
	_Atomic uint64_t generation; /* what ifplex_generation() reports in notify mode */
	pthread_rwlock_t rw;       /* readers copy under rd; deltas under wr */
	pthread_mutex_t refresh;   /* one refresher at a time */
	struct table t;
	char *rbuf;
	size_t rcap;
	unsigned resyncs;          /* full rebuilds, for tests */
	int64_t build_ns, bpf_setup_ns; /* for benchmarks */
};

int cache_init(struct cache *c, const struct ifplex_host *host);
void cache_free(struct cache *c);
/* Make the table current.  1: the cache serves this call (the caller then
 * holds c->rw for reading and must unlock); 0: serve from dumps (off, or
 * auto's first call); negative: an error. */
int cache_enter(struct cache *c, struct nl_state *st);
int cache_reset(struct cache *c);
uint64_t cache_generation(struct cache *c, struct nl_state *st);
const char *cache_mode_name(const struct cache *c);

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
