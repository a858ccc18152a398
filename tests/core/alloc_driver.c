/* SPDX-License-Identifier: MIT */
/* Driven by test_transient under the allocation-failure interposer
 * (tests/fake/failalloc.c): fail the N-th allocation of the first call,
 * which loads and opens the backend, then make the same call again.
 * Prints "reached first second count"; exits 0 when the second call
 * succeeded. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>

#include "list_once.h"

int main(int argc, char **argv)
{
	void (*arm)(long) = (void (*)(long))dlsym(RTLD_DEFAULT, "ifplex_failalloc_arm");
	int (*disarm)(long *) = (int (*)(long *))dlsym(RTLD_DEFAULT, "ifplex_failalloc_disarm");
	long count = 0;

	if (argc != 2 || !arm || !disarm) {
		fprintf(stderr, "usage: LD_PRELOAD=failalloc.so alloc_driver N\n");
		return 2;
	}
	arm(atol(argv[1]));
	int first = list_once();
	int reached = disarm(&count);
	int second = list_once();
	printf("%d %d %d %ld\n", reached, first, second, count);
	if (second != 0)
		fprintf(stderr, "second call: %s\n", ifplex_last_error());
	return second == 0 ? 0 : 1;
}
