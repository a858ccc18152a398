/* SPDX-License-Identifier: MIT */
/* The win32 plugin's reading of DnsQuery_W answers (plugins/win32/
 * w32_answer.c), fed record chains built here in the layout dnsapi returns:
 * the answer section in the server's order, then the additional section
 * (an EDNS server's OPT record among it), each record flagged with its
 * section.  Go's lookup_windows.go is the reference: CNAME chains followed
 * in the answer section only, at most ten links; records kept when they
 * belong to the name the chain ends at; SRV by priority then weight, MX by
 * preference; names with a trailing dot. */
#include "win32/tap.h"
#include "../plugins/win32/w32.h"

#include <stdlib.h>
#include <string.h>

/* The host the plugin would get from the core: memory and error text. */
static char last_text[512];

static void *t_alloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

static int t_fail_text(const char *text, int code)
{
	snprintf(last_text, sizeof last_text, "%s", text);
	return code;
}

static const struct ifplex_host host = {
	.size = sizeof host,
	.alloc = t_alloc,
	.alloc_raw = t_alloc,
	.free = free,
	.fail_text = t_fail_text,
};
const struct ifplex_host *w32_host = &host;

/* A record of the answer (1) or additional (3) section. */
static DNS_RECORDW *rec(DNS_RECORDW *r, const wchar_t *owner, WORD type, int section)
{
	memset(r, 0, sizeof *r);
	r->pName = (PWSTR)owner;
	r->wType = type;
	r->Flags.S.Section = section;
	r->Flags.S.CharSet = DnsCharSetUnicode;
	r->dwTtl = 60;
	return r;
}

static DNS_RECORDW *cname(DNS_RECORDW *r, const wchar_t *owner, const wchar_t *target)
{
	rec(r, owner, DNS_TYPE_CNAME, DnsSectionAnswer)->Data.CNAME.pNameHost = (PWSTR)target;
	return r;
}

static DNS_RECORDW *srv(DNS_RECORDW *r, const wchar_t *owner, WORD prio, WORD weight, WORD port,
			const wchar_t *target)
{
	rec(r, owner, DNS_TYPE_SRV, DnsSectionAnswer);
	r->Data.SRV.wPriority = prio;
	r->Data.SRV.wWeight = weight;
	r->Data.SRV.wPort = port;
	r->Data.SRV.pNameTarget = (PWSTR)target;
	return r;
}

static DNS_RECORDW *mx(DNS_RECORDW *r, const wchar_t *owner, WORD pref, const wchar_t *exchange)
{
	rec(r, owner, DNS_TYPE_MX, DnsSectionAnswer);
	r->Data.MX.wPreference = pref;
	r->Data.MX.pNameExchange = (PWSTR)exchange;
	return r;
}

/* Chain r[0..n) in order, as dnsapi links its answer. */
static DNS_RECORDW *chain(DNS_RECORDW *r, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		r[i].pNext = &r[i + 1];
	r[n - 1].pNext = NULL;
	return r;
}

static void test_status(void)
{
	tap_ok(w32_answer_status(ERROR_SUCCESS) == 0, "success is 0");
	tap_ok(w32_answer_status(DNS_INFO_NO_RECORDS) == 1, "DNS_INFO_NO_RECORDS is 1");
	tap_ok(w32_answer_status(DNS_ERROR_RCODE_NAME_ERROR) == IFPLEX_ENOTFOUND,
	       "NXDOMAIN is IFPLEX_ENOTFOUND");
	last_text[0] = '\0';
	int rc = w32_answer_status(DNS_ERROR_RCODE_SERVER_FAILURE);
	tap_ok(rc == IFPLEX_ELOOKUPAGAIN && strncmp(last_text, "dnsquery: ", 10) == 0 &&
		       last_text[10],
	       "SERVFAIL is IFPLEX_ELOOKUPAGAIN with the system's text: %d \"%s\"", rc, last_text);
	tap_ok(w32_answer_status(ERROR_TIMEOUT) == IFPLEX_ELOOKUPAGAIN,
	       "no server answering is IFPLEX_ELOOKUPAGAIN");
	tap_ok(w32_answer_status(DNS_ERROR_RCODE_REFUSED) == IFPLEX_ELOOKUPAGAIN,
	       "a refusal is IFPLEX_ELOOKUPAGAIN");
	tap_ok(w32_answer_status(DNS_ERROR_BAD_PACKET) == IFPLEX_EMALFORMED,
	       "a packet dnsapi could not read is IFPLEX_EMALFORMED");
	tap_ok(w32_answer_status(DNS_ERROR_INVALID_NAME_CHAR) == IFPLEX_ENOTFOUND,
	       "a name DNS cannot carry is IFPLEX_ENOTFOUND");
	tap_ok(w32_answer_status(ERROR_NOT_ENOUGH_MEMORY) == IFPLEX_ENOMEM, "no memory is ENOMEM");
}

static void test_cname(void)
{
	DNS_RECORDW r[6];
	char buf[IFPLEX_HOST_MAX];
	int rc;

	/* The answer to a CNAME query: the alias's own record. */
	chain(cname(&r[0], L"www.ifplex.test", L"web.ifplex.test"), 1);
	rc = w32_answer_cname(L"www.ifplex.test", r, buf, sizeof buf);
	tap_ok(rc == 0 && strcmp(buf, "web.ifplex.test.") == 0, "an alias: %d %s", rc, buf);

	rc = w32_answer_cname(L"plain.ifplex.test", NULL, buf, sizeof buf);
	tap_ok(rc == 0 && strcmp(buf, "plain.ifplex.test.") == 0,
	       "no records: the name itself with a dot: %d %s", rc, buf);
	rc = w32_answer_cname(L"plain.ifplex.test.", NULL, buf, sizeof buf);
	tap_ok(rc == 0 && strcmp(buf, "plain.ifplex.test.") == 0, "one trailing dot: %s", buf);

	/* A chain listed out of order, names in other letter cases. */
	cname(&r[0], L"b.ifplex.test", L"c.ifplex.test");
	cname(&r[1], L"A.IFPLEX.TEST", L"B.ifplex.test");
	cname(&r[2], L"c.ifplex.test", L"d.ifplex.test");
	chain(r, 3);
	rc = w32_answer_cname(L"a.ifplex.test", r, buf, sizeof buf);
	tap_ok(rc == 0 && strcmp(buf, "d.ifplex.test.") == 0,
	       "a chain in any order and letter case is followed to its end: %d %s", rc, buf);

	/* A CNAME outside the answer section is not part of the chain. */
	rec(&r[2], L"c.ifplex.test", DNS_TYPE_CNAME, DnsSectionAddtional)->Data.CNAME.pNameHost =
		L"elsewhere.ifplex.test";
	rc = w32_answer_cname(L"a.ifplex.test", r, buf, sizeof buf);
	tap_ok(rc == 0 && strcmp(buf, "c.ifplex.test.") == 0,
	       "an additional-section CNAME is not followed: %s", buf);

	/* A loop: ten links, as Go, then the name reached. */
	chain(cname(&r[0], L"x.ifplex.test", L"y.ifplex.test"), 2);
	cname(&r[1], L"y.ifplex.test", L"x.ifplex.test");
	rc = w32_answer_cname(L"x.ifplex.test", r, buf, sizeof buf);
	tap_ok(rc == 0 && strcmp(buf, "x.ifplex.test.") == 0, "a loop ends after ten links: %s",
	       buf);

	chain(cname(&r[0], L"www.ifplex.test", L"web.ifplex.test"), 1);
	rc = w32_answer_cname(L"www.ifplex.test", r, buf, 16);
	tap_ok(rc == IFPLEX_ESHORTBUF, "a buffer one byte short: %d", rc);
	rc = w32_answer_cname(L"www.ifplex.test", r, buf, 17);
	tap_ok(rc == 0 && strcmp(buf, "web.ifplex.test.") == 0, "and one that fits: %s", buf);

	/* Go's UTF16ToString: a lone surrogate is U+FFFD. */
	static const wchar_t lone[] = {'a', 0xd800, '.', 't', 0};
	chain(cname(&r[0], L"www.ifplex.test", lone), 1);
	rc = w32_answer_cname(L"www.ifplex.test", r, buf, sizeof buf);
	tap_ok(rc == 0 && strcmp(buf, "a\xef\xbf\xbd.t.") == 0,
	       "a lone surrogate in a target is U+FFFD: %d %s", rc, buf);
	chain(cname(&r[0], L"www.ifplex.test", NULL), 1);
	rc = w32_answer_cname(L"www.ifplex.test", r, buf, sizeof buf);
	tap_ok(rc == 0 && strcmp(buf, "www.ifplex.test.") == 0,
	       "a CNAME record without its target is no link: %d %s", rc, buf);
}

static void test_srv(void)
{
	DNS_RECORDW r[8];
	struct ifplex_srv *s;
	size_t n;
	int rc;

	/* Answer and additional sections as an EDNS server sends them. */
	srv(&r[0], L"_xmpp._tcp.ifplex.test", 20, 5, 5269, L"c.ifplex.test");
	srv(&r[1], L"_xmpp._tcp.ifplex.test", 10, 10, 5269, L"b.ifplex.test");
	srv(&r[2], L"_xmpp._tcp.ifplex.test", 10, 60, 5270, L"a.ifplex.test.");
	rec(&r[3], L"a.ifplex.test", DNS_TYPE_A, DnsSectionAddtional)->Data.A.IpAddress = 0x0100007f;
	rec(&r[4], L"", DNS_TYPE_OPT, DnsSectionAddtional);
	srv(&r[5], L"_xmpp._tcp.ifplex.test", 0, 0, 1, L"additional.ifplex.test")
		->Flags.S.Section = DnsSectionAddtional;
	chain(r, 6);
	rc = w32_answer_records(L"_xmpp._tcp.ifplex.test", r, DNS_TYPE_SRV, &s, &n);
	tap_ok(rc == 0 && n == 3 && strcmp(s[0].target, "a.ifplex.test.") == 0 &&
		       s[0].port == 5270 && s[0].priority == 10 && s[0].weight == 60 &&
		       strcmp(s[1].target, "b.ifplex.test.") == 0 && s[1].weight == 10 &&
		       strcmp(s[2].target, "c.ifplex.test.") == 0 && s[2].priority == 20,
	       "SRV by priority, then weight; additional records and OPT left out: %d %zu", rc,
	       rc == 0 ? n : 0);
	if (rc == 0)
		free(s);

	/* The name is an alias of an alias; records of other owners stay out. */
	cname(&r[0], L"_sip._udp.ifplex.test", L"sip.ifplex.test");
	cname(&r[1], L"sip.ifplex.test", L"voip.ifplex.test");
	srv(&r[2], L"voip.ifplex.test", 1, 1, 5060, L"pbx.example.net");
	srv(&r[3], L"_sip._udp.ifplex.test", 9, 9, 9, L"stale.ifplex.test");
	srv(&r[4], L"other.ifplex.test", 0, 0, 1, L"other.ifplex.test");
	chain(r, 5);
	rc = w32_answer_records(L"_sip._udp.ifplex.test", r, DNS_TYPE_SRV, &s, &n);
	tap_ok(rc == 0 && n == 1 && strcmp(s[0].target, "pbx.example.net.") == 0 &&
		       s[0].port == 5060,
	       "the records of the name the chain ends at, only: %d %zu", rc, rc == 0 ? n : 0);
	if (rc == 0)
		free(s);

	chain(cname(&r[0], L"_sip._udp.ifplex.test", L"sip.ifplex.test"), 1);
	rc = w32_answer_records(L"_sip._udp.ifplex.test", r, DNS_TYPE_SRV, &s, &n);
	tap_ok(rc == IFPLEX_ENOTFOUND, "an answer without SRV records: %d", rc);
	rc = w32_answer_records(L"_sip._udp.ifplex.test", NULL, DNS_TYPE_SRV, &s, &n);
	tap_ok(rc == IFPLEX_ENOTFOUND, "an empty answer: %d", rc);

	/* A target of 255 characters with its dot does not fit a DNS name. */
	static wchar_t long_target[256];
	for (size_t i = 0; i < 255; i++)
		long_target[i] = 'a';
	chain(srv(&r[0], L"_x._tcp.ifplex.test", 1, 1, 1, long_target), 1);
	rc = w32_answer_records(L"_x._tcp.ifplex.test", r, DNS_TYPE_SRV, &s, &n);
	tap_ok(rc == IFPLEX_EMALFORMED && strstr(last_text, "longer"),
	       "a target longer than DNS allows: %d \"%s\"", rc, last_text);
	long_target[254] = 0;
	rc = w32_answer_records(L"_x._tcp.ifplex.test", r, DNS_TYPE_SRV, &s, &n);
	tap_ok(rc == 0 && n == 1 && strlen(s[0].target) == 255 && s[0].target[254] == '.',
	       "254 characters and the dot fit: %d", rc);
	if (rc == 0)
		free(s);
	chain(srv(&r[0], L"_x._tcp.ifplex.test", 1, 1, 1, NULL), 1);
	rc = w32_answer_records(L"_x._tcp.ifplex.test", r, DNS_TYPE_SRV, &s, &n);
	tap_ok(rc == IFPLEX_EMALFORMED && strstr(last_text, "lacks"),
	       "a record without its target: %d \"%s\"", rc, last_text);
}

static void test_mx(void)
{
	DNS_RECORDW r[5];
	struct ifplex_mx *m;
	size_t n;
	int rc;

	cname(&r[0], L"mail.ifplex.test", L"ifplex.test");
	mx(&r[1], L"ifplex.test", 20, L"mx2.ifplex.test");
	mx(&r[2], L"IFPLEX.test", 10, L"mx1.ifplex.test");
	mx(&r[3], L"ifplex.test", 30, L"mx.example.net");
	rec(&r[4], L"", DNS_TYPE_OPT, DnsSectionAddtional);
	chain(r, 5);
	rc = w32_answer_records(L"mail.ifplex.test", r, DNS_TYPE_MX, &m, &n);
	tap_ok(rc == 0 && n == 3 && m[0].pref == 10 && strcmp(m[0].host, "mx1.ifplex.test.") == 0 &&
		       m[1].pref == 20 && strcmp(m[1].host, "mx2.ifplex.test.") == 0 &&
		       m[2].pref == 30 && strcmp(m[2].host, "mx.example.net.") == 0,
	       "MX through an alias, by preference: %d %zu", rc, rc == 0 ? n : 0);
	if (rc == 0)
		free(m);
	rc = w32_answer_records(L"mail.ifplex.test", r, DNS_TYPE_A, &m, &n);
	tap_ok(rc == IFPLEX_EINVAL, "a type this reader does not keep: %d", rc);
}

int main(void)
{
	test_status();
	test_cname();
	test_srv();
	test_mx();
	return tap_done();
}
