/* SPDX-License-Identifier: MIT */
/* A plugin that breaks the list contract in the way IFPLEX_TEST_LIAR names,
 * in every slot that returns a list, so that the core's checks can be
 * tested (tests/core/test_malicious.c):
 *   ok        well-formed lists (the control)
 *   null      a NULL list with a count of 3
 *   short     one entry's room from host->alloc, a count of 1000
 *   malloc    a list from plain malloc
 *   static    a list in the plugin's own static memory
 *   freed     a list already given back with host->free
 *   bad       well-sized lists of malformed entries (lookups: an IP of
 *             length 7, unterminated names, names pointing elsewhere)
 *   fail      an error code, with a host->alloc'd list left behind
 *   nullconn  dial succeeds without a connection */
#include <ifplex/backend.h>

#include <stdlib.h>
#include <string.h>

static const struct ifplex_host *host;
static char mode[16];

static _Alignas(16) unsigned char static_block[4096];

static int liar_open(const struct ifplex_host *h, void **state)
{
	const char *m = IFPLEX_HOST_HAS(h, getenv) ? h->getenv("IFPLEX_TEST_LIAR") : NULL;

	host = h;
	strncpy(mode, m ? m : "ok", sizeof mode - 1);
	return 0;
}

static int is(const char *m)
{
	return strcmp(mode, m) == 0;
}

/* A list of n entries of size elem, filled by fill, lying as mode says. */
static int lie(size_t n, size_t elem, void (*fill)(void *e, size_t i, void *block), void **list,
	       size_t *count)
{
	void *b;

	*count = n;
	if (is("null")) {
		*list = NULL;
		*count = 3;
		return 0;
	}
	if (is("malloc")) {
		/* Kept here, so that the core, which must not free it, does not
		 * make a leak checker fail the test. */
		static void *kept[16];
		static unsigned next;
		*list = calloc(n, elem);
		free(kept[next % 16]);
		kept[next++ % 16] = *list;
		return *list ? 0 : IFPLEX_ENOMEM;
	}
	if (is("static")) {
		*list = static_block;
		return 0;
	}
	b = host->alloc(is("short") ? elem : n * elem + 64);
	if (!b)
		return IFPLEX_ENOMEM;
	for (size_t i = 0; !is("short") && i < n; i++)
		fill((char *)b + i * elem, i, b);
	*list = b;
	if (is("short"))
		*count = 1000;
	else if (is("freed"))
		host->free(b);
	else if (is("fail"))
		return -5; /* EIO, with the list left in *list */
	return 0;
}

static void fill_iface(void *e, size_t i, void *block)
{
	struct ifplex_iface *f = e;
	f->index = (int)i + 1;
	strcpy(f->name, i ? "eth0" : "lo");
}

static void fill_addr(void *e, size_t i, void *block)
{
	struct ifplex_addr *a = e;
	a->index = 1;
	a->ip = (struct ifplex_ip){.len = 4, .b = {127, 0, 0, (uint8_t)(i + 1)}};
	a->prefixlen = 8;
}

static void fill_ip(void *e, size_t i, void *block)
{
	struct ifplex_ip *ip = e;
	*ip = (struct ifplex_ip){.len = is("bad") ? 7 : 4, .b = {192, 0, 2, (uint8_t)(i + 1)}};
}

static void fill_srv(void *e, size_t i, void *block)
{
	struct ifplex_srv *s = e;
	if (is("bad"))
		memset(s->target, 'x', sizeof s->target);
	else
		strcpy(s->target, "srv.example.");
	s->port = 5269;
}

static void fill_mx(void *e, size_t i, void *block)
{
	struct ifplex_mx *m = e;
	if (is("bad"))
		memset(m->host, 'x', sizeof m->host);
	else
		strcpy(m->host, "mx.example.");
	m->pref = 10;
}

/* lookup_addr's one allocation: one pointer, then its text.  "bad"
 * points the name at the plugin's static memory instead. */
static void fill_name(void *e, size_t i, void *block)
{
	char **names = e;
	char *text = (char *)block + 2 * sizeof(char *);
	strcpy(text, "host.example.");
	names[0] = is("bad") ? (char *)static_block : text;
}

static int liar_interfaces(void *state, struct ifplex_iface **list, size_t *count)
{
	return lie(2, sizeof **list, fill_iface, (void **)list, count);
}

static int liar_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	return lie(2, sizeof **list, fill_addr, (void **)list, count);
}

static int liar_lookup_ip(void *state, const char *name, int family, struct ifplex_ip **list,
			  size_t *count)
{
	return lie(2, sizeof **list, fill_ip, (void **)list, count);
}

static int liar_lookup_addr(void *state, const struct ifplex_ip *ip, char ***names, size_t *count)
{
	return lie(1, sizeof **names, fill_name, (void **)names, count);
}

static int liar_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count)
{
	return lie(2, sizeof **list, fill_srv, (void **)list, count);
}

static int liar_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count)
{
	return lie(2, sizeof **list, fill_mx, (void **)list, count);
}

static int liar_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	if (!is("nullconn"))
		return IFPLEX_ENOTSUP;
	*out = NULL;
	return 0;
}

static const struct ifplex_backend liar = {
	.abi = IFPLEX_BACKEND_ABI,
	.size = sizeof(struct ifplex_backend),
	.name = "liar",
	.caps = IFPLEX_CAP_INTERFACES | IFPLEX_CAP_ADDRS | IFPLEX_CAP_MULTICAST_ADDRS |
		IFPLEX_CAP_LOOKUP | IFPLEX_CAP_LOOKUP_DNS | IFPLEX_CAP_TCP,
	.open = liar_open,
	.interfaces = liar_interfaces,
	.interface_addrs = liar_addrs,
	.multicast_addrs = liar_addrs,
	.lookup_ip = liar_lookup_ip,
	.lookup_addr = liar_lookup_addr,
	.lookup_srv = liar_lookup_srv,
	.lookup_mx = liar_lookup_mx,
	.dial = liar_dial,
	.listen = liar_dial,
	.listen_packet = liar_dial,
};

IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &liar;
}
