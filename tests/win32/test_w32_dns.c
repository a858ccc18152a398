/* SPDX-License-Identifier: MIT */
/* CNAME, SRV and MX lookups through DnsQuery_W under wine, answered by
 * tests/win32/dns_stub.py from its zone (run by test_w32_dns.sh, which
 * asks for EDNS in the namespace's resolv.conf). */
#include "win32/tap.h"

#include <ifplex.h>

#include <windows.h>
#include <windns.h>
#include <string.h>

static void free_list(int rc, void *list)
{
	if (rc == 0)
		ifplex_free(list);
}

static void test_cname(void)
{
	char cname[IFPLEX_HOST_MAX];
	int rc = ifplex_lookup_cname("www.ifplex.test", cname, sizeof cname);

	/* A CNAME query is answered with the alias's own record: one link, as
	 * Go's lookupCNAME on Windows gives it. */
	tap_ok(rc == 0 && strcmp(cname, "web.ifplex.test.") == 0, "CNAME of an alias: %d %s", rc,
	       rc == 0 ? cname : ifplex_last_error());

	/* A name without aliases: Windows says DNS_INFO_NO_RECORDS and the name
	 * is its own canonical name, as in Go; wine's DnsQuery_W says
	 * DNS_ERROR_RCODE_NAME_ERROR for that NODATA answer (res_query's
	 * NO_DATA), which is no such host.  The plugin follows what dnsapi
	 * says, so the test asks it too. */
	PDNS_RECORD r = NULL;
	DNS_STATUS st = DnsQuery_W(L"plain.ifplex.test", DNS_TYPE_CNAME, DNS_QUERY_STANDARD, NULL,
				   &r, NULL);
	if (r)
		DnsRecordListFree(r, DnsFreeRecordList);
	rc = ifplex_lookup_cname("plain.ifplex.test", cname, sizeof cname);
	if (st == DNS_INFO_NO_RECORDS)
		tap_ok(rc == 0 && strcmp(cname, "plain.ifplex.test.") == 0,
		       "a name without aliases is its own canonical name: %d %s", rc,
		       rc == 0 ? cname : ifplex_last_error());
	else
		tap_ok(st == DNS_ERROR_RCODE_NAME_ERROR && rc == IFPLEX_ENOTFOUND,
		       "a name without aliases, reported as no such name (status %ld): %d \"%s\"",
		       (long)st, rc, ifplex_last_error());
}

static void test_mx(void)
{
	struct ifplex_mx *mx;
	size_t n;
	const char *names[] = {"ifplex.test", "mail.ifplex.test"};

	/* The third exchange is outside the zone, so its name is written out
	 * in full at the end of the answer section. */
	for (int i = 0; i < 2; i++) {
		int rc = ifplex_lookup_mx(names[i], &mx, &n);
		tap_ok(rc == 0 && n == 3 && mx[0].pref == 10 &&
			       strcmp(mx[0].host, "mx1.ifplex.test.") == 0 && mx[1].pref == 20 &&
			       strcmp(mx[1].host, "mx2.ifplex.test.") == 0 && mx[2].pref == 30 &&
			       strcmp(mx[2].host, "mx.example.net.") == 0,
		       "MX of %s by preference: %d %s", names[i], rc,
		       rc == 0 ? "" : ifplex_last_error());
		free_list(rc, mx);
	}
}

static void test_srv(void)
{
	struct ifplex_srv *srv;
	size_t n;
	int rc = ifplex_lookup_srv("xmpp", "tcp", "ifplex.test", &srv, &n);

	tap_ok(rc == 0 && n == 3 && strcmp(srv[0].target, "a.ifplex.test.") == 0 &&
		       srv[0].port == 5270 && srv[0].weight == 60 &&
		       strcmp(srv[1].target, "b.ifplex.test.") == 0 && srv[1].weight == 10 &&
		       strcmp(srv[2].target, "c.ifplex.test.") == 0 && srv[2].priority == 20,
	       "SRV by priority, then weight: %d %s", rc, rc == 0 ? "" : ifplex_last_error());
	free_list(rc, srv);

	/* _sip._udp is an alias of an alias; the server follows the chain and
	 * the records belong to its end. */
	rc = ifplex_lookup_srv("sip", "udp", "ifplex.test", &srv, &n);
	tap_ok(rc == 0 && n == 1 && strcmp(srv[0].target, "pbx.example.net.") == 0 &&
		       srv[0].port == 5060 && srv[0].priority == 1,
	       "SRV records of the name a CNAME chain leads to: %d %s", rc,
	       rc == 0 ? "" : ifplex_last_error());
	free_list(rc, srv);

	rc = ifplex_lookup_srv("", "", "plain.ifplex.test", &srv, &n);
	tap_ok(rc == IFPLEX_ENOTFOUND, "a name without SRV records: %d \"%s\"", rc,
	       ifplex_last_error());
}

int main(void)
{
	test_cname();
	test_mx();
	test_srv();

	struct ifplex_mx *mx;
	size_t n;
	int rc = ifplex_lookup_mx("nowhere.ifplex.test", &mx, &n);
	tap_ok(rc == IFPLEX_ENOTFOUND && strstr(ifplex_last_error(), "nowhere.ifplex.test"),
	       "NXDOMAIN is IFPLEX_ENOTFOUND: %d \"%s\"", rc, ifplex_last_error());
	return tap_done();
}
