/* CNAME, SRV and MX lookups through DnsQuery_W under wine, answered by
 * tests/win32/dns_stub.py (run by test_w32_dns.sh). */
#include "win32/tap.h"

#include <ifplex.h>

#include <windows.h>
#include <windns.h>
#include <string.h>

/* Wine 8.0's DnsQuery_W answers DNS_ERROR_BAD_PACKET for every answer it
 * gets from a server (the stub's well-formed MX reply included): then the
 * records cannot be tested here, and the test says so. */
static int dnsquery_works(void)
{
	PDNS_RECORD r = NULL;
	DNS_STATUS st = DnsQuery_W(L"ifplex.test", DNS_TYPE_MX, DNS_QUERY_STANDARD, NULL, &r, NULL);

	if (st == 0)
		DnsRecordListFree(r, DnsFreeRecordList);
	return st != DNS_ERROR_BAD_PACKET;
}

int main(void)
{
	if (!dnsquery_works()) {
		printf("1..0 # SKIP this DnsQuery_W rejects well-formed answers (DNS_ERROR_BAD_PACKET, wine 8.0)\n");
		return 0;
	}
	char cname[IFPLEX_HOST_MAX];
	int rc = ifplex_lookup_cname("www.ifplex.test", cname, sizeof cname);

	tap_ok(rc == 0 && strcmp(cname, "web.ifplex.test.") == 0, "CNAME followed: %d %s", rc,
	       rc == 0 ? cname : ifplex_last_error());
	rc = ifplex_lookup_cname("plain.ifplex.test", cname, sizeof cname);
	tap_ok(rc == 0 && strcmp(cname, "plain.ifplex.test.") == 0,
	       "a name without aliases is its own canonical name: %d %s", rc,
	       rc == 0 ? cname : ifplex_last_error());

	struct ifplex_mx *mx;
	size_t n;
	rc = ifplex_lookup_mx("ifplex.test", &mx, &n);
	tap_ok(rc == 0 && n == 2 && mx[0].pref == 10 && strcmp(mx[0].host, "mx1.ifplex.test.") == 0 &&
		       mx[1].pref == 20 && strcmp(mx[1].host, "mx2.ifplex.test.") == 0,
	       "MX sorted by preference: %d", rc);
	if (rc == 0)
		ifplex_free(mx);

	struct ifplex_srv *srv;
	rc = ifplex_lookup_srv("xmpp", "tcp", "ifplex.test", &srv, &n);
	tap_ok(rc == 0 && n == 3 && strcmp(srv[0].target, "a.ifplex.test.") == 0 &&
		       srv[0].port == 5270 && strcmp(srv[1].target, "b.ifplex.test.") == 0 &&
		       strcmp(srv[2].target, "c.ifplex.test.") == 0 && srv[2].priority == 20,
	       "SRV by priority, then weight: %d %s", rc, rc == 0 ? "" : ifplex_last_error());
	if (rc == 0)
		ifplex_free(srv);
	rc = ifplex_lookup_srv("sip", "udp", "ifplex.test", &srv, &n);
	tap_ok(rc == 0 && n == 1 && strcmp(srv[0].target, "pbx.ifplex.test.") == 0 &&
		       srv[0].port == 5060,
	       "SRV records of the name a CNAME leads to: %d %s", rc,
	       rc == 0 ? "" : ifplex_last_error());
	if (rc == 0)
		ifplex_free(srv);
	rc = ifplex_lookup_mx("nowhere.ifplex.test", &mx, &n);
	tap_ok(rc == IFPLEX_ENOTFOUND, "NXDOMAIN is IFPLEX_ENOTFOUND: %d \"%s\"", rc,
	       ifplex_last_error());
	return tap_done();
}
