/* SPDX-License-Identifier: MIT */
/* The win32 backend: GetAdaptersAddresses for interfaces and addresses,
 * Winsock 2 for conversations, the system resolver and DnsQuery_W for
 * names.  Built as ifplex-win32.dll with mingw-w64. */
#include "w32.h"

#include <string.h>

const struct ifplex_host *w32_host;

static INIT_ONCE wsa_once = INIT_ONCE_STATIC_INIT;
static int wsa_status;

/* Winsock is started once per process and never stopped: plugins are
 * never unloaded, and conversations may outlive any one caller. */
static BOOL CALLBACK wsa_start(INIT_ONCE *once, void *param, void **ctx)
{
	WSADATA d;

	wsa_status = WSAStartup(MAKEWORD(2, 2), &d);
	return TRUE;
}

static int w32_open(const struct ifplex_host *host, void **state)
{
	w32_host = host;
	InitOnceExecuteOnce(&wsa_once, wsa_start, NULL, NULL);
	if (wsa_status != 0)
		return w32_fail("wsastartup", (DWORD)wsa_status);
	*state = NULL;
	return 0;
}

static void w32_close_backend(void *state)
{
}

static const char *w32_describe(void *state, const char *key)
{
	if (strcmp(key, "cache") == 0 || strcmp(key, "cache_modes") == 0)
		return "none";
	if (strcmp(key, "cache_why") == 0)
		return "GetAdaptersAddresses answers every call";
	return NULL;
}

static const struct ifplex_backend win32_backend = {
	.abi = IFPLEX_BACKEND_ABI,
	.size = sizeof(struct ifplex_backend),
	.name = "win32",
	.caps = IFPLEX_CAP_INTERFACES | IFPLEX_CAP_ADDRS | IFPLEX_CAP_MULTICAST_ADDRS |
		IFPLEX_CAP_TCP | IFPLEX_CAP_UDP | IFPLEX_CAP_RAWIP | IFPLEX_CAP_UNIX |
		IFPLEX_CAP_DEADLINES | IFPLEX_CAP_MCAST_JOIN | IFPLEX_CAP_BATCH | IFPLEX_CAP_FD |
		IFPLEX_CAP_LOOKUP | IFPLEX_CAP_LOOKUP_DNS | IFPLEX_CAP_POLL | IFPLEX_CAP_EVENTS |
		IFPLEX_CAP_DETAILS,
	.open = w32_open,
	.close = w32_close_backend,
	.describe = w32_describe,
	.interfaces = w32_interfaces,
	.interface_by_index = w32_interface_by_index,
	.interface_by_name = w32_interface_by_name,
	.interface_addrs = w32_interface_addrs,
	.multicast_addrs = w32_multicast_addrs,
	.dial = w32_dial,
	.listen = w32_listen,
	.listen_packet = w32_listen_packet,
	.accept = w32_accept,
	.close_conn = w32_close,
	.read = w32_read,
	.write = w32_write,
	.read_msg = w32_read_msg,
	.write_msg = w32_write_msg,
	.read_batch = w32_read_batch,
	.write_batch = w32_write_batch,
	.local_addr = w32_local_addr,
	.remote_addr = w32_remote_addr,
	.set_option = w32_set_option,
	.join_group = w32_join_group,
	.close_write = w32_close_write,
	.conn_fd = w32_conn_fd,
	.wait_fd = w32_conn_fd,
	.conn_caps = w32_conn_caps,
	.set_deadline = w32_set_deadline,
	.interrupt = w32_interrupt,
	.lookup_ip = w32_lookup_ip,
	.lookup_port = w32_lookup_port,
	.lookup_addr = w32_lookup_addr,
	.lookup_cname = w32_lookup_cname,
	.lookup_srv = w32_lookup_srv,
	.lookup_mx = w32_lookup_mx,
	.poll = w32_poll,
	.events_open = w32_events_open,
	.events_read = w32_events_read,
	.events_wait = w32_events_wait,
	.events_wait_fd = w32_events_wait_fd,
	.events_close = w32_events_close,
	.link_details = w32_link_details,
	.addr_details = w32_addr_details,
};

IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &win32_backend;
}
