/* Error codes, their text, and the per-thread record of the last failure. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static _Thread_local struct {
	int code;
	char text[1024];
	char syscall[64];   /* set by a plugin through host->fail */
	char detail[512];   /* set by a plugin through host->fail_text */
	char oserr[128];    /* ifplex_strerror's buffer for OS codes */
} tl;

static const char *const own[] = {
	[1] = "unknown network",
	[2] = "invalid address",
	[3] = "invalid port",
	[4] = "missing address",
	[5] = "no such network interface",
	[6] = "operation not supported by this backend",
	[7] = "no backend available",
	[8] = "i/o timeout",
	[9] = "unusable plugin",
	[10] = "use of closed network connection",
	[11] = "EOF",
	[12] = "no such host",
	[13] = "temporary failure in name resolution",
	[14] = "malformed data from the operating system",
	[15] = "buffer too small",
	[16] = "invalid argument",
	[17] = "out of memory",
	[18] = "missing port in address",
};

const char *ifplex_strerror(int code)
{
	if (code == 0)
		return "success";
	if (code <= -IFPLEX_EBASE) {
		unsigned i = (unsigned)(-code - IFPLEX_EBASE);
		if (i < sizeof own / sizeof own[0] && own[i])
			return own[i];
		return "unknown ifplex error";
	}
	if (code > 0)
		return "not an error code";
	/* Go prints OS errors in lower case: "connection refused". */
	ifplex__os_strerror(-code, tl.oserr, sizeof tl.oserr);
	if (tl.oserr[0] >= 'A' && tl.oserr[0] <= 'Z' && !(tl.oserr[1] >= 'A' && tl.oserr[1] <= 'Z'))
		tl.oserr[0] = (char)(tl.oserr[0] + 32);
	return tl.oserr;
}

const char *ifplex_last_error(void)
{
	return tl.text;
}

int ifplex_last_error_code(void)
{
	return tl.code;
}

const char *ifplex__last_message(void)
{
	return tl.text;
}

int ifplex_is_timeout(int code)
{
	return code == IFPLEX_ETIMEDOUT;
}

int ifplex__set_errorf(int code, const char *fmt, ...)
{
	char tmp[sizeof tl.text];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	memcpy(tl.text, tmp, sizeof tmp);
	tl.code = code;
	return code;
}

void ifplex__pending_clear(void)
{
	tl.syscall[0] = '\0';
	tl.detail[0] = '\0';
}

int ifplex__host_fail(const char *syscall, int code)
{
	snprintf(tl.syscall, sizeof tl.syscall, "%s", syscall ? syscall : "");
	return code;
}

int ifplex__host_fail_text(const char *text, int code)
{
	snprintf(tl.detail, sizeof tl.detail, "%s", text ? text : "");
	return code;
}

int ifplex__op_error(int code, const char *op, const char *net, const char *addr)
{
	char reason[sizeof tl.detail + sizeof tl.syscall + 160];

	if (tl.detail[0])
		snprintf(reason, sizeof reason, "%s", tl.detail);
	else if (tl.syscall[0])
		snprintf(reason, sizeof reason, "%s: %s", tl.syscall, ifplex_strerror(code));
	else
		snprintf(reason, sizeof reason, "%s", ifplex_strerror(code));
	ifplex__pending_clear();
	return ifplex__set_errorf(code, "%s%s%s%s%s: %s", op, net && *net ? " " : "", net ? net : "",
				  addr && *addr ? " " : "", addr ? addr : "", reason);
}
