/* SPDX-License-Identifier: MIT */
/* Driven by test_close, under valgrind or in a sanitizer build: dial a
 * connection of the fake backend and misuse it as argv[1] says:
 *   double  close it twice (the second must answer IFPLEX_ECLOSED)
 *   after   read from it after closing it (a use after free)
 * Exits 0 when the library answered as documented and nothing crashed. */
#include <ifplex.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	ifplex_conn *c;
	char buf[8];
	size_t n;

	if (argc != 2)
		return 2;
	if (ifplex_dial("udp", "192.0.2.2:53", &c) != 0) {
		fprintf(stderr, "dial: %s\n", ifplex_last_error());
		return 3;
	}
	if (ifplex_close(c) != 0)
		return 4;
	if (strcmp(argv[1], "double") == 0)
		return ifplex_close(c) == IFPLEX_ECLOSED ? 0 : 5;
	if (strcmp(argv[1], "after") == 0)
		return ifplex_read(c, buf, sizeof buf, &n) == IFPLEX_ECLOSED ? 0 : 6;
	return 2;
}
