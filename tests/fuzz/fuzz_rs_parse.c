/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the routesock parser: the input as a RIB file and,
 * led by one byte that picks a layout, as a raw sysctl dump.  Whatever
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

static const char *const systems[][2] = {{"freebsd", "amd64"}, {"freebsd", "i386"}, {"darwin", "amd64"},
					 {"netbsd", "amd64"},  {"openbsd", "amd64"}, {"openbsd", "i386"},
					 {"dragonfly", "amd64"}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_sink sink = {.iface = on_iface, .addr = on_addr, .group = on_addr};
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
	if (size < 1)
		return 0;
	const struct rs_layout *l = rs_layout_find(systems[data[0] % 7][0], systems[data[0] % 7][1]);
	if (rs_parse(l, data + 1, size - 1, &sink, &rep) < 0 && !rep.err[0])
		__builtin_trap();
	return 0;
}
