/* Plugins that are wrong in one way each, to test every loader message.
 * Built several times with one of BROKEN_ABI, BROKEN_SHORT, BROKEN_NOENTRY,
 * BROKEN_NULL, BROKEN_NAME, BROKEN_EMPTY (every slot NULL), BROKEN_CTOR
 * (its constructor raises SIGSEGV) or BROKEN_ENTRY (its entry point does)
 * defined. */
#include <ifplex/backend.h>

#include <signal.h>
#include <stddef.h>

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
	raise(SIGSEGV);
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
	raise(SIGSEGV);
	return NULL;
}
#else
IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &be;
}
#endif
