/* SPDX-License-Identifier: MIT */
/* What the BPF socket filter and its loader agree on. */
#ifndef IFPLEX_NL_BPF_SHARED_H
#define IFPLEX_NL_BPF_SHARED_H

/* The largest notification carried whole; a longer one counts as lost
 * (and forces a resync).  A power of two, for the verifier's bounds. */
#define NL_BPF_MAX_MSG 8192
/* 256 KiB holds some 200 link notifications; a larger burst resyncs. */
#define NL_BPF_RING_SIZE (1u << 18)

/* In an array map with BPF_F_MMAPABLE, read by user space with loads. */
struct nl_bpf_counters {
	unsigned long long generation; /* notifications copied into the ring */
	unsigned long long lost;       /* notifications that did not fit */
};

/* A ring record: the message's length, then its bytes. */
struct nl_bpf_record {
	unsigned int len;
	unsigned char data[NL_BPF_MAX_MSG];
};

/* Map order in the relocation table the embed script writes. */
enum { NL_BPF_MAP_RING, NL_BPF_MAP_COUNTERS, NL_BPF_MAP_SCRATCH, NL_BPF_NMAPS };

#endif
