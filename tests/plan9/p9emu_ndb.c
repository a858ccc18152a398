/* SPDX-License-Identifier: MIT */
/* cs and dns as ndb answers them (sys/src/cmd/ndb/cs.c and dns.c, dn.c of
 * both editions), over a small fixed database: one answer per record, the
 * errors as the servers word them. */
#define _GNU_SOURCE
#include "p9emu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The errno an error text arrives as through FUSE, which carries no text:
 * found by words in it, as APE's _syserrno does; EINVAL otherwise. */
int emu_errno(const char *text)
{
	static const struct {
		const char *words;
		int err;
	} map[] = {
		{"connection refused", ECONNREFUSED},
		{"connection timed out", ETIMEDOUT},
		{"no route", EHOSTUNREACH},
		{"not a local IP address", EADDRNOTAVAIL},
		{"address in use", EADDRINUSE},
		{"temporary problem", EAGAIN},
		{"dns failure", EAGAIN},
		{"too much activity", EAGAIN},
		{"can't translate", ENOENT},
		{"name does not exist", ENOENT},
		{"resource does not exist", ENODATA},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strstr(text, map[i].words))
			return map[i].err;
	return EINVAL;
}

/* ipserv(): a port number, "*", or a service name; tcp ports below 1024
 * that ndb/common marks restricted (rexec, rlogin, rsh) get "!r". */
static const char *ipserv(const char *net, const char *name, char *buf, size_t len)
{
	char *end;
	long port = strtol(name, &end, 10);

	if (strcmp(name, "*") == 0) {
		snprintf(buf, len, "*");
		return buf;
	}
	if (*name == '\0' || *end != '\0') {
		struct servent *se = getservbyname(name, strcmp(net, "udp") == 0 ? "udp" : "tcp");
		if (!se)
			return NULL;
		port = ntohs((uint16_t)se->s_port);
	}
	if (port < 0 || port > 65535)
		return NULL;
	int restricted = strcmp(net, "udp") != 0 && port >= 512 && port <= 514;
	snprintf(buf, len, "%ld%s", port, restricted ? "!r" : "");
	return buf;
}

/* The addresses ndb and dns give for a host; NULL: its error. */
static const char *ip_of(const char *host, const char *addrs[2])
{
	struct in6_addr a6;
	struct in_addr a4;

	addrs[0] = addrs[1] = NULL;
	if (inet_pton(AF_INET, host, &a4) == 1 || inet_pton(AF_INET6, host, &a6) == 1) {
		addrs[0] = host;
		return NULL;
	}
	if (strcmp(host, "localhost") == 0) { /* sys=localhost ip=127.0.0.1 ip=::1 */
		addrs[0] = "127.0.0.1";
		addrs[1] = "::1";
		return NULL;
	}
	if (strcmp(host, "servfail.example.test") == 0)
		return "temporary problem: dns: dns failure";
	return "can't translate address: dns: name does not exist";
}

const char *cs_ask(const char *q, struct answers *a)
{
	char net[16], host[128], serv[64], ts[80];
	const char *addrs[2];

	a->n = 0;
	if (sscanf(q, "%15[^!]!%127[^!]!%63[^!]", net, host, serv) != 3)
		return "bad query";
	if (!ipserv(net, serv, ts, sizeof ts))
		return "can't translate service";
	/* lookup(): "net" tries the default networks in turn (9front's table
	 * starts with IL, marked fasttimeout); a network of its own is asked
	 * alone; an unknown one is answered untranslated. */
	static const char *const nets4e[] = {"tcp", "udp"}, *const nets9[] = {"il", "tcp", "udp"};
	const char *const *nets = edition.ninefront ? nets9 : nets4e;
	const char *one[1] = {net};
	int nnets = edition.ninefront ? 3 : 2;
	if (strcmp(net, "net") != 0) {
		if (strcmp(net, "tcp") != 0 && strcmp(net, "udp") != 0) {
			snprintf(a->text[a->n++], sizeof a->text[0], "%s/%s/clone %s!%s", edition.mntpt, net, host, serv);
			return NULL;
		}
		nets = one;
		nnets = 1;
	}
	if (strcmp(host, "*") == 0) {
		/* iptrans(): the wildcard needs no address, only the port */
		for (int i = 0; i < nnets; i++)
			snprintf(a->text[a->n++], sizeof a->text[0], "%s/%s/clone %s", edition.mntpt, nets[i], ts);
		return NULL;
	}
	const char *err = ip_of(host, addrs);
	if (err)
		return err;
	for (int i = 0; i < nnets; i++) {
		int fast = strcmp(nets[i], "il") == 0;
		for (int k = 0; k < 2 && addrs[k] && a->n < 8; k++)
			snprintf(a->text[a->n++], sizeof a->text[0], "%s/%s/clone %s!%s%s", edition.mntpt, nets[i],
				 addrs[k], ts, fast ? "!fasttimeout" : "");
	}
	return NULL;
}

/* Records as rrfmt prints them: "owner type\t...", SRV as priority,
 * weight, port, target. */
static const char *const records[] = {
	"www.example.test cname\tcanon.example.test",
	"plain.example.test ip\t192.0.2.7",
	"_xmpp._tcp.example.test srv\t5 20 5269 b.example.test",
	"_xmpp._tcp.example.test srv\t60 10 5270 a.example.test",
	"example.test mx\t30 mx2.example.test",
	"example.test mx\t10 mx1.example.test",
	"1.0.0.127.in-addr.arpa ptr\tlocalhost",
};

const char *dns_ask(const char *q, struct answers *a)
{
	char name[200], type[16];
	int known = 0;

	a->n = 0;
	if (sscanf(q, "%199s %15s", name, type) != 2)
		return "illegal request";
	size_t nl = strlen(name);
	if (nl > 1 && name[nl - 1] == '.')
		name[nl - 1] = '\0'; /* rooted */
	if (strcmp(name, "servfail.example.test") == 0)
		return "dns failure";
	for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
		char rn[200], rt[16];
		if (sscanf(records[i], "%199s %15s", rn, rt) != 2 || strcmp(rn, name) != 0)
			continue;
		known = 1;
		if (strcmp(rt, type) == 0 && a->n < 8)
			snprintf(a->text[a->n++], sizeof a->text[0], "%s", records[i]);
	}
	if (a->n)
		return NULL;
	if (!known)
		return "name does not exist";
	/* respond() with rcode Rok: the name is there, the type is not */
	return edition.ninefront ? "resource does not exist; negrcode 0 (ok)" : "resource does not exist; negrcode 0";
}
