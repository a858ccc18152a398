/* SPDX-License-Identifier: MIT */
/* What the XDP program and the datapath that loads it agree on. */
#ifndef IFPLEX_XDP_SHARED_H
#define IFPLEX_XDP_SHARED_H

/* Conversations (AF_XDP sockets) one interface's program can steer to. */
#define XDP_MAX_SLOTS 256

/* A conversation's local endpoint on one receive queue: the program looks
 * up each UDP datagram's destination here.  IPv4 in addr[0..4), the rest 0;
 * port in network order. */
struct xdp_port_key {
	unsigned char addr[16];
	unsigned int queue;
	unsigned short port;
	unsigned char family; /* 4 or 6 */
	unsigned char pad;
};

/* Counters of one interface, in an array map with BPF_F_MMAPABLE: the
 * program adds the first group, the datapath in user space the rest, and
 * any root process can read them (ifplex backends) while it runs. */
struct xdp_counters {
	/* The program: */
	unsigned long long redirected;    /* UDP to a bound port: to its socket */
	unsigned long long passed;        /* everything else: to the kernel */
	unsigned long long fragments;     /* IP fragments: to the kernel */
	/* The datapath: */
	unsigned long long rx;            /* datagrams delivered to the caller */
	unsigned long long tx;            /* datagrams handed to the TX ring */
	unsigned long long rx_ip_options; /* IPv4 options skipped */
	unsigned long long rx_ext_headers;/* IPv6 extension headers skipped */
	unsigned long long rx_malformed;  /* dropped: lengths or headers wrong */
	unsigned long long rx_checksum;   /* dropped: IP or UDP checksum wrong */
	unsigned long long rx_truncated;  /* delivered cut to the caller's buffer */
	unsigned long long tx_no_route;   /* refused: no route, or not this interface */
	unsigned long long tx_no_neigh;   /* refused: the next hop did not resolve */
	unsigned long long tx_too_big;    /* refused: too large even for the kernel */
	unsigned long long neigh_resolve; /* resolutions the datapath started */
	unsigned long long rx_kernel;     /* of rx: reassembled by the kernel */
	unsigned long long tx_kernel;     /* of tx: over the MTU, the kernel fragments */
};

/* Map order in the relocation table bpf_embed.py writes. */
enum { XDP_MAP_XSKS, XDP_MAP_PORTS, XDP_MAP_COUNTERS, XDP_NMAPS };
#define XDP_MAP_NAMES "xsks,ports,counters"

/* Names the kernel shows (bpftool, ifplex backends finding a live one). */
#define XDP_PROG_NAME "ifplex_xdp"
#define XDP_COUNTERS_NAME "ifplex_xdp_cnt"

#endif
