/* SPDX-License-Identifier: MIT */
/* Run by test_secure as a set-uid or set-capability program: prints the
 * backend it got and why, or the error, on one line. */
#include <ifplex.h>
#include <stdio.h>

/* In a sanitizer build: LeakSanitizer cannot inspect a set-uid process,
 * and such a process cannot read its own environment's ASAN_OPTIONS. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

int main(void)
{
	const char *name = ifplex_backend_name();

	if (name)
		printf("active %s (%s)\n", name, ifplex_backend_reason());
	else
		printf("none: %s\n", ifplex_last_error());
	return 0;
}
