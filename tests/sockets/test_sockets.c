/* SPDX-License-Identifier: MIT */
/* POSIX sockets through a backend that uses plugins/common (TEST_BACKEND:
 * netlink, or routesock replaying a dump of the test's own namespace),
 * each test in a namespace of its own: TCP and UDP over loopback, Unix
 * sockets and descriptor passing, ICMP echo, deadlines, multicast between
 * two namespaces, bind to device, Go's errors. */
#include "../netns.h"
#include "../helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <ifplex.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* routesock reads its interfaces from a dump: write one of the current
 * namespace (ribgen.py live, FreeBSD's layout) and point it there. */
static char rib_path[64];

static void replay_here(void)
{
	if (strcmp(TEST_BACKEND, "routesock") != 0)
		return;
	/* One file per test: a child in another namespace rewrites it, and
	 * the backend it inherited reads it again. */
	if (!rib_path[0])
		snprintf(rib_path, sizeof rib_path, "/tmp/ifplex-sockets-%d.rib", (int)getpid());
	const char *path = rib_path;
	sh("python3 %s/routesock/ribgen.py live freebsd amd64 %s", ifplex_test_env("IFPLEX_TEST_SRCDIR"), path);
	setenv("IFPLEX_ROUTESOCK_RIB", path, 1);
}

static void setup(void)
{
	setenv("IFPLEX_BACKEND", TEST_BACKEND, 1);
	netns_enter();
	replay_here();
	ck_assert_str_eq(ifplex_backend_name(), TEST_BACKEND);
}

static void teardown(void)
{
	const char *rib = getenv("IFPLEX_ROUTESOCK_RIB");
	if (rib && strncmp(rib, "/tmp/ifplex-sockets-", 20) == 0)
		unlink(rib);
}

static void local_of(ifplex_conn *c, char *buf, size_t len)
{
	struct ifplex_netaddr a;
	ck_assert_int_eq(ifplex_conn_local_addr(c, &a), 0);
	ck_assert_int_eq(ifplex_netaddr_string(&a, buf, len), 0);
}

/* A listener on loopback, a connection dialled to it and its accepted end. */
static void tcp_pair(ifplex_conn **l, ifplex_conn **c, ifplex_conn **s, char *at, size_t len)
{
	ck_assert_int_eq(ifplex_listen("tcp4", "127.0.0.1:0", l), 0);
	local_of(*l, at, len);
	ck_assert_int_eq(ifplex_dial("tcp4", at, c), 0);
	ck_assert_int_eq(ifplex_accept(*l, s), 0);
}

static void echo_over(const char *net, const char *listen_at, const char *dial_net, const char *host)
{
	ifplex_conn *l, *c, *s;
	struct ifplex_netaddr la;
	char at[IFPLEX_ADDR_STRLEN], port[8], buf[64];
	size_t n;

	ck_assert_msg(ifplex_listen(net, listen_at, &l) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_conn_local_addr(l, &la), 0);
	snprintf(port, sizeof port, "%d", la.port);
	ck_assert_int_eq(ifplex_join_host_port(host, port, at, sizeof at), 0);
	ck_assert_msg(ifplex_dial(dial_net, at, &c) == 0, "%s", ifplex_last_error());
	ck_assert_msg(ifplex_accept(l, &s) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_write(c, "ping", 4, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(ifplex_read(s, buf, sizeof buf, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(ifplex_write(s, buf, n, &n), 0);
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), 0);
	ck_assert_mem_eq(buf, "ping", 4);
	/* Remote of one side is local of the other. */
	char a1[IFPLEX_ADDR_STRLEN], a2[IFPLEX_ADDR_STRLEN];
	struct ifplex_netaddr r;
	ck_assert_int_eq(ifplex_conn_remote_addr(c, &r), 0);
	ifplex_netaddr_string(&r, a1, sizeof a1);
	local_of(s, a2, sizeof a2);
	ck_assert_str_eq(a1, a2);
	/* Closing one side is EOF on the other. */
	ck_assert_int_eq(ifplex_close_write(c), 0);
	ck_assert_int_eq(ifplex_read(s, buf, sizeof buf, &n), IFPLEX_EOF);
	ck_assert_int_eq(ifplex_close(c), 0);
	ck_assert_int_eq(ifplex_close(s), 0);
	ck_assert_int_eq(ifplex_close(l), 0);
}

START_TEST(test_tcp_echo_v4)
{
	echo_over("tcp4", "127.0.0.1:0", "tcp", "127.0.0.1");
}
END_TEST

START_TEST(test_tcp_echo_v6)
{
	echo_over("tcp6", "[::1]:0", "tcp6", "::1");
}
END_TEST

START_TEST(test_tcp_wildcard_dual_stack)
{
	ifplex_conn *l;
	char at[IFPLEX_ADDR_STRLEN];

	/* Go: a wildcard "tcp" listen takes IPv6 with IPv4-mapped, even for 0.0.0.0. */
	ck_assert_int_eq(ifplex_listen("tcp", "0.0.0.0:0", &l), 0);
	local_of(l, at, sizeof at);
	ck_assert_msg(strncmp(at, "[::]:", 5) == 0, "local %s", at);
	ifplex_close(l);
	echo_over("tcp", ":0", "tcp4", "127.0.0.1");
	echo_over("tcp", ":0", "tcp6", "::1");
	/* tcp4 forces the family. */
	ck_assert_int_eq(ifplex_listen("tcp4", ":0", &l), 0);
	local_of(l, at, sizeof at);
	ck_assert_msg(strncmp(at, "0.0.0.0:", 8) == 0, "local %s", at);
	ifplex_close(l);
}
END_TEST

START_TEST(test_udp_read_from_write_to)
{
	ifplex_conn *a, *b;
	struct ifplex_netaddr at, from;
	char buf[64], fs[IFPLEX_ADDR_STRLEN], bs[IFPLEX_ADDR_STRLEN];
	size_t n;

	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &a), 0);
	ck_assert_int_eq(ifplex_listen_packet("udp", "127.0.0.1:0", &b), 0);
	ck_assert_int_eq(ifplex_conn_local_addr(a, &at), 0);
	ck_assert_int_eq(ifplex_write_to(b, "hello", 5, &at, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(ifplex_read_from(a, buf, sizeof buf, &n, &from), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(buf, "hello", 5);
	ifplex_netaddr_string(&from, fs, sizeof fs);
	local_of(b, bs, sizeof bs);
	ck_assert_str_eq(fs, bs);
	/* A dialled UDP conversation reads and writes without addresses. */
	ifplex_conn *d;
	char dst[IFPLEX_ADDR_STRLEN];
	ifplex_netaddr_string(&at, dst, sizeof dst);
	ck_assert_int_eq(ifplex_dial("udp", dst, &d), 0);
	ck_assert_int_eq(ifplex_write(d, "x", 1, &n), 0);
	ck_assert_int_eq(ifplex_read_from(a, buf, sizeof buf, &n, NULL), 0);
	ck_assert_uint_eq(n, 1);
	/* Batched: three datagrams out, three in. */
	struct ifplex_msg out[3], in[3];
	char ib[3][16];
	memset(out, 0, sizeof out);
	memset(in, 0, sizeof in);
	for (int i = 0; i < 3; i++) {
		out[i].buf = (void *)"abc";
		out[i].len = (size_t)i + 1;
		out[i].addr = &at;
		in[i].buf = ib[i];
		in[i].len = sizeof ib[i];
	}
	ck_assert_int_eq(ifplex_write_batch(b, out, 3), 3);
	int got = 0;
	while (got < 3) {
		int r = ifplex_read_batch(a, in + got, (size_t)(3 - got));
		ck_assert_int_gt(r, 0);
		got += r;
	}
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(in[i].n, (size_t)i + 1);
	ifplex_close(d);
	ifplex_close(a);
	ifplex_close(b);
}
END_TEST

START_TEST(test_read_deadline)
{
	ifplex_conn *l, *c, *s;
	char at[IFPLEX_ADDR_STRLEN], buf[8];
	size_t n;

	tcp_pair(&l, &c, &s, at, sizeof at);
	int64_t start = ifplex_now();
	ck_assert_int_eq(ifplex_set_read_deadline(c, start + 50 * 1000000LL), 0);
	int rc = ifplex_read(c, buf, sizeof buf, &n);
	ck_assert_int_eq(rc, IFPLEX_ETIMEDOUT);
	ck_assert(ifplex_is_timeout(rc));
	ck_assert_int_ge(ifplex_now() - start, 50 * 1000000LL);
	ck_assert_msg(strstr(ifplex_last_error(), "read tcp4 127.0.0.1:") && strstr(ifplex_last_error(), ": i/o timeout"),
		      "%s", ifplex_last_error());
	/* A passed deadline fails at once; clearing it makes the conn usable. */
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), IFPLEX_ETIMEDOUT);
	ck_assert_int_eq(ifplex_set_read_deadline(c, 0), 0);
	ck_assert_int_eq(ifplex_write(s, "z", 1, &n), 0);
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), 0);
	/* An accept deadline too. */
	ck_assert_int_eq(ifplex_set_deadline(l, ifplex_now() + 20 * 1000000LL), 0);
	ifplex_conn *none;
	ck_assert_int_eq(ifplex_accept(l, &none), IFPLEX_ETIMEDOUT);
	ifplex_close(c);
	ifplex_close(s);
	ifplex_close(l);
}
END_TEST

/* /etc/FILE of a private mount namespace holds text. */
static void private_etc(const char *file, const char *text)
{
	char path[] = "/tmp/ifplex-etc-XXXXXX", target[64];
	int fd = mkstemp(path);

	ck_assert(fd >= 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, 0644);
	snprintf(target, sizeof target, "/etc/%s", file);
	ck_assert_msg(mount(path, target, NULL, MS_BIND, NULL) == 0, "bind-mount over %s", target);
	unlink(path);
}

/* A dial's candidates: a literal, which is resolved in place, and a name
 * with four addresses, which goes to the heap; tried in Go's order (IPv4
 * first, in the resolver's order) until one answers, the first failure reported when none does,
 * and a deadline kept by each path. */
START_TEST(test_dial_candidates)
{
	ifplex_conn *l, *c;
	struct ifplex_netaddr la, ra;
	char at[IFPLEX_ADDR_STRLEN], text[2 * IFPLEX_ADDR_STRLEN];

	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	private_etc("hosts", "127.0.0.2 many.test\n127.0.0.3 many.test\n"
			     "127.0.0.1 many.test\n::1 many.test\n");
	private_etc("nsswitch.conf", "hosts: files\n");
	/* The resolver's order (getaddrinfo sorts by RFC 6724) is the dial's
	 * order within a family. */
	struct ifplex_ip *ips;
	char v4[3][IFPLEX_IP_STRLEN];
	size_t n, k = 0;
	ck_assert_int_eq(ifplex_lookup_ip("ip", "many.test", &ips, &n), 0);
	ck_assert_uint_eq(n, 4);
	for (size_t i = 0; i < n; i++)
		if (ips[i].len == 4 && k < 3)
			ifplex_ip_string(&ips[i], v4[k++], sizeof v4[0]);
	ifplex_free(ips);
	ck_assert_uint_eq(k, 3);

	/* A listener on the last IPv4 candidate: the two before refuse. */
	snprintf(at, sizeof at, "%s:0", v4[2]);
	ck_assert_int_eq(ifplex_listen("tcp4", at, &l), 0);
	ck_assert_int_eq(ifplex_conn_local_addr(l, &la), 0);
	snprintf(at, sizeof at, "many.test:%d", la.port);
	ck_assert_msg(ifplex_dial("tcp", at, &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_conn_remote_addr(c, &ra), 0);
	ifplex_netaddr_string(&ra, text, sizeof text);
	snprintf(at, sizeof at, "%s:%d", v4[2], la.port);
	ck_assert_str_eq(text, at);
	ck_assert_int_eq(ifplex_close(c), 0);
	/* With a deadline, through the name and the literal. */
	struct ifplex_dial_options o = {.size = sizeof o, .deadline = ifplex_now() + 2000000000LL};
	snprintf(at, sizeof at, "many.test:%d", la.port);
	ck_assert_msg(ifplex_dial_opts("tcp4", at, &o, &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_close(c), 0);
	snprintf(at, sizeof at, "%s:%d", v4[2], la.port);
	ck_assert_msg(ifplex_dial_opts("tcp4", at, &o, &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_close(c), 0);
	/* None answers: the first candidate's failure, as Go reports it. */
	int port = la.port;
	ck_assert_int_eq(ifplex_close(l), 0);
	snprintf(at, sizeof at, "many.test:%d", port);
	ck_assert_int_eq(ifplex_dial("tcp", at, &c), -ECONNREFUSED);
	ck_assert_ptr_null(c);
	snprintf(text, sizeof text, "dial tcp %s:%d: connect: connection refused", v4[0], port);
	ck_assert_str_eq(ifplex_last_error(), text);
	snprintf(at, sizeof at, "127.0.0.1:%d", port);
	ck_assert_int_eq(ifplex_dial("tcp", at, &c), -ECONNREFUSED);
	snprintf(text, sizeof text, "dial tcp 127.0.0.1:%d: connect: connection refused", port);
	ck_assert_str_eq(ifplex_last_error(), text);
	/* A literal of the other family, and a bad one, fail before any socket. */
	ck_assert_int_eq(ifplex_dial("tcp6", at, &c), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp6: address 127.0.0.1: no suitable address found");
	ck_assert_int_eq(ifplex_dial("tcp4", "[::]:1", &c), -ECONNREFUSED);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp4 0.0.0.0:1: connect: connection refused");
}
END_TEST

static void *close_later(void *arg)
{
	usleep(50000);
	ifplex_close(arg);
	return NULL;
}

START_TEST(test_close_wakes_reader)
{
	ifplex_conn *p;
	pthread_t th;
	char buf[8];
	size_t n;

	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &p), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, close_later, p), 0);
	ck_assert_int_eq(ifplex_read_from(p, buf, sizeof buf, &n, NULL), IFPLEX_ECLOSED);
	pthread_join(th, NULL);
}
END_TEST

/* ifplex_conn_poll: one look, a deadline, no limit, and Close ending it. */
START_TEST(test_conn_poll)
{
	ifplex_conn *a, *b;
	struct ifplex_netaddr at;
	unsigned rev;
	char buf[8];
	size_t n;
	pthread_t th;

	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &a), 0);
	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &b), 0);
	ck_assert_int_eq(ifplex_conn_poll(a, IFPLEX_POLL_IN, 0, &rev), IFPLEX_ETIMEDOUT);
	ck_assert_int_eq(ifplex_conn_poll(a, IFPLEX_POLL_IN | IFPLEX_POLL_OUT, 0, &rev), 0);
	ck_assert_uint_eq(rev, IFPLEX_POLL_OUT);
	int64_t start = ifplex_now();
	ck_assert_int_eq(ifplex_conn_poll(a, IFPLEX_POLL_IN, start + 50 * 1000000LL, &rev), IFPLEX_ETIMEDOUT);
	ck_assert_int_ge(ifplex_now() - start, 50 * 1000000LL);
	ck_assert_int_eq(ifplex_conn_local_addr(a, &at), 0);
	ck_assert_int_eq(ifplex_write_to(b, "p", 1, &at, &n), 0);
	ck_assert_int_eq(ifplex_conn_poll(a, IFPLEX_POLL_IN, -1, &rev), 0);
	ck_assert_uint_eq(rev, IFPLEX_POLL_IN);
	ck_assert_int_eq(ifplex_read_from(a, buf, sizeof buf, &n, NULL), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, close_later, a), 0);
	ck_assert_int_eq(ifplex_conn_poll(a, IFPLEX_POLL_IN, -1, &rev), IFPLEX_ECLOSED);
	pthread_join(th, NULL);
	ifplex_close(b);
}
END_TEST

struct later_deadline {
	ifplex_conn *c;
	int64_t when;
};

static void *set_deadline_later(void *arg)
{
	struct later_deadline *d = arg;
	usleep(50000);
	ifplex_set_read_deadline(d->c, d->when);
	return NULL;
}

START_TEST(test_deadline_reaches_blocked_read)
{
	ifplex_conn *p;
	pthread_t th;
	char buf[8];
	size_t n;

	/* Blocked with no deadline; another thread sets one in the past:
	 * the read returns a timeout, as Go's SetReadDeadline does. */
	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &p), 0);
	struct later_deadline d = {.c = p, .when = 1};
	int64_t start = ifplex_now();
	ck_assert_int_eq(pthread_create(&th, NULL, set_deadline_later, &d), 0);
	ck_assert_int_eq(ifplex_read_from(p, buf, sizeof buf, &n, NULL), IFPLEX_ETIMEDOUT);
	pthread_join(th, NULL);
	ck_assert_int_lt(ifplex_now() - start, 2000000000LL);
	/* Extended while blocked: the read waits for the new deadline. */
	start = ifplex_now();
	ck_assert_int_eq(ifplex_set_read_deadline(p, start + 100 * 1000000LL), 0);
	d.when = start + 300 * 1000000LL;
	ck_assert_int_eq(pthread_create(&th, NULL, set_deadline_later, &d), 0);
	ck_assert_int_eq(ifplex_read_from(p, buf, sizeof buf, &n, NULL), IFPLEX_ETIMEDOUT);
	pthread_join(th, NULL);
	ck_assert_int_ge(ifplex_now() - start, 300 * 1000000LL);
	ifplex_close(p);
}
END_TEST

static int is_nonblocking(ifplex_conn *c)
{
	intptr_t fd;
	ck_assert_int_eq(ifplex_conn_fd(c, &fd), 0);
	int fl = fcntl((int)fd, F_GETFL);
	ck_assert_int_ge(fl, 0);
	return !!(fl & O_NONBLOCK);
}

#if defined(__x86_64__)
#  define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#  define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef TEST_AUDIT_ARCH
/* From here on this process fails sendmsg (and recvmsg, on the Linux
 * socket layer) with EPERM, so that a call still making them fails. */
static void refuse_msg_calls(void)
{
#ifdef TEST_PORTABLE_SOCKETS
	/* The portable layer learns of a cut datagram from recvmsg's flags. */
	const unsigned refuse_recvmsg = 0;
#else
	const unsigned refuse_recvmsg = 1;
#endif
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendmsg, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, refuse_recvmsg ? SYS_recvmsg : ~0u, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = {.len = sizeof f / sizeof f[0], .filter = f};
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
}
#endif

/* A datagram with no descriptors to pass goes out with sendto and comes
 * in with recv/recvfrom, the calls a POSIX program makes (sendmsg and
 * recvmsg cost more in the kernel: a message header and an iovec to
 * copy); a cut datagram is still reported as cut. */
START_TEST(test_datagrams_as_posix)
{
#ifndef TEST_AUDIT_ARCH
	return; /* no seccomp architecture number known for this machine */
#else
	ifplex_conn *a, *b;
	struct ifplex_netaddr at, from;
	char buf[64], fs[IFPLEX_ADDR_STRLEN], bs[IFPLEX_ADDR_STRLEN];
	size_t n;

	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &a), 0);
	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &b), 0);
	ck_assert_int_eq(ifplex_conn_local_addr(a, &at), 0);
	local_of(b, bs, sizeof bs);
	refuse_msg_calls();
	ck_assert_msg(ifplex_write_to(b, "hello", 5, &at, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 5);
	ck_assert_msg(ifplex_read_from(a, buf, sizeof buf, &n, &from) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(buf, "hello", 5);
	ifplex_netaddr_string(&from, fs, sizeof fs);
	ck_assert_str_eq(fs, bs);
	ck_assert_int_eq(ifplex_write_to(b, "again", 5, &at, &n), 0);
	ck_assert_msg(ifplex_read_from(a, buf, sizeof buf, &n, NULL) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 5);
	/* A message without descriptors, too short for the datagram. */
	struct ifplex_msg out = {.buf = (void *)"0123456789", .len = 10, .addr = &at};
	ck_assert_msg(ifplex_write_msg(b, &out) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(out.n, 10);
	struct ifplex_msg in = {.buf = buf, .len = 4, .addr = &from};
	ck_assert_msg(ifplex_read_msg(a, &in) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(in.n, 4);
	ck_assert_mem_eq(buf, "0123", 4);
	ck_assert_uint_eq(in.flags, IFPLEX_MSG_TRUNC);
	ifplex_netaddr_string(&from, fs, sizeof fs);
	ck_assert_str_eq(fs, bs);
	/* One that fits is not cut. */
	ck_assert_int_eq(ifplex_write_to(b, "abc", 3, &at, &n), 0);
	in.len = sizeof buf;
	in.addr = NULL;
	ck_assert_int_eq(ifplex_read_msg(a, &in), 0);
	ck_assert_uint_eq(in.n, 3);
	ck_assert_uint_eq(in.flags, 0);
	ifplex_close(a);
	ifplex_close(b);
#endif
}
END_TEST

/* What POSIX does: descriptors that block (a call with no deadline is the
 * one system call), a close that does not end the connection for a copy
 * of the descriptor held elsewhere (no shutdown when no other thread
 * waits), and one that wakes a blocked read when another thread waits. */
START_TEST(test_posix_parity)
{
	ifplex_conn *l, *c, *s;
	char at[IFPLEX_ADDR_STRLEN], buf[8];
	size_t n;

	tcp_pair(&l, &c, &s, at, sizeof at);
	ck_assert_int_eq(is_nonblocking(c), 0);
	ck_assert_int_eq(is_nonblocking(s), 0);
	/* A dial with a deadline leaves a blocking descriptor too. */
	ifplex_conn *d;
	struct ifplex_dial_options o = {.size = sizeof o, .deadline = ifplex_now() + 1000000000LL};
	ck_assert_msg(ifplex_dial_opts("tcp4", at, &o, &d) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(is_nonblocking(d), 0);
	ifplex_close(d);

	/* A copy of c's descriptor keeps the connection after Close. */
	intptr_t fd;
	ck_assert_int_eq(ifplex_conn_fd(c, &fd), 0);
	int copy = dup((int)fd);
	ck_assert_int_ge(copy, 0);
	ck_assert_int_eq(ifplex_close(c), 0);
	ck_assert_int_eq(ifplex_set_read_deadline(s, ifplex_now() + 50 * 1000000LL), 0);
	ck_assert_int_eq(ifplex_read(s, buf, sizeof buf, &n), IFPLEX_ETIMEDOUT);
	ck_assert_int_eq(write(copy, "k", 1), 1);
	ck_assert_int_eq(ifplex_set_read_deadline(s, 0), 0);
	ck_assert_int_eq(ifplex_read(s, buf, sizeof buf, &n), 0);
	ck_assert_int_eq(n, 1);
	close(copy);
	ck_assert_int_eq(ifplex_read(s, buf, sizeof buf, &n), IFPLEX_EOF);

	/* A read blocked with no deadline on a stream ends at Close. */
	ck_assert_int_eq(ifplex_dial("tcp4", at, &c), 0);
	ifplex_conn *s2;
	ck_assert_int_eq(ifplex_accept(l, &s2), 0);
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, close_later, c), 0);
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), IFPLEX_ECLOSED);
	pthread_join(th, NULL);
	ifplex_close(s2);
	ifplex_close(s);
	ifplex_close(l);
}
END_TEST

static void own_urg(int sig)
{
	(void)sig;
}

/* A program with its own SIGURG handler keeps it: blocked calls then wait
 * in poll(2), and a deadline set meanwhile still reaches them. */
START_TEST(test_program_sigurg_kept)
{
	struct sigaction sa, now;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = own_urg;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGURG, &sa, NULL), 0);
	ifplex_conn *p;
	pthread_t th;
	char buf[8];
	size_t n;
	ck_assert_int_eq(ifplex_listen_packet("udp4", "127.0.0.1:0", &p), 0);
	struct later_deadline d = {.c = p, .when = 1};
	ck_assert_int_eq(pthread_create(&th, NULL, set_deadline_later, &d), 0);
	ck_assert_int_eq(ifplex_read_from(p, buf, sizeof buf, &n, NULL), IFPLEX_ETIMEDOUT);
	pthread_join(th, NULL);
	ck_assert_int_eq(ifplex_set_read_deadline(p, 0), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, close_later, p), 0);
	ck_assert_int_eq(ifplex_read_from(p, buf, sizeof buf, &n, NULL), IFPLEX_ECLOSED);
	pthread_join(th, NULL);
	ck_assert_int_eq(sigaction(SIGURG, NULL, &now), 0);
	ck_assert(now.sa_handler == own_urg);
}
END_TEST

static int sockopt(ifplex_conn *c, int level, int name)
{
	intptr_t fd;
	int v = -1;
	socklen_t l = sizeof v;
	ck_assert_int_eq(ifplex_conn_fd(c, &fd), 0);
	ck_assert_int_eq(getsockopt((int)fd, level, name, &v, &l), 0);
	return v;
}

START_TEST(test_options_and_device)
{
	ifplex_conn *l, *c;
	char at[IFPLEX_ADDR_STRLEN];

	ck_assert_int_eq(ifplex_listen("tcp4", "127.0.0.1:0", &l), 0);
	local_of(l, at, sizeof at);
	struct ifplex_dial_options o = {.size = sizeof o, .device = "lo"};
	ck_assert_msg(ifplex_dial_opts("tcp4", at, &o, &c) == 0, "%s", ifplex_last_error());
	intptr_t fd;
	ck_assert_int_eq(ifplex_conn_fd(c, &fd), 0);
	char dev[IF_NAMESIZE] = "";
	socklen_t dl = sizeof dev;
	ck_assert_int_eq(getsockopt((int)fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &dl), 0);
	ck_assert_str_eq(dev, "lo");
	ck_assert_int_eq(sockopt(c, IPPROTO_TCP, TCP_NODELAY), 1); /* on by default, as Go */
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_NODELAY, 0), 0);
	ck_assert_int_eq(sockopt(c, IPPROTO_TCP, TCP_NODELAY), 0);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_KEEPALIVE, 1), 0);
	ck_assert_int_eq(sockopt(c, SOL_SOCKET, SO_KEEPALIVE), 1);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_KEEPALIVE_PERIOD, 37), 0);
	ck_assert_int_eq(sockopt(c, IPPROTO_TCP, TCP_KEEPIDLE), 37);
	ck_assert_int_eq(sockopt(c, IPPROTO_TCP, TCP_KEEPINTVL), 37);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_READ_BUFFER, 65536), 0);
	ck_assert_int_ge(sockopt(c, SOL_SOCKET, SO_RCVBUF), 65536);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_WRITE_BUFFER, 65536), 0);
	ck_assert_int_ge(sockopt(c, SOL_SOCKET, SO_SNDBUF), 65536);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_LINGER, 3), 0);
	struct linger lg;
	socklen_t ll = sizeof lg;
	ck_assert_int_eq(getsockopt((int)fd, SOL_SOCKET, SO_LINGER, &lg, &ll), 0);
	ck_assert(lg.l_onoff == 1 && lg.l_linger == 3);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_READ_BUFFER, 0), IFPLEX_EINVAL);
	ck_assert_int_eq(ifplex_set_option(c, 999, 1), IFPLEX_EINVAL);
	ifplex_close(c);
	/* A device that does not exist fails the dial. */
	o.device = "nosuch0";
	ck_assert_int_eq(ifplex_dial_opts("tcp4", at, &o, &c), -ENODEV);
	ifplex_close(l);

	/* Multicast TTL and loop on a UDP socket. */
	ck_assert_int_eq(ifplex_listen_packet("udp4", "0.0.0.0:0", &c), 0);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_MULTICAST_TTL, 7), 0);
	ck_assert_int_eq(sockopt(c, IPPROTO_IP, IP_MULTICAST_TTL), 7);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_MULTICAST_LOOP, 0), 0);
	ck_assert_int_eq(sockopt(c, IPPROTO_IP, IP_MULTICAST_LOOP), 0);
	ifplex_close(c);
}
END_TEST

/* Issue 9 item 9: the kernel cuts a name longer than IFNAMSIZ - 1 and
 * would bind to another interface; such a name is refused instead. */
START_TEST(test_device_name_too_long)
{
	ifplex_conn *c;
	char dev[IF_NAMESIZE] = "";
	socklen_t dl = sizeof dev;
	intptr_t fd;

	sh("ip link add audevabcdefghij type veth peer name audevpeer && ip link set audevpeer up && ip addr add 10.9.9.1/24 dev audevabcdefghij && "
	   "ip link set audevabcdefghij up");
	struct ifplex_dial_options o = {.size = sizeof o, .device = "audevabcdefghij"};
	ck_assert_msg(ifplex_dial_opts("udp4", "10.9.9.2:9", &o, &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_conn_fd(c, &fd), 0);
	ck_assert_int_eq(getsockopt((int)fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &dl), 0);
	ck_assert_str_eq(dev, "audevabcdefghij");
	ifplex_close(c);

	o.device = "audevabcdefghijEVIL-SUFFIX";
	c = NULL;
	ck_assert_int_eq(ifplex_dial_opts("udp4", "10.9.9.2:9", &o, &c), IFPLEX_EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(ifplex_last_error(), "dial udp4 10.9.9.2:9: bind to device: interface name of 26 "
					      "bytes is longer than 15");
	/* 16 bytes is one too many as well. */
	o.device = "audevabcdefghij0";
	ck_assert_int_eq(ifplex_dial_opts("tcp4", "10.9.9.2:9", &o, &c), IFPLEX_EINVAL);
}
END_TEST

START_TEST(test_errors)
{
	ifplex_conn *c;

	ck_assert_int_eq(ifplex_dial("tcp", "127.0.0.1:1", &c), -111);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp 127.0.0.1:1: connect: connection refused");
	ck_assert_int_eq(ifplex_dial("tcp7", "127.0.0.1:80", &c), IFPLEX_EUNKNOWNNET);
	ck_assert_int_eq(ifplex_dial("tcp", "300.1.1.1:80", &c), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp: address 300.1.1.1: invalid IP address");
	ck_assert_int_eq(ifplex_dial("tcp", "host:99999", &c), IFPLEX_EBADPORT);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp: address 99999: invalid port");
	ck_assert_int_eq(ifplex_dial("tcp", "[::1", &c), IFPLEX_EBADADDR);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp: address [::1: missing ']' in address");
	ck_assert_int_eq(ifplex_dial("tcp", "", &c), IFPLEX_EMISSINGADDR);
	/* In use. */
	ifplex_conn *l, *l2;
	char at[IFPLEX_ADDR_STRLEN], want[IFPLEX_ADDR_STRLEN + 64];
	ck_assert_int_eq(ifplex_listen("tcp4", "127.0.0.1:0", &l), 0);
	local_of(l, at, sizeof at);
	ck_assert_int_eq(ifplex_listen("tcp4", at, &l2), -98);
	snprintf(want, sizeof want, "listen tcp4 %s: bind: address already in use", at);
	ck_assert_str_eq(ifplex_last_error(), want);
	ifplex_close(l);
}
END_TEST

START_TEST(test_unix_stream_and_cleanup)
{
	char dir[] = "/tmp/ifplex-unix-XXXXXX", path[128];
	ifplex_conn *l, *c, *s;
	struct stat st;
	char buf[16];
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/s.sock", dir);
	ck_assert_int_eq(ifplex_listen("unix", path, &l), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(ifplex_dial("unix", path, &c), 0);
	ck_assert_int_eq(ifplex_accept(l, &s), 0);
	ck_assert_int_eq(ifplex_write(c, "unix", 4, &n), 0);
	ck_assert_int_eq(ifplex_read(s, buf, sizeof buf, &n), 0);
	ck_assert_mem_eq(buf, "unix", 4);

	/* Descriptor passing: send a pipe's read end, read through it. */
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "fd!", 3), 3);
	struct ifplex_msg m = {.buf = "x", .len = 1, .fds = &p[0], .nfds = 1};
	ck_assert_msg(ifplex_write_msg(c, &m) == 0, "%s", ifplex_last_error());
	int got = -1;
	struct ifplex_msg r = {.buf = buf, .len = sizeof buf, .fds = &got, .nfds = 1};
	ck_assert_int_eq(ifplex_read_msg(s, &r), 0);
	ck_assert_uint_eq(r.fds_received, 1);
	ck_assert_int_ge(got, 0);
	ck_assert_int_eq(read(got, buf, sizeof buf), 3);
	ck_assert_mem_eq(buf, "fd!", 3);
	close(got);
	close(p[0]);
	close(p[1]);

	ifplex_close(c);
	ifplex_close(s);
	ifplex_close(l);
	ck_assert_int_eq(stat(path, &st), -1); /* the listener removed its file */
	rmdir(dir);

	/* An abstract name has no file and works the same way. */
	ck_assert_int_eq(ifplex_listen("unix", "@ifplex-test-abstract", &l), 0);
	ck_assert_int_eq(ifplex_dial("unix", "@ifplex-test-abstract", &c), 0);
	char at[IFPLEX_ADDR_STRLEN];
	local_of(l, at, sizeof at);
	ck_assert_str_eq(at, "@ifplex-test-abstract");
	ifplex_close(c);
	ifplex_close(l);
}
END_TEST

START_TEST(test_unixgram_and_seqpacket)
{
	char dir[] = "/tmp/ifplex-unix-XXXXXX", a[128], b[128];
	ifplex_conn *ca, *cb, *l, *c, *s;
	struct ifplex_netaddr to, from;
	char buf[16];
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(a, sizeof a, "%s/a", dir);
	snprintf(b, sizeof b, "%s/b", dir);
	ck_assert_int_eq(ifplex_listen_packet("unixgram", a, &ca), 0);
	ck_assert_int_eq(ifplex_listen_packet("unixgram", b, &cb), 0);
	ck_assert_int_eq(ifplex_resolve_addr("unixgram", a, &to), 0);
	ck_assert_int_eq(ifplex_write_to(cb, "dg", 2, &to, &n), 0);
	ck_assert_int_eq(ifplex_read_from(ca, buf, sizeof buf, &n, &from), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(from.path, b);
	ifplex_close(ca);
	ifplex_close(cb);

	snprintf(a, sizeof a, "%s/p", dir);
	ck_assert_int_eq(ifplex_listen("unixpacket", a, &l), 0);
	ck_assert_int_eq(ifplex_dial("unixpacket", a, &c), 0);
	ck_assert_int_eq(ifplex_accept(l, &s), 0);
	ck_assert_int_eq(ifplex_write(c, "one", 3, &n), 0);
	ck_assert_int_eq(ifplex_write(c, "two", 3, &n), 0);
	ck_assert_int_eq(ifplex_read(s, buf, sizeof buf, &n), 0);
	ck_assert_uint_eq(n, 3); /* message boundaries kept */
	ifplex_close(c);
	ifplex_close(s);
	ifplex_close(l);
	rmdir(dir);
}
END_TEST

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

START_TEST(test_icmp_echo)
{
	ifplex_conn *c;
	struct ifplex_netaddr to, from;
	uint8_t req[16] = {8, 0, 0, 0, 0x12, 0x34, 0, 1, 'i', 'f', 'p', 'l', 'e', 'x', '!', '!'}, buf[128];
	size_t n;

	uint16_t sum = csum(req, sizeof req);
	req[2] = (uint8_t)(sum >> 8);
	req[3] = (uint8_t)sum;
	ck_assert_msg(ifplex_listen_packet("ip4:icmp", "0.0.0.0", &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_resolve_addr("ip4:icmp", "127.0.0.1", &to), 0);
	ck_assert_int_eq(ifplex_write_to(c, req, sizeof req, &to, &n), 0);
	ck_assert_int_eq(ifplex_set_read_deadline(c, ifplex_now() + 2000000000LL), 0);
	/* The request itself loops back too; wait for the reply (type 0). */
	for (;;) {
		ck_assert_msg(ifplex_read_from(c, buf, sizeof buf, &n, &from) == 0, "%s", ifplex_last_error());
		if (n >= 8 && buf[0] == 0)
			break;
	}
	ck_assert_uint_eq(n, sizeof req); /* the IPv4 header was stripped, as Go does */
	ck_assert_mem_eq(buf + 4, req + 4, sizeof req - 4);
	char fs[IFPLEX_ADDR_STRLEN];
	ck_assert_str_eq((ifplex_ip_string(&from.ip, fs, sizeof fs), fs), "127.0.0.1");
	ifplex_close(c);
}
END_TEST

START_TEST(test_multicast_between_namespaces)
{
	char ns[64], path[128];
	int pfd[2];

	snprintf(ns, sizeof ns, "ifplex-mc-%d", (int)getpid());
	sh("ip netns add %s", ns);
	sh("ip link add mca type veth peer name mcb netns %s", ns);
	sh("ip addr add 10.77.0.1/24 dev mca && ip link set mca up && ip route add 224.0.0.0/4 dev mca");
	sh("ip -n %s addr add 10.77.0.2/24 dev mcb && ip -n %s link set mcb up && ip -n %s link set lo up", ns, ns, ns);
	ck_assert_int_eq(pipe(pfd), 0);
	snprintf(path, sizeof path, "/run/netns/%s", ns);

	pid_t pid = fork();
	if (pid == 0) {
		/* Receiver in the other namespace. */
		int fd = open(path, O_RDONLY);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
			_exit(10);
		replay_here();
		ifplex_conn *r;
		struct ifplex_iface ifi;
		struct ifplex_ip g;
		char buf[64];
		size_t n;
		if (ifplex_interface_by_name("mcb", &ifi) < 0 || ifplex_listen_packet("udp4", "0.0.0.0:9999", &r) < 0)
			_exit(11);
		ifplex_ip_parse("239.1.2.3", &g);
		if (ifplex_join_group(r, &g, &ifi) < 0)
			_exit(12);
		if (write(pfd[1], "r", 1) != 1)
			_exit(13);
		ifplex_set_read_deadline(r, ifplex_now() + 8000000000LL);
		if (ifplex_read_from(r, buf, sizeof buf, &n, NULL) < 0)
			_exit(14);
		_exit(n == 5 && memcmp(buf, "mcast", 5) == 0 ? 0 : 15);
	}
	char ready;
	close(pfd[1]); /* a receiver that fails early ends the read */
	ck_assert_int_eq(read(pfd[0], &ready, 1), 1);
	ifplex_conn *s;
	struct ifplex_netaddr to;
	size_t n;
	ck_assert_int_eq(ifplex_listen_packet("udp4", "10.77.0.1:0", &s), 0);
	ck_assert_int_eq(ifplex_resolve_addr("udp4", "239.1.2.3:9999", &to), 0);
	int status = 0;
	/* Send until the receiver has it: the veth carrier comes up from the
	 * kernel's linkwatch work, up to a second after the link is set up. */
	for (int i = 0; i < 90; i++) {
		ck_assert_msg(ifplex_write_to(s, "mcast", 5, &to, &n) == 0, "%s", ifplex_last_error());
		usleep(50000);
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	}
	if (waitpid(pid, &status, WNOHANG) == 0) {
		waitpid(pid, &status, 0);
	}
	ifplex_close(s);
	sh("ip netns del %s", ns);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "receiver exit %d", WEXITSTATUS(status));
}
END_TEST

int main(void)
{
	netns_require();
	if (strcmp(TEST_BACKEND, "routesock") == 0 && system("command -v python3 >/dev/null 2>&1") != 0) {
		printf("SKIP: routesock replays a dump of the namespace that ribgen.py (python3) writes\n");
		return 77;
	}
	Suite *s = suite_create("sockets " TEST_BACKEND);
	TCase *tc = tcase_create("netns");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tcp_echo_v4);
	tcase_add_test(tc, test_tcp_echo_v6);
	tcase_add_test(tc, test_tcp_wildcard_dual_stack);
	tcase_add_test(tc, test_udp_read_from_write_to);
	tcase_add_test(tc, test_datagrams_as_posix);
	tcase_add_test(tc, test_dial_candidates);
	tcase_add_test(tc, test_read_deadline);
	tcase_add_test(tc, test_close_wakes_reader);
	tcase_add_test(tc, test_conn_poll);
	tcase_add_test(tc, test_deadline_reaches_blocked_read);
	tcase_add_test(tc, test_posix_parity);
	tcase_add_test(tc, test_program_sigurg_kept);
	tcase_add_test(tc, test_options_and_device);
	tcase_add_test(tc, test_device_name_too_long);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_unix_stream_and_cleanup);
	tcase_add_test(tc, test_unixgram_and_seqpacket);
	tcase_add_test(tc, test_icmp_echo);
	tcase_add_test(tc, test_multicast_between_namespaces);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
