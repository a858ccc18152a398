/* SPDX-License-Identifier: MIT */
/*
 * The plugin ABI: one struct of function pointers, returned by the one
 * symbol a plugin exports, ifplex_backend_entry().
 *
 * The core resolves names and parses addresses before it calls a plugin, so
 * plugins receive endpoints, never strings to parse.  Memory a plugin returns
 * comes from host->alloc, so that the core frees it with its own allocator
 * (a Windows DLL must not free what another C runtime allocated).  IPs a
 * plugin returns follow ifplex.h's IPv4 rule (IPv4 in 4 bytes): the core
 * hands interface lists to the caller as they come.
 *
 * Rules of growth (libbpf's discipline for sized structs):
 * - New slots go at the end and raise nothing; a change in the meaning or
 *   order of existing slots raises IFPLEX_BACKEND_ABI.
 * - The core refuses a plugin whose abi differs, or whose size does not
 *   cover IFPLEX_BACKEND_SIZE_MIN.  A plugin built before slots were
 *   appended has a smaller size: the core copies what it has into a struct
 *   of its own size and the slots it lacks are NULL (IFPLEX_ENOTSUP), as
 *   are the capability bits of those slots (IFPLEX_CAP_POLL without poll,
 *   IFPLEX_CAP_LENT without read_lent and release_lent).  A plugin built
 *   against a newer header has a larger size: the core copies the slots it
 *   knows and never calls the others.
 * - struct ifplex_host grows the same way, seen from the plugin: a plugin
 *   uses a host slot only when IFPLEX_HOST_HAS(host, slot) says the core
 *   that opened it lends it, and never compares host->size with its own
 *   sizeof (an older core lends fewer slots, a newer one more):
 *
 *	if (!IFPLEX_HOST_HAS(host, alloc))
 *		return IFPLEX_ENOTSUP;
 *	mode = IFPLEX_HOST_HAS(host, cache_mode) ? host->cache_mode : NULL;
 *
 * - struct ifplex_sockspec carries its size; a plugin reads fields past
 *   IFPLEX_SOCKSPEC_SIZE_MIN only when IFPLEX_SPEC_HAS(spec, field).
 *
 * What the core checks of a plugin's output (IFPLEX_EBADPLUGIN naming the
 * backend and the slot, never a crash):
 * - every list (interfaces, interface_addrs, multicast_addrs, lookup_ip,
 *   lookup_addr, lookup_srv, lookup_mx) must come from host->alloc or
 *   host->alloc_raw, be live, and hold count entries; a NULL list is
 *   allowed only with count 0.  Lookup entries are checked too: IPs of 4 or
 *   16 bytes, names terminated inside their field, lookup_addr's names
 *   pointing inside its one allocation.  A slot that fails may leave a list
 *   behind: the core frees it.
 * - dial, listen, listen_packet and accept that succeed return a handle.
 * The entries of interface and address lists are the plugin's to get right.
 *
 * Trust: the core loads a plugin only from an absolute directory of the
 * search path (relative entries are refused), and only a file that, with
 * every directory above it and along every symlink leading to it, is owned
 * by root or by the process's effective uid and writable by no one else
 * (no group or other write bit, sticky or not), as ld.so's secure mode and
 * OpenSSH's StrictModes require.  A set-uid or set-capability process reads
 * no environment: only the installed directory.  A plugin's constructor and
 * entry point run inside the process that loads it: one that crashes there
 * takes that process with it (`ifplex backends` probes each file in a child).
 *
 * Lifetimes: plugins are loaded once and never unloaded; the backend struct
 * is copied at load and never read again; a plugin's state lives from open
 * to the end of the process (close is not called before exit); a bconn
 * lives from the call that returned it to close_conn, which the core calls
 * exactly once, after every call in progress on it has returned.
 */
#ifndef IFPLEX_BACKEND_H
#define IFPLEX_BACKEND_H

#include <ifplex.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IFPLEX_BACKEND_ABI 2

enum ifplex_log_level { IFPLEX_LOG_DEBUG = 0, IFPLEX_LOG_WARN = 1 };

/* What the core lends a plugin. */
struct ifplex_host {
	uint32_t size;                                   /* sizeof(struct ifplex_host) */
	void *(*alloc)(size_t n);                        /* zeroed memory, freed by the core */
	void (*free)(void *p);
	/* Log when IFPLEX_DEBUG is set; a plugin never prints otherwise. */
	void (*log)(int level, const char *fmt, ...)
#if defined(__GNUC__)
		__attribute__((format(printf, 2, 3)))
#endif
		;
	/* Environment as secure_getenv: NULL for set-uid processes. */
	const char *(*getenv)(const char *name);
	/* Name the system call that failed ("connect"), for the OpError text;
	 * returns code so that `return host->fail("connect", -errno);` reads. */
	int (*fail)(const char *syscall, int code);
	/* Set the whole OpError detail, e.g. a Plan 9 err file's text. */
	int (*fail_text)(const char *text, int code);
	/* Memory the plugin fills entirely (not zeroed: a cache's copy-out
	 * need not pay for clearing what it overwrites); freed by the core. */
	void *(*alloc_raw)(size_t n);

	/* ABI 2. */
	/* The cache mode the program chose (ifplex_init's cache, else
	 * IFPLEX_CACHE): "auto", "ebpf", "notify", "off"; NULL when unset. */
	const char *cache_mode;
	/* Pure value helpers, so that a plugin need not link libifplex: they
	 * never touch the calling thread's last error.  ip_parse reads s[0..n)
	 * as ifplex_ip_parse_zone does (zone may be NULL: a zone is then
	 * refused); ip_string is ifplex_ip_string. */
	int (*ip_parse)(const char *s, size_t n, struct ifplex_ip *out, char *zone, size_t zonelen);
	int (*ip_string)(const struct ifplex_ip *ip, char *buf, size_t len);
	/* What a datapath plugin may ask of the interface backend (it never
	 * calls that plugin itself).  NULL in the host given to the interface
	 * backend. */
	int (*iface_by_index)(int index, struct ifplex_iface *out);
	int (*iface_by_name)(const char *name, struct ifplex_iface *out);
	int (*iface_addrs)(int index, struct ifplex_addr **list, size_t *count);

	/* Snapshots (see struct ifplex_snapshot below), appended after ABI 2.
	 * snapshot_alloc gives a block for nifaces interfaces and naddrs
	 * addresses whose arrays the backend fills, holding one reference;
	 * snapshot_seal checks what was filled (IFPLEX_EBADPLUGIN for arrays
	 * that break the rules) and builds the lookups, after which the
	 * snapshot is immutable; hold and put count references (atomically;
	 * the last put frees the block). */
	struct ifplex_snapshot *(*snapshot_alloc)(size_t nifaces, size_t naddrs);
	int (*snapshot_seal)(struct ifplex_snapshot *s, uint64_t generation);
	void (*snapshot_hold)(struct ifplex_snapshot *s);
	void (*snapshot_put)(struct ifplex_snapshot *s);
};

/* Whether the core that lent host has the slot field. */
#define IFPLEX_HOST_HAS(host, field)                                                  \
	((host)->size >= offsetof(struct ifplex_host, field) + sizeof((host)->field) && \
	 (host)->field != NULL)

/* Which conversation to open, already parsed and resolved by the core. */
struct ifplex_sockspec {
	uint32_t size;                    /* sizeof(struct ifplex_sockspec) in the core */
	struct ifplex_network net;        /* kind, family, proto */
	struct ifplex_netaddr addr;       /* remote (dial) or local (listen) */
	const struct ifplex_netaddr *local; /* dial: bind first; NULL: any */
	const char *device;               /* bind to this interface, or NULL */
	int64_t deadline;                 /* dial: absolute, 0: none */
	/* ABI 2: the receive queue a datapath binds (-1: any), for kernel
	 * bypass; interface backends ignore it. */
	int queue;
	unsigned flags;                   /* none defined yet: 0 */
};
#define IFPLEX_SOCKSPEC_SIZE_MIN offsetof(struct ifplex_sockspec, queue)
#define IFPLEX_SPEC_HAS(spec, field) \
	((spec)->size >= offsetof(struct ifplex_sockspec, field) + sizeof((spec)->field))

/*
 * A snapshot as a backend fills it (ifplex.h's struct ifplex_snapshot):
 * one block from host->snapshot_alloc, the core's own fields after these.
 * The backend writes nifaces interfaces (any order; netlink's is ascending
 * index) and the addresses: first the naddrs4 IPv4 ones, then the IPv6
 * ones, each family grouped by interface in the order of ifaces (an
 * interface's addresses contiguous, in the backend's order), every one of
 * an interface in the snapshot.  It may lower nifaces and naddrs from what
 * it asked for, never raise them.  Once sealed nothing changes.
 */
struct ifplex_snapshot {
	uint32_t size;                /* sizeof(struct ifplex_snapshot) in the core */
	uint32_t flags;               /* none defined yet: 0 */
	uint64_t generation;          /* set by snapshot_seal */
	struct ifplex_iface *ifaces;
	size_t nifaces;
	struct ifplex_addr *addrs;
	size_t naddrs;
	size_t naddrs4;
};

/* The opaque per-connection handle a plugin returns; the core wraps it. */
typedef struct ifplex_bconn ifplex_bconn;

/* A change subscription, the plugin's (events_open); the core wraps it. */
typedef struct ifplex_bevents ifplex_bevents;

/* What a plugin announces to the core's subscription, which keeps the
 * view, tells added from changed and lists the state after a loss. */
enum ifplex_notice_kind {
	IFPLEX_NOTICE_LINK = 1,    /* link: a link's new record (added or changed) */
	IFPLEX_NOTICE_LINK_OTHER,  /* link.index: something about the link beyond its record */
	IFPLEX_NOTICE_LINK_DEL,    /* link: the removed link's last record */
	IFPLEX_NOTICE_ADDR,        /* addr: an address added, or announced again */
	IFPLEX_NOTICE_ADDR_DEL,
	IFPLEX_NOTICE_MCAST,       /* addr: a group joined */
	IFPLEX_NOTICE_MCAST_DEL,
	/* Announcements were lost.  The plugin has thrown away what queued
	 * before, so that what follows is newer than the state the core lists
	 * next (through the interfaces, interface_addrs and multicast_addrs
	 * slots). */
	IFPLEX_NOTICE_LOST,
};
/* Notice flags: addr's zone is its interface's name, for the core to fill. */
#define IFPLEX_NOTICE_ZONE 0x1u
struct ifplex_notice {
	uint32_t kind;             /* enum ifplex_notice_kind */
	uint32_t flags;            /* IFPLEX_NOTICE_* */
	struct ifplex_iface link;
	struct ifplex_addr addr;
};

struct ifplex_backend {
	uint32_t abi;       /* IFPLEX_BACKEND_ABI when built */
	uint32_t size;      /* sizeof(struct ifplex_backend) when built */
	const char *name;   /* "netlink", "routesock", "win32", "plan9" */
	uint64_t caps;      /* IFPLEX_CAP_* */

	int  (*open)(const struct ifplex_host *host, void **state);
	void (*close)(void *state);
	/* Facts for `ifplex backends`: "cache", "cache_modes", "cache_why". */
	const char *(*describe)(void *state, const char *key);

	/* Interfaces and addresses.  index 0 means every interface. */
	int (*interfaces)(void *state, struct ifplex_iface **list, size_t *count);
	int (*interface_by_index)(void *state, int index, struct ifplex_iface *out);
	int (*interface_by_name)(void *state, const char *name, struct ifplex_iface *out);
	int (*interface_addrs)(void *state, int index, struct ifplex_addr **list, size_t *count);
	int (*multicast_addrs)(void *state, int index, struct ifplex_addr **list, size_t *count);
	uint64_t (*generation)(void *state);
	int (*cache_reset)(void *state);

	/* Connections.  A bconn is the plugin's; the core never looks inside. */
	int (*dial)(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
	int (*listen)(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
	int (*listen_packet)(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
	int (*accept)(ifplex_bconn *l, int64_t deadline, ifplex_bconn **out);
	int (*close_conn)(ifplex_bconn *c);
	int (*read)(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n);
	int (*write)(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n);
	int (*read_msg)(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
	int (*write_msg)(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
	int (*read_batch)(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
	int (*write_batch)(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
	int (*local_addr)(ifplex_bconn *c, struct ifplex_netaddr *out);
	int (*remote_addr)(ifplex_bconn *c, struct ifplex_netaddr *out);
	int (*set_option)(ifplex_bconn *c, int option, int64_t value);
	int (*join_group)(ifplex_bconn *c, const struct ifplex_ip *group, int ifindex, int join);
	int (*close_write)(ifplex_bconn *c);
	int (*conn_fd)(ifplex_bconn *c, intptr_t *fd);       /* the descriptor, if any */
	int (*wait_fd)(ifplex_bconn *c, intptr_t *fd);       /* pollable readiness handle */
	uint64_t (*conn_caps)(ifplex_bconn *c);
	/* Told when a deadline changes (which: 1 read, 2 write, 3 both), so
	 * that a call already blocked can wake; may be NULL.  Deadlines are
	 * nanoseconds on CLOCK_MONOTONIC (the clock of ifplex_now). */
	int (*set_deadline)(ifplex_bconn *c, int which, int64_t deadline);
	/* Close was called: wake every call blocked on c in other threads;
	 * close_conn follows once they have returned.  Not called when no
	 * call is in progress on c (close_conn alone then).  May be NULL. */
	int (*interrupt)(ifplex_bconn *c);

	/* Lookups.  family 0, 4 or 6. */
	int (*lookup_ip)(void *state, const char *host, int family, struct ifplex_ip **list,
			 size_t *count);
	int (*lookup_port)(void *state, int kind, const char *service, int *port);
	int (*lookup_addr)(void *state, const struct ifplex_ip *ip, char ***names, size_t *count);
	int (*lookup_cname)(void *state, const char *host, char *buf, size_t len);
	int (*lookup_srv)(void *state, const char *name, struct ifplex_srv **list, size_t *count);
	int (*lookup_mx)(void *state, const char *name, struct ifplex_mx **list, size_t *count);

	/* Slots past this point are optional: a plugin's size need only reach
	 * IFPLEX_BACKEND_SIZE_MIN.  What follows is for connections a
	 * kernel-bypass datapath owns (no descriptor, rings in user memory). */

	/* Wait until c is ready for events (IFPLEX_POLL_*) or the absolute
	 * deadline passes (0: do not wait, negative: no limit), driving the datapath's progress
	 * while it waits; *revents gets what is ready.  IFPLEX_ETIMEDOUT when
	 * nothing became ready in time. */
	int (*poll)(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents);
	/* Lent receive buffers (zero copy): up to count datagrams whose payload
	 * stays in the backend's memory until release_lent gives it back. */
	int (*read_lent)(ifplex_bconn *c, struct ifplex_lent *v, size_t count, int64_t deadline);
	int (*release_lent)(ifplex_bconn *c, struct ifplex_lent *v, size_t count);

	/* ---- Events and details (issue 15); optional, NULL: IFPLEX_ENOTSUP. */
	/* Subscribe to what mask (IFPLEX_EVENTS_*) asks, links always. */
	int (*events_open)(void *state, unsigned mask, ifplex_bevents **out);
	/* Up to n notices in the order announced, without waiting: how many
	 * (0 when none waits), or a negative code.  The core never calls
	 * events_read, events_wait_fd or events_close of one subscription
	 * at the same time. */
	int (*events_read)(ifplex_bevents *e, struct ifplex_notice *v, size_t n);
	/* Wait until notices may wait (1; a spurious 1 is fine) or the
	 * absolute deadline passes (0; negative: no limit).  Called without
	 * the core's lock, so possibly while another thread reads e. */
	int (*events_wait)(ifplex_bevents *e, int64_t deadline);
	/* The descriptor that is readable when notices wait. */
	int (*events_wait_fd)(ifplex_bevents *e, intptr_t *fd);
	void (*events_close)(ifplex_bevents *e);
	/* One link's details into out, a struct of the core's size: fill what
	 * is known and set its present bits. */
	int (*link_details)(void *state, int index, struct ifplex_link_details *out);
	/* Addresses of index (0: all) with details, in interface_addrs' order;
	 * elements of the core's struct size, from host->alloc. */
	int (*addr_details)(void *state, int index, struct ifplex_addr_details **list, size_t *count);

	/* Snapshots (optional, appended after ABI 2): a reference to the
	 * backend's current snapshot, made with the host's snapshot_* slots;
	 * IFPLEX_ENOTSUP when it has none to give now (a cache that is off),
	 * and the core builds one from the list calls, as for a NULL slot. */
	int (*snapshot)(void *state, struct ifplex_snapshot **out);
};

/*
 * Datapath plugins (IFPLEX_DATAPATH): the core layers one over the
 * interface backend and offers it every udp, udp4 and udp6 listen_packet
 * and dial, after the address is resolved.  Its slot either takes the
 * conversation (0 and a bconn, whose other slots then serve it), fails
 * (a negative code: the conversation was its, and could not be had), or
 * returns IFPLEX_DATAPATH_PASS: not on its interfaces, and the core gives
 * it to the interface backend.  Its host lends iface_by_index,
 * iface_by_name and iface_addrs (the interface backend's answers).  Its
 * describe answers "interfaces", "counters" and "mode"; the text may
 * change between calls (the core copies it at once, under no lock of the
 * plugin's, so it lives in the calling thread's storage).
 */
#define IFPLEX_DATAPATH_PASS 1

/* The slots every ABI-2 plugin has; the loader refuses smaller structs. */
#define IFPLEX_BACKEND_SIZE_MIN offsetof(struct ifplex_backend, poll)

/* The one symbol a plugin exports. */
typedef const struct ifplex_backend *(*ifplex_backend_entry_fn)(void);
#define IFPLEX_BACKEND_ENTRY "ifplex_backend_entry"

#if defined(_WIN32)
#  define IFPLEX_PLUGIN_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#  define IFPLEX_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#  define IFPLEX_PLUGIN_EXPORT
#endif

/* Defined by each plugin, never by the core. */
IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void);

#ifdef __cplusplus
}
#endif
#endif /* IFPLEX_BACKEND_H */
