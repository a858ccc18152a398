/* SPDX-License-Identifier: MIT */
/* The routesock backend: interfaces, addresses and multicast groups of the
 * BSDs and macOS from the routing messages of sysctl(NET_RT_IFLIST,
 * NET_RT_IFLIST2, NET_RT_IFMALIST), or from a captured dump replayed with
 * IFPLEX_ROUTESOCK_RIB.  The parser is portable C: it reads every layout
 * from a table (rs_layout.c), never from the system's headers, so that it
 * builds and is tested on any OS. */
#ifndef IFPLEX_ROUTESOCK_RS_H
#define IFPLEX_ROUTESOCK_RS_H

#include <ifplex.h>

#include <stddef.h>
#include <stdint.h>

/* The sysctls a dump can come from ("WHAT" in a RIB file); in an event
 * stream, what one read of a routing socket gave, or its ENOBUFS. */
enum rs_what { RS_IFLIST = 1, RS_IFLIST2 = 2, RS_IFMALIST = 4, RS_ROUTE = 8, RS_OVERFLOW = 16 };

/* What a message says: an interface, one of its addresses, a group (in
 * dumps and on the routing socket); an address or group gone, an
 * interface come or gone, announcements lost (on the routing socket). */
enum rs_kind { RS_IFINFO = 1, RS_NEWADDR, RS_NEWMADDR, RS_DELADDR, RS_DELMADDR, RS_IFANNOUNCE, RS_DESYNC };

/* if_data counters, in struct rs_ifdata's order. */
enum { RS_IPACKETS, RS_OPACKETS, RS_IBYTES, RS_OBYTES, RS_IERRORS, RS_OERRORS, RS_IQDROPS, RS_OQDROPS,
       RS_NCOUNTERS };

/* Sockaddr slots, the same on every BSD (RTAX_* in <net/route.h>). */
enum { RS_RTAX_DST = 0, RS_RTAX_GATEWAY = 1, RS_RTAX_NETMASK = 2, RS_RTAX_IFP = 4,
       RS_RTAX_IFA = 5, RS_RTAX_BRD = 7, RS_RTAX_LIMIT = 16 };

/* Where one message type of one system keeps what the parser reads. */
struct rs_msgfmt {
	uint8_t type;          /* rtm_type */
	uint8_t kind;          /* enum rs_kind */
	uint8_t addrs;         /* offset of the int32 sockaddr bitmask */
	uint8_t flags;         /* offset of the int32 flags */
	uint8_t index;         /* offset of the uint16 interface index */
	uint8_t hdrlen;        /* offset of a uint16 header length (OpenBSD); 0: none */
	uint16_t body;         /* header size, where the sockaddrs begin, when hdrlen is 0 */
	uint8_t mtu;           /* RS_IFINFO: offset of ifi_mtu */
	uint8_t mtu_size;      /* its size: 4 or 8 */
	/* RS_IFINFO: ifi_type (u8), ifi_link_state (size 0: the system has
	 * none), the counters (size 0: absent), all offsets from the message's
	 * start. */
	uint8_t ift;
	uint8_t link_state, link_state_size;
	struct {
		uint8_t off, size;
	} ctr[RS_NCOUNTERS];
	/* RS_NEWADDR, RS_DELADDR: the int32 address flags (IN6_IFF_*,
	 * IN_IFF_*) when the system sends them (ifam_addrflags), else 0. */
	uint8_t addrflags;
	/* RS_IFANNOUNCE: the IFNAMSIZ name and the uint16 IFAN_* what. */
	uint8_t name, what;
};

/* Interface types (ifi_type, IFT_* of <net/if_types.h>) that name a kind. */
struct rs_ift {
	uint8_t type;
	const char *kind;      /* "" for a device of no kind (loopback) */
};

/* One system's routing messages on one architecture. */
struct rs_layout {
	const char *os;        /* "freebsd", "darwin", "netbsd", "openbsd", "dragonfly" */
	const char *arch;      /* "amd64", "i386", "arm64" */
	uint8_t version;       /* RTM_VERSION */
	uint8_t align;         /* sockaddrs are rounded up to this; a 0-length one takes it whole */
	uint8_t af_inet, af_inet6, af_link;
	uint8_t rtax_max;      /* RTAX_MAX */
	/* The system's IFF_ bits for IFPLEX_IFF_UP, BROADCAST, LOOPBACK,
	 * POINTTOPOINT, MULTICAST, RUNNING, in that order. */
	uint32_t iff[6];
	unsigned whats;        /* enum rs_what bits: the sysctls this system has */
	unsigned mcast_what;   /* the one that lists multicast groups, 0: none */
	unsigned details_what; /* the one whose RTM_IFINFO has the widest counters */
	const struct rs_msgfmt *msgs;
	size_t nmsgs;
	/* ifi_link_state values: down_lo..down_hi is down, up_lo and above
	 * up, anything else unknown. */
	uint8_t ls_down_lo, ls_down_hi, ls_up_lo;
	/* The address flags' bits (IN6_IFF_TENTATIVE, _DUPLICATED,
	 * _DEPRECATED, _NODAD, _TEMPORARY; IN_IFF_TENTATIVE, _DUPLICATED,
	 * _NODAD), when some message has addrflags. */
	uint32_t in6f[5], inf[3];
	const struct rs_ift *ifts;
};

/* The layout for OS and ARCH as named in RIB files, or NULL. */
const struct rs_layout *rs_layout_find(const char *os, const char *arch);
/* What names a RIB section may carry: "iflist" ... and back. */
int rs_what_parse(const char *s, size_t n);
const char *rs_what_name(int what);

/* One sockaddr of a message: where it starts, its own length (sa_len),
 * its family byte, and the bytes it occupies (sa_len rounded up, or what
 * is left of the message when the last one lacks its padding). */
struct rs_sa {
	const uint8_t *p;
	uint8_t len, family;
	size_t space;
};

/* The sockaddrs of a message body for the bits set in addrs; slots not
 * present have p == NULL.  IFPLEX_EMALFORMED (with err) when a sockaddr
 * claims more than the message holds. */
int rs_walk(const struct rs_layout *l, uint32_t addrs, const uint8_t *b, size_t n,
	    struct rs_sa sa[RS_RTAX_LIMIT], char *err, size_t errlen);

/* A link-layer address (sockaddr_dl). */
struct rs_link {
	uint16_t index;
	uint8_t type;
	uint8_t nlen, alen;
	char name[256];        /* nlen bytes, NUL-terminated */
	const uint8_t *addr;   /* alen bytes inside the message */
};
int rs_sa_link(const struct rs_sa *sa, struct rs_link *out, char *err, size_t errlen);

/* An IPv4 or IPv6 address (or mask) read from sa as family af (the
 * layout's af_inet or af_inet6), whatever sa's own family byte says: a
 * short sockaddr gives what it has and zeros after.  KAME's embedded scope
 * (fe80::/10, ff01::/16, ff02::/16 bytes 2-3) moves into zone and is
 * cleared; otherwise sin6_scope_id is the zone. */
struct rs_inet {
	struct ifplex_ip ip;   /* 4 or 16 bytes */
	uint32_t zone;         /* interface index of the scope, 0: none */
};
void rs_sa_inet(const struct rs_layout *l, const struct rs_sa *sa, int af, struct rs_inet *out);
/* Bits of a mask up to its first zero bit. */
int rs_mask_ones(const struct ifplex_ip *mask);

/* What RTM_IFINFO's if_data says besides the record: flags are the
 * RS_DATA_* bits of what the message had. */
#define RS_DATA_LINK_STATE 0x1u
#define RS_DATA_NAME       0x2u  /* the message carried a sockaddr_dl */
struct rs_ifdata {
	unsigned has;          /* RS_DATA_* */
	uint8_t type;          /* ifi_type */
	int link_state;        /* -1 down, 1 up, 0 unknown (when RS_DATA_LINK_STATE) */
	uint64_t ctr[RS_NCOUNTERS];
	unsigned ctr_has;      /* bit i: ctr[i] was in the message */
};

/* What rs_parse reports for each message it understood. */
struct rs_addr {
	int index;             /* the interface's */
	struct ifplex_ip ip;
	int prefixlen;
	uint32_t zone;         /* explicit scope (interface index), 0: none */
	int scoped;            /* link- or interface-local: takes a zone */
	/* Details: the RTAX_BRD sockaddr (a broadcast address, or the peer
	 * of a point-to-point link), and IFPLEX_ADDRF_* flags when the
	 * system sends them. */
	int has_brd, has_flags;
	struct ifplex_ip brd;
	unsigned flags;
};
/* RTM_IFANNOUNCE: an interface came (arrival) or went. */
struct rs_announce {
	int index;
	int arrival;           /* 1 IFAN_ARRIVAL, 0 IFAN_DEPARTURE */
	char name[IFPLEX_NAME_MAX];
};
struct rs_sink {
	void *arg;
	/* Each returns 0, or a negative code that stops the parse; NULL
	 * skips what it would get. */
	int (*iface)(void *arg, const struct ifplex_iface *ifi);
	int (*addr)(void *arg, const struct rs_addr *a);
	int (*group)(void *arg, const struct rs_addr *a);
	/* The interface again with its if_data. */
	int (*ifdata)(void *arg, const struct ifplex_iface *ifi, const struct rs_ifdata *d);
	/* Routing-socket messages. */
	int (*addr_del)(void *arg, const struct rs_addr *a);
	int (*group_del)(void *arg, const struct rs_addr *a);
	int (*announce)(void *arg, const struct rs_announce *an);
	int (*desync)(void *arg);
};
/* The kind of link ifi_type names (rs_ift), NULL when none does. */
const char *rs_ift_kind(const struct rs_layout *l, uint8_t type);
struct rs_report {
	unsigned messages;     /* messages in the buffer */
	unsigned used;         /* understood and handed to the sink */
	unsigned other_type;   /* skipped: a type the dump did not need */
	unsigned other_version; /* skipped: another RTM_VERSION */
	unsigned dropped;      /* understood but not an address Go would list */
	uint8_t seen_version;  /* a version that was skipped */
	char err[256];         /* what was wrong, when rs_parse fails */
};

/* Every message of a dump to the sink: 0, IFPLEX_EMALFORMED with
 * rep->err naming the offset and what was wrong, or the sink's code. */
int rs_parse(const struct rs_layout *l, const uint8_t *buf, size_t len, const struct rs_sink *sink,
	     struct rs_report *rep);

/* How many messages of kind the dump holds (an upper bound when it is
 * malformed), to size lists before they fill. */
size_t rs_count(const struct rs_layout *l, const uint8_t *buf, size_t len, int kind);

/* rs_rib.c: a replayed RIB file, "ifplex-rib 1 OS ARCH WHAT LENGTH\n" then
 * LENGTH bytes, once per section. */
struct rs_rib {
	const struct rs_layout *layout;
	struct {
		const uint8_t *p;
		size_t n;
	} section[3];          /* by what: IFLIST, IFLIST2, IFMALIST; p NULL when absent */
};
/* Read the sections of buf (which the caller keeps): 0 or
 * IFPLEX_EMALFORMED with err saying what and where. */
int rs_rib_parse(const uint8_t *buf, size_t len, struct rs_rib *out, char *err, size_t errlen);
/* A section's slot in struct rs_rib for an enum rs_what bit. */
int rs_what_slot(int what);

/* One section's header line at buf: 1 with the layout, what, where its
 * bytes start (from buf) and how many; 0 when buf ends before the line
 * does; IFPLEX_EMALFORMED with err.  The section's bytes are not looked
 * at: they may not have arrived yet. */
struct rs_head {
	const struct rs_layout *layout;
	int what;
	size_t data, n;
};
int rs_rib_head(const uint8_t *buf, size_t len, struct rs_head *out, char *err, size_t errlen);

/* rs_stream.c: an event stream, what a routing socket gave read after
 * read, in the RIB file's framing: "ifplex-rib 1 OS ARCH route LENGTH\n"
 * and the LENGTH bytes of one read, or "ifplex-rib 1 OS ARCH overflow 0\n"
 * for a read that failed with ENOBUFS (announcements lost). */
struct rs_record {
	const struct rs_layout *layout;
	int what;              /* RS_ROUTE or RS_OVERFLOW */
	const uint8_t *p;
	size_t n;
};
/* The record at the start of buf: 1 and *used its size, 0 when buf holds
 * only part of it (more is to come), IFPLEX_EMALFORMED with err. */
int rs_stream_next(const uint8_t *buf, size_t len, struct rs_record *out, size_t *used, char *err,
		   size_t errlen);

#endif
