/* SPDX-License-Identifier: MIT */
/* Parsers for the text of Plan 9's /net files.  Input is a length-bounded
 * byte range, never assumed NUL-terminated; every field is checked. */
#include "p9.h"
#include "../common/hex.h"

#include <string.h>

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Next whitespace-separated field of [*p, end): start and length. */
static int field(const char **p, const char *end, const char **f, size_t *n)
{
	const char *s = *p;

	while (s < end && blank(*s))
		s++;
	if (s >= end)
		return 0;
	const char *e = s;
	while (e < end && !blank(*e))
		e++;
	*f = s;
	*n = (size_t)(e - s);
	*p = e;
	return 1;
}

/* A field that can be a name or path: no NUL, no control characters. */
static int printable(const char *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)f[i] < 0x20 || f[i] == 0x7f)
			return 0;
	return 1;
}

static int is_word(const char *f, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(f, w, n) == 0;
}

/* A decimal of n bytes into *v (0..limit); -1 if not one. */
static int decimal(const char *f, size_t n, long limit, long *v)
{
	long x = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (f[i] < '0' || f[i] > '9')
			return -1;
		x = x * 10 + (f[i] - '0');
	}
	if (x > limit)
		return -1;
	*v = x;
	return 0;
}

/* Whether [p, end) starts with the literal w; *p moves past it. */
static int literal(const char **p, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - *p) < n || memcmp(*p, w, n) != 0)
		return 0;
	*p += n;
	return 1;
}

int p9_parse_status_head(const char *line, size_t len, struct p9_ifc_head *out)
{
	const char *p = line, *end = line + len;
	long mtu;

	/* ipifcstate's "device %s maxtu %d ...": %s is the bound device, with
	 * no blank in it, and empty on an unbound interface ("device  maxtu"). */
	if (!literal(&p, end, "device "))
		return IFPLEX_EMALFORMED;
	const char *dev = p;
	while (p < end && *p != ' ')
		p++;
	size_t n = (size_t)(p - dev);
	if (n >= sizeof out->device || !printable(dev, n) || !literal(&p, end, " maxtu "))
		return IFPLEX_EMALFORMED;
	const char *num = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	if (decimal(num, (size_t)(p - num), 1 << 30, &mtu) < 0 || (p < end && !blank(*p)))
		return IFPLEX_EMALFORMED;
	memcpy(out->device, dev, n);
	out->device[n] = '\0';
	out->mtu = (int)mtu;
	return 0;
}

int p9_parse_status_addr(const struct ifplex_host *h, const char *line, size_t len,
			 struct ifplex_addr *out)
{
	const char *p = line, *end = line + len, *f;
	size_t n;
	long bits;
	struct ifplex_ip mask;

	memset(out, 0, sizeof *out);
	if (!field(&p, end, &f, &n) || p9_ip_parse(h, f, n, &out->ip) < 0)
		return IFPLEX_EMALFORMED;
	if (!field(&p, end, &f, &n))
		return IFPLEX_EMALFORMED;
	/* eipfmt's %M: "/n" for a prefix mask, the address form otherwise. */
	if (f[0] != '/')
		return p9_ip_parse(h, f, n, &mask) < 0 ? IFPLEX_EMALFORMED : IFPLEX_ENOTSUP;
	if (decimal(f + 1, n - 1, 128, &bits) < 0)
		return IFPLEX_EMALFORMED;
	if (out->ip.len == 4)
		/* Bits of the 128-bit form: /120 is /24.  The 4th edition keeps
		 * "add a /8" as a 128-bit /8, which covers none of the IPv4 part. */
		out->prefixlen = bits > 96 ? (int)bits - 96 : 0;
	else
		out->prefixlen = (int)bits;
	return 0;
}

int p9_parse_hwaddr(const char *text, size_t len, uint8_t *hw, uint8_t *hwlen)
{
	while (len > 0 && blank(text[len - 1]))
		len--;
	if (len == 0 || len % 2 || len / 2 > IFPLEX_HWADDR_MAX)
		return IFPLEX_EMALFORMED;
	for (size_t i = 0; i < len / 2; i++)
		if (hex_byte(text + 2 * i, &hw[i]) < 0)
			return IFPLEX_EMALFORMED;
	*hwlen = (uint8_t)(len / 2);
	return 0;
}

int p9_parse_endpoint(const struct ifplex_host *h, const char *text, size_t len,
		      struct ifplex_netaddr *out)
{
	const char *p = text, *end = text + len, *f, *more;
	size_t n, moren;
	long port;

	memset(out, 0, sizeof *out);
	out->kind = IFPLEX_NETADDR_IP;
	if (!field(&p, end, &f, &n) || field(&p, end, &more, &moren))
		return IFPLEX_EMALFORMED;
	/* "addr!port", "port" alone (cs's answer for "*"), and options after
	 * the port ("!r", 9front's "!fasttimeout") that say nothing of it. */
	const char *bang = memchr(f, '!', n);
	const char *ps = bang ? bang + 1 : f;
	const char *pe = memchr(ps, '!', (size_t)(f + n - ps));
	if (!pe)
		pe = f + n;
	if (decimal(ps, (size_t)(pe - ps), 65535, &port) < 0)
		return IFPLEX_EMALFORMED;
	out->port = (int)port;
	if (!bang || is_word(f, (size_t)(bang - f), "*"))
		return 0;
	return p9_ip_parse(h, f, (size_t)(bang - f), &out->ip) < 0 ? IFPLEX_EMALFORMED : 0;
}

int p9_parse_cs_reply(const char *text, size_t len, char *clone, size_t clonelen, char *dial,
		      size_t diallen)
{
	const char *p = text, *end = text + len, *f;
	size_t n;

	if (!field(&p, end, &f, &n) || n >= clonelen || !printable(f, n))
		return IFPLEX_EMALFORMED;
	memcpy(clone, f, n);
	clone[n] = '\0';
	if (!field(&p, end, &f, &n) || n >= diallen || !printable(f, n))
		return IFPLEX_EMALFORMED;
	memcpy(dial, f, n);
	dial[n] = '\0';
	return field(&p, end, &f, &n) ? IFPLEX_EMALFORMED : 0;
}

int p9_question_word(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n == 0 || n > max || !printable(s, n) || memchr(s, '!', n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (blank(s[i]))
			return 0;
	return 1;
}

int p9_has_field(const char *text, size_t len, const char *word)
{
	const char *p = text, *end = text + len, *f;
	size_t n;

	while (field(&p, end, &f, &n))
		if (is_word(f, n, word))
			return 1;
	return 0;
}

int p9_parse_dns_line(const char *line, size_t len, const char *type, struct p9_dns_rr *out)
{
	const char *p = line, *end = line + len, *f[6];
	size_t n[6];
	int k = 0;

	memset(out, 0, sizeof *out);
	while (k < 6 && field(&p, end, &f[k], &n[k]))
		k++;
	/* rrfmt: "name type\t...": the record's type must be the one asked for. */
	if (k < 3 || !is_word(f[1], n[1], type))
		return IFPLEX_EMALFORMED;
	long a = 0, b = 0, c = 0;
	int target;
	if (strcmp(type, "srv") == 0) {
		/* "\t%ud %ud %ud %s": priority, weight, port, target (rrfmt in
		 * ndb/dn.c of both editions; Go's lookup_plan9 swaps the first
		 * two, the kernel's tools do not). */
		if (k < 6 || decimal(f[2], n[2], 65535, &a) < 0 || decimal(f[3], n[3], 65535, &b) < 0 ||
		    decimal(f[4], n[4], 65535, &c) < 0)
			return IFPLEX_EMALFORMED;
		out->priority = (uint16_t)a;
		out->weight = (uint16_t)b;
		out->port = (uint16_t)c;
		target = 5;
	} else if (strcmp(type, "mx") == 0) {
		if (k < 4 || decimal(f[2], n[2], 65535, &a) < 0)
			return IFPLEX_EMALFORMED;
		out->pref = (uint16_t)a;
		target = 3;
	} else {
		target = 2; /* cname, ptr */
	}
	if (k > target + 1 || n[target] + 2 > sizeof out->name || !printable(f[target], n[target]))
		return IFPLEX_EMALFORMED;
	memcpy(out->name, f[target], n[target]);
	out->name[n[target]] = '\0';
	return 0;
}
