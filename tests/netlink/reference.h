/* SPDX-License-Identifier: MIT */
/* The reference for cache tests: a second instance of the netlink plugin,
 * opened directly with dlopen and told to keep no cache, so that each of its
 * answers is a fresh pair of dumps.  Comparisons are in order: every cache
 * mode must list links and addresses in the order a dump gives them. */
#ifndef IFPLEX_TEST_NL_REFERENCE_H
#define IFPLEX_TEST_NL_REFERENCE_H

#include "../helpers.h"

#include <check.h>
#include <dlfcn.h>
#include <ifplex/backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct ifplex_backend *ref_be;
static void *ref_state;

static inline void *ref_alloc(size_t n) { return calloc(1, n ? n : 1); }
static inline void ref_log(int level, const char *fmt, ...) { (void)level; (void)fmt; }
static inline const char *ref_getenv(const char *name) { (void)name; return NULL; }
static inline int ref_fail(const char *what, int code) { (void)what; return code; }

static const struct ifplex_host ref_host = {
	.size = sizeof(struct ifplex_host), .alloc = ref_alloc, .free = free, .log = ref_log,
	.getenv = ref_getenv, .fail = ref_fail, .fail_text = ref_fail, .cache_mode = "off",
};

/* The netlink plugin of this build, opened with host; its backend struct. */
static inline const struct ifplex_backend *nl_plugin_open(const struct ifplex_host *host, void **state)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/ifplex-netlink.so", ifplex_test_env("IFPLEX_TEST_PLUGINS"));
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h, "%s", dlerror());
	const struct ifplex_backend *(*entry)(void) =
		(const struct ifplex_backend *(*)(void))dlsym(h, "ifplex_backend_entry");
	ck_assert_ptr_nonnull(entry);
	const struct ifplex_backend *be = entry();
	ck_assert_int_eq(be->open(host, state), 0);
	return be;
}

static inline void open_reference(void)
{
	ref_be = nl_plugin_open(&ref_host, &ref_state);
}

static inline void same_iface(const struct ifplex_iface *a, const struct ifplex_iface *b, const char *what)
{
	ck_assert_msg(a->index == b->index && a->mtu == b->mtu && a->flags == b->flags &&
			      strcmp(a->name, b->name) == 0 && a->hwaddr_len == b->hwaddr_len &&
			      memcmp(a->hwaddr, b->hwaddr, a->hwaddr_len) == 0,
		      "%s: cached %d %s mtu %d flags %x hw %u, dump %d %s mtu %d flags %x hw %u", what,
		      a->index, a->name, a->mtu, a->flags, a->hwaddr_len, b->index, b->name, b->mtu,
		      b->flags, b->hwaddr_len);
}

/* Both lists as text, for a message that shows where they part. */
static inline void addrs_text(const struct ifplex_addr *a, size_t n, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 64 < len; i++) {
		char s[IFPLEX_ADDR_STRLEN];
		ifplex_addr_string(&a[i], s, sizeof s);
		used += (size_t)snprintf(buf + used, len - used, "%s%d:%s", i ? " " : "", a[i].index, s);
	}
}

static inline void same_addrs(const struct ifplex_addr *a, size_t na, const struct ifplex_addr *b, size_t nb,
			      const char *what)
{
	static char x[8192], y[8192];
	int same = na == nb;
	for (size_t i = 0; same && i < na; i++) {
		char s[IFPLEX_ADDR_STRLEN], t[IFPLEX_ADDR_STRLEN];
		ifplex_addr_string(&a[i], s, sizeof s);
		ifplex_addr_string(&b[i], t, sizeof t);
		same = a[i].index == b[i].index && strcmp(s, t) == 0;
	}
	if (!same) {
		addrs_text(a, na, x, sizeof x);
		addrs_text(b, nb, y, sizeof y);
		ck_abort_msg("%s: cached addresses (in order) differ from a dump:\n cached %s\n dumped %s", what, x, y);
	}
}

/* Every public call, cached, against the uncached reference, in order. */
static inline void check_coherent(const char *what)
{
	struct ifplex_iface *ci, *ri;
	struct ifplex_addr *ca, *ra;
	size_t nci, nri, nca, nra;

	ck_assert_msg(ifplex_interfaces(&ci, &nci) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ref_be->interfaces(ref_state, &ri, &nri), 0);
	ck_assert_msg(nci == nri, "%s: %zu cached interfaces, %zu dumped", what, nci, nri);
	for (size_t i = 0; i < nci; i++) {
		same_iface(&ci[i], &ri[i], what);
		struct ifplex_iface one;
		ck_assert_int_eq(ifplex_interface_by_index(ri[i].index, &one), 0);
		same_iface(&one, &ri[i], what);
		ck_assert_int_eq(ifplex_interface_by_name(ri[i].name, &one), 0);
		same_iface(&one, &ri[i], what);
		ck_assert_int_eq(ifplex_interface_addrs(&ri[i], &ca, &nca), 0);
		ck_assert_int_eq(ref_be->interface_addrs(ref_state, ri[i].index, &ra, &nra), 0);
		same_addrs(ca, nca, ra, nra, what);
		ifplex_free(ca);
		free(ra);
	}
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &ca, &nca), 0);
	ck_assert_int_eq(ref_be->interface_addrs(ref_state, 0, &ra, &nra), 0);
	same_addrs(ca, nca, ra, nra, what);
	ifplex_free(ca);
	free(ra);
	ifplex_free(ci);
	free(ri);
}

/* IPv6 addresses are announced by the kernel from its DAD work queue, even
 * with nodad: a dump can list one a moment before the announcement.  Wait
 * (boundedly) for the announcement before comparing. */
static inline void await_ipv6_announcement(void)
{
	for (int i = 0; i < 400; i++) {
		struct ifplex_addr *ca, *ra;
		size_t nca, nra;
		ck_assert_int_eq(ifplex_interface_addrs(NULL, &ca, &nca), 0);
		ck_assert_int_eq(ref_be->interface_addrs(ref_state, 0, &ra, &nra), 0);
		ifplex_free(ca);
		free(ra);
		if (nca == nra)
			return;
		usleep(5000);
	}
}

/* One round of a reader racing changes: each answer whole (a listed name
 * is found, or gone since; by index and by name agree; addresses belong to
 * an interface).  0, or which check failed. */
static inline int read_round(void)
{
	struct ifplex_iface *l, one;
	struct ifplex_addr *a;
	size_t n, na;

	if (ifplex_interfaces(&l, &n) < 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		if (l[i].index <= 0 || !l[i].name[0] || strlen(l[i].name) >= IFPLEX_NAME_MAX)
			return 2;
		int rc = ifplex_interface_by_name(l[i].name, &one);
		if (rc == 0 && strcmp(one.name, l[i].name) != 0)
			return 3;
		if (rc < 0 && rc != IFPLEX_ENOIFACE)
			return 4;
		rc = ifplex_interface_by_index(l[i].index, &one);
		if (rc < 0 && rc != IFPLEX_ENOIFACE)
			return 5;
	}
	ifplex_free(l);
	if (ifplex_interface_addrs(NULL, &a, &na) < 0)
		return 6;
	for (size_t i = 0; i < na; i++)
		if (a[i].index <= 0 || (a[i].ip.len != 4 && a[i].ip.len != 16))
			return 7;
	ifplex_free(a);
	return 0;
}

/* Calls until ebpf has armed its filter, which a helper thread makes
 * after the build while the calls go on: within seconds, however loaded
 * the machine.  The number of calls it took. */
static inline int await_armed(void)
{
	struct ifplex_iface *l;
	size_t n;
	int calls = 0;

	for (int i = 0; i < 10000 && atoll(ifplex_backend_describe("cache_bpf_setup_ns")) <= 0; i++) {
		ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
		ifplex_free(l);
		calls++;
		usleep(1000);
	}
	ck_assert_msg(atoll(ifplex_backend_describe("cache_bpf_setup_ns")) > 0, "BPF filter not armed (%s)",
		      ifplex_backend_describe("cache_why"));
	return calls;
}

/* Enough calls that every mode has built its cache (auto builds on the
 * third) and ebpf has armed its filter. */
static inline void prime(const char *mode)
{
	struct ifplex_iface *l;
	size_t n;

	for (int i = 0; i < 4; i++) {
		ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
		ifplex_free(l);
	}
	ck_assert_str_eq(ifplex_cache_mode(), mode);
	if (strcmp(mode, "ebpf") == 0)
		await_armed();
}

#endif
