/* SPDX-License-Identifier: MIT */
/* DNS records through the dns file, as Go's lookup_plan9.go asks them:
 * write "name type", seek to 0, read one answer per read (rrfmt's text). */
#include "p9.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RR 64

struct answers {
	const char *type;
	struct p9_dns_rr *rr;
	size_t n;
};

static int take_rr(const char *reply, size_t len, void *arg)
{
	struct answers *a = arg;

	if (a->n == MAX_RR || p9_parse_dns_line(reply, len, a->type, &a->rr[a->n]) < 0)
		return 0;
	a->n++;
	return 1;
}

/* Every answer of type for name; IFPLEX_ENOTFOUND when there is none,
 * -errno when dns refused the question (see answered()). */
static int query(struct p9 *p, const char *name, const char *type, struct p9_dns_rr *rr, size_t *n)
{
	char q[IFPLEX_HOST_MAX + 16];
	struct answers a = {.type = type, .rr = rr};

	if (!p9_question_word(name, IFPLEX_HOST_MAX - 1))
		return p->host->fail_text("invalid domain name", IFPLEX_EBADADDR);
	snprintf(q, sizeof q, "%s %s", name, type);
	int rc = p9_query(p, "dns", q, take_rr, &a);
	*n = a.n;
	return rc;
}

/* The error of a query that failed, in ndb/dns's words. */
static int answered(struct p9 *p, int rc)
{
	return rc < 0 ? p9_fail(p, P9_DNS, "dns", rc) : 0;
}

/* Go's absDomainName: a trailing dot. */
static void absolute(char *name, size_t len)
{
	size_t n = strlen(name);
	if (n && name[n - 1] != '.' && n + 1 < len) {
		name[n] = '.';
		name[n + 1] = '\0';
	}
}

int p9_lookup_cname(void *state, const char *host, char *buf, size_t len)
{
	struct p9_dns_rr rr[MAX_RR];
	size_t n;
	int rc = query(state, host, "cname", rr, &n);

	/* A name that is no alias ("resource does not exist; negrcode 0") is
	 * its own canonical name, as Go answers. */
	const char *name = rc == 0 ? rr[0].name : host;
#ifdef ENODATA
	if (rc == -ENODATA)
		rc = IFPLEX_ENOTFOUND;
#endif
	if (rc < 0 && rc != IFPLEX_ENOTFOUND)
		return answered(state, rc);
	if (strlen(name) + 2 > len)
		return IFPLEX_ESHORTBUF;
	snprintf(buf, len, "%s", name);
	absolute(buf, len);
	return 0;
}

static int by_priority(const void *x, const void *y)
{
	const struct ifplex_srv *a = x, *b = y;
	return a->priority != b->priority ? a->priority - b->priority : b->weight - a->weight;
}

int p9_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count)
{
	struct p9 *p = state;
	struct p9_dns_rr rr[MAX_RR];
	size_t n;
	int rc = query(p, name, "srv", rr, &n);

	if (rc < 0)
		return answered(p, rc);
	*list = p->host->alloc(n * sizeof **list);
	if (!*list)
		return IFPLEX_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct ifplex_srv *s = &(*list)[i];
		memcpy(s->target, rr[i].name, strlen(rr[i].name) + 1); /* the parser bounds it */
		absolute(s->target, sizeof s->target);
		s->port = rr[i].port;
		s->priority = rr[i].priority;
		s->weight = rr[i].weight;
	}
	qsort(*list, n, sizeof **list, by_priority);
	*count = n;
	return 0;
}

static int by_pref(const void *x, const void *y)
{
	return ((const struct ifplex_mx *)x)->pref - ((const struct ifplex_mx *)y)->pref;
}

int p9_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count)
{
	struct p9 *p = state;
	struct p9_dns_rr rr[MAX_RR];
	size_t n;
	int rc = query(p, name, "mx", rr, &n);

	if (rc < 0)
		return answered(p, rc);
	*list = p->host->alloc(n * sizeof **list);
	if (!*list)
		return IFPLEX_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		memcpy((*list)[i].host, rr[i].name, strlen(rr[i].name) + 1);
		absolute((*list)[i].host, sizeof (*list)[i].host);
		(*list)[i].pref = rr[i].pref;
	}
	qsort(*list, n, sizeof **list, by_pref);
	*count = n;
	return 0;
}

/* The reverse name of an address: 1.0.0.127.in-addr.arpa, or nibbles. */
static void reverse_name(const struct ifplex_ip *ip, char *out, size_t len)
{
	struct ifplex_ip v4;
	static const char hex[] = "0123456789abcdef";

	if (p9_ip_to4(ip, &v4) == 0) {
		snprintf(out, len, "%u.%u.%u.%u.in-addr.arpa", v4.b[3], v4.b[2], v4.b[1], v4.b[0]);
		return;
	}
	char *p = out;
	for (int i = 15; i >= 0; i--) {
		*p++ = hex[ip->b[i] & 15];
		*p++ = '.';
		*p++ = hex[ip->b[i] >> 4];
		*p++ = '.';
	}
	strcpy(p, "ip6.arpa");
}

int p9_lookup_addr(void *state, const struct ifplex_ip *ip, char ***names, size_t *count)
{
	struct p9 *p = state;
	struct p9_dns_rr rr[MAX_RR];
	char arpa[80];
	size_t n, text = 0;

	reverse_name(ip, arpa, sizeof arpa);
	int rc = query(p, arpa, "ptr", rr, &n);
	if (rc < 0)
		return answered(p, rc);
	/* Names end in a dot, as Go's absDomainName makes them. */
	for (size_t i = 0; i < n; i++) {
		absolute(rr[i].name, sizeof rr[i].name);
		text += strlen(rr[i].name) + 1;
	}
	/* One allocation: the pointers, then the names they point into. */
	char **out = p->host->alloc((n + 1) * sizeof *out + text);
	if (!out)
		return IFPLEX_ENOMEM;
	char *s = (char *)(out + n + 1);
	for (size_t i = 0; i < n; i++) {
		out[i] = s;
		strcpy(s, rr[i].name);
		s += strlen(s) + 1;
	}
	*names = out;
	*count = n;
	return 0;
}
