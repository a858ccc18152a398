/* SPDX-License-Identifier: MIT */
/* Lookups on the win32 backend under wine: the system resolver answers
 * from the hosts and services files (no DNS server is reachable from the
 * test's namespace, so record lookups must fail cleanly). */
#include "win32/tap.h"

#include <ifplex.h>

#include <string.h>

int main(void)
{
	struct ifplex_ip *ips;
	size_t n;
	char buf[IFPLEX_IP_STRLEN];
	int rc = ifplex_lookup_ip("ip4", "localhost", &ips, &n);

	tap_ok(rc == 0 && n >= 1 && ifplex_ip_string(&ips[0], buf, sizeof buf) == 0 &&
		       strcmp(buf, "127.0.0.1") == 0,
	       "localhost is 127.0.0.1 (%d, %zu: %s)", rc, n, rc == 0 ? buf : ifplex_last_error());
	if (rc == 0)
		ifplex_free(ips);
	rc = ifplex_lookup_ip(NULL, "no-such-host.invalid", &ips, &n);
	tap_ok(rc == IFPLEX_ENOTFOUND || rc == IFPLEX_ELOOKUPAGAIN,
	       "an unknown host fails: %d \"%s\"", rc, ifplex_last_error());

	int port = 0;
	rc = ifplex_lookup_port("tcp", "http", &port);
	tap_ok(rc == 0 && port == 80, "http on tcp is 80 (%d, %d)", rc, port);
	rc = ifplex_lookup_port("udp", "domain", &port);
	tap_ok(rc == 0 && port == 53, "domain on udp is 53 (%d, %d)", rc, port);
	rc = ifplex_lookup_port("tcp", "8080", &port);
	tap_ok(rc == 0 && port == 8080, "a number passes through");
	rc = ifplex_lookup_port("tcp", "no-such-service", &port);
	tap_ok(rc == IFPLEX_EBADPORT, "an unknown service: %d \"%s\"", rc, ifplex_last_error());

	struct ifplex_netaddr a;
	rc = ifplex_resolve_addr("tcp", "localhost:http", &a);
	tap_ok(rc == 0 && a.port == 80 && a.ip.len, "resolve localhost:http (%d \"%s\")", rc,
	       ifplex_last_error());

	char **names;
	rc = ifplex_lookup_addr("127.0.0.1", &names, &n);
	tap_ok(rc == 0 && n == 1 && strncmp(names[0], "localhost", 9) == 0,
	       "127.0.0.1 is localhost (%d: %s)", rc, rc == 0 ? names[0] : ifplex_last_error());
	if (rc == 0)
		ifplex_free(names);

	struct ifplex_mx *mx;
	rc = ifplex_lookup_mx("example.invalid", &mx, &n);
	tap_ok(rc < 0 && *ifplex_last_error(), "MX without a DNS server fails with a message: %d \"%s\"",
	       rc, ifplex_last_error());
	return tap_done();
}
