/* SPDX-License-Identifier: MIT */
/* Routing-message layouts per system and architecture, written down from
 * the systems' headers and checked against Go's golang.org/x/net/route
 * (zsys_*.go, sys_*.go, interface_*.go), golang.org/x/sys/unix
 * (ztypes_*.go, zerrors_*.go) and Go's internal/routebsd.  The fixture
 * builder (tests/routesock/ribgen.py) computes the same offsets from the
 * struct declarations independently, so the two can disagree in a test. */
#include "rs.h"

#include <string.h>

/* IFF_UP, IFF_BROADCAST, IFF_LOOPBACK, IFF_POINTOPOINT, IFF_MULTICAST,
 * IFF_RUNNING: the same bits in FreeBSD, xnu, NetBSD, OpenBSD and
 * DragonFly <net/if.h>. */
#define BSD_IFF {0x1, 0x2, 0x8, 0x10, 0x8000, 0x40}

/* Counters of if_data, at offsets from the message's start: ipackets,
 * opackets, ibytes, obytes, ierrors, oerrors, iqdrops of size w, and
 * oqdrops of size oqw (0: the system has none). */
#define CTR(ip, op, ib, ob, ie, oe, iq, w, oq, oqw) \
	.ctr = {{ip, w}, {op, w}, {ib, w}, {ob, w}, {ie, w}, {oe, w}, {iq, w}, {oq, oqw}}

/* FreeBSD 11 and later, sys/net/if.h: if_msghdr is 16 bytes of header and
 * a fixed-size if_data (uint64 counters, ifi_mtu at 8), 0xa8 on every
 * architecture; ifa_msghdr 0x14; ifma_msghdr 0x10 (x/net route
 * zsys_freebsd_*.go sizeofIfMsghdrFreeBSD11, ...).  if_data: ifi_type at 0,
 * ifi_link_state (u_char) at 4, ipackets 24, ierrors 32, opackets 40,
 * oerrors 48, ibytes 64, obytes 72, iqdrops 96, oqdrops 104 (x/sys
 * ztypes_freebsd_{amd64,386,arm64}.go IfData: the same on all three).
 * sys/net/route.h: RTM_NEWADDR 0xc, RTM_DELADDR 0xd, RTM_IFINFO 0xe,
 * RTM_NEWMADDR 0xf, RTM_DELMADDR 0x10, RTM_IFANNOUNCE 0x11;
 * if_announcemsghdr: ifan_index at 4, ifan_name[16] at 6, ifan_what at
 * 22, 24 bytes (x/net route sizeofIfAnnouncemsghdrFreeBSD10). */
static const struct rs_msgfmt freebsd_msgs[] = {
	{.type = 0x0e, .kind = RS_IFINFO, .addrs = 4, .flags = 8, .index = 12, .body = 0xa8, .mtu = 24, .mtu_size = 4,
	 .ift = 16, .link_state = 20, .link_state_size = 1, CTR(40, 56, 80, 88, 48, 64, 112, 8, 120, 8)},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x14},
	{.type = 0x0d, .kind = RS_DELADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x14},
	{.type = 0x0f, .kind = RS_NEWMADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x10},
	{.type = 0x10, .kind = RS_DELMADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x10},
	{.type = 0x11, .kind = RS_IFANNOUNCE, .index = 4, .name = 6, .what = 22, .body = 24},
};

/* xnu bsd/net/if.h and if_var.h (#pragma pack(4)): if_msghdr 0x70 with
 * if_data at 16; if_msghdr2 0xa0 with if_data64 at 32; ifa_msghdr 0x14;
 * ifma_msghdr 0x10; ifma_msghdr2 0x14.  bsd/net/route.h: RTM_DELADDR 0xd,
 * RTM_DELMADDR 0x10, RTM_IFINFO2 0x12, RTM_NEWMADDR2 0x13, and no
 * RTM_IFANNOUNCE (x/net route sys_darwin.go, zsys_darwin.go).  if_data has
 * no link state and 32-bit counters: ipackets at 20, ierrors 24, opackets
 * 28, oerrors 32, ibytes 40, obytes 44, iqdrops 56, no output drops;
 * if_data64 the same order in uint64 from 24 (ipackets), with the output
 * queue's drops as if_msghdr2's ifm_snd_drops at 24 (x/sys
 * ztypes_darwin_{amd64,arm64}.go IfData, IfMsghdr2). */
static const struct rs_msgfmt darwin_msgs[] = {
	{.type = 0x0e, .kind = RS_IFINFO, .addrs = 4, .flags = 8, .index = 12, .body = 0x70, .mtu = 24, .mtu_size = 4,
	 .ift = 16, CTR(36, 44, 56, 60, 40, 48, 72, 4, 0, 0)},
	{.type = 0x12, .kind = RS_IFINFO, .addrs = 4, .flags = 8, .index = 12, .body = 0xa0, .mtu = 40, .mtu_size = 4,
	 .ift = 32, CTR(56, 72, 96, 104, 64, 80, 128, 8, 24, 4)},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x14},
	{.type = 0x0d, .kind = RS_DELADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x14},
	{.type = 0x0f, .kind = RS_NEWMADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x10},
	{.type = 0x10, .kind = RS_DELMADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x10},
	{.type = 0x13, .kind = RS_NEWMADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x14},
};

/* NetBSD sys/net/if.h: every message __aligned(8); if_msghdr 0x98 on all
 * architectures, if_data with a uint64 ifi_mtu at 8 (x/sys ztypes_netbsd_*).
 * RTM_IFINFO is 0x14 (sys/net/route.h).  NetBSD 8 reordered ifa_msghdr as
 * RTM_NEWADDR 0x16 (index, flags, addrs, pid, addrflags, metric: 0x20) and
 * kept the old one, 0x18 bytes with the index at 16, as RTM_ONEWADDR 0xc
 * for NET_RT_OIFLIST, which Go asks for (x/net route sys_netbsd.go).
 * RTM_DELADDR 0x17 (old: RTM_ODELADDR 0xd), RTM_IFANNOUNCE 0x10 with the
 * FreeBSD layout.  if_data: ifi_type at 0, int ifi_link_state at 4, then
 * uint64s: ipackets at 32, ierrors 40, opackets 48, oerrors 56, ibytes 72,
 * obytes 80, iqdrops 104, no output drops.  ifam_addrflags is
 * if_addrflags(): IN6_IFF_* (netinet6/in6_var.h) or IN_IFF_*
 * (netinet/in_var.h) (sys/net/rtsock.c). */
static const struct rs_msgfmt netbsd_msgs[] = {
	{.type = 0x14, .kind = RS_IFINFO, .addrs = 4, .flags = 8, .index = 12, .body = 0x98, .mtu = 24, .mtu_size = 8,
	 .ift = 16, .link_state = 20, .link_state_size = 4, CTR(48, 64, 88, 96, 56, 72, 120, 8, 0, 0)},
	{.type = 0x16, .kind = RS_NEWADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x20, .addrflags = 20},
	{.type = 0x17, .kind = RS_DELADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x20, .addrflags = 20},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 4, .flags = 8, .index = 16, .body = 0x18},
	{.type = 0x0d, .kind = RS_DELADDR, .addrs = 4, .flags = 8, .index = 16, .body = 0x18},
	{.type = 0x10, .kind = RS_IFANNOUNCE, .index = 4, .name = 6, .what = 22, .body = 24},
};

/* OpenBSD sys/net/if.h: messages carry their header length at 4 and the
 * index at 6, addrs at 12, flags at 16; if_data at 24 with ifi_type at 0,
 * u_char ifi_link_state at 3, ifi_mtu at 4, then uint64s from 24:
 * ipackets, ierrors 32, opackets 40, oerrors 48, ibytes 64, obytes 72,
 * iqdrops 96, oqdrops 104 (x/net route interface_openbsd.go, sys_openbsd.go;
 * x/sys ztypes_openbsd_{amd64,386,arm64}.go IfData).  RTM_DELADDR 0xd,
 * RTM_IFANNOUNCE 0xf (if_announcemsghdr: hdrlen 4, index 6, what 8,
 * name[16] at 10), RTM_DESYNC 0x10: the kernel's own note that messages
 * were dropped (sys/net/route.h, rtsock.c). */
static const struct rs_msgfmt openbsd_msgs[] = {
	{.type = 0x0e, .kind = RS_IFINFO, .addrs = 12, .flags = 16, .index = 6, .hdrlen = 4, .mtu = 28, .mtu_size = 4,
	 .ift = 24, .link_state = 27, .link_state_size = 1, CTR(48, 64, 88, 96, 56, 72, 120, 8, 128, 8)},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 12, .flags = 16, .index = 6, .hdrlen = 4},
	{.type = 0x0d, .kind = RS_DELADDR, .addrs = 12, .flags = 16, .index = 6, .hdrlen = 4},
	{.type = 0x0f, .kind = RS_IFANNOUNCE, .index = 6, .hdrlen = 4, .what = 8, .name = 10},
	{.type = 0x10, .kind = RS_DESYNC},
};

/* DragonFly sys/net/if.h: the index follows the type, then flags and
 * addrs; if_msghdr 0xb0 with a u_long ifi_mtu at 24; ifa_msghdr 0x18 since
 * RTM_VERSION 7 (5.8); ifma_msghdr 0x10 (Go internal/routebsd
 * interface_dragonfly.go, sys_dragonfly.go, zsys_dragonfly.go).  if_data
 * of u_longs after six u_chars: ifi_link_state at 24, ipackets 40,
 * ierrors 48, opackets 56, oerrors 64, ibytes 80, obytes 88, iqdrops 112,
 * oqdrops 136 (x/sys ztypes_dragonfly_amd64.go IfData).  RTM_DELADDR 0xd,
 * RTM_DELMADDR 0x10, RTM_IFANNOUNCE 0x11 with the FreeBSD layout. */
static const struct rs_msgfmt dragonfly_msgs[] = {
	{.type = 0x0e, .kind = RS_IFINFO, .addrs = 12, .flags = 8, .index = 4, .body = 0xb0, .mtu = 24, .mtu_size = 8,
	 .ift = 16, .link_state = 40, .link_state_size = 8, CTR(56, 72, 96, 104, 64, 80, 128, 8, 152, 8)},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x18},
	{.type = 0x0d, .kind = RS_DELADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x18},
	{.type = 0x0f, .kind = RS_NEWMADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x10},
	{.type = 0x10, .kind = RS_DELMADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x10},
	{.type = 0x11, .kind = RS_IFANNOUNCE, .index = 4, .name = 6, .what = 22, .body = 24},
};

/* Kinds by ifi_type (<net/if_types.h>, the IANA ifType numbers): IFT_LOOP
 * 0x18 has no kind, as Linux's lo; IFT_L2VLAN 0x87, IFT_BRIDGE 0xd1,
 * IFT_IEEE8023ADLAG 0xa1 (lagg), IFT_GIF 0xf0 (0x37 in xnu).  tun(4) is
 * IFT_PPP 0x17 on FreeBSD and DragonFly (if_tuntap.c, if_tun.c) and
 * IFT_TUNNEL 0x83 on NetBSD and OpenBSD; xnu's utun is IFT_OTHER.  An
 * IFT_ETHER names no kind: hardware, tap, epair and vxlan all have it. */
static const struct rs_ift freebsd_ifts[] = {{0x18, ""}, {0x87, "vlan"}, {0xd1, "bridge"}, {0xa1, "lagg"},
					     {0xf0, "gif"}, {0x17, "tun"}, {0, NULL}};
static const struct rs_ift darwin_ifts[] = {{0x18, ""}, {0x87, "vlan"}, {0xd1, "bridge"}, {0xa1, "bond"},
					    {0x37, "gif"}, {0, NULL}};
static const struct rs_ift netbsd_ifts[] = {{0x18, ""}, {0x87, "vlan"}, {0xd1, "bridge"}, {0xa1, "lagg"},
					    {0xf0, "gif"}, {0x83, "tun"}, {0, NULL}};
static const struct rs_ift openbsd_ifts[] = {{0x18, ""}, {0x87, "vlan"}, {0xd1, "bridge"}, {0xf0, "gif"},
					     {0x83, "tun"}, {0, NULL}};

const char *rs_ift_kind(const struct rs_layout *l, uint8_t type)
{
	for (const struct rs_ift *t = l->ifts; t && t->kind; t++)
		if (t->type == type)
			return t->kind;
	return NULL;
}

#define MSGS(a) a, sizeof a / sizeof a[0]

/* Alignment: FreeBSD's SA_SIZE rounds to sizeof(long) of the kernel (8 on
 * amd64 even for i386 programs, golang/go#35513), xnu's ROUNDUP32 to 4,
 * NetBSD's RT_ROUNDUP to 8 everywhere, OpenBSD's and DragonFly's ROUNDUP
 * to sizeof(long).  AF_INET6 is 28, 30, 24, 24, 28 (sys/socket.h);
 * RTAX_MAX 8, 8, 9, 15, 11; RTM_VERSION 5, 5, 4, 5, 7 (net/route.h). */
/* ifi_link_state: LINK_STATE_DOWN 1 and LINK_STATE_UP 2 (FreeBSD, NetBSD,
 * DragonFly net/if.h); OpenBSD's DOWN 2 and KALIVE_DOWN 3 down, UP 4 and
 * HALF_DUPLEX 5, FULL_DUPLEX 6 up (LINK_STATE_IS_UP); 0 unknown on all. */
#define LS_COMMON 1, 1, 2
#define LS_OPENBSD 2, 3, 4
/* NetBSD's address flags: IN6_IFF_TENTATIVE 0x2, DUPLICATED 0x4,
 * DEPRECATED 0x10, NODAD 0x20, TEMPORARY 0x80; IN_IFF_TENTATIVE 0x1,
 * DUPLICATED 0x2, NODAD 0x10. */
#define NETBSD_AF {0x2, 0x4, 0x10, 0x20, 0x80}, {0x1, 0x2, 0x10}
#define NO_AF {0}, {0}

/* Alignment: FreeBSD's SA_SIZE rounds to sizeof(long) of the kernel (8 on
 * amd64 even for i386 programs, golang/go#35513), xnu's ROUNDUP32 to 4,
 * NetBSD's RT_ROUNDUP to 8 everywhere, OpenBSD's and DragonFly's ROUNDUP
 * to sizeof(long).  AF_INET6 is 28, 30, 24, 24, 28 (sys/socket.h);
 * RTAX_MAX 8, 8, 9, 15, 11; RTM_VERSION 5, 5, 4, 5, 7 (net/route.h). */
static const struct rs_layout layouts[] = {
	{"freebsd", "amd64", 5, 8, 2, 28, 18, 8, BSD_IFF, RS_IFLIST | RS_IFMALIST, RS_IFMALIST, RS_IFLIST,
	 MSGS(freebsd_msgs), LS_COMMON, NO_AF, freebsd_ifts},
	{"freebsd", "arm64", 5, 8, 2, 28, 18, 8, BSD_IFF, RS_IFLIST | RS_IFMALIST, RS_IFMALIST, RS_IFLIST,
	 MSGS(freebsd_msgs), LS_COMMON, NO_AF, freebsd_ifts},
	{"freebsd", "i386", 5, 4, 2, 28, 18, 8, BSD_IFF, RS_IFLIST | RS_IFMALIST, RS_IFMALIST, RS_IFLIST,
	 MSGS(freebsd_msgs), LS_COMMON, NO_AF, freebsd_ifts},
	{"darwin", "amd64", 5, 4, 2, 30, 18, 8, BSD_IFF, RS_IFLIST | RS_IFLIST2, RS_IFLIST2, RS_IFLIST2,
	 MSGS(darwin_msgs), 0, 0, 0, NO_AF, darwin_ifts},
	{"darwin", "arm64", 5, 4, 2, 30, 18, 8, BSD_IFF, RS_IFLIST | RS_IFLIST2, RS_IFLIST2, RS_IFLIST2,
	 MSGS(darwin_msgs), 0, 0, 0, NO_AF, darwin_ifts},
	{"netbsd", "amd64", 4, 8, 2, 24, 18, 9, BSD_IFF, RS_IFLIST, 0, RS_IFLIST, MSGS(netbsd_msgs), LS_COMMON,
	 NETBSD_AF, netbsd_ifts},
	{"netbsd", "arm64", 4, 8, 2, 24, 18, 9, BSD_IFF, RS_IFLIST, 0, RS_IFLIST, MSGS(netbsd_msgs), LS_COMMON,
	 NETBSD_AF, netbsd_ifts},
	{"netbsd", "i386", 4, 8, 2, 24, 18, 9, BSD_IFF, RS_IFLIST, 0, RS_IFLIST, MSGS(netbsd_msgs), LS_COMMON,
	 NETBSD_AF, netbsd_ifts},
	{"openbsd", "amd64", 5, 8, 2, 24, 18, 15, BSD_IFF, RS_IFLIST, 0, RS_IFLIST, MSGS(openbsd_msgs), LS_OPENBSD,
	 NO_AF, openbsd_ifts},
	{"openbsd", "arm64", 5, 8, 2, 24, 18, 15, BSD_IFF, RS_IFLIST, 0, RS_IFLIST, MSGS(openbsd_msgs), LS_OPENBSD,
	 NO_AF, openbsd_ifts},
	{"openbsd", "i386", 5, 4, 2, 24, 18, 15, BSD_IFF, RS_IFLIST, 0, RS_IFLIST, MSGS(openbsd_msgs), LS_OPENBSD,
	 NO_AF, openbsd_ifts},
	{"dragonfly", "amd64", 7, 8, 2, 28, 18, 11, BSD_IFF, RS_IFLIST, 0, RS_IFLIST, MSGS(dragonfly_msgs), LS_COMMON,
	 NO_AF, freebsd_ifts},
};

const struct rs_layout *rs_layout_find(const char *os, const char *arch)
{
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (strcmp(layouts[i].os, os) == 0 && strcmp(layouts[i].arch, arch) == 0)
			return &layouts[i];
	return NULL;
}

static const char *const what_names[] = {"iflist", "iflist2", "ifmalist", "route", "overflow"};

int rs_what_slot(int what)
{
	return what == RS_IFLIST ? 0 : what == RS_IFLIST2 ? 1 : what == RS_IFMALIST ? 2 : -1;
}

int rs_what_parse(const char *s, size_t n)
{
	for (int i = 0; i < 5; i++)
		if (strlen(what_names[i]) == n && memcmp(what_names[i], s, n) == 0)
			return 1 << i;
	return 0;
}

const char *rs_what_name(int what)
{
	for (int i = 0; i < 5; i++)
		if (what == 1 << i)
			return what_names[i];
	return "?";
}
