/* SPDX-License-Identifier: MIT */
/* UTF-8 and UTF-16, and Windows error codes as the core's codes with the
 * system's own text, as Go prints a syscall.Errno on Windows. */
#include "w32.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

int w32_to_wide(const char *s, wchar_t *w, size_t n)
{
	if (n == 0 || n > INT_MAX)
		return IFPLEX_ESHORTBUF;
	int k = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, (int)n);
	if (k > 0)
		return 0;
	return GetLastError() == ERROR_INSUFFICIENT_BUFFER ? IFPLEX_ESHORTBUF : IFPLEX_EINVAL;
}

int w32_to_utf8(const wchar_t *w, char *s, size_t n)
{
	if (n == 0 || n > INT_MAX)
		return IFPLEX_ESHORTBUF;
	int k = WideCharToMultiByte(CP_UTF8, 0, w, -1, s, (int)n, NULL, NULL);
	if (k > 0)
		return 0;
	return GetLastError() == ERROR_INSUFFICIENT_BUFFER ? IFPLEX_ESHORTBUF : IFPLEX_EINVAL;
}

static const struct {
	DWORD err;
	int code;
} codes[] = {
	{WSAEINTR, -EINTR},
	{WSAEBADF, -EBADF},
	{WSAEACCES, -EACCES},
	{ERROR_ACCESS_DENIED, -EACCES},
	{WSAEFAULT, -EFAULT},
	{WSAEINVAL, -EINVAL},
	{ERROR_INVALID_PARAMETER, -EINVAL},
	{WSAEMFILE, -EMFILE},
	{WSAEWOULDBLOCK, -EWOULDBLOCK},
	{WSAEINPROGRESS, -EINPROGRESS},
	{WSAEALREADY, -EALREADY},
	{WSAENOTSOCK, -ENOTSOCK},
	{WSAEDESTADDRREQ, -EDESTADDRREQ},
	{WSAEMSGSIZE, -EMSGSIZE},
	{WSAEPROTOTYPE, -EPROTOTYPE},
	{WSAENOPROTOOPT, -ENOPROTOOPT},
	{WSAEPROTONOSUPPORT, -EPROTONOSUPPORT},
	{WSAESOCKTNOSUPPORT, -EPROTONOSUPPORT},
	{WSAEOPNOTSUPP, -EOPNOTSUPP},
	{WSAEPFNOSUPPORT, -EAFNOSUPPORT},
	{WSAEAFNOSUPPORT, -EAFNOSUPPORT},
	{WSAEADDRINUSE, -EADDRINUSE},
	{WSAEADDRNOTAVAIL, -EADDRNOTAVAIL},
	{WSAENETDOWN, -ENETDOWN},
	{WSAENETUNREACH, -ENETUNREACH},
	{WSAENETRESET, -ENETRESET},
	{WSAECONNABORTED, -ECONNABORTED},
	{WSAECONNRESET, -ECONNRESET},
	{WSAENOBUFS, -ENOBUFS},
	{ERROR_NOT_ENOUGH_MEMORY, IFPLEX_ENOMEM},
	{ERROR_OUTOFMEMORY, IFPLEX_ENOMEM},
	{WSAEISCONN, -EISCONN},
	{WSAENOTCONN, -ENOTCONN},
	{WSAESHUTDOWN, -EPIPE},
	{WSAETIMEDOUT, -ETIMEDOUT},
	{WSAECONNREFUSED, -ECONNREFUSED},
	{WSAELOOP, -ELOOP},
	{WSAENAMETOOLONG, -ENAMETOOLONG},
	{WSAEHOSTDOWN, -EHOSTUNREACH},
	{WSAEHOSTUNREACH, -EHOSTUNREACH},
	{WSAHOST_NOT_FOUND, IFPLEX_ENOTFOUND},
	{WSANO_DATA, IFPLEX_ENOTFOUND},
	{WSATYPE_NOT_FOUND, IFPLEX_EBADPORT},
	{WSATRY_AGAIN, IFPLEX_ELOOKUPAGAIN},
};

int w32_code(DWORD err)
{
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i].err == err)
			return codes[i].code;
	return -EIO;
}

int w32_fail_hint(const char *syscall, DWORD err, int code, const char *hint)
{
	wchar_t w[512];
	char text[600];
	DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
				 err, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), w,
				 sizeof w / sizeof w[0], NULL);
	if (n == 0)
		n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
				   err, 0, w, sizeof w / sizeof w[0], NULL);
	/* Without a system text (wine lacks many), the words of the code
	 * returned, and the system's number. */
	if (n == 0 || w32_to_utf8(w, text, sizeof text) < 0)
		snprintf(text, sizeof text, "%s (error %lu)", ifplex_strerror(code),
			 (unsigned long)err);
	/* Go trims the line break FormatMessage ends with. */
	size_t k = strlen(text);
	while (k > 0 && (text[k - 1] == '\r' || text[k - 1] == '\n' || text[k - 1] == ' '))
		text[--k] = '\0';
	char msg[800];
	snprintf(msg, sizeof msg, "%s: %s%s%s", syscall, text, hint ? " " : "", hint ? hint : "");
	return w32_host->fail_text(msg, code);
}

int w32_fail_code(const char *syscall, DWORD err, int code)
{
	return w32_fail_hint(syscall, err, code, NULL);
}

int w32_fail(const char *syscall, DWORD err)
{
	return w32_fail_code(syscall, err, w32_code(err));
}
