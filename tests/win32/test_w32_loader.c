/* SPDX-License-Identifier: MIT */
/* The loader on Windows.  Errors name the file: a missing DLL, a file that
 * is no DLL, a DLL of another ABI, a struct too small, no entry point.
 * Growth: a plugin built before the optional slots (fakeold) or against a
 * newer header (fakenew) loads and works.  Malicious plugins (liar, empty)
 * get a clear error, never a crash; ifplex_free refuses foreign memory.
 * And `ifplex.exe backends` lists DLLs that crash while loading.
 *
 * A process keeps the first backend it activates, so every case that needs
 * one runs in a child: this program started again with "--case NAME". */
#include "fake/liar_calls.h"
#include "win32/tap.h"

#include <ifplex.h>
#include <ifplex/backend.h>

#include <windows.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ children */

static int child_failures;

/* A check inside a child: a TAP comment, so the parent's stream stays valid. */
static void check(int cond, const char *fmt, ...) __attribute__((format(gnu_printf, 2, 3)));
static void check(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("#   %s: ", cond ? "ok" : "FAILED");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	child_failures += !cond;
}

static int use(const char *backend, const char *cache)
{
	struct ifplex_options o = {.size = sizeof o, .backend = backend, .cache = cache,
				   .plugin_path = getenv("IFPLEX_TEST_FAKE_DIR")};
	int rc = ifplex_init(&o);

	check(rc == 0, "%s loads: %s", backend, rc ? ifplex_last_error() : "");
	return rc;
}

static ifplex_conn *dial_fake(void)
{
	ifplex_conn *c = NULL;
	size_t n = 0;
	int rc = ifplex_dial("udp", "192.0.2.2:53", &c);

	check(rc == 0, "dial udp 192.0.2.2:53: %s", rc ? ifplex_last_error() : "");
	if (rc == 0) {
		rc = ifplex_write(c, "ping", 4, &n);
		check(rc == 0 && n == 4, "write 4 bytes: %d %zu", rc, n);
	}
	return c;
}

static void case_old(void)
{
	struct ifplex_iface *l;
	struct ifplex_lent v[1] = {{0}};
	unsigned rev = 99;
	size_t n = 0;
	char buf[8];

	if (use("fakeold", "notify") < 0)
		return;
	int rc = ifplex_interfaces(&l, &n);
	check(rc == 0 && n == 3, "interfaces through the old struct: %d, %zu", rc, n);
	ifplex_free(l);
	/* The capability bits follow the slots the struct reaches. */
	check((ifplex_backend_caps() & (IFPLEX_CAP_POLL | IFPLEX_CAP_LENT)) == 0 &&
		      (ifplex_backend_caps() & IFPLEX_CAP_UDP),
	      "caps without poll and lent buffers: %#llx", (unsigned long long)ifplex_backend_caps());
	/* The host's ABI-2 slots reach a plugin of the minimum size. */
	const char *asked = ifplex_backend_describe("cache_asked");
	check(asked && strcmp(asked, "notify") == 0, "the cache mode lent: %s", asked ? asked : "NULL");
	ifplex_conn *c = dial_fake();
	if (!c)
		return;
	rc = ifplex_read(c, buf, sizeof buf, &n);
	check(rc == 0 && n == 4, "read back: %d, %zu", rc, n);
	check(ifplex_conn_poll(c, IFPLEX_POLL_IN, 0, &rev) == IFPLEX_ENOTSUP &&
		      strcmp(ifplex_last_error(), "poll udp: not supported by backend fakeold") == 0,
	      "poll: %s", ifplex_last_error());
	check(ifplex_read_lent(c, v, 1) == IFPLEX_ENOTSUP &&
		      strcmp(ifplex_last_error(), "read udp: not supported by backend fakeold") == 0,
	      "read_lent: %s", ifplex_last_error());
	check(ifplex_release_lent(c, v, 1) == IFPLEX_ENOTSUP, "release_lent: not supported");
	check(ifplex_close(c) == 0, "close");
}

static void case_full(void)
{
	struct ifplex_netaddr from;
	struct ifplex_lent v[2] = {{.addr = &from}};
	unsigned rev = 0;

	if (use("fakeconn", NULL) < 0)
		return;
	check((ifplex_backend_caps() & (IFPLEX_CAP_POLL | IFPLEX_CAP_LENT)) ==
		      (IFPLEX_CAP_POLL | IFPLEX_CAP_LENT),
	      "caps with poll and lent buffers");
	ifplex_conn *c = dial_fake();
	if (!c)
		return;
	check(ifplex_conn_poll(c, IFPLEX_POLL_IN | IFPLEX_POLL_OUT, 0, &rev) == 0 &&
		      rev == (IFPLEX_POLL_IN | IFPLEX_POLL_OUT),
	      "poll: %u", rev);
	int k = ifplex_read_lent(c, v, 2);
	check(k == 1 && v[0].len == 4 && memcmp(v[0].data, "ping", 4) == 0 && from.port == 53,
	      "read_lent: %d", k);
	check(ifplex_release_lent(c, v, 1) == 0, "release_lent");
	check(ifplex_conn_poll(c, IFPLEX_POLL_IN, 0, &rev) == IFPLEX_ETIMEDOUT,
	      "a poll that may not wait, nothing queued: timed out");
	check(ifplex_close(c) == 0, "close");
}

static void case_new(void)
{
	struct ifplex_iface i;

	if (use("fakenew", NULL) < 0)
		return;
	check(ifplex_interface_by_name("eth0", &i) == 0 && i.index == 2, "by name through the newer struct");
	ifplex_conn *c = dial_fake();
	if (c)
		check(ifplex_close(c) == 0, "close");
}

/* Each list slot must be refused with what, naming backend liar. */
static void expect_broken(int rc, const void *list, size_t count, const char *slot, const char *what)
{
	char want[256];

	snprintf(want, sizeof want, "backend liar broke the plugin contract: %s %s", slot, what);
	check(rc == IFPLEX_EBADPLUGIN && !list && count == 0 && strstr(ifplex_last_error(), want),
	      "%s: %d %p %zu \"%s\"", slot, rc, list, count, ifplex_last_error());
}

static void every_list(const char *what, int lookups_too)
{
	liar_every_list(expect_broken, what, lookups_too);
	if (!lookups_too)
		return;
	ifplex_conn *c;
	check(ifplex_dial("tcp", "name.example:80", &c) == IFPLEX_EBADPLUGIN,
	      "dial resolves through lookup_ip: %s", ifplex_last_error());
}

static const struct {
	const char *mode, *what;
} lies[] = {
	{"null", "returned a NULL list (3 entries, room for 0)"},
	{"short", "returned more entries than its list holds (1000 entries, room for 1)"},
	{"malloc", "returned a list not allocated with host->alloc"},
	{"static", "returned a list not allocated with host->alloc"},
	{"freed", "returned a list not allocated with host->alloc"},
};

static void case_liar(const char *mode)
{
	if (use("liar", NULL) < 0)
		return;
	for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++)
		if (strcmp(lies[i].mode, mode) == 0)
			every_list(lies[i].what, 1);
	if (strcmp(mode, "bad") == 0) {
		struct ifplex_ip *ips = NULL;
		char **names = NULL;
		size_t n;
		int rc = ifplex_lookup_ip(NULL, "name.example", &ips, &n);
		expect_broken(rc, ips, n, "lookup_ip", "returned a malformed entry");
		rc = ifplex_lookup_addr("192.0.2.1", &names, &n);
		expect_broken(rc, names, n, "lookup_addr", "returned a malformed entry");
	}
	if (strcmp(mode, "nullconn") == 0) {
		ifplex_conn *c = (void *)1;
		check(ifplex_dial("tcp", "192.0.2.1:80", &c) == IFPLEX_EBADPLUGIN && !c &&
			      strcmp(ifplex_last_error(), "dial tcp 192.0.2.1:80: backend liar broke "
							  "the plugin contract: dial returned no "
							  "connection") == 0,
		      "dial without a connection: %s", ifplex_last_error());
	}
	if (strcmp(mode, "ok") == 0) {
		struct ifplex_iface *ifs;
		size_t n = 0;
		check(ifplex_interfaces(&ifs, &n) == 0 && n == 2 && strcmp(ifs[1].name, "eth0") == 0,
		      "honest lists pass");
		ifplex_free(ifs);
	}
}

static void case_empty(void)
{
	struct ifplex_iface *ifs, i;
	ifplex_conn *c;
	size_t n;

	if (use("empty", NULL) < 0)
		return;
	check(ifplex_interfaces(&ifs, &n) == IFPLEX_ENOTSUP &&
		      strcmp(ifplex_last_error(), "interfaces: not supported by backend empty") == 0,
	      "interfaces: %s", ifplex_last_error());
	check(ifplex_interface_by_name("lo", &i) == IFPLEX_ENOTSUP, "by name: not supported");
	check(ifplex_dial("tcp", "192.0.2.1:80", &c) == IFPLEX_ENOTSUP, "dial: not supported");
	check(ifplex_generation() == 0, "generation 0");
}

static int run_case(const char *name)
{
	if (strcmp(name, "old") == 0)
		case_old();
	else if (strcmp(name, "full") == 0)
		case_full();
	else if (strcmp(name, "new") == 0)
		case_new();
	else if (strcmp(name, "empty") == 0)
		case_empty();
	else if (strncmp(name, "liar-", 5) == 0)
		case_liar(name + 5);
	else if (strcmp(name, "free-foreign") == 0)
		ifplex_free(malloc(64));
	else
		check(0, "no case %s", name);
	return child_failures ? 1 : 0;
}

/* -------------------------------------------------------------------- parent */

/* Run cmd with its standard output and error into out (lines ending in
 * "\n"); its exit code, or
 * -1 when it could not start or ran past 60 s. */
static long spawn(const char *cmd, char *out, size_t outlen)
{
	SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
	PROCESS_INFORMATION pi;
	HANDLE r, w;
	size_t got = 0;
	DWORD n, code = 0;

	if (!CreatePipe(&r, &w, &inherit, 0))
		return -1;
	SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
	STARTUPINFOA si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES,
			   .hStdInput = GetStdHandle(STD_INPUT_HANDLE), .hStdOutput = w, .hStdError = w};
	char *line = _strdup(cmd);
	BOOL ok = line && CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
	free(line);
	CloseHandle(w);
	if (!ok) {
		CloseHandle(r);
		return -1;
	}
	while (got + 1 < outlen && ReadFile(r, out + got, (DWORD)(outlen - 1 - got), &n, NULL) && n > 0)
		got += n;
	out[got] = '\0';
	/* A console program's text mode writes "\r\n". */
	char *to = out;
	for (const char *from = out; *from; from++)
		if (*from != '\r')
			*to++ = *from;
	*to = '\0';
	CloseHandle(r);
	if (WaitForSingleObject(pi.hProcess, 60000) != WAIT_OBJECT_0) {
		TerminateProcess(pi.hProcess, 1);
		code = (DWORD)-1;
	} else {
		GetExitCodeProcess(pi.hProcess, &code);
	}
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
	return code == (DWORD)-1 ? -1 : (long)code;
}

static char self[MAX_PATH * 2];

/* A child's output as TAP comments, one a line, so that it cannot pass
 * for a test point. */
static void comment_lines(const char *out)
{
	while (*out) {
		size_t n = strcspn(out, "\r\n");
		if (n)
			printf("%s%.*s\n", out[0] == '#' ? "" : "# ", (int)n, out);
		out += n;
		out += strspn(out, "\r\n");
	}
	fflush(stdout);
}

/* One case in a child, as one test point; its comments go to the log. */
static void child(const char *name, const char *liar_mode, const char *what)
{
	char cmd[sizeof self + 64], out[16384];

	SetEnvironmentVariableA("IFPLEX_TEST_LIAR", liar_mode);
	snprintf(cmd, sizeof cmd, "\"%s\" --case %s", self, name);
	long code = spawn(cmd, out, sizeof out);
	SetEnvironmentVariableA("IFPLEX_TEST_LIAR", NULL);
	comment_lines(out);
	tap_ok(code == 0, "%s (exit %ld)", what, code);
}

static void free_foreign(void)
{
	char cmd[sizeof self + 64], out[4096];

	snprintf(cmd, sizeof cmd, "\"%s\" --case free-foreign", self);
	long code = spawn(cmd, out, sizeof out);
	/* abort() ends a Windows program with status 3. */
	comment_lines(out);
	tap_ok(code == 3 && strstr(out, "ifplex: fatal: ifplex_free(") &&
		       strstr(out, "): not a list ifplex returned, or one already freed"),
	       "ifplex_free of plain malloc memory aborts, saying why (exit %ld)", code);
}

/* ifplex.exe backends with the crashing DLLs on its path. */
static long backends(const char *backend, char *out, size_t outlen)
{
	char path[4096], cmd[1024], saved[4096];
	DWORD had = GetEnvironmentVariableA("IFPLEX_PLUGIN_PATH", saved, sizeof saved);

	snprintf(path, sizeof path, "%s;%s", getenv("IFPLEX_TEST_CRASH_DIR"),
		 getenv("IFPLEX_TEST_FAKE_DIR"));
	SetEnvironmentVariableA("IFPLEX_PLUGIN_PATH", path);
	SetEnvironmentVariableA("IFPLEX_BACKEND", backend);
	snprintf(cmd, sizeof cmd, "\"%s\" backends", getenv("IFPLEX_TEST_TOOL_EXE"));
	long code = spawn(cmd, out, outlen);
	SetEnvironmentVariableA("IFPLEX_BACKEND", NULL);
	SetEnvironmentVariableA("IFPLEX_PLUGIN_PATH", had && had < sizeof saved ? saved : NULL);
	return code;
}

static void crashing_dlls(void)
{
	static char out[65536];
	char want[2048];
	const char *crash = getenv("IFPLEX_TEST_CRASH_DIR");

	long code = backends("fake", out, sizeof out);
	tap_ok(code == 0, "ifplex.exe backends with crashing DLLs on the path: exit %ld", code);
	snprintf(want, sizeof want,
		 "crashentry %s/ifplex-crashentry.dll\n  error        plugin %s/ifplex-crashentry.dll "
		 "crashed with exception 0xc0000005 (access violation) while loading\n",
		 crash, crash);
	tap_ok(strstr(out, want) != NULL, "a DLL whose entry point crashes is listed as such");
	/* Windows' loader may catch a fault in DllMain and fail the load (wine
	 * does), or let it end the process: either way it is listed. */
	snprintf(want, sizeof want, "crashctor  %s/ifplex-crashctor.dll\n  error        ", crash);
	const char *at = strstr(out, want);
	const char *said = at ? at + strlen(want) : "(absent)";
	tap_ok(at && (strncmp(said, "cannot load plugin ", 19) == 0 || strncmp(said, "plugin ", 7) == 0),
	       "a DLL whose constructor crashes is listed: %.*s", (int)strcspn(said, "\n"), said);
	tap_ok(strstr(out, "active: fake (IFPLEX_BACKEND=fake)") &&
		       strstr(out, "ABI mismatch loading module"),
	       "the rest of the listing is there");
	if (tap_failed)
		comment_lines(out);

	code = backends("crashentry", out, sizeof out);
	tap_ok(code == 1 && strstr(out, "active: none: the chosen backend crashed with exception "
					"0xc0000005 (access violation) while loading"),
	       "chosen, the crashing DLL makes no backend active: exit %ld", code);
}

/* Choose backend from dir; the message must hold each of want[]. */
static void expect(const char *backend, const char *dir, const char *const *want, const char *what)
{
	struct ifplex_options o = {.size = sizeof o, .backend = backend, .plugin_path = dir};
	int rc = ifplex_init(&o);
	const char *e = ifplex_last_error();
	int ok = rc < 0;

	for (int i = 0; want[i]; i++)
		ok &= strstr(e, want[i]) != NULL;
	tap_ok(ok, "%s: %d \"%s\"", what, rc, e);
}

/* What ifplex_plugin_probe says of dir's plugin name. */
static void probe(const char *dir, const char *name, uint32_t size, uint64_t caps_in,
		  uint64_t caps_out, const char *what)
{
	struct ifplex_plugin_info pi = {0};

	snprintf(pi.name, sizeof pi.name, "%s", name);
	snprintf(pi.path, sizeof pi.path, "%s/ifplex-%s.dll", dir, name);
	int rc = ifplex_plugin_probe(&pi);
	tap_ok(rc == 0 && pi.status == 0 && pi.abi == IFPLEX_BACKEND_ABI && pi.size == size &&
		       (pi.caps & caps_in) == caps_in && !(pi.caps & caps_out),
	       "%s: status %d, ABI %u, %u bytes, caps %#llx %s", what, pi.status, (unsigned)pi.abi,
	       (unsigned)pi.size, (unsigned long long)pi.caps, pi.message);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--case") == 0)
		return run_case(argv[2]);

	const char *fake = getenv("IFPLEX_TEST_FAKE_DIR");
	const char *notdll = getenv("IFPLEX_TEST_NOTDLL_DIR");

	if (!fake || !notdll || !getenv("IFPLEX_TEST_CRASH_DIR") || !getenv("IFPLEX_TEST_TOOL_EXE"))
		tap_bail("IFPLEX_TEST_FAKE_DIR, _NOTDLL_DIR, _CRASH_DIR and _TOOL_EXE must be set");
	DWORD n = GetModuleFileNameA(NULL, self, sizeof self);
	if (n == 0 || n >= sizeof self)
		tap_bail("GetModuleFileNameA failed");

	expect("nothere", fake, (const char *[]){"not found", "ifplex-nothere.dll", NULL},
	       "a missing DLL names every path tried");
	expect("notdll", notdll, (const char *[]){"ifplex-notdll.dll", "cannot load plugin", NULL},
	       "a file that is no DLL");
	expect("badabi", fake, (const char *[]){"ifplex-badabi.dll", "ABI mismatch", NULL},
	       "a DLL of another ABI");
	expect("short", fake, (const char *[]){"ifplex-short.dll", "too small", NULL},
	       "a DLL whose struct is too small");
	expect("noentry", fake, (const char *[]){"ifplex-noentry.dll", "ifplex_backend_entry", NULL},
	       "a DLL without the entry point");
	expect("null", fake, (const char *[]){"ifplex-null.dll", "returned NULL", NULL},
	       "an entry point that returns NULL");
	expect("misnamed", fake, (const char *[]){"ifplex-misnamed.dll", "calls itself", NULL},
	       "a DLL that calls itself another name");

	/* Growth, as the listing sees it: each struct size and what it reaches. */
	probe(fake, "fakeold", IFPLEX_BACKEND_SIZE_MIN, IFPLEX_CAP_UDP,
	      IFPLEX_CAP_POLL | IFPLEX_CAP_LENT, "a DLL of the minimum struct");
	probe(fake, "fakeconn", sizeof(struct ifplex_backend), IFPLEX_CAP_POLL | IFPLEX_CAP_LENT, 0,
	      "a DLL of this core's struct");
	probe(fake, "fakenew", sizeof(struct ifplex_backend) + 2 * sizeof(void *),
	      IFPLEX_CAP_POLL | IFPLEX_CAP_LENT, 0, "a DLL of a newer, larger struct");
	/* And in use, each in a process of its own. */
	child("old", NULL, "a DLL of the minimum struct works; the slots it lacks are not supported");
	child("full", NULL, "the same source at full size has poll and lent buffers");
	child("new", NULL, "a DLL built against a newer header works");
	child("empty", NULL, "a DLL without a single slot: not supported, never a crash");
	static const char *const liar_modes[] = {"ok",	  "null", "short", "malloc", "static",
						 "freed", "bad",  "nullconn"};
	for (size_t i = 0; i < sizeof liar_modes / sizeof liar_modes[0]; i++) {
		char name[32], what[96];
		snprintf(name, sizeof name, "liar-%s", liar_modes[i]);
		snprintf(what, sizeof what, "a DLL whose lists lie (%s): refused, never a crash",
			 liar_modes[i]);
		child(name, liar_modes[i], what);
	}
	free_foreign();
	crashing_dlls();

	/* After those failures a good choice still loads. */
	struct ifplex_options o = {.size = sizeof o, .backend = "win32"};
	int rc = ifplex_init(&o);
	tap_ok(rc == 0 && strcmp(ifplex_backend_name(), "win32") == 0, "then win32 loads: %s",
	       ifplex_last_error());
	return tap_done();
}
