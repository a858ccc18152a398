/* SPDX-License-Identifier: MIT */
/* Malicious and broken plugins: lists with bad counts or foreign memory
 * (tests/fake/liar.c), a plugin without a single slot, plugins that crash
 * in their constructor or entry point; and ifplex_free of what ifplex did
 * not allocate.  Each gives a clear error naming the backend and the slot,
 * never a crash of the core.  (Wrong ABI, short structs and NULL entries:
 * test_loader.) */
#include "helpers.h"
#include "fake/liar_calls.h"

#include <ifplex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void use(const char *backend, const char *liar_mode)
{
	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	setenv("IFPLEX_BACKEND", backend, 1);
	if (liar_mode)
		setenv("IFPLEX_TEST_LIAR", liar_mode, 1);
}

static void expect_broken(int rc, const void *list, size_t count, const char *slot, const char *what)
{
	char want[200];

	ck_assert_msg(rc == IFPLEX_EBADPLUGIN, "%s: rc %d: %s", slot, rc, ifplex_last_error());
	ck_assert_msg(list == NULL && count == 0, "%s: list %p, count %zu", slot, list, count);
	snprintf(want, sizeof want, "backend liar broke the plugin contract: %s %s", slot, what);
	ck_assert_msg(strstr(ifplex_last_error(), want) != NULL, "want \"%s\" in: %s", want,
		      ifplex_last_error());
}

/* The call first, then its outputs (arguments have no order). */
#define EXPECT_BROKEN(call, list, count, slot, what) \
	do {                                          \
		int rc_ = (call);                     \
		expect_broken(rc_, list, count, slot, what); \
	} while (0)

/* Every slot that returns a list, each lying as the mode says. */
static void every_list(const char *what, int lookups_too)
{
	liar_every_list(expect_broken, what, lookups_too);
	if (!lookups_too)
		return;
	/* Resolving a name goes through lookup_ip. */
	struct ifplex_netaddr a;
	ck_assert_int_eq(ifplex_resolve_addr("tcp", "name.example:80", &a), IFPLEX_EBADPLUGIN);
	ifplex_conn *c;
	ck_assert_int_eq(ifplex_dial("tcp", "name.example:80", &c), IFPLEX_EBADPLUGIN);
}

START_TEST(test_null_list_with_count)
{
	use("liar", "null");
	every_list("returned a NULL list (3 entries, room for 0)", 1);
}
END_TEST

START_TEST(test_count_beyond_allocation)
{
	use("liar", "short");
	every_list("returned more entries than its list holds (1000 entries, room for 1)", 1);
}
END_TEST

START_TEST(test_list_from_malloc)
{
	use("liar", "malloc");
	every_list("returned a list not allocated with host->alloc", 1);
}
END_TEST

START_TEST(test_list_in_static_memory)
{
	use("liar", "static");
	every_list("returned a list not allocated with host->alloc", 1);
}
END_TEST

START_TEST(test_list_already_freed)
{
	use("liar", "freed");
	every_list("returned a list not allocated with host->alloc", 1);
}
END_TEST

START_TEST(test_malformed_entries)
{
	struct ifplex_iface *ifs;
	struct ifplex_ip *ips = NULL;
	struct ifplex_srv *srv = NULL;
	struct ifplex_mx *mx = NULL;
	char **names = NULL;
	size_t n;

	use("liar", "bad");
	/* Interface lists are checked as lists; their entries are the same. */
	ck_assert_int_eq(ifplex_interfaces(&ifs, &n), 0);
	ifplex_free(ifs);
	EXPECT_BROKEN(ifplex_lookup_ip(NULL, "name.example", &ips, &n), ips, n, "lookup_ip",
		      "returned a malformed entry");
	EXPECT_BROKEN(ifplex_lookup_addr("192.0.2.1", &names, &n), names, n, "lookup_addr",
		      "returned a malformed entry");
	EXPECT_BROKEN(ifplex_lookup_srv("", "", "srv.example", &srv, &n), srv, n, "lookup_srv",
		      "returned a malformed entry");
	EXPECT_BROKEN(ifplex_lookup_mx("mx.example", &mx, &n), mx, n, "lookup_mx",
		      "returned a malformed entry");
}
END_TEST

START_TEST(test_honest_lists_pass)
{
	struct ifplex_iface *ifs;
	struct ifplex_ip *ips;
	struct ifplex_srv *srv;
	struct ifplex_mx *mx;
	char **names;
	size_t n;

	use("liar", "ok");
	ck_assert_int_eq(ifplex_interfaces(&ifs, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(ifs[1].name, "eth0");
	ifplex_free(ifs);
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "name.example", &ips, &n), 0);
	ck_assert_uint_eq(n, 2);
	ifplex_free(ips);
	ck_assert_int_eq(ifplex_lookup_addr("192.0.2.1", &names, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "host.example.");
	ifplex_free(names);
	ck_assert_int_eq(ifplex_lookup_srv("", "", "srv.example", &srv, &n), 0);
	ck_assert_str_eq(srv[0].target, "srv.example.");
	ifplex_free(srv);
	ck_assert_int_eq(ifplex_lookup_mx("mx.example", &mx, &n), 0);
	ck_assert_str_eq(mx[0].host, "mx.example.");
	ifplex_free(mx);
}
END_TEST

START_TEST(test_failure_with_list_left_behind)
{
	struct ifplex_iface *ifs = (void *)1;
	struct ifplex_ip *ips = (void *)1;
	size_t n = 5;

	/* The core frees what a failing slot left (a leak check would say). */
	use("liar", "fail");
	ck_assert_int_eq(ifplex_interfaces(&ifs, &n), -5);
	ck_assert_ptr_null(ifs);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "name.example", &ips, &n), -5);
	ck_assert_ptr_null(ips);
}
END_TEST

START_TEST(test_success_without_connection)
{
	ifplex_conn *c = (void *)1;

	use("liar", "nullconn");
	ck_assert_int_eq(ifplex_dial("tcp", "192.0.2.1:80", &c), IFPLEX_EBADPLUGIN);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp 192.0.2.1:80: backend liar broke the plugin "
			 "contract: dial returned no connection");
	ck_assert_int_eq(ifplex_listen("tcp", "192.0.2.1:80", &c), IFPLEX_EBADPLUGIN);
	ck_assert_int_eq(ifplex_listen_packet("udp", "192.0.2.1:80", &c), IFPLEX_EBADPLUGIN);
}
END_TEST

START_TEST(test_plugin_without_slots)
{
	struct ifplex_iface *ifs, i;
	struct ifplex_addr *as;
	struct ifplex_ip *ips;
	struct ifplex_mx *mx;
	char **names, buf[64];
	size_t n;
	int port;
	ifplex_conn *c;

	use("empty", NULL);
	ck_assert_str_eq(ifplex_backend_name(), "empty");
	ck_assert_int_eq(ifplex_interfaces(&ifs, &n), IFPLEX_ENOTSUP);
	ck_assert_str_eq(ifplex_last_error(), "interfaces: not supported by backend empty");
	ck_assert_int_eq(ifplex_interface_by_index(1, &i), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_interface_by_name("lo", &i), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &as, &n), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_interface_multicast_addrs(NULL, &as, &n), IFPLEX_ENOTSUP);
	ck_assert_uint_eq(ifplex_generation(), 0);
	ck_assert_int_eq(ifplex_cache_reset(), 0);
	ck_assert_str_eq(ifplex_cache_mode(), "none");
	ck_assert_ptr_null(ifplex_backend_describe("cache"));
	ck_assert_int_eq(ifplex_dial("tcp", "192.0.2.1:80", &c), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_listen("tcp", ":0", &c), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_listen_packet("udp", ":0", &c), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "name.example", &ips, &n), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_lookup_port("tcp", "http", &port), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_lookup_addr("192.0.2.1", &names, &n), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_lookup_cname("name.example", buf, sizeof buf), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_lookup_mx("mx.example", &mx, &n), IFPLEX_ENOTSUP);
}
END_TEST

/* Run fn in a child with stderr captured; its wait status. */
static int in_child(void (*fn)(void), char *err, size_t errlen)
{
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		fn();
		_exit(0);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t r;
	while (got + 1 < errlen && (r = read(fds[0], err + got, errlen - 1 - got)) > 0)
		got += (size_t)r;
	err[got] = '\0';
	close(fds[0]);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

static void free_foreign(void)
{
	ifplex_free(malloc(64));
}

static void free_twice(void)
{
	struct ifplex_iface *ifs;
	size_t n;

	use("fake", NULL);
	if (ifplex_interfaces(&ifs, &n) != 0)
		_exit(3);
	ifplex_free(ifs);
	ifplex_free(ifs);
}

static void expect_refused_free(void (*fn)(void))
{
	char err[8192];
	int st = in_child(fn, err, sizeof err);

	/* This library is built without NDEBUG: misuse aborts, loudly. */
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "status %d, stderr: %s", st, err);
	ck_assert_msg(strstr(err, "ifplex: fatal: ifplex_free(0x") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "): not a list ifplex returned, or one already freed") != NULL, "%s",
		      err);
}

START_TEST(test_free_foreign_pointer)
{
	expect_refused_free(free_foreign);
}
END_TEST

START_TEST(test_free_twice)
{
	expect_refused_free(free_twice);
}
END_TEST

/* The ifplex command with the crashing plugins on its path. */
static int tool(const char *backend, char *out, size_t outlen)
{
	char cmd[4096];

	snprintf(cmd, sizeof cmd, "IFPLEX_PLUGIN_PATH='%s:%s' IFPLEX_BACKEND=%s '%s' backends 2>&1",
		 ifplex_test_env("IFPLEX_TEST_CRASH_DIR"), ifplex_test_env("IFPLEX_TEST_FAKE_DIR"),
		 backend, ifplex_test_env("IFPLEX_TOOL"));
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t got = fread(out, 1, outlen - 1, p);
	out[got] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(test_listing_survives_crashing_plugins)
{
	char out[32768], want[2048];
	const char *crash = ifplex_test_env("IFPLEX_TEST_CRASH_DIR");

	ck_assert_int_eq(tool("fake", out, sizeof out), 0);
	snprintf(want, sizeof want, "crashctor  %s/ifplex-crashctor.so\n  error        plugin "
		 "%s/ifplex-crashctor.so crashed with signal %d (%s) while loading\n",
		 crash, crash, SIGSEGV, strsignal(SIGSEGV));
	ck_assert_msg(strstr(out, want) != NULL, "want:\n%s\nin:\n%s", want, out);
	snprintf(want, sizeof want, "crashentry %s/ifplex-crashentry.so\n  error        plugin "
		 "%s/ifplex-crashentry.so crashed with signal %d", crash, crash, SIGSEGV);
	ck_assert_msg(strstr(out, want) != NULL, "want:\n%s\nin:\n%s", want, out);
	/* The rest of the listing is there. */
	ck_assert_msg(strstr(out, "active: fake (IFPLEX_BACKEND=fake)") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "ABI mismatch loading module") != NULL, "%s", out);

	/* Chosen, the crashing plugin makes no backend active; the command says why. */
	ck_assert_int_eq(tool("crashctor", out, sizeof out), 1);
	snprintf(want, sizeof want, "active: none: the chosen backend crashed with signal %d", SIGSEGV);
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("malicious");
	TCase *tc = tcase_create("malicious-plugins");

	tcase_add_test(tc, test_null_list_with_count);
	tcase_add_test(tc, test_count_beyond_allocation);
	tcase_add_test(tc, test_list_from_malloc);
	tcase_add_test(tc, test_list_in_static_memory);
	tcase_add_test(tc, test_list_already_freed);
	tcase_add_test(tc, test_malformed_entries);
	tcase_add_test(tc, test_honest_lists_pass);
	tcase_add_test(tc, test_failure_with_list_left_behind);
	tcase_add_test(tc, test_success_without_connection);
	tcase_add_test(tc, test_plugin_without_slots);
	tcase_add_test(tc, test_free_foreign_pointer);
	tcase_add_test(tc, test_free_twice);
	tcase_add_test(tc, test_listing_survives_crashing_plugins);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
