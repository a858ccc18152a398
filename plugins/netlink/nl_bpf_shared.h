/* SPDX-License-Identifier: MIT */
/* What the BPF socket filter and its loader agree on. */
#ifndef IFPLEX_NL_BPF_SHARED_H
#define IFPLEX_NL_BPF_SHARED_H

/* The largest notification carried whole; a longer one counts as lost
 * (and forces a resync).  A power of two, for the verifier's bounds. */
#define NL_BPF_MAX_MSG 8192
/* The ring starts small, so that arming it is cheap (a link notification
 * is about 1.5 KiB: 64 KiB hold some 40), and grows after an overflow to
 * twice what the burst needed, up to NL_BPF_RING_MAX, so that the next
 * burst of that size is applied as deltas.  Powers of two. */
#define NL_BPF_RING_SIZE (1u << 16)
#define NL_BPF_RING_MAX (1u << 25)

/* rtnetlink message types the filter tells apart (linux/rtnetlink.h). */
#define NL_BPF_RTM_NEWLINK 16
#define NL_BPF_RTM_DELLINK 17
#define NL_BPF_RTM_NEWADDR 20
#define NL_BPF_RTM_DELADDR 21

/* In an array map with BPF_F_MMAPABLE, read by user space with loads. */
struct nl_bpf_counters {
	unsigned long long generation; /* notifications copied into the ring */
	unsigned long long lost;       /* notifications that did not fit */
	unsigned long long lost_links; /* of them, link messages */
	unsigned long long lost_addrs; /* of them, address messages */
	unsigned long long lost_bytes; /* their bytes */
};

/* A ring record: the message's length, then its bytes. */
struct nl_bpf_record {
	unsigned int len;
	unsigned char data[NL_BPF_MAX_MSG];
};

/* Map order in the relocation table the embed script writes. */
enum { NL_BPF_MAP_RING, NL_BPF_MAP_COUNTERS, NL_BPF_MAP_SCRATCH, NL_BPF_NMAPS };

#endif
