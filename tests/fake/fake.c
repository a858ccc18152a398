/* SPDX-License-Identifier: MIT */
/* A test backend with canned interfaces and addresses, so that the core,
 * the loader and the ifplex command can be tested without the OS.  Built
 * several times:
 * - ifplex-fake: no sockets; those slots stay NULL and give IFPLEX_ENOTSUP;
 * - ifplex-fakeconn (FAKE_CONNS): in-memory conversations (fake_conn.c);
 * - ifplex-fakeold (FAKE_CONNS, FAKE_SIZE = IFPLEX_BACKEND_SIZE_MIN): as a
 *   plugin built before the optional slots were appended, its struct ends
 *   at the minimum, so poll and the lent-buffer slots do not exist;
 * - ifplex-fakenew (FAKE_SIZE larger than the struct): as a plugin built
 *   against a newer header, with slots this core does not know. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FAKE_NAME
#  define FAKE_NAME "fake"
#endif

static const struct ifplex_host *host;

static const struct ifplex_iface ifaces[] = {
	{.index = 1, .mtu = 65536, .name = "lo",
	 .flags = IFPLEX_IFF_UP | IFPLEX_IFF_LOOPBACK | IFPLEX_IFF_RUNNING},
	{.index = 2, .mtu = 1500, .name = "eth0",
	 .flags = IFPLEX_IFF_UP | IFPLEX_IFF_BROADCAST | IFPLEX_IFF_MULTICAST | IFPLEX_IFF_RUNNING,
	 .hwaddr = {0x02, 0xfc, 0, 0, 0, 0x01}, .hwaddr_len = 6},
	{.index = 5, .mtu = 1400, .name = "tun-\xc3\xa9t\xc3\xa9",
	 .flags = IFPLEX_IFF_POINTTOPOINT | IFPLEX_IFF_MULTICAST},
};
#define NIFACES (sizeof ifaces / sizeof ifaces[0])

static const struct ifplex_addr addrs[] = {
	{.index = 1, .ip = {.len = 4, .b = {127, 0, 0, 1}}, .prefixlen = 8},
	{.index = 1, .ip = {.len = 16, .b = {[15] = 1}}, .prefixlen = 128},
	{.index = 2, .ip = {.len = 4, .b = {192, 0, 2, 2}}, .prefixlen = 24},
	{.index = 2, .ip = {.len = 16, .b = {0xfe, 0x80, [9] = 0xfc, [10] = 0, [11] = 0xff, [12] = 0xfe, [15] = 1}},
	 .prefixlen = 64, .zone = "eth0"},
	{.index = 2, .ip = {.len = 16, .b = {0x20, 0x01, 0x0d, 0xb8, [15] = 2}}, .prefixlen = 64},
};
static const struct ifplex_addr groups[] = {
	{.index = 2, .ip = {.len = 4, .b = {224, 0, 0, 1}}, .prefixlen = 32},
	{.index = 2, .ip = {.len = 16, .b = {0xff, 0x02, [15] = 1}}, .prefixlen = 128, .zone = "eth0"},
};

static int fake_open(const struct ifplex_host *h, void **state)
{
	/* A plugin asks for the host slots it uses, never for an exact size:
	 * an older core lends fewer, a newer one more. */
	if (!IFPLEX_HOST_HAS(h, alloc) || !IFPLEX_HOST_HAS(h, log))
		return IFPLEX_ENOTSUP;
	host = h;
	*state = (void *)&ifaces;
	host->log(IFPLEX_LOG_DEBUG, "fake: open");
	return 0;
}

static const char *fake_describe(void *state, const char *key)
{
	if (strcmp(key, "cache") == 0)
		return "none";
	if (strcmp(key, "cache_modes") == 0)
		return "none";
	if (strcmp(key, "cache_why") == 0)
		return "the fake backend has canned data";
	/* The mode the program asked for, lent by cores of ABI 2 and later. */
	if (strcmp(key, "cache_asked") == 0) {
		if (!IFPLEX_HOST_HAS(host, cache_mode))
			return "";
		return host->cache_mode;
	}
#ifdef FAKE_CONNS
	/* How many conversations are open, for tests of close. */
	if (strcmp(key, "conns") == 0) {
		static _Thread_local char text[32];
		snprintf(text, sizeof text, "%ld", fake_conns_alive());
		return text;
	}
	if (strcmp(key, "waiting") == 0) {
		static _Thread_local char text[32];
		snprintf(text, sizeof text, "%ld", fake_conns_waiting());
		return text;
	}
#endif
	return NULL;
}

static int fake_interfaces(void *state, struct ifplex_iface **list, size_t *count)
{
	*list = host->alloc(sizeof ifaces);
	if (!*list)
		return IFPLEX_ENOMEM;
	memcpy(*list, ifaces, sizeof ifaces);
	*count = NIFACES;
	return 0;
}

static int fake_by_index(void *state, int index, struct ifplex_iface *out)
{
	for (size_t i = 0; i < NIFACES; i++)
		if (ifaces[i].index == index) {
			*out = ifaces[i];
			return 0;
		}
	return IFPLEX_ENOIFACE;
}

static int fake_by_name(void *state, const char *name, struct ifplex_iface *out)
{
	for (size_t i = 0; i < NIFACES; i++)
		if (strcmp(ifaces[i].name, name) == 0) {
			*out = ifaces[i];
			return 0;
		}
	return IFPLEX_ENOIFACE;
}

static int filter(const struct ifplex_addr *src, size_t n, int index, struct ifplex_addr **list,
		  size_t *count)
{
	struct ifplex_iface tmp;

	if (index && fake_by_index(NULL, index, &tmp) < 0)
		return IFPLEX_ENOIFACE;
	*list = host->alloc(n * sizeof *src);
	if (!*list)
		return IFPLEX_ENOMEM;
	*count = 0;
	for (size_t i = 0; i < n; i++)
		if (!index || src[i].index == index)
			(*list)[(*count)++] = src[i];
	return 0;
}

static int fake_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	return filter(addrs, sizeof addrs / sizeof addrs[0], index, list, count);
}

static int fake_groups(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	return filter(groups, sizeof groups / sizeof groups[0], index, list, count);
}

static uint64_t fake_generation(void *state)
{
	return 7;
}

static int fake_lookup_ip(void *state, const char *name, int family, struct ifplex_ip **list,
			  size_t *count)
{
	if (strcmp(name, "fake.example") != 0)
		return IFPLEX_ENOTFOUND;
	*list = host->alloc(2 * sizeof **list);
	if (!*list)
		return IFPLEX_ENOMEM;
	*count = 0;
	if (family != 4)
		(*list)[(*count)++] = (struct ifplex_ip){.len = 16, .b = {0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
	if (family != 6)
		(*list)[(*count)++] = (struct ifplex_ip){.len = 4, .b = {192, 0, 2, 2}};
	return 0;
}

static int fake_lookup_port(void *state, int kind, const char *service, int *port)
{
	if (strcmp(service, "http") == 0) {
		*port = 80;
		return 0;
	}
	return IFPLEX_ENOTFOUND;
}

static const struct ifplex_backend fake = {
	.abi = IFPLEX_BACKEND_ABI,
	.size = sizeof(struct ifplex_backend),
	.name = FAKE_NAME,
	.caps = IFPLEX_CAP_INTERFACES | IFPLEX_CAP_ADDRS | IFPLEX_CAP_MULTICAST_ADDRS |
		IFPLEX_CAP_GENERATION | IFPLEX_CAP_LOOKUP
#ifdef FAKE_CONNS
		| IFPLEX_CAP_TCP | IFPLEX_CAP_UDP | IFPLEX_CAP_DEADLINES | IFPLEX_CAP_POLL |
		IFPLEX_CAP_LENT
#endif
	,
	.open = fake_open,
	.describe = fake_describe,
	.interfaces = fake_interfaces,
	.interface_by_index = fake_by_index,
	.interface_by_name = fake_by_name,
	.interface_addrs = fake_addrs,
	.multicast_addrs = fake_groups,
	.generation = fake_generation,
	.lookup_ip = fake_lookup_ip,
	.lookup_port = fake_lookup_port,
#ifdef FAKE_CONNS
	.dial = fake_dial,
	.listen_packet = fake_listen_packet,
	.close_conn = fake_close_conn,
	.read = fake_read,
	.write = fake_write,
	.local_addr = fake_local_addr,
	.remote_addr = fake_remote_addr,
	.set_deadline = fake_set_deadline,
	.interrupt = fake_interrupt,
	.poll = fake_poll,
	.read_lent = fake_read_lent,
	.release_lent = fake_release_lent,
#endif
};

#ifdef FAKE_SIZE
/* The struct as an older or newer build lays it out: exactly FAKE_SIZE
 * bytes, so that a loader reading past size reads past the object (and
 * AddressSanitizer says so).  A newer build's extra slots point at a
 * function that must never be called. */
static _Alignas(struct ifplex_backend) unsigned char image[FAKE_SIZE];

static void unknown_slot(void)
{
	abort();
}

IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	struct ifplex_backend be = fake;
	void (*slot)(void) = unknown_slot;

	be.size = FAKE_SIZE;
	memcpy(image, &be, FAKE_SIZE < sizeof be ? FAKE_SIZE : sizeof be);
	for (size_t at = sizeof be; at + sizeof slot <= FAKE_SIZE; at += sizeof slot)
		memcpy(image + at, &slot, sizeof slot);
	return (const struct ifplex_backend *)(const void *)image;
}
#else
IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &fake;
}
#endif
