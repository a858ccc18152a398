/* SPDX-License-Identifier: MIT */
/* The win32 backend's interfaces and addresses under wine, in the network
 * namespace tests/win32/wine-run.sh made (lo, w0..w3).  test_w32_tool.sh
 * compares the whole lists with `ip -j`; this checks the API's calls
 * against each other and against the namespace's known facts. */
#include "win32/tap.h"

#include <ifplex.h>

#include <string.h>

static const struct ifplex_iface *find(const struct ifplex_iface *ifs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ifs[i].name, name) == 0)
			return &ifs[i];
	return NULL;
}

static int has_addr(const struct ifplex_addr *a, size_t n, const char *text)
{
	char buf[IFPLEX_ADDR_STRLEN];

	for (size_t i = 0; i < n; i++)
		if (ifplex_addr_string(&a[i], buf, sizeof buf) == 0 && strcmp(buf, text) == 0)
			return 1;
	return 0;
}

static void by_index_and_name(const struct ifplex_iface *ifs, size_t n)
{
	int same = 1;

	for (size_t i = 0; i < n; i++) {
		struct ifplex_iface a, b;
		if (ifplex_interface_by_index(ifs[i].index, &a) < 0 ||
		    ifplex_interface_by_name(ifs[i].name, &b) < 0 ||
		    memcmp(&a, &ifs[i], sizeof a) != 0 || memcmp(&b, &ifs[i], sizeof b) != 0) {
			tap_diag("%s (index %d) differs by index or name: %s", ifs[i].name,
				 ifs[i].index, ifplex_last_error());
			same = 0;
		}
	}
	tap_ok(same, "by index and by name give what the list gives, for all %zu", n);
	struct ifplex_iface x;
	int rc = ifplex_interface_by_name("no-such-interface", &x);
	tap_ok(rc == IFPLEX_ENOIFACE, "an unknown name is IFPLEX_ENOIFACE (%d: %s)", rc,
	       ifplex_last_error());
	rc = ifplex_interface_by_index(99999, &x);
	tap_ok(rc == IFPLEX_ENOIFACE, "an unknown index is IFPLEX_ENOIFACE (%d: %s)", rc,
	       ifplex_last_error());
}

static void known_links(const struct ifplex_iface *ifs, size_t n)
{
	const struct ifplex_iface *lo = find(ifs, n, "lo"), *w0 = find(ifs, n, "w0"),
				  *w2 = find(ifs, n, "w2"), *w3 = find(ifs, n, "w3");

	tap_ok(n == 5 && lo && w0 && w2 && w3 && find(ifs, n, "w1"),
	       "the namespace's five links, by their Linux names (%zu)", n);
	if (!lo || !w0 || !w2 || !w3)
		tap_bail("the namespace's links are missing");
	tap_ok(lo->flags == (IFPLEX_IFF_UP | IFPLEX_IFF_RUNNING | IFPLEX_IFF_LOOPBACK |
			     IFPLEX_IFF_MULTICAST) && lo->hwaddr_len == 0,
	       "lo: a software loopback, up, no hardware address (flags %#x)", lo->flags);
	tap_ok(w0->mtu == 1400 && w2->mtu == 9000, "MTUs as set (%d, %d)", w0->mtu, w2->mtu);
	tap_ok(w0->hwaddr_len == 6 && w0->flags == (IFPLEX_IFF_UP | IFPLEX_IFF_RUNNING |
						    IFPLEX_IFF_BROADCAST | IFPLEX_IFF_MULTICAST),
	       "w0: Ethernet, up, 6-byte hardware address (flags %#x)", w0->flags);
	tap_ok(!(w3->flags & IFPLEX_IFF_UP) && (w3->flags & IFPLEX_IFF_BROADCAST),
	       "w3 (down): not up, still Ethernet (flags %#x)", w3->flags);
}

static void addresses(const struct ifplex_iface *ifs, size_t n)
{
	const struct ifplex_iface *w0 = find(ifs, n, "w0"), *w2 = find(ifs, n, "w2");
	struct ifplex_addr *all, *a0, *a2;
	size_t nall, n0, n2;

	if (!tap_ok(ifplex_interface_addrs(NULL, &all, &nall) == 0, "all addresses: %s",
		    ifplex_last_error()))
		return;
	tap_ok(ifplex_interface_addrs(w0, &a0, &n0) == 0 && ifplex_interface_addrs(w2, &a2, &n2) == 0,
	       "one interface's addresses");
	tap_ok(has_addr(a0, n0, "192.0.2.2/24") && has_addr(a0, n0, "2001:db8::2/64"),
	       "w0 has 192.0.2.2/24 and 2001:db8::2/64 (%zu addresses)", n0);
	int zoned = 0;
	for (size_t i = 0; i < n0; i++)
		if (a0[i].ip.len == 16 && a0[i].ip.b[0] == 0xfe && (a0[i].ip.b[1] & 0xc0) == 0x80)
			zoned = strcmp(a0[i].zone, "w0") == 0;
	tap_ok(zoned, "w0's link-local IPv6 address carries the zone w0");
	tap_ok(has_addr(a2, n2, "198.51.100.7/25"), "w2 has 198.51.100.7/25");
	tap_ok(has_addr(all, nall, "127.0.0.1/8") && has_addr(all, nall, "::1%lo/128"),
	       "the loopback addresses, ::1 with its zone");
	int in_all = 1;
	for (size_t i = 0; i < n0; i++) {
		char t[IFPLEX_ADDR_STRLEN];
		in_all &= ifplex_addr_string(&a0[i], t, sizeof t) == 0 && has_addr(all, nall, t);
	}
	size_t matched = 0;
	for (size_t i = 0; i < nall; i++)
		matched += all[i].index == w0->index;
	tap_ok(in_all && matched == n0, "the full list holds w0's %zu addresses", n0);
	for (size_t i = 0; i < nall; i++) {
		int bits = all[i].ip.len * 8;
		if (all[i].prefixlen < 0 || all[i].prefixlen > bits || all[i].index <= 0) {
			tap_ok(0, "address %zu is sound", i);
			break;
		}
	}
	ifplex_free(all);
	ifplex_free(a0);
	ifplex_free(a2);

	struct ifplex_addr *m;
	size_t nm;
	int rc = ifplex_interface_multicast_addrs(w0, &m, &nm);
	tap_ok(rc == 0, "multicast groups of w0 answer (%zu; wine 8 reports none)", nm);
	if (rc == 0)
		ifplex_free(m);
}

int main(void)
{
	struct ifplex_iface *ifs;
	size_t n;

	tap_ok(ifplex_backend_name() && strcmp(ifplex_backend_name(), "win32") == 0,
	       "auto chooses win32 on windows (%s; %s)", ifplex_backend_name(),
	       ifplex_backend_reason());
	if (!tap_ok(ifplex_interfaces(&ifs, &n) == 0, "interfaces: %s", ifplex_last_error()))
		tap_bail("no interfaces");
	known_links(ifs, n);
	by_index_and_name(ifs, n);
	addresses(ifs, n);
	ifplex_free(ifs);
	return tap_done();
}
