/* SPDX-License-Identifier: MIT */
/* Interface flags as the routesock fixtures write them. */
#ifndef IFPLEX_TEST_RS_FLAG_TEXT_H
#define IFPLEX_TEST_RS_FLAG_TEXT_H

#include <ifplex.h>

#include <stdio.h>
#include <string.h>

/* Go's flag names in the fixtures' order, "0" for none. */
static inline const char *rs_flag_text(unsigned flags, char *buf, size_t len)
{
	static const char *const names[] = {"up", "broadcast", "loopback", "pointtopoint", "multicast", "running"};
	static const unsigned bits[] = {IFPLEX_IFF_UP, IFPLEX_IFF_BROADCAST, IFPLEX_IFF_LOOPBACK,
					IFPLEX_IFF_POINTTOPOINT, IFPLEX_IFF_MULTICAST, IFPLEX_IFF_RUNNING};
	buf[0] = '\0';
	for (int i = 0; i < 6; i++)
		if (flags & bits[i])
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "|" : "", names[i]);
	if (!buf[0])
		snprintf(buf, len, "0");
	return buf;
}

#endif
