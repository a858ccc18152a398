/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the Plan 9 text parsers: status lines, hardware
 * addresses, endpoints, cs replies, dns answers and iproute fields.  The
 * parsers take IP text from the host struct, as in the plugin; here a
 * small host built on inet_pton stands in for the core. */
#include "../../plugins/plan9/p9.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

static int fuzz_ip_parse(const char *s, size_t n, struct ifplex_ip *out, char *zone, size_t zonelen)
{
	char text[64];
	struct in_addr a4;

	(void)zone;
	(void)zonelen;
	if (n >= sizeof text || memchr(s, '\0', n) || memchr(s, '%', n))
		return IFPLEX_EBADADDR;
	memcpy(text, s, n);
	text[n] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, text, &a4) == 1) {
		out->len = 16;
		out->b[10] = out->b[11] = 0xff;
		memcpy(out->b + 12, &a4, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, text, out->b) != 1)
		return IFPLEX_EBADADDR;
	out->len = 16;
	return 0;
}

static const struct ifplex_host host = {
	.size = sizeof(struct ifplex_host),
	.ip_parse = fuzz_ip_parse,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = (const char *)data;
	struct p9_ifc_head head;
	struct ifplex_addr a;
	struct ifplex_netaddr na;
	uint8_t hw[IFPLEX_HWADDR_MAX], hwlen;
	char clone[64], dial[64];

	if (p9_parse_status_head(t, size, &head) == 0 && (head.mtu < 0 || strlen(head.device) >= sizeof head.device))
		__builtin_trap();
	int rc = p9_parse_status_addr(&host, t, size, &a);
	if (rc == 0 && ((a.ip.len != 4 && a.ip.len != 16) || a.prefixlen < 0 ||
			a.prefixlen > (a.ip.len == 4 ? 32 : 128)))
		__builtin_trap();
	if (p9_parse_hwaddr(t, size, hw, &hwlen) == 0 && (hwlen == 0 || hwlen > IFPLEX_HWADDR_MAX))
		__builtin_trap();
	if (p9_parse_endpoint(&host, t, size, &na) == 0 && (na.port < 0 || na.port > 65535))
		__builtin_trap();
	if (p9_parse_cs_reply(t, size, clone, sizeof clone, dial, sizeof dial) == 0 &&
	    (strlen(clone) >= sizeof clone || !dial[0]))
		__builtin_trap();
	(void)p9_has_field(t, size, "4i");
	char word[300];
	size_t wn = size < sizeof word - 1 ? size : sizeof word - 1;
	memcpy(word, t, wn);
	word[wn] = '\0';
	if (p9_question_word(word, 255) && (strchr(word, '!') || strchr(word, ' ') || !word[0]))
		__builtin_trap();
	static const char *const types[] = {"cname", "ptr", "srv", "mx"};
	for (size_t i = 0; i < 4; i++) {
		struct p9_dns_rr rr;
		if (p9_parse_dns_line(t, size, types[i], &rr) == 0 && (!rr.name[0] || strlen(rr.name) >= sizeof rr.name - 1))
			__builtin_trap();
	}
	return 0;
}
