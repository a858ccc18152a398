/* SPDX-License-Identifier: MIT */
/* Plugins that are wrong in one way each, to test every loader message.
 * Built several times with one of BROKEN_ABI, BROKEN_SHORT, BROKEN_NOENTRY,
 * BROKEN_NULL, BROKEN_NAME, BROKEN_EMPTY (every slot NULL), BROKEN_CTOR
 * (its constructor crashes) or BROKEN_ENTRY (its entry point does)
 * defined. */
#include <ifplex/backend.h>

#include <signal.h>
#include <stddef.h>
#ifdef _WIN32
#include <windows.h>
#endif

#if defined(BROKEN_CTOR) || defined(BROKEN_ENTRY)
/* A fault, as a bad pointer would give: on Windows raise() only ends the
 * program with status 3, an access violation is what a crash is there. */
static void crash(void)
{
#ifdef _WIN32
	RaiseException(EXCEPTION_ACCESS_VIOLATION, EXCEPTION_NONCONTINUABLE, 0, NULL);
#else
	raise(SIGSEGV);
#endif
}
#endif

#if defined(BROKEN_ABI)
static const struct ifplex_backend be = {.abi = IFPLEX_BACKEND_ABI + 1,
					 .size = sizeof(struct ifplex_backend), .name = "badabi"};
#elif defined(BROKEN_SHORT)
static const struct ifplex_backend be = {.abi = IFPLEX_BACKEND_ABI,
					 .size = offsetof(struct ifplex_backend, interfaces),
					 .name = "short"};
#elif defined(BROKEN_NAME)
static const struct ifplex_backend be = {.abi = IFPLEX_BACKEND_ABI,
					 .size = sizeof(struct ifplex_backend), .name = "someone-else"};
#elif defined(BROKEN_EMPTY)
/* Valid, and without a single slot, not even open. */
static const struct ifplex_backend be = {.abi = IFPLEX_BACKEND_ABI,
					 .size = sizeof(struct ifplex_backend), .name = "empty",
					 .caps = IFPLEX_CAP_INTERFACES | IFPLEX_CAP_TCP};
#elif defined(BROKEN_CTOR)
static const struct ifplex_backend be = {.abi = IFPLEX_BACKEND_ABI,
					 .size = sizeof(struct ifplex_backend), .name = "crashctor"};
/* Runs inside dlopen, before the loader can look at anything. */
__attribute__((constructor)) static void crash_on_load(void)
{
	crash();
}
#endif

#if defined(BROKEN_NOENTRY)
/* Exports a symbol, but not the entry point. */
IFPLEX_PLUGIN_EXPORT int ifplex_backend_entry_typo(void);
IFPLEX_PLUGIN_EXPORT int ifplex_backend_entry_typo(void)
{
	return 0;
}
#elif defined(BROKEN_NULL)
IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return NULL;
}
#elif defined(BROKEN_ENTRY)
IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	crash();
	return NULL;
}
#else
IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &be;
}
#endif
