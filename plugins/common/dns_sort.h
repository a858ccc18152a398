/* SPDX-License-Identifier: MIT */
/* The order Go gives SRV and MX answers, for every plugin's lookups. */
#ifndef IFPLEX_COMMON_DNS_SORT_H
#define IFPLEX_COMMON_DNS_SORT_H

#include <ifplex.h>

/* By priority, then by weight, heaviest first. */
void dns_sort_srv(struct ifplex_srv *list, size_t count);
/* By preference. */
void dns_sort_mx(struct ifplex_mx *list, size_t count);

#endif
