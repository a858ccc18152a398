/* SPDX-License-Identifier: MIT */
/* The datapath's XDP program: UDP datagrams to a bound local address and
 * port on this receive queue go to that conversation's AF_XDP socket;
 * everything else (ARP, ICMP, TCP, other UDP, fragments) goes on to the
 * kernel, so the host keeps working while it is attached. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xdp_shared.h"

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, XDP_MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDP_MAX_SLOTS);
	__type(key, struct xdp_port_key);
	__type(value, __u32);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct xdp_counters);
} counters SEC(".maps");

/* IPv6 extension headers walked before UDP; more go to the kernel. */
#define MAX_EXT 4

SEC("xdp")
int ifplex_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct xdp_port_key k = {};
	struct udphdr *udp;
	__u32 zero = 0;
	struct xdp_counters *c = bpf_map_lookup_elem(&counters, &zero);

	if (!c)
		return XDP_PASS;
	if ((void *)(eth + 1) > end)
		goto pass;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_UDP || ip->ihl < 5)
			goto pass;
		if (ip->frag_off & bpf_htons(0x3fff))
			goto frag;
		udp = (void *)ip + ip->ihl * 4;
		k.family = 4;
		__builtin_memcpy(k.addr, &ip->daddr, 4);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		if ((void *)(ip6 + 1) > end)
			goto pass;
		__u8 nh = ip6->nexthdr;
		void *p = ip6 + 1;
#pragma unroll
		for (int i = 0; i < MAX_EXT; i++) {
			if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING && nh != IPPROTO_DSTOPTS)
				break;
			struct ipv6_opt_hdr *o = p;
			if ((void *)(o + 1) > end)
				goto pass;
			nh = o->nexthdr;
			p += (o->hdrlen + 1) * 8;
		}
		if (nh == IPPROTO_FRAGMENT)
			goto frag;
		if (nh != IPPROTO_UDP)
			goto pass;
		udp = p;
		k.family = 6;
		__builtin_memcpy(k.addr, &ip6->daddr, 16);
	} else {
		goto pass;
	}
	if ((void *)(udp + 1) > end)
		goto pass;
	k.port = udp->dest;
	k.queue = ctx->rx_queue_index;
	__u32 *slot = bpf_map_lookup_elem(&ports, &k);
	if (!slot)
		goto pass;
	__sync_fetch_and_add(&c->redirected, 1);
	return bpf_redirect_map(&xsks, *slot, XDP_PASS);
frag:
	__sync_fetch_and_add(&c->fragments, 1);
pass:
	__sync_fetch_and_add(&c->passed, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
