/* SPDX-License-Identifier: MIT */
/* The ifplex command against the fake backend: exact JSON, human output,
 * exit statuses, one-line errors. */
#include "helpers.h"

#include <ifplex.h>

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct run {
	int status;
	char out[8192];
	char err[4096];
};

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Run the tool with args (shell words) and the given environment prefix. */
static void run(struct run *r, const char *env, const char *args)
{
	char cmd[2048], outp[] = "/tmp/ifplex-tool-out-XXXXXX", errp[] = "/tmp/ifplex-tool-err-XXXXXX";
	int fo = mkstemp(outp), fe = mkstemp(errp);

	ck_assert(fo >= 0 && fe >= 0);
	snprintf(cmd, sizeof cmd, "env %s '%s' %s </dev/null >%s 2>%s", env,
		 ifplex_test_env("IFPLEX_TOOL"), args, outp, errp);
	int st = system(cmd);
	ck_assert(st != -1 && WIFEXITED(st));
	r->status = WEXITSTATUS(st);
	slurp(outp, r->out, sizeof r->out);
	slurp(errp, r->err, sizeof r->err);
	unlink(outp);
	unlink(errp);
	close(fo);
	close(fe);
}

static char env[1200];

static void setup(void)
{
	snprintf(env, sizeof env, "IFPLEX_PLUGIN_PATH='%s' IFPLEX_BACKEND=fake",
		 ifplex_test_env("IFPLEX_TEST_FAKE_DIR"));
}

START_TEST(test_ifaces_json)
{
	struct run r;

	run(&r, env, "--json ifaces");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
		"[{\"index\":1,\"name\":\"lo\",\"mtu\":65536,\"hwaddr\":\"\",\"flags\":[\"up\",\"loopback\",\"running\"]},"
		"{\"index\":2,\"name\":\"eth0\",\"mtu\":1500,\"hwaddr\":\"02:fc:00:00:00:01\",\"flags\":[\"up\",\"broadcast\",\"multicast\",\"running\"]},"
		"{\"index\":5,\"name\":\"tun-\xc3\xa9t\xc3\xa9\",\"mtu\":1400,\"hwaddr\":\"\",\"flags\":[\"pointtopoint\",\"multicast\"]}]\n");
	ck_assert_str_eq(r.err, "");
}
END_TEST

START_TEST(test_addrs_json)
{
	struct run r;

	run(&r, env, "--json addrs");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
		"[{\"index\":1,\"ifname\":\"lo\",\"addr\":\"127.0.0.1/8\"},"
		"{\"index\":1,\"ifname\":\"lo\",\"addr\":\"::1/128\"},"
		"{\"index\":2,\"ifname\":\"eth0\",\"addr\":\"192.0.2.2/24\"},"
		"{\"index\":2,\"ifname\":\"eth0\",\"addr\":\"fe80::fc:ff:fe00:1%eth0/64\"},"
		"{\"index\":2,\"ifname\":\"eth0\",\"addr\":\"2001:db8::2/64\"}]\n");
	run(&r, env, "--json addrs eth0");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_null(strstr(r.out, "\"lo\""));
	ck_assert_ptr_nonnull(strstr(r.out, "192.0.2.2/24"));
}
END_TEST

START_TEST(test_human_output)
{
	struct run r;

	/* As ip -br: a state column from the flags. */
	run(&r, env, "ifaces");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
		"lo               UP          1  65536 -                 up|loopback|running\n"
		"eth0             UP          2   1500 02:fc:00:00:00:01 up|broadcast|multicast|running\n"
		"tun-\xc3\xa9t\xc3\xa9        DOWN        5   1400 -                 pointtopoint|multicast\n");
	/* Every interface, also the one without addresses, as ip -br addr. */
	run(&r, env, "addrs");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
		"lo               UP      127.0.0.1/8 ::1/128\n"
		"eth0             UP      192.0.2.2/24 fe80::fc:ff:fe00:1%eth0/64 2001:db8::2/64\n"
		"tun-\xc3\xa9t\xc3\xa9        DOWN\n");
	run(&r, env, "addrs 5");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "tun-\xc3\xa9t\xc3\xa9        DOWN\n");
	run(&r, env, "mcast");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
		"lo               UP\n"
		"eth0             UP      224.0.0.1/32 ff02::1%eth0/128\n"
		"tun-\xc3\xa9t\xc3\xa9        DOWN\n");
	run(&r, env, "--json mcast eth0");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "[{\"index\":2,\"ifname\":\"eth0\",\"addr\":\"224.0.0.1/32\"},"
				"{\"index\":2,\"ifname\":\"eth0\",\"addr\":\"ff02::1%eth0/128\"}]\n");
}
END_TEST

/* show prints everything the backend knows of one interface. */
START_TEST(test_show)
{
	struct run r;

	run(&r, env, "show eth0");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
		"eth0\n"
		"  index     2\n"
		"  state     UP\n"
		"  flags     up|broadcast|multicast|running\n"
		"  mtu       1500\n"
		"  hwaddr    02:fc:00:00:00:01\n"
		"  addr      192.0.2.2/24\n"
		"  addr      fe80::fc:ff:fe00:1%eth0/64\n"
		"  addr      2001:db8::2/64\n"
		"  mcast     224.0.0.1/32\n"
		"  mcast     ff02::1%eth0/128\n");
	run(&r, env, "show 2 --json");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
		"{\"index\":2,\"name\":\"eth0\",\"mtu\":1500,\"hwaddr\":\"02:fc:00:00:00:01\","
		"\"flags\":[\"up\",\"broadcast\",\"multicast\",\"running\"],\"state\":\"UP\","
		"\"addrs\":[\"192.0.2.2/24\",\"fe80::fc:ff:fe00:1%eth0/64\",\"2001:db8::2/64\"],"
		"\"mcast\":[\"224.0.0.1/32\",\"ff02::1%eth0/128\"]}\n");
	run(&r, env, "show 5");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
		"tun-\xc3\xa9t\xc3\xa9\n"
		"  index     5\n"
		"  state     DOWN\n"
		"  flags     pointtopoint|multicast\n"
		"  mtu       1400\n"
		"  hwaddr    -\n");
}
END_TEST

START_TEST(test_errors_and_usage)
{
	struct run r;

	run(&r, env, "show eth9");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "ifplex: route ip+net: no such network interface eth9\n");
	ck_assert_str_eq(r.out, "");

	run(&r, env, "");
	ck_assert_int_eq(r.status, 2);
	run(&r, env, "frobnicate");
	ck_assert_int_eq(r.status, 2);
	run(&r, env, "--bogus ifaces");
	ck_assert_int_eq(r.status, 2);
	run(&r, env, "mcast eth0 lo");
	ck_assert_int_eq(r.status, 2);
	run(&r, env, "show");
	ck_assert_int_eq(r.status, 2);

	run(&r, env, "--backend nosuch ifaces");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "backend nosuch not found (tried "));
	ck_assert_ptr_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1); /* one line */

	run(&r, env, "dial tcp 127.0.0.1:1");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "ifplex: dial tcp 127.0.0.1:1: not supported by backend fake\n");
	run(&r, env, "dial tcp7 127.0.0.1:1");
	ck_assert_str_eq(r.err, "ifplex: dial tcp7: unknown network tcp7\n");
}
END_TEST

START_TEST(test_backends)
{
	struct run r;

	run(&r, env, "backends");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "active: fake (IFPLEX_BACKEND=fake)"));
	ck_assert_ptr_nonnull(strstr(r.out, "ABI mismatch loading module"));
	run(&r, env, "--json backends");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\"active\":\"fake\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"cache\":\"none\""));

	/* Without any usable backend the command says why, and fails. */
	/* (fake is never installed, so the installed directory cannot have it.) */
	run(&r, "IFPLEX_PLUGIN_PATH=/nonexistent IFPLEX_BACKEND=fake", "backends");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, "active: none: no backend: IFPLEX_BACKEND=fake: backend fake not found"));
}
END_TEST

START_TEST(test_lookup)
{
	struct run r;

	run(&r, env, "lookup port tcp http");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "80\n");
	run(&r, env, "--json lookup host fake.example");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "[\"2001:db8::2\",\"192.0.2.2\"]\n"); /* resolver order */
	run(&r, env, "lookup host nosuch.example");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "ifplex: lookup nosuch.example: no such host\n");
	ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(test_version)
{
	struct run r;
	char want[256];

	snprintf(want, sizeof want, "ifplex %s (library %s, plugin ABI %u)\n", IFPLEX_VERSION_STRING,
		 ifplex_version_string(), (unsigned)ifplex_backend_abi());
	run(&r, env, "--version");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, want);
	run(&r, env, "ifaces -V");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, want);
	/* The run-time version is the one configure wrote into the header. */
	ck_assert_uint_eq(ifplex_version(), IFPLEX_VERSION_HEX);
	ck_assert_uint_eq(IFPLEX_VERSION_HEX, (IFPLEX_VERSION_MAJOR << 16) | (IFPLEX_VERSION_MINOR << 8) |
						      IFPLEX_VERSION_PATCH);
}
END_TEST

/* --help lists every command, and README shows exactly that text. */
START_TEST(test_help)
{
	struct run r;
	static char readme[65536];
	char path[1024];
	const char *commands[] = {"ifaces", "addrs", "mcast", "show", "backends", "watch", "lookup",
				  "dial", "listen", "help"};

	run(&r, env, "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char want[32];
		snprintf(want, sizeof want, "\n  %s ", commands[i]);
		ck_assert_msg(strstr(r.out, want), "--help lacks %s", commands[i]);
	}
	snprintf(path, sizeof path, "%s/../README.md", ifplex_test_env("IFPLEX_TEST_SRCDIR"));
	slurp(path, readme, sizeof readme);
	for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"))
		ck_assert_msg(strstr(readme, line), "README.md lacks this line of ifplex --help:\n%s", line);

	run(&r, env, "help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "usage: ifplex [--backend NAME] [--json] COMMAND [ARGS]\n"));
	run(&r, env, "");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "usage: ifplex"));
}
END_TEST

START_TEST(test_help_command)
{
	struct run r, r2;

	run(&r, env, "help watch");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_eq(strstr(r.out, "usage: ifplex [--backend NAME] [--json] watch [--for=MS]\n\n"
				       "print each link and address change as it happens.\n\n"), r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "newaddr"));
	run(&r2, env, "watch --help");
	ck_assert_int_eq(r2.status, 0);
	ck_assert_str_eq(r2.out, r.out);
	run(&r2, env, "--help watch");
	ck_assert_str_eq(r2.out, r.out);
	run(&r, env, "help show");
	ck_assert_ptr_nonnull(strstr(r.out, "everything known about one interface"));
	run(&r, env, "help frobnicate");
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "ifplex: unknown command frobnicate (see ifplex --help)\n");
	run(&r, env, "help watch show");
	ck_assert_int_eq(r.status, 2);
}
END_TEST

/* Options are read before and after the command; "--" ends them. */
START_TEST(test_options_anywhere)
{
	struct run before, after;

	run(&before, env, "--json addrs");
	run(&after, env, "addrs --json");
	ck_assert_int_eq(after.status, 0);
	ck_assert_str_eq(after.out, before.out);
	run(&after, env, "addrs eth0 --json");
	ck_assert_int_eq(after.status, 0);
	ck_assert_ptr_eq(strstr(after.out, "[{\"index\":2,"), after.out);
	char plain[1100];
	snprintf(plain, sizeof plain, "IFPLEX_PLUGIN_PATH='%s'", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"));
	run(&after, plain, "ifaces --backend fake --json");
	ck_assert_int_eq(after.status, 0);
	ck_assert_ptr_eq(strstr(after.out, "[{\"index\":1,\"name\":\"lo\""), after.out);
	run(&after, env, "watch --json --for=0");
	ck_assert_int_eq(after.status, 0);
	ck_assert_str_eq(after.err, "");
	run(&after, env, "watch --for 0");
	ck_assert_int_eq(after.status, 0);
	/* After "--" a word is an argument even if it looks like an option. */
	run(&after, env, "show -- --json");
	ck_assert_int_eq(after.status, 1);
	ck_assert_str_eq(after.err, "ifplex: route ip+net: no such network interface --json\n");
}
END_TEST

/* Numbers are whole decimal numbers and nothing else. */
START_TEST(test_strict_numbers)
{
	static const char *bad[] = {"--for=abc", "--for=-5", "--for=1e3", "--for=", "--for=+5", "--for=' 5'",
				    "--for=5ms", "--for=0x10", "--for=99999999999999999999", "--for=9223372036855"};
	struct run r;
	char args[128];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(args, sizeof args, "watch %s", bad[i]);
		run(&r, env, args);
		ck_assert_msg(r.status == 2, "%s: exit %d", args, r.status);
		ck_assert_msg(strstr(r.err, "not a whole number of milliseconds"), "%s: %s", args, r.err);
		ck_assert_str_eq(r.out, "");
	}
	run(&r, env, "watch --for");
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "ifplex: --for needs a value: milliseconds (see ifplex --help)\n");
	run(&r, env, "ifaces --for=10");
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "ifplex: --for is an option of watch, not of ifaces (see ifplex --help)\n");
}
END_TEST

START_TEST(test_backend_needs_value)
{
	static const char *bad[] = {"ifaces --backend", "--backend= ifaces", "--backend --json ifaces"};
	struct run r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		run(&r, env, bad[i]);
		ck_assert_msg(r.status == 2, "%s: exit %d", bad[i], r.status);
		ck_assert_str_eq(r.err, "ifplex: --backend needs a value: a plugin name, or auto (see ifplex --help)\n");
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tool");
	TCase *tc = tcase_create("ifplex-command");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ifaces_json);
	tcase_add_test(tc, test_addrs_json);
	tcase_add_test(tc, test_human_output);
	tcase_add_test(tc, test_show);
	tcase_add_test(tc, test_errors_and_usage);
	tcase_add_test(tc, test_backends);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_help_command);
	tcase_add_test(tc, test_options_anywhere);
	tcase_add_test(tc, test_strict_numbers);
	tcase_add_test(tc, test_backend_needs_value);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
