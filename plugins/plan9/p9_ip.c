/* SPDX-License-Identifier: MIT */
/* IP values for the plan9 plugin without libifplex: parsing and printing
 * are the host's pure helpers; the conversions are Go's To4, To16, Equal. */
#include "p9.h"

#include <string.h>

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int p9_ip_to4(const struct ifplex_ip *ip, struct ifplex_ip *out)
{
	if (ip->len == 4) {
		*out = *ip;
		return 0;
	}
	if (ip->len != 16 || memcmp(ip->b, v4_prefix, 12) != 0)
		return IFPLEX_EINVAL;
	memset(out, 0, sizeof *out);
	out->len = 4;
	memcpy(out->b, ip->b + 12, 4);
	return 0;
}

int p9_ip_to16(const struct ifplex_ip *ip, struct ifplex_ip *out)
{
	if (ip->len == 16) {
		*out = *ip;
		return 0;
	}
	if (ip->len != 4)
		return IFPLEX_EINVAL;
	memset(out, 0, sizeof *out);
	out->len = 16;
	memcpy(out->b, v4_prefix, 12);
	memcpy(out->b + 12, ip->b, 4);
	return 0;
}

int p9_ip_equal(const struct ifplex_ip *a, const struct ifplex_ip *b)
{
	struct ifplex_ip x, y;

	if (a->len == 0 || b->len == 0)
		return a->len == b->len;
	if (p9_ip_to16(a, &x) < 0 || p9_ip_to16(b, &y) < 0)
		return 0;
	return memcmp(x.b, y.b, 16) == 0;
}

int p9_ip_unspecified(const struct ifplex_ip *ip)
{
	struct ifplex_ip v4;
	static const uint8_t zero[16];

	if (p9_ip_to4(ip, &v4) == 0)
		return memcmp(v4.b, zero, 4) == 0;
	return ip->len == 16 && memcmp(ip->b, zero, 16) == 0;
}

int p9_ip_parse(const struct ifplex_host *h, const char *s, size_t n, struct ifplex_ip *out)
{
	struct ifplex_ip v4;

	if (h->ip_parse(s, n, out, NULL, 0) < 0)
		return IFPLEX_EBADADDR;
	if (p9_ip_to4(out, &v4) == 0)
		*out = v4;
	return 0;
}
