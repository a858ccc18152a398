/* SPDX-License-Identifier: MIT */
/* The plan9 backend's conversations and lookups against p9emu, a FUSE
 * emulator of /net over real loopback sockets that behaves as the kernel
 * and ndb do, once as a 4th edition /net and once as 9front's with cs
 * naming /net.alt: dial, listen (wildcards included), accept, graceful and
 * abortive close, keep-alive, UDP headers mode, the kernel's error texts,
 * cs and dns answers and errors. */
#include "../helpers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifplex.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char mnt[64];

static void setup(void)
{
	setenv("IFPLEX_BACKEND", "plan9", 1);
	setenv("IFPLEX_PLAN9_NET", mnt, 1);
}

/* A plain POSIX echo server on 127.0.0.1; returns its port. */
static void *echo_once(void *arg)
{
	int l = *(int *)arg, fd = accept(l, NULL, NULL);
	char buf[256];
	ssize_t n;
	while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int posix_listener(int *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof sa;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(l, 4), 0);
	getsockname(l, (struct sockaddr *)&sa, &sl);
	*port = ntohs(sa.sin_port);
	return l;
}

static void echo_through(const char *address)
{
	int port, l = posix_listener(&port);
	pthread_t th;
	char at[64], buf[16];
	size_t n;
	ifplex_conn *c;

	pthread_create(&th, NULL, echo_once, &l);
	snprintf(at, sizeof at, address, port);
	ck_assert_msg(ifplex_dial("tcp", at, &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_write(c, "plan9", 5, &n), 0);
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(buf, "plan9", 5);
	struct ifplex_netaddr r;
	char rs[IFPLEX_ADDR_STRLEN], want[64];
	ck_assert_int_eq(ifplex_conn_remote_addr(c, &r), 0); /* from the remote file */
	ifplex_netaddr_string(&r, rs, sizeof rs);
	snprintf(want, sizeof want, "127.0.0.1:%d", port);
	ck_assert_str_eq(rs, want);
	ck_assert_int_eq(ifplex_close(c), 0);
	pthread_join(th, NULL);
	close(l);
}

START_TEST(test_dial_and_echo)
{
	echo_through("127.0.0.1:%d");
}
END_TEST

/* "dial tcp :80" goes to loopback, as Go's does; cs would answer "*" with
 * the port alone, which connect refuses as "malformed address". */
START_TEST(test_dial_wildcard)
{
	echo_through(":%d");
	echo_through("0.0.0.0:%d");
}
END_TEST

static void *dial_posix(void *arg)
{
	int port = *(int *)arg, fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	char buf[8];
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && write(fd, "hi", 2) == 2 && read(fd, buf, 2) == 2)
		*(int *)arg = memcmp(buf, "HI", 2) == 0 ? 0 : -1;
	else
		*(int *)arg = -1;
	close(fd);
	return NULL;
}

static void listen_accept(const char *address)
{
	ifplex_conn *l, *c;
	struct ifplex_netaddr la;
	pthread_t th;
	char buf[8];
	size_t n;

	ck_assert_msg(ifplex_listen("tcp", address, &l) == 0, "%s: %s", address, ifplex_last_error());
	ck_assert_int_eq(ifplex_conn_local_addr(l, &la), 0); /* the local file gives the port */
	ck_assert_int_gt(la.port, 0);
	int arg = la.port;
	pthread_create(&th, NULL, dial_posix, &arg);
	ck_assert_msg(ifplex_accept(l, &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_read(c, buf, 2, &n), 0);
	ck_assert_mem_eq(buf, "hi", 2);
	ck_assert_int_eq(ifplex_write(c, "HI", 2, &n), 0);
	pthread_join(th, NULL);
	ck_assert_int_eq(arg, 0);
	ifplex_close(c);
	ifplex_close(l);
}

START_TEST(test_listen_and_accept)
{
	listen_accept("127.0.0.1:0");
}
END_TEST

/* The wildcard is announced as "*!port": the kernel refuses 0.0.0.0 and ::
 * as "not a local IP address". */
START_TEST(test_listen_wildcard)
{
	listen_accept("0.0.0.0:0");
	listen_accept("[::]:0");
	listen_accept(":0");
}
END_TEST

START_TEST(test_announce_not_local)
{
	ifplex_conn *l;

	ck_assert_int_eq(ifplex_listen("tcp", "192.0.2.1:80", &l), -EADDRNOTAVAIL);
	ck_assert_str_eq(ifplex_last_error(), "listen tcp 192.0.2.1:80: announce: not a local IP address");
}
END_TEST

START_TEST(test_udp_headers_mode)
{
	ifplex_conn *u;
	struct ifplex_netaddr la, from;
	char buf[32];
	size_t n;

	ck_assert_msg(ifplex_listen_packet("udp", "127.0.0.1:0", &u) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_conn_local_addr(u, &la), 0);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)la.port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)}, me;
	ck_assert_int_eq(sendto(fd, "dgram", 5, 0, (struct sockaddr *)&to, sizeof to), 5);
	ck_assert_int_eq(ifplex_read_from(u, buf, sizeof buf, &n, &from), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(buf, "dgram", 5);
	socklen_t ml = sizeof me;
	getsockname(fd, (struct sockaddr *)&me, &ml);
	ck_assert_int_eq(from.port, ntohs(me.sin_port));
	char fs[IFPLEX_IP_STRLEN];
	ifplex_ip_string(&from.ip, fs, sizeof fs);
	ck_assert_str_eq(fs, "127.0.0.1");
	ck_assert_int_eq(ifplex_write_to(u, "reply", 5, &from, &n), 0);
	ck_assert_int_eq(recv(fd, buf, sizeof buf, 0), 5);
	ck_assert_mem_eq(buf, "reply", 5);
	close(fd);
	ifplex_close(u);
}
END_TEST

/* The error is the ctl write's: err is a queue that would block. */
START_TEST(test_refused)
{
	ifplex_conn *c;

	ck_assert_int_eq(ifplex_dial("tcp", "127.0.0.1:1", &c), -ECONNREFUSED);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp 127.0.0.1:1: connect: connection refused");
}
END_TEST

/* A dialled call and the POSIX end the listener accepted. */
static ifplex_conn *call(int *peer, int *l)
{
	int port;
	char at[64];
	ifplex_conn *c;

	*l = posix_listener(&port);
	snprintf(at, sizeof at, "127.0.0.1:%d", port);
	ck_assert_msg(ifplex_dial("tcp", at, &c) == 0, "%s", ifplex_last_error());
	*peer = accept(*l, NULL, NULL);
	ck_assert_int_ge(*peer, 0);
	return c;
}

/* Close sends what was written, then the end: no "hangup", which resets. */
START_TEST(test_close_is_graceful)
{
	int peer, l;
	ifplex_conn *c = call(&peer, &l);
	char buf[32];
	size_t n;

	ck_assert_int_eq(ifplex_write(c, "last words", 10, &n), 0);
	ck_assert_int_eq(ifplex_close(c), 0);
	ssize_t got = 0, r;
	while ((r = read(peer, buf + got, sizeof buf - (size_t)got)) > 0)
		got += r;
	ck_assert_msg(r == 0, "the peer read %zd (%s), not the end", r, strerror(errno));
	ck_assert_int_eq(got, 10);
	ck_assert_mem_eq(buf, "last words", 10);
	close(peer);
	close(l);
}
END_TEST

/* Linger 0 is the abortive close: "hangup", the peer sees a reset. */
START_TEST(test_linger_zero_resets)
{
	int peer, l;
	ifplex_conn *c = call(&peer, &l);
	char buf[8];

	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_LINGER, 0), 0);
	ck_assert_int_eq(ifplex_close(c), 0);
	ck_assert_int_eq(read(peer, buf, sizeof buf), -1);
	ck_assert_int_eq(errno, ECONNRESET);
	close(peer);
	close(l);
}
END_TEST

/* The keep-alive timers of the emulator's conversations (tcpstate's
 * katimer.start and katimer.count): *started counts the running ones. */
static void katimers(int *started, int *start)
{
	char path[128], text[512];

	*started = 0;
	for (int c = 0; c < 256; c++) {
		snprintf(path, sizeof path, "%s/tcp/%d/status", mnt, c);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t n = fread(text, 1, sizeof text - 1, f);
		text[n] = '\0';
		fclose(f);
		const char *k = strstr(text, "katimer.start ");
		int s, count;
		if (k && sscanf(k, "katimer.start %d katimer.count %d", &s, &count) == 2 && count) {
			++*started;
			*start = s;
		}
	}
}

START_TEST(test_keepalive)
{
	int peer, l, started, start;
	ifplex_conn *c = call(&peer, &l);

	/* "keepalive 0" would start it: off writes nothing */
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_KEEPALIVE, 0), 0);
	katimers(&started, &start);
	ck_assert_int_eq(started, 0);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_KEEPALIVE_PERIOD, 30), 0);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_KEEPALIVE, 1), 0);
	katimers(&started, &start);
	ck_assert_int_eq(started, 1);
	ck_assert_int_eq(start, 30000 / 50); /* "keepalive 30000", in 50 ms ticks */
	/* the kernel has no message that stops it */
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_KEEPALIVE, 0), IFPLEX_ENOTSUP);
	ifplex_close(c);
	close(peer);
	close(l);
}
END_TEST

START_TEST(test_lookups_through_cs)
{
	struct ifplex_ip *ips;
	size_t n;
	int port;

	ck_assert_msg(ifplex_lookup_ip(NULL, "localhost", &ips, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 2);
	ck_assert(ifplex_ip_is_loopback(&ips[0]) && ifplex_ip_is_loopback(&ips[1]));
	ifplex_free(ips);
	ck_assert_int_eq(ifplex_lookup_ip("ip4", "localhost", &ips, &n), 0);
	ck_assert_uint_eq(n, 1);
	ifplex_free(ips);
	ck_assert_int_eq(ifplex_lookup_port("tcp", "http", &port), 0);
	ck_assert_int_eq(port, 80);
	ck_assert_int_eq(ifplex_lookup_port("udp", "domain", &port), 0);
	ck_assert_int_eq(port, 53);
	/* cs answers "127.0.0.1!513!r": a restricted port, with its option */
	ck_assert_msg(ifplex_lookup_port("tcp", "login", &port) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(port, 513);
}
END_TEST

START_TEST(test_cs_errors)
{
	struct ifplex_ip *ips;
	size_t n;
	int port;

	ck_assert_int_eq(ifplex_lookup_ip(NULL, "no-such-host.example", &ips, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup no-such-host.example: cs: can't translate address");
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "servfail.example.test", &ips, &n), IFPLEX_ELOOKUPAGAIN);
	ck_assert_str_eq(ifplex_last_error(), "lookup servfail.example.test: cs: temporary problem: dns: dns failure");
	ck_assert_int_eq(ifplex_lookup_port("tcp", "no-such-service", &port), IFPLEX_EBADPORT);
	ck_assert_str_eq(ifplex_last_error(), "lookup tcp/no-such-service: unknown port");
	/* '!' separates cs's fields: never part of a question (the core
	 * already refuses such a name as Go does: not a domain name) */
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "tcp!evil.example!80", &ips, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup tcp!evil.example!80: no such host");
	ck_assert_int_eq(ifplex_lookup_port("tcp", "http!x", &port), IFPLEX_EBADPORT);
}
END_TEST

START_TEST(test_dns_records)
{
	char cname[IFPLEX_HOST_MAX], **names;
	struct ifplex_srv *srv;
	struct ifplex_mx *mx;
	size_t n;

	ck_assert_msg(ifplex_lookup_cname("www.example.test", cname, sizeof cname) == 0, "%s", ifplex_last_error());
	ck_assert_str_eq(cname, "canon.example.test.");
	/* no alias ("resource does not exist; negrcode 0"): itself, as Go answers */
	ck_assert_msg(ifplex_lookup_cname("plain.example.test", cname, sizeof cname) == 0, "%s", ifplex_last_error());
	ck_assert_str_eq(cname, "plain.example.test.");
	/* "srv\t5 20 5269 b..." is priority 5, weight 20 (rrfmt) */
	ck_assert_msg(ifplex_lookup_srv("xmpp", "tcp", "example.test", &srv, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(srv[0].target, "b.example.test.");
	ck_assert_uint_eq(srv[0].priority, 5);
	ck_assert_uint_eq(srv[0].weight, 20);
	ck_assert_uint_eq(srv[0].port, 5269);
	ck_assert_str_eq(srv[1].target, "a.example.test.");
	ck_assert_uint_eq(srv[1].priority, 60);
	ck_assert_uint_eq(srv[1].weight, 10);
	ifplex_free(srv);
	ck_assert_int_eq(ifplex_lookup_mx("example.test", &mx, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(mx[0].host, "mx1.example.test.");
	ck_assert_uint_eq(mx[0].pref, 10);
	ifplex_free(mx);
	ck_assert_int_eq(ifplex_lookup_addr("127.0.0.1", &names, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "localhost."); /* absolute, as Go's */
	ifplex_free(names);
}
END_TEST

START_TEST(test_dns_errors)
{
	char cname[IFPLEX_HOST_MAX];
	struct ifplex_srv *srv;
	struct ifplex_mx *mx;
	size_t n;

	ck_assert_int_eq(ifplex_lookup_mx("nothing.example.test", &mx, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup nothing.example.test: dns: name does not exist");
	ck_assert_int_eq(ifplex_lookup_mx("www.example.test", &mx, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup www.example.test: dns: resource does not exist; negrcode 0");
	ck_assert_int_eq(ifplex_lookup_cname("nothing.example.test", cname, sizeof cname), IFPLEX_ENOTFOUND);
	ck_assert_int_eq(ifplex_lookup_srv("", "", "servfail.example.test", &srv, &n), IFPLEX_ELOOKUPAGAIN);
	ck_assert_str_eq(ifplex_last_error(), "lookup servfail.example.test: dns: dns failure");
	/* a blank would end the name in the dns question: not a domain name,
	 * refused by the core before any backend is asked, as Go does */
	ck_assert_int_eq(ifplex_lookup_mx("example.test ns", &mx, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup example.test ns: no such host");
}
END_TEST

START_TEST(test_what_plan9_cannot_do)
{
	ifplex_conn *c;

	ck_assert_int_eq(ifplex_dial("unix", "/tmp/x.sock", &c), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_listen_packet("ip4:icmp", "0.0.0.0", &c), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_listen("tcp", "127.0.0.1:0", &c), 0);
	ck_assert_int_eq(ifplex_set_deadline(c, ifplex_now() + 1000000), IFPLEX_ENOTSUP);
	ck_assert_int_eq(ifplex_set_option(c, IFPLEX_OPT_NODELAY, 1), IFPLEX_ENOTSUP);
	ifplex_close(c);
}
END_TEST

/* Mount p9emu for one edition, run the suite on it, unmount. */
static int run_edition(const char *emu, const char *name, const char *netdir)
{
	snprintf(mnt, sizeof mnt, "/tmp/ifplex-p9net-XXXXXX");
	if (!mkdtemp(mnt)) {
		printf("FAIL: cannot make a mount point in /tmp\n");
		return 1;
	}
	/* p9emu says on stderr when a read of err would have blocked for ever */
	char log[] = "/tmp/ifplex-p9emu-log-XXXXXX";
	int logfd = mkstemp(log);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(logfd, 2);
		execl(emu, emu, mnt, "-e", name, "-x", netdir, "-f", (char *)NULL);
		_exit(127);
	}
	char cs[128];
	struct stat st;
	snprintf(cs, sizeof cs, "%s/cs", mnt);
	for (int i = 0; i < 200 && stat(cs, &st) != 0; i++)
		usleep(25000);
	if (stat(cs, &st) != 0) {
		printf("FAIL: the emulator did not mount %s\n", mnt);
		kill(pid, SIGTERM);
		return 1;
	}
	char sname[64];
	snprintf(sname, sizeof sname, "plan9-conn-%s", name);
	Suite *s = suite_create(sname);
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_dial_and_echo);
	tcase_add_test(tc, test_dial_wildcard);
	tcase_add_test(tc, test_listen_and_accept);
	tcase_add_test(tc, test_listen_wildcard);
	tcase_add_test(tc, test_announce_not_local);
	tcase_add_test(tc, test_udp_headers_mode);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_close_is_graceful);
	tcase_add_test(tc, test_linger_zero_resets);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_lookups_through_cs);
	tcase_add_test(tc, test_cs_errors);
	tcase_add_test(tc, test_dns_records);
	tcase_add_test(tc, test_dns_errors);
	tcase_add_test(tc, test_what_plan9_cannot_do);
	suite_add_tcase(s, tc);
	int rc = ifplex_test_run(s);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "fusermount3 -u '%s' 2>/dev/null || umount '%s'", mnt, mnt);
	if (system(cmd) != 0)
		kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	rmdir(mnt);
	char text[4096];
	ssize_t n = pread(logfd, text, sizeof text - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	close(logfd);
	unlink(log);
	if (strstr(text, "p9emu:")) {
		printf("FAIL: %s: the plugin read an err file:\n%s", name, text);
		rc = 1;
	}
	if (strstr(text, "Sanitizer") || strstr(text, "runtime error")) {
		printf("FAIL: %s: the emulator has a sanitizer report:\n%s", name, text);
		rc = 1;
	}
	return rc;
}

int main(void)
{
	if (access("/dev/fuse", R_OK | W_OK) != 0) {
		printf("SKIP: /dev/fuse is missing: the /net emulator needs FUSE\n");
		return 77;
	}
	const char *build = getenv("IFPLEX_TEST_BUILDDIR");
	if (!build) {
		printf("FAIL: run with make check (IFPLEX_TEST_BUILDDIR)\n");
		return 1;
	}
	char emu[1024];
	snprintf(emu, sizeof emu, "%s/tests/plan9/p9emu", build);
	int rc = run_edition(emu, "4e", "/net");
	/* 9front, with cs answering for /net.alt (ndb/cs -x /net.alt): its
	 * clone paths land on our root as dial(2) rebases them */
	rc |= run_edition(emu, "9front", "/net.alt");
	return rc;
}
