/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the routesock parser: the input as a RIB file, as
 * an event stream (records of routing-socket reads) and, led by one byte
 * that picks a layout, as a raw sysctl dump or socket read.  Whatever
 * comes back must be well formed. */
#include "../../plugins/routesock/rs.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_iface(void *arg, const struct ifplex_iface *ifi)
{
	(void)arg;
	if (ifi->index <= 0 || ifi->mtu < 0 || ifi->hwaddr_len > IFPLEX_HWADDR_MAX ||
	    strnlen(ifi->name, sizeof ifi->name) >= sizeof ifi->name)
		__builtin_trap();
	return 0;
}

static int on_addr(void *arg, const struct rs_addr *a)
{
	(void)arg;
	if ((a->ip.len != 4 && a->ip.len != 16) || a->prefixlen < 0 || a->prefixlen > a->ip.len * 8)
		__builtin_trap();
	return 0;
}

static int on_ifdata(void *arg, const struct ifplex_iface *ifi, const struct rs_ifdata *d)
{
	(void)arg;
	if (on_iface(NULL, ifi) < 0 || d->link_state < -1 || d->link_state > 1 || d->ctr_has >> RS_NCOUNTERS)
		__builtin_trap();
	return 0;
}

static int on_announce(void *arg, const struct rs_announce *an)
{
	(void)arg;
	if (an->index <= 0 || strnlen(an->name, sizeof an->name) >= sizeof an->name)
		__builtin_trap();
	return 0;
}

static int on_desync(void *arg)
{
	(void)arg;
	return 0;
}

static const char *const systems[][2] = {{"freebsd", "amd64"}, {"freebsd", "i386"}, {"darwin", "amd64"},
					 {"netbsd", "amd64"},  {"openbsd", "amd64"}, {"openbsd", "i386"},
					 {"dragonfly", "amd64"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_sink sink = {.iface = on_iface, .addr = on_addr, .group = on_addr, .ifdata = on_ifdata,
			       .addr_del = on_addr, .group_del = on_addr, .announce = on_announce,
			       .desync = on_desync};
	struct rs_record r;
	size_t off = 0, used;
	struct rs_report rep;
	struct rs_rib rib;
	char err[256];

	if (rs_rib_parse(data, size, &rib, err, sizeof err) == 0) {
		for (int i = 0; i < 3; i++) {
			if (rib.section[i].p && rs_parse(rib.layout, rib.section[i].p, rib.section[i].n, &sink, &rep) < 0 &&
			    !rep.err[0])
				__builtin_trap();
		}
	} else if (!err[0]) {
		__builtin_trap();
	}
	/* The same bytes as an event stream, record after record. */
	err[0] = '\0';
	for (int rc; off < size && (rc = rs_stream_next(data + off, size - off, &r, &used, err, sizeof err)) != 0;) {
		if (rc < 0) {
			if (!err[0])
				__builtin_trap();
			break;
		}
		if (used == 0 || used > size - off || r.p + r.n != data + off + used)
			__builtin_trap();
		if (r.what == RS_ROUTE && rs_parse(r.layout, r.p, r.n, &sink, &rep) < 0 && !rep.err[0])
			__builtin_trap();
		off += used;
	}
	if (size < 1)
		return 0;
	const struct rs_layout *l = rs_layout_find(systems[data[0] % 7][0], systems[data[0] % 7][1]);
	if (rs_parse(l, data + 1, size - 1, &sink, &rep) < 0 && !rep.err[0])
		__builtin_trap();
	return 0;
}
