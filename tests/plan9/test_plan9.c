/* The plan9 backend on fixture trees: a 4th-edition and a 9front layout,
 * loopback, Ethernet with IPv4, IPv6 global and link-local, an interface
 * without addresses, and malformed files that fail clearly. */
#include "../helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void use(const char *tree)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/plan9/fixtures/%s", ifplex_test_env("IFPLEX_TEST_SRCDIR"), tree);
	setenv("IFPLEX_PLAN9_NET", path, 1);
	setenv("IFPLEX_BACKEND", "plan9", 1);
}

static void addr_text(const struct ifplex_addr *a, char *buf, size_t len)
{
	ck_assert_int_eq(ifplex_addr_string(a, buf, len), 0);
}

START_TEST(test_4e_interfaces)
{
	struct ifplex_iface *l;
	size_t n;
	char hw[64];

	use("4e");
	ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 3); /* clone and stats are not interfaces */
	ck_assert_int_eq(l[0].index, 1);
	ck_assert_str_eq(l[0].name, "/net/ipifc/0");
	ck_assert_int_eq(l[0].mtu, 32768);
	ck_assert_uint_eq(l[0].flags, IFPLEX_IFF_UP | IFPLEX_IFF_LOOPBACK | IFPLEX_IFF_MULTICAST);
	ck_assert_uint_eq(l[0].hwaddr_len, 0);
	ck_assert_str_eq(l[1].name, "/net/ipifc/1");
	ck_assert_int_eq(l[1].mtu, 1514);
	ck_assert_uint_eq(l[1].flags, IFPLEX_IFF_UP | IFPLEX_IFF_BROADCAST | IFPLEX_IFF_MULTICAST);
	ifplex_hwaddr_string(l[1].hwaddr, l[1].hwaddr_len, hw, sizeof hw);
	ck_assert_str_eq(hw, "00:0c:29:f3:a1:b2");
	ck_assert_int_eq(l[2].mtu, 9000);
	ifplex_free(l);
	ck_assert_str_eq(ifplex_backend_describe("ipv4"), "yes");
	ck_assert_str_eq(ifplex_backend_describe("ipv6"), "no"); /* only 6u in iproute */
}
END_TEST

START_TEST(test_4e_addresses)
{
	struct ifplex_addr *l;
	size_t n;
	char s[IFPLEX_ADDR_STRLEN];
	static const char *const want[] = {"127.0.0.1/32", "::1/128", "192.168.1.10/24", "2001:db8::10/64",
					   "fe80::20c:29ff:fef3:a1b2%/net/ipifc/1/64"};

	use("4e");
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &l, &n), 0);
	ck_assert_uint_eq(n, 5); /* every address line, not only the first */
	for (size_t i = 0; i < n; i++) {
		addr_text(&l[i], s, sizeof s);
		ck_assert_str_eq(s, want[i]);
	}
	ck_assert_int_eq(l[2].ip.len, 4);
	ifplex_free(l);

	struct ifplex_iface none;
	ck_assert_int_eq(ifplex_interface_by_name("/net/ipifc/2", &none), 0);
	ck_assert_int_eq(ifplex_interface_addrs(&none, &l, &n), 0);
	ck_assert_uint_eq(n, 0);
	ifplex_free(l);
}
END_TEST

START_TEST(test_9front_layout)
{
	struct ifplex_iface *l, one;
	struct ifplex_addr *a;
	size_t n;
	char s[IFPLEX_ADDR_STRLEN];

	use("9front");
	ck_assert_int_eq(ifplex_interfaces(&l, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(l[1].mtu, 1500);
	ifplex_free(l);
	ck_assert_int_eq(ifplex_interface_by_index(2, &one), 0);
	ck_assert_int_eq(ifplex_interface_addrs(&one, &a, &n), 0);
	ck_assert_uint_eq(n, 2);
	addr_text(&a[0], s, sizeof s);
	ck_assert_str_eq(s, "10.0.2.15/24");
	ck_assert_str_eq(a[1].zone, "/net/ipifc/1");
	ifplex_free(a);
	ck_assert_str_eq(ifplex_backend_describe("ipv6"), "yes");
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
	ck_assert_int_eq(ifplex_interface_by_index(9, &i), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_by_name("ether0", &i), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_by_name("/net/ipifc/1x", &i), IFPLEX_ENOIFACE);
}
END_TEST

START_TEST(test_malformed_files)
{
	static const struct {
		const char *tree, *message;
	} t[] = {
		{"bad-head", "invalid interface status file: /net/ipifc/0/status"},
		{"bad-mask", "cannot parse IP address for interface: /net/ipifc/0/status"},
		{"no-addr-file", "missing hardware address file /net/ether9/addr"},
	};
	for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
		pid_t pid = fork(); /* one backend per process: each tree in a child */
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

START_TEST(test_tool_output)
{
	char cmd[2048], out[4096];

	use("9front");
	snprintf(cmd, sizeof cmd, "'%s' --backend plan9 --json ifaces", ifplex_test_env("IFPLEX_TOOL"));
	FILE *p = popen(cmd, "r");
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_str_eq(out, "[{\"index\":1,\"name\":\"/net/ipifc/0\",\"mtu\":32768,\"hwaddr\":\"\",\"flags\":[\"up\",\"loopback\",\"multicast\"]},"
			      "{\"index\":2,\"name\":\"/net/ipifc/1\",\"mtu\":1500,\"hwaddr\":\"52:54:00:12:34:56\",\"flags\":[\"up\",\"broadcast\",\"multicast\"]}]\n");
	snprintf(cmd, sizeof cmd, "'%s' --backend plan9 --json addrs", ifplex_test_env("IFPLEX_TOOL"));
	p = popen(cmd, "r");
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_str_eq(out, "[{\"index\":1,\"ifname\":\"/net/ipifc/0\",\"addr\":\"127.0.0.1/32\"},"
			      "{\"index\":2,\"ifname\":\"/net/ipifc/1\",\"addr\":\"10.0.2.15/24\"},"
			      "{\"index\":2,\"ifname\":\"/net/ipifc/1\",\"addr\":\"fe80::5054:ff:fe12:3456%/net/ipifc/1/64\"}]\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("plan9");
	TCase *tc = tcase_create("fixtures");

	tcase_add_test(tc, test_4e_interfaces);
	tcase_add_test(tc, test_4e_addresses);
	tcase_add_test(tc, test_9front_layout);
	tcase_add_test(tc, test_lookups_by_index_and_name);
	tcase_add_test(tc, test_malformed_files);
	tcase_add_test(tc, test_missing_root);
	tcase_add_test(tc, test_tool_output);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
