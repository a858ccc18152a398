/* SPDX-License-Identifier: MIT */
/* dial and listen: a small netcat over ifplex connections, stdin to the
 * connection and the connection to stdout. */
#include "tool.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

static void *stdin_to_conn(void *arg)
{
	ifplex_conn *c = arg;
	char buf[16384];
	ssize_t n;

	while ((n = read(0, buf, sizeof buf)) > 0) {
		size_t w;
		if (ifplex_write(c, buf, (size_t)n, &w) < 0) {
			fprintf(stderr, "ifplex: %s\n", ifplex_last_error());
			return NULL;
		}
	}
	/* Tell the peer we are done, as nc -N does; packet conns have no half-close. */
	ifplex_close_write(c);
	return NULL;
}

static int conn_to_stdout(ifplex_conn *c)
{
	char buf[16384];
	size_t n;
	int rc;

	while ((rc = ifplex_read(c, buf, sizeof buf, &n)) == 0) {
		if (fwrite(buf, 1, n, stdout) != n)
			return EXIT_OPFAIL;
		fflush(stdout);
	}
	if (rc == IFPLEX_EOF)
		return 0;
	return tool_fail(rc);
}

static int pump(ifplex_conn *c)
{
	pthread_t th;

	if (pthread_create(&th, NULL, stdin_to_conn, c) != 0) {
		fprintf(stderr, "ifplex: cannot start a thread\n");
		return EXIT_OPFAIL;
	}
	pthread_detach(th);
	return conn_to_stdout(c);
}

int cmd_dial(struct tool *t)
{
	ifplex_conn *c;
	int rc;

	if (t->argc != 2)
		return tool_usage("dial NETWORK ADDRESS");
	if ((rc = ifplex_dial(t->argv[0], t->argv[1], &c)) < 0)
		return tool_fail(rc);
	rc = pump(c);
	ifplex_close(c);
	return rc;
}

static int packet_listen(ifplex_conn *l)
{
	char buf[65536];
	size_t n;
	int rc;

	while ((rc = ifplex_read_from(l, buf, sizeof buf, &n, NULL)) == 0) {
		fwrite(buf, 1, n, stdout);
		fflush(stdout);
	}
	return tool_fail(rc);
}

int cmd_listen(struct tool *t)
{
	struct ifplex_network net;
	struct ifplex_netaddr local;
	ifplex_conn *l, *c;
	char at[IFPLEX_ADDR_STRLEN] = "";
	int rc;

	if (t->argc != 2)
		return tool_usage("listen NETWORK ADDRESS");
	if ((rc = ifplex_network_parse(t->argv[0], &net)) < 0)
		return tool_fail(rc);
	int packet = net.kind == IFPLEX_NET_UDP || net.kind == IFPLEX_NET_IP ||
		     net.kind == IFPLEX_NET_UNIXGRAM;
	rc = packet ? ifplex_listen_packet(t->argv[0], t->argv[1], &l)
		    : ifplex_listen(t->argv[0], t->argv[1], &l);
	if (rc < 0)
		return tool_fail(rc);
	if (ifplex_conn_local_addr(l, &local) == 0)
		ifplex_netaddr_string(&local, at, sizeof at);
	fprintf(stderr, "ifplex: listening on %s %s\n", t->argv[0], at);
	if (packet) {
		rc = packet_listen(l);
		ifplex_close(l);
		return rc;
	}
	rc = ifplex_accept(l, &c);
	ifplex_close(l);
	if (rc < 0)
		return tool_fail(rc);
	rc = pump(c);
	ifplex_close(c);
	return rc;
}
