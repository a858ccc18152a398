/* SPDX-License-Identifier: MIT */
/* Conversations through the public API on the win32 backend, under wine,
 * over the loopback of the namespace tests/win32/wine-run.sh made. */
#include "win32/tap.h"

#include <ifplex.h>

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#define MS 1000000LL

static int port_of(ifplex_conn *c)
{
	struct ifplex_netaddr a;

	return ifplex_conn_local_addr(c, &a) == 0 ? a.port : -1;
}

/* Accept one connection and echo what it sends until EOF. */
static void *echo_once(void *arg)
{
	ifplex_conn *l = arg, *c;
	char buf[256];
	size_t n, w;

	if (ifplex_accept(l, &c) < 0)
		return NULL;
	while (ifplex_read(c, buf, sizeof buf, &n) == 0)
		ifplex_write(c, buf, n, &w);
	ifplex_close(c);
	return NULL;
}

static void tcp_echo(const char *net, const char *at)
{
	ifplex_conn *l, *c;
	pthread_t th;
	char addr[64], buf[16] = "";
	size_t n = 0, w;

	if (!tap_ok(ifplex_listen(net, at, &l) == 0, "listen %s %s: %s", net, at,
		    ifplex_last_error()))
		return;
	snprintf(addr, sizeof addr, strchr(at, '[') ? "[::1]:%d" : "127.0.0.1:%d", port_of(l));
	pthread_create(&th, NULL, echo_once, l);
	int rc = ifplex_dial(net, addr, &c);
	tap_ok(rc == 0, "dial %s %s: %s", net, addr, ifplex_last_error());
	if (rc == 0) {
		int ok = ifplex_write(c, "hello", 5, &w) == 0 && w == 5;
		size_t got = 0;
		while (ok && got < 5 && ifplex_read(c, buf + got, sizeof buf - 1 - got, &n) == 0)
			got += n;
		tap_ok(ok && got == 5 && memcmp(buf, "hello", 5) == 0, "%s echo: \"%s\"", net, buf);
		struct ifplex_netaddr r;
		char rs[IFPLEX_ADDR_STRLEN] = "";
		ifplex_conn_remote_addr(c, &r);
		ifplex_netaddr_string(&r, rs, sizeof rs);
		tap_ok(strcmp(rs, addr) == 0, "remote address %s", rs);
		ifplex_close_write(c);
		tap_ok(ifplex_read(c, buf, sizeof buf, &n) == IFPLEX_EOF,
		       "after close_write the peer's echo ends in EOF");
		ifplex_close(c);
	}
	pthread_join(th, NULL);
	ifplex_close(l);
}

static void udp_exchange(void)
{
	ifplex_conn *a, *b;
	struct ifplex_netaddr to, from;
	char buf[32] = "", fs[IFPLEX_ADDR_STRLEN] = "";
	size_t n = 0;

	if (!tap_ok(ifplex_listen_packet("udp4", "127.0.0.1:0", &a) == 0 &&
			    ifplex_listen_packet("udp", "127.0.0.1:0", &b) == 0,
		    "two UDP endpoints: %s", ifplex_last_error()))
		return;
	ifplex_conn_local_addr(b, &to);
	ifplex_set_read_deadline(b, ifplex_now() + 5000 * MS);
	int rc = ifplex_write_to(a, "ping", 4, &to, &n);
	tap_ok(rc == 0 && n == 4, "write_to: %s", ifplex_last_error());
	rc = ifplex_read_from(b, buf, sizeof buf, &n, &from);
	ifplex_netaddr_string(&from, fs, sizeof fs);
	tap_ok(rc == 0 && n == 4 && memcmp(buf, "ping", 4) == 0 && from.port == port_of(a),
	       "read_from: \"%.*s\" from %s", (int)n, buf, fs);
	/* A datagram cut to the buffer says so. */
	ifplex_write_to(a, "a longer datagram", 17, &to, &n);
	struct ifplex_msg m = {.buf = buf, .len = 4};
	rc = ifplex_read_msg(b, &m);
	tap_ok(rc == 0 && m.n == 4 && (m.flags & IFPLEX_MSG_TRUNC), "a cut datagram is marked (%zu)",
	       m.n);
	ifplex_close(a);
	ifplex_close(b);
}

static void refused(void)
{
	ifplex_conn *l, *c;
	char addr[64], want[128];

	ifplex_listen("tcp4", "127.0.0.1:0", &l);
	snprintf(addr, sizeof addr, "127.0.0.1:%d", port_of(l));
	ifplex_close(l);
	int rc = ifplex_dial("tcp4", addr, &c);
	const char *e = ifplex_last_error();
	snprintf(want, sizeof want, "dial tcp4 %s: connectex: ", addr);
	tap_ok(rc == -ECONNREFUSED && strncmp(e, want, strlen(want)) == 0 && strlen(e) > strlen(want) + 8,
	       "refused: %d \"%s\"", rc, e);
}

struct blocked {
	ifplex_conn *c;
	volatile int rc, done;
};

static void *read_blocked(void *arg)
{
	struct blocked *b = arg;
	char buf[8];
	size_t n;

	b->rc = ifplex_read(b->c, buf, sizeof buf, &n);
	b->done = 1;
	return NULL;
}

/* A connected pair over the loopback: *c dialled, *s accepted. */
static int pair(ifplex_conn **c, ifplex_conn **s)
{
	ifplex_conn *l;
	char addr[64];

	if (ifplex_listen("tcp4", "127.0.0.1:0", &l) < 0)
		return -1;
	snprintf(addr, sizeof addr, "127.0.0.1:%d", port_of(l));
	int rc = ifplex_dial("tcp4", addr, c) < 0 || ifplex_accept(l, s) < 0 ? -1 : 0;
	ifplex_close(l);
	return rc;
}

/* Wait up to five seconds for a blocked call to return. */
static int returned(struct blocked *b)
{
	for (int i = 0; i < 500 && !b->done; i++)
		usleep(10000);
	return b->done;
}

static void deadlines(void)
{
	ifplex_conn *c, *s;
	char buf[8];
	size_t n;

	if (!tap_ok(pair(&c, &s) == 0, "a connected pair: %s", ifplex_last_error()))
		return;
	int64_t t0 = ifplex_now();
	ifplex_set_read_deadline(c, t0 + 200 * MS);
	int rc = ifplex_read(c, buf, sizeof buf, &n);
	int64_t took = ifplex_now() - t0;
	tap_ok(rc == IFPLEX_ETIMEDOUT && ifplex_is_timeout(rc) && took >= 190 * MS,
	       "a read deadline expires: %d \"%s\" after %lld ms", rc, ifplex_last_error(),
	       (long long)(took / MS));
	ifplex_set_read_deadline(c, 0);

	/* A deadline moved into the past wakes a read already blocked. */
	struct blocked b = {.c = c};
	pthread_t th;
	pthread_create(&th, NULL, read_blocked, &b);
	usleep(200000);
	ifplex_set_read_deadline(c, ifplex_now());
	int back = returned(&b);
	tap_ok(back && b.rc == IFPLEX_ETIMEDOUT, "a deadline set while a read waits ends it: %d",
	       b.rc);
	pthread_join(th, NULL);
	ifplex_set_read_deadline(c, 0);

	unsigned rev = 0;
	rc = ifplex_conn_poll(c, IFPLEX_POLL_IN, 0, &rev);
	tap_ok(rc == IFPLEX_ETIMEDOUT, "poll without data and without waiting: %d", rc);
	size_t w;
	ifplex_write(s, "x", 1, &w);
	rc = ifplex_conn_poll(c, IFPLEX_POLL_IN | IFPLEX_POLL_OUT, ifplex_now() + 2000 * MS, &rev);
	tap_ok(rc == 0 && (rev & IFPLEX_POLL_IN), "poll sees data (revents %u)", rev);

	/* Close from another thread wakes a blocked read. */
	ifplex_read(c, buf, sizeof buf, &n);
	struct blocked b2 = {.c = c};
	pthread_create(&th, NULL, read_blocked, &b2);
	usleep(200000);
	ifplex_close(c);
	back = returned(&b2);
	tap_ok(back && b2.rc == IFPLEX_ECLOSED, "Close from another thread wakes a blocked read: %d",
	       b2.rc);
	pthread_join(th, NULL);
	ifplex_close(s);
}

static void options(void)
{
	ifplex_conn *c, *s;

	if (pair(&c, &s) < 0)
		return;
	int ok = ifplex_set_option(c, IFPLEX_OPT_NODELAY, 1) == 0 &&
		 ifplex_set_option(c, IFPLEX_OPT_KEEPALIVE, 1) == 0 &&
		 ifplex_set_option(c, IFPLEX_OPT_KEEPALIVE_PERIOD, 30) == 0 &&
		 ifplex_set_option(c, IFPLEX_OPT_LINGER, 5) == 0 &&
		 ifplex_set_option(c, IFPLEX_OPT_READ_BUFFER, 65536) == 0 &&
		 ifplex_set_option(c, IFPLEX_OPT_WRITE_BUFFER, 65536) == 0;
	tap_ok(ok, "no-delay, keep-alive and its period, linger, buffer sizes: %s",
	       ifplex_last_error());
	intptr_t fd = -1;
	tap_ok(ifplex_conn_fd(c, &fd) == 0 && fd != -1, "the SOCKET behind the handle");
	ifplex_close(c);
	ifplex_close(s);
}

static void multicast(void)
{
	struct ifplex_iface w0, w3;
	struct ifplex_ip g;
	ifplex_conn *u;

	if (ifplex_interface_by_name("w0", &w0) < 0 || ifplex_interface_by_name("w3", &w3) < 0 ||
	    ifplex_listen_packet("udp4", "0.0.0.0:0", &u) < 0) {
		tap_ok(0, "multicast set-up: %s", ifplex_last_error());
		return;
	}
	ifplex_ip_parse("239.1.2.3", &g);
	tap_ok(ifplex_join_group(u, &g, &w0) == 0, "join 239.1.2.3 on w0: %s", ifplex_last_error());
	tap_ok(ifplex_leave_group(u, &g, &w0) == 0, "leave it: %s", ifplex_last_error());
	int rc = ifplex_join_group(u, &g, &w3);
	tap_ok(rc < 0, "w3 has no IPv4 address to join on: %d \"%s\"", rc, ifplex_last_error());
	tap_ok(ifplex_set_option(u, IFPLEX_OPT_MULTICAST_TTL, 2) == 0 &&
		       ifplex_set_option(u, IFPLEX_OPT_MULTICAST_LOOP, 1) == 0,
	       "multicast TTL and loop: %s", ifplex_last_error());
	ifplex_close(u);
	ifplex_conn *u6;
	if (ifplex_listen_packet("udp6", "[::]:0", &u6) == 0) {
		ifplex_ip_parse("ff02::1:3", &g);
		tap_ok(ifplex_join_group(u6, &g, &w0) == 0 && ifplex_leave_group(u6, &g, &w0) == 0,
		       "join and leave ff02::1:3 on w0: %s", ifplex_last_error());
		ifplex_close(u6);
	}
}

static void unix_and_raw(void)
{
	ifplex_conn *c;
	int rc = ifplex_listen_packet("unixgram", "C:/windows/temp/ifplex-test.sock", &c);

	tap_ok(rc == IFPLEX_ENOTSUP, "unixgram: not on Windows (%d \"%s\")", rc, ifplex_last_error());
	rc = ifplex_listen("unix", "C:/windows/temp/ifplex-test.sock", &c);
	if (rc == 0) {
		tap_ok(1, "AF_UNIX listen");
		ifplex_close(c);
		tap_ok(access("C:/windows/temp/ifplex-test.sock", 0) != 0,
		       "the listener's file is gone after close");
	} else {
		tap_ok(rc == IFPLEX_ENOTSUP, "no AF_UNIX here: %d \"%s\"", rc, ifplex_last_error());
	}
	rc = ifplex_listen_packet("ip4:icmp", "127.0.0.1", &c);
	if (rc < 0) {
		tap_ok(rc == -EACCES && strstr(ifplex_last_error(), "administrator"),
		       "raw IP without administrator rights: %d \"%s\"", rc, ifplex_last_error());
		return;
	}
	/* An ICMP echo request to ourselves: the raw socket sees it (or the
	 * reply) without the IPv4 header, as Go strips it. */
	static const unsigned char echo[8] = {8, 0, 0xf7, 0xfe, 0, 1, 0, 0};
	struct ifplex_netaddr to = {.kind = IFPLEX_NETADDR_IP};
	unsigned char buf[128];
	size_t n = 0;
	ifplex_ip_parse("127.0.0.1", &to.ip);
	ifplex_set_read_deadline(c, ifplex_now() + 3000 * MS);
	rc = ifplex_write_to(c, echo, sizeof echo, &to, &n);
	if (rc == 0)
		rc = ifplex_read_from(c, buf, sizeof buf, &n, NULL);
	tap_ok(rc == 0 && n == 8 && (buf[0] == 8 || buf[0] == 0),
	       "raw ICMP over the loopback, header stripped (%d, %zu bytes, type %d)", rc, n,
	       n ? buf[0] : -1);
	ifplex_close(c);
}

int main(void)
{
	tcp_echo("tcp4", "127.0.0.1:0");
	tcp_echo("tcp6", "[::1]:0");
	udp_exchange();
	refused();
	deadlines();
	options();
	multicast();
	unix_and_raw();
	return tap_done();
}
