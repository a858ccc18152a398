/* SPDX-License-Identifier: MIT */
/* A failed call on a /net file, named in the words of the Plan 9 kernel and
 * ndb.  On Plan 9 the text comes with the failure itself (errstr); where
 * the tree is reached through a Unix file system (FUSE, a 9P mount) only
 * an errno crosses, and the pairs below name it again.  tests/plan9/p9emu.c
 * turns the same texts into the same errno values. */
#include "p9.h"

#include <errno.h>
#include <stdio.h>

struct said {
	int err;
	enum p9_asked asked;
	const char *text;
	int code;             /* the ifplex code; 0: -err */
};

static const struct said said[] = {
	/* devip.c, the ctl write of connect or announce: connectctlmsg with
	 * tcp.c's localclose reasons, setladdrport, setluniqueport */
	{ECONNREFUSED, P9_CTL, "connection refused", 0},
	{ETIMEDOUT, P9_CTL, "connection timed out", 0},
	{EHOSTUNREACH, P9_CTL, "no route", 0},
	{EADDRNOTAVAIL, P9_CTL, "not a local IP address", 0},
	{EADDRINUSE, P9_CTL, "address in use", 0},
	/* ndb/cs.c: rwrite's reply "cs: %s", dnsiplookup's temporary problem */
	{ENOENT, P9_CS_HOST, "cs: can't translate address", IFPLEX_ENOTFOUND},
	{ENOENT, P9_CS_SERVICE, "cs: can't translate service", IFPLEX_ENOTFOUND},
	{EAGAIN, P9_CS_HOST, "cs: temporary problem: dns: dns failure", IFPLEX_ELOOKUPAGAIN},
	{EAGAIN, P9_CS_SERVICE, "cs: temporary problem: dns: dns failure", IFPLEX_ELOOKUPAGAIN},
	/* ndb/dns.c: respond() and sendmsg's "dns: %s" */
	{ENOENT, P9_DNS, "dns: name does not exist", IFPLEX_ENOTFOUND},
#ifdef ENODATA
	{ENODATA, P9_DNS, "dns: resource does not exist; negrcode 0", IFPLEX_ENOTFOUND},
#endif
	{EAGAIN, P9_DNS, "dns: dns failure", IFPLEX_ELOOKUPAGAIN},
};

int p9_fail(struct p9 *p, enum p9_asked asked, const char *op, int err)
{
	if (err <= -IFPLEX_EBASE)
		return err; /* already an ifplex code, already recorded */
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++) {
		if (said[i].err != err || said[i].asked != asked)
			continue;
		int code = said[i].code ? said[i].code : -err;
		if (asked != P9_CTL)
			return p->host->fail_text(said[i].text, code);
		char msg[160];
		snprintf(msg, sizeof msg, "%s: %s", op, said[i].text);
		return p->host->fail_text(msg, code);
	}
	return p->host->fail(op, -err);
}
