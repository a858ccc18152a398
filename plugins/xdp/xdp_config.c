/* SPDX-License-Identifier: MIT */
/* IFPLEX_XDP: where the datapath may attach, IFNAME[:QUEUE][,...]. */
#include "xdp.h"

#include <stdio.h>
#include <string.h>

static int bad(char *why, size_t wl, const char *fmt, const char *s, size_t n)
{
	snprintf(why, wl, fmt, (int)(n > 64 ? 64 : n), s);
	return IFPLEX_EINVAL;
}

/* One IFNAME[:QUEUE] of s[0..n). */
static int entry(const char *s, size_t n, struct xdp_cfg_entry *e, char *why, size_t wl)
{
	const char *colon = memchr(s, ':', n);
	size_t nl = colon ? (size_t)(colon - s) : n;

	if (nl == 0)
		return bad(why, wl, "IFPLEX_XDP: empty interface name in \"%.*s\"", s, n);
	/* Linux interface names: at most 15 bytes, no '/', no space, no NUL. */
	if (nl >= 16)
		return bad(why, wl, "IFPLEX_XDP: interface name \"%.*s\" longer than 15 bytes", s, nl);
	for (size_t i = 0; i < nl; i++)
		if (s[i] == '/' || (unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return bad(why, wl, "IFPLEX_XDP: invalid interface name \"%.*s\"", s, nl);
	memcpy(e->name, s, nl);
	e->name[nl] = '\0';
	e->queue = -1;
	if (!colon)
		return 0;
	size_t qn = n - nl - 1;
	if (qn == 0 || qn > 5)
		return bad(why, wl, "IFPLEX_XDP: invalid queue in \"%.*s\" (a number 0 to 65535)", s, n);
	long q = 0;
	for (size_t i = nl + 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return bad(why, wl, "IFPLEX_XDP: invalid queue in \"%.*s\" (a number 0 to 65535)", s, n);
		q = q * 10 + (s[i] - '0');
	}
	if (q > 65535)
		return bad(why, wl, "IFPLEX_XDP: invalid queue in \"%.*s\" (a number 0 to 65535)", s, n);
	e->queue = (int)q;
	return 0;
}

int xdp_cfg_parse(const char *s, size_t n, struct xdp_cfg *out, char *why, size_t wl)
{
	memset(out, 0, sizeof *out);
	if (n == 0) {
		snprintf(why, wl, "IFPLEX_XDP is not set: name the interfaces (IFNAME[:QUEUE][,...])");
		return IFPLEX_EINVAL;
	}
	size_t i = 0;
	while (i <= n) {
		const char *comma = memchr(s + i, ',', n - i);
		size_t len = comma ? (size_t)(comma - (s + i)) : n - i;
		if (out->n == XDP_CFG_MAX) {
			snprintf(why, wl, "IFPLEX_XDP: more than %d entries", XDP_CFG_MAX);
			return IFPLEX_EINVAL;
		}
		struct xdp_cfg_entry *e = &out->e[out->n];
		int rc = entry(s + i, len, e, why, wl);
		if (rc < 0)
			return rc;
		for (int k = 0; k < out->n; k++)
			if (strcmp(out->e[k].name, e->name) == 0 &&
			    (out->e[k].queue == e->queue || out->e[k].queue < 0 || e->queue < 0))
				return bad(why, wl, "IFPLEX_XDP: \"%.*s\" is named twice", s + i, len);
		out->n++;
		if (!comma)
			break;
		i += len + 1;
	}
	return 0;
}
