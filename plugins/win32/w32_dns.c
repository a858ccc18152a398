/* CNAME, SRV and MX records through DnsQuery_W, as Go's lookup_windows.go
 * reads them: follow the CNAME chain the answer carries, keep the records
 * of the wanted type that belong to the name it ends at. */
#include "w32.h"
#include "../common/dns_sort.h"
#include "../common/vec.h"

#include <windns.h>
#include <string.h>

/* Go stops following CNAMEs after ten, in case of a loop. */
#define CNAME_HOPS 10

/* Query name for type: 0 with *out (DnsRecordListFree it), 1 when the
 * name exists without such records, or an error. */
static int query(const char *name, WORD type, PDNS_RECORDW *out, wchar_t *wname, size_t wlen)
{
	*out = NULL;
	if (w32_to_wide(name, wname, wlen) < 0)
		return IFPLEX_ENOTFOUND;
	DNS_STATUS st = DnsQuery_W(wname, type, DNS_QUERY_STANDARD, NULL, (PDNS_RECORD *)out, NULL);
	if (st == DNS_INFO_NO_RECORDS)
		return 1;
	if (st == DNS_ERROR_RCODE_NAME_ERROR)
		return IFPLEX_ENOTFOUND;
	if (st != 0)
		return w32_fail_code("dnsquery", (DWORD)st,
				     st == DNS_ERROR_RCODE_SERVER_FAILURE ? IFPLEX_ELOOKUPAGAIN
									  : IFPLEX_ENOTFOUND);
	return 0;
}

/* The name the CNAME records in r lead to from name. */
static const wchar_t *follow(const wchar_t *name, const DNS_RECORDW *r)
{
	for (int hop = 0; hop < CNAME_HOPS; hop++) {
		const DNS_RECORDW *p = r;
		for (; p; p = p->pNext)
			if (p->wType == DNS_TYPE_CNAME && p->pName && p->Data.CNAME.pNameHost &&
			    DnsNameCompare_W((LPWSTR)name, p->pName))
				break;
		if (!p)
			break;
		name = p->Data.CNAME.pNameHost;
	}
	return name;
}

/* A record's name in UTF-8 with Go's trailing dot. */
static int abs_name(const wchar_t *w, char *out, size_t len)
{
	if (!w || w32_to_utf8(w, out, len) < 0)
		return w32_host->fail_text("dnsquery: a name is not valid UTF-16", IFPLEX_EMALFORMED);
	size_t n = strlen(out);
	if (n == 0 || out[n - 1] != '.') {
		if (n + 2 > len)
			return IFPLEX_EMALFORMED;
		out[n] = '.';
		out[n + 1] = '\0';
	}
	return 0;
}

int w32_lookup_cname(void *state, const char *host, char *buf, size_t len)
{
	wchar_t wname[IFPLEX_HOST_MAX];
	PDNS_RECORDW r;
	char name[3 * IFPLEX_HOST_MAX];
	int rc = query(host, DNS_TYPE_CNAME, &r, wname, sizeof wname / sizeof wname[0]);

	if (rc < 0)
		return rc;
	/* No aliases: the canonical name is the name itself. */
	rc = abs_name(rc == 1 ? wname : follow(wname, r), name, sizeof name);
	if (r)
		DnsRecordListFree((PDNS_RECORD)r, DnsFreeRecordList);
	if (rc < 0)
		return rc;
	if (strlen(name) >= len)
		return IFPLEX_ESHORTBUF;
	memcpy(buf, name, strlen(name) + 1);
	return 0;
}

/* Each record of type for name, handed to each(); ENOTFOUND if none. */
static int records(const char *name, WORD type, struct vec *v,
		   int (*each)(const DNS_RECORDW *p, struct vec *v))
{
	wchar_t wname[IFPLEX_HOST_MAX];
	PDNS_RECORDW r;
	int rc = query(name, type, &r, wname, sizeof wname / sizeof wname[0]);

	if (rc != 0)
		return rc == 1 ? IFPLEX_ENOTFOUND : rc;
	const wchar_t *target = follow(wname, r);
	for (const DNS_RECORDW *p = r; p && rc == 0; p = p->pNext)
		if (p->wType == type && p->pName && DnsNameCompare_W((LPWSTR)target, p->pName))
			rc = each(p, v);
	DnsRecordListFree((PDNS_RECORD)r, DnsFreeRecordList);
	if (rc == 0 && v->len == 0)
		rc = IFPLEX_ENOTFOUND;
	return rc;
}

static int on_srv(const DNS_RECORDW *p, struct vec *v)
{
	struct ifplex_srv *s = vec_push(v);

	if (!s)
		return IFPLEX_ENOMEM;
	s->priority = p->Data.SRV.wPriority;
	s->weight = p->Data.SRV.wWeight;
	s->port = p->Data.SRV.wPort;
	return abs_name(p->Data.SRV.pNameTarget, s->target, sizeof s->target);
}

static int on_mx(const DNS_RECORDW *p, struct vec *v)
{
	struct ifplex_mx *m = vec_push(v);

	if (!m)
		return IFPLEX_ENOMEM;
	m->pref = p->Data.MX.wPreference;
	return abs_name(p->Data.MX.pNameExchange, m->host, sizeof m->host);
}

int w32_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count)
{
	struct vec v;

	vec_init(&v, w32_host, sizeof **list);
	int rc = records(name, DNS_TYPE_SRV, &v, on_srv);
	if (rc == 0) {
		dns_sort_srv(v.data, v.len);
		rc = vec_take(&v, list, count);
	}
	vec_free(&v);
	return rc;
}

int w32_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count)
{
	struct vec v;

	vec_init(&v, w32_host, sizeof **list);
	int rc = records(name, DNS_TYPE_MX, &v, on_mx);
	if (rc == 0) {
		dns_sort_mx(v.data, v.len);
		rc = vec_take(&v, list, count);
	}
	vec_free(&v);
	return rc;
}
