/* SPDX-License-Identifier: MIT */
/* Name service lookups: for each argument, the addresses and canonical name
 * of a host name, or the names of an address; then a service's port. */
#include <ifplex.h>
#include <stdio.h>
#include <string.h>

static int lookup_host(const char *name)
{
	struct ifplex_ip *ips;
	size_t n;
	char cname[IFPLEX_HOST_MAX];

	if (ifplex_lookup_ip(NULL, name, &ips, &n) < 0)
		return -1;
	printf("%s:", name);
	for (size_t i = 0; i < n; i++) {
		char text[IFPLEX_IP_STRLEN];
		ifplex_ip_string(&ips[i], text, sizeof text);
		printf(" %s", text);
	}
	ifplex_free(ips);
	if (ifplex_lookup_cname(name, cname, sizeof cname) == 0)
		printf(" (canonical name %s)", cname);
	putchar('\n');
	return 0;
}

static int lookup_addr(const char *addr)
{
	char **names;
	size_t n;

	if (ifplex_lookup_addr(addr, &names, &n) < 0)
		return -1;
	printf("%s:", addr);
	for (size_t i = 0; i < n; i++)
		printf(" %s", names[i]);
	putchar('\n');
	ifplex_free(names);   /* the strings live in the same allocation */
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: lookup NAME|ADDRESS|SERVICE/tcp ...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct ifplex_ip ip;
		const char *slash = strchr(argv[i], '/');
		int rc;

		if (slash) {
			char service[64];
			int port;
			snprintf(service, sizeof service, "%.*s", (int)(slash - argv[i]), argv[i]);
			if ((rc = ifplex_lookup_port(slash + 1, service, &port)) == 0)
				printf("%s: port %d\n", argv[i], port);
		} else if (ifplex_ip_parse(argv[i], &ip) == 0) {
			rc = lookup_addr(argv[i]);
		} else {
			rc = lookup_host(argv[i]);
		}
		if (rc < 0) {
			/* The error names the operation and the name, as Go's does. */
			fprintf(stderr, "lookup: %s\n", ifplex_last_error());
			failed = 1;
		}
	}
	return failed;
}
