/* SPDX-License-Identifier: MIT */
/* Socket filter on the subscribed rtnetlink socket: copy each notification
 * into a ring buffer, count it, and drop it so that nothing queues. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "nl_bpf_shared.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, NL_BPF_RING_SIZE);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct nl_bpf_counters);
} counters SEC(".maps");

/* The ring takes its data from map memory, not from the packet. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nl_bpf_record);
} scratch SEC(".maps");

SEC("socket")
int nl_notify(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct nl_bpf_counters *c = bpf_map_lookup_elem(&counters, &zero);
	struct nl_bpf_record *r = bpf_map_lookup_elem(&scratch, &zero);
	__u32 len = skb->len;

	__u16 type = 0;

	if (!c)
		return 0;
	if (!r || len == 0 || len > NL_BPF_MAX_MSG)
		goto lost;
	if (bpf_skb_load_bytes(skb, 0, r->data, len) < 0)
		goto lost;
	r->len = len;
	if (bpf_ringbuf_output(&ring, r, sizeof(r->len) + len, 0) < 0)
		goto lost;
	__sync_fetch_and_add(&c->generation, 1);
	return 0;
lost:
	/* Which kind was lost, so that only that kind is dumped again. */
	if (len >= 6)
		bpf_skb_load_bytes(skb, 4, &type, sizeof type);
	if (type == NL_BPF_RTM_NEWLINK || type == NL_BPF_RTM_DELLINK)
		__sync_fetch_and_add(&c->lost_links, 1);
	else if (type == NL_BPF_RTM_NEWADDR || type == NL_BPF_RTM_DELADDR)
		__sync_fetch_and_add(&c->lost_addrs, 1);
	__sync_fetch_and_add(&c->lost_bytes, len);
	__sync_fetch_and_add(&c->lost, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
