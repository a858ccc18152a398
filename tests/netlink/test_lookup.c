/* SPDX-License-Identifier: MIT */
/* Lookups through the system resolver, without the outside network: a
 * private mount namespace gets its own /etc/hosts, nsswitch.conf and
 * resolv.conf, and a tiny DNS server on 127.0.0.1 in a private network
 * namespace answers SRV and MX questions. */
#include "../netns.h"
#include "../helpers.h"

#include <arpa/inet.h>
#include <ifplex.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>

static void bind_file(const char *target, const char *text)
{
	char path[] = "/tmp/ifplex-etc-XXXXXX";
	int fd = mkstemp(path);

	ck_assert(fd >= 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, 0644);
	ck_assert_msg(mount(path, target, NULL, MS_BIND, NULL) == 0, "bind-mount over %s", target);
	unlink(path);
}

/* ---------------------------------------------------------- a DNS server */

static int dns_fd = -1;

static size_t put_name(uint8_t *p, const char *name)
{
	size_t n = 0;
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);
		p[n++] = (uint8_t)l;
		memcpy(p + n, name, l);
		n += l;
		name += l + (dot ? 1 : 0);
	}
	p[n++] = 0;
	return n;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void *dns_serve(void *arg)
{
	uint8_t q[512], r[1024];
	struct sockaddr_in from;

	(void)arg;
	for (;;) {
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(dns_fd, q, sizeof q, 0, (struct sockaddr *)&from, &fl);
		if (n < 17)
			continue;
		size_t qn = 12;
		char name[256] = "";
		while (qn < (size_t)n && q[qn]) {
			size_t l = q[qn];
			if (qn + 1 + l >= (size_t)n || strlen(name) + l + 2 > sizeof name)
				break;
			strncat(name, (const char *)q + qn + 1, l);
			strcat(name, ".");
			qn += 1 + l;
		}
		qn++;
		if (qn + 4 > (size_t)n)
			continue;
		unsigned qtype = (unsigned)(q[qn] << 8 | q[qn + 1]);
		qn += 4;
		memcpy(r, q, qn);
		put16(r + 2, 0x8180);
		put16(r + 6, 0);
		put16(r + 8, 0);
		put16(r + 10, 0);
		size_t rn = qn;
		unsigned an = 0;
		struct { unsigned prio, weight, port; const char *target; } srv[] = {
			{20, 5, 5269, "b.example.test"}, {10, 60, 5270, "a.example.test"}};
		struct { unsigned pref; const char *host; } mx[] = {{30, "mx2.example.test"}, {10, "mx1.example.test"}};
		if (qtype == 33 && strcmp(name, "_xmpp._tcp.example.test.") == 0) {
			for (size_t i = 0; i < 2; i++) {
				uint8_t *p = r + rn;
				put16(p, 0xc00c); put16(p + 2, 33); put16(p + 4, 1);
				memset(p + 6, 0, 3); p[9] = 60;
				put16(p + 12, srv[i].prio); put16(p + 14, srv[i].weight); put16(p + 16, srv[i].port);
				size_t tl = put_name(p + 18, srv[i].target);
				put16(p + 10, (unsigned)(6 + tl));
				rn += 18 + tl;
				an++;
			}
		} else if (qtype == 15 && strcmp(name, "example.test.") == 0) {
			for (size_t i = 0; i < 2; i++) {
				uint8_t *p = r + rn;
				put16(p, 0xc00c); put16(p + 2, 15); put16(p + 4, 1);
				memset(p + 6, 0, 3); p[9] = 60;
				put16(p + 12, mx[i].pref);
				size_t tl = put_name(p + 14, mx[i].host);
				put16(p + 10, (unsigned)(2 + tl));
				rn += 14 + tl;
				an++;
			}
		} else {
			put16(r + 2, 0x8183); /* NXDOMAIN */
		}
		put16(r + 6, an);
		sendto(dns_fd, r, rn, 0, (struct sockaddr *)&from, fl);
	}
	return NULL;
}

static void setup(void)
{
	setenv("IFPLEX_BACKEND", "netlink", 1);
	netns_enter();
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	bind_file("/etc/hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost\n"
				"192.0.2.77 ifplex-test-host ifplex-alias\n2001:db8::77 ifplex-test-host\n");
	bind_file("/etc/nsswitch.conf", "hosts: files dns\nservices: files\nprotocols: files\n");
	bind_file("/etc/resolv.conf", "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");

	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(53), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	dns_fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_eq(bind(dns_fd, (struct sockaddr *)&sa, sizeof sa), 0);
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, dns_serve, NULL), 0);
	pthread_detach(th);
}

START_TEST(test_lookup_ip)
{
	struct ifplex_ip *l;
	size_t n;
	char s[IFPLEX_IP_STRLEN];

	ck_assert_msg(ifplex_lookup_ip(NULL, "localhost", &l, &n) == 0, "%s", ifplex_last_error());
	int lo = 0;
	for (size_t i = 0; i < n; i++)
		lo |= ifplex_ip_is_loopback(&l[i]);
	ck_assert(lo);
	ifplex_free(l);

	ck_assert_int_eq(ifplex_lookup_ip("ip4", "ifplex-test-host", &l, &n), 0);
	ck_assert_uint_eq(n, 1);
	ifplex_ip_string(&l[0], s, sizeof s);
	ck_assert_str_eq(s, "192.0.2.77");
	ifplex_free(l);
	ck_assert_int_eq(ifplex_lookup_ip("ip6", "ifplex-test-host", &l, &n), 0);
	ifplex_ip_string(&l[0], s, sizeof s);
	ck_assert_str_eq(s, "2001:db8::77");
	ifplex_free(l);
	ck_assert_int_eq(ifplex_lookup_ip(NULL, "ifplex-test-host", &l, &n), 0);
	ck_assert_uint_eq(n, 2);
	ifplex_free(l);

	ck_assert_int_eq(ifplex_lookup_ip(NULL, "no-such-host.example.test", &l, &n), IFPLEX_ENOTFOUND);
	ck_assert_str_eq(ifplex_last_error(), "lookup no-such-host.example.test: no such host");
}
END_TEST

START_TEST(test_lookup_port_addr_cname)
{
	int port;
	char **names, cname[IFPLEX_HOST_MAX];
	size_t n;

	ck_assert_int_eq(ifplex_lookup_port("tcp", "http", &port), 0);
	ck_assert_int_eq(port, 80);
	ck_assert_int_eq(ifplex_lookup_port("udp", "domain", &port), 0);
	ck_assert_int_eq(port, 53);
	ck_assert_int_eq(ifplex_lookup_port("tcp", "no-such-service", &port), IFPLEX_EBADPORT);

	ck_assert_msg(ifplex_lookup_addr("192.0.2.77", &names, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(names[0], "ifplex-test-host");
	ifplex_free(names);
	ck_assert_int_eq(ifplex_lookup_addr("not-an-ip", &names, &n), IFPLEX_EBADADDR);

	ck_assert_msg(ifplex_lookup_cname("ifplex-alias", cname, sizeof cname) == 0, "%s", ifplex_last_error());
	ck_assert_str_eq(cname, "ifplex-test-host.");

	/* A service name in an address goes through the same resolver. */
	struct ifplex_netaddr a;
	char at[IFPLEX_ADDR_STRLEN];
	ck_assert_int_eq(ifplex_resolve_addr("tcp", "ifplex-test-host:http", &a), 0);
	ifplex_netaddr_string(&a, at, sizeof at);
	ck_assert_str_eq(at, "192.0.2.77:80");
}
END_TEST

START_TEST(test_lookup_srv_mx)
{
	struct ifplex_srv *srv;
	struct ifplex_mx *mx;
	size_t n;

	ck_assert_msg(ifplex_lookup_srv("xmpp", "tcp", "example.test", &srv, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(srv[0].target, "a.example.test.");
	ck_assert_uint_eq(srv[0].priority, 10);
	ck_assert_uint_eq(srv[0].port, 5270);
	ck_assert_str_eq(srv[1].target, "b.example.test.");
	ifplex_free(srv);

	ck_assert_msg(ifplex_lookup_mx("example.test", &mx, &n) == 0, "%s", ifplex_last_error());
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(mx[0].host, "mx1.example.test.");
	ck_assert_uint_eq(mx[0].pref, 10);
	ifplex_free(mx);

	ck_assert_int_eq(ifplex_lookup_mx("nothing.example.test", &mx, &n), IFPLEX_ENOTFOUND);
}
END_TEST

START_TEST(test_dial_by_name)
{
	ifplex_conn *l, *c;
	struct ifplex_netaddr la;
	char at[64];

	ck_assert_int_eq(ifplex_listen("tcp", "127.0.0.1:0", &l), 0);
	ck_assert_int_eq(ifplex_conn_local_addr(l, &la), 0);
	snprintf(at, sizeof at, "localhost:%d", la.port);
	ck_assert_msg(ifplex_dial("tcp", at, &c) == 0, "%s", ifplex_last_error());
	ifplex_close(c);
	ifplex_close(l);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("lookup");
	TCase *tc = tcase_create("private-etc");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_lookup_ip);
	tcase_add_test(tc, test_lookup_port_addr_cname);
	tcase_add_test(tc, test_lookup_srv_mx);
	tcase_add_test(tc, test_dial_by_name);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
