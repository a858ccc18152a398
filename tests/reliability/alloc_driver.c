/* SPDX-License-Identifier: MIT */
/* The driver of the allocation-failure sweep (test_alloc_sweep.sh): every
 * interface call a few times, in the cache mode IFPLEX_CACHE names, while
 * failalloc.so fails one allocation somewhere; then, with nothing failing,
 * every call must succeed and equal an uncached dump, in order, and an
 * explicitly chosen ebpf cache must have armed its filter.
 *
 * Exit 0 when all holds; 1 with a line on stderr saying what did not. */
#include <dlfcn.h>
#include <ifplex.h>
#include <ifplex/backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*pause_fn)(int);

static void pause_failures(int on)
{
	if (pause_fn)
		pause_fn(on);
}

static void *ref_alloc(size_t n) { return calloc(1, n ? n : 1); }
static void ref_log(int level, const char *fmt, ...) { (void)level; (void)fmt; }
static const char *ref_getenv(const char *name) { (void)name; return NULL; }
static int ref_fail(const char *what, int code) { (void)what; return code; }

static const struct ifplex_host ref_host = {
	.size = sizeof(struct ifplex_host), .alloc = ref_alloc, .free = free, .log = ref_log,
	.getenv = ref_getenv, .fail = ref_fail, .fail_text = ref_fail, .cache_mode = "off",
};
static const struct ifplex_backend *ref_be;
static void *ref_state;

static int bad(const char *what, int rc)
{
	fprintf(stderr, "alloc_driver: %s: %d (%s)\n", what, rc, ifplex_last_error());
	return 1;
}

/* One of each call; failures are allowed here (an allocation may fail). */
static int round_of_calls(int strict)
{
	struct ifplex_iface *l, one, lo = {.index = 1};
	struct ifplex_addr *a;
	size_t n;
	int rc;

	if ((rc = ifplex_interfaces(&l, &n)) == 0)
		ifplex_free(l);
	else if (strict)
		return bad("interfaces", rc);
	if ((rc = ifplex_interface_addrs(NULL, &a, &n)) == 0)
		ifplex_free(a);
	else if (strict)
		return bad("all addresses", rc);
	if ((rc = ifplex_interface_by_name("lo", &one)) < 0 && strict)
		return bad("by name", rc);
	if ((rc = ifplex_interface_by_index(1, &one)) < 0 && strict)
		return bad("by index", rc);
	if ((rc = ifplex_interface_addrs(&lo, &a, &n)) == 0)
		ifplex_free(a);
	else if (strict)
		return bad("addresses of lo", rc);
	if ((rc = ifplex_interface_multicast_addrs(&lo, &a, &n)) == 0)
		ifplex_free(a);
	else if (strict)
		return bad("multicast of lo", rc);
	ifplex_generation();
	if (!ifplex_backend_describe("cache_why") && strict)
		return bad("describe", 0);
	return 0;
}

static int same_as_dump(void)
{
	struct ifplex_iface *l, *rl;
	struct ifplex_addr *a, *ra;
	size_t n, rn, na, rna;
	int rc = 0;

	if (ifplex_interfaces(&l, &n) < 0 || ifplex_interface_addrs(NULL, &a, &na) < 0)
		return bad("final calls", -1);
	if (ref_be->interfaces(ref_state, &rl, &rn) < 0 || ref_be->interface_addrs(ref_state, 0, &ra, &rna) < 0)
		return bad("reference dump", -1);
	if (n != rn || na != rna)
		rc = bad("count differs from a dump", (int)(n - rn));
	for (size_t i = 0; !rc && i < n; i++)
		if (l[i].index != rl[i].index || strcmp(l[i].name, rl[i].name) || l[i].flags != rl[i].flags ||
		    l[i].mtu != rl[i].mtu)
			rc = bad("an interface differs from a dump", (int)i);
	for (size_t i = 0; !rc && i < na; i++)
		if (a[i].index != ra[i].index || a[i].prefixlen != ra[i].prefixlen || a[i].ip.len != ra[i].ip.len ||
		    memcmp(a[i].ip.b, ra[i].ip.b, a[i].ip.len) || strcmp(a[i].zone, ra[i].zone))
			rc = bad("an address differs from a dump", (int)i);
	free(rl);
	free(ra);
	ifplex_free(l);
	ifplex_free(a);
	return rc;
}

int main(int argc, char **argv)
{
	const char *mode = getenv("IFPLEX_CACHE");
	char path[1200];

	/* Choosing and loading the backend is the core's work (its own tests
	 * cover it); with --with-load it is under test too. */
	pause_fn = (void (*)(int))dlsym(RTLD_DEFAULT, "failalloc_pause");
	pause_failures(1);
	snprintf(path, sizeof path, "%s/ifplex-netlink.so", getenv("IFPLEX_TEST_PLUGINS"));
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	const struct ifplex_backend *(*entry)(void) =
		h ? (const struct ifplex_backend *(*)(void))dlsym(h, "ifplex_backend_entry") : NULL;
	if (!entry || (ref_be = entry())->open(&ref_host, &ref_state) < 0) {
		fprintf(stderr, "alloc_driver: cannot open %s\n", path);
		return 1;
	}
	if (!(argc > 1 && strcmp(argv[1], "--with-load") == 0) && !ifplex_backend_name())
		return bad("backend", -1);
	pause_failures(0);

	for (int i = 0; i < 4; i++)
		round_of_calls(0);
	/* Whatever failed above, from here on (nothing failing) every call
	 * succeeds. */
	pause_failures(1);
	if (round_of_calls(1) || round_of_calls(1) || same_as_dump())
		return 1;
	/* The filter is made on a helper thread: calls go on until it arms
	 * (a bounded wait, however loaded the machine). */
	for (int i = 0; mode && strcmp(mode, "ebpf") == 0 && i < 10000 &&
			atoll(ifplex_backend_describe("cache_bpf_setup_ns")) <= 0; i++) {
		if (round_of_calls(1))
			return 1;
		usleep(1000);
	}
	if (mode && strcmp(mode, "ebpf") == 0 &&
	    (strcmp(ifplex_cache_mode(), "ebpf") != 0 || atoll(ifplex_backend_describe("cache_bpf_setup_ns")) <= 0))
		return bad("ebpf chosen, but the filter is not armed", 0);
	ref_be->close(ref_state);
	return 0;
}
