/* SPDX-License-Identifier: MIT */
/* CNAME, SRV and MX lookups: one DnsQuery_W each, as Go's
 * lookup_windows.go asks; w32_answer.c reads what it answers. */
#include "w32.h"

/* Ask for the records of type at name (written as UTF-16 into wname):
 * w32_answer_status's code, with *out the answer (NULL when none). */
static int query(const char *name, WORD type, wchar_t *wname, size_t wlen, PDNS_RECORDW *out)
{
	*out = NULL;
	if (w32_to_wide(name, wname, wlen) < 0)
		return IFPLEX_ENOTFOUND;
	return w32_answer_status(
		DnsQuery_W(wname, type, DNS_QUERY_STANDARD, NULL, (PDNS_RECORD *)out, NULL));
}

static void release(PDNS_RECORDW r)
{
	if (r)
		DnsRecordListFree((PDNS_RECORD)r, DnsFreeRecordList);
}

int w32_lookup_cname(void *state, const char *host, char *buf, size_t len)
{
	wchar_t wname[IFPLEX_HOST_MAX];
	PDNS_RECORDW r;
	int rc = query(host, DNS_TYPE_CNAME, wname, sizeof wname / sizeof wname[0], &r);

	/* No aliases (DNS_INFO_NO_RECORDS): the name is its own canonical
	 * name, which the empty chain gives. */
	if (rc >= 0)
		rc = w32_answer_cname(wname, rc == 0 ? r : NULL, buf, len);
	release(r);
	return rc;
}

/* The SRV or MX records of name, in Go's order. */
static int lookup_records(const char *name, WORD type, void *list, size_t *count)
{
	wchar_t wname[IFPLEX_HOST_MAX];
	PDNS_RECORDW r;
	int rc = query(name, type, wname, sizeof wname / sizeof wname[0], &r);

	if (rc == 0)
		rc = w32_answer_records(wname, r, type, list, count);
	else if (rc == 1)
		rc = IFPLEX_ENOTFOUND;
	release(r);
	return rc;
}

int w32_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count)
{
	return lookup_records(name, DNS_TYPE_SRV, list, count);
}

int w32_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count)
{
	return lookup_records(name, DNS_TYPE_MX, list, count);
}
