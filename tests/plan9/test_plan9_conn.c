/* The plan9 backend's conversations against p9emu, a FUSE emulator of the
 * /net connection files over real loopback sockets: dial, listen, accept,
 * TCP echo, UDP in headers mode, a refused call, lookups through cs. */
#include "../helpers.h"

#include <arpa/inet.h>
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

static char mnt[] = "/tmp/ifplex-p9net-XXXXXX";

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

START_TEST(test_dial_and_echo)
{
	int port, l = posix_listener(&port);
	pthread_t th;
	char at[64], buf[16];
	size_t n;
	ifplex_conn *c;

	pthread_create(&th, NULL, echo_once, &l);
	snprintf(at, sizeof at, "127.0.0.1:%d", port);
	ck_assert_msg(ifplex_dial("tcp", at, &c) == 0, "%s", ifplex_last_error());
	ck_assert_int_eq(ifplex_write(c, "plan9", 5, &n), 0);
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(buf, "plan9", 5);
	struct ifplex_netaddr r;
	char rs[IFPLEX_ADDR_STRLEN];
	ck_assert_int_eq(ifplex_conn_remote_addr(c, &r), 0); /* from the remote file */
	ifplex_netaddr_string(&r, rs, sizeof rs);
	ck_assert_str_eq(rs, at);
	ck_assert_int_eq(ifplex_close(c), 0);
	pthread_join(th, NULL);
	close(l);
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

START_TEST(test_listen_and_accept)
{
	ifplex_conn *l, *c;
	struct ifplex_netaddr la;
	pthread_t th;
	char buf[8];
	size_t n;

	ck_assert_msg(ifplex_listen("tcp", "127.0.0.1:0", &l) == 0, "%s", ifplex_last_error());
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

START_TEST(test_refused)
{
	ifplex_conn *c;

	ck_assert_int_eq(ifplex_dial("tcp", "127.0.0.1:1", &c), -111);
	ck_assert_str_eq(ifplex_last_error(), "dial tcp 127.0.0.1:1: connect: connection refused");
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
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "no-such-host.example", &ips, &n), IFPLEX_ENOTFOUND);
	ck_assert_int_eq(ifplex_lookup_port("tcp", "http", &port), 0);
	ck_assert_int_eq(port, 80);
	ck_assert_int_eq(ifplex_lookup_port("udp", "domain", &port), 0);
	ck_assert_int_eq(port, 53);
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
	ck_assert_int_eq(ifplex_lookup_cname("plain.example.test", cname, sizeof cname), 0);
	ck_assert_str_eq(cname, "plain.example.test."); /* no alias: itself, as Go answers */
	ck_assert_msg(ifplex_lookup_srv("xmpp", "tcp", "example.test", &srv, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(srv[0].target, "a.example.test."); /* priority 10 first */
	ck_assert_uint_eq(srv[0].port, 5270);
	ck_assert_uint_eq(srv[0].weight, 60);
	ifplex_free(srv);
	ck_assert_int_eq(ifplex_lookup_mx("example.test", &mx, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(mx[0].host, "mx1.example.test.");
	ck_assert_uint_eq(mx[0].pref, 10);
	ifplex_free(mx);
	ck_assert_int_eq(ifplex_lookup_mx("nothing.example.test", &mx, &n), IFPLEX_ENOTFOUND);
	ck_assert_int_eq(ifplex_lookup_addr("127.0.0.1", &names, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "localhost");
	ifplex_free(names);
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

int main(void)
{
	if (access("/dev/fuse", R_OK | W_OK) != 0) {
		printf("SKIP: /dev/fuse is missing: the /net emulator needs FUSE\n");
		return 77;
	}
	const char *build = getenv("IFPLEX_TEST_BUILDDIR");
	if (!build || !mkdtemp(mnt)) {
		printf("FAIL: run with make check (IFPLEX_TEST_BUILDDIR) and a writable /tmp\n");
		return 1;
	}
	char emu[1024];
	snprintf(emu, sizeof emu, "%s/tests/plan9/p9emu", build);
	pid_t pid = fork();
	if (pid == 0) {
		execl(emu, emu, mnt, "-f", (char *)NULL);
		_exit(127);
	}
	char cs[1100];
	snprintf(cs, sizeof cs, "%s/cs", mnt);
	struct stat st;
	for (int i = 0; i < 200 && stat(cs, &st) != 0; i++)
		usleep(25000);
	if (stat(cs, &st) != 0) {
		printf("FAIL: the emulator did not mount %s\n", mnt);
		kill(pid, SIGTERM);
		return 1;
	}
	Suite *s = suite_create("plan9-conn");
	TCase *tc = tcase_create("emulator");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_dial_and_echo);
	tcase_add_test(tc, test_listen_and_accept);
	tcase_add_test(tc, test_udp_headers_mode);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_lookups_through_cs);
	tcase_add_test(tc, test_dns_records);
	tcase_add_test(tc, test_what_plan9_cannot_do);
	suite_add_tcase(s, tc);
	int rc = ifplex_test_run(s);
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "fusermount3 -u '%s' 2>/dev/null || umount '%s'", mnt, mnt);
	if (system(cmd) != 0)
		kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	rmdir(mnt);
	return rc;
}
