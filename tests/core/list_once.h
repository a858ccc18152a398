/* SPDX-License-Identifier: MIT */
/* One ifplex_interfaces call, its list freed: the first call of a process
 * loads and opens the backend (test_transient and its driver). */
#ifndef IFPLEX_TEST_LIST_ONCE_H
#define IFPLEX_TEST_LIST_ONCE_H

#include <ifplex.h>

static inline int list_once(void)
{
	struct ifplex_iface *l;
	size_t n;
	int rc = ifplex_interfaces(&l, &n);

	if (rc == 0)
		ifplex_free(l);
	return rc;
}

#endif
