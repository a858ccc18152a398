/* SPDX-License-Identifier: MIT */
/* The XDP program on one interface: three maps, the program from the
 * embedded instructions, and a BPF link (BPF_LINK_CREATE) that holds it on
 * the interface.  The link lives as long as its descriptor: closing it on
 * the last conversation's close, or the process ending in any way (a crash,
 * SIGKILL), detaches the program; nothing is pinned. */
#define _GNU_SOURCE
#include "xdp.h"
#include "../common/bpf_load.h"
#include "xdp_prog.h" /* generated: the program's instructions */

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int link_create(int prog_fd, int ifindex, unsigned flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof a);
	a.link_create.prog_fd = (uint32_t)prog_fd;
	a.link_create.target_ifindex = (uint32_t)ifindex;
	a.link_create.attach_type = BPF_XDP;
	a.link_create.flags = flags;
	return bpf_sys(BPF_LINK_CREATE, &a);
}

static int attach_err(struct xdp_iface *ifc, int e, const char *mode, char *why, size_t wl)
{
	if (e == EBUSY || e == EEXIST)
		snprintf(why, wl, "%s already has an XDP program attached (%s mode); only one may be",
			 ifc->name, mode);
	else if (e == EPERM || e == EACCES)
		snprintf(why, wl, "attach XDP program to %s: %s (needs CAP_NET_ADMIN and CAP_BPF)",
			 ifc->name, strerror(e));
	else
		snprintf(why, wl, "attach XDP program to %s in %s mode: %s", ifc->name, mode, strerror(e));
	return -e;
}

/* Receive queues in use (what an AF_XDP socket may bind): the driver's
 * channel count (ETHTOOL_GCHANNELS), else what the link reports. */
static int rx_queues(struct xdp_iface *ifc, int link_rxq)
{
	struct ethtool_channels ch = {.cmd = ETHTOOL_GCHANNELS};
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), n = 0;

	memset(&ifr, 0, sizeof ifr);
	if (fd >= 0 && strlen(ifc->name) < sizeof ifr.ifr_name) {
		memcpy(ifr.ifr_name, ifc->name, strlen(ifc->name) + 1);
		ifr.ifr_data = (void *)&ch;
		if (ioctl(fd, SIOCETHTOOL, &ifr) == 0)
			n = (int)(ch.rx_count > ch.combined_count ? ch.rx_count : ch.combined_count);
	}
	if (fd >= 0)
		close(fd);
	return n > 0 ? n : link_rxq;
}

void xdp_detach(struct xdp_iface *ifc)
{
	if (!ifc)
		return;
	if (ifc->cnt)
		munmap(ifc->cnt, (size_t)sysconf(_SC_PAGESIZE));
	if (ifc->link_fd >= 0)
		close(ifc->link_fd);
	if (ifc->prog_fd >= 0)
		close(ifc->prog_fd);
	for (int i = 0; i < XDP_NMAPS; i++)
		if (ifc->map_fd[i] >= 0)
			close(ifc->map_fd[i]);
	free(ifc);
}

static int sys_fail(struct xdp_iface *ifc, const char *what, char *why, size_t wl)
{
	int e = errno;
	if (e == EPERM || e == EACCES)
		snprintf(why, wl, "%s for %s: %s (needs CAP_BPF or CAP_SYS_ADMIN)", what, ifc->name,
			 strerror(e));
	else
		snprintf(why, wl, "%s for %s: %s", what, ifc->name, strerror(e));
	return -e;
}

int xdp_attach(struct xdp_state *st, const struct ifplex_iface *ifi, struct xdp_iface **out,
	       char *why, size_t wl)
{
	struct xdp_iface *ifc = calloc(1, sizeof *ifc);
	int rc;

	*out = NULL;
	if (!ifc) {
		snprintf(why, wl, "out of memory");
		return -ENOMEM;
	}
	ifc->st = st;
	ifc->index = ifi->index;
	ifc->mtu = ifi->mtu;
	snprintf(ifc->name, sizeof ifc->name, "%s", ifi->name);
	ifc->link_fd = ifc->prog_fd = -1;
	for (int i = 0; i < XDP_NMAPS; i++)
		ifc->map_fd[i] = -1;
	if (ifi->hwaddr_len != 6) {
		snprintf(why, wl, "%s is not an Ethernet interface (hardware address of %u bytes)",
			 ifi->name, (unsigned)ifi->hwaddr_len);
		xdp_detach(ifc);
		return -EPROTONOSUPPORT;
	}
	memcpy(ifc->mac, ifi->hwaddr, 6);
	if ((rc = xdp_link_info(&st->rt, ifi->index, &ifc->nqueues, NULL)) < 0) {
		snprintf(why, wl, "read link %s: %s", ifi->name, strerror(-rc));
		xdp_detach(ifc);
		return rc;
	}
	ifc->nqueues = rx_queues(ifc, ifc->nqueues);

	ifc->map_fd[XDP_MAP_XSKS] = bpf_map_make(BPF_MAP_TYPE_XSKMAP, "ifplex_xsks", 4, 4, XDP_MAX_SLOTS, 0);
	if (ifc->map_fd[XDP_MAP_XSKS] < 0)
		goto sys;
	ifc->map_fd[XDP_MAP_PORTS] = bpf_map_make(BPF_MAP_TYPE_HASH, "ifplex_ports",
						  sizeof(struct xdp_port_key), 4, XDP_MAX_SLOTS, 0);
	if (ifc->map_fd[XDP_MAP_PORTS] < 0)
		goto sys;
	ifc->map_fd[XDP_MAP_COUNTERS] = bpf_map_make(BPF_MAP_TYPE_ARRAY, XDP_COUNTERS_NAME, 4,
						     sizeof(struct xdp_counters), 1, BPF_F_MMAPABLE);
	if (ifc->map_fd[XDP_MAP_COUNTERS] < 0)
		goto sys;
	void *cnt = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE, MAP_SHARED,
			 ifc->map_fd[XDP_MAP_COUNTERS], 0);
	if (cnt == MAP_FAILED)
		goto sys;
	ifc->cnt = cnt;
	ifc->prog_fd = bpf_prog_make(BPF_PROG_TYPE_XDP, BPF_XDP, XDP_PROG_NAME, xdp_bpf_insns,
				     sizeof xdp_bpf_insns, xdp_bpf_relocs,
				     sizeof xdp_bpf_relocs / sizeof xdp_bpf_relocs[0], ifc->map_fd,
				     XDP_NMAPS, why, wl);
	if (ifc->prog_fd < 0) {
		rc = ifc->prog_fd;
		ifc->prog_fd = -1;
		xdp_detach(ifc);
		return rc;
	}
	/* Native (driver) mode where the driver has it, else generic. */
	unsigned modes[2] = {XDP_FLAGS_DRV_MODE, XDP_FLAGS_SKB_MODE};
	int first = st->force_mode == XDP_FLAGS_SKB_MODE ? 1 : 0;
	int last = st->force_mode == XDP_FLAGS_DRV_MODE ? 0 : 1;
	for (int m = first; m <= last; m++) {
		ifc->mode = m == 0 ? "native" : "generic";
		ifc->link_fd = link_create(ifc->prog_fd, ifc->index, modes[m]);
		if (ifc->link_fd >= 0)
			break;
		int e = errno;
		if (m == last || e == EBUSY || e == EEXIST || e == EPERM || e == EACCES) {
			rc = attach_err(ifc, e, ifc->mode, why, wl);
			xdp_detach(ifc);
			return rc;
		}
		st->host->log(IFPLEX_LOG_DEBUG, "xdp: %s: native mode refused (%s), trying generic",
			      ifc->name, strerror(e));
	}
	*out = ifc;
	return 0;
sys:
	rc = sys_fail(ifc, "BPF map", why, wl);
	xdp_detach(ifc);
	return rc;
}

static int map_update(int fd, const void *key, const void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof a);
	a.map_fd = (uint32_t)fd;
	a.key = (uintptr_t)key;
	a.value = (uintptr_t)value;
	a.flags = flags;
	return bpf_sys(BPF_MAP_UPDATE_ELEM, &a) < 0 ? -errno : 0;
}

static void map_delete(int fd, const void *key)
{
	union bpf_attr a;

	memset(&a, 0, sizeof a);
	a.map_fd = (uint32_t)fd;
	a.key = (uintptr_t)key;
	bpf_sys(BPF_MAP_DELETE_ELEM, &a);
}

int xdp_steer(struct xdp_iface *ifc, int fd, const struct xdp_port_key *key, int *slot)
{
	int s = 0, rc;

	while (s < XDP_MAX_SLOTS && ifc->slots[s])
		s++;
	if (s == XDP_MAX_SLOTS)
		return -ENOSPC;
	uint32_t k = (uint32_t)s, v = (uint32_t)fd;
	if ((rc = map_update(ifc->map_fd[XDP_MAP_XSKS], &k, &v, BPF_ANY)) < 0)
		return rc;
	if ((rc = map_update(ifc->map_fd[XDP_MAP_PORTS], key, &k, BPF_NOEXIST)) < 0) {
		map_delete(ifc->map_fd[XDP_MAP_XSKS], &k);
		return rc;
	}
	ifc->slots[s] = 1;
	*slot = s;
	return 0;
}

void xdp_unsteer(struct xdp_iface *ifc, const struct xdp_port_key *key, int slot)
{
	uint32_t k = (uint32_t)slot;

	map_delete(ifc->map_fd[XDP_MAP_PORTS], key);
	map_delete(ifc->map_fd[XDP_MAP_XSKS], &k);
	ifc->slots[slot] = 0;
}
