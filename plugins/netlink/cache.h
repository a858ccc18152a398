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

/* ---- cache_mem.c: memory that lives as long as the cache (tables,
 * buffers), mapped outside the C library's heap.  zalloc gives zeroed
 * memory, resize keeps what fits (the rest zeroed); sizes are the
 * caller's to remember. */
void *cache_mem_zalloc(size_t n);
void *cache_mem_resize(void *p, size_t old, size_t n);
void cache_mem_free(void *p, size_t n);

/* ---- cache_table.c: links and addresses with hash lookups; every delta
 * costs O(1) in the number of interfaces (amortized over compactions). */
struct link_meta {
	/* This link's addresses, IPv4 [0] and IPv6 [1], in the kernel's order
	 * (first to last); -1 when none. */
	int head[2], tail[2];
	uint8_t live;
	/* A notification added an address where its place in the kernel's
	 * list is unknown: read the link's addresses again before serving them. */
	uint8_t dirty;
};

/* What RTM_NEWLINK says of a link beyond its record, kept beside the link
 * arrays so that copying records does not carry it: everything of struct
 * ifplex_link_details but the statistics, which no message announces. */
struct link_detail {
	uint32_t present;      /* IFPLEX_LD_*, statistics never */
	uint8_t operstate, carrier;
	uint16_t naltnames;    /* the link has this many alternative names ... */
	int32_t master, link, link_netnsid;
	uint32_t txqlen, ntxq, nrxq;
	uint32_t alt_off, alt_len; /* ... the first IFPLEX_ALTNAMES_MAX of them, each ending
				    * in NUL, at alt_off in the table's names */
	char kind[32];
};

/* What RTM_NEWADDR says of an address beyond its slot (whose IFA_F_* flags
 * the slot keeps).  Lifetimes are absolute: see cache_details.c. */
struct addr_detail {
	uint8_t scope;
	uint8_t lifetimes;     /* the message had IFA_CACHEINFO */
	struct ifplex_ip peer, broadcast;
	char label[16];        /* IFNAMSIZ: the kernel's limit for IFA_LABEL */
	uint32_t tstamp;       /* when the kernel last set the lifetimes (ifa_cacheinfo) */
	int64_t valid_until, preferred_until; /* CLOCK_MONOTONIC ns; INT64_MAX: forever */
};

/* An address as the cache keeps it: its zone is its link's name, filled in
 * when it is copied out. */
struct addr_slot {
	struct ifplex_ip ip;
	uint8_t prefixlen;
	uint8_t live;
	uint8_t wants_zone;
	uint8_t orphan;        /* its link was unknown when it arrived */
	int index;             /* its link's index */
	uint32_t link;         /* its link's slot, unless an orphan */
	uint32_t flags;        /* IFA_F_* */
	int prev, next;        /* neighbours in its link's list of its family, or among orphans */
};

struct table {
	/* Links by slot, ascending index (a dump's order); dead slots until a
	 * rebuild compacts them.  The records are the public struct, so that
	 * runs of live ones are copied whole. */
	struct ifplex_iface *ifi;
	struct link_meta *lm;
	size_t nlinks, caplinks, caplm, livelinks;
	struct addr_slot *addrs;
	size_t naddrs, capaddrs, liveaddrs;
	size_t chained[2];     /* live addresses on known links, IPv4 and IPv6 */
	/* Linear probing, at most half full; a deletion shifts the entries
	 * after it back, so that there are no tombstones and every probe ends
	 * at an empty entry.  Entries are slot index + 1, 0 is empty. */
	uint32_t *by_index, *by_name, *by_addr;
	size_t hcap_links, hcap_addrs;
	int orphan_head, orphan_tail; /* addresses waiting for their link */
	size_t orphans;
	size_t dirty;          /* links whose address order is in doubt */
	int unsorted;          /* a link arrived out of index order */
	/* Grows with every change a list or snapshot shows. */
	uint64_t version;
	/* Details, by link and address slot, after what the copies read. */
	struct link_detail *ld;
	struct addr_detail *ad;
	size_t capld, capad;
	/* Alternative names of every link, appended; names_dead bytes of them
	 * belong to no link any more and go at the next compaction. */
	char *names;
	size_t names_len, names_cap, names_dead;
};

/* An address as a dump delivers it, for table_relist. */
struct table_addr {
	struct ifplex_addr a;
	struct nl_addr_meta m;
	struct addr_detail d;
	int has_d;             /* d was parsed from the message */
};

/* A link as a dump delivers it, for table_relink_details: alt_off of d
 * is in the caller's buffer of names. */
struct table_link {
	struct ifplex_iface ifi;
	struct link_detail d;
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
/* Replace the links with a dump's (ascending index): links it lacks go
 * with their addresses, addresses of the others stay. */
int table_relink(struct table *t, const struct ifplex_iface *links, size_t n);
/* The same with each link's details (names: the buffer alt_off points in). */
int table_relink_details(struct table *t, const struct table_link *links, size_t n, const char *names);
/* Up to max indexes of dirty links; the number of dirty links. */
size_t table_dirty_links(const struct table *t, int *out, size_t max);
int table_copy_links(const struct table *t, const struct ifplex_host *host,
		     struct ifplex_iface **list, size_t *count);
/* In a dump's order: every IPv4 address of every link by index, then
 * every IPv6 one; of one link, its IPv4 then its IPv6 addresses. */
int table_copy_addrs(const struct table *t, const struct ifplex_host *host, int index,
		     struct ifplex_addr **list, size_t *count);
/* The same into caller memory: livelinks records; chained[0] + chained[1]
 * addresses (the IPv4 ones first), as a snapshot holds them. */
void table_copy_link_records(const struct table *t, struct ifplex_iface *out);
void table_copy_addr_records(const struct table *t, struct ifplex_addr *out);
/* Memory the link (addrs 0) or address (1) tables hold, for benchmarks. */
size_t table_bytes(const struct table *t, int addrs);
const struct ifplex_iface *table_by_index(const struct table *t, int index);
const struct ifplex_iface *table_by_name(const struct table *t, const char *name);
/* The slot of link index, or -1. */
long table_link_slot(const struct table *t, int index);
/* Address slot i as the public record (zone filled in). */
void table_addr_record(const struct table *t, size_t i, struct ifplex_addr *out);

/* ---- cache_details.c: the details beside the table.  The parsers fill a
 * detail from a message (the link's names packed into alt, at most
 * IFPLEX_ALTNAMES_MAX * IFPLEX_ALTNAME_MAX bytes); now is CLOCK_MONOTONIC
 * ns, the time the message is taken to describe. */
#define LINK_ALT_MAX (IFPLEX_ALTNAMES_MAX * IFPLEX_ALTNAME_MAX)
int detail_link_parse(const struct nlmsghdr *h, struct link_detail *d, char *alt);
int detail_addr_parse(const struct nlmsghdr *h, size_t alen, int64_t now, struct addr_detail *d);
/* A new detail of an address that had old (NULL: none): lifetimes the
 * kernel did not set again keep their earlier, better anchor. */
void detail_addr_merge(struct addr_detail *d, const struct addr_detail *old);
/* The cached details of link index (statistics left out), or of its
 * addresses (0: every link's) in the order of table_copy_addrs.  With rw
 * held for reading.  IFPLEX_ENOIFACE when the link is unknown. */
int detail_link_get(const struct table *t, int index, struct ifplex_link_details *out);
int detail_addrs_get(const struct table *t, const struct ifplex_host *host, int index,
		     struct ifplex_addr_details **list, size_t *count);
int64_t detail_now(void);

/* ---- cache.c: modes, subscription, freshness */
enum cache_mode { CACHE_OFF, CACHE_NOTIFY, CACHE_EBPF };

/* What a call needs of the cache, for cache_enter. */
enum cache_need {
	CACHE_LINKS = 0,
	CACHE_ADDRS = 1,  /* addresses in the kernel's order: dirty links are read again */
};

struct nl_bpf; /* cache_bpf.c */

/* ---- cache_arm.c: the filter's objects (maps, program, mappings) made on
 * a helper thread, so that no call waits for the verifier.  Only the
 * holder of the cache's refresh lock calls these. */
struct cache_prep {
	int pending;               /* started, its result not yet taken */
	_Atomic int ready;         /* the result is stored */
	pid_t tid;                 /* the last helper's thread id, 0 if none */
	size_t ring;
	/* The result: objects ready to attach, or rc < 0 and why. */
	struct nl_bpf *b;
	int rc;
	int64_t ns;                /* how long making them took */
	char why[160];
};
/* Start making the objects for a ring of ring bytes, unless under way or
 * made; here and now when no thread can be started. */
void prep_start(struct cache_prep *p, size_t ring);
/* Whether the result is there (never waits). */
int prep_ready(struct cache_prep *p);
/* Take the result (prep_ready said yes): 0 and *b, or an error and why. */
int prep_take(struct cache_prep *p, struct nl_bpf **b, char *why, size_t len, int64_t *ns);
/* Wait for a result under way; it stays (fork: the parent keeps it). */
void prep_wait(struct cache_prep *p);
/* Wait until the last helper thread has left (before the plugin unloads). */
void prep_gone(struct cache_prep *p);
/* Wait for it and free what it made (reset, unload, a forked child). */
void prep_discard(struct cache_prep *p);

/* The ring's counters, as the filter keeps them (cache_bpf.c). */
struct nl_bpf_seen {
	uint64_t gen, lost, lost_links, lost_addrs, lost_bytes;
};

/* Locks: every writer of the table (and of bpf, sub_fd, built, epoch, why,
 * applied, snap) holds refresh, then rw for writing; readers hold only rw
 * for reading.  The order is refresh, then the state's request lock, then
 * rw (nl_fork.c takes the first two around fork()). */
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
	struct cache_prep prep;    /* ebpf mode, until armed */
	size_t ring_max;           /* the ring grows up to this */
	int rcvbuf_max;            /* notify: the socket buffer grows up to this */
	/* The ring's counters the table has caught up with. */
	struct nl_bpf_seen applied;
	/* What ifplex_generation() reports, less the ring's count in ebpf
	 * mode; the ring's count is added in when a ring is retired. */
	_Atomic uint64_t generation;
	_Atomic int stale;         /* the table missed something: rebuild before serving */
	pthread_rwlock_t rw;       /* readers copy under rd; deltas under wr */
	pthread_mutex_t refresh;   /* one refresher at a time */
	struct table t;
	/* The published snapshot and the table version it shows. */
	struct ifplex_snapshot *snap;
	uint64_t snap_version;
	char *rbuf;
	size_t rcap;
	/* For tests and benchmarks. */
	_Atomic unsigned resyncs;  /* full rebuilds */
	_Atomic unsigned partial;  /* one kind dumped again after its messages were lost */
	_Atomic unsigned relists;  /* address lists read again for their order */
	_Atomic unsigned grows;    /* ring or socket buffer grown after an overflow */
	_Atomic unsigned snapshots; /* snapshots published */
	_Atomic int64_t build_ns, bpf_setup_ns;
	_Atomic unsigned arm_calls; /* calls after the build until armed, the arming one included */
	_Atomic uint64_t ring_bytes; /* the ring's size, or the socket buffer's */
};

int cache_init(struct cache *c, const struct ifplex_host *host);
void cache_free(struct cache *c);
/* Make the table current for what need asks.  1: the cache serves this
 * call (the caller then holds c->rw for reading and must unlock); 0: serve
 * from dumps (off, or auto's first calls); negative: an error. */
int cache_enter(struct cache *c, struct nl_state *st, enum cache_need need);
/* A reference to the current snapshot, published anew when the table
 * changed since: 0; 1 when this call is served from dumps (auto's first
 * calls); IFPLEX_ENOTSUP when the cache makes no snapshots (off, or a host
 * without snapshot slots); or an error. */
int cache_snapshot(struct cache *c, struct nl_state *st, struct ifplex_snapshot **out);
int cache_reset(struct cache *c);
uint64_t cache_generation(struct cache *c, struct nl_state *st);
const char *cache_mode_name(const struct cache *c);
/* The reason for the mode, copied into buf under the refresh lock. */
void cache_why(struct cache *c, char *buf, size_t len);
/* CLOCK_MONOTONIC in ns, for the timings benchmarks read. */
int64_t cache_mono_ns(void);

/* ---- cache_burst.c: what follows an overflow.  With refresh held. */
/* The ring lost messages: apply what it has, dump again only the kinds
 * that were lost, and grow the ring so that a burst of this size fits. */
int cache_ebpf_overflow(struct cache *c, struct nl_state *st, const struct nl_bpf_seen *now);
/* The socket buffer overflowed (notify): grow it for next time. */
void cache_grow_rcvbuf(struct cache *c);
/* cache.c: apply a run of notifications to the table (takes rw). */
int cache_apply_locked(const void *msg, size_t len, void *arg);

/* ---- cache_sync.c: dumps.  With refresh held. */
/* A notification socket, subscribed now, or (bind_now 0) later by the
 * caller once a filter is on it. */
int cache_subscribe(struct cache *c, int bind_now, int *out);
/* The whole table again from one link and one address dump. */
int cache_resync(struct cache *c, struct nl_state *st);
/* Links (addrs 0) or every address (1) again from one dump. */
int cache_resync_kind(struct cache *c, struct nl_state *st, int addrs);
/* The kernel's address order for dirty links. */
int cache_relist(struct cache *c, struct nl_state *st);

/* ---- nl_fork.c: fork() from a threaded program */
/* Take part in the fork handlers from open to close: 0, or IFPLEX_ENOMEM
 * when the handlers cannot be installed. */
int nl_fork_register(struct nl_state *st);
void nl_fork_unregister(struct nl_state *st);
/* Grows in every forked child: a memory load tells a fork happened. */
unsigned nl_fork_epoch(void);
/* cache.c: before a fork, with refresh held: the filter's objects under
 * way are finished, so that the child inherits none half made. */
void cache_fork_prepare(struct cache *c);

/* ---- cache_bpf.c: the socket filter, its ring and counters */
/* Whether this build has the BPF path, and if the process may use it. */
int nl_bpf_available(char *why, size_t len);
/* Make a filter with a ring of ring bytes (a power of two): its maps, its
 * program and their mappings, everything but the attach. */
int nl_bpf_prepare(size_t ring, struct nl_bpf **out, char *why, size_t len);
/* Attach a prepared filter to sub_fd (one system call). */
int nl_bpf_attach_to(struct nl_bpf *b, int sub_fd, char *why, size_t len);
/* Both at once. */
int nl_bpf_attach(int sub_fd, size_t ring, struct nl_bpf **out, char *why, size_t len);
void nl_bpf_free(struct nl_bpf *b);
/* The first ring's size and the largest a ring grows to. */
size_t nl_bpf_ring_first(void);
size_t nl_bpf_ring_max(void);
size_t nl_bpf_ring_size(const struct nl_bpf *b);
/* Counters in memory-mapped map data: no system call. */
uint64_t nl_bpf_generation(const struct nl_bpf *b);
uint64_t nl_bpf_lost(const struct nl_bpf *b);
void nl_bpf_read(const struct nl_bpf *b, struct nl_bpf_seen *out);
/* Hand every queued message to fn (no system call); 0 or fn's error. */
int nl_bpf_drain(struct nl_bpf *b, int (*fn)(const void *msg, size_t len, void *arg), void *arg);

#endif
