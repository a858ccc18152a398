/* The ifplex command against the fake backend: exact JSON, human output,
 * exit statuses, one-line errors. */
#include "helpers.h"

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

	run(&r, env, "ifaces");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "eth0                 2   1500 02:fc:00:00:00:01 up|broadcast|multicast|running\n"));
	run(&r, env, "addrs");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "lo               127.0.0.1/8 ::1/128\n"));
	run(&r, env, "show 5");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "pointtopoint|multicast"));
	run(&r, env, "--json mcast eth0");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\"ff02::1%eth0/128\""));
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
	run(&r, env, "mcast");
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

int main(void)
{
	Suite *s = suite_create("tool");
	TCase *tc = tcase_create("ifplex-command");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ifaces_json);
	tcase_add_test(tc, test_addrs_json);
	tcase_add_test(tc, test_human_output);
	tcase_add_test(tc, test_errors_and_usage);
	tcase_add_test(tc, test_backends);
	tcase_add_test(tc, test_lookup);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
