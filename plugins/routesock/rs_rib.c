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

int rs_rib_head(const uint8_t *buf, size_t len, struct rs_head *out, char *err, size_t errlen)
{
	const char *line = (const char *)buf;
	size_t room = len < HEADER_MAX ? len : HEADER_MAX;
	const char *nl = memchr(line, '\n', room);
	const char *w[6];
	size_t wl[6];
	char os[16], arch[16];

	memset(out, 0, sizeof *out);
	if (!nl && len < HEADER_MAX)
		return 0;
	if (!nl)
		return bad(err, errlen, 0, "no \"ifplex-rib\" header line");
	if (memchr(line, '\0', (size_t)(nl - line)) || words(line, (size_t)(nl - line), w, wl) != 6 ||
	    !is(w[0], wl[0], "ifplex-rib"))
		return bad(err, errlen, 0, "header is not \"ifplex-rib 1 OS ARCH WHAT LENGTH\"");
	if (!is(w[1], wl[1], "1"))
		return bad(err, errlen, 0, "RIB format version %.*s (this reads version 1)", (int)wl[1], w[1]);
	if (wl[2] >= sizeof os || wl[3] >= sizeof arch)
		return bad(err, errlen, 0, "unknown system %.*s %.*s", (int)(wl[2] % 16), w[2], (int)(wl[3] % 16),
			   w[3]);
	memcpy(os, w[2], wl[2]);
	os[wl[2]] = '\0';
	memcpy(arch, w[3], wl[3]);
	arch[wl[3]] = '\0';
	if (!(out->layout = rs_layout_find(os, arch)))
		return bad(err, errlen, 0, "unknown system %s %s", os, arch);
	if (!(out->what = rs_what_parse(w[4], wl[4])))
		return bad(err, errlen, 0, "unknown section %.*s (iflist, iflist2, ifmalist, route or overflow)",
			   (int)(wl[4] % 16), w[4]);
	if (out->what < RS_ROUTE && !(out->layout->whats & (unsigned)out->what))
		return bad(err, errlen, 0, "%s has no %s", os, rs_what_name(out->what));
	if (wl[5] > 10)
		return bad(err, errlen, 0, "length %.*s is too long", (int)(wl[5] % 16), w[5]);
	for (size_t i = 0; i < wl[5]; i++) {
		if (w[5][i] < '0' || w[5][i] > '9')
			return bad(err, errlen, 0, "length %.*s is not a decimal number", (int)wl[5], w[5]);
		out->n = out->n * 10 + (size_t)(w[5][i] - '0');
	}
	out->data = (size_t)(nl - line) + 1;
	return 1;
}

/* Offsets in err are the section's within the file. */
static int bad_at(char *err, size_t errlen, size_t off)
{
	char what[200];

	snprintf(what, sizeof what, "%s", err);
	if (strncmp(what, "RIB section at offset 0: ", 25) == 0)
		snprintf(err, errlen, "RIB section at offset %zu: %s", off, what + 25);
	return IFPLEX_EMALFORMED;
}

int rs_rib_parse(const uint8_t *buf, size_t len, struct rs_rib *out, char *err, size_t errlen)
{
	size_t off = 0;

	memset(out, 0, sizeof *out);
	while (off < len) {
		struct rs_head h;
		int rc = rs_rib_head(buf + off, len - off, &h, err, errlen);

		if (rc == 0)
			return bad(err, errlen, off, "no \"ifplex-rib\" header line");
		if (rc < 0)
			return bad_at(err, errlen, off);
		const struct rs_layout *l = h.layout;
		if (out->layout && out->layout != l)
			return bad(err, errlen, off, "system %s %s after %s %s", l->os, l->arch, out->layout->os,
				   out->layout->arch);
		out->layout = l;
		if (h.what >= RS_ROUTE)
			return bad(err, errlen, off, "a %s section belongs in an event stream, not a dump",
				   rs_what_name(h.what));
		size_t data = off + h.data;
		if (h.n > len - data)
			return bad(err, errlen, off, "%s section claims %zu bytes, %zu remain", rs_what_name(h.what),
				   h.n, len - data);
		int slot = rs_what_slot(h.what);
		if (out->section[slot].p)
			return bad(err, errlen, off, "a second %s section", rs_what_name(h.what));
		out->section[slot].p = buf + data;
		out->section[slot].n = h.n;
		off = data + h.n;
	}
	if (!out->layout) {
		snprintf(err, errlen, "RIB file has no sections");
		return IFPLEX_EMALFORMED;
	}
	return 0;
}
