/* SPDX-License-Identifier: MIT */
/* The plan9 backend on the trees mkfixtures.py writes from the kernels'
 * own format strings: 4th edition and 9front, loopback, Ethernet with
 * several addresses, SLAAC lifetimes, a pkt interface, an unbound one, a
 * device of /net.alt, and damaged files that fail with a clear message. */
#include "../helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void use(const char *tree)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/plan9/fixtures/%s/net", ifplex_test_env("IFPLEX_TEST_SRCDIR"), tree);
	setenv("IFPLEX_PLAN9_NET", path, 1);
	setenv("IFPLEX_BACKEND", "plan9", 1);
}

static void check_iface(const struct ifplex_iface *i, int index, int mtu, unsigned flags, const char *hw)
{
	char name[64], text[64];

	snprintf(name, sizeof name, "/net/ipifc/%d", index - 1);
	ck_assert_int_eq(i->index, index);
	ck_assert_str_eq(i->name, name);
	ck_assert_int_eq(i->mtu, mtu);
	ck_assert_msg(i->flags == flags, "%s: flags %#x, want %#x", name, i->flags, flags);
	ifplex_hwaddr_string(i->hwaddr, i->hwaddr_len, text, sizeof text);
	ck_assert_str_eq(text, hw);
}

/* Every address of the tree, as ifplex_addr_string prints them. */
static void check_addrs(const char *const *want, size_t nwant)
{
	struct ifplex_addr *l;
	size_t n;
	char s[IFPLEX_ADDR_STRLEN];

	ck_assert_msg(ifplex_interface_addrs(NULL, &l, &n) == 0, "%s", ifplex_last_error());
	for (size_t i = 0; i < n && i < nwant; i++) {
		ck_assert_int_eq(ifplex_addr_string(&l[i], s, sizeof s), 0);
		ck_assert_str_eq(s, want[i]);
	}
	ck_assert_uint_eq(n, nwant);
	ifplex_free(l);
}

static size_t addrs_of(int index)
{
	struct ifplex_iface ifi;
	struct ifplex_addr *l;
	size_t n;

	ck_assert_int_eq(ifplex_interface_by_index(index, &ifi), 0);
	ck_assert_int_eq(ifplex_interface_addrs(&ifi, &l, &n), 0);
	ifplex_free(l);
	return n;
}

#define UP IFPLEX_IFF_UP
#define MCAST IFPLEX_IFF_MULTICAST

START_TEST(test_4e_interfaces)
{
	struct ifplex_iface *l;
	size_t n;

	use("4e");
	ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 5); /* clone and stats are not interfaces */
	check_iface(&l[0], 1, 16384, UP | IFPLEX_IFF_LOOPBACK | MCAST, "");
	check_iface(&l[1], 2, 1514, UP | IFPLEX_IFF_BROADCAST | MCAST, "00:0c:29:f3:a1:b2");
	check_iface(&l[2], 3, 1472, UP | IFPLEX_IFF_POINTTOPOINT | MCAST, ""); /* "device pkt2" */
	check_iface(&l[3], 4, 1514, 0, "");  /* unbound: "device  maxtu", listed down */
	check_iface(&l[4], 5, 1514, UP | IFPLEX_IFF_BROADCAST | MCAST, "00:0c:29:f3:a1:bc"); /* /net.alt/ether1 */
	ifplex_free(l);
}
END_TEST

START_TEST(test_4e_addresses)
{
	static const char *const want[] = {
		"127.0.0.1/8", "192.168.1.10/24", "192.168.1.11/24",
		"10.1.2.3/0", /* "add 10.1.2.3 /8" is a 128-bit /8 here: nothing of the IPv4 part */
		"fe80::20c:29ff:fef3:a1b2%2/64", "2001:db8:1:0:20c:29ff:fef3:a1b2/64", "10.0.0.1/32",
	};

	use("4e");
	check_addrs(want, sizeof want / sizeof want[0]);
	ck_assert_uint_eq(addrs_of(4), 0); /* unbound */
	ck_assert_uint_eq(addrs_of(5), 0); /* bound, no address yet: the lone empty line */
	ck_assert_uint_eq(addrs_of(3), 1); /* the pkt interface */
}
END_TEST

START_TEST(test_9front_interfaces)
{
	struct ifplex_iface *l;
	size_t n;

	use("9front");
	ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 5);
	check_iface(&l[0], 1, 16384, UP | IFPLEX_IFF_LOOPBACK | MCAST, "");
	check_iface(&l[1], 2, 1514, UP | IFPLEX_IFF_BROADCAST | MCAST, "52:54:00:12:34:56");
	check_iface(&l[2], 3, 1472, UP | IFPLEX_IFF_POINTTOPOINT | MCAST, "");
	check_iface(&l[3], 4, 0, 0, ""); /* a clone never bound */
	check_iface(&l[4], 5, 1514, UP | IFPLEX_IFF_BROADCAST | MCAST, "52:54:00:12:34:ab");
	ifplex_free(l);
}
END_TEST

START_TEST(test_9front_addresses)
{
	static const char *const want[] = {
		"127.0.0.1/8", "::1/128", "10.0.2.15/24", "10.0.2.16/24",
		"10.1.2.3/8", /* 9front reads "/8" of an IPv4 address as /104 */
		"fe80::5054:ff:fe12:3456%2/64", "2001:db8:2:0:5054:ff:fe12:3456/64", "2001:db8:ffff::2/128",
		"172.16.0.5/16",
	};

	use("9front");
	check_addrs(want, sizeof want / sizeof want[0]);
	ck_assert_uint_eq(addrs_of(4), 0);
}
END_TEST

/* A mask that is no prefix cannot be an ifplex_addr: that address is left
 * out (with a debug log), the rest of the list stays. */
START_TEST(test_mask_without_prefix)
{
	static const char *const want[] = {"127.0.0.1/8", "192.0.2.10/24"};

	use("v4only");
	check_addrs(want, 2);
}
END_TEST

/* The zone of a link-local address is the interface's index: it parses
 * back through ifplex_ip_parse_zone out of the CIDR text, and names the
 * interface again. */
START_TEST(test_zone_round_trip)
{
	struct ifplex_addr *l;
	struct ifplex_iface ifi;
	struct ifplex_ip ip;
	char s[IFPLEX_ADDR_STRLEN], zone[IFPLEX_NAME_MAX];
	size_t n, k;

	use("9front");
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &l, &n), 0);
	for (k = 0; k < n && !l[k].zone[0]; k++)
		;
	ck_assert_uint_lt(k, n);
	ck_assert_int_eq(ifplex_addr_string(&l[k], s, sizeof s), 0);
	char *slash = strrchr(s, '/');
	ck_assert_ptr_nonnull(slash);
	ck_assert_str_eq(slash, "/64");
	*slash = '\0';
	ck_assert_int_eq(ifplex_ip_parse_zone(s, &ip, zone, sizeof zone), 0);
	ck_assert(ifplex_ip_equal(&ip, &l[k].ip));
	ck_assert_str_eq(zone, l[k].zone);
	ck_assert_int_eq(ifplex_interface_by_index(atoi(zone), &ifi), 0);
	ck_assert_int_eq(ifi.index, l[k].index);
	ck_assert_str_eq(ifi.name, "/net/ipifc/1");
	ifplex_free(l);
}
END_TEST

START_TEST(test_stack_facts)
{
	static const struct {
		const char *tree, *v4, *v6;
	} t[] = {{"4e", "yes", "yes"}, {"9front", "yes", "yes"}, {"v4only", "yes", "no"}};

	for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
		pid_t pid = fork(); /* one backend per process */
		if (pid == 0) {
			use(t[k].tree);
			/* Both texts stay as they were after the second call. */
			const char *v4 = ifplex_backend_describe("ipv4"), *v6 = ifplex_backend_describe("ipv6");
			_exit(v4 && v6 && strcmp(v4, t[k].v4) == 0 && strcmp(v6, t[k].v6) == 0 ? 0 : 1);
		}
		int st;
		waitpid(pid, &st, 0);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: wrong ipv4/ipv6 facts", t[k].tree);
	}
}
END_TEST

START_TEST(test_lookups_by_index_and_name)
{
	struct ifplex_iface i;

	use("4e");
	ck_assert_int_eq(ifplex_interface_by_index(2, &i), 0);
	ck_assert_str_eq(i.name, "/net/ipifc/1");
	ck_assert_int_eq(ifplex_interface_by_name("/net/ipifc/0", &i), 0);
	ck_assert_int_eq(i.index, 1);
	ck_assert_int_eq(ifplex_interface_by_name("/net/ipifc/3", &i), 0); /* unbound, still there */
	ck_assert_uint_eq(i.flags, 0);
	ck_assert_int_eq(ifplex_interface_by_index(9, &i), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_by_name("ether0", &i), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_by_name("/net/ipifc/1x", &i), IFPLEX_ENOIFACE);
}
END_TEST

START_TEST(test_damaged_files)
{
	static const struct {
		const char *tree, *message;
	} t[] = {
		{"bad-head", "invalid interface status file: /net/ipifc/0/status"},
		{"bad-mask", "cannot parse IP address for interface: /net/ipifc/0/status"},
		{"bad-addr", "cannot parse IP address for interface: /net/ipifc/0/status"},
		{"bad-hwaddr", "invalid hardware address in /net/ether0/addr"},
	};
	for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			struct ifplex_addr *a;
			size_t n;
			use(t[k].tree);
			int rc = ifplex_interface_addrs(NULL, &a, &n);
			_exit(rc == IFPLEX_EMALFORMED && strstr(ifplex_last_error(), t[k].message) ? 0 : 1);
		}
		int st;
		waitpid(pid, &st, 0);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: wrong error", t[k].tree);
	}
}
END_TEST

START_TEST(test_missing_root)
{
	setenv("IFPLEX_BACKEND", "plan9", 1);
	setenv("IFPLEX_PLAN9_NET", "/nonexistent/net", 1);
	ck_assert_ptr_null(ifplex_backend_name());
	ck_assert_msg(strstr(ifplex_last_error(), "IFPLEX_PLAN9_NET: /nonexistent/net is not a directory"),
		      "%s", ifplex_last_error());
}
END_TEST

/* The ifplex command's output on a tree; its exit status must be 0. */
static void tool(const char *tree, const char *args, char *out, size_t len)
{
	char cmd[2048];

	use(tree);
	snprintf(cmd, sizeof cmd, "'%s' --backend plan9 %s", ifplex_test_env("IFPLEX_TOOL"), args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	ck_assert_msg(pclose(p) == 0, "%s failed: %s", args, out);
}

START_TEST(test_tool_9front)
{
	char out[8192];

	tool("9front", "--json ifaces", out, sizeof out);
	ck_assert_str_eq(out,
		"[{\"index\":1,\"name\":\"/net/ipifc/0\",\"mtu\":16384,\"hwaddr\":\"\",\"flags\":[\"up\",\"loopback\",\"multicast\"]},"
		"{\"index\":2,\"name\":\"/net/ipifc/1\",\"mtu\":1514,\"hwaddr\":\"52:54:00:12:34:56\",\"flags\":[\"up\",\"broadcast\",\"multicast\"]},"
		"{\"index\":3,\"name\":\"/net/ipifc/2\",\"mtu\":1472,\"hwaddr\":\"\",\"flags\":[\"up\",\"pointtopoint\",\"multicast\"]},"
		"{\"index\":4,\"name\":\"/net/ipifc/3\",\"mtu\":0,\"hwaddr\":\"\",\"flags\":[]},"
		"{\"index\":5,\"name\":\"/net/ipifc/4\",\"mtu\":1514,\"hwaddr\":\"52:54:00:12:34:ab\",\"flags\":[\"up\",\"broadcast\",\"multicast\"]}]\n");
	tool("9front", "--json addrs", out, sizeof out);
	ck_assert_str_eq(out,
		"[{\"index\":1,\"ifname\":\"/net/ipifc/0\",\"addr\":\"127.0.0.1/8\"},"
		"{\"index\":1,\"ifname\":\"/net/ipifc/0\",\"addr\":\"::1/128\"},"
		"{\"index\":2,\"ifname\":\"/net/ipifc/1\",\"addr\":\"10.0.2.15/24\"},"
		"{\"index\":2,\"ifname\":\"/net/ipifc/1\",\"addr\":\"10.0.2.16/24\"},"
		"{\"index\":2,\"ifname\":\"/net/ipifc/1\",\"addr\":\"10.1.2.3/8\"},"
		"{\"index\":2,\"ifname\":\"/net/ipifc/1\",\"addr\":\"fe80::5054:ff:fe12:3456%2/64\"},"
		"{\"index\":2,\"ifname\":\"/net/ipifc/1\",\"addr\":\"2001:db8:2:0:5054:ff:fe12:3456/64\"},"
		"{\"index\":3,\"ifname\":\"/net/ipifc/2\",\"addr\":\"2001:db8:ffff::2/128\"},"
		"{\"index\":5,\"ifname\":\"/net/ipifc/4\",\"addr\":\"172.16.0.5/16\"}]\n");
}
END_TEST

START_TEST(test_tool_4e)
{
	char out[8192];

	tool("4e", "addrs", out, sizeof out);
	/* every bound address, the pkt interface's included */
	static const char *const want[] = {"127.0.0.1/8", "192.168.1.10/24", "192.168.1.11/24", "10.1.2.3/0",
					   "fe80::20c:29ff:fef3:a1b2%2/64", "2001:db8:1:0:20c:29ff:fef3:a1b2/64",
					   "10.0.0.1/32"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(out, want[i]), "%s missing from:\n%s", want[i], out);
	ck_assert_ptr_nonnull(strstr(out, "/net/ipifc/2"));
	tool("4e", "ifaces", out, sizeof out);
	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof name, "/net/ipifc/%d", i);
		ck_assert_msg(strstr(out, name), "%s missing from:\n%s", name, out);
	}
}
END_TEST

START_TEST(test_tool_backends)
{
	char out[8192];

	tool("v4only", "backends", out, sizeof out);
	ck_assert_msg(strstr(out, "active: plan9"), "%s", out);
	ck_assert_msg(strstr(out, "  ipv4         yes\n"), "%s", out);
	ck_assert_msg(strstr(out, "  ipv6         no\n"), "%s", out);
	tool("9front", "--json backends", out, sizeof out);
	ck_assert_msg(strstr(out, "\"ipv4\":\"yes\",\"ipv6\":\"yes\""), "%s", out);
}
END_TEST

/* The plugin takes IP text from the host: it needs nothing of libifplex,
 * whose calls would overwrite the caller's last error. */
START_TEST(test_plugin_needs_no_libifplex)
{
	char cmd[2048], out[8192];
	const char *lib = "plugins/plan9/.libs/ifplex-plan9.so";

	snprintf(cmd, sizeof cmd, "nm -D --undefined-only '%s/%s' && readelf -d '%s/%s'",
		 ifplex_test_env("IFPLEX_TEST_BUILDDIR"), lib, ifplex_test_env("IFPLEX_TEST_BUILDDIR"), lib);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_msg(strstr(out, "NEEDED"), "no dynamic section read:\n%s", out);
	ck_assert_msg(!strstr(out, "libifplex") && !strstr(out, " U ifplex"), "the plugin needs libifplex:\n%s", out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plan9");
	TCase *tc = tcase_create("fixtures");

	tcase_add_test(tc, test_4e_interfaces);
	tcase_add_test(tc, test_4e_addresses);
	tcase_add_test(tc, test_9front_interfaces);
	tcase_add_test(tc, test_9front_addresses);
	tcase_add_test(tc, test_mask_without_prefix);
	tcase_add_test(tc, test_zone_round_trip);
	tcase_add_test(tc, test_stack_facts);
	tcase_add_test(tc, test_lookups_by_index_and_name);
	tcase_add_test(tc, test_damaged_files);
	tcase_add_test(tc, test_missing_root);
	tcase_add_test(tc, test_tool_9front);
	tcase_add_test(tc, test_tool_4e);
	tcase_add_test(tc, test_tool_backends);
	tcase_add_test(tc, test_plugin_needs_no_libifplex);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
