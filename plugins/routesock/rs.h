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

/* The sysctls a dump can come from ("WHAT" in a RIB file). */
enum rs_what { RS_IFLIST = 1, RS_IFLIST2 = 2, RS_IFMALIST = 4 };

/* What a message says: an interface, one of its addresses, a group. */
enum rs_kind { RS_IFINFO = 1, RS_NEWADDR, RS_NEWMADDR };

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
	const struct rs_msgfmt *msgs;
	size_t nmsgs;
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

/* What rs_parse reports for each message it understood. */
struct rs_addr {
	int index;             /* the interface's */
	struct ifplex_ip ip;
	int prefixlen;
	uint32_t zone;         /* explicit scope (interface index), 0: none */
	int scoped;            /* link- or interface-local: takes a zone */
};
struct rs_sink {
	void *arg;
	/* Each returns 0, or a negative code that stops the parse. */
	int (*iface)(void *arg, const struct ifplex_iface *ifi);
	int (*addr)(void *arg, const struct rs_addr *a);
	int (*group)(void *arg, const struct rs_addr *a);
};
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

#endif
