/* host:port splitting and joining, as Go's SplitHostPort and JoinHostPort. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static int addr_error(const char *hostport, const char *why, int code, char *host, char *port)
{
	host[0] = '\0';
	port[0] = '\0';
	return ifplex__set_errorf(code, "address %s: %s", hostport, why);
}

int ifplex_split_host_port(const char *hostport, char *host, size_t hostlen, char *port,
			   size_t portlen)
{
	static const char missing_port[] = "missing port in address";
	static const char too_many_colons[] = "too many colons in address";
	size_t j = 0, k = 0, hstart, hend;

	if (!hostport || !host || !port || hostlen == 0 || portlen == 0)
		return IFPLEX_EINVAL;
	const char *last = strrchr(hostport, ':');
	if (!last)
		return addr_error(hostport, missing_port, IFPLEX_EMISSINGPORT, host, port);
	size_t i = (size_t)(last - hostport), n = strlen(hostport);

	if (hostport[0] == '[') {
		const char *close = strchr(hostport, ']');
		if (!close)
			return addr_error(hostport, "missing ']' in address", IFPLEX_EBADADDR, host, port);
		size_t end = (size_t)(close - hostport);
		if (end + 1 == n)
			return addr_error(hostport, missing_port, IFPLEX_EMISSINGPORT, host, port);
		if (end + 1 != i) {
			if (hostport[end + 1] == ':')
				return addr_error(hostport, too_many_colons, IFPLEX_EBADADDR, host, port);
			return addr_error(hostport, missing_port, IFPLEX_EMISSINGPORT, host, port);
		}
		hstart = 1;
		hend = end;
		j = 1;
		k = end + 1;
	} else {
		hstart = 0;
		hend = i;
		if (memchr(hostport, ':', i))
			return addr_error(hostport, too_many_colons, IFPLEX_EBADADDR, host, port);
	}
	if (strchr(hostport + j, '['))
		return addr_error(hostport, "unexpected '[' in address", IFPLEX_EBADADDR, host, port);
	if (strchr(hostport + k, ']'))
		return addr_error(hostport, "unexpected ']' in address", IFPLEX_EBADADDR, host, port);
	if (hend - hstart >= hostlen || n - i - 1 >= portlen) {
		host[0] = port[0] = '\0';
		return ifplex__set_errorf(IFPLEX_ESHORTBUF, "address %s: too long", hostport);
	}
	memcpy(host, hostport + hstart, hend - hstart);
	host[hend - hstart] = '\0';
	memcpy(port, hostport + i + 1, n - i - 1);
	port[n - i - 1] = '\0';
	return 0;
}

int ifplex_join_host_port(const char *host, const char *port, char *buf, size_t len)
{
	if (!host || !port || !buf)
		return IFPLEX_EINVAL;
	int n = strchr(host, ':') ? snprintf(buf, len, "[%s]:%s", host, port)
				  : snprintf(buf, len, "%s:%s", host, port);
	if (n < 0 || (size_t)n >= len) {
		if (len)
			buf[0] = '\0';
		return IFPLEX_ESHORTBUF;
	}
	return 0;
}
