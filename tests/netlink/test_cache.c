/* The netlink cache (ebpf and notify) against uncached dumps, in a private
 * network namespace: coherence after every one of 1,000 changes, readers
 * during churn, overflow of the ring or socket, fork, and the fallback of a
 * process without BPF privileges. */
#include "../netns.h"
#include "../helpers.h"

#include <dlfcn.h>
#include <ifplex/backend.h>
#include <linux/capability.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static const char *const modes[] = {"ebpf", "notify"};

/* ---------------- a second, uncached instance of the plugin: the reference */

static const struct ifplex_backend *ref_be;
static void *ref_state;

static void *ref_alloc(size_t n) { return calloc(1, n ? n : 1); }
static void ref_log(int level, const char *fmt, ...) { (void)level; (void)fmt; }
static const char *ref_getenv(const char *name)
{
	return strcmp(name, "IFPLEX_CACHE") == 0 ? "off" : NULL;
}
static int ref_fail(const char *what, int code) { (void)what; return code; }

static const struct ifplex_host ref_host = {
	.size = sizeof(struct ifplex_host), .alloc = ref_alloc, .free = free, .log = ref_log,
	.getenv = ref_getenv, .fail = ref_fail, .fail_text = ref_fail,
};

static void open_reference(void)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/ifplex-netlink.so", ifplex_test_env("IFPLEX_TEST_PLUGINS"));
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h, "%s", dlerror());
	const struct ifplex_backend *(*entry)(void) = (const struct ifplex_backend *(*)(void))dlsym(h, "ifplex_backend_entry");
	ck_assert_ptr_nonnull(entry);
	ref_be = entry();
	ck_assert_int_eq(ref_be->open(&ref_host, &ref_state), 0);
}

static int cmp_iface(const void *x, const void *y)
{
	return ((const struct ifplex_iface *)x)->index - ((const struct ifplex_iface *)y)->index;
}

static int cmp_addr(const void *x, const void *y)
{
	const struct ifplex_addr *a = x, *b = y;
	if (a->index != b->index)
		return a->index - b->index;
	if (a->ip.len != b->ip.len)
		return a->ip.len - b->ip.len;
	int c = memcmp(a->ip.b, b->ip.b, a->ip.len);
	return c ? c : a->prefixlen - b->prefixlen;
}

static void same_iface(const struct ifplex_iface *a, const struct ifplex_iface *b, const char *what)
{
	ck_assert_msg(a->index == b->index && a->mtu == b->mtu && a->flags == b->flags &&
			      strcmp(a->name, b->name) == 0 && a->hwaddr_len == b->hwaddr_len &&
			      memcmp(a->hwaddr, b->hwaddr, a->hwaddr_len) == 0,
		      "%s: cached %d %s mtu %d flags %x hw %u, dump %d %s mtu %d flags %x hw %u", what,
		      a->index, a->name, a->mtu, a->flags, a->hwaddr_len, b->index, b->name, b->mtu,
		      b->flags, b->hwaddr_len);
}

static void same_addrs(struct ifplex_addr *a, size_t na, struct ifplex_addr *b, size_t nb, const char *what)
{
	ck_assert_msg(na == nb, "%s: %zu cached addresses, %zu dumped", what, na, nb);
	qsort(a, na, sizeof *a, cmp_addr);
	qsort(b, nb, sizeof *b, cmp_addr);
	for (size_t i = 0; i < na; i++) {
		char x[IFPLEX_ADDR_STRLEN], y[IFPLEX_ADDR_STRLEN];
		ifplex_addr_string(&a[i], x, sizeof x);
		ifplex_addr_string(&b[i], y, sizeof y);
		ck_assert_msg(a[i].index == b[i].index && strcmp(x, y) == 0, "%s: cached %s, dumped %s",
			      what, x, y);
	}
}

/* Every public call, cached, against the uncached reference. */
static void check_coherent(const char *what)
{
	struct ifplex_iface *ci, *ri;
	struct ifplex_addr *ca, *ra;
	size_t nci, nri, nca, nra;

	ck_assert_msg(ifplex_interfaces(&ci, &nci) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ref_be->interfaces(ref_state, &ri, &nri), 0);
	ck_assert_msg(nci == nri, "%s: %zu cached interfaces, %zu dumped", what, nci, nri);
	qsort(ci, nci, sizeof *ci, cmp_iface);
	qsort(ri, nri, sizeof *ri, cmp_iface);
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
static void await_ipv6_announcement(void)
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

static void prime(const char *mode)
{
	struct ifplex_iface *l;
	size_t n;

	/* Four calls: auto builds on the third, the others on the first; ebpf
	 * arms its filter on the call after the build. */
	for (int i = 0; i < 4; i++) {
		ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
		ifplex_free(l);
	}
	ck_assert_str_eq(ifplex_cache_mode(), mode);
	if (strcmp(mode, "ebpf") == 0)
		ck_assert_msg(atoll(ifplex_backend_describe("cache_bpf_setup_ns")) > 0, "BPF filter not armed");
}

static unsigned resyncs(void)
{
	return (unsigned)atoi(ifplex_backend_describe("cache_resyncs"));
}

static void setup(void)
{
	netns_enter();
	setenv("IFPLEX_BACKEND", "netlink", 1);
	unsetenv("IFPLEX_CACHE_RCVBUF");
	unsetenv("IFPLEX_CACHE_RING");
	open_reference();
}

static void use_mode(int i)
{
	setenv("IFPLEX_CACHE", modes[i], 1);
}

/* ------------------------------------------------------------- the tests */

START_TEST(test_coherence_1000_changes)
{
	use_mode(_i);
	/* No automatic link-local addresses: the kernel adds those later, from
	 * its DAD work, not before the command returns; the cache shows them
	 * when the kernel announces them, which a dump may precede. */
	sh("sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 net.ipv6.conf.default.addr_gen_mode=1");
	sh("ip link add va type veth peer name vb && ip link set va up && ip link set vb up");
	/* Carrier and operational state (RUNNING) change later, from the
	 * kernel's linkwatch work, not within a command: let that settle, and
	 * toggle up/down on a bridge without ports, which has no carrier. */
	sh("ip link add tg0 type bridge");
	usleep(1200000);
	prime(modes[_i]);
	uint64_t gen0 = ifplex_generation();
	char what[160];
	int changes = 0;
	for (int i = 0; changes < 1000; i++) {
		int k = i % 10, r = i / 10;
		const char *cmd;
		char buf[256];
		switch (k) {
		case 0: snprintf(buf, sizeof buf, "ip link add t%d type veth peer name t%dp", r, r); break;
		case 1: snprintf(buf, sizeof buf, "ip link set tg0 %s", r % 2 ? "down" : "up"); break;
		case 2: snprintf(buf, sizeof buf, "ip link set va mtu %d", 1280 + r % 200); break;
		case 3: snprintf(buf, sizeof buf, "ip link set va address 02:00:00:00:%02x:%02x", r / 256, r % 256); break;
		case 4: snprintf(buf, sizeof buf, "ip addr add 10.%d.%d.1/24 dev va", r / 250, r % 250); break;
		case 5: snprintf(buf, sizeof buf, "ip -6 addr add 2001:db8:%x::1/64 dev va nodad", r); break;
		case 6: snprintf(buf, sizeof buf, "ip addr del 10.%d.%d.1/24 dev va", r / 250, r % 250); break;
		case 7: snprintf(buf, sizeof buf, "ip -6 addr del 2001:db8:%x::1/64 dev va", r); break;
		case 8: snprintf(buf, sizeof buf, "ip link set t%d name u%d", r, r); break;
		default: snprintf(buf, sizeof buf, "ip link del u%d", r); break;
		}
		cmd = buf;
		sh("%s", cmd);
		if (k == 5)
			await_ipv6_announcement();
		changes++;
		snprintf(what, sizeof what, "after change %d (%s)", changes, cmd);
		check_coherent(what);
	}
	ck_assert_uint_gt(ifplex_generation(), gen0);
}
END_TEST

static atomic_int stop_churn;

static void *churn(void *arg)
{
	(void)arg;
	for (int i = 0; !atomic_load(&stop_churn); i++) {
		char cmd[160];
		snprintf(cmd, sizeof cmd, "ip link add c%d type veth peer name c%dp && ip link set c%d up && "
			 "ip addr add 10.200.%d.1/24 dev c%d && ip link del c%d", i % 4, i % 4, i % 4, i % 200, i % 4, i % 4);
		if (system(cmd) != 0)
			return (void *)1;
	}
	return NULL;
}

static void *read_loop(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_churn)) {
		struct ifplex_iface *l, one;
		struct ifplex_addr *a;
		size_t n, na;
		if (ifplex_interfaces(&l, &n) < 0 || ifplex_interface_addrs(NULL, &a, &na) < 0)
			return (void *)1;
		for (size_t i = 0; i < n; i++) {
			/* No torn entry: a listed name is whole and found, or gone since. */
			if (l[i].index <= 0 || !l[i].name[0])
				return (void *)2;
			int rc = ifplex_interface_by_name(l[i].name, &one);
			if (rc == 0 && strcmp(one.name, l[i].name) != 0)
				return (void *)3;
			if (rc < 0 && rc != IFPLEX_ENOIFACE)
				return (void *)4;
		}
		ifplex_free(l);
		ifplex_free(a);
	}
	return NULL;
}

START_TEST(test_readers_during_churn)
{
	pthread_t w, r[3];

	use_mode(_i);
	prime(modes[_i]);
	atomic_store(&stop_churn, 0);
	ck_assert_int_eq(pthread_create(&w, NULL, churn, NULL), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_create(&r[i], NULL, read_loop, NULL), 0);
	sleep(3);
	atomic_store(&stop_churn, 1);
	void *res;
	pthread_join(w, &res);
	ck_assert_ptr_null(res);
	for (int i = 0; i < 3; i++) {
		pthread_join(r[i], &res);
		ck_assert_msg(res == NULL, "reader %d failed (%ld)", i, (long)res);
	}
	check_coherent("after churn");
}
END_TEST

START_TEST(test_overflow_resyncs)
{
	use_mode(_i);
	if (_i == 0)
		setenv("IFPLEX_CACHE_RING", "4096", 1); /* one page: a few messages */
	else
		setenv("IFPLEX_CACHE_RCVBUF", "2048", 1); /* the kernel's minimum */
	prime(modes[_i]);
	unsigned before = resyncs();
	char path[] = "/tmp/ifplex-burst-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < 150; i++)
		fprintf(f, "link add b%d type veth peer name b%dp\naddr add 10.99.%d.1/24 dev b%d\n", i, i, i, i);
	fclose(f);
	sh("ip -batch %s", path);
	unlink(path);
	check_coherent("after a burst larger than the buffer");
	ck_assert_uint_gt(resyncs(), before);
}
END_TEST

START_TEST(test_fork)
{
	use_mode(_i);
	sh("ip link add before0 type veth peer name before1");
	prime(modes[_i]);
	pid_t pid = fork();
	if (pid == 0) {
		/* The child's first call rebuilds its own cache. */
		struct ifplex_iface one;
		if (ifplex_interface_by_name("before0", &one) != 0)
			_exit(1);
		if (system("ip link add child0 type veth peer name child1") != 0)
			_exit(2);
		if (ifplex_interface_by_name("child0", &one) != 0)
			_exit(3);
		if (strcmp(ifplex_cache_mode(), modes[_i]) != 0)
			_exit(4);
		_exit(0);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child failed with %d", WEXITSTATUS(st));
	/* The parent's cache saw the child's change, and its own. */
	check_coherent("parent after the child's change");
	sh("ip link add after0 type veth peer name after1");
	check_coherent("parent after its own change");
}
END_TEST

static void drop_bpf_privileges(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];
	const int caps[] = {CAP_SYS_ADMIN, 39 /* CAP_BPF */};

	for (size_t i = 0; i < 2; i++)
		ck_assert_int_eq(prctl(PR_CAPBSET_DROP, caps[i], 0, 0, 0), 0);
	ck_assert_int_eq(syscall(SYS_capget, &h, d), 0);
	for (size_t i = 0; i < 2; i++) {
		unsigned bit = 1u << (caps[i] % 32);
		d[caps[i] / 32].effective &= ~bit;
		d[caps[i] / 32].permitted &= ~bit;
		d[caps[i] / 32].inheritable &= ~bit;
	}
	ck_assert_int_eq(syscall(SYS_capset, &h, d), 0);
}

START_TEST(test_fallback_without_cap_bpf)
{
	drop_bpf_privileges();
	setenv("IFPLEX_CACHE", "auto", 1);
	prime("notify");
	ck_assert_ptr_nonnull(strstr(ifplex_backend_describe("cache_why"), "no CAP_BPF"));
	sh("ip link add fb0 type veth peer name fb1");
	check_coherent("without CAP_BPF");
}
END_TEST

START_TEST(test_reset_rebuilds)
{
	use_mode(_i);
	prime(modes[_i]);
	ck_assert_int_eq(ifplex_cache_reset(), 0);
	sh("ip link add rs0 type veth peer name rs1");
	check_coherent("after reset");
}
END_TEST

START_TEST(test_watch_prints_changes)
{
	char cmd[1400], out[8192] = "";

	snprintf(cmd, sizeof cmd, "IFPLEX_CACHE=%s '%s' --json watch --for=2500", modes[_i],
		 ifplex_test_env("IFPLEX_TOOL"));
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	usleep(700000);
	/* Apart by more than watch's 10 ms poll, so that no two fold together. */
	sh("ip link add wt0 type veth peer name wt1 && ip addr add 10.33.0.1/24 dev wt0");
	usleep(200000);
	sh("ip link set wt0 mtu 1400");
	usleep(200000);
	sh("ip link del wt0");
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_msg(strstr(out, "{\"event\":\"newlink\",") && strstr(out, "\"name\":\"wt0\""), "%s", out);
	ck_assert_msg(strstr(out, "\"event\":\"dellink\""), "%s", out);
	/* Changes that land within one poll fold together; each event is a line. */
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		ck_assert_msg(line[0] == '{' && line[strlen(line) - 1] == '}', "not a JSON line: %s", line);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("netns");

	tcase_set_timeout(tc, 240);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_coherence_1000_changes, 0, 2);
	tcase_add_loop_test(tc, test_readers_during_churn, 0, 2);
	tcase_add_loop_test(tc, test_overflow_resyncs, 0, 2);
	tcase_add_loop_test(tc, test_fork, 0, 2);
	tcase_add_loop_test(tc, test_reset_rebuilds, 0, 2);
	tcase_add_test(tc, test_fallback_without_cap_bpf);
	tcase_add_loop_test(tc, test_watch_prints_changes, 0, 2);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
