/* SPDX-License-Identifier: MIT */
/* The public calls that return a list, made once each against the liar
 * plugin (liar.c) by the tests of the core's list checks on every system
 * (tests/core/test_malicious.c, tests/win32/test_w32_loader.c); each
 * result goes to the test's own expect. */
#ifndef IFPLEX_TEST_LIAR_CALLS_H
#define IFPLEX_TEST_LIAR_CALLS_H

#include <ifplex.h>

#include <stddef.h>

typedef void liar_expect_fn(int rc, const void *list, size_t count, const char *slot,
			    const char *what);

/* Lists are preset to a pointer that is no list, counts to 99: a refusal
 * must clear both. */
static inline void liar_every_list(liar_expect_fn *expect, const char *what, int lookups_too)
{
	struct ifplex_iface *ifs = (void *)1;
	struct ifplex_addr *as = (void *)1;
	struct ifplex_ip *ips = (void *)1;
	struct ifplex_srv *srv = (void *)1;
	struct ifplex_mx *mx = (void *)1;
	char **names = (void *)1;
	size_t n = 99;
	int rc;

	rc = ifplex_interfaces(&ifs, &n);
	expect(rc, ifs, n, "interfaces", what);
	rc = ifplex_interface_addrs(NULL, &as, &n);
	expect(rc, as, n, "interface_addrs", what);
	as = (void *)1;
	rc = ifplex_interface_multicast_addrs(NULL, &as, &n);
	expect(rc, as, n, "multicast_addrs", what);
	if (!lookups_too)
		return;
	rc = ifplex_lookup_ip(NULL, "name.example", &ips, &n);
	expect(rc, ips, n, "lookup_ip", what);
	rc = ifplex_lookup_addr("192.0.2.1", &names, &n);
	expect(rc, names, n, "lookup_addr", what);
	rc = ifplex_lookup_srv("", "", "srv.example", &srv, &n);
	expect(rc, srv, n, "lookup_srv", what);
	rc = ifplex_lookup_mx("mx.example", &mx, &n);
	expect(rc, mx, n, "lookup_mx", what);
}

#endif
