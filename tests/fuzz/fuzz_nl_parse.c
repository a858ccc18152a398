/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the netlink message parser: the input is read as a
 * stream of netlink messages, each parsed as a link, an address and a
 * multicast group. */
#include "../../plugins/netlink/nl.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The socket layer hands the parser aligned buffers; so does this. */
	static _Alignas(struct nlmsghdr) uint8_t buf[1 << 16];
	struct ifplex_iface ifi;
	struct ifplex_addr a;
	struct nl_addr_meta meta;

	if (size > sizeof buf)
		size = sizeof buf;
	memcpy(buf, data, size);
	int left = (int)size; /* as the socket reader walks it */
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		if (nl_parse_link(h, &ifi) == 0 && (ifi.name[0] == '\0' || ifi.index <= 0))
			__builtin_trap(); /* a success must give a usable interface */
		if (nl_parse_addr(h, &a, &meta) == 0 && a.ip.len != 4 && a.ip.len != 16)
			__builtin_trap();
		if (nl_parse_mcast(h, &a) == 0 && (a.ip.len != 4 && a.ip.len != 16))
			__builtin_trap();
	}
	return 0;
}
