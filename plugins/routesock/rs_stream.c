/* SPDX-License-Identifier: MIT */
/* Event streams: what a routing socket gave, one read after another, in
 * the framing of RIB files, so that a capture replays anywhere and a test
 * can write one.  A record may arrive in pieces (a pipe, a file being
 * appended to): an incomplete one waits for the rest. */
#include "rs.h"

#include <stdio.h>

/* One read of a routing socket: at most one 64 KiB message (rtm_msglen
 * is 16 bits), and every read of ours has room for that. */
#define READ_MAX 65535u

int rs_stream_next(const uint8_t *buf, size_t len, struct rs_record *out, size_t *used, char *err,
		   size_t errlen)
{
	struct rs_head h;
	int rc = rs_rib_head(buf, len, &h, err, errlen);

	*used = 0;
	if (rc <= 0)
		return rc;
	if (h.what != RS_ROUTE && h.what != RS_OVERFLOW) {
		snprintf(err, errlen, "event stream: a %s section (route or overflow only)", rs_what_name(h.what));
		return IFPLEX_EMALFORMED;
	}
	if (h.what == RS_OVERFLOW && h.n != 0) {
		snprintf(err, errlen, "event stream: an overflow of %zu bytes (it has none)", h.n);
		return IFPLEX_EMALFORMED;
	}
	if (h.n > READ_MAX) {
		snprintf(err, errlen, "event stream: a read of %zu bytes (at most %u)", h.n, READ_MAX);
		return IFPLEX_EMALFORMED;
	}
	if (h.n > len - h.data)
		return 0;
	out->layout = h.layout;
	out->what = h.what;
	out->p = buf + h.data;
	out->n = h.n;
	*used = h.data + h.n;
	return 1;
}
