/* SPDX-License-Identifier: MIT */
/* The plan9 backend: interfaces, addresses, conversations and lookups
 * through the /net file tree under IFPLEX_PLAN9_NET. */
#include "p9.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int p9_open(const struct ifplex_host *host, void **state)
{
	struct p9 *p = host->alloc(sizeof *p);
	const char *root = host->getenv("IFPLEX_PLAN9_NET");
	struct stat st;

	if (!p)
		return IFPLEX_ENOMEM;
	/* IP text goes through the core's pure helpers: this plugin never
	 * links libifplex (whose calls would overwrite the caller's error). */
	if (!IFPLEX_HOST_HAS(host, ip_parse) || !IFPLEX_HOST_HAS(host, ip_string)) {
		host->free(p);
		return host->fail_text("plan9: the core lends no IP helpers", IFPLEX_ENOTSUP);
	}
	p->host = host;
	if (!root || !*root)
		root = "/net";
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n >= sizeof p->root) {
		host->free(p);
		return host->fail_text("IFPLEX_PLAN9_NET: path too long", IFPLEX_EINVAL);
	}
	memcpy(p->root, root, n);
	p->root[n] = '\0';
	/* The root stands for the machine's /net: its parent for the
	 * namespace's "/", where /net.alt and other devices are. */
	char *slash = strrchr(p->root, '/');
	size_t nsn = slash ? (size_t)(slash - p->root) : 0;
	memcpy(p->ns, p->root, nsn);
	p->ns[nsn] = '\0';
	if (stat(p->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		char msg[600];
		snprintf(msg, sizeof msg, "IFPLEX_PLAN9_NET: %s is not a directory", p->root);
		host->free(p);
		return host->fail_text(msg, IFPLEX_ENOBACKEND);
	}
	*state = p;
	return 0;
}

static void p9_close(void *state)
{
	struct p9 *p = state;
	p->host->free(p);
}

/* Go's supportsIPv4/IPv6: an iproute entry of type 4i or 6i. */
static int probe_iproute(struct p9 *p, const char *word)
{
	char path[600];

	snprintf(path, sizeof path, "%s/iproute", p->root);
	return p9_file_has_field(path, word);
}

static const char *p9_describe(void *state, const char *key)
{
	struct p9 *p = state;

	if (strcmp(key, "cache") == 0 || strcmp(key, "cache_modes") == 0)
		return "none";
	if (strcmp(key, "cache_why") == 0)
		return "the /net files are read on every call";
	if (strcmp(key, "root") == 0)
		return p->root;
	/* Static texts: a returned string never changes under the caller. */
	if (strcmp(key, "ipv4") == 0)
		return probe_iproute(p, "4i") ? "yes" : "no";
	if (strcmp(key, "ipv6") == 0)
		return probe_iproute(p, "6i") ? "yes" : "no";
	return NULL;
}

static const struct ifplex_backend plan9_backend = {
	.abi = IFPLEX_BACKEND_ABI,
	.size = sizeof(struct ifplex_backend),
	.name = "plan9",
	.caps = IFPLEX_CAP_INTERFACES | IFPLEX_CAP_ADDRS | IFPLEX_CAP_TCP | IFPLEX_CAP_UDP | IFPLEX_CAP_LOOKUP | IFPLEX_CAP_LOOKUP_DNS,
	.open = p9_open,
	.close = p9_close,
	.describe = p9_describe,
	.interfaces = p9_interfaces,
	.interface_by_index = p9_interface_by_index,
	.interface_by_name = p9_interface_by_name,
	.interface_addrs = p9_interface_addrs,
	.dial = p9_dial,
	.listen = p9_listen,
	.listen_packet = p9_listen_packet,
	.accept = p9_accept,
	.close_conn = p9_close_conn,
	.read = p9_read,
	.write = p9_write,
	.read_msg = p9_read_msg,
	.write_msg = p9_write_msg,
	.local_addr = p9_local_addr,
	.remote_addr = p9_remote_addr,
	.set_option = p9_set_option,
	.set_deadline = p9_set_deadline,
	.conn_caps = p9_conn_caps,
	.lookup_ip = p9_lookup_ip,
	.lookup_port = p9_lookup_port,
	.lookup_addr = p9_lookup_addr,
	.lookup_cname = p9_lookup_cname,
	.lookup_srv = p9_lookup_srv,
	.lookup_mx = p9_lookup_mx,
};

IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &plan9_backend;
}
