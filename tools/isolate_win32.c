/* SPDX-License-Identifier: MIT */
/* Windows' twin of isolate.c.  Without fork(), the command starts itself
 * again with a hidden first argument naming the step; the step's input
 * reaches the child on its standard input and its output comes back on
 * its standard output, a pipe the parent reads with a deadline.  A plugin
 * that crashes or hangs while loading costs the child, not the command. */
#define WIN32_LEAN_AND_MEAN
#include "tool.h"

#include <windows.h>

#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHILD_ARG "--ifplex-isolated-step"
/* Bounds on what crosses the pipes: the steps pass a few kilobytes.  The
 * input is written before the child starts, so it must fit the pipe. */
#define MAX_IN 32768
#define MAX_OUT (1 << 20)

static const struct {
	DWORD code;
	const char *name;
} exceptions[] = {
	{0xC0000005, "access violation"},
	{0xC000001D, "illegal instruction"},
	{0xC0000096, "privileged instruction"},
	{0xC0000094, "integer division by zero"},
	{0xC0000095, "integer overflow"},
	{0xC000008E, "floating-point division by zero"},
	{0xC00000FD, "stack overflow"},
	{0xC0000409, "stack buffer overrun"},
	{0xC0000374, "heap corruption"},
	{0x80000003, "breakpoint"},
	{0xC0000135, "DLL not found"},
	{0xC0000142, "DLL initialization failed"},
};

static const char *exception_name(DWORD code)
{
	for (size_t i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
		if (exceptions[i].code == code)
			return exceptions[i].name;
	return "unknown exception";
}

/* "error N: text" for the last Win32 error of a call. */
static void win_why(char *why, size_t whylen, const char *call)
{
	DWORD e = GetLastError();
	char text[256];

	if (!FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, e, 0, text,
			    sizeof text, NULL))
		text[0] = '\0';
	text[strcspn(text, "\r\n")] = '\0';
	snprintf(why, whylen, "cannot probe: %s: error %lu%s%s", call, (unsigned long)e,
		 text[0] ? ": " : "", text);
}

/* This program's own path, in a malloc'd buffer. */
static wchar_t *self_path(void)
{
	for (DWORD cap = MAX_PATH; cap <= 32768; cap *= 2) {
		wchar_t *p = malloc(cap * sizeof *p);
		if (!p)
			return NULL;
		DWORD n = GetModuleFileNameW(NULL, p, cap);
		if (n > 0 && n < cap)
			return p;
		free(p);
		if (n == 0)
			return NULL;
	}
	return NULL;
}

/* The pipe the child writes its output to: the parent's end overlapped,
 * so that its reads can wait with a deadline; the child's inheritable. */
static int output_pipe(HANDLE *parent, HANDLE *child)
{
	static LONG serial;
	wchar_t name[96];
	SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};

	swprintf(name, sizeof name / sizeof name[0], L"\\\\.\\pipe\\ifplex-isolate-%lu-%ld",
		 (unsigned long)GetCurrentProcessId(), InterlockedIncrement(&serial));
	*parent = CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED |
						 FILE_FLAG_FIRST_PIPE_INSTANCE,
				   PIPE_TYPE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS, 1, 0,
				   MAX_OUT, 0, NULL);
	if (*parent == INVALID_HANDLE_VALUE)
		return -1;
	*child = CreateFileW(name, GENERIC_WRITE, 0, &inherit, OPEN_EXISTING, 0, NULL);
	if (*child == INVALID_HANDLE_VALUE) {
		CloseHandle(*parent);
		return -1;
	}
	return 0;
}

/* Read up to len bytes from the overlapped handle h until the deadline
 * (a GetTickCount64 value); how many arrived, and whether time ran out. */
static size_t read_until(HANDLE h, void *out, size_t len, ULONGLONG deadline, int *late)
{
	OVERLAPPED ov = {0};
	size_t got = 0;

	*late = 0;
	if (!(ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL)))
		return 0;
	while (got < len) {
		DWORD n = 0;
		ResetEvent(ov.hEvent);
		if (!ReadFile(h, (char *)out + got, (DWORD)(len - got), NULL, &ov) &&
		    GetLastError() != ERROR_IO_PENDING)
			break;
		ULONGLONG now = GetTickCount64();
		DWORD left = now < deadline ? (DWORD)(deadline - now) : 0;
		if (WaitForSingleObject(ov.hEvent, left) != WAIT_OBJECT_0) {
			CancelIo(h);
			GetOverlappedResult(h, &ov, &n, TRUE);
			got += n;
			*late = 1;
			break;
		}
		/* A broken pipe is the child's end closed: it exited. */
		if (!GetOverlappedResult(h, &ov, &n, FALSE) || n == 0)
			break;
		got += n;
	}
	CloseHandle(ov.hEvent);
	return got;
}

/* Start this program as the child of step, its standard input the pipe
 * in_r, its output out_w, its standard error ours. */
static int start_child(const struct isolated_step *step, size_t inlen, size_t len, HANDLE in_r,
		       HANDLE out_w, PROCESS_INFORMATION *pi, char *why, size_t whylen)
{
	wchar_t *exe = self_path();
	HANDLE err = NULL;
	int rc = -1;

	if (!exe) {
		win_why(why, whylen, "GetModuleFileNameW");
		return -1;
	}
	size_t cap = wcslen(exe) + strlen(step->name) + 96;
	wchar_t *cmd = malloc(cap * sizeof *cmd);
	if (!cmd) {
		snprintf(why, whylen, "cannot probe: out of memory");
		goto out;
	}
	/* A path cannot hold '"', so quoting it is enough. */
	swprintf(cmd, cap, L"\"%ls\" " CHILD_ARG " %hs %zu %zu", exe, step->name, inlen, len);
	HANDLE mine = GetStdHandle(STD_ERROR_HANDLE);
	if (mine && mine != INVALID_HANDLE_VALUE &&
	    !DuplicateHandle(GetCurrentProcess(), mine, GetCurrentProcess(), &err, 0, TRUE,
			     DUPLICATE_SAME_ACCESS))
		err = NULL;
	STARTUPINFOW si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES, .hStdInput = in_r,
			   .hStdOutput = out_w, .hStdError = err};
	/* The command makes no other handle inheritable: the child gets
	 * these three and nothing else of ours. */
	if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL, &si, pi))
		win_why(why, whylen, "CreateProcessW");
	else
		rc = 0;
out:
	if (err)
		CloseHandle(err);
	free(cmd);
	free(exe);
	return rc;
}

int run_isolated(const struct isolated_step *step, const void *in, size_t inlen, void *out,
		 size_t len, int timeout_ms, char *why, size_t whylen)
{
	SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
	HANDLE in_r, in_w, out_r, out_w;
	PROCESS_INFORMATION pi;
	DWORD wrote = 0;

	if (inlen > MAX_IN || len > MAX_OUT) {
		snprintf(why, whylen, "cannot probe: %zu bytes in, %zu out, more than a pipe holds", inlen,
			 len);
		return -1;
	}
	if (!CreatePipe(&in_r, &in_w, &inherit, MAX_IN)) {
		win_why(why, whylen, "CreatePipe");
		return -1;
	}
	SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0);
	/* Written whole before the child starts, then closed: the child reads
	 * its input to the end, and nothing here waits on it. */
	int ok = inlen == 0 || (WriteFile(in_w, in, (DWORD)inlen, &wrote, NULL) && wrote == inlen);
	CloseHandle(in_w);
	if (!ok) {
		win_why(why, whylen, "WriteFile");
		CloseHandle(in_r);
		return -1;
	}
	if (output_pipe(&out_r, &out_w) < 0) {
		win_why(why, whylen, "CreateNamedPipeW");
		CloseHandle(in_r);
		return -1;
	}
	fflush(NULL);
	int started = start_child(step, inlen, len, in_r, out_w, &pi, why, whylen);
	/* Only the child holds its ends now: its exit ends our reads. */
	CloseHandle(in_r);
	CloseHandle(out_w);
	if (started < 0) {
		CloseHandle(out_r);
		return -1;
	}
	ULONGLONG deadline = GetTickCount64() + (ULONGLONG)timeout_ms;
	int late;
	size_t got = read_until(out_r, out, len, deadline, &late);
	CloseHandle(out_r);
	ULONGLONG now = GetTickCount64();
	if (!late &&
	    WaitForSingleObject(pi.hProcess, now < deadline ? (DWORD)(deadline - now) : 0) != WAIT_OBJECT_0)
		late = 1;
	if (late) {
		TerminateProcess(pi.hProcess, 1);
		WaitForSingleObject(pi.hProcess, INFINITE);
	}
	DWORD code = 0;
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
	if (late) {
		snprintf(why, whylen, "did not finish loading within %d s (killed)", timeout_ms / 1000);
		return -1;
	}
	/* NTSTATUS errors and warnings: an exception ended the child. */
	if (code >= 0xC0000000 || code == 0x80000003) {
		snprintf(why, whylen, "crashed with exception 0x%08lx (%s) while loading",
			 (unsigned long)code, exception_name(code));
		return -1;
	}
	if (got < len || code != 0) {
		snprintf(why, whylen, "exited with status %lu while loading", (unsigned long)code);
		return -1;
	}
	return 0;
}

/* An exception nothing handled ends the child at once with its code, the
 * parent's evidence, instead of starting a debugger or an error report. */
static LONG WINAPI die(EXCEPTION_POINTERS *e)
{
	TerminateProcess(GetCurrentProcess(), e->ExceptionRecord->ExceptionCode);
	return EXCEPTION_CONTINUE_SEARCH;
}

static int read_exactly(HANDLE h, void *buf, size_t len)
{
	size_t got = 0;
	DWORD n;

	while (got < len) {
		if (!ReadFile(h, (char *)buf + got, (DWORD)(len - got), &n, NULL) || n == 0)
			return -1;
		got += n;
	}
	return 0;
}

int isolated_child(int argc, char **argv)
{
	const struct isolated_step *step = NULL;
	int64_t inlen, len;

	if (argc < 2 || strcmp(argv[1], CHILD_ARG) != 0)
		return -1;
	for (size_t i = 0; argc == 5 && isolated_steps[i]; i++)
		if (strcmp(isolated_steps[i]->name, argv[2]) == 0)
			step = isolated_steps[i];
	if (!step || parse_number(argv[3], MAX_IN, &inlen) < 0 ||
	    parse_number(argv[4], MAX_OUT, &len) < 0) {
		fprintf(stderr, "ifplex: %s is for the command's own use\n", CHILD_ARG);
		return EXIT_USAGE;
	}
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
	SetUnhandledExceptionFilter(die);
	/* The result goes to a handle of our own: standard output becomes
	 * standard error, so that nothing a plugin prints can mix with it. */
	HANDLE res;
	if (!DuplicateHandle(GetCurrentProcess(), GetStdHandle(STD_OUTPUT_HANDLE), GetCurrentProcess(),
			     &res, 0, FALSE, DUPLICATE_SAME_ACCESS))
		return EXIT_OPFAIL;
	fflush(stdout);
	_dup2(_fileno(stderr), _fileno(stdout));
	SetStdHandle(STD_OUTPUT_HANDLE, GetStdHandle(STD_ERROR_HANDLE));
	void *in = malloc((size_t)inlen + 1), *out = calloc(1, (size_t)len + 1);
	if (!in || !out || read_exactly(GetStdHandle(STD_INPUT_HANDLE), in, (size_t)inlen) < 0)
		return EXIT_OPFAIL;
	step->fn(in, (size_t)inlen, out);
	DWORD n;
	size_t done = 0;
	while (done < (size_t)len && WriteFile(res, (char *)out + done, (DWORD)(len - done), &n, NULL))
		done += n;
	CloseHandle(res);
	free(in);
	free(out);
	return done == (size_t)len ? 0 : EXIT_OPFAIL;
}
