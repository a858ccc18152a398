/* SPDX-License-Identifier: MIT */
/* Lookups through the system resolver: getaddrinfo, getservbyname_r,
 * getnameinfo, and res_nquery for SRV and MX records. */
#define _GNU_SOURCE
#include "dns_sort.h"
#include "sock.h"
#include "vec.h"

#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int resolver_error(int e)
{
	switch (e) {
	case EAI_NONAME:
#ifdef EAI_NODATA
	case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
	case EAI_ADDRFAMILY:
#endif
		return IFPLEX_ENOTFOUND;
	case EAI_AGAIN:
		return IFPLEX_ELOOKUPAGAIN;
	case EAI_MEMORY:
		return IFPLEX_ENOMEM;
	case EAI_SYSTEM:
		return sock_host->fail("getaddrinfo", -errno);
	default:
		return sock_host->fail_text(gai_strerror(e), IFPLEX_ENOTFOUND);
	}
}

int sock_lookup_ip(void *state, const char *host, int family, struct ifplex_ip **list, size_t *count)
{
	struct addrinfo hints = {.ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM}, *res;
	struct vec v;

	(void)state;
	int e = getaddrinfo(host, NULL, &hints, &res);
	if (e)
		return resolver_error(e);
	vec_init(&v, sock_host, sizeof(struct ifplex_ip));
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		struct ifplex_netaddr a;
		if (sock_from_sockaddr(ai->ai_addr, ai->ai_addrlen, &a) < 0 || a.kind != IFPLEX_NETADDR_IP)
			continue;
		int dup = 0;
		for (size_t i = 0; i < v.len && !dup; i++)
			dup = memcmp(&((struct ifplex_ip *)v.data)[i], &a.ip, sizeof a.ip) == 0;
		struct ifplex_ip *slot = dup ? NULL : vec_push(&v);
		if (slot)
			*slot = a.ip;
		else if (!dup) {
			freeaddrinfo(res);
			vec_free(&v);
			return IFPLEX_ENOMEM;
		}
	}
	freeaddrinfo(res);
	int rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}

#ifndef HAVE_GETSERVBYNAME_R
/* macOS and OpenBSD have no getservbyname_r: the classic call, one thread
 * at a time, with the port copied out under the lock. */
static pthread_mutex_t serv_lock = PTHREAD_MUTEX_INITIALIZER;

static int serv_port(const char *service, const char *proto, int *port)
{
	pthread_mutex_lock(&serv_lock);
	struct servent *r = getservbyname(service, proto);
	if (r)
		*port = ntohs((uint16_t)r->s_port);
	pthread_mutex_unlock(&serv_lock);
	return r ? 0 : IFPLEX_ENOTFOUND;
}
#endif

int sock_lookup_port(void *state, int kind, const char *service, int *port)
{
	(void)state;
#ifdef HAVE_GETSERVBYNAME_R
	struct servent se, *r = NULL;
	char buf[1024];

	if (getservbyname_r(service, kind == IFPLEX_NET_UDP ? "udp" : "tcp", &se, buf, sizeof buf, &r) != 0 || !r)
		return IFPLEX_ENOTFOUND;
	*port = ntohs((uint16_t)r->s_port);
	return 0;
#else
	return serv_port(service, kind == IFPLEX_NET_UDP ? "udp" : "tcp", port);
#endif
}

int sock_lookup_addr(void *state, const struct ifplex_ip *ip, char ***names, size_t *count)
{
	struct ifplex_netaddr a = {.kind = IFPLEX_NETADDR_IP, .ip = *ip};
	struct sockaddr_storage ss;
	socklen_t len;
	char host[NI_MAXHOST];
	static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	int family = ip->len == 4 || memcmp(ip->b, v4_prefix, 12) == 0 ? AF_INET : AF_INET6;

	(void)state;
	int rc = sock_to_sockaddr(&a, family, &ss, &len);
	if (rc < 0)
		return rc;
	int e = getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, NULL, 0, NI_NAMEREQD);
	if (e)
		return resolver_error(e);
	/* One allocation: the pointer array, then the text it points into. */
	size_t n = strlen(host) + 1;
	char **out = sock_host->alloc(2 * sizeof(char *) + n);
	if (!out)
		return IFPLEX_ENOMEM;
	out[0] = (char *)(out + 2);
	out[1] = NULL;
	memcpy(out[0], host, n);
	*names = out;
	*count = 1;
	return 0;
}

int sock_lookup_cname(void *state, const char *host, char *buf, size_t len)
{
	struct addrinfo hints = {.ai_flags = AI_CANONNAME, .ai_socktype = SOCK_STREAM}, *res;

	(void)state;
	int e = getaddrinfo(host, NULL, &hints, &res);
	if (e)
		return resolver_error(e);
	const char *cn = res->ai_canonname ? res->ai_canonname : host;
	size_t n = strlen(cn);
	int dot = n == 0 || cn[n - 1] != '.';
	int rc = 0;
	if (n + (size_t)dot >= len)
		rc = IFPLEX_ESHORTBUF;
	else
		snprintf(buf, len, "%s%s", cn, dot ? "." : "");
	freeaddrinfo(res);
	return rc;
}

#ifdef HAVE_RES_NQUERY
/* One DNS query of type for name; the answer's records go to each(). */
static int query(const char *name, int type, int (*each)(ns_msg *, ns_rr *, void *), void *arg)
{
	struct __res_state rs;
	unsigned char ans[8192];
	ns_msg msg;
	int rc = 0;

	memset(&rs, 0, sizeof rs);
	if (res_ninit(&rs) < 0)
		return IFPLEX_ELOOKUPAGAIN;
	int n = res_nquery(&rs, name, ns_c_in, type, ans, sizeof ans);
	if (n < 0) {
		rc = rs.res_h_errno == HOST_NOT_FOUND || rs.res_h_errno == NO_DATA ? IFPLEX_ENOTFOUND
										       : IFPLEX_ELOOKUPAGAIN;
	} else if (ns_initparse(ans, n > (int)sizeof ans ? (int)sizeof ans : n, &msg) < 0) {
		rc = IFPLEX_EMALFORMED;
	} else {
		int count = ns_msg_count(msg, ns_s_an);
		for (int i = 0; i < count && rc == 0; i++) {
			ns_rr rr;
			if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) {
				rc = IFPLEX_EMALFORMED;
				break;
			}
			if ((int)ns_rr_type(rr) == type)
				rc = each(&msg, &rr, arg);
		}
	}
	res_nclose(&rs);
	return rc;
}

static int expand(ns_msg *msg, const unsigned char *p, char *out, size_t len)
{
	if (dn_expand(ns_msg_base(*msg), ns_msg_end(*msg), p, out, (int)len) < 0)
		return IFPLEX_EMALFORMED;
	size_t n = strlen(out);
	if (n + 2 > len)
		return IFPLEX_EMALFORMED;
	out[n] = '.';
	out[n + 1] = '\0';
	return 0;
}

static int on_srv(ns_msg *msg, ns_rr *rr, void *arg)
{
	const unsigned char *p = ns_rr_rdata(*rr);
	struct ifplex_srv *s;

	if (ns_rr_rdlen(*rr) < 7 || !(s = vec_push(arg)))
		return ns_rr_rdlen(*rr) < 7 ? IFPLEX_EMALFORMED : IFPLEX_ENOMEM;
	s->priority = ns_get16(p);
	s->weight = ns_get16(p + 2);
	s->port = ns_get16(p + 4);
	return expand(msg, p + 6, s->target, sizeof s->target);
}

static int on_mx(ns_msg *msg, ns_rr *rr, void *arg)
{
	const unsigned char *p = ns_rr_rdata(*rr);
	struct ifplex_mx *m;

	if (ns_rr_rdlen(*rr) < 3 || !(m = vec_push(arg)))
		return ns_rr_rdlen(*rr) < 3 ? IFPLEX_EMALFORMED : IFPLEX_ENOMEM;
	m->pref = ns_get16(p);
	return expand(msg, p + 2, m->host, sizeof m->host);
}

static int records(const char *name, int type, size_t elem, int (*each)(ns_msg *, ns_rr *, void *),
		   void *list, size_t *count)
{
	struct vec v;

	vec_init(&v, sock_host, elem);
	int rc = query(name, type, each, &v);
	if (rc == 0 && v.len == 0)
		rc = IFPLEX_ENOTFOUND;
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}

int sock_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count)
{
	(void)state;
	int rc = records(name, ns_t_srv, sizeof **list, on_srv, list, count);

	if (rc == 0)
		dns_sort_srv(*list, *count);
	return rc;
}

int sock_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count)
{
	(void)state;
	int rc = records(name, ns_t_mx, sizeof **list, on_mx, list, count);

	if (rc == 0)
		dns_sort_mx(*list, *count);
	return rc;
}
#else
/* Without res_nquery and the ns_* parser (OpenBSD) there is no way to ask
 * for SRV or MX records here. */
static int no_res_nquery(const char *what)
{
	char msg[80];
	snprintf(msg, sizeof msg, "%s lookups need res_nquery, which this system lacks", what);
	return sock_host->fail_text(msg, IFPLEX_ENOTSUP);
}

int sock_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count)
{
	(void)state, (void)name, (void)list, (void)count;
	return no_res_nquery("SRV");
}

int sock_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count)
{
	(void)state, (void)name, (void)list, (void)count;
	return no_res_nquery("MX");
}
#endif
