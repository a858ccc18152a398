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

/* FreeBSD 11 and later, sys/net/if.h: if_msghdr is 16 bytes of header and
 * a fixed-size if_data (uint64 counters, ifi_mtu at 8), 0xa8 on every
 * architecture; ifa_msghdr 0x14; ifma_msghdr 0x10 (x/net route
 * zsys_freebsd_*.go sizeofIfMsghdrFreeBSD11, ...).  sys/net/route.h:
 * RTM_NEWADDR 0xc, RTM_IFINFO 0xe, RTM_NEWMADDR 0xf. */
static const struct rs_msgfmt freebsd_msgs[] = {
	{.type = 0x0e, .kind = RS_IFINFO, .addrs = 4, .flags = 8, .index = 12, .body = 0xa8, .mtu = 24, .mtu_size = 4},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x14},
	{.type = 0x0f, .kind = RS_NEWMADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x10},
};

/* xnu bsd/net/if.h and if_var.h (#pragma pack(4)): if_msghdr 0x70 with
 * if_data at 16; if_msghdr2 0xa0 with if_data64 at 32; ifa_msghdr 0x14;
 * ifma_msghdr 0x10; ifma_msghdr2 0x14.  bsd/net/route.h: RTM_IFINFO2 0x12,
 * RTM_NEWMADDR2 0x13 (x/net route sys_darwin.go, zsys_darwin.go). */
static const struct rs_msgfmt darwin_msgs[] = {
	{.type = 0x0e, .kind = RS_IFINFO, .addrs = 4, .flags = 8, .index = 12, .body = 0x70, .mtu = 24, .mtu_size = 4},
	{.type = 0x12, .kind = RS_IFINFO, .addrs = 4, .flags = 8, .index = 12, .body = 0xa0, .mtu = 40, .mtu_size = 4},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x14},
	{.type = 0x0f, .kind = RS_NEWMADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x10},
	{.type = 0x13, .kind = RS_NEWMADDR, .addrs = 4, .flags = 8, .index = 12, .body = 0x14},
};

/* NetBSD sys/net/if.h: every message __aligned(8); if_msghdr 0x98 on all
 * architectures, if_data with a uint64 ifi_mtu at 8 (x/sys ztypes_netbsd_*).
 * RTM_IFINFO is 0x14 (sys/net/route.h).  NetBSD 8 reordered ifa_msghdr as
 * RTM_NEWADDR 0x16 (index, flags, addrs, pid, addrflags, metric: 0x20) and
 * kept the old one, 0x18 bytes with the index at 16, as RTM_ONEWADDR 0xc
 * for NET_RT_OIFLIST, which Go asks for (x/net route sys_netbsd.go). */
static const struct rs_msgfmt netbsd_msgs[] = {
	{.type = 0x14, .kind = RS_IFINFO, .addrs = 4, .flags = 8, .index = 12, .body = 0x98, .mtu = 24, .mtu_size = 8},
	{.type = 0x16, .kind = RS_NEWADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x20},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 4, .flags = 8, .index = 16, .body = 0x18},
};

/* OpenBSD sys/net/if.h: messages carry their header length at 4 and the
 * index at 6, addrs at 12, flags at 16; if_data at 24 with ifi_mtu at 4
 * (x/net route interface_openbsd.go, sys_openbsd.go). */
static const struct rs_msgfmt openbsd_msgs[] = {
	{.type = 0x0e, .kind = RS_IFINFO, .addrs = 12, .flags = 16, .index = 6, .hdrlen = 4, .mtu = 28, .mtu_size = 4},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 12, .flags = 16, .index = 6, .hdrlen = 4},
};

/* DragonFly sys/net/if.h: the index follows the type, then flags and
 * addrs; if_msghdr 0xb0 with a u_long ifi_mtu at 24; ifa_msghdr 0x18 since
 * RTM_VERSION 7 (5.8); ifma_msghdr 0x10 (Go internal/routebsd
 * interface_dragonfly.go, sys_dragonfly.go, zsys_dragonfly.go). */
static const struct rs_msgfmt dragonfly_msgs[] = {
	{.type = 0x0e, .kind = RS_IFINFO, .addrs = 12, .flags = 8, .index = 4, .body = 0xb0, .mtu = 24, .mtu_size = 8},
	{.type = 0x0c, .kind = RS_NEWADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x18},
	{.type = 0x0f, .kind = RS_NEWMADDR, .addrs = 12, .flags = 8, .index = 4, .body = 0x10},
};

#define MSGS(a) a, sizeof a / sizeof a[0]

/* Alignment: FreeBSD's SA_SIZE rounds to sizeof(long) of the kernel (8 on
 * amd64 even for i386 programs, golang/go#35513), xnu's ROUNDUP32 to 4,
 * NetBSD's RT_ROUNDUP to 8 everywhere, OpenBSD's and DragonFly's ROUNDUP
 * to sizeof(long).  AF_INET6 is 28, 30, 24, 24, 28 (sys/socket.h);
 * RTAX_MAX 8, 8, 9, 15, 11; RTM_VERSION 5, 5, 4, 5, 7 (net/route.h). */
static const struct rs_layout layouts[] = {
	{"freebsd", "amd64", 5, 8, 2, 28, 18, 8, BSD_IFF, RS_IFLIST | RS_IFMALIST, RS_IFMALIST, MSGS(freebsd_msgs)},
	{"freebsd", "arm64", 5, 8, 2, 28, 18, 8, BSD_IFF, RS_IFLIST | RS_IFMALIST, RS_IFMALIST, MSGS(freebsd_msgs)},
	{"freebsd", "i386", 5, 4, 2, 28, 18, 8, BSD_IFF, RS_IFLIST | RS_IFMALIST, RS_IFMALIST, MSGS(freebsd_msgs)},
	{"darwin", "amd64", 5, 4, 2, 30, 18, 8, BSD_IFF, RS_IFLIST | RS_IFLIST2, RS_IFLIST2, MSGS(darwin_msgs)},
	{"darwin", "arm64", 5, 4, 2, 30, 18, 8, BSD_IFF, RS_IFLIST | RS_IFLIST2, RS_IFLIST2, MSGS(darwin_msgs)},
	{"netbsd", "amd64", 4, 8, 2, 24, 18, 9, BSD_IFF, RS_IFLIST, 0, MSGS(netbsd_msgs)},
	{"netbsd", "arm64", 4, 8, 2, 24, 18, 9, BSD_IFF, RS_IFLIST, 0, MSGS(netbsd_msgs)},
	{"netbsd", "i386", 4, 8, 2, 24, 18, 9, BSD_IFF, RS_IFLIST, 0, MSGS(netbsd_msgs)},
	{"openbsd", "amd64", 5, 8, 2, 24, 18, 15, BSD_IFF, RS_IFLIST, 0, MSGS(openbsd_msgs)},
	{"openbsd", "arm64", 5, 8, 2, 24, 18, 15, BSD_IFF, RS_IFLIST, 0, MSGS(openbsd_msgs)},
	{"openbsd", "i386", 5, 4, 2, 24, 18, 15, BSD_IFF, RS_IFLIST, 0, MSGS(openbsd_msgs)},
	{"dragonfly", "amd64", 7, 8, 2, 28, 18, 11, BSD_IFF, RS_IFLIST, 0, MSGS(dragonfly_msgs)},
};

const struct rs_layout *rs_layout_find(const char *os, const char *arch)
{
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (strcmp(layouts[i].os, os) == 0 && strcmp(layouts[i].arch, arch) == 0)
			return &layouts[i];
	return NULL;
}

static const char *const what_names[] = {"iflist", "iflist2", "ifmalist"};

int rs_what_slot(int what)
{
	return what == RS_IFLIST ? 0 : what == RS_IFLIST2 ? 1 : what == RS_IFMALIST ? 2 : -1;
}

int rs_what_parse(const char *s, size_t n)
{
	for (int i = 0; i < 3; i++)
		if (strlen(what_names[i]) == n && memcmp(what_names[i], s, n) == 0)
			return 1 << i;
	return 0;
}

const char *rs_what_name(int what)
{
	int slot = rs_what_slot(what);
	return slot < 0 ? "?" : what_names[slot];
}
