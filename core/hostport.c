/* SPDX-License-Identifier: MIT */
/* host:port splitting and joining, as Go's SplitHostPort and JoinHostPort. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* Go's AddrError: "address ADDR: why", or why alone for an empty ADDR. */
int ifplex__addr_error(int code, const char *addr, const char *why)
{
	if (!addr || !*addr)
		return ifplex__set_errorf(code, "%s", why);
	return ifplex__set_errorf(code, "address %s: %s", addr, why);
}

static int refuse(const char **why, const char *reason, int code)
{
	*why = reason;
	return code;
}

int ifplex__split_host_port(const char *hostport, char *host, size_t hostlen, char *port,
			    size_t portlen, const char **why)
{
	static const char missing_port[] = "missing port in address";
	static const char too_many_colons[] = "too many colons in address";
	size_t j = 0, k = 0, hstart, hend;
	const char *last = strrchr(hostport, ':');

	host[0] = port[0] = '\0';
	if (!last)
		return refuse(why, missing_port, IFPLEX_EMISSINGPORT);
	size_t i = (size_t)(last - hostport), n = strlen(hostport);

	if (hostport[0] == '[') {
		const char *close = strchr(hostport, ']');
		if (!close)
			return refuse(why, "missing ']' in address", IFPLEX_EBADADDR);
		size_t end = (size_t)(close - hostport);
		if (end + 1 == n)
			return refuse(why, missing_port, IFPLEX_EMISSINGPORT);
		if (end + 1 != i) {
			if (hostport[end + 1] == ':')
				return refuse(why, too_many_colons, IFPLEX_EBADADDR);
			return refuse(why, missing_port, IFPLEX_EMISSINGPORT);
		}
		hstart = 1;
		hend = end;
		j = 1;
		k = end + 1;
	} else {
		hstart = 0;
		hend = i;
		if (memchr(hostport, ':', i))
			return refuse(why, too_many_colons, IFPLEX_EBADADDR);
	}
	if (strchr(hostport + j, '['))
		return refuse(why, "unexpected '[' in address", IFPLEX_EBADADDR);
	if (strchr(hostport + k, ']'))
		return refuse(why, "unexpected ']' in address", IFPLEX_EBADADDR);
	if (hend - hstart >= hostlen || n - i - 1 >= portlen)
		return refuse(why, "host or port longer than its buffer", IFPLEX_ESHORTBUF);
	memcpy(host, hostport + hstart, hend - hstart);
	host[hend - hstart] = '\0';
	memcpy(port, hostport + i + 1, n - i - 1);
	port[n - i - 1] = '\0';
	return 0;
}

int ifplex_split_host_port(const char *hostport, char *host, size_t hostlen, char *port,
			   size_t portlen)
{
	const char *why = NULL;

	if (!hostport || !host || !port || hostlen == 0 || portlen == 0)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_split_host_port",
				    "NULL argument or empty buffer");
	int rc = ifplex__split_host_port(hostport, host, hostlen, port, portlen, &why);
	return rc < 0 ? ifplex__addr_error(rc, hostport, why) : 0;
}

int ifplex_join_host_port(const char *host, const char *port, char *buf, size_t len)
{
	if (!host || !port || !buf)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_join_host_port", "NULL argument");
	int n = strchr(host, ':') ? snprintf(buf, len, "[%s]:%s", host, port)
				  : snprintf(buf, len, "%s:%s", host, port);
	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		return ifplex__fail(IFPLEX_ESHORTBUF, "ifplex_join_host_port", NULL);
	}
	return 0;
}
