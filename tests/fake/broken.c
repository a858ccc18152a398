/* Plugins that are wrong in one way each, to test every loader message.
 * Built several times with one of BROKEN_ABI, BROKEN_SHORT, BROKEN_NOENTRY,
 * BROKEN_NULL, BROKEN_NAME defined. */
#include <ifplex/backend.h>

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
#else
IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &be;
}
#endif
