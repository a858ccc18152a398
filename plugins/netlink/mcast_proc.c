/* SPDX-License-Identifier: MIT */
/* Multicast group memberships from /proc/net/igmp and /proc/net/igmp6.
 * Each line is checked; a line that does not parse is skipped, never
 * trusted. */
#include "nl.h"
#include "../common/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int push_group(struct vec *v, int index, const uint8_t *ip, int len, const char *zone)
{
	struct ifplex_addr *a = vec_push(v);

	if (!a)
		return IFPLEX_ENOMEM;
	a->index = index;
	a->ip.len = (uint8_t)len;
	memcpy(a->ip.b, ip, (size_t)len);
	a->prefixlen = len * 8;
	/* Interface- and link-local IPv6 groups are scoped to the interface. */
	if (len == 16 && ip[0] == 0xff && ((ip[1] & 0x0f) == 1 || (ip[1] & 0x0f) == 2))
		snprintf(a->zone, sizeof a->zone, "%s", zone);
	return 0;
}

/* "1\tlo        :     1      V3" starts a device; "\t\t\t\t010000E0 ..." is a group. */
static int parse_igmp(FILE *f, int want, struct vec *v)
{
	char line[512], dev[IFPLEX_NAME_MAX] = "";
	int index = 0;

	if (!fgets(line, sizeof line, f))
		return 0; /* header */
	while (fgets(line, sizeof line, f)) {
		if (line[0] != '\t') {
			int idx;
			char name[64];
			if (sscanf(line, "%d %63s", &idx, name) == 2 && idx > 0) {
				index = idx;
				snprintf(dev, sizeof dev, "%s", name);
			} else {
				index = 0;
			}
			continue;
		}
		const char *p = line + strspn(line, "\t ");
		uint8_t b[4];
		if (index <= 0 || strspn(p, "0123456789abcdefABCDEF") != 8)
			continue;
		/* The kernel prints the big-endian word as a host integer. */
		uint32_t word = (uint32_t)strtoul(p, NULL, 16);
		memcpy(b, &word, 4);
		if ((!want || want == index) && push_group(v, index, b, 4, dev) < 0)
			return IFPLEX_ENOMEM;
	}
	return 0;
}

/* "1    lo              ff020000000000000000000000000001     1 0000000C 0" */
static int parse_igmp6(FILE *f, int want, struct vec *v)
{
	char line[512];

	while (fgets(line, sizeof line, f)) {
		int index;
		char name[64], hex[40];
		uint8_t b[16];
		if (sscanf(line, "%d %63s %39s", &index, name, hex) != 3 || index <= 0 || strlen(hex) != 32)
			continue;
		int ok = 1;
		for (int i = 0; i < 16 && ok; i++)
			ok = hex_byte(hex + 2 * i, &b[i]) == 0;
		if (ok && (!want || want == index) && push_group(v, index, b, 16, name) < 0)
			return IFPLEX_ENOMEM;
	}
	return 0;
}

int mcast_proc(const char *procdir, int family, int index, struct vec *v)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", procdir, family == 4 ? "igmp" : "igmp6");
	FILE *f = fopen(path, "re");
	if (!f)
		return 0; /* a kernel without IPv6 has no igmp6 */
	int rc = family == 4 ? parse_igmp(f, index, v) : parse_igmp6(f, index, v);
	fclose(f);
	return rc;
}
