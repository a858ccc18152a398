/* Parsers for the text of Plan 9's /net files.  Input is a length-bounded
 * byte range, never assumed NUL-terminated; every field is checked. */
#include "p9.h"
#include "../common/hex.h"

#include <string.h>

/* Next whitespace-separated field of [*p, end): start and length. */
static int field(const char **p, const char *end, const char **f, size_t *n)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++;
	if (s >= end)
		return 0;
	const char *e = s;
	while (e < end && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n')
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

int p9_parse_status_head(const char *line, size_t len, struct p9_ifc_head *out)
{
	const char *p = line, *end = line + len, *f;
	size_t n;
	long mtu;

	/* "device /net/ether0 maxtu 1514 ...": the device, then maxtu. */
	if (!field(&p, end, &f, &n) || !is_word(f, n, "device"))
		return IFPLEX_EMALFORMED;
	if (!field(&p, end, &f, &n) || n == 0 || n >= sizeof out->device || f[0] != '/' || !printable(f, n))
		return IFPLEX_EMALFORMED;
	memcpy(out->device, f, n);
	out->device[n] = '\0';
	if (!field(&p, end, &f, &n) || !is_word(f, n, "maxtu"))
		return IFPLEX_EMALFORMED;
	if (!field(&p, end, &f, &n) || decimal(f, n, 1 << 30, &mtu) < 0)
		return IFPLEX_EMALFORMED;
	out->mtu = (int)mtu;
	return 0;
}

/* An IP address in n bytes of text, in its 4-byte form when IPv4;
 * *is4 says which.  0, or -1 if the text is not one. */
static int ip_text(const char *f, size_t n, struct ifplex_ip *ip, int *is4)
{
	char text[64];
	struct ifplex_ip v4;

	if (n >= sizeof text)
		return -1;
	memcpy(text, f, n);
	text[n] = '\0';
	if (ifplex_ip_parse(text, ip) < 0)
		return -1;
	*is4 = ifplex_ip_to4(ip, &v4) == 0;
	if (*is4)
		*ip = v4;
	return 0;
}

int p9_parse_status_addr(const char *line, size_t len, struct ifplex_addr *out)
{
	const char *p = line, *end = line + len, *f;
	size_t n;
	long bits;
	int is4;

	memset(out, 0, sizeof *out);
	if (!field(&p, end, &f, &n) || ip_text(f, n, &out->ip, &is4) < 0)
		return IFPLEX_EMALFORMED;
	if (!field(&p, end, &f, &n) || n < 2 || f[0] != '/' || decimal(f + 1, n - 1, 128, &bits) < 0)
		return IFPLEX_EMALFORMED;
	if (is4) {
		/* IPv4 masks are written against the 128-bit form: /120 is /24. */
		if (bits < 96)
			return IFPLEX_EMALFORMED;
		out->prefixlen = (int)bits - 96;
	} else {
		out->prefixlen = (int)bits;
	}
	return 0;
}

int p9_parse_hwaddr(const char *text, size_t len, uint8_t *hw, uint8_t *hwlen)
{
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\r'))
		len--;
	if (len == 0 || len % 2 || len / 2 > IFPLEX_HWADDR_MAX)
		return IFPLEX_EMALFORMED;
	for (size_t i = 0; i < len / 2; i++)
		if (hex_byte(text + 2 * i, &hw[i]) < 0)
			return IFPLEX_EMALFORMED;
	*hwlen = (uint8_t)(len / 2);
	return 0;
}

int p9_parse_addrport(const char *text, size_t len, struct ifplex_netaddr *out)
{
	const char *p = text, *end = text + len, *f;
	size_t n;
	long port;
	int is4;

	memset(out, 0, sizeof *out);
	if (!field(&p, end, &f, &n))
		return IFPLEX_EMALFORMED;
	const char *bang = memchr(f, '!', n);
	if (!bang)
		return IFPLEX_EMALFORMED;
	size_t hl = (size_t)(bang - f);
	if (decimal(bang + 1, n - hl - 1, 65535, &port) < 0)
		return IFPLEX_EMALFORMED;
	out->kind = IFPLEX_NETADDR_IP;
	out->port = (int)port;
	if (is_word(f, hl, "*") || is_word(f, hl, "::"))
		return 0; /* the wildcard */
	return ip_text(f, hl, &out->ip, &is4) < 0 ? IFPLEX_EMALFORMED : 0;
}

int p9_parse_cs_reply(const char *text, size_t len, char *clone, size_t clonelen, char *dial,
		      size_t diallen)
{
	const char *p = text, *end = text + len, *f;
	size_t n;

	if (!field(&p, end, &f, &n) || n >= clonelen || f[0] != '/' || !printable(f, n))
		return IFPLEX_EMALFORMED;
	memcpy(clone, f, n);
	clone[n] = '\0';
	if (!field(&p, end, &f, &n) || n >= diallen || !printable(f, n))
		return IFPLEX_EMALFORMED;
	memcpy(dial, f, n);
	dial[n] = '\0';
	return 0;
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
	/* "name type ...": the record's type must be the one asked for. */
	if (k < 3 || !is_word(f[1], n[1], type))
		return IFPLEX_EMALFORMED;
	long a = 0, b = 0, c = 0;
	const char *target;
	size_t tlen;
	if (strcmp(type, "srv") == 0) {
		/* "name srv weight priority port target", as Go's lookup_plan9 reads it. */
		if (k < 6 || decimal(f[2], n[2], 65535, &a) < 0 || decimal(f[3], n[3], 65535, &b) < 0 ||
		    decimal(f[4], n[4], 65535, &c) < 0)
			return IFPLEX_EMALFORMED;
		out->weight = (uint16_t)a;
		out->priority = (uint16_t)b;
		out->port = (uint16_t)c;
		target = f[5];
		tlen = n[5];
	} else if (strcmp(type, "mx") == 0) {
		if (k < 4 || decimal(f[2], n[2], 65535, &a) < 0)
			return IFPLEX_EMALFORMED;
		out->pref = (uint16_t)a;
		target = f[3];
		tlen = n[3];
	} else {
		target = f[2]; /* cname, ptr */
		tlen = n[2];
	}
	if (tlen == 0 || tlen + 2 > sizeof out->name || !printable(target, tlen))
		return IFPLEX_EMALFORMED;
	memcpy(out->name, target, tlen);
	out->name[tlen] = '\0';
	return 0;
}
