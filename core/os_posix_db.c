/* SPDX-License-Identifier: MIT */
/* The C library's tables the value layer reads: error descriptions and the
 * IP protocol database.  Like os_posix.c, an OS file: a Win32 twin gives
 * the same two functions. */
#define _GNU_SOURCE
#include "internal.h"

#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
#define HAVE_STRERRORDESC_NP 1
#endif

/* Texts made once per errno and kept for the life of the process, for C
 * libraries without static descriptions (and numbers glibc does not know:
 * "Unknown error 2999"), so that a returned pointer never changes. */
static _Atomic(char *) interned[IFPLEX_EBASE];

static const char *intern(int errnum)
{
	char buf[256], *mine;
	char *seen = atomic_load(&interned[errnum]);

	if (seen)
		return seen;
	/* The GNU strerror_r may return a static string instead of filling buf. */
	const char *s = strerror_r(errnum, buf, sizeof buf);
	if (!(mine = strdup(s)))
		return "unknown error";
	if (!atomic_compare_exchange_strong(&interned[errnum], &seen, mine)) {
		free(mine);
		return seen;
	}
	return mine;
}

const char *ifplex__os_errtext(int errnum)
{
	if (errnum <= 0 || errnum >= IFPLEX_EBASE)
		return "unknown error";
#ifdef HAVE_STRERRORDESC_NP
	const char *s = strerrordesc_np(errnum);
	if (s)
		return s;
#endif
	return intern(errnum);
}

int ifplex__os_protocol(const char *lowername, int *proto)
{
	struct protoent pe, *r = NULL;
	char buf[1024];

	if (getprotobyname_r(lowername, &pe, buf, sizeof buf, &r) != 0 || !r)
		return -1;
	*proto = r->p_proto;
	return 0;
}
