/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the details parsers: the input is read as a stream
 * of netlink messages, each parsed as a link's and an address's details;
 * a success must leave terminated strings and consistent counts. */
#include "../../plugins/netlink/nl.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The socket layer hands the parser aligned buffers; so does this. */
	static _Alignas(struct nlmsghdr) uint8_t buf[1 << 16];

	if (size > sizeof buf)
		size = sizeof buf;
	memcpy(buf, data, size);
	int left = (int)size;
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		struct ifplex_link_details d;
		memset(&d, 0xff, sizeof d);
		d.present = 0;
		d.naltnames = 0;
		if (nl_parse_link_details(h, &d) == 0) {
			if (memchr(d.kind, '\0', sizeof d.kind) == NULL ||
			    ((d.present & IFPLEX_LD_OPERSTATE) && (d.operstate < 1 || d.operstate > 7)))
				__builtin_trap();
			for (unsigned i = 0; i < d.naltnames && i < IFPLEX_ALTNAMES_MAX; i++)
				if (memchr(d.altnames[i], '\0', sizeof d.altnames[i]) == NULL)
					__builtin_trap();
		}
		struct ifplex_addr_details a;
		memset(&a, 0xff, sizeof a);
		a.present = 0;
		if (nl_parse_addr_details(h, &a) == 0) {
			if ((a.addr.ip.len != 4 && a.addr.ip.len != 16) || memchr(a.label, '\0', sizeof a.label) == NULL ||
			    (a.peer.len && a.peer.len != a.addr.ip.len) ||
			    (a.broadcast.len && a.broadcast.len != a.addr.ip.len))
				__builtin_trap();
		}
	}
	return 0;
}
