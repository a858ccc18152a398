/* SPDX-License-Identifier: MIT */
/* The xdp datapath: UDP conversations over AF_XDP sockets on the
 * interfaces IFPLEX_XDP names, layered by the core over the interface
 * backend.  Copy mode (what veth and most drivers without zero-copy give);
 * an XDP program per interface steers bound ports to the sockets. */
#ifndef IFPLEX_XDP_H
#define IFPLEX_XDP_H

#include <ifplex/backend.h>
#include <linux/if_xdp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "xdp_shared.h"

/* ---- xdp_config.c: IFPLEX_XDP=IFNAME[:QUEUE][,IFNAME[:QUEUE]...] */
#define XDP_CFG_MAX 16
struct xdp_cfg_entry {
	char name[IFPLEX_NAME_MAX];
	int queue; /* -1: every receive queue of the interface */
};
struct xdp_cfg {
	struct xdp_cfg_entry e[XDP_CFG_MAX];
	int n;
};
/* Parse s[0..n); IFPLEX_EINVAL with the reason in why. */
int xdp_cfg_parse(const char *s, size_t n, struct xdp_cfg *out, char *why, size_t whylen);

/* ---- xdp_frame.c: Ethernet + IPv4/IPv6 + UDP, checksums in software. */
struct xdp_rx {
	const uint8_t *payload;
	size_t len;
	struct ifplex_ip src, dst; /* 4 or 16 bytes */
	int sport, dport;
	unsigned skipped;          /* XDP_SKIP_* */
};
#define XDP_SKIP_IPOPT 1u
#define XDP_SKIP_EXT 2u
enum { XDP_RX_OK = 0, XDP_RX_MALFORMED = -1, XDP_RX_CHECKSUM = -2, XDP_RX_NOTOURS = -3 };
/* Read a received frame; XDP_RX_* (the packet is not UDP to us, or bad). */
int xdp_frame_parse(const uint8_t *f, size_t n, struct xdp_rx *out);
struct xdp_tx {
	uint8_t dst_mac[6], src_mac[6];
	struct ifplex_ip src, dst; /* both 4 or both 16 bytes */
	int sport, dport;
	uint16_t ip_id;
};
/* Headers of family (4 or 6) in front of a payload. */
size_t xdp_frame_hdrlen(int family);
/* Write the headers for len payload bytes already at f + hdrlen, with
 * both checksums; returns the frame's length. */
size_t xdp_frame_build(uint8_t *f, const struct xdp_tx *h, size_t len);
/* RFC 1071 sum over b[0..n) added to sum (not folded). */
uint32_t xdp_csum_add(uint32_t sum, const void *b, size_t n);

/* ---- xdp_ring.c: one UMEM per receive queue, shared by its sockets. */
struct xdp_ring {
	uint32_t *producer, *consumer, *flags;
	void *descs;
	uint32_t size;       /* entries, a power of two */
	uint32_t cached;     /* producer's view of consumer, or the reverse */
	void *map;
	size_t maplen;
};
struct xdp_iface;
struct xdp_umem {
	struct xdp_iface *ifc;
	int queue;
	int fd;              /* the socket that registered the UMEM (receives nothing) */
	uint8_t *area;
	size_t frames, frame_size;
	pthread_mutex_t lock; /* fill and completion rings, the free list */
	struct xdp_ring fill, comp;
	uint64_t *free;
	size_t nfree;
	unsigned refs;       /* conversations using it; under the state's lock */
	struct xdp_umem *next;
};
int xdp_umem_open(struct xdp_iface *ifc, int queue, struct xdp_umem **out, char *why, size_t wl);
void xdp_umem_close(struct xdp_umem *u);
/* Frames for sending: up to n into out; how many.  Reaps completions. */
size_t xdp_umem_take(struct xdp_umem *u, uint64_t *out, size_t n);
/* Give frames back (sent, or never used). */
void xdp_umem_put(struct xdp_umem *u, const uint64_t *addrs, size_t n);
/* Give received frames back to the kernel through the fill ring. */
void xdp_umem_refill(struct xdp_umem *u, const uint64_t *addrs, size_t n);
/* A socket sharing u's UMEM with an RX and a TX ring, bound to u's queue. */
int xdp_sock_open(struct xdp_umem *u, int *fd, struct xdp_ring *rx, struct xdp_ring *tx,
		  char *why, size_t wl);
void xdp_ring_unmap(struct xdp_ring *r);
/* Close an AF_XDP socket (its queue is free again a moment later). */
void xdp_sock_close(int fd);

static inline uint32_t xdp_ring_load(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void xdp_ring_store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* ---- xdp_attach.c: the program, its maps and its link on one interface. */
struct xdp_state;
struct xdp_iface {
	struct xdp_state *st;
	int index;
	char name[IFPLEX_NAME_MAX];
	uint8_t mac[6];
	int mtu;
	int nqueues;           /* receive queues the kernel reports */
	int link_fd, prog_fd, map_fd[XDP_NMAPS];
	const char *mode;      /* "native" or "generic" */
	struct xdp_counters *cnt; /* mmap of the counter map */
	uint8_t slots[XDP_MAX_SLOTS]; /* XSKMAP entries in use */
	struct xdp_umem *umems;
	unsigned refs;         /* conversations; detached at 0 */
	struct xdp_iface *next;
};
int xdp_attach(struct xdp_state *st, const struct ifplex_iface *ifi, struct xdp_iface **out,
	       char *why, size_t wl);
void xdp_detach(struct xdp_iface *ifc);
/* Take a free XSKMAP slot for fd and steer key to it; -errno. */
int xdp_steer(struct xdp_iface *ifc, int fd, const struct xdp_port_key *key, int *slot);
void xdp_unsteer(struct xdp_iface *ifc, const struct xdp_port_key *key, int slot);
/* Add to a counter of the interface (shared with the program). */
#define XDP_COUNT(ifc, field, n) __atomic_fetch_add(&(ifc)->cnt->field, (n), __ATOMIC_RELAXED)

/* ---- xdp_route.c: next hop and neighbour from the kernel's tables. */
struct xdp_route {
	int fd;                /* NETLINK_ROUTE, requests only */
	uint32_t seq;
	pthread_mutex_t lock;
};
struct xdp_hop {
	int oif;
	int type;              /* RTN_UNICAST, RTN_BROADCAST, RTN_MULTICAST ... */
	struct ifplex_ip gw;   /* len 0: on link */
	struct ifplex_ip src;  /* the kernel's preferred source; len 0 if none */
};
int xdp_route_open(struct xdp_route *r);
void xdp_route_close(struct xdp_route *r);
/* The kernel's route to dst (oif 0: any); -errno (-ENETUNREACH ...). */
int xdp_route_get(struct xdp_route *r, const struct ifplex_ip *dst, int oif, struct xdp_hop *out);
/* The link-layer address of ip on ifindex; 1 when known and usable, 0
 * when missing or unresolved (*state says which), -errno. */
int xdp_neigh_get(struct xdp_route *r, int ifindex, const struct ifplex_ip *ip, uint8_t mac[6],
		  int *state);
/* Ask the kernel to resolve ip on ifindex (RTM_NEWNEIGH with NTF_USE). */
int xdp_neigh_use(struct xdp_route *r, int ifindex, const struct ifplex_ip *ip);
/* A link's receive queues and the id of its XDP program (0: none). */
int xdp_link_info(struct xdp_route *r, int ifindex, int *rxqueues, uint32_t *xdp_prog);

/* ---- plugin.c: the datapath's state. */
struct xdp_state {
	const struct ifplex_host *host;
	pthread_mutex_t lock;  /* interfaces, UMEMs, slots */
	struct xdp_cfg cfg;
	int force_mode;        /* 0 auto, XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE */
	struct xdp_iface *ifaces;
	struct xdp_route rt;
	int rt_open;
};

/* ---- xdp_conn.c and xdp_io.c: conversations. */
#define XDP_MAX_LEGS 8
struct xdp_leg {
	struct xdp_umem *u;
	int fd;
	struct xdp_ring rx, tx;
	int slot;
	struct xdp_port_key key;
};
/* Where a connected conversation's datagrams go, refreshed each second. */
struct xdp_neigh_entry {
	struct ifplex_ip ip;
	uint8_t mac[6];
	int64_t checked;       /* ns on CLOCK_MONOTONIC */
};
#define XDP_NEIGH_CACHE 64
struct ifplex_bconn {
	struct xdp_state *st;
	struct xdp_iface *ifc;
	int family;            /* 4 or 6 */
	struct ifplex_netaddr local, remote; /* remote.kind 0: not connected */
	int connected;
	int reserve_fd;        /* kernel UDP socket holding the port */
	struct xdp_leg leg[XDP_MAX_LEGS];
	int nlegs;
	int wait_fd;           /* leg[0].fd, or an epoll set of every leg */
	/* eventfds: close_fd turns readable for good on Close; wake[0] and
	 * wake[1] on a change of the read and write deadline (one waiter
	 * each: reads and writes are serialised by their locks). */
	int close_fd, wake[2];
	_Atomic int64_t deadline[2]; /* read, write: as the core last set them */
	_Atomic int closing;
	pthread_mutex_t rx_lock, tx_lock;
	unsigned rx_next;      /* leg to read first (round robin) */
	uint16_t ip_id;
	struct xdp_neigh_entry neigh[XDP_NEIGH_CACHE];
};
int xdp_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int xdp_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int xdp_close_conn(ifplex_bconn *c);
int xdp_interrupt(ifplex_bconn *c);
int xdp_set_deadline(ifplex_bconn *c, int which, int64_t deadline);
int xdp_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int xdp_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int xdp_wait_fd(ifplex_bconn *c, intptr_t *fd);
uint64_t xdp_conn_caps(ifplex_bconn *c);

int xdp_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n);
int xdp_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n);
int xdp_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int xdp_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int xdp_read_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
int xdp_write_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
int xdp_read_lent(ifplex_bconn *c, struct ifplex_lent *v, size_t count, int64_t deadline);
int xdp_release_lent(ifplex_bconn *c, struct ifplex_lent *v, size_t count);
int xdp_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents);

/* xdp_send.c: the link-layer destination of dst for c (next hop, then
 * neighbour, resolved if need be before deadline); -errno or IFPLEX_*. */
int xdp_dest_mac(ifplex_bconn *c, const struct ifplex_ip *dst, int64_t deadline, uint8_t mac[6]);

/* xdp_wait.c */
int64_t xdp_now(void);
/* Wait until fd is ready for events (POLLIN: reading, under c's live read
 * deadline; POLLOUT: writing, under the write deadline), a deadline change,
 * or Close.  0: look again; IFPLEX_ETIMEDOUT; IFPLEX_ECLOSED. */
int xdp_wait(ifplex_bconn *c, int fd, short events);
int xdp_deadline_passed(int64_t deadline);

/* xdp_io.c and xdp_kernel.c: a lent datagram's token, the leg in the top
 * byte and the frame's offset; SPARE: a frame from the free list (a
 * datagram the kernel delivered), which goes back there. */
#define XDP_TOKEN(leg, addr) ((uint64_t)(leg) << 56 | (addr))
#define XDP_TOKEN_SPARE (1ull << 55)
#define XDP_TOKEN_ADDR(t) ((t) & (XDP_TOKEN_SPARE - 1))

/* xdp_kernel.c: datagrams the kernel delivers to the socket holding the
 * port (reassembled fragments); up to count, without waiting. */
int xdp_kernel_ready(ifplex_bconn *c);
size_t xdp_kernel_rx(ifplex_bconn *c, struct ifplex_msg *m, struct ifplex_lent *v, size_t count);
/* Send through that socket (datagrams over the MTU, for the kernel to
 * fragment); 0 or an error set through the host. */
int xdp_kernel_tx(ifplex_bconn *c, const struct ifplex_netaddr *dst, const void *buf, size_t len);

/* xdp_describe.c */
const char *xdp_describe(void *state, const char *key);

#endif
