/* SPDX-License-Identifier: MIT */
/* Interfaces and their addresses: argument checks, then the backend. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fetch the backend or fail the operation in Go's words ("route ip+net"). */
int ifplex__backend_for(struct ifplex__active *a, const char *op)
{
	int rc = ifplex__backend(a);

	if (rc < 0)
		return ifplex__set_errorf(rc, "%s: %s", op, ifplex__last_message());
	ifplex__pending_clear();
	return 0;
}

int ifplex__unsupported(const struct ifplex__active *a, const char *op)
{
	return ifplex__set_errorf(IFPLEX_ENOTSUP, "%s: not supported by backend %s", op,
				  a->be->name);
}

int ifplex_interfaces(struct ifplex_iface **list, size_t *count)
{
	struct ifplex__active a;
	int rc;

	if (!list || !count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "interfaces: NULL argument");
	*list = NULL;
	*count = 0;
	if ((rc = ifplex__backend_for(&a, "route ip+net")) < 0)
		return rc;
	if (!a.be->interfaces)
		return ifplex__unsupported(&a, "interfaces");
	rc = a.be->interfaces(a.state, list, count);
	rc = ifplex__plugin_list(&a, "interfaces", rc, list, count, sizeof **list, NULL);
	if (rc < 0)
		return ifplex__op_error(rc, "route", "ip+net", NULL);
	return 0;
}

int ifplex_interface_by_index(int index, struct ifplex_iface *out)
{
	struct ifplex__active a;
	int rc;

	if (!out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "interface by index: NULL argument");
	if (index <= 0)
		return ifplex__set_errorf(IFPLEX_EINVAL, "route ip+net: invalid network interface index %d",
					  index);
	if ((rc = ifplex__backend_for(&a, "route ip+net")) < 0)
		return rc;
	if (!a.be->interface_by_index)
		return ifplex__unsupported(&a, "interface by index");
	rc = a.be->interface_by_index(a.state, index, out);
	if (rc == IFPLEX_ENOIFACE)
		return ifplex__set_errorf(rc, "route ip+net: no such network interface (index %d)", index);
	if (rc < 0)
		return ifplex__op_error(rc, "route", "ip+net", NULL);
	return 0;
}

int ifplex_interface_by_name(const char *name, struct ifplex_iface *out)
{
	struct ifplex__active a;
	int rc;

	if (!name || !out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "interface by name: NULL argument");
	if (!*name || strlen(name) >= IFPLEX_NAME_MAX)
		return ifplex__set_errorf(IFPLEX_EINVAL, "route ip+net: invalid network interface name");
	if ((rc = ifplex__backend_for(&a, "route ip+net")) < 0)
		return rc;
	if (!a.be->interface_by_name)
		return ifplex__unsupported(&a, "interface by name");
	rc = a.be->interface_by_name(a.state, name, out);
	if (rc == IFPLEX_ENOIFACE)
		return ifplex__set_errorf(rc, "route ip+net: no such network interface %s", name);
	if (rc < 0)
		return ifplex__op_error(rc, "route", "ip+net", NULL);
	return 0;
}

typedef int (*addrs_fn)(void *, int, struct ifplex_addr **, size_t *);

static int addrs_common(const struct ifplex_iface *ifi, struct ifplex_addr **list, size_t *count,
			int multicast)
{
	struct ifplex__active a;
	int rc;

	if (!list || !count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "interface addresses: NULL argument");
	*list = NULL;
	*count = 0;
	if (ifi && ifi->index <= 0)
		return ifplex__set_errorf(IFPLEX_EINVAL, "route ip+net: invalid network interface");
	if ((rc = ifplex__backend_for(&a, "route ip+net")) < 0)
		return rc;
	addrs_fn fn = multicast ? a.be->multicast_addrs : a.be->interface_addrs;
	if (!fn)
		return ifplex__unsupported(&a, multicast ? "multicast addresses" : "interface addresses");
	rc = fn(a.state, ifi ? ifi->index : 0, list, count);
	rc = ifplex__plugin_list(&a, multicast ? "multicast_addrs" : "interface_addrs", rc, list,
				 count, sizeof **list, NULL);
	if (rc == IFPLEX_ENOIFACE)
		return ifplex__set_errorf(rc, "route ip+net: no such network interface (index %d)",
					  ifi ? ifi->index : 0);
	if (rc < 0)
		return ifplex__op_error(rc, "route", "ip+net", NULL);
	return 0;
}

int ifplex_interface_addrs(const struct ifplex_iface *ifi, struct ifplex_addr **list, size_t *count)
{
	return addrs_common(ifi, list, count, 0);
}

int ifplex_interface_multicast_addrs(const struct ifplex_iface *ifi, struct ifplex_addr **list,
				     size_t *count)
{
	return addrs_common(ifi, list, count, 1);
}

uint64_t ifplex_generation(void)
{
	struct ifplex__active a;

	if (ifplex__backend(&a) < 0 || !a.be->generation)
		return 0;
	return a.be->generation(a.state);
}

int ifplex_cache_reset(void)
{
	struct ifplex__active a;
	int rc;

	if ((rc = ifplex__backend_for(&a, "cache reset")) < 0)
		return rc;
	if (!a.be->cache_reset)
		return 0; /* nothing cached, nothing to reset */
	rc = a.be->cache_reset(a.state);
	return rc < 0 ? ifplex__op_error(rc, "cache reset", a.be->name, NULL) : 0;
}

int ifplex_addr_string(const struct ifplex_addr *a, char *buf, size_t len)
{
	char ip[IFPLEX_IP_STRLEN], out[IFPLEX_IP_STRLEN + IFPLEX_NAME_MAX + 16];
	int rc;

	if (!a || !buf)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_addr_string", "NULL argument");
	ifplex__ip_string(&a->ip, ip, sizeof ip);
	/* The zone is the caller's array: read no further than it. */
	snprintf(out, sizeof out, "%s%s%.*s/%d", ip, a->zone[0] ? "%" : "", (int)sizeof a->zone - 1,
		 a->zone, a->prefixlen);
	if ((rc = ifplex__copy_out(buf, len, out)) < 0)
		return ifplex__fail(rc, "ifplex_addr_string", NULL);
	return 0;
}
