/* SPDX-License-Identifier: MIT */
/*
 * ifplex: Go's net interface, address and socket layer for C.
 *
 * One header.  Every function returns 0 (or a count, where it says so) or a
 * negative IFPLEX_E* code.  All functions are thread-safe.  Lists are one
 * allocation released with one ifplex_free(); by-index and by-name calls
 * fill caller storage.  The manual page ifplex(3) describes the API by
 * family.
 *
 * Errors: every function that returns a negative code records that code
 * and its message for the calling thread before it returns, readable with
 * ifplex_last_error() and ifplex_last_error_code(); success records
 * nothing and leaves the previous failure readable (as errno).  The only
 * exceptions are ifplex_ip_to4() and ifplex_ip_to16(), whose IFPLEX_EINVAL
 * is an answer ("not IPv4"), not a failure.  Functions that return no code
 * (ifplex_ipv4, the ifplex_ip_is_* predicates, ifplex_default_mask ...)
 * record nothing.  A message never holds raw control bytes or invalid
 * UTF-8 from the input: they are written as Go's %q escapes them ("\n",
 * "\x00", "\u0085").
 *
 * IPv4 rule: every IP ifplex returns (parsed, resolved, looked up, of an
 * interface, of a connection) holds IPv4 in the 4-byte form (len 4) and
 * IPv6 in the 16-byte form (len 16), so len tells the family; an
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) is IPv4, as Go's To4 reads it.
 * Every function accepts either form of IPv4.  (Go's ParseIP and IPv4()
 * give 16 bytes; Go's Equal, String, To4, To16 and predicates answer the
 * same for both forms, and so do ifplex's.)
 *
 * Strings the library returns: ifplex_strerror(), ifplex_cap_name() and
 * ifplex_backend_name() give text that lives as long as the process;
 * ifplex_last_error() gives the calling thread's buffer, valid until that
 * thread's next failing call; ifplex_conn_network() lives as long as the
 * connection; ifplex_backend_reason(), ifplex_cache_mode() and
 * ifplex_backend_describe() live as long as the active backend (the
 * process).
 *
 * Codes each family returns, besides IFPLEX_EINVAL (a NULL pointer, a number
 * out of range) and IFPLEX_ENOMEM, which any function may return:
 *   values, host:port, networks: IFPLEX_EBADADDR, IFPLEX_EBADPORT,
 *     IFPLEX_EMISSINGPORT, IFPLEX_EUNKNOWNNET, IFPLEX_ESHORTBUF;
 *   anything that needs a backend: IFPLEX_ENOBACKEND, IFPLEX_EBADPLUGIN,
 *     IFPLEX_ENOTSUP (the backend lacks the operation);
 *   interfaces: IFPLEX_ENOIFACE, IFPLEX_EMALFORMED, OS codes (-EACCES ...);
 *   connections: OS codes (-ECONNREFUSED, -EADDRINUSE ...), IFPLEX_ETIMEDOUT,
 *     IFPLEX_ECLOSED, IFPLEX_EOF, IFPLEX_EMISSINGADDR, and the value and
 *     lookup codes of the address they were given;
 *   lookups: IFPLEX_ENOTFOUND, IFPLEX_ELOOKUPAGAIN, IFPLEX_EBADPORT,
 *     IFPLEX_ESHORTBUF.
 *
 * Lists: *list is one allocation that the caller releases with
 * ifplex_free(*list).  When *count is 0, *list may be NULL or a block;
 * ifplex_free(NULL) is fine, so free it either way.  After a failure *list
 * is NULL and *count is 0.
 */
#ifndef IFPLEX_H
#define IFPLEX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(IFPLEX_BUILDING)
#    define IFPLEX_API __declspec(dllexport)
#  else
#    define IFPLEX_API
#  endif
#elif defined(__GNUC__)
#  define IFPLEX_API __attribute__((visibility("default")))
#else
#  define IFPLEX_API
#endif

/* IFPLEX_VERSION_MAJOR, _MINOR, _PATCH, _STRING and _HEX: the headers'
 * version.  ifplex_version() is the library's, as IFPLEX_VERSION_HEX
 * (0x00MMmmpp); ifplex_version_string() as text ("0.1.0"), static. */
#include <ifplex/version.h>
IFPLEX_API unsigned ifplex_version(void);
IFPLEX_API const char *ifplex_version_string(void);

/* ------------------------------------------------------------------ errors */

/*
 * Codes in (-IFPLEX_EBASE, 0) are operating-system errors: the POSIX errno
 * value behind the failing call (the Win32 backend translates Winsock codes
 * to the same numbers).  Codes at or below -IFPLEX_EBASE are ifplex's own.
 */
#define IFPLEX_EBASE 3000
enum ifplex_errcode {
	IFPLEX_EUNKNOWNNET  = -(IFPLEX_EBASE + 1),  /* unknown network "tcp7" */
	IFPLEX_EBADADDR     = -(IFPLEX_EBASE + 2),  /* address text is malformed */
	IFPLEX_EBADPORT     = -(IFPLEX_EBASE + 3),  /* port out of range or unknown service */
	IFPLEX_EMISSINGADDR = -(IFPLEX_EBASE + 4),  /* an address was required and is empty */
	IFPLEX_ENOIFACE     = -(IFPLEX_EBASE + 5),  /* no such network interface */
	IFPLEX_ENOTSUP      = -(IFPLEX_EBASE + 6),  /* the active backend lacks this operation */
	IFPLEX_ENOBACKEND   = -(IFPLEX_EBASE + 7),  /* no backend could be loaded */
	IFPLEX_ETIMEDOUT    = -(IFPLEX_EBASE + 8),  /* a deadline passed ("i/o timeout") */
	IFPLEX_EBADPLUGIN   = -(IFPLEX_EBASE + 9),  /* a plugin file exists but is unusable */
	IFPLEX_ECLOSED      = -(IFPLEX_EBASE + 10), /* use of closed network connection */
	IFPLEX_EOF          = -(IFPLEX_EBASE + 11), /* end of stream */
	IFPLEX_ENOTFOUND    = -(IFPLEX_EBASE + 12), /* lookup: no such host or record */
	IFPLEX_ELOOKUPAGAIN = -(IFPLEX_EBASE + 13), /* lookup: temporary resolver failure */
	IFPLEX_EMALFORMED   = -(IFPLEX_EBASE + 14), /* the OS answered with malformed data */
	IFPLEX_ESHORTBUF    = -(IFPLEX_EBASE + 15), /* caller's buffer too small */
	IFPLEX_EINVAL       = -(IFPLEX_EBASE + 16), /* invalid argument */
	IFPLEX_ENOMEM       = -(IFPLEX_EBASE + 17), /* out of memory */
	IFPLEX_EMISSINGPORT = -(IFPLEX_EBASE + 18), /* "missing port in address" */
};

/* Text for a code; never NULL, never changing, never freed: own codes from
 * a static table, OS codes the C library's static description
 * (strerrordesc_np, "Connection refused"; where the C library has none, its
 * strerror text copied once per code and kept).  Go-style messages from
 * ifplex_last_error() write OS texts in lower case, as Go does. */
IFPLEX_API const char *ifplex_strerror(int code);

/* The calling thread's last failure as Go prints an OpError, for example
 * "dial tcp 127.0.0.1:1: connect: connection refused"; "" if none.  A later
 * successful call does not clear it: it is the last *failure*, so read it
 * right after a call that returned a negative code.  The buffer is the
 * thread's: valid until its next failing call (copy it to keep it). */
IFPLEX_API const char *ifplex_last_error(void);

/* The code that goes with ifplex_last_error(); 0 if none.  Like the text,
 * it keeps the last failure after later successes. */
IFPLEX_API int ifplex_last_error_code(void);

/* Non-zero if code means a deadline passed (Go's net.Error.Timeout()). */
IFPLEX_API int ifplex_is_timeout(int code);

/* --------------------------------------------------------------- IP values */

/*
 * An IP address as Go's net.IP: len 0 (none), 4 (IPv4) or 16 (IPv6; it may
 * hold IPv4 in the IPv4-mapped form ::ffff:a.b.c.d).  What ifplex returns
 * follows the IPv4 rule above: len 4 for IPv4, len 16 for IPv6.
 */
struct ifplex_ip {
	uint8_t len;
	uint8_t b[16];
};

/* A mask as Go's net.IPMask: len 0, 4 or 16 bytes. */
struct ifplex_ipmask {
	uint8_t len;
	uint8_t b[16];
};

/* A network as Go's net.IPNet. */
struct ifplex_ipnet {
	struct ifplex_ip ip;
	struct ifplex_ipmask mask;
};

#define IFPLEX_IP_STRLEN     64   /* longest IP text plus NUL */
#define IFPLEX_IPNET_STRLEN  112  /* longest IPNet text plus NUL */
#define IFPLEX_NAME_MAX      256  /* interface name or zone: 255 bytes + NUL */
#define IFPLEX_HWADDR_MAX    32
#define IFPLEX_HWADDR_STRLEN (IFPLEX_HWADDR_MAX * 3) /* hwaddr text of up to IFPLEX_HWADDR_MAX bytes plus NUL */
#define IFPLEX_MASK_STRLEN   33   /* longest IPMask text (32 hex digits) plus NUL */
#define IFPLEX_PATH_MAX      256  /* Unix socket path, '@' first for abstract */
#define IFPLEX_HOST_MAX      256  /* DNS name plus NUL */
#define IFPLEX_ADDR_STRLEN   (IFPLEX_IP_STRLEN + IFPLEX_NAME_MAX + 8)

/* Go's ParseIP, as current Go (net/netip) reads text: dotted-quad IPv4 (no
 * leading zeros), or IPv6 (at most 4 hex digits a field, with embedded
 * IPv4); no zone.  IPv4 and IPv4-mapped give 4 bytes (the IPv4 rule).
 * IFPLEX_EBADADDR: "invalid IP address: TEXT". */
IFPLEX_API int ifplex_ip_parse(const char *s, struct ifplex_ip *out);
/* As ifplex_ip_parse, but accept "%zone" after an IPv6 address (split at
 * the first '%'; an empty zone is refused); zone receives it ("" if none). */
IFPLEX_API int ifplex_ip_parse_zone(const char *s, struct ifplex_ip *out,
				    char *zone, size_t zonelen);
/* Format as Go's IP.String: RFC 5952 for IPv6, dotted quad for IPv4 and
 * IPv4-mapped, "<nil>" for len 0, "?hex" for other lengths. */
IFPLEX_API int ifplex_ip_string(const struct ifplex_ip *ip, char *buf, size_t len);
/* The IPv4 address a.b.c.d, as Go's IPv4(), in the 4-byte form. */
IFPLEX_API struct ifplex_ip ifplex_ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);
/* 4-byte form into out if ip is IPv4 (or IPv4-mapped); else IFPLEX_EINVAL,
 * an answer that records no error. */
IFPLEX_API int ifplex_ip_to4(const struct ifplex_ip *ip, struct ifplex_ip *out);
/* 16-byte form into out; IFPLEX_EINVAL (recording nothing) unless len is 4
 * or 16. */
IFPLEX_API int ifplex_ip_to16(const struct ifplex_ip *ip, struct ifplex_ip *out);
/* Go's IP.Equal: 1 or 0.  An IPv4 address equals its IPv4-mapped form; two
 * IPs of the same length (0 included) are equal when their bytes are.
 * 0 when either is NULL or longer than 16. */
IFPLEX_API int ifplex_ip_equal(const struct ifplex_ip *a, const struct ifplex_ip *b);

/* Go's predicates; each is 0 for len 0 and for NULL. */
IFPLEX_API int ifplex_ip_is_unspecified(const struct ifplex_ip *ip);
IFPLEX_API int ifplex_ip_is_loopback(const struct ifplex_ip *ip);
IFPLEX_API int ifplex_ip_is_private(const struct ifplex_ip *ip);
IFPLEX_API int ifplex_ip_is_multicast(const struct ifplex_ip *ip);
IFPLEX_API int ifplex_ip_is_interface_local_multicast(const struct ifplex_ip *ip);
IFPLEX_API int ifplex_ip_is_link_local_multicast(const struct ifplex_ip *ip);
IFPLEX_API int ifplex_ip_is_link_local_unicast(const struct ifplex_ip *ip);
IFPLEX_API int ifplex_ip_is_global_unicast(const struct ifplex_ip *ip);

/* Go's CIDRMask(ones, bits): bits 32 or 128; IFPLEX_EINVAL otherwise. */
IFPLEX_API int ifplex_cidr_mask(int ones, int bits, struct ifplex_ipmask *out);
/* Go's IPv4Mask(a, b, c, d): a 4-byte mask. */
IFPLEX_API struct ifplex_ipmask ifplex_ipv4_mask(uint8_t a, uint8_t b, uint8_t c, uint8_t d);
/* Go's IPMask.Size: ones and bits of a canonical mask, 0 and 0 otherwise;
 * IFPLEX_EINVAL when an argument is NULL. */
IFPLEX_API int ifplex_mask_size(const struct ifplex_ipmask *m, int *ones, int *bits);
/* Go's IPMask.String: hex digits, "<nil>" for len 0. */
IFPLEX_API int ifplex_mask_string(const struct ifplex_ipmask *m, char *buf, size_t len);
/* Go's DefaultMask: the classful mask of an IPv4 address (4 bytes), or a
 * mask of len 0 when ip is not IPv4 (or NULL). */
IFPLEX_API struct ifplex_ipmask ifplex_default_mask(const struct ifplex_ip *ip);
/* Go's IP.Mask: out = ip & mask; IFPLEX_EINVAL when the lengths disagree
 * (Go's nil) or an argument is NULL. */
IFPLEX_API int ifplex_ip_mask(const struct ifplex_ip *ip, const struct ifplex_ipmask *m,
			      struct ifplex_ip *out);
/* Go's ParseCIDR: "192.0.2.1/24" gives ip 192.0.2.1 and net 192.0.2.0/24;
 * the mask has 4 bytes for IPv4 text, 16 for IPv6 text (::ffff:a.b.c.d
 * included).  Either output may be NULL. */
IFPLEX_API int ifplex_cidr_parse(const char *s, struct ifplex_ip *ip, struct ifplex_ipnet *net);
/* Go's IPNet.Contains: 1 or 0 (0 when an argument is NULL). */
IFPLEX_API int ifplex_ipnet_contains(const struct ifplex_ipnet *n, const struct ifplex_ip *ip);
/* Go's IPNet.String: "ip/ones", or "ip/hexmask" for a non-canonical mask. */
IFPLEX_API int ifplex_ipnet_string(const struct ifplex_ipnet *n, char *buf, size_t len);

/* -------------------------------------------------------------- host:port */

/* Go's SplitHostPort; "[::1%lo]:80" gives "::1%lo" and "80".  On error both
 * outputs are "" and the message says why ("missing port in address"). */
IFPLEX_API int ifplex_split_host_port(const char *hostport, char *host, size_t hostlen,
				      char *port, size_t portlen);
/* Go's JoinHostPort: brackets a host that holds a colon. */
IFPLEX_API int ifplex_join_host_port(const char *host, const char *port, char *buf, size_t len);

/* ---------------------------------------------------------------- networks */

enum ifplex_net_kind {
	IFPLEX_NET_TCP = 1,
	IFPLEX_NET_UDP,
	IFPLEX_NET_IP,          /* raw IP: "ip4:icmp", "ip6:58" */
	IFPLEX_NET_UNIX,        /* stream */
	IFPLEX_NET_UNIXGRAM,
	IFPLEX_NET_UNIXPACKET,
};

/* A parsed network name. */
struct ifplex_network {
	int kind;     /* enum ifplex_net_kind */
	int family;   /* 0 (either), 4 or 6 */
	int proto;    /* IP protocol number for IFPLEX_NET_IP, else 0 */
	char name[16]; /* canonical name: "tcp4", "ip6:58" ... */
};

/* Parse a network to open a conversation on, as Go's Dial and Listen do:
 * "tcp", "tcp4", "tcp6", "udp*", "unix", "unixgram", "unixpacket", and
 * "ip:P", "ip4:P", "ip6:P" where P is a protocol number (decimal) or a
 * name in the system's protocols database (/etc/protocols: "icmp", "gre",
 * "ospf", "sctp"; any case).  IFPLEX_EUNKNOWNNET otherwise, with Go's text
 * ("unknown network tcp7", "address foo: unknown IP protocol specified");
 * "ip", "ip4", "ip6" alone name no protocol and are refused here
 * (ifplex_resolve_addr takes them).  name is the network as given, or
 * "ip4:47" when a protocol name does not fit. */
IFPLEX_API int ifplex_network_parse(const char *network, struct ifplex_network *out);

/* An endpoint: Go's TCPAddr or UDPAddr (IP), IPAddr (IPRAW: no port) or
 * UnixAddr. */
enum ifplex_netaddr_kind {
	IFPLEX_NETADDR_IP = 1,
	IFPLEX_NETADDR_UNIX = 2,
	IFPLEX_NETADDR_IPRAW = 3,
};
struct ifplex_netaddr {
	int kind;                       /* enum ifplex_netaddr_kind */
	struct ifplex_ip ip;            /* len 0: wildcard */
	int port;                       /* 0..65535 */
	char zone[IFPLEX_NAME_MAX];     /* IPv6 zone, "" if none */
	char path[IFPLEX_PATH_MAX];     /* Unix: file path, or "@name" (abstract) */
};

/* Go's Resolve{TCP,UDP,IP,Unix}Addr, chosen by network: "tcp*" and "udp*"
 * take "host:port", "ip", "ip4", "ip6" and "ipN:proto" take a host alone
 * (kind IFPLEX_NETADDR_IPRAW), "unix*" a path.  Host names and service
 * names go through the backend's resolver; "" host means the wildcard; a
 * "4" or "6" network keeps that family ("tcp4" with "[::]:80" gives
 * 0.0.0.0:80, as Go does).  network "" is Go 1.0's hint wildcard: "tcp"
 * when address has a port, else "ip". */
IFPLEX_API int ifplex_resolve_addr(const char *network, const char *address,
				   struct ifplex_netaddr *out);
/* Text as Go's Addr.String(): "192.0.2.1:80", "[fe80::1%eth0]:80", a path,
 * and for IFPLEX_NETADDR_IPRAW the IP alone ("fe80::1%eth0", "" for the
 * wildcard). */
IFPLEX_API int ifplex_netaddr_string(const struct ifplex_netaddr *a, char *buf, size_t len);

/* -------------------------------------------------------------- interfaces */

enum ifplex_iface_flags {
	IFPLEX_IFF_UP           = 1u << 0,
	IFPLEX_IFF_BROADCAST    = 1u << 1,
	IFPLEX_IFF_LOOPBACK     = 1u << 2,
	IFPLEX_IFF_POINTTOPOINT = 1u << 3,
	IFPLEX_IFF_MULTICAST    = 1u << 4,
	IFPLEX_IFF_RUNNING      = 1u << 5,
};

/* A network interface, as Go's net.Interface. */
struct ifplex_iface {
	int index;                       /* positive */
	int mtu;
	unsigned flags;                  /* IFPLEX_IFF_* */
	char name[IFPLEX_NAME_MAX];      /* UTF-8, NUL-terminated */
	uint8_t hwaddr[IFPLEX_HWADDR_MAX];
	uint8_t hwaddr_len;              /* 0 when the link has none */
};

/* An address of an interface (or a multicast group it joined). */
struct ifplex_addr {
	int index;                       /* the interface's index */
	struct ifplex_ip ip;             /* 4-byte form for IPv4 */
	int prefixlen;                   /* bits of the network prefix */
	char zone[IFPLEX_NAME_MAX];      /* interface name for scoped IPv6, else "" */
};

/* All interfaces; *list is one allocation (ifplex_free), see "Lists" above. */
IFPLEX_API int ifplex_interfaces(struct ifplex_iface **list, size_t *count);
/* One interface by index or name into caller storage; IFPLEX_ENOIFACE if absent. */
IFPLEX_API int ifplex_interface_by_index(int index, struct ifplex_iface *out);
IFPLEX_API int ifplex_interface_by_name(const char *name, struct ifplex_iface *out);
/* Unicast addresses of ifi, or of every interface when ifi is NULL. */
IFPLEX_API int ifplex_interface_addrs(const struct ifplex_iface *ifi, struct ifplex_addr **list,
				      size_t *count);
/* Multicast groups joined on ifi, or on every interface when ifi is NULL. */
IFPLEX_API int ifplex_interface_multicast_addrs(const struct ifplex_iface *ifi,
						struct ifplex_addr **list, size_t *count);
/* Release any list ifplex returned; NULL is fine.  Anything else (memory
 * from malloc, a list already freed) is refused, never freed: a build
 * without NDEBUG (the default) or with sanitizers aborts with a message
 * naming the pointer, one with -DNDEBUG leaves the block alone and records
 * IFPLEX_EINVAL for ifplex_last_error(). */
IFPLEX_API void ifplex_free(void *list);
/* Grows whenever the backend knows interface or address state changed;
 * 0 when the backend keeps no such counter. */
IFPLEX_API uint64_t ifplex_generation(void);
/* Drop and rebuild the backend's cache, e.g. after setns(). */
IFPLEX_API int ifplex_cache_reset(void);
/* Text of an address as Go's IPNet.String with zone: "fe80::1%eth0/64".  A
 * buffer of IFPLEX_ADDR_STRLEN bytes holds any address; a smaller one that
 * is too small gives IFPLEX_ESHORTBUF. */
IFPLEX_API int ifplex_addr_string(const struct ifplex_addr *a, char *buf, size_t len);
/* Hardware address as Go prints it: "02:fc:00:00:00:01", "" when none.  It
 * needs 3 bytes per address byte (hwlen * 3, at least 1); a buffer of
 * IFPLEX_HWADDR_STRLEN (IFPLEX_HWADDR_MAX * 3) bytes holds any address of an
 * ifplex_iface; too small gives IFPLEX_ESHORTBUF. */
IFPLEX_API int ifplex_hwaddr_string(const uint8_t *hw, size_t hwlen, char *buf, size_t len);
/* Go's ParseMAC: IEEE 802 MAC-48, EUI-48, EUI-64 or 20-octet IP over
 * InfiniBand link-layer addresses as "00:00:5e:00:53:01",
 * "00-00-5e-00-53-01" or "0000.5e00.5301"; the bytes go to hw (cap bytes,
 * IFPLEX_HWADDR_MAX is enough) and their count to *hwlen.
 * IFPLEX_EBADADDR: "address TEXT: invalid MAC address". */
IFPLEX_API int ifplex_hwaddr_parse(const char *s, uint8_t *hw, size_t cap, size_t *hwlen);

/* ------------------------------------------------------------------ events */

/*
 * Change events (beyond Go): a subscription that hands over every change of
 * links, addresses and multicast groups the backend announces.
 *
 * The guarantee.  Each subscription keeps a view of the state: the links,
 * addresses and groups it has reported.  Every change the backend announces
 * after ifplex_events_open returns is delivered to every subscription once,
 * in the order announced, also a change undone at once (an address added
 * and deleted by one `ip -batch` gives both events).  Nothing is dropped
 * silently: when announcements were lost (the kernel's socket buffer
 * overflowed: ENOBUFS) the subscriber gets IFPLEX_EV_RESYNC, which means
 * "forget your view", then the current state as ADDED and JOINED events
 * flagged IFPLEX_EVF_SYNC, then IFPLEX_EV_SYNCED; the events after it
 * continue from that state, so the view ends exact.  A change made while
 * that state was being listed can show twice, in the listing and as an
 * event after SYNCED: a link or address then comes again as CHANGED, a
 * group as JOINED, and the removal of something the listing already lacked
 * as a REMOVED (or LEFT) of something the view does not hold.  A link's
 * removal takes its addresses and groups with it: those the backend did not
 * announce gone come first, flagged IFPLEX_EVF_IMPLIED.
 *
 * What each backend sees: netlink (Linux) everything, on a NETLINK_ROUTE
 * socket of the subscription's own (multicast groups from Linux 6.11;
 * older kernels refuse IFPLEX_EVENTS_MCAST with IFPLEX_ENOTSUP).  win32
 * reads the adapters again after each Windows change notification (or on
 * a timer: IFPLEX_WIN32_EVENTS=poll, the only way groups are seen) and
 * delivers the difference from its last reading: there a change undone
 * before the next reading is never seen, but the view still ends equal to
 * the system's state.  routesock (BSDs, macOS) reads a PF_ROUTE socket of
 * the subscription's own: links, addresses, and groups on FreeBSD and
 * macOS; ENOBUFS or OpenBSD's RTM_DESYNC is a resync.  plan9 answers
 * IFPLEX_ENOTSUP (README says why).
 *
 * A subscription is one handle for an event loop: ifplex_events_wait_fd
 * gives a descriptor that becomes readable when events arrive (epoll, poll,
 * libuv's uv_poll_t); when it does, call ifplex_events_read with deadline 0
 * until it returns 0, since events can wait in the subscription beyond what
 * the descriptor shows (a resync's listing).  Calls on one subscription
 * may come from several threads (each event goes to one of them); close it
 * when no other thread uses it.  After fork() the child's subscription gets
 * a descriptor of its own at its first read (take ifplex_events_wait_fd
 * again) and starts with a resync; the parent's is unaffected.
 */
typedef struct ifplex_events ifplex_events;

/* What to subscribe to (ifplex_events_open's mask). */
#define IFPLEX_EVENTS_LINKS   0x1u  /* links added, changed, removed */
#define IFPLEX_EVENTS_ADDRS   0x2u  /* unicast addresses added, changed, removed */
#define IFPLEX_EVENTS_MCAST   0x4u  /* multicast groups joined, left */
#define IFPLEX_EVENTS_ALL     0x7u
/* Begin with the current state as ADDED and JOINED events flagged
 * IFPLEX_EVF_SYNC, ended by IFPLEX_EV_SYNCED (no RESYNC before them). */
#define IFPLEX_EVENTS_INITIAL 0x100u

enum ifplex_event_kind {
	IFPLEX_EV_LINK_ADDED = 1,  /* link: its record */
	IFPLEX_EV_LINK_CHANGED,    /* link: the new record; changed: what differs */
	IFPLEX_EV_LINK_REMOVED,    /* link: its last record */
	IFPLEX_EV_ADDR_ADDED,      /* addr */
	IFPLEX_EV_ADDR_CHANGED,    /* addr, announced again: its flags or lifetimes changed
				    * (ifplex_interface_addr_details tells them) */
	IFPLEX_EV_ADDR_REMOVED,    /* addr */
	IFPLEX_EV_MCAST_JOINED,    /* addr: the group */
	IFPLEX_EV_MCAST_LEFT,      /* addr: the group */
	IFPLEX_EV_RESYNC,          /* announcements were lost: forget the view */
	IFPLEX_EV_SYNCED,          /* the listing of the state is complete */
};

/* IFPLEX_EV_LINK_CHANGED: which fields of the record differ from the last
 * one reported.  OTHER alone: the backend announced the link with none of
 * them changed (operational state, carrier, master, statistics...). */
#define IFPLEX_CHANGED_FLAGS  0x1u
#define IFPLEX_CHANGED_MTU    0x2u
#define IFPLEX_CHANGED_NAME   0x4u
#define IFPLEX_CHANGED_HWADDR 0x8u
#define IFPLEX_CHANGED_OTHER  0x10u

/* ifplex_event flags. */
#define IFPLEX_EVF_SYNC    0x1u  /* part of a listing of the current state */
#define IFPLEX_EVF_IMPLIED 0x2u  /* not announced: implied by its link's removal */

/* One event.  Arrays of it are read, so its size is fixed ABI; reserved is
 * zero. */
struct ifplex_event {
	int kind;                        /* enum ifplex_event_kind */
	unsigned flags;                  /* IFPLEX_EVF_* */
	unsigned changed;                /* IFPLEX_CHANGED_*, for LINK_CHANGED */
	int index;                       /* the interface's index; 0 for RESYNC, SYNCED */
	/* The subscription's count of events up to and including this one:
	 * the generation of the subscriber's view that this event brings.  It
	 * is the subscription's own, not ifplex_generation()'s. */
	uint64_t generation;
	char name[IFPLEX_NAME_MAX];      /* the interface's name ("" when unknown) */
	struct ifplex_iface link;        /* LINK_* events */
	struct ifplex_addr addr;         /* ADDR_* and MCAST_* events */
	uint32_t reserved[8];
};

/* Subscribe to the kinds in mask (IFPLEX_EVENTS_*, at least one kind).
 * IFPLEX_ENOTSUP when the backend cannot deliver one of them. */
IFPLEX_API int ifplex_events_open(unsigned mask, ifplex_events **out);
/* Up to n events into buf; returns how many (0 when none came before the
 * deadline: absolute on the ifplex_now clock, 0 do not wait, negative no
 * limit), or a negative code. */
IFPLEX_API int ifplex_events_read(ifplex_events *ev, struct ifplex_event *buf, size_t n,
				  int64_t deadline);
/* The descriptor to wait on for reading (int, or a HANDLE on Windows);
 * it stays the subscription's: never read or close it. */
IFPLEX_API int ifplex_events_wait_fd(ifplex_events *ev, intptr_t *fd);
/* End the subscription; NULL is fine. */
IFPLEX_API int ifplex_events_close(ifplex_events *ev);
/* A kind's name: "link-added", "addr-removed", "resync" ...; "?" if unknown. */
IFPLEX_API const char *ifplex_event_kind_name(int kind);

/* ----------------------------------------------------------------- details */

/*
 * Details (beyond Go): what the OS knows about a link or address besides
 * the Go-exact records.  Each struct begins with its size, set by the
 * caller, so that it can grow; present tells which fields the backend
 * filled: a field whose bit is clear is unknown, whatever it holds.
 */

/* RFC 2863 ifOperStatus, as Linux's IF_OPER_* and Windows' IF_OPER_STATUS
 * name it; ifplex_operstate_name gives the text `ip` prints ("UP"). */
enum ifplex_operstate {
	IFPLEX_OPER_UP = 1,
	IFPLEX_OPER_DOWN = 2,
	IFPLEX_OPER_TESTING = 3,
	IFPLEX_OPER_UNKNOWN = 4,
	IFPLEX_OPER_DORMANT = 5,
	IFPLEX_OPER_NOTPRESENT = 6,
	IFPLEX_OPER_LOWERLAYERDOWN = 7,
};

/* struct ifplex_link_details present bits. */
#define IFPLEX_LD_KIND         0x1u
#define IFPLEX_LD_OPERSTATE    0x2u
#define IFPLEX_LD_CARRIER      0x4u
#define IFPLEX_LD_MASTER       0x8u
#define IFPLEX_LD_LINK         0x10u
#define IFPLEX_LD_LINK_NETNSID 0x20u
#define IFPLEX_LD_TXQLEN       0x40u
#define IFPLEX_LD_QUEUES       0x80u
#define IFPLEX_LD_ALTNAMES     0x100u
#define IFPLEX_LD_STATS_PACKETS 0x200u  /* rx_packets, tx_packets */
#define IFPLEX_LD_STATS_BYTES   0x400u  /* rx_bytes, tx_bytes */
#define IFPLEX_LD_STATS_ERRORS  0x800u  /* rx_errors, tx_errors */
#define IFPLEX_LD_STATS_DROPS   0x1000u /* rx_dropped, tx_dropped */

#define IFPLEX_ALTNAMES_MAX 8
#define IFPLEX_ALTNAME_MAX  128  /* Linux's ALTIFNAMSIZ */

struct ifplex_link_stats {
	uint64_t rx_packets, tx_packets;
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors;
	uint64_t rx_dropped, tx_dropped;
};

struct ifplex_link_details {
	size_t size;                   /* sizeof(struct ifplex_link_details), set by the caller */
	uint64_t present;              /* IFPLEX_LD_* */
	char kind[32];                 /* "veth", "bridge", "vxlan", "tun" ...; "" for a device
					* of no kind (hardware, loopback) */
	int operstate;                 /* enum ifplex_operstate */
	int carrier;                   /* 1 when the link has a carrier (LOWER_UP) */
	int master;                    /* index of its master (bridge, bond, VRF); 0: none */
	int link;                      /* index of the link it sits on (a veth's peer, a
					* macvlan's or VLAN's lower link); 0: none */
	int link_netnsid;              /* that link lives in the namespace of this id; -1: here */
	unsigned txqlen;               /* transmit queue length, packets */
	unsigned num_tx_queues, num_rx_queues;
	unsigned naltnames;            /* alternative names the link has ... */
	char altnames[IFPLEX_ALTNAMES_MAX][IFPLEX_ALTNAME_MAX]; /* ... the first of them */
	struct ifplex_link_stats stats;
};

/* Details of the interface index into out.  out->size is set by the caller
 * to the size of the struct it knows (at least this header's, through
 * stats; at most 64 KiB); what lies past the library's struct is zeroed.  IFPLEX_ENOIFACE
 * if absent, IFPLEX_ENOTSUP when the backend has no details. */
IFPLEX_API int ifplex_interface_details(int index, struct ifplex_link_details *out);
/* "UP", "DOWN", "UNKNOWN", "LOWERLAYERDOWN" ... as `ip` prints them; "?"
 * for a value outside the enum. */
IFPLEX_API const char *ifplex_operstate_name(int state);

/* Address flags, as Linux's IFA_F_* (and `ip addr` prints them). */
#define IFPLEX_ADDRF_SECONDARY      0x1u
#define IFPLEX_ADDRF_TEMPORARY      0x2u
#define IFPLEX_ADDRF_NODAD          0x4u
#define IFPLEX_ADDRF_OPTIMISTIC     0x8u
#define IFPLEX_ADDRF_DADFAILED      0x10u
#define IFPLEX_ADDRF_HOMEADDRESS    0x20u
#define IFPLEX_ADDRF_DEPRECATED     0x40u
#define IFPLEX_ADDRF_TENTATIVE      0x80u
#define IFPLEX_ADDRF_PERMANENT      0x100u
#define IFPLEX_ADDRF_MANAGETEMPADDR 0x200u
#define IFPLEX_ADDRF_NOPREFIXROUTE  0x400u
#define IFPLEX_ADDRF_MCAUTOJOIN     0x800u
#define IFPLEX_ADDRF_STABLE_PRIVACY 0x1000u

/* Address scopes, with Linux's numbers (RT_SCOPE_*). */
enum ifplex_scope {
	IFPLEX_SCOPE_GLOBAL = 0,
	IFPLEX_SCOPE_SITE = 200,
	IFPLEX_SCOPE_LINK = 253,
	IFPLEX_SCOPE_HOST = 254,
	IFPLEX_SCOPE_NOWHERE = 255,
};

/* struct ifplex_addr_details present bits. */
#define IFPLEX_AD_FLAGS     0x1u
#define IFPLEX_AD_SCOPE     0x2u
#define IFPLEX_AD_PEER      0x4u
#define IFPLEX_AD_BROADCAST 0x8u
#define IFPLEX_AD_LABEL     0x10u
#define IFPLEX_AD_LIFETIMES 0x20u
/* valid_lft and preferred_lft are the lifetimes as configured, counted
 * from when the address was added, a moment the OS does not tell (Plan 9's
 * ipifc status): not seconds left.  Never set together with LIFETIMES. */
#define IFPLEX_AD_LIFETIMES_TOTAL 0x40u

#define IFPLEX_LIFETIME_FOREVER 0xffffffffu

struct ifplex_addr_details {
	size_t size;                   /* the list's element size (ifplex_interface_addr_details) */
	uint64_t present;              /* IFPLEX_AD_* */
	struct ifplex_addr addr;       /* as ifplex_interface_addrs gives it */
	unsigned flags;                /* IFPLEX_ADDRF_* */
	int scope;                     /* enum ifplex_scope, or another number of the OS's */
	struct ifplex_ip peer;         /* the other end of a point-to-point link */
	struct ifplex_ip broadcast;
	char label[IFPLEX_NAME_MAX];   /* the IPv4 label ("eth0:1") */
	uint32_t valid_lft;            /* seconds left; IFPLEX_LIFETIME_FOREVER (or the total:
					* IFPLEX_AD_LIFETIMES_TOTAL) */
	uint32_t preferred_lft;
};

/* Every address of interface index (0: of every interface) with its
 * details, in the order of ifplex_interface_addrs.  size is
 * sizeof(struct ifplex_addr_details) as the caller knows it (at least this
 * header's, through preferred_lft; at most 64 KiB): each element of *list is size bytes,
 * its size field says so, and what lies past the library's struct is zero.
 * *list is one allocation (ifplex_free).  IFPLEX_ENOIFACE, IFPLEX_ENOTSUP
 * as ifplex_interface_details. */
IFPLEX_API int ifplex_interface_addr_details(int index, size_t size,
					     struct ifplex_addr_details **list, size_t *count);
/* "global", "site", "link", "host", "nowhere", or NULL for another number. */
IFPLEX_API const char *ifplex_scope_name(int scope);

/* --------------------------------------------------------------- snapshots */

/*
 * A snapshot is an immutable, reference-counted view of every interface and
 * its addresses at one generation, read in place: no list is copied.
 *
 * ifplex_snapshot_get() hands out a reference to the backend's current
 * snapshot.  When nothing changed since it was published that costs a
 * reference and no copy (and, on netlink's ebpf cache, no system call); a
 * change publishes a new snapshot for later calls, while every holder keeps
 * the one it has, unchanged, until it calls ifplex_snapshot_put().  Every
 * pointer read from a snapshot stays valid as long as the reference.  A
 * snapshot is as fresh as ifplex_interfaces(): it shows every change that
 * completed before the get.
 *
 * Every backend has snapshots: netlink publishes them from its cache; on
 * other backends (and on netlink with IFPLEX_CACHE=off) the core builds one
 * from the list calls and hands out the same snapshot again while
 * ifplex_generation() stays the same, or, on a backend without a
 * generation counter, while the lists read the same.
 *
 * Threads may get, read and put snapshots freely; a snapshot held across
 * fork() stays valid in both processes.  The accessors record no error: on
 * a NULL snapshot or argument they return NULL (or 0) and a count of 0.
 */
struct ifplex_snapshot;

/* The current snapshot; *out is NULL after a failure (the codes of
 * ifplex_interfaces). */
IFPLEX_API int ifplex_snapshot_get(const struct ifplex_snapshot **out);
/* Give back a reference; NULL is fine.  A snapshot is freed with its last
 * reference, once it is no longer current. */
IFPLEX_API void ifplex_snapshot_put(const struct ifplex_snapshot *s);
/* The generation the snapshot shows: ifplex_generation()'s value when it
 * was taken (on a backend without one, a count the core keeps that grows
 * when the lists change).  Two snapshots of one generation are the same. */
IFPLEX_API uint64_t ifplex_snapshot_generation(const struct ifplex_snapshot *s);
/* Every interface, in the order ifplex_interfaces() gives (ascending index
 * on netlink). */
IFPLEX_API const struct ifplex_iface *ifplex_snapshot_interfaces(const struct ifplex_snapshot *s,
								 size_t *count);
/* Every address of family 4 or 6, or of both (0: the IPv4 ones, then the
 * IPv6 ones).  Within a family addresses are grouped by interface, in the
 * order of the interface array, each interface's in the backend's order: on
 * netlink, family 0 is the order of ifplex_interface_addrs(NULL, ...). */
IFPLEX_API const struct ifplex_addr *ifplex_snapshot_addrs(const struct ifplex_snapshot *s, int family,
							   size_t *count);
/* The addresses of one interface of family 4 or 6 (a contiguous part of
 * ifplex_snapshot_addrs()), in O(1) when ifi points into this snapshot's
 * interface array, else looked up by ifi->index; NULL and 0 when it has
 * none, or when family is neither 4 nor 6. */
IFPLEX_API const struct ifplex_addr *ifplex_snapshot_iface_addrs(const struct ifplex_snapshot *s,
								 const struct ifplex_iface *ifi, int family,
								 size_t *count);
/* One interface of the snapshot, found by a hash lookup; NULL if absent. */
IFPLEX_API const struct ifplex_iface *ifplex_snapshot_by_index(const struct ifplex_snapshot *s, int index);
IFPLEX_API const struct ifplex_iface *ifplex_snapshot_by_name(const struct ifplex_snapshot *s,
							      const char *name);

/* ------------------------------------------------------- backend selection */

/*
 * Sized option structs (struct ifplex_options, struct ifplex_dial_options):
 * set size to sizeof the struct as your header declares it and zero what
 * you do not set.  A library older than your header accepts the larger
 * struct only when every byte past the fields it knows is zero, and
 * otherwise fails with IFPLEX_EINVAL saying which byte, so that a choice is
 * never silently dropped; a newer library reads the fields your size covers
 * and treats the rest as unset.  A size that does not cover the size field
 * itself is IFPLEX_EINVAL.
 */

/* Choices a program can make in code instead of the environment. */
struct ifplex_options {
	size_t size;              /* sizeof(struct ifplex_options) */
	const char *backend;      /* "auto" or a plugin name; NULL: IFPLEX_BACKEND or auto */
	const char *plugin_path;  /* colon-separated directories searched first; NULL: IFPLEX_PLUGIN_PATH */
	const char *cache;        /* backend cache mode; NULL: IFPLEX_CACHE or auto */
};

/* Choose the backend now.  Optional: the first call that needs a backend
 * does the same from the environment.  IFPLEX_EINVAL once a backend is
 * active with other choices; after a failure, new choices are tried anew.
 *
 * Which plugin files load: the search path's directories must be absolute
 * (".", "lib" are refused), and the file, every directory above it and
 * every symlink's target on the way must be owned by root or this process's
 * effective uid and not writable by group or others (IFPLEX_EBADPLUGIN
 * naming the offending path otherwise).  A set-uid or set-capability
 * process ignores IFPLEX_BACKEND, IFPLEX_PLUGIN_PATH and the rest of the
 * environment.  Failures that may pass (out of memory or descriptors) are
 * retried by the next call; others are remembered until ifplex_init. */
IFPLEX_API int ifplex_init(const struct ifplex_options *opts);
/* Name of the active backend ("netlink"), loading it if needed; NULL and the
 * reason in ifplex_last_error() when none loads.  Valid for the life of the
 * process: a backend is never unloaded. */
IFPLEX_API const char *ifplex_backend_name(void);
/* Why the backend was chosen ("IFPLEX_BACKEND=plan9", "auto on linux chose
 * netlink"); valid for the life of the process. */
IFPLEX_API const char *ifplex_backend_reason(void);
/* The backend `auto` picks on the operating system os ("linux" -> "netlink",
 * "freebsd", "darwin", "netbsd", "openbsd", "dragonfly" -> "routesock",
 * "windows" -> "win32", "plan9" -> "plan9"); NULL for this one.  NULL when
 * that system has no default. */
IFPLEX_API const char *ifplex_backend_auto(const char *os);
/* The backend's cache mode ("ebpf", "notify", "off", "none"). */
IFPLEX_API const char *ifplex_cache_mode(void);
/* A backend fact by key ("cache", "cache_modes", "cache_why"), or NULL for
 * a key the backend does not know.  The string belongs to the backend and
 * stays valid, unchanged, for the life of the process. */
IFPLEX_API const char *ifplex_backend_describe(const char *key);

/*
 * The datapath (beyond Go): a plugin layered over the backend that takes
 * the UDP conversations on chosen interfaces (kernel bypass), chosen by
 * IFPLEX_DATAPATH ("xdp", or "auto": xdp where it can attach, else kernel
 * sockets) with IFPLEX_XDP=IFNAME[:QUEUE][,...] naming the interfaces.  A
 * udp, udp4 or udp6 ifplex_listen_packet or ifplex_dial whose local address
 * (given, or for a dial without one the source of the kernel's route to
 * the peer) is an address of such an interface goes to it; everything
 * else, wildcard listeners included, to the backend.  The program does not
 * change: the same calls, the same results.  A named datapath that cannot
 * serve such a conversation fails it with a message naming the interface
 * and the reason; auto falls back and says why under IFPLEX_DEBUG.
 */
/* The datapath's name ("xdp"), or NULL when there is none (unset, or auto
 * found none) or a named one cannot open (ifplex_last_error says why). */
IFPLEX_API const char *ifplex_datapath_name(void);
/* A datapath fact into buf: "reason" (why this datapath, or none),
 * "interfaces" (where it may attach and where it is attached), "counters"
 * (received, sent, dropped by reason, per interface; also of another
 * process's datapath on those interfaces), "mode".  IFPLEX_ENOTSUP when
 * there is no datapath (but for "reason"), IFPLEX_EINVAL for an unknown
 * key, IFPLEX_ESHORTBUF when buf is too small (2048 bytes hold any). */
IFPLEX_API int ifplex_datapath_describe(const char *key, char *buf, size_t len);

/* Capability bits of a backend or connection. */
enum ifplex_caps {
	IFPLEX_CAP_INTERFACES = 1ull << 0,
	IFPLEX_CAP_ADDRS      = 1ull << 1,
	IFPLEX_CAP_MULTICAST_ADDRS = 1ull << 2,
	IFPLEX_CAP_GENERATION = 1ull << 3,
	IFPLEX_CAP_TCP        = 1ull << 4,
	IFPLEX_CAP_UDP        = 1ull << 5,
	IFPLEX_CAP_RAWIP      = 1ull << 6,
	IFPLEX_CAP_UNIX       = 1ull << 7,
	IFPLEX_CAP_FDPASS     = 1ull << 8,
	IFPLEX_CAP_DEADLINES  = 1ull << 9,
	IFPLEX_CAP_MCAST_JOIN = 1ull << 10,
	IFPLEX_CAP_BATCH      = 1ull << 11,
	IFPLEX_CAP_FD         = 1ull << 12, /* connections have an OS descriptor */
	IFPLEX_CAP_LOOKUP     = 1ull << 13,
	IFPLEX_CAP_LOOKUP_DNS = 1ull << 14, /* CNAME, SRV, MX records */
	IFPLEX_CAP_POLL       = 1ull << 15, /* ifplex_conn_poll */
	IFPLEX_CAP_LENT       = 1ull << 16, /* ifplex_read_lent: zero-copy receive */
	IFPLEX_CAP_EVENTS     = 1ull << 17, /* ifplex_events_open */
	IFPLEX_CAP_DETAILS    = 1ull << 18, /* ifplex_interface_details, ..._addr_details */
};
/* Capabilities of the active backend; 0 when none loads. */
IFPLEX_API uint64_t ifplex_backend_caps(void);
/* Names of the capability bits, for printing: bit i -> name or NULL. */
IFPLEX_API const char *ifplex_cap_name(unsigned bit);

/* A plugin file found on the search path (for `ifplex backends`). */
struct ifplex_plugin_info {
	char name[64];
	char path[1024];
	uint32_t abi;        /* the plugin's ABI, 0 if unread */
	uint32_t size;       /* its struct ifplex_backend size, 0 if unread */
	uint64_t caps;
	int status;          /* 0 loadable, else the loader's code */
	char message[1024];  /* loader's message when status != 0 */
};
/* The plugin files on the search path in search order, the first of each
 * name, without loading any: name and path set, the rest 0; one allocation. */
IFPLEX_API int ifplex_plugin_files(struct ifplex_plugin_info **list, size_t *count);
/* Load the file info->path (which must be ifplex-<info->name>.so) in this
 * process, as the backend would be, and fill abi, size, caps, status and
 * message.  Its code runs here: a plugin that crashes in its constructor
 * or entry point takes the caller with it, so `ifplex backends` probes
 * each file in a child process. */
IFPLEX_API int ifplex_plugin_probe(struct ifplex_plugin_info *info);
/* ifplex_plugin_files, then ifplex_plugin_probe of each (loaded, never
 * unloaded); one allocation. */
IFPLEX_API int ifplex_plugins(struct ifplex_plugin_info **list, size_t *count);
/* The ABI number this core speaks. */
IFPLEX_API uint32_t ifplex_backend_abi(void);

/* ------------------------------------------------------------- connections */

typedef struct ifplex_conn ifplex_conn;

/* Deadlines and time: nanoseconds on ifplex's monotonic clock. */
IFPLEX_API int64_t ifplex_now(void);

struct ifplex_dial_options {
	size_t size;                  /* sizeof(struct ifplex_dial_options) */
	int64_t deadline;             /* absolute (ifplex_now clock), 0: none */
	const char *local_address;    /* bind before connect, "" or NULL: any */
	const char *device;           /* bind to this interface, NULL: any */
};

/* Go's Dial: "tcp", "127.0.0.1:80".  Host names are resolved and tried in
 * order.  Failure text: "dial tcp 127.0.0.1:1: connect: connection refused". */
IFPLEX_API int ifplex_dial(const char *network, const char *address, ifplex_conn **out);
IFPLEX_API int ifplex_dial_opts(const char *network, const char *address,
				const struct ifplex_dial_options *opts, ifplex_conn **out);
/* Go's Listen (tcp*, unix, unixpacket). */
IFPLEX_API int ifplex_listen(const char *network, const char *address, ifplex_conn **out);
/* Go's ListenPacket (udp*, ip*:proto, unixgram). */
IFPLEX_API int ifplex_listen_packet(const char *network, const char *address, ifplex_conn **out);
/* Wait for and return the next connection of a listener. */
IFPLEX_API int ifplex_accept(ifplex_conn *listener, ifplex_conn **out);
/* Close; a listener on a Unix path removes the file it created.  NULL is
 * fine.  The handle is gone once ifplex_close returns, as memory is after
 * free(): using or closing it again is a use after free, which a sanitizer
 * build reports and other builds answer with IFPLEX_ECLOSED where they can
 * tell.  Until it returns, other threads may use the handle: calls blocked
 * on it wake with IFPLEX_ECLOSED, and of two threads closing it at once
 * exactly one gets 0 and the other IFPLEX_ECLOSED. */
IFPLEX_API int ifplex_close(ifplex_conn *c);

/* Read up to len bytes; *n is what arrived.  IFPLEX_EOF at end of stream. */
IFPLEX_API int ifplex_read(ifplex_conn *c, void *buf, size_t len, size_t *n);
/* Write all len bytes unless an error or deadline stops it; *n is what went. */
IFPLEX_API int ifplex_write(ifplex_conn *c, const void *buf, size_t len, size_t *n);
/* Datagram read with the sender's address (from may be NULL). */
IFPLEX_API int ifplex_read_from(ifplex_conn *c, void *buf, size_t len, size_t *n,
				struct ifplex_netaddr *from);
/* Datagram write to an address. */
IFPLEX_API int ifplex_write_to(ifplex_conn *c, const void *buf, size_t len,
			       const struct ifplex_netaddr *to, size_t *n);

/*
 * Per-message facts a backend may report on receive.  The caller sets size
 * to sizeof(struct ifplex_msg_meta) as it knows it; the backend fills the
 * fields that size covers and marks each one it does not know as absent
 * (the values below), so the struct can grow without breaking callers.
 */
struct ifplex_msg_meta {
	size_t size;
	int ifindex;                  /* arrival interface; 0: unknown */
	int queue;                    /* arrival receive queue; -1: unknown */
	int64_t timestamp;            /* arrival on the ifplex_now clock; 0: unknown */
	struct ifplex_ip dst;         /* destination address; len 0: unknown */
};

/* A message with control data, for read_msg/write_msg and the batch calls.
 * Arrays of it are passed to the batch calls, so its size is fixed ABI:
 * new per-message facts go into struct ifplex_msg_meta, never here. */
struct ifplex_msg {
	void *buf;                    /* payload */
	size_t len;                   /* its capacity (read) or length (write) */
	size_t n;                     /* bytes moved */
	struct ifplex_netaddr *addr;  /* peer (may be NULL) */
	int *fds;                     /* descriptors to pass (Unix sockets) */
	size_t nfds;                  /* how many to send, or capacity to receive */
	size_t fds_received;          /* how many arrived */
	unsigned flags;               /* IFPLEX_MSG_* on return */
	int result;                   /* batch calls: 0 or this message's code */
	struct ifplex_msg_meta *meta; /* receive: filled if not NULL */
	void *reserved[3];            /* must be NULL */
};
#define IFPLEX_MSG_TRUNC   1u  /* payload was cut */
#define IFPLEX_MSG_CTRUNC  2u  /* control data was cut (descriptors lost) */

IFPLEX_API int ifplex_read_msg(ifplex_conn *c, struct ifplex_msg *m);
IFPLEX_API int ifplex_write_msg(ifplex_conn *c, struct ifplex_msg *m);
/* Batched datagram I/O (mmsg-like): returns how many messages were moved
 * (>= 0), each with its own result, or a negative code if none was. */
IFPLEX_API int ifplex_read_batch(ifplex_conn *c, struct ifplex_msg *msgs, size_t count);
IFPLEX_API int ifplex_write_batch(ifplex_conn *c, struct ifplex_msg *msgs, size_t count);

/*
 * Lent buffers (zero copy, beyond Go): a datagram's payload stays in the
 * backend's memory (a datapath's ring) until it is given back.  Backends
 * that have no such memory answer IFPLEX_ENOTSUP; IFPLEX_CAP_LENT tells.
 */
struct ifplex_lent {
	const void *data;             /* payload, valid until released */
	size_t len;
	struct ifplex_netaddr *addr;  /* sender, into caller storage (may be NULL) */
	uint64_t token;               /* the backend's, for release */
	unsigned flags;               /* IFPLEX_MSG_* */
	int result;                   /* 0 or this datagram's code */
};
/* Up to count datagrams; returns how many (>= 1) or a negative code. */
IFPLEX_API int ifplex_read_lent(ifplex_conn *c, struct ifplex_lent *v, size_t count);
/* Give lent buffers back; each must come from ifplex_read_lent on c. */
IFPLEX_API int ifplex_release_lent(ifplex_conn *c, struct ifplex_lent *v, size_t count);

/* Readiness without a descriptor: wait until c is readable or writable
 * (events of IFPLEX_POLL_*) or the absolute deadline passes (0: do not
 * wait, negative: no limit); *revents tells which.  A datapath makes
 * progress while waiting.  IFPLEX_ETIMEDOUT if nothing is ready in time;
 * Close from another thread ends the wait with IFPLEX_ECLOSED. */
#define IFPLEX_POLL_IN   1u
#define IFPLEX_POLL_OUT  2u
IFPLEX_API int ifplex_conn_poll(ifplex_conn *c, unsigned events, int64_t deadline,
				unsigned *revents);

/* Local and remote endpoints. */
IFPLEX_API int ifplex_conn_local_addr(ifplex_conn *c, struct ifplex_netaddr *out);
IFPLEX_API int ifplex_conn_remote_addr(ifplex_conn *c, struct ifplex_netaddr *out);

/* Absolute deadlines as Go's SetDeadline: 0 clears; a passed deadline makes
 * pending and future calls fail with IFPLEX_ETIMEDOUT. */
IFPLEX_API int ifplex_set_deadline(ifplex_conn *c, int64_t deadline);
IFPLEX_API int ifplex_set_read_deadline(ifplex_conn *c, int64_t deadline);
IFPLEX_API int ifplex_set_write_deadline(ifplex_conn *c, int64_t deadline);

enum ifplex_option {
	IFPLEX_OPT_NODELAY = 1,      /* 0/1 */
	IFPLEX_OPT_KEEPALIVE,        /* 0/1 */
	IFPLEX_OPT_KEEPALIVE_PERIOD, /* seconds */
	IFPLEX_OPT_LINGER,           /* seconds; negative: off */
	IFPLEX_OPT_READ_BUFFER,      /* bytes */
	IFPLEX_OPT_WRITE_BUFFER,     /* bytes */
	IFPLEX_OPT_MULTICAST_LOOP,   /* 0/1 */
	IFPLEX_OPT_MULTICAST_TTL,    /* hops */
};
/* Go's SetNoDelay, SetKeepAlive, SetLinger, SetReadBuffer ... */
IFPLEX_API int ifplex_set_option(ifplex_conn *c, int option, int64_t value);
/* Join or leave a multicast group on an interface (NULL: system default). */
IFPLEX_API int ifplex_join_group(ifplex_conn *c, const struct ifplex_ip *group,
				 const struct ifplex_iface *ifi);
IFPLEX_API int ifplex_leave_group(ifplex_conn *c, const struct ifplex_ip *group,
				  const struct ifplex_iface *ifi);
/* Half-close the writing side of a stream (Go's CloseWrite). */
IFPLEX_API int ifplex_close_write(ifplex_conn *c);
/* The OS descriptor (int, or SOCKET on Windows), if the backend has one;
 * IFPLEX_ENOTSUP otherwise. */
IFPLEX_API int ifplex_conn_fd(ifplex_conn *c, intptr_t *fd);
/*
 * A descriptor to wait on for readiness in an event loop (epoll, poll,
 * kqueue, libuv's uv_poll_t), where the backend has one; IFPLEX_ENOTSUP
 * otherwise (then call ifplex_conn_poll from a thread of its own).  Register
 * it for reading or writing; when the loop reports it ready, confirm with
 * ifplex_conn_poll(c, events, 0, &revents), which never waits, and make one
 * ifplex_read, ifplex_read_from, ifplex_accept or ifplex_write call.  A
 * readable connection then returns without waiting; a write larger than the
 * socket buffer can still wait, so bound it with a write deadline.  Read and
 * write only through ifplex, and never close the descriptor: it stays the
 * connection's until ifplex_close.
 */
IFPLEX_API int ifplex_conn_wait_fd(ifplex_conn *c, intptr_t *fd);
/* Capability bits of this connection. */
IFPLEX_API uint64_t ifplex_conn_caps(ifplex_conn *c);
/* The network the connection was made on ("tcp4", "unix" ...); the string
 * belongs to the connection and is valid until ifplex_close(c). */
IFPLEX_API const char *ifplex_conn_network(ifplex_conn *c);

/* ----------------------------------------------------------------- lookups */

struct ifplex_srv {
	char target[IFPLEX_HOST_MAX];
	uint16_t port, priority, weight;
};
struct ifplex_mx {
	char host[IFPLEX_HOST_MAX];
	uint16_t pref;
};

/* Go's LookupIP ("ip", "ip4", "ip6" as network, NULL for "ip"); one
 * allocation, IPv4 in the 4-byte form.  An IP literal is its own answer
 * ("::" for "ip4" is 0.0.0.0, golang.org/issue/18806); a name that is not
 * a valid DNS name is IFPLEX_ENOTFOUND without asking the resolver. */
IFPLEX_API int ifplex_lookup_ip(const char *network, const char *host,
				struct ifplex_ip **list, size_t *count);
/* Go's LookupPort: numbers (with an optional sign: "+80", "-0") pass
 * through and must lie in 0..65535, "" is 0; a name ("http", "HTTP": any
 * case) goes to the resolver for "tcp*" or "udp*", or for either when
 * network is "" or NULL.  The network is checked only when a name must be
 * looked up ("address tcp7: unknown network"). */
IFPLEX_API int ifplex_lookup_port(const char *network, const char *service, int *port);
/* Go's LookupAddr: names for an address; *names is one allocation. */
IFPLEX_API int ifplex_lookup_addr(const char *addr, char ***names, size_t *count);
/* Go's LookupCNAME: the canonical name, with a trailing dot.  The CNAME,
 * SRV and MX lookups refuse a name that is not a valid DNS name as Go
 * does: IFPLEX_ENOTFOUND, "lookup NAME: no such host". */
IFPLEX_API int ifplex_lookup_cname(const char *host, char *buf, size_t len);
/* Go's LookupSRV("xmpp-server", "tcp", "google.com") or, with service and
 * proto both "" , the name as given; sorted by priority and weight. */
IFPLEX_API int ifplex_lookup_srv(const char *service, const char *proto, const char *name,
				 struct ifplex_srv **list, size_t *count);
/* Go's LookupMX, sorted by preference. */
IFPLEX_API int ifplex_lookup_mx(const char *name, struct ifplex_mx **list, size_t *count);

#ifdef __cplusplus
}
#endif
#endif /* IFPLEX_H */
