/* SPDX-License-Identifier: MIT */
/* Error codes, their text, and the per-thread record of the last failure. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static _Thread_local struct {
	int code;
	char text[1024];
	struct ifplex__pending pending; /* set by a plugin through host->fail* */
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
		unsigned i = (unsigned)(-(code + IFPLEX_EBASE));
		if (i < sizeof own / sizeof own[0] && own[i])
			return own[i];
		return "unknown ifplex error";
	}
	if (code > 0)
		return "not an error code";
	return ifplex__os_errtext(-code);
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

/* Length of the valid UTF-8 sequence at s[0..n) that is not a control
 * character (C1 controls are U+0080..U+009F), or 0. */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	uint32_t min = len == 4 ? 0x10000 : len == 3 ? 0x800 : 0x80;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4 || n < len)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp <= 0x9f)
		return 0;
	return len;
}

size_t ifplex__escape(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), o = 0;

	if (outlen == 0)
		return 0;
	for (size_t i = 0; i < n;) {
		char esc[8];
		size_t k = 0, take = 1;
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7f) {
			esc[k++] = (char)c;
		} else if (c >= 0x80 && (take = utf8_printable(s + i, n - i)) > 0) {
			memcpy(esc, s + i, take);
			k = take;
		} else {
			static const char named[] = "\a\b\f\n\r\t\v", letter[] = "abfnrtv";
			const char *p = c ? strchr(named, c) : NULL;
			take = 1;
			esc[k++] = '\\';
			if (p) {
				esc[k++] = letter[p - named];
			} else if (c == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f) {
				/* A C1 control is valid UTF-8: %q writes it as \u00XX. */
				memcpy(esc + k, "u00", 3);
				k += 3;
				esc[k++] = hex[s[i + 1] >> 4];
				esc[k++] = hex[s[i + 1] & 15];
				take = 2;
			} else {
				esc[k++] = 'x';
				esc[k++] = hex[c >> 4];
				esc[k++] = hex[c & 15];
			}
		}
		if (o + k >= outlen)
			break; /* never cut an escape or a character in half */
		memcpy(out + o, esc, k);
		o += k;
		i += take;
	}
	out[o] = '\0';
	return o;
}

int ifplex__set_errorf(int code, const char *fmt, ...)
{
	char tmp[sizeof tl.text];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	ifplex__escape(tmp, tl.text, sizeof tl.text);
	tl.code = code;
	return code;
}

int ifplex__fail(int code, const char *fn, const char *why)
{
	return ifplex__set_errorf(code, "%s: %s", fn, why ? why : ifplex_strerror(code));
}

void ifplex__pending_clear(void)
{
	tl.pending.syscall[0] = '\0';
	tl.pending.detail[0] = '\0';
}

void ifplex__pending_save(struct ifplex__pending *p)
{
	*p = tl.pending;
}

void ifplex__pending_restore(const struct ifplex__pending *p)
{
	tl.pending = *p;
}

int ifplex__host_fail(const char *syscall, int code)
{
	snprintf(tl.pending.syscall, sizeof tl.pending.syscall, "%s", syscall ? syscall : "");
	return code;
}

int ifplex__host_fail_text(const char *text, int code)
{
	snprintf(tl.pending.detail, sizeof tl.pending.detail, "%s", text ? text : "");
	return code;
}

/* Go prints an OS error in lower case ("connection refused") where the C
 * library capitalises it; an acronym ("EOF", "RPC") stays as it is. */
void ifplex__go_case(const char *text, char *out, size_t len)
{
	snprintf(out, len, "%s", text);
	if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z'))
		out[0] = (char)(out[0] - 'A' + 'a');
}

int ifplex__op_error(int code, const char *op, const char *net, const char *addr)
{
	const struct ifplex__pending *p = &tl.pending;
	char reason[sizeof p->detail + sizeof p->syscall + 160], why[160];

	ifplex__go_case(ifplex_strerror(code), why, sizeof why);
	if (p->detail[0])
		snprintf(reason, sizeof reason, "%s", p->detail);
	else if (p->syscall[0])
		snprintf(reason, sizeof reason, "%s: %s", p->syscall, why);
	else
		snprintf(reason, sizeof reason, "%s", why);
	ifplex__pending_clear();
	return ifplex__set_errorf(code, "%s%s%s%s%s: %s", op, net && *net ? " " : "", net ? net : "",
				  addr && *addr ? " " : "", addr ? addr : "", reason);
}
