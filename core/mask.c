/* SPDX-License-Identifier: MIT */
/* Masks and networks: Go's CIDRMask, IPMask, IP.Mask, ParseCIDR, IPNet. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* ones leading one bits of bits (32 or 128, checked by the caller). */
static struct ifplex_ipmask cidr_mask(int ones, int bits)
{
	struct ifplex_ipmask m = {.len = (uint8_t)(bits / 8)};

	for (int i = 0; i < m.len; i++) {
		int n = ones - 8 * i;
		m.b[i] = n >= 8 ? 0xff : n <= 0 ? 0 : (uint8_t)(0xff << (8 - n));
	}
	return m;
}

int ifplex_cidr_mask(int ones, int bits, struct ifplex_ipmask *out)
{
	if (!out)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_cidr_mask", "NULL argument");
	if ((bits != 32 && bits != 128) || ones < 0 || ones > bits)
		return ifplex__set_errorf(IFPLEX_EINVAL, "ifplex_cidr_mask: no mask of %d ones in %d bits",
					  ones, bits);
	*out = cidr_mask(ones, bits);
	return 0;
}

struct ifplex_ipmask ifplex_ipv4_mask(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct ifplex_ipmask m = {.len = 4, .b = {a, b, c, d}};
	return m;
}

/* Leading ones of a canonical mask, or -1. */
static int simple_mask_length(const uint8_t *b, size_t len)
{
	int ones = 0;
	size_t i = 0;

	for (; i < len && b[i] == 0xff; i++)
		ones += 8;
	if (i < len) {
		uint8_t v = b[i++];
		while (v & 0x80) {
			ones++;
			v = (uint8_t)(v << 1);
		}
		if (v)
			return -1;
	}
	for (; i < len; i++)
		if (b[i])
			return -1;
	return ones;
}

int ifplex_mask_size(const struct ifplex_ipmask *m, int *ones, int *bits)
{
	if (!m || !ones || !bits)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_mask_size", "NULL argument");
	/* Go counts any length; a struct holds at most 16 bytes. */
	int n = m->len <= 16 ? simple_mask_length(m->b, m->len) : -1;
	*ones = n < 0 ? 0 : n;
	*bits = n < 0 ? 0 : 8 * m->len;
	return 0;
}

int ifplex_mask_string(const struct ifplex_ipmask *m, char *buf, size_t len)
{
	char tmp[IFPLEX_MASK_STRLEN];
	int rc;

	if (!m)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_mask_string", "NULL argument");
	if (m->len == 0)
		strcpy(tmp, "<nil>");
	else
		ifplex__hex(m->b, m->len > 16 ? 16 : m->len, tmp);
	if ((rc = ifplex__copy_out(buf, len, tmp)) < 0)
		return ifplex__fail(rc, "ifplex_mask_string", NULL);
	return 0;
}

struct ifplex_ipmask ifplex_default_mask(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ifplex__ip4(ip);
	struct ifplex_ipmask none = {0};

	if (!p4)
		return none;
	/* The classful masks of RFC 791: A below 128, B below 192, else C. */
	return cidr_mask(p4[0] < 0x80 ? 8 : p4[0] < 0xc0 ? 16 : 24, 32);
}

static int all_ff(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != 0xff)
			return 0;
	return 1;
}

/* Go's IP.Mask; -1 where Go gives nil.  The result follows the IPv4 rule. */
static int mask_ip(const struct ifplex_ip *ip, const struct ifplex_ipmask *m, struct ifplex_ip *out)
{
	static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	const uint8_t *ib = ip->b, *mb = m->b;
	size_t il = ip->len, ml = m->len;

	if (ml == 16 && il == 4 && all_ff(mb, 12)) {
		mb += 12;
		ml = 4;
	}
	if (ml == 4 && il == 16 && memcmp(ib, prefix, 12) == 0) {
		ib += 12;
		il = 4;
	}
	if (il != ml || (il != 4 && il != 16))
		return -1;
	struct ifplex_ip r = {.len = (uint8_t)il};
	for (size_t i = 0; i < il; i++)
		r.b[i] = ib[i] & mb[i];
	ifplex__ip_norm(&r);
	*out = r;
	return 0;
}

int ifplex_ip_mask(const struct ifplex_ip *ip, const struct ifplex_ipmask *m, struct ifplex_ip *out)
{
	if (!ip || !m || !out)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_ip_mask", "NULL argument");
	if (mask_ip(ip, m, out) < 0)
		return ifplex__set_errorf(IFPLEX_EINVAL,
					  "ifplex_ip_mask: a %u-byte mask does not fit a %u-byte IP",
					  m->len, ip->len);
	return 0;
}

int ifplex_cidr_parse(const char *s, struct ifplex_ip *ipout, struct ifplex_ipnet *netout)
{
	const char *slash = s ? strchr(s, '/') : NULL;
	struct ifplex_ip ip;
	int v4 = 0;

	if (!s)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_cidr_parse", "NULL argument");
	if (!slash || ifplex__ip_parse_n(s, (size_t)(slash - s), &ip, &v4) < 0)
		goto bad;
	const char *d = slash + 1;
	long ones = 0;
	if (*d == '\0')
		goto bad;
	for (; *d; d++) {
		if (*d < '0' || *d > '9' || ones > 1000)
			goto bad;
		ones = ones * 10 + (*d - '0');
	}
	int bits = v4 ? 32 : 128;
	if (ones > bits)
		goto bad;
	struct ifplex_ipnet n = {.mask = cidr_mask((int)ones, bits)};
	/* Mask IPv6 text (::ffff:a.b.c.d too) in 16 bytes, as Go's As16 does. */
	struct ifplex_ip base = ip;
	if (!v4)
		ifplex_ip_to16(&ip, &base);
	mask_ip(&base, &n.mask, &n.ip);
	if (ipout)
		*ipout = ip;
	if (netout)
		*netout = n;
	return 0;
bad:
	return ifplex__set_errorf(IFPLEX_EBADADDR, "invalid CIDR address: %s", s);
}

/* Go's networkNumberAndMask: 4-byte or 16-byte forms that agree, or -1. */
static int network_number_and_mask(const struct ifplex_ipnet *n, struct ifplex_ip *ip,
				   struct ifplex_ipmask *m)
{
	if (ifplex_ip_to4(&n->ip, ip) < 0) {
		*ip = n->ip;
		if (ip->len != 16)
			return -1;
	}
	*m = n->mask;
	switch (m->len) {
	case 4:
		if (ip->len != 4)
			return -1;
		break;
	case 16:
		if (ip->len == 4) {
			memmove(m->b, m->b + 12, 4);
			m->len = 4;
		}
		break;
	default:
		return -1;
	}
	return 0;
}

int ifplex_ipnet_contains(const struct ifplex_ipnet *n, const struct ifplex_ip *ip)
{
	struct ifplex_ip nn, x;
	struct ifplex_ipmask m;

	if (!n || !ip || ip->len > 16)
		return 0;
	/* Go: a network without a usable number and mask holds only the
	 * empty IP (both sides have length 0). */
	if (network_number_and_mask(n, &nn, &m) < 0)
		return ip->len == 0;
	if (ifplex_ip_to4(ip, &x) < 0)
		x = *ip;
	if (x.len != nn.len)
		return 0;
	for (int i = 0; i < nn.len; i++)
		if ((nn.b[i] & m.b[i]) != (x.b[i] & m.b[i]))
			return 0;
	return 1;
}

int ifplex_ipnet_string(const struct ifplex_ipnet *n, char *buf, size_t len)
{
	struct ifplex_ip nn;
	struct ifplex_ipmask m;
	char ip[IFPLEX_IP_STRLEN], ms[IFPLEX_MASK_STRLEN], out[IFPLEX_IPNET_STRLEN];
	int rc;

	if (!n)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_ipnet_string", "NULL argument");
	if (network_number_and_mask(n, &nn, &m) < 0) {
		snprintf(out, sizeof out, "<nil>");
	} else {
		ifplex__ip_string(&nn, ip, sizeof ip);
		int ones = simple_mask_length(m.b, m.len);
		if (ones < 0)
			ifplex__hex(m.b, m.len, ms);
		else
			snprintf(ms, sizeof ms, "%d", ones);
		snprintf(out, sizeof out, "%s/%s", ip, ms);
	}
	if ((rc = ifplex__copy_out(buf, len, out)) < 0)
		return ifplex__fail(rc, "ifplex_ipnet_string", NULL);
	return 0;
}
