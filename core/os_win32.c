/* SPDX-License-Identifier: MIT */
/* The core's window on Windows: LoadLibraryW, SRWLOCKs, fiber-local
 * storage, the environment, the performance counter.  The twin of
 * os_posix.c and the only file of the core that includes <windows.h>.
 * Every path and environment string crosses the API as UTF-16 and is
 * UTF-8 everywhere else. */
#define WIN32_LEAN_AND_MEAN
#include "internal.h"

#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Windows has no fork(): a new process starts from an image, never from a
 * copy of this one's memory and locks, so the core needs none of the fork
 * handlers os_posix.c registers. */
static SRWLOCK locks[IFPLEX__NLOCKS] = {SRWLOCK_INIT, SRWLOCK_INIT, SRWLOCK_INIT, SRWLOCK_INIT};

void ifplex__lock(int which)
{
	AcquireSRWLockExclusive(&locks[which]);
}

void ifplex__unlock(int which)
{
	ReleaseSRWLockExclusive(&locks[which]);
}

wchar_t *ifplex__wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	if (n <= 0)
		return NULL;
	wchar_t *w = malloc((size_t)n * sizeof *w);
	if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
		free(w);
		w = NULL;
	}
	return w;
}

char *ifplex__utf8(const wchar_t *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	if (n <= 0)
		return NULL;
	char *s = malloc((size_t)n);
	if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
		free(s);
		s = NULL;
	}
	return s;
}

void ifplex__win_message(unsigned long code, const char *file, char *buf, size_t len)
{
	wchar_t w[512];
	DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
				 code, 0, w, sizeof w / sizeof w[0], NULL);
	char *s = n ? ifplex__utf8(w) : NULL;

	if (!s) {
		snprintf(buf, len, "error %lu", (unsigned long)code);
		return;
	}
	size_t k = strlen(s);
	while (k > 0 && (s[k - 1] == '\r' || s[k - 1] == '\n' || s[k - 1] == ' '))
		s[--k] = '\0';
	const char *ins = strstr(s, "%1");
	if (ins)
		snprintf(buf, len, "%.*s%s%s (error %lu)", (int)(ins - s), s, file, ins + 2,
			 (unsigned long)code);
	else
		snprintf(buf, len, "%s (error %lu)", s, (unsigned long)code);
	free(s);
}

/* One kept block per thread, with its capacity; freed when the thread
 * ends by the fiber-local storage callback. */
static DWORD kept_slot = FLS_OUT_OF_INDEXES;
static INIT_ONCE kept_once = INIT_ONCE_STATIC_INIT;

static void WINAPI kept_destroy(void *p)
{
	struct ifplex__kept *k = p;

	if (k) {
		if (k->block)
			k->release(k->block);
		free(k);
	}
}

static BOOL CALLBACK kept_init(INIT_ONCE *once, void *param, void **ctx)
{
	kept_slot = FlsAlloc(kept_destroy);
	return TRUE;
}

struct ifplex__kept *ifplex__kept_get(void)
{
	InitOnceExecuteOnce(&kept_once, kept_init, NULL, NULL);
	if (kept_slot == FLS_OUT_OF_INDEXES)
		return NULL;
	struct ifplex__kept *k = FlsGetValue(kept_slot);
	if (!k && (k = calloc(1, sizeof *k)) != NULL && !FlsSetValue(kept_slot, k)) {
		free(k);
		k = NULL;
	}
	return k;
}

/* No fork on Windows: nothing to order. */
void ifplex__fork_order(void)
{
}

int ifplex__win_errno(unsigned long code)
{
	switch (code) {
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
	case ERROR_COMMITMENT_LIMIT:
	case ERROR_NO_SYSTEM_RESOURCES:
		return -ENOMEM;
	case ERROR_TOO_MANY_OPEN_FILES:
		return -EMFILE;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_NET_NAME:
	case ERROR_INVALID_DRIVE:
		return -ENOENT;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
		return -EACCES;
	case ERROR_INVALID_NAME:
	case ERROR_BAD_PATHNAME:
	case ERROR_DIRECTORY:
		return -EINVAL;
	case ERROR_FILENAME_EXCED_RANGE:
		return -ENAMETOOLONG;
	default:
		return -EIO;
	}
}

void *ifplex__dl_open(const char *path, char *err, size_t errlen, int *code)
{
	wchar_t *w = ifplex__wide(path);

	if (!w) {
		int bad = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0) <= 0;
		snprintf(err, errlen, "%s", bad ? "the path is not valid UTF-8" : "out of memory");
		*code = bad ? IFPLEX_EBADPLUGIN : -ENOMEM;
		return NULL;
	}
	/* LoadLibraryExW wants backslashes for its altered search path, which
	 * finds a plugin's own dependencies beside it. */
	for (wchar_t *p = w; *p; p++)
		if (*p == L'/')
			*p = L'\\';
	/* A missing dependency must fail the call, never open a dialog. */
	DWORD old_mode;
	BOOL set = SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX, &old_mode);
	HMODULE h = LoadLibraryExW(w, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
	DWORD e = GetLastError();
	if (set)
		SetThreadErrorMode(old_mode, NULL);
	free(w);
	if (!h) {
		ifplex__win_message(e, path, err, errlen);
		/* Only a lack of memory or handles may pass by itself; every
		 * other failure is the file's and is remembered. */
		int c = ifplex__win_errno(e);
		*code = c == -ENOMEM || c == -EMFILE ? c : IFPLEX_EBADPLUGIN;
	}
	return (void *)h;
}

void *ifplex__dl_sym(void *h, const char *sym, char *err, size_t errlen)
{
	FARPROC p = GetProcAddress((HMODULE)h, sym);
	void *v;

	if (!p) {
		ifplex__win_message(GetLastError(), sym, err, errlen);
		return NULL;
	}
	memcpy(&v, &p, sizeof v);
	return v;
}

int ifplex__path_exists(const char *path)
{
	wchar_t *w = ifplex__wide(path);

	if (!w)
		return MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0) <= 0
			       ? -EINVAL
			       : -ENOMEM;
	DWORD a = GetFileAttributesW(w);
	DWORD e = GetLastError();
	free(w);
	if (a != INVALID_FILE_ATTRIBUTES)
		return 1;
	int c = ifplex__win_errno(e);
	/* A name Windows cannot have names nothing, as ENOTDIR does on POSIX. */
	return c == -ENOENT || c == -EINVAL ? 0 : c;
}

static int is_slash(char c)
{
	return c == '/' || c == '\\';
}

/* "C:\x" and "C:/x", "\\server\share" and "\\?\..."; neither "C:x" (relative
 * to drive C's current directory) nor "\x" (to the current drive). */
int ifplex__path_is_absolute(const char *path)
{
	if (((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) &&
	    path[1] == ':' && is_slash(path[2]))
		return 1;
	return is_slash(path[0]) && is_slash(path[1]) && path[2] && !is_slash(path[2]);
}

/* The errno-style codes are the POSIX build's: Win32 errors reach the
 * loader through ifplex__win_errno. */
int ifplex__transient(int code)
{
	return code == IFPLEX_ENOMEM || code == -ENOMEM || code == -EMFILE || code == -ENFILE ||
	       code == -EAGAIN || code == -ENOBUFS || code == -EINTR;
}

/*
 * Environment values live as long as the process: callers keep the
 * pointer (the cache mode lent to a plugin, the search path), as they may
 * with secure_getenv's.  Each distinct (name, value) pair is stored once,
 * so memory grows only when the environment itself changes.
 */
struct envval {
	struct envval *next;
	char *name;
	char *value;
};
static struct envval *envvals;
static SRWLOCK env_lock = SRWLOCK_INIT;

static const char *env_intern(const char *name, const char *value)
{
	struct envval *e;

	AcquireSRWLockExclusive(&env_lock);
	for (e = envvals; e; e = e->next)
		if (strcmp(e->name, name) == 0 && strcmp(e->value, value) == 0)
			break;
	if (!e && (e = calloc(1, sizeof *e)) != NULL) {
		e->name = strdup(name);
		e->value = strdup(value);
		if (!e->name || !e->value) {
			free(e->name);
			free(e->value);
			free(e);
			e = NULL;
		} else {
			e->next = envvals;
			envvals = e;
		}
	}
	ReleaseSRWLockExclusive(&env_lock);
	return e ? e->value : NULL;
}

const char *ifplex__getenv(const char *name)
{
	wchar_t *wname = ifplex__wide(name);
	const char *r = NULL;

	if (!wname)
		return NULL;
	DWORD n = GetEnvironmentVariableW(wname, NULL, 0);
	if (n > 0) {
		wchar_t *w = malloc((size_t)n * sizeof *w);
		/* The value may change between the two calls: then it is too big. */
		if (w && GetEnvironmentVariableW(wname, w, n) < n) {
			char *v = ifplex__utf8(w);
			if (v)
				r = env_intern(name, v);
			free(v);
		}
		free(w);
	}
	free(wname);
	return r;
}

int ifplex__list_dir(const char *dir, int (*fn)(const char *name, void *arg), void *arg)
{
	size_t n = strlen(dir);
	char *pattern = malloc(n + 3);

	if (!pattern)
		return -ENOMEM;
	snprintf(pattern, n + 3, "%s\\*", dir);
	wchar_t *w = ifplex__wide(pattern);
	free(pattern);
	if (!w)
		return -EINVAL;
	WIN32_FIND_DATAW fd;
	HANDLE h = FindFirstFileExW(w, FindExInfoBasic, &fd, FindExSearchNameMatch, NULL, 0);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : -ENOENT;
	int rc = 0;
	do {
		char *name = ifplex__utf8(fd.cFileName);
		if (name) {
			rc = fn(name, arg);
			free(name);
		}
	} while (rc == 0 && FindNextFileW(h, &fd));
	FindClose(h);
	return rc;
}

const char *ifplex__os_name(void)
{
	return "windows";
}

const char *ifplex__plugin_suffix(void)
{
	return ".dll";
}

/* Drive letters make ':' part of a path. */
char ifplex__path_list_sep(void)
{
	return ';';
}

/*
 * Windows has no fixed $libdir: the installed plugins are found relative
 * to libifplex's own DLL, as `make install` lays them out
 * (<prefix>\bin\libifplex-0.dll, <prefix>\lib\ifplex\plugins\).
 */
static char plugin_dir[4 * MAX_PATH];
static INIT_ONCE plugin_dir_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK plugin_dir_init(INIT_ONCE *once, void *param, void **ctx)
{
	HMODULE self;
	wchar_t mod[2 * MAX_PATH], full[2 * MAX_PATH];

	snprintf(plugin_dir, sizeof plugin_dir, "<the directory of libifplex's DLL is unknown>");
	if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
				       GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
			       (const wchar_t *)(void *)plugin_dir_init, &self))
		return TRUE;
	DWORD n = GetModuleFileNameW(self, mod, sizeof mod / sizeof mod[0]);
	if (n == 0 || n >= sizeof mod / sizeof mod[0])
		return TRUE;
	wchar_t *slash = wcsrchr(mod, L'\\');
	if (!slash)
		return TRUE;
	slash[1] = L'\0';
	static const wchar_t rel[] = L"..\\lib\\ifplex\\plugins";
	if (wcslen(mod) + wcslen(rel) >= sizeof mod / sizeof mod[0])
		return TRUE;
	wcscat(mod, rel);
	n = GetFullPathNameW(mod, sizeof full / sizeof full[0], full, NULL);
	if (n == 0 || n >= sizeof full / sizeof full[0])
		return TRUE;
	char *s = ifplex__utf8(full);
	if (s && strlen(s) < sizeof plugin_dir)
		memcpy(plugin_dir, s, strlen(s) + 1);
	free(s);
	return TRUE;
}

const char *ifplex__os_plugin_dir(void)
{
	InitOnceExecuteOnce(&plugin_dir_once, plugin_dir_init, NULL, NULL);
	return plugin_dir;
}

int64_t ifplex__now(void)
{
	LARGE_INTEGER freq, c;

	/* Both never fail since Windows XP. */
	QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&c);
	/* Whole seconds and the rest apart, so that the product cannot overflow. */
	int64_t s = c.QuadPart / freq.QuadPart, r = c.QuadPart % freq.QuadPart;
	return s * 1000000000 + r * 1000000000 / freq.QuadPart;
}

/* The C runtime (msvcrt) knows no text for the POSIX socket codes the
 * Windows build's errno.h adds; the win32 plugin maps Winsock errors to
 * them. */
static const struct {
	int code;
	const char *text;
} socket_errors[] = {
	{EADDRINUSE, "address already in use"},
	{EADDRNOTAVAIL, "cannot assign requested address"},
	{EAFNOSUPPORT, "address family not supported by protocol"},
	{EALREADY, "operation already in progress"},
	{ECONNABORTED, "software caused connection abort"},
	{ECONNREFUSED, "connection refused"},
	{ECONNRESET, "connection reset by peer"},
	{EDESTADDRREQ, "destination address required"},
	{EHOSTUNREACH, "no route to host"},
	{EINPROGRESS, "operation now in progress"},
	{EISCONN, "transport endpoint is already connected"},
	{ELOOP, "too many levels of symbolic links"},
	{EMSGSIZE, "message too long"},
	{ENETDOWN, "network is down"},
	{ENETRESET, "network dropped connection on reset"},
	{ENETUNREACH, "network is unreachable"},
	{ENOBUFS, "no buffer space available"},
	{ENOPROTOOPT, "protocol not available"},
	{ENOTCONN, "transport endpoint is not connected"},
	{ENOTSOCK, "socket operation on non-socket"},
	{EOPNOTSUPP, "operation not supported"},
	{EPROTONOSUPPORT, "protocol not supported"},
	{EPROTOTYPE, "protocol wrong type for socket"},
	{ETIMEDOUT, "connection timed out"},
	{EWOULDBLOCK, "resource temporarily unavailable"},
};

/* Texts made once per code and kept for the life of the process, so that
 * a returned pointer never changes (as strerrordesc_np gives on glibc). */
static char *interned[IFPLEX_EBASE];
static SRWLOCK interned_lock = SRWLOCK_INIT;

const char *ifplex__os_errtext(int errnum)
{
	if (errnum <= 0 || errnum >= IFPLEX_EBASE)
		return "unknown error";
	for (size_t i = 0; i < sizeof socket_errors / sizeof socket_errors[0]; i++)
		if (socket_errors[i].code == errnum)
			return socket_errors[i].text;
	AcquireSRWLockExclusive(&interned_lock);
	if (!interned[errnum]) {
		char buf[256];
		if (strerror_s(buf, sizeof buf, errnum) != 0)
			snprintf(buf, sizeof buf, "error %d", errnum);
		interned[errnum] = _strdup(buf);
	}
	const char *s = interned[errnum] ? interned[errnum] : "unknown error";
	ReleaseSRWLockExclusive(&interned_lock);
	return s;
}

/* The protocols database lives in ws2_32, which the core does not link:
 * Go's built-in names and numbers serve on Windows. */
int ifplex__os_protocol(const char *lowername, int *proto)
{
	(void)lowername;
	(void)proto;
	return -1;
}

void ifplex__stderr_print_line(const char *line)
{
	fprintf(stderr, "ifplex: %s\n", line);
}

void *ifplex__os_map(size_t n)
{
	return VirtualAlloc(NULL, n, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
}

void ifplex__os_unmap(void *p, size_t n)
{
	(void)n;
	VirtualFree(p, 0, MEM_RELEASE);
}

void ifplex__fatal(const char *line)
{
	fprintf(stderr, "ifplex: fatal: %s\n", line);
	fflush(stderr);
	abort();
}
