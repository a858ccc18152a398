/* Loader errors on Windows name the file: a missing DLL, a file that is
 * no DLL, a DLL of another ABI, a struct too small, no entry point. */
#include "win32/tap.h"

#include <ifplex.h>

#include <stdlib.h>
#include <string.h>

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

int main(void)
{
	const char *fake = getenv("IFPLEX_TEST_FAKE_DIR");
	const char *notdll = getenv("IFPLEX_TEST_NOTDLL_DIR");

	if (!fake || !notdll)
		tap_bail("IFPLEX_TEST_FAKE_DIR and IFPLEX_TEST_NOTDLL_DIR must be set");
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

	/* After those failures a good choice still loads. */
	struct ifplex_options o = {.size = sizeof o, .backend = "win32"};
	int rc = ifplex_init(&o);
	tap_ok(rc == 0 && strcmp(ifplex_backend_name(), "win32") == 0, "then win32 loads: %s",
	       ifplex_last_error());
	return tap_done();
}
