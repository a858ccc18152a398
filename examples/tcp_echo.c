/* SPDX-License-Identifier: MIT */
/* A TCP echo server and client with deadlines, as Go programs write them:
 * every read waits at most an idle time, after which the server drops the
 * connection; the client bounds its whole exchange with one deadline.
 *
 *   tcp_echo serve ADDRESS [CONNECTIONS [IDLE_MS]]
 *   tcp_echo send ADDRESS TEXT
 */
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000000LL   /* the ifplex_now clock counts nanoseconds */

static int fail(const char *what)
{
	fprintf(stderr, "tcp_echo: %s: %s\n", what, ifplex_last_error());
	return 1;
}

/* Echo until the peer closes or stays silent for idle_ms. */
static void echo(ifplex_conn *c, long idle_ms)
{
	struct ifplex_netaddr peer;
	char who[IFPLEX_ADDR_STRLEN] = "?", buf[4096];
	size_t n, total = 0;
	int rc;

	if (ifplex_conn_remote_addr(c, &peer) == 0)
		ifplex_netaddr_string(&peer, who, sizeof who);
	for (;;) {
		/* A deadline is absolute: move it before each read. */
		ifplex_set_read_deadline(c, ifplex_now() + idle_ms * MS);
		rc = ifplex_read(c, buf, sizeof buf, &n);
		if (rc < 0)
			break;
		ifplex_set_write_deadline(c, ifplex_now() + idle_ms * MS);
		if ((rc = ifplex_write(c, buf, n, &n)) < 0)
			break;
		total += n;
	}
	if (rc == IFPLEX_EOF)
		printf("%s: echoed %zu bytes\n", who, total);
	else if (ifplex_is_timeout(rc))
		printf("%s: idle for %ld ms, closed\n", who, idle_ms);
	else
		printf("%s: %s\n", who, ifplex_last_error());
	fflush(stdout);
}

static int serve(const char *address, long connections, long idle_ms)
{
	ifplex_conn *l;
	struct ifplex_netaddr local;
	char at[IFPLEX_ADDR_STRLEN];

	if (ifplex_listen("tcp", address, &l) < 0)
		return fail("listen");
	ifplex_conn_local_addr(l, &local);
	ifplex_netaddr_string(&local, at, sizeof at);
	printf("listening on %s\n", at);
	fflush(stdout);
	for (long i = 0; connections < 0 || i < connections; i++) {
		ifplex_conn *c;
		if (ifplex_accept(l, &c) < 0) {
			ifplex_close(l);
			return fail("accept");
		}
		echo(c, idle_ms);
		ifplex_close(c);
	}
	ifplex_close(l);
	return 0;
}

static int send_text(const char *address, const char *text)
{
	struct ifplex_dial_options o = {.size = sizeof o, .deadline = ifplex_now() + 3000 * MS};
	ifplex_conn *c;
	char buf[4096];
	size_t n, got = 0;
	int rc = 0;

	if (ifplex_dial_opts("tcp", address, &o, &c) < 0)
		return fail("dial");
	/* One deadline for the whole exchange. */
	ifplex_set_deadline(c, o.deadline);
	if (ifplex_write(c, text, strlen(text), &n) < 0 || ifplex_close_write(c) < 0) {
		ifplex_close(c);
		return fail("send");
	}
	/* Read the echo until the server closes, or the buffer is full. */
	while (got < sizeof buf - 1 && (rc = ifplex_read(c, buf + got, sizeof buf - 1 - got, &n)) == 0)
		got += n;
	ifplex_close(c);
	if (got < sizeof buf - 1 && rc != IFPLEX_EOF)
		return fail("receive");
	buf[got] = '\0';
	printf("%s\n", buf);
	return 0;
}

/* A count from the command line; def when absent, -2 when malformed. */
static long number(int argc, char **argv, int i, long def)
{
	char *end;

	if (i >= argc)
		return def;
	long v = strtol(argv[i], &end, 10);
	return *argv[i] && !*end && v >= 0 ? v : -2;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && argc <= 5 && strcmp(argv[1], "serve") == 0) {
		long connections = number(argc, argv, 3, -1), idle_ms = number(argc, argv, 4, 5000);
		if (connections != -2 && idle_ms >= 0)
			return serve(argv[2], connections, idle_ms);
	}
	if (argc == 4 && strcmp(argv[1], "send") == 0)
		return send_text(argv[2], argv[3]);
	fprintf(stderr, "usage: tcp_echo serve ADDRESS [CONNECTIONS [IDLE_MS]]\n"
			"       tcp_echo send ADDRESS TEXT\n");
	return 2;
}
