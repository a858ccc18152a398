/* SPDX-License-Identifier: MIT */
/* IP addresses: parsing, RFC 5952 formatting, conversions, Go's predicates. */
#include "internal.h"

#include <string.h>

static const uint8_t v4_in_v6_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

struct ifplex_ip ifplex_ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct ifplex_ip ip = {.len = 4, .b = {a, b, c, d}};
	return ip;
}

const uint8_t *ifplex__ip4(const struct ifplex_ip *ip)
{
	if (!ip)
		return NULL;
	if (ip->len == 4)
		return ip->b;
	if (ip->len == 16 && memcmp(ip->b, v4_in_v6_prefix, 12) == 0)
		return ip->b + 12;
	return NULL;
}

void ifplex__ip_norm(struct ifplex_ip *ip)
{
	if (ip->len == 16 && memcmp(ip->b, v4_in_v6_prefix, 12) == 0) {
		memmove(ip->b, ip->b + 12, 4);
		memset(ip->b + 4, 0, 12);
		ip->len = 4;
	}
}

int ifplex_ip_to4(const struct ifplex_ip *ip, struct ifplex_ip *out)
{
	const uint8_t *p = ifplex__ip4(ip);

	if (!p || !out)
		return IFPLEX_EINVAL;
	struct ifplex_ip r = {.len = 4};
	memcpy(r.b, p, 4);
	*out = r;
	return 0;
}

int ifplex_ip_to16(const struct ifplex_ip *ip, struct ifplex_ip *out)
{
	if (!ip || !out)
		return IFPLEX_EINVAL;
	if (ip->len == 4) {
		struct ifplex_ip r = {.len = 16};
		memcpy(r.b, v4_in_v6_prefix, 12);
		memcpy(r.b + 12, ip->b, 4);
		*out = r;
		return 0;
	}
	if (ip->len == 16) {
		*out = *ip;
		return 0;
	}
	return IFPLEX_EINVAL;
}

int ifplex_ip_equal(const struct ifplex_ip *a, const struct ifplex_ip *b)
{
	if (!a || !b || a->len > 16 || b->len > 16)
		return 0;
	if (a->len == b->len)
		return memcmp(a->b, b->b, a->len) == 0;
	const uint8_t *pa = ifplex__ip4(a), *pb = ifplex__ip4(b);
	return pa && pb && memcmp(pa, pb, 4) == 0;
}

/* ------------------------------------------------------------------ parse */

/* Dotted quad at s[0..n): decimal 0-255, no leading zeros, no signs. */
static int parse_v4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;

	for (int field = 0; field < 4; field++) {
		if (field > 0) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
		unsigned v = 0;
		size_t start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		size_t digits = i - start;
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		if (digits > 1 && s[start] == '0')
			return -1;
		out[field] = (uint8_t)v;
	}
	return i == n ? 0 : -1;
}

int ifplex__hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 4291 text at s[0..n): at most 4 hex digits a group, one "::", an
 * optional dotted quad in the last 32 bits. */
static int parse_v6(const char *s, size_t n, uint8_t out[16])
{
	uint8_t b[16] = {0};
	int ellipsis = -1; /* byte offset where "::" stands */
	size_t i = 0;
	int j = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		ellipsis = 0;
		i = 2;
		if (i == n) {
			memset(out, 0, 16);
			return 0;
		}
	}
	while (j < 16) {
		size_t start = i;
		unsigned v = 0;
		while (i < n && ifplex__hexval(s[i]) >= 0 && i - start < 5) {
			v = (v << 4) | (unsigned)ifplex__hexval(s[i]);
			i++;
		}
		size_t digits = i - start;
		if (digits == 0 || digits > 4)
			return -1;
		if (i < n && s[i] == '.') {
			/* Embedded IPv4 must end the text and fit in what is left. */
			if (ellipsis < 0 && j != 12)
				return -1;
			if (j + 4 > 16)
				return -1;
			if (parse_v4(s + start, n - start, b + j) < 0)
				return -1;
			j += 4;
			i = n;
			break;
		}
		b[j++] = (uint8_t)(v >> 8);
		b[j++] = (uint8_t)v;
		if (i == n)
			break;
		if (s[i] != ':')
			return -1;
		i++;
		if (i < n && s[i] == ':') {
			if (ellipsis >= 0)
				return -1;
			ellipsis = j;
			i++;
			if (i == n)
				break;
		} else if (i == n) {
			return -1; /* trailing single colon */
		}
	}
	if (i != n)
		return -1;
	if (j < 16) {
		if (ellipsis < 0)
			return -1;
		int shift = 16 - j;
		memmove(b + ellipsis + shift, b + ellipsis, (size_t)(j - ellipsis));
		memset(b + ellipsis, 0, (size_t)shift);
	} else if (ellipsis >= 0) {
		return -1; /* "::" must stand for at least one group */
	}
	memcpy(out, b, 16);
	return 0;
}

int ifplex__ip_parse_n(const char *s, size_t n, struct ifplex_ip *out, int *is_v4_text)
{
	struct ifplex_ip ip = {.len = 4};
	int v4 = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.')
			v4 = 1;
		if (s[i] == ':') {
			v4 = 0;
			break;
		}
	}
	if (v4) {
		uint8_t q[4];
		if (parse_v4(s, n, q) < 0)
			return IFPLEX_EBADADDR;
		memcpy(ip.b, q, 4);
	} else {
		ip.len = 16;
		if (parse_v6(s, n, ip.b) < 0)
			return IFPLEX_EBADADDR;
		ifplex__ip_norm(&ip);
	}
	if (is_v4_text)
		*is_v4_text = v4;
	*out = ip;
	return 0;
}

int ifplex_ip_parse(const char *s, struct ifplex_ip *out)
{
	if (!s || !out)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_ip_parse", "NULL argument");
	int rc = ifplex__ip_parse_n(s, strlen(s), out, NULL);
	if (rc < 0)
		return ifplex__set_errorf(rc, "invalid IP address: %s", s);
	return 0;
}

int ifplex__ip_parse_zone_n(const char *s, size_t n, struct ifplex_ip *out, char *zone,
			    size_t zonelen)
{
	const char *pct = memchr(s, '%', n);
	size_t ipn = pct ? (size_t)(pct - s) : n;
	size_t zn = pct ? n - ipn - 1 : 0;
	struct ifplex_ip ip;

	/* A zone names an IPv6 link: IPv4, mapped or not, has none. */
	if (ifplex__ip_parse_n(s, ipn, &ip, NULL) < 0 || (pct && (ip.len == 4 || zn == 0 || !zone)) ||
	    (pct && memchr(pct + 1, '\0', zn)))
		return IFPLEX_EBADADDR;
	if (zone) {
		if (zn >= zonelen)
			return IFPLEX_ESHORTBUF;
		memcpy(zone, pct ? pct + 1 : "", zn);
		zone[zn] = '\0';
	}
	*out = ip;
	return 0;
}

int ifplex_ip_parse_zone(const char *s, struct ifplex_ip *out, char *zone, size_t zonelen)
{
	if (!s || !out || !zone || zonelen == 0)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_ip_parse_zone", "NULL argument or no zone buffer");
	int rc = ifplex__ip_parse_zone_n(s, strlen(s), out, zone, zonelen);
	if (rc == IFPLEX_EBADADDR)
		return ifplex__set_errorf(rc, "invalid IP address: %s", s);
	if (rc < 0)
		return ifplex__set_errorf(rc, "address %s: zone longer than its buffer", s);
	return 0;
}

/* ----------------------------------------------------------------- format */

int ifplex__copy_out(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (!buf)
		return IFPLEX_EINVAL;
	if (n >= len)
		return IFPLEX_ESHORTBUF;
	memcpy(buf, s, n + 1);
	return 0;
}

static const char hexdigits[] = "0123456789abcdef";

void ifplex__hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hexdigits[b[i] >> 4];
		out[2 * i + 1] = hexdigits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static char *put_dec(char *p, unsigned v)
{
	char tmp[12];
	int k = 0;

	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k)
		*p++ = tmp[--k];
	return p;
}

static void format_v6(const uint8_t b[16], char *out)
{
	int best = -1, bestlen = 0;

	/* The longest run of two or more zero groups, the first on a tie. */
	for (int g = 0; g < 8;) {
		int e = g;
		while (e < 8 && b[2 * e] == 0 && b[2 * e + 1] == 0)
			e++;
		if (e - g > bestlen && e - g >= 2) {
			best = g;
			bestlen = e - g;
		}
		g = e > g ? e : g + 1;
	}
	char *p = out;
	for (int g = 0; g < 8; g++) {
		if (g == best) {
			*p++ = ':';
			*p++ = ':';
			g += bestlen - 1;
			continue;
		}
		if (g > 0 && p[-1] != ':')
			*p++ = ':';
		unsigned v = (unsigned)b[2 * g] << 8 | b[2 * g + 1];
		int started = 0;
		for (int sh = 12; sh >= 0; sh -= 4) {
			unsigned d = (v >> sh) & 15;
			if (d || started || sh == 0) {
				*p++ = hexdigits[d];
				started = 1;
			}
		}
	}
	*p = '\0';
}

int ifplex__ip_string(const struct ifplex_ip *ip, char *buf, size_t len)
{
	char tmp[IFPLEX_IP_STRLEN];

	if (!ip)
		return IFPLEX_EINVAL;
	const uint8_t *p4 = ifplex__ip4(ip);
	if (ip->len == 0) {
		strcpy(tmp, "<nil>");
	} else if (p4) {
		char *p = tmp;
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = put_dec(p, p4[i]);
		}
		*p = '\0';
	} else if (ip->len == 16) {
		format_v6(ip->b, tmp);
	} else {
		tmp[0] = '?';
		ifplex__hex(ip->b, ip->len < 16 ? ip->len : 16, tmp + 1);
	}
	return ifplex__copy_out(buf, len, tmp);
}

/* ------------------------------------------------------------- predicates */

static const uint8_t v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t v6_zero[16];

int ifplex_ip_is_unspecified(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ifplex__ip4(ip);

	if (!ip)
		return 0;
	if (p4)
		return memcmp(p4, v6_zero, 4) == 0;
	return ip->len == 16 && memcmp(ip->b, v6_zero, 16) == 0;
}

int ifplex_ip_is_loopback(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ifplex__ip4(ip);

	if (!ip)
		return 0;
	if (p4)
		return p4[0] == 127;
	return ip->len == 16 && memcmp(ip->b, v6_loopback, 16) == 0;
}

int ifplex_ip_is_private(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ifplex__ip4(ip);

	if (!ip)
		return 0;
	if (p4)
		return p4[0] == 10 || (p4[0] == 172 && (p4[1] & 0xf0) == 16) ||
		       (p4[0] == 192 && p4[1] == 168);
	return ip->len == 16 && (ip->b[0] & 0xfe) == 0xfc;
}

int ifplex_ip_is_multicast(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ifplex__ip4(ip);

	if (!ip)
		return 0;
	if (p4)
		return (p4[0] & 0xf0) == 0xe0;
	return ip->len == 16 && ip->b[0] == 0xff;
}

int ifplex_ip_is_interface_local_multicast(const struct ifplex_ip *ip)
{
	return ip && !ifplex__ip4(ip) && ip->len == 16 && ip->b[0] == 0xff && (ip->b[1] & 0x0f) == 0x01;
}

int ifplex_ip_is_link_local_multicast(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ifplex__ip4(ip);

	if (!ip)
		return 0;
	if (p4)
		return p4[0] == 224 && p4[1] == 0 && p4[2] == 0;
	return ip->len == 16 && ip->b[0] == 0xff && (ip->b[1] & 0x0f) == 0x02;
}

int ifplex_ip_is_link_local_unicast(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ifplex__ip4(ip);

	if (!ip)
		return 0;
	if (p4)
		return p4[0] == 169 && p4[1] == 254;
	return ip->len == 16 && ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0x80;
}

int ifplex_ip_is_global_unicast(const struct ifplex_ip *ip)
{
	static const uint8_t bcast[4] = {255, 255, 255, 255};
	const uint8_t *p4 = ifplex__ip4(ip);

	if (!ip || (ip->len != 4 && ip->len != 16))
		return 0;
	if (p4 && memcmp(p4, bcast, 4) == 0)
		return 0;
	return !ifplex_ip_is_unspecified(ip) && !ifplex_ip_is_loopback(ip) &&
	       !ifplex_ip_is_multicast(ip) && !ifplex_ip_is_link_local_unicast(ip);
}

int ifplex_ip_string(const struct ifplex_ip *ip, char *buf, size_t len)
{
	int rc = ifplex__ip_string(ip, buf, len);

	if (rc < 0)
		return ifplex__fail(rc, "ifplex_ip_string", ip ? NULL : "NULL argument");
	return 0;
}
