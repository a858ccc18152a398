/* SPDX-License-Identifier: MIT */
/* RIB files: captured sysctl output to replay (IFPLEX_ROUTESOCK_RIB), one
 * or more sections, each the line "ifplex-rib 1 OS ARCH WHAT LENGTH\n"
 * followed by exactly LENGTH bytes of that sysctl's output. */
#include "rs.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HEADER_MAX 128  /* longer than any valid header line */

static int bad(char *err, size_t errlen, size_t off, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "RIB section at offset %zu: %s", off, what);
	return IFPLEX_EMALFORMED;
}

/* Split a header line into its space-separated words (no empty ones). */
static int words(const char *s, size_t n, const char *w[6], size_t wl[6])
{
	int k = 0;
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		if (j == i || k == 6)
			return -1;
		w[k] = s + i;
		wl[k++] = j - i;
		i = j + (j < n);
		if (j < n && i == n)
			return -1; /* a trailing space */
	}
	return k;
}

static int is(const char *w, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

int rs_rib_parse(const uint8_t *buf, size_t len, struct rs_rib *out, char *err, size_t errlen)
{
	size_t off = 0;

	memset(out, 0, sizeof *out);
	while (off < len) {
		const char *line = (const char *)buf + off;
		size_t room = len - off < HEADER_MAX ? len - off : HEADER_MAX;
		const char *nl = memchr(line, '\n', room);
		const char *w[6];
		size_t wl[6];
		char os[16], arch[16];

		if (!nl)
			return bad(err, errlen, off, "no \"ifplex-rib\" header line");
		if (memchr(line, '\0', (size_t)(nl - line)) || words(line, (size_t)(nl - line), w, wl) != 6 ||
		    !is(w[0], wl[0], "ifplex-rib"))
			return bad(err, errlen, off, "header is not \"ifplex-rib 1 OS ARCH WHAT LENGTH\"");
		if (!is(w[1], wl[1], "1"))
			return bad(err, errlen, off, "RIB format version %.*s (this reads version 1)", (int)wl[1], w[1]);
		if (wl[2] >= sizeof os || wl[3] >= sizeof arch)
			return bad(err, errlen, off, "unknown system %.*s %.*s", (int)(wl[2] % 16), w[2],
				   (int)(wl[3] % 16), w[3]);
		memcpy(os, w[2], wl[2]);
		os[wl[2]] = '\0';
		memcpy(arch, w[3], wl[3]);
		arch[wl[3]] = '\0';
		const struct rs_layout *l = rs_layout_find(os, arch);
		if (!l)
			return bad(err, errlen, off, "unknown system %s %s", os, arch);
		if (out->layout && out->layout != l)
			return bad(err, errlen, off, "system %s %s after %s %s", os, arch, out->layout->os,
				   out->layout->arch);
		out->layout = l;
		int what = rs_what_parse(w[4], wl[4]);
		if (!what)
			return bad(err, errlen, off, "unknown sysctl %.*s (iflist, iflist2 or ifmalist)",
				   (int)(wl[4] % 16), w[4]);
		if (!(l->whats & (unsigned)what))
			return bad(err, errlen, off, "%s has no %s", os, rs_what_name(what));
		size_t n = 0;
		if (wl[5] > 10)
			return bad(err, errlen, off, "length %.*s is too long", (int)(wl[5] % 16), w[5]);
		for (size_t i = 0; i < wl[5]; i++) {
			if (w[5][i] < '0' || w[5][i] > '9')
				return bad(err, errlen, off, "length %.*s is not a decimal number", (int)wl[5], w[5]);
			n = n * 10 + (size_t)(w[5][i] - '0');
		}
		size_t data = (size_t)(nl - (const char *)buf) + 1;
		if (n > len - data)
			return bad(err, errlen, off, "%s section claims %zu bytes, %zu remain", rs_what_name(what), n,
				   len - data);
		int slot = rs_what_slot(what);
		if (out->section[slot].p)
			return bad(err, errlen, off, "a second %s section", rs_what_name(what));
		out->section[slot].p = buf + data;
		out->section[slot].n = n;
		off = data + n;
	}
	if (!out->layout) {
		snprintf(err, errlen, "RIB file has no sections");
		return IFPLEX_EMALFORMED;
	}
	return 0;
}
