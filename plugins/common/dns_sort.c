/* SPDX-License-Identifier: MIT */
/* The order Go gives SRV and MX answers. */
#include "dns_sort.h"

#include <stdlib.h>

static int srv_cmp(const void *x, const void *y)
{
	const struct ifplex_srv *a = x, *b = y;

	if (a->priority != b->priority)
		return a->priority - b->priority;
	return b->weight - a->weight;
}

static int mx_cmp(const void *x, const void *y)
{
	return ((const struct ifplex_mx *)x)->pref - ((const struct ifplex_mx *)y)->pref;
}

void dns_sort_srv(struct ifplex_srv *list, size_t count)
{
	if (count > 1)
		qsort(list, count, sizeof *list, srv_cmp);
}

void dns_sort_mx(struct ifplex_mx *list, size_t count)
{
	if (count > 1)
		qsort(list, count, sizeof *list, mx_cmp);
}
