/* SPDX-License-Identifier: MIT */
/* The routesock backend by replay: every fixture ribgen.py writes (each
 * system's layout, built from its headers) through the public API and
 * through `ifplex --backend routesock --json`, the malformed dumps, the
 * generation counter of a replayed file, and the errors of a missing or
 * unusable file. */
#define _GNU_SOURCE
#include "../helpers.h"
#include "flag_text.h"

#include <ifplex.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FIXTURES 64

static char dir[1024];
static struct fixture {
	char base[64];
	char os[16];
	char extra[128];  /* malformed: "error TEXT" or "ok IFACES ADDRS" */
} fixtures[MAX_FIXTURES], bad[MAX_FIXTURES];
static int nfixtures, nbad;

static int read_index(const char *name, struct fixture *out)
{
	char path[1200], line[256];
	int n = 0;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (n < MAX_FIXTURES && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		snprintf(out[n].base, sizeof out[n].base, "%s", line);
		snprintf(out[n].extra, sizeof out[n].extra, "%s", sp + 1);
		sscanf(sp + 1, "%15s", out[n].os);
		n++;
	}
	fclose(f);
	return n;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	char *copy = malloc(n + 1);
	memcpy(copy, buf, n + 1);
	return copy;
}

static void use(const char *base)
{
	char path[1200];

	snprintf(path, sizeof path, "%s/%s.rib", dir, base);
	setenv("IFPLEX_BACKEND", "routesock", 1);
	setenv("IFPLEX_ROUTESOCK_RIB", path, 1);
}

static void append(char **s, size_t *len, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	size_t n = strlen(line);
	*s = realloc(*s, *len + n + 1);
	memcpy(*s + *len, line, n + 1);
	*len += n;
}

static void addr_lines(char **s, size_t *len, const char *kind, struct ifplex_addr *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char t[IFPLEX_ADDR_STRLEN];
		ck_assert_int_eq(ifplex_addr_string(&v[i], t, sizeof t), 0);
		append(s, len, "%s %d %s\n", kind, v[i].index, t);
	}
}

/* Interfaces, their addresses and groups through the public API, in the
 * fixture's .expect form. */
START_TEST(test_fixture_api)
{
	const struct fixture *fx = &fixtures[_i];
	struct ifplex_iface *ifs;
	size_t n, total = 0;
	char *got = NULL, path[1200];
	size_t glen = 0;
	int mcast = strcmp(fx->extra + strlen(fx->os) + 1, "mcast") == 0;

	use(fx->base);
	ck_assert_msg(ifplex_interfaces(&ifs, &n) == 0, "%s: %s", fx->base, ifplex_last_error());
	for (size_t i = 0; i < n; i++) {
		char hw[IFPLEX_HWADDR_MAX * 3], fl[96];
		struct ifplex_iface one;
		ifplex_hwaddr_string(ifs[i].hwaddr, ifs[i].hwaddr_len, hw, sizeof hw);
		append(&got, &glen, "iface %d %s %d %s %s\n", ifs[i].index, ifs[i].name[0] ? ifs[i].name : "-",
		       ifs[i].mtu, hw[0] ? hw : "-", rs_flag_text(ifs[i].flags, fl, sizeof fl));
		/* By index and by name give the same interface. */
		ck_assert_int_eq(ifplex_interface_by_index(ifs[i].index, &one), 0);
		ck_assert_mem_eq(&one, &ifs[i], sizeof one);
		if (ifs[i].name[0]) {
			ck_assert_int_eq(ifplex_interface_by_name(ifs[i].name, &one), 0);
			ck_assert_int_eq(one.index, ifs[i].index);
		}
		struct ifplex_addr *as;
		size_t na;
		ck_assert_msg(ifplex_interface_addrs(&ifs[i], &as, &na) == 0, "%s", ifplex_last_error());
		addr_lines(&got, &glen, "addr", as, na);
		total += na;
		ifplex_free(as);
		int rc = ifplex_interface_multicast_addrs(&ifs[i], &as, &na);
		if (mcast) {
			ck_assert_msg(rc == 0, "%s: %s", fx->base, ifplex_last_error());
			addr_lines(&got, &glen, "mcast", as, na);
			ifplex_free(as);
		} else {
			ck_assert_int_eq(rc, IFPLEX_ENOTSUP);
			ck_assert_msg(strstr(ifplex_last_error(), "has no sysctl that lists multicast groups"), "%s",
				      ifplex_last_error());
		}
	}
	/* Every address at once is the sum of each interface's. */
	struct ifplex_addr *all;
	size_t nall;
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &all, &nall), 0);
	ck_assert_uint_eq(nall, total);
	ifplex_free(all);
	ifplex_free(ifs);
	struct ifplex_iface none;
	ck_assert_int_eq(ifplex_interface_by_index(99, &none), IFPLEX_ENOIFACE);
	ck_assert_int_eq(ifplex_interface_by_name("nosuch0", &none), IFPLEX_ENOIFACE);

	snprintf(path, sizeof path, "%s/%s.expect", dir, fx->base);
	char *want = slurp(path, NULL);
	ck_assert_str_eq(got ? got : "", want);
	free(got);
	free(want);
}
END_TEST

static char *run_tool(const char *args, int *status)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "%s --backend routesock --json %s 2>&1", ifplex_test_env("IFPLEX_TOOL"), args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = '\0';
	*status = pclose(p);
	return buf;
}

static void tool_equals(const char *base, const char *args, const char *suffix)
{
	char path[1200];
	int st;

	snprintf(path, sizeof path, "%s/%s.%s", dir, base, suffix);
	char *want = slurp(path, NULL);
	const char *got = run_tool(args, &st);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "ifplex %s: %s", args, got);
	ck_assert_str_eq(got, want);
	free(want);
}

START_TEST(test_fixture_tool)
{
	const struct fixture *fx = &fixtures[_i];
	int mcast = strcmp(fx->extra + strlen(fx->os) + 1, "mcast") == 0;
	char args[32], suffix[32];
	int st;

	use(fx->base);
	tool_equals(fx->base, "ifaces", "ifaces.json");
	tool_equals(fx->base, "addrs", "addrs.json");
	for (int i = 1; i <= 5; i++) {
		snprintf(args, sizeof args, "mcast %d", i);
		snprintf(suffix, sizeof suffix, "mcast%d.json", i);
		if (mcast) {
			tool_equals(fx->base, args, suffix);
		} else {
			const char *out = run_tool(args, &st);
			ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
			ck_assert_msg(strstr(out, "has no sysctl that lists multicast groups"), "%s", out);
		}
	}
}
END_TEST

/* Malformed dumps: a clear error, or the messages that could be read. */
START_TEST(test_malformed)
{
	const struct fixture *fx = &bad[_i];
	struct ifplex_iface *ifs;
	size_t n;

	use(fx->base);
	int rc = ifplex_interfaces(&ifs, &n);
	if (strncmp(fx->extra, "error ", 6) == 0) {
		ck_assert_msg(rc == IFPLEX_EMALFORMED, "%s: %d %s", fx->base, rc, ifplex_last_error());
		ck_assert_msg(strstr(ifplex_last_error(), fx->extra + 6), "%s: %s", fx->base, ifplex_last_error());
		ck_assert_msg(strncmp(ifplex_last_error(), "route ip+net: IFPLEX_ROUTESOCK_RIB ", 35) == 0 ||
				      strncmp(ifplex_last_error(), "route ip+net: freebsd amd64 iflist: ", 36) == 0,
			      "%s", ifplex_last_error());
		return;
	}
	unsigned want_ifs, want_addrs;
	ck_assert_int_eq(sscanf(fx->extra, "ok %u %u", &want_ifs, &want_addrs), 2);
	ck_assert_msg(rc == 0, "%s: %s", fx->base, ifplex_last_error());
	ck_assert_uint_eq(n, want_ifs);
	ifplex_free(ifs);
	struct ifplex_addr *as;
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &as, &n), 0);
	ck_assert_uint_eq(n, want_addrs);
	ifplex_free(as);
}
END_TEST

START_TEST(test_malformed_tool)
{
	int st;

	use("bad-truncated");
	const char *out = run_tool("ifaces", &st);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	ck_assert_msg(strstr(out, "ifplex: route ip+net: freebsd amd64 iflist: routing message at offset ") &&
			      strstr(out, "(truncated)"),
		      "%s", out);
}
END_TEST

START_TEST(test_no_file)
{
	struct ifplex_iface *ifs;
	size_t n;

	setenv("IFPLEX_BACKEND", "routesock", 1);
	setenv("IFPLEX_ROUTESOCK_RIB", "/nonexistent/ifplex.rib", 1);
	ck_assert_int_eq(ifplex_interfaces(&ifs, &n), -ENOENT);
	ck_assert_str_eq(ifplex_last_error(),
			 "route ip+net: IFPLEX_ROUTESOCK_RIB /nonexistent/ifplex.rib: open: No such file or directory");
}
END_TEST

START_TEST(test_no_sysctl_here)
{
	struct ifplex_iface *ifs;
	size_t n;

	/* Linux has no routing sysctls: only a replay can feed the backend. */
	setenv("IFPLEX_BACKEND", "routesock", 1);
	unsetenv("IFPLEX_ROUTESOCK_RIB");
	ck_assert_int_eq(ifplex_interfaces(&ifs, &n), IFPLEX_ENOBACKEND);
	ck_assert_msg(strstr(ifplex_last_error(), "set IFPLEX_ROUTESOCK_RIB to replay a captured dump"), "%s",
		      ifplex_last_error());
}
END_TEST

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

/* A replayed file is read on every call: a new file is a new state, and
 * the generation grows when the file changes. */
START_TEST(test_generation_follows_file)
{
	char tmp[] = "/tmp/ifplex-rib-XXXXXX", path[1200];
	size_t n1, n2;

	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(path, sizeof path, "%s/freebsd-amd64.rib", dir);
	char *full = slurp(path, &n1);
	snprintf(path, sizeof path, "%s/dragonfly-amd64.rib", dir);
	char *other = slurp(path, &n2);
	snprintf(path, sizeof path, "%s/now.rib", tmp);
	write_file(path, full, n1);
	setenv("IFPLEX_BACKEND", "routesock", 1);
	setenv("IFPLEX_ROUTESOCK_RIB", path, 1);

	uint64_t g1 = ifplex_generation();
	ck_assert_uint_gt(g1, 0);
	ck_assert_uint_eq(ifplex_generation(), g1);
	struct ifplex_iface ifi;
	ck_assert_int_eq(ifplex_interface_by_index(2, &ifi), 0);
	ck_assert_str_eq(ifi.name, "em0");
	write_file(path, other, n2);
	ck_assert_uint_gt(ifplex_generation(), g1);
	ck_assert_int_eq(ifplex_interface_by_index(2, &ifi), 0);
	ck_assert_str_eq(ifi.name, "em0");
	ck_assert_int_eq(ifplex_interface_by_index(4, &ifi), 0);
	ck_assert_str_eq(ifi.name, "vlan0"); /* DragonFly's name, not FreeBSD's vlan100 */

	/* A file without the multicast section cannot answer for groups. */
	const char *second = memmem(full + 1, n1 - 1, "ifplex-rib 1", 12);
	ck_assert_ptr_nonnull(second);
	write_file(path, full, (size_t)(second - full));
	struct ifplex_addr *as;
	size_t na;
	ck_assert_int_eq(ifplex_interface_multicast_addrs(NULL, &as, &na), IFPLEX_ENOTSUP);
	ck_assert_msg(strstr(ifplex_last_error(), "has no ifmalist section"), "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_interface_addrs(NULL, &as, &na), 0);
	ifplex_free(as);
	unlink(path);
	rmdir(tmp);
	free(full);
	free(other);
}
END_TEST

START_TEST(test_rib_capture_needs_bsd)
{
	char cmd[1200];

	/* Linux has no routing sysctls to capture. */
	snprintf(cmd, sizeof cmd, "%s rib-capture /tmp/ifplex-never-written.rib 2>&1", ifplex_test_env("IFPLEX_TOOL"));
	FILE *p = popen(cmd, "r");
	char out[512] = "";
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	ck_assert_str_eq(out, "ifplex: rib-capture needs a BSD or macOS kernel (sysctl NET_RT_IFLIST); this "
			      "system has none\n");
	ck_assert_int_eq(access("/tmp/ifplex-never-written.rib", F_OK), -1);
}
END_TEST

START_TEST(test_backend_describes_source)
{
	use("openbsd-amd64");
	ck_assert_str_eq(ifplex_backend_name(), "routesock");
	const char *src = ifplex_backend_describe("source");
	ck_assert_ptr_nonnull(src);
	ck_assert_msg(strncmp(src, "replay ", 7) == 0 && strstr(src, "openbsd-amd64.rib"), "%s", src);
	ck_assert_str_eq(ifplex_cache_mode(), "none");
}
END_TEST

int main(void)
{
	const char *build = getenv("IFPLEX_TEST_BUILDDIR");
	if (!build) {
		printf("IFPLEX_TEST_BUILDDIR is not set: run the tests with make check\n");
		return 1;
	}
	snprintf(dir, sizeof dir, "%s/tests/routesock/fixtures", build);
	nfixtures = read_index("index", fixtures);
	nbad = read_index("malformed", bad);
	if (nfixtures <= 0 || nbad <= 0) {
		printf("SKIP: no fixtures in %s (ribgen.py needs python3)\n", dir);
		return 77;
	}
	Suite *s = suite_create("routesock");
	TCase *tc = tcase_create("replay");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_fixture_api, 0, nfixtures);
	tcase_add_loop_test(tc, test_fixture_tool, 0, nfixtures);
	tcase_add_loop_test(tc, test_malformed, 0, nbad);
	tcase_add_test(tc, test_malformed_tool);
	tcase_add_test(tc, test_no_file);
	tcase_add_test(tc, test_no_sysctl_here);
	tcase_add_test(tc, test_generation_follows_file);
	tcase_add_test(tc, test_backend_describes_source);
	tcase_add_test(tc, test_rib_capture_needs_bsd);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
