/* libFuzzer target for the Plan 9 text parsers: status lines, hardware
 * addresses, addr!port, cs replies and iproute fields. */
#include "../../plugins/plan9/p9.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = (const char *)data;
	struct p9_ifc_head head;
	struct ifplex_addr a;
	struct ifplex_netaddr na;
	uint8_t hw[IFPLEX_HWADDR_MAX], hwlen;
	char clone[64], dial[64];

	if (p9_parse_status_head(t, size, &head) == 0 && (head.device[0] != '/' || head.mtu < 0))
		__builtin_trap();
	if (p9_parse_status_addr(t, size, &a) == 0 && a.ip.len != 4 && a.ip.len != 16)
		__builtin_trap();
	if (p9_parse_hwaddr(t, size, hw, &hwlen) == 0 && (hwlen == 0 || hwlen > IFPLEX_HWADDR_MAX))
		__builtin_trap();
	if (p9_parse_addrport(t, size, &na) == 0 && (na.port < 0 || na.port > 65535))
		__builtin_trap();
	if (p9_parse_cs_reply(t, size, clone, sizeof clone, dial, sizeof dial) == 0 && clone[0] != '/')
		__builtin_trap();
	(void)p9_has_field(t, size, "4i");
	static const char *const types[] = {"cname", "ptr", "srv", "mx"};
	for (size_t i = 0; i < 4; i++) {
		struct p9_dns_rr rr;
		if (p9_parse_dns_line(t, size, types[i], &rr) == 0 && (!rr.name[0] || strlen(rr.name) >= sizeof rr.name - 1))
			__builtin_trap();
	}
	return 0;
}
