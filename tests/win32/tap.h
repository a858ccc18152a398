/* SPDX-License-Identifier: MIT */
/* A small TAP harness for the Windows test programs: check is not built
 * for mingw-w64.  Automake's tap-driver.sh reads what these print. */
#ifndef IFPLEX_TESTS_TAP_H
#define IFPLEX_TESTS_TAP_H

#include <fcntl.h>
#include <io.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed;

/* Plain "\n" line ends: tap-driver.sh reads no "1..N\r" as a plan. */
__attribute__((constructor)) static void tap_binary_stdout(void)
{
	_setmode(_fileno(stdout), _O_BINARY);
}

/* One test point; returns cond so that a caller can stop early. */
static inline int tap_ok(int cond, const char *fmt, ...) __attribute__((format(gnu_printf, 2, 3)));
static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

/* A line of explanation, shown in the log. */
static inline void tap_diag(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* The plan goes last, once the number of points is known. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

/* Stop the whole program: a later point cannot run without this one. */
static inline void tap_bail(const char *why)
{
	printf("Bail out! %s\n", why);
	fflush(stdout);
	exit(1);
}

#endif
