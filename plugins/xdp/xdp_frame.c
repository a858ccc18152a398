/* SPDX-License-Identifier: MIT */
/* Frames on the wire: Ethernet, IPv4 (options skipped) or IPv6 (hop-by-hop,
 * routing and destination options skipped), UDP; every checksum checked on
 * receive and computed on send, since copy mode has no offload. */
#include "xdp.h"

#include <string.h>

#define ETH_HLEN_ 14
#define IP4_HLEN 20
#define IP6_HLEN 40
#define UDP_HLEN 8

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Summed in host order over 32-bit words: the one's-complement sum is the
 * same bytes whichever order it is taken in (RFC 1071, 2.B). */
uint32_t xdp_csum_add(uint32_t sum, const void *b, size_t n)
{
	const uint8_t *p = b;
	uint64_t s = sum;

	for (; n >= 4; n -= 4, p += 4) {
		uint32_t w;
		memcpy(&w, p, 4);
		s += w;
	}
	if (n) {
		uint32_t w = 0;
		memcpy(&w, p, n);
		s += w;
	}
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The pseudo-header's sum (RFC 768, RFC 8200 8.1), in the same order. */
static uint32_t pseudo(const uint8_t *src, const uint8_t *dst, size_t alen, size_t ulen)
{
	uint8_t tail[8] = {0};
	uint32_t s = xdp_csum_add(0, src, alen);

	s = xdp_csum_add(s, dst, alen);
	if (alen == 4) {
		tail[1] = 17;
		put16(tail + 2, (unsigned)ulen);
		return xdp_csum_add(s, tail, 4);
	}
	tail[2] = (uint8_t)(ulen >> 8);
	tail[3] = (uint8_t)ulen;
	tail[7] = 17;
	return xdp_csum_add(s, tail, 8);
}

static void set_ip(struct ifplex_ip *ip, const uint8_t *b, size_t n)
{
	ip->len = (uint8_t)n;
	memcpy(ip->b, b, n);
}

int xdp_frame_parse(const uint8_t *f, size_t n, struct xdp_rx *out)
{
	const uint8_t *ip = f + ETH_HLEN_, *udp;
	size_t rem, avail, alen;

	memset(out, 0, sizeof *out);
	if (n < ETH_HLEN_)
		return XDP_RX_MALFORMED;
	rem = n - ETH_HLEN_;
	switch (be16(f + 12)) {
	case 0x0800: {
		if (rem < IP4_HLEN || ip[0] >> 4 != 4)
			return XDP_RX_MALFORMED;
		size_t ihl = (size_t)(ip[0] & 15) * 4, tot = be16(ip + 2);
		if (ihl < IP4_HLEN || tot < ihl || tot > rem)
			return XDP_RX_MALFORMED;
		if (fold(xdp_csum_add(0, ip, ihl)) != 0xffff)
			return XDP_RX_CHECKSUM;
		if ((be16(ip + 6) & 0x3fff) || ip[9] != 17)
			return XDP_RX_NOTOURS; /* the program passes these to the kernel */
		if (ihl > IP4_HLEN)
			out->skipped |= XDP_SKIP_IPOPT;
		set_ip(&out->src, ip + 12, 4);
		set_ip(&out->dst, ip + 16, 4);
		udp = ip + ihl;
		avail = tot - ihl;
		alen = 4;
		break;
	}
	case 0x86dd: {
		if (rem < IP6_HLEN || ip[0] >> 4 != 6)
			return XDP_RX_MALFORMED;
		size_t end = IP6_HLEN + be16(ip + 4), off = IP6_HLEN;
		unsigned nh = ip[6];
		if (end > rem)
			return XDP_RX_MALFORMED;
		/* Each extension header is at least 8 bytes: the walk ends. */
		while (nh == 0 || nh == 43 || nh == 60) {
			if (off + 8 > end)
				return XDP_RX_MALFORMED;
			size_t hl = ((size_t)ip[off + 1] + 1) * 8;
			nh = ip[off];
			if (off + hl > end)
				return XDP_RX_MALFORMED;
			off += hl;
			out->skipped |= XDP_SKIP_EXT;
		}
		if (nh != 17)
			return XDP_RX_NOTOURS; /* fragments and the rest go to the kernel */
		set_ip(&out->src, ip + 8, 16);
		set_ip(&out->dst, ip + 24, 16);
		udp = ip + off;
		avail = end - off;
		alen = 16;
		break;
	}
	default:
		return XDP_RX_NOTOURS;
	}
	if (avail < UDP_HLEN)
		return XDP_RX_MALFORMED;
	size_t ulen = be16(udp + 4);
	if (ulen < UDP_HLEN || ulen > avail)
		return XDP_RX_MALFORMED;
	if (be16(udp + 6) == 0) {
		if (alen == 16)
			return XDP_RX_CHECKSUM; /* IPv6 requires one (RFC 8200 8.1) */
	} else if (fold(xdp_csum_add(pseudo(out->src.b, out->dst.b, alen, ulen), udp, ulen)) != 0xffff) {
		return XDP_RX_CHECKSUM;
	}
	out->sport = be16(udp);
	out->dport = be16(udp + 2);
	out->payload = udp + UDP_HLEN;
	out->len = ulen - UDP_HLEN;
	return XDP_RX_OK;
}

size_t xdp_frame_hdrlen(int family)
{
	return ETH_HLEN_ + (family == 4 ? IP4_HLEN : IP6_HLEN) + UDP_HLEN;
}

size_t xdp_frame_build(uint8_t *f, const struct xdp_tx *h, size_t len)
{
	int v4 = h->src.len == 4;
	uint8_t *ip = f + ETH_HLEN_;
	uint8_t *udp = ip + (v4 ? IP4_HLEN : IP6_HLEN);
	size_t ulen = UDP_HLEN + len;

	memcpy(f, h->dst_mac, 6);
	memcpy(f + 6, h->src_mac, 6);
	put16(f + 12, v4 ? 0x0800 : 0x86dd);
	if (v4) {
		ip[0] = 0x45;
		ip[1] = 0;
		put16(ip + 2, (unsigned)(IP4_HLEN + ulen));
		put16(ip + 4, h->ip_id);
		put16(ip + 6, 0x4000); /* DF: the datapath never fragments */
		ip[8] = 64;
		ip[9] = 17;
		put16(ip + 10, 0);
		memcpy(ip + 12, h->src.b, 4);
		memcpy(ip + 16, h->dst.b, 4);
		uint16_t c = (uint16_t)~fold(xdp_csum_add(0, ip, IP4_HLEN));
		memcpy(ip + 10, &c, 2);
	} else {
		ip[0] = 0x60;
		ip[1] = ip[2] = ip[3] = 0;
		put16(ip + 4, (unsigned)ulen);
		ip[6] = 17;
		ip[7] = 64;
		memcpy(ip + 8, h->src.b, 16);
		memcpy(ip + 24, h->dst.b, 16);
	}
	put16(udp, (unsigned)h->sport);
	put16(udp + 2, (unsigned)h->dport);
	put16(udp + 4, (unsigned)ulen);
	put16(udp + 6, 0);
	uint16_t c = (uint16_t)~fold(xdp_csum_add(pseudo(h->src.b, h->dst.b, h->src.len, ulen), udp, ulen));
	if (c == 0)
		c = 0xffff; /* 0 means "no checksum" (RFC 768) */
	memcpy(udp + 6, &c, 2);
	return (size_t)(udp - f) + ulen;
}
