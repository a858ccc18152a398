/* SPDX-License-Identifier: MIT */
/* What Go's lookup_windows.go keeps of a DnsQuery_W answer: the status as
 * ifplex's codes, the CNAME chain of the answer section followed from the
 * name asked, and the records of the wanted type that belong to the name
 * the chain ends at, in Go's order.  No query is made here, so that tests
 * can hand it record chains of their own. */
#include "w32.h"
#include "../common/dns_sort.h"
#include "../common/vec.h"

#include <string.h>

/* Go stops following CNAMEs after ten, in case of a loop. */
#define CNAME_HOPS 10

int w32_answer_status(DNS_STATUS st)
{
	switch (st) {
	case ERROR_SUCCESS:
		return 0;
	case DNS_INFO_NO_RECORDS:
		return 1;
	case DNS_ERROR_RCODE_NAME_ERROR:
		return IFPLEX_ENOTFOUND;
	/* A name DNS cannot carry: no such host, as Go reports it. */
	case ERROR_INVALID_NAME:
	case DNS_ERROR_INVALID_NAME_CHAR:
	case DNS_ERROR_NUMERIC_NAME:
		return w32_fail_code("dnsquery", (DWORD)st, IFPLEX_ENOTFOUND);
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return w32_fail_code("dnsquery", (DWORD)st, IFPLEX_ENOMEM);
	case DNS_ERROR_BAD_PACKET:
		return w32_fail_code("dnsquery", (DWORD)st, IFPLEX_EMALFORMED);
	default:
		/* Server failure, refusal, timeout, no server: the resolver may
		 * answer later, as TRY_AGAIN and NO_RECOVERY are on POSIX. */
		return w32_fail_code("dnsquery", (DWORD)st, IFPLEX_ELOOKUPAGAIN);
	}
}

/* Whether p is an answer-section record of type owned by name. */
static int owned(const DNS_RECORDW *p, WORD type, const wchar_t *name)
{
	return p->wType == type && p->Flags.S.Section == DnsSectionAnswer && p->pName &&
	       DnsNameCompare_W((LPWSTR)name, p->pName);
}

/* The name the CNAME records in r lead to from name. */
static const wchar_t *follow(const wchar_t *name, const DNS_RECORDW *r)
{
	for (int hop = 0; hop < CNAME_HOPS; hop++) {
		const DNS_RECORDW *p = r;
		while (p && !(owned(p, DNS_TYPE_CNAME, name) && p->Data.CNAME.pNameHost))
			p = p->pNext;
		if (!p)
			break;
		name = p->Data.CNAME.pNameHost;
	}
	return name;
}

/* A name from the answer in UTF-8 with Go's trailing dot, into out (len
 * bytes): a name that does not fit is no DNS name. */
static int abs_name(const wchar_t *w, char *out, size_t len)
{
	static const char too_long[] = "dnsquery: a name in the answer is longer than DNS allows";

	if (!w)
		return w32_host->fail_text("dnsquery: a record in the answer lacks its name",
					   IFPLEX_EMALFORMED);
	int rc = w32_to_utf8(w, out, len);
	if (rc < 0)
		return w32_host->fail_text(rc == IFPLEX_ESHORTBUF ? too_long
								  : "dnsquery: a name in the answer has no UTF-8 form",
					   IFPLEX_EMALFORMED);
	size_t n = strlen(out);
	if (n == 0 || out[n - 1] != '.') {
		if (n + 2 > len)
			return w32_host->fail_text(too_long, IFPLEX_EMALFORMED);
		out[n] = '.';
		out[n + 1] = '\0';
	}
	return 0;
}

int w32_answer_cname(const wchar_t *name, const DNS_RECORDW *r, char *buf, size_t len)
{
	char out[3 * IFPLEX_HOST_MAX];
	int rc = abs_name(follow(name, r), out, sizeof out);

	if (rc < 0)
		return rc;
	size_t n = strlen(out);
	if (n >= len)
		return IFPLEX_ESHORTBUF;
	memcpy(buf, out, n + 1);
	return 0;
}

static int add_srv(const DNS_RECORDW *p, void *slot)
{
	struct ifplex_srv *s = slot;

	s->priority = p->Data.SRV.wPriority;
	s->weight = p->Data.SRV.wWeight;
	s->port = p->Data.SRV.wPort;
	return abs_name(p->Data.SRV.pNameTarget, s->target, sizeof s->target);
}

static int add_mx(const DNS_RECORDW *p, void *slot)
{
	struct ifplex_mx *m = slot;

	m->pref = p->Data.MX.wPreference;
	return abs_name(p->Data.MX.pNameExchange, m->host, sizeof m->host);
}

static void sort_srv(void *list, size_t count)
{
	dns_sort_srv(list, count);
}

static void sort_mx(void *list, size_t count)
{
	dns_sort_mx(list, count);
}

int w32_answer_records(const wchar_t *name, const DNS_RECORDW *r, WORD type, void *list,
		       size_t *count)
{
	int (*add)(const DNS_RECORDW *, void *);
	void (*sort)(void *, size_t);
	size_t elem;

	if (type == DNS_TYPE_SRV) {
		add = add_srv;
		sort = sort_srv;
		elem = sizeof(struct ifplex_srv);
	} else if (type == DNS_TYPE_MX) {
		add = add_mx;
		sort = sort_mx;
		elem = sizeof(struct ifplex_mx);
	} else {
		return IFPLEX_EINVAL;
	}
	const wchar_t *target = follow(name, r);
	struct vec v;
	int rc = 0;

	vec_init(&v, w32_host, elem);
	for (const DNS_RECORDW *p = r; p && rc == 0; p = p->pNext) {
		if (!owned(p, type, target))
			continue;
		void *slot = vec_push(&v);
		rc = slot ? add(p, slot) : IFPLEX_ENOMEM;
	}
	if (rc == 0 && v.len == 0)
		rc = IFPLEX_ENOTFOUND;
	if (rc == 0) {
		sort(v.data, v.len);
		rc = vec_take(&v, list, count);
	}
	vec_free(&v);
	return rc;
}
