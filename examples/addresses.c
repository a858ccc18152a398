/* SPDX-License-Identifier: MIT */
/* Every interface with its state and addresses, as `ip -br addr` shows
 * them: one list of interfaces, then each interface's addresses. */
#include <ifplex.h>
#include <stdio.h>

int main(void)
{
	struct ifplex_iface *ifs;
	size_t n;

	if (ifplex_interfaces(&ifs, &n) < 0) {
		fprintf(stderr, "addresses: %s\n", ifplex_last_error());
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct ifplex_addr *addrs;
		size_t count;
		char hw[IFPLEX_HWADDR_MAX * 3];

		/* An interface can vanish between the two calls: skip it. */
		int rc = ifplex_interface_addrs(&ifs[i], &addrs, &count);
		if (rc == IFPLEX_ENOIFACE)
			continue;
		if (rc < 0) {
			fprintf(stderr, "addresses: %s\n", ifplex_last_error());
			ifplex_free(ifs);
			return 1;
		}
		ifplex_hwaddr_string(ifs[i].hwaddr, ifs[i].hwaddr_len, hw, sizeof hw);
		printf("%s: index %d, mtu %d, %s%s%s\n", ifs[i].name, ifs[i].index, ifs[i].mtu,
		       ifs[i].flags & IFPLEX_IFF_UP ? "up" : "down", hw[0] ? ", hardware address " : "", hw);
		for (size_t k = 0; k < count; k++) {
			char text[IFPLEX_ADDR_STRLEN];
			ifplex_addr_string(&addrs[k], text, sizeof text);
			printf("    %s %s\n", addrs[k].ip.len == 4 ? "inet " : "inet6", text);
		}
		ifplex_free(addrs);
	}
	ifplex_free(ifs);
	return 0;
}
