/* SPDX-License-Identifier: MIT */
/* The netlink cache (ebpf and notify) against uncached dumps, in a private
 * network namespace: coherence (in order) after every one of 1,000 changes,
 * the kernel's address order through primaries, secondaries and promotions,
 * readers during churn, overflow of the ring or socket, fork, an ebpf
 * filter made off the calling thread (reset and fork while it is made), one
 * that cannot be made at first, and the fallback of a process without BPF
 * privileges. */
#include "../netns.h"
#include "../helpers.h"
#include "reference.h"
#include "churn.h"
#include "forkcheck.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <malloc.h>
#include <ifplex/backend.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>

static const char *const modes[] = {"ebpf", "notify"};

#if defined(__SANITIZE_THREAD__)
/* test_fork_during_preparation forks while the library's helper thread
 * runs, and the child then starts one of its own, as a real program may;
 * ThreadSanitizer cannot follow threads across such a fork and kills the
 * child by default, so it is told to go on. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "die_after_fork=0";
}
#endif

#if defined(__x86_64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

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
	char what[320];
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

static void *read_loop(void *arg)
{
	(void)arg;
	while (churning()) {
		int rc = read_round();
		if (rc)
			return (void *)(intptr_t)rc;
	}
	return NULL;
}

START_TEST(test_readers_during_churn)
{
	use_mode(_i);
	prime(modes[_i]);
	run_churn(0, read_loop);
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

/* The child's first call rebuilds its own cache; mode names the mode. */
static int cache_child(void *mode)
{
	struct ifplex_iface one;

	if (ifplex_interface_by_name("before0", &one) != 0)
		return 1;
	if (system("ip link add child0 type veth peer name child1") != 0)
		return 2;
	if (ifplex_interface_by_name("child0", &one) != 0)
		return 3;
	if (strcmp(ifplex_cache_mode(), mode) != 0)
		return 4;
	return 0;
}

START_TEST(test_fork)
{
	use_mode(_i);
	sh("ip link add before0 type veth peer name before1");
	prime(modes[_i]);
	fork_check(cache_child, (void *)modes[_i]);
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

/* The kernel orders each interface's IPv4 addresses primaries first (a new
 * primary goes after the last primary, a secondary at the end, a promoted
 * secondary moves up) and its IPv6 addresses by scope, newest first within
 * a scope; a dump lists every interface's IPv4 addresses, then every
 * interface's IPv6 ones.  Go and the uncached path keep that order. */
START_TEST(test_address_order)
{
	static const char *const steps[] = {
		"ip addr add 10.1.0.1/24 dev oa",
		"ip addr add 10.1.0.2/24 dev oa",              /* secondary */
		"ip addr add 10.2.0.1/24 dev oa",              /* primary: before 10.1.0.2 */
		"ip addr add 10.1.0.3/24 dev oa",              /* secondary, at the end */
		"ip addr add 10.3.0.1/24 dev ob",
		"ip -6 addr add 2001:db8:1::1/64 dev oa nodad",
		"ip -6 addr add 2001:db8:2::1/64 dev oa nodad", /* newest global first */
		"ip -6 addr add fe80::1/64 dev oa nodad",       /* link scope: after globals */
		"ip -6 addr add 2001:db8:3::1/64 dev ob nodad",
		"ip addr add 10.4.0.1/24 dev oa scope link",    /* narrower scope */
		"ip addr add 10.5.0.1/24 dev oa",
		"ip addr del 10.1.0.1/24 dev oa",               /* promotes 10.1.0.2 */
		"ip addr add 10.1.0.1/24 dev oa",               /* now a secondary */
		"ip -6 addr del 2001:db8:2::1/64 dev oa",
		"ip -6 addr add 2001:db8:2::1/64 dev oa nodad",
		"ip addr del 10.2.0.1/24 dev oa",
		"ip addr add 10.2.0.1/24 dev oa",
	};

	use_mode(_i);
	sh("sysctl -qw net.ipv6.conf.all.addr_gen_mode=1 net.ipv6.conf.default.addr_gen_mode=1");
	sh("ip link add oa type veth peer name ob && ip link set oa up && ip link set ob up");
	sh("sysctl -qw net.ipv4.conf.oa.promote_secondaries=1");
	prime(modes[_i]);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		char what[160];
		sh("%s", steps[i]);
		if (strstr(steps[i], "-6 addr add"))
			await_ipv6_announcement();
		snprintf(what, sizeof what, "after %s", steps[i]);
		check_coherent(what);
	}
	/* Without promotion a primary takes its secondaries with it. */
	sh("sysctl -qw net.ipv4.conf.oa.promote_secondaries=0");
	sh("ip addr del 10.1.0.2/24 dev oa");
	check_coherent("after deleting a primary without promotion");
}
END_TEST

/* The lowest descriptor number free now: with RLIMIT_NOFILE set to it, the
 * process can open nothing more. */
static int lowest_free_fd(void)
{
	int fd = dup(0);
	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

/* Calls until cache_why says the filter could not be made (the helper
 * thread's result is taken by a later call), each served all the same. */
static void await_arm_failure(void)
{
	struct ifplex_iface *l;
	size_t n;

	for (int i = 0; i < 10000 && !strstr(ifplex_backend_describe("cache_why"), "attach failed"); i++) {
		ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
		ifplex_free(l);
		usleep(1000);
	}
	ck_assert_ptr_nonnull(strstr(ifplex_backend_describe("cache_why"), "attach failed"));
}

/* An explicitly chosen ebpf cache whose filter cannot be made at first
 * (no descriptor for its maps: a transient failure) serves from its
 * subscription meanwhile and arms once it can; it never settles for notify.
 * auto does the same for a transient failure, and says so in IFPLEX_DEBUG. */
START_TEST(test_bpf_arm_retries)
{
	const char *mode = _i == 0 ? "ebpf" : "auto";
	char log[] = "/tmp/ifplex-armlog-XXXXXX";
	int logfd = mkstemp(log);
	struct rlimit old, tight;

	ck_assert_int_ge(logfd, 0);
	setenv("IFPLEX_CACHE", mode, 1);
	setenv("IFPLEX_DEBUG", "1", 1);
	ck_assert_int_ge(dup2(logfd, 2), 0);
	/* Built and armed once, then forgotten: the dump socket stays open. */
	prime("ebpf");
	ck_assert_int_eq(ifplex_cache_reset(), 0);
	/* Room for the subscription the next call makes, none for the maps
	 * the helper thread then makes. */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	tight = old;
	tight.rlim_cur = (rlim_t)lowest_free_fd() + 1;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &tight), 0);
	await_arm_failure();
	ck_assert_int_eq(atoll(ifplex_backend_describe("cache_bpf_setup_ns")), 0);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	sh("ip link add ar0 type veth peer name ar1");
	check_coherent("as the filter arms");
	await_armed();
	ck_assert_str_eq(ifplex_cache_mode(), "ebpf");
	sh("ip link add ar2 type veth peer name ar3");
	check_coherent("after the filter armed");
	char text[8192];
	ssize_t got = pread(logfd, text, sizeof text - 1, 0);
	ck_assert_int_gt(got, 0);
	text[got] = '\0';
	ck_assert_msg(strstr(text, "will retry"), "IFPLEX_DEBUG does not say it retries:\n%s", text);
	ck_assert_msg(strstr(text, "BPF filter armed"), "IFPLEX_DEBUG does not say it armed:\n%s", text);
	if (_i == 1)
		ck_assert_msg(strstr(text, "auto"), "IFPLEX_DEBUG does not say why auto chose:\n%s", text);
	close(logfd);
	unlink(log);
}
END_TEST

/* Entries of a /proc/self directory: open descriptors, or threads. */
static int proc_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;

	ck_assert_ptr_nonnull(d);
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - (strcmp(dir, "/proc/self/fd") == 0); /* opendir's own */
}

static void *no_op(void *arg)
{
	return arg;
}

/* The process's threads before any helper thread: counted after one
 * thread has come and gone, since ThreadSanitizer starts a background
 * thread of its own at the process's first pthread_create. */
static int settled_tasks(void)
{
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, no_op, NULL), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	return proc_entries("/proc/self/task");
}

/* Until the helper thread has left (it ends a moment after its work is
 * taken): whether no more than tasks threads remain. */
static int threads_back_to(int tasks)
{
	for (int i = 0; i < 10000 && proc_entries("/proc/self/task") > tasks; i++)
		usleep(1000);
	return proc_entries("/proc/self/task") <= tasks;
}

/* BPF programs this process holds a descriptor of (and maps, in *maps):
 * an armed cache holds its filter's one program and its maps, nothing
 * left of earlier attempts. */
static int bpf_objects(int *maps)
{
	DIR *d = opendir("/proc/self/fd");
	int progs = 0;
	char path[300], target[64];

	ck_assert_ptr_nonnull(d);
	*maps = 0;
	for (struct dirent *e; (e = readdir(d));) {
		snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		progs += strcmp(target, "anon_inode:bpf-prog") == 0;
		*maps += strcmp(target, "anon_inode:bpf-map") == 0;
	}
	closedir(d);
	return progs;
}

/* The filter's objects are made on a helper thread: the call after the
 * build does not wait for them; the cache arms within a bounded number of
 * calls, counted in cache_bpf_arm_calls, and from then on an unchanged
 * call reads nothing from any socket (here refused by seccomp). */
START_TEST(test_arms_off_the_call)
{
	struct ifplex_iface *l, one;
	struct ifplex_addr *a;
	size_t n;

	setenv("IFPLEX_CACHE", "ebpf", 1);
	sh("ip link add ao0 type veth peer name ao1 && ip addr add 10.44.0.1/24 dev ao0");
	ck_assert_int_eq(ifplex_interfaces(&l, &n), 0); /* builds */
	ifplex_free(l);
	int calls = await_armed();
	ck_assert_uint_eq((unsigned)atoi(ifplex_backend_describe("cache_bpf_arm_calls")), (unsigned)calls);
	ck_assert_int_ge(calls, 1);
	int maps;
	ck_assert_int_eq(bpf_objects(&maps), 1);
	check_coherent("once armed");
	/* Again, now with a pause between calls, so that the helper thread
	 * ends between two of them. */
	int maps1 = maps;
	ck_assert_int_eq(ifplex_cache_reset(), 0);
	ck_assert_int_eq(ifplex_interfaces(&l, &n), 0);
	ifplex_free(l);
	await_armed();
	ck_assert_int_eq(bpf_objects(&maps), 1);
	ck_assert_int_eq(maps, maps1);
#ifdef TEST_AUDIT_ARCH
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_recvfrom, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_recvmsg, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendto, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendmsg, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = {.len = sizeof f / sizeof f[0], .filter = f};
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
		ifplex_free(l);
		ck_assert_msg(ifplex_interface_addrs(NULL, &a, &n) == 0, "%s", ifplex_last_error());
		ifplex_free(a);
		ck_assert_msg(ifplex_interface_by_name("ao0", &one) == 0, "%s", ifplex_last_error());
	}
#endif
}
END_TEST

/* A reset while the helper thread makes the filter waits for it and frees
 * what it made: no descriptor and no thread stays behind. */
START_TEST(test_reset_during_preparation)
{
	struct ifplex_iface *l;
	size_t n;
	int during = 0, tasks = settled_tasks();

	setenv("IFPLEX_CACHE", "ebpf", 1);
	prime("ebpf");
	ck_assert_int_eq(ifplex_cache_reset(), 0);
	int fds = proc_entries("/proc/self/fd");
	for (int i = 0; i < 20; i++) {
		ck_assert_int_eq(ifplex_interfaces(&l, &n), 0); /* builds, and starts the thread */
		ifplex_free(l);
		during += proc_entries("/proc/self/task") > tasks;
		ck_assert_int_eq(ifplex_cache_reset(), 0);
		ck_assert_int_eq(proc_entries("/proc/self/fd"), fds);
		ck_assert_msg(threads_back_to(tasks), "a helper thread stayed behind");
	}
	ck_assert_msg(during > 0, "no reset came while the filter was being made");
	sh("ip link add rp0 type veth peer name rp1");
	prime("ebpf");
	check_coherent("armed after the resets");
}
END_TEST

/* The cached list against a dump, in the child (no check assertions
 * there): 0, or how it differs. */
static int same_as_dump(void)
{
	struct ifplex_iface *ci, *ri;
	size_t nci, nri;
	int rc = 0;

	if (ifplex_interfaces(&ci, &nci) < 0)
		return 10;
	if (ref_be->interfaces(ref_state, &ri, &nri) < 0) {
		ifplex_free(ci);
		return 11;
	}
	if (nci != nri)
		rc = 12;
	for (size_t i = 0; !rc && i < nci; i++)
		if (ci[i].index != ri[i].index || strcmp(ci[i].name, ri[i].name) != 0 || ci[i].mtu != ri[i].mtu)
			rc = 13;
	ifplex_free(ci);
	free(ri);
	return rc;
}

/* The child of a fork made while the filter was being made: it has no
 * helper thread and must not wait for one, nor keep what the parent's was
 * making; it builds and arms its own, with as many descriptors as an armed
 * cache has (*arg) and no thread left. */
static int child_during_preparation(void *arg)
{
	int rc = same_as_dump();
	if (rc)
		return rc;
	char cmd[96];
	snprintf(cmd, sizeof cmd, "ip link add f%d type veth peer name g%d", (int)getpid(), (int)getpid());
	if (system(cmd) != 0)
		return 2;
	/* Bounded by time, not by calls: under a sanitizer and a loaded
	 * machine each call may take long. */
	time_t until = time(NULL) + 60;
	while (atoll(ifplex_backend_describe("cache_bpf_setup_ns")) <= 0 && time(NULL) < until) {
		if ((rc = same_as_dump()))
			return rc;
		usleep(1000);
	}
	if (atoll(ifplex_backend_describe("cache_bpf_setup_ns")) <= 0)
		return 3;
	snprintf(cmd, sizeof cmd, "ip link set f%d mtu 1400", (int)getpid());
	if (system(cmd) != 0)
		return 4;
	if (proc_entries("/proc/self/fd") != ((int *)arg)[0]) {
		/* Which ones, for the log. */
		fprintf(stderr, "child: %d descriptors, an armed cache had %d:\n", proc_entries("/proc/self/fd"),
			((int *)arg)[0]);
		if (system("ls -l /proc/$PPID/fd >&2") != 0)
			return 7;
		return 5;
	}
	if (!threads_back_to(((int *)arg)[1]))
		return 6;
	int maps;
	if (bpf_objects(&maps) != 1)
		return 8;
	return same_as_dump();
}

START_TEST(test_fork_during_preparation)
{
	struct ifplex_iface *l;
	size_t n;
	int forks = 0, tasks = settled_tasks();

	setenv("IFPLEX_CACHE", "ebpf", 1);
	sh("ip link add fp0 type veth peer name fp1");
	prime("ebpf");
	check_coherent("armed"); /* the reference's socket is open too */
	ck_assert_msg(threads_back_to(tasks), "the helper thread stayed behind");
	int armed[2] = {proc_entries("/proc/self/fd"), tasks};
	/* At different points of the making: each fork a little later. */
	for (int i = 0; i < 60 && forks < 8; i++) {
		ck_assert_int_eq(ifplex_cache_reset(), 0);
		ck_assert_int_eq(ifplex_interfaces(&l, &n), 0); /* builds, and starts the thread */
		ifplex_free(l);
		usleep((useconds_t)(i % 8) * 100);
		if (proc_entries("/proc/self/task") > tasks) {
			fork_check(child_during_preparation, armed);
			forks++;
		}
	}
	ck_assert_msg(forks > 0, "the filter was never being made at a fork");
	await_armed();
	ck_assert_int_eq(proc_entries("/proc/self/fd"), armed[0]);
	check_coherent("parent after the forks");
	sh("ip link add fp2 type veth peer name fp3");
	check_coherent("parent after its own change");
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

/* Build the cache and use it (lists, snapshots), in a thread of its own,
 * so that the list block the core keeps per thread goes when it ends. */
static void *use_cache(void *arg)
{
	const struct ifplex_snapshot *snap;
	struct ifplex_addr *a;
	size_t n;

	prime(arg);
	for (int i = 0; i < 20; i++) {
		if (ifplex_interface_addrs(NULL, &a, &n) < 0 || ifplex_snapshot_get(&snap) < 0)
			return (void *)1;
		ifplex_free(a);
		ifplex_snapshot_put(snap);
	}
	return NULL;
}

/* n veth pairs with an IPv4 address on each end, in one ip -batch. */
static void add_heap_pairs(int n)
{
	char path[] = "/tmp/ifplex-heap-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < n; i++)
		fprintf(f, "link add h%da type veth peer name h%db\naddr add 10.7.%d.1/24 dev h%da\n"
			   "addr add 10.8.%d.1/24 dev h%db\n", i, i, i, i, i, i);
	fclose(f);
	sh("ip -batch %s", path);
	unlink(path);
}

/* The cache keeps its tables, buffers and snapshots out of the C library's
 * heap: blocks that live as long as the cache raised the top of glibc's
 * heap, which then trimmed and faulted pages in again on every large
 * allocation of the program's (getifaddrs took 19 page faults a call with
 * 100 links once the cache was built, none before).  What the heap holds
 * in use grows by no more than a few small structs. */
START_TEST(test_heap_untouched)
{
	pthread_t th;
	void *res;

	use_mode(_i);
	add_heap_pairs(50);
	ck_assert_ptr_nonnull(ifplex_backend_name());
	size_t before = mallinfo2().uordblks;
	ck_assert_int_eq(pthread_create(&th, NULL, use_cache, (void *)modes[_i]), 0);
	ck_assert_int_eq(pthread_join(th, &res), 0);
	ck_assert_ptr_null(res);
	size_t after = mallinfo2().uordblks;
	ck_assert_msg(after <= before + 4096, "the heap holds %zu bytes more once the cache is built", after - before);
}
END_TEST

/* The same in the program's own thread, where the core's kept list block
 * stays: lists the caller freed must not stay in glibc's heap either (a
 * kept 570 KB block below getifaddrs's made glibc trim and fault 269
 * pages in again on each of its calls at 1,001 interfaces). */
START_TEST(test_heap_after_lists)
{
	use_mode(_i);
	add_heap_pairs(150);
	ck_assert_ptr_nonnull(ifplex_backend_name());
	size_t before = mallinfo2().uordblks;
	ck_assert_ptr_null(use_cache((void *)modes[_i]));
	size_t after = mallinfo2().uordblks;
	ck_assert_msg(after <= before + 4096, "the heap holds %zu bytes more after the lists were freed",
		      after - before);
}
END_TEST

/* Read what watch printed into out (at the end of what is there) until
 * want appears or ms pass; whether it appeared. */
static int watch_until(int fd, char *out, size_t len, const char *want, int ms)
{
	size_t have = strlen(out);

	for (int waited = 0; !strstr(out, want) && waited < ms; waited += 10) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 10) == 1) {
			ssize_t n = read(fd, out + have, len - 1 - have);
			if (n <= 0)
				break;
			have += (size_t)n;
			out[have] = '\0';
		}
	}
	return strstr(out, want) != NULL;
}

START_TEST(test_watch_prints_changes)
{
	static char out[16384];
	int pipefd[2];

	ck_assert_int_eq(pipe(pipefd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		setenv("IFPLEX_CACHE", modes[_i], 1);
		execl(ifplex_test_env("IFPLEX_TOOL"), "ifplex", "--json", "watch", "--for=60000", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	out[0] = '\0';
	/* Until watch reports a probe link, it is still starting (slowly, on
	 * a loaded machine): try again, each probe under a new name. */
	int live = 0;
	for (int i = 0; i < 100 && !live; i++) {
		char probe[32];
		snprintf(probe, sizeof probe, "\"name\":\"wp%d\"", i);
		sh("ip link add wp%d type veth peer name wq%d", i, i);
		live = watch_until(pipefd[0], out, sizeof out, probe, 200);
	}
	ck_assert_msg(live, "watch never reported a change: %s", out);
	out[0] = '\0';
	/* Apart by more than watch's 10 ms poll, so that no two fold together. */
	sh("ip link add wt0 type veth peer name wt1 && ip addr add 10.33.0.1/24 dev wt0");
	usleep(200000);
	sh("ip link set wt0 mtu 1400");
	usleep(200000);
	sh("ip link del wt0");
	/* The probes stay: a dellink is wt0's (and its peer's). */
	ck_assert_msg(watch_until(pipefd[0], out, sizeof out, "\"event\":\"dellink\",\"index\"", 20000), "%s", out);
	for (int i = 0; i < 200 && out[strlen(out) - 1] != '\n'; i++)
		watch_until(pipefd[0], out, sizeof out, "\n\n", 10); /* the rest of the line */
	kill(pid, SIGTERM);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "watch ended with %d", st);
	close(pipefd[0]);
	ck_assert_msg(strstr(out, "{\"event\":\"newlink\",") && strstr(out, "\"name\":\"wt0\""), "%s", out);
	ck_assert_msg(strstr(out, "\"event\":\"newaddr\"") && strstr(out, "\"mtu\":1400"), "%s", out);
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
	tcase_add_loop_test(tc, test_address_order, 0, 2);
	tcase_add_loop_test(tc, test_bpf_arm_retries, 0, 2);
	tcase_add_test(tc, test_arms_off_the_call);
	tcase_add_test(tc, test_reset_during_preparation);
	tcase_add_test(tc, test_fork_during_preparation);
	tcase_add_test(tc, test_fallback_without_cap_bpf);
	tcase_add_loop_test(tc, test_watch_prints_changes, 0, 2);
	tcase_add_loop_test(tc, test_heap_untouched, 0, 2);
	tcase_add_loop_test(tc, test_heap_after_lists, 0, 2);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
