/* SPDX-License-Identifier: MIT */
/* Conversations through the /net files: cs to translate, the clone file
 * (whose open fd is the conversation's ctl), ctl messages, data, listen,
 * local and remote.  UDP uses headers mode (a 52-byte prefix).  The err
 * file is never read: it is a queue that blocks while empty, and the
 * kernel reports connect and announce failures as the ctl write's error,
 * as dial(2) and Go read them. */
#include "p9.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ifplex_bconn {
	struct p9 *p;
	int ctl, data;        /* data is -1 for a listener */
	int udp;
	int keepalive;        /* "keepalive" was written */
	int keepalive_ms;     /* its period, 0: the kernel's */
	int abortive;         /* linger 0: hangup (RST) at close */
	char dir[600];        /* the conversation's directory, on the root */
};

#define UDP_HDR 52

static const char *proto(const struct ifplex_sockspec *s)
{
	return s->net.kind == IFPLEX_NET_UDP ? "udp" : "tcp";
}

/* The host part of a cs question.  An announce of the wildcard is "*"
 * (the kernel refuses 0.0.0.0 or :: as "not a local IP address"); a dial
 * to the wildcard goes to loopback, as Go's dial does. */
static int cs_host(struct p9 *p, const struct ifplex_sockspec *spec, int dialing, char *buf, size_t len)
{
	const struct ifplex_ip *ip = &spec->addr.ip;
	struct ifplex_ip v4;

	if (ip->len && !p9_ip_unspecified(ip))
		return p->host->ip_string(ip, buf, len);
	if (!dialing)
		return snprintf(buf, len, "*") < (int)len ? 0 : IFPLEX_ESHORTBUF;
	int six = spec->net.family == 6 || (ip->len && p9_ip_to4(ip, &v4) < 0);
	return snprintf(buf, len, "%s", six ? "::1" : "127.0.0.1") < (int)len ? 0 : IFPLEX_ESHORTBUF;
}

struct cs_first {
	char clone[256], dial[128];
};

static int take_first(const char *reply, size_t len, void *arg)
{
	struct cs_first *f = arg;
	return p9_parse_cs_reply(reply, len, f->clone, sizeof f->clone, f->dial, sizeof f->dial) < 0 ? IFPLEX_EMALFORMED : 2;
}

/* Ask cs: "tcp!127.0.0.1!80" gives the clone file and the dial string. */
static int cs_query(struct p9 *p, const char *query, char *clone, size_t clonelen, char *dial, size_t diallen)
{
	struct cs_first f;
	struct ifplex_netaddr a;
	int rc = p9_query(p, "cs", query, take_first, &f);

	if (rc == IFPLEX_EMALFORMED)
		return p->host->fail_text("cs: malformed reply", rc);
	if (rc == IFPLEX_ENOTFOUND)
		return p->host->fail_text("cs: can't translate address", rc);
	if (rc < 0)
		return p9_fail(p, P9_CS_HOST, "cs", rc);
	if (p9_parse_endpoint(p->host, f.dial, strlen(f.dial), &a) < 0)
		return p->host->fail_text("cs: malformed reply", IFPLEX_EMALFORMED);
	if (strlen(f.dial) >= diallen)
		return IFPLEX_ESHORTBUF;
	strcpy(dial, f.dial);
	return p9_rebase(p, f.clone, clone, clonelen);
}

/* A conversation whose ctl is open: its directory beside the clone or
 * listen file, named by the number the ctl reads. */
static int new_conv(struct p9 *p, int ctl, const char *beside, ifplex_bconn **out)
{
	char num[32], *end = num;
	long conv = -1;
	ssize_t n = read(ctl, num, sizeof num - 1);

	if (n > 0) {
		num[n] = '\0';
		conv = strtol(num, &end, 10);
	}
	if (n <= 0 || end == num || conv < 0) {
		close(ctl);
		return p->host->fail_text("clone: no conversation number", IFPLEX_EMALFORMED);
	}
	ifplex_bconn *c = p->host->alloc(sizeof *c);
	if (!c) {
		close(ctl);
		return IFPLEX_ENOMEM;
	}
	c->p = p;
	c->ctl = ctl;
	c->data = -1;
	const char *slash = strrchr(beside, '/');
	snprintf(c->dir, sizeof c->dir, "%.*s/%ld", (int)(slash - beside), beside, conv);
	*out = c;
	return 0;
}

static int ctl_write(ifplex_bconn *c, const char *msg, const char *what)
{
	if (write(c->ctl, msg, strlen(msg)) < 0)
		return p9_fail(c->p, P9_CTL, what, -errno);
	return 0;
}

static int open_data(ifplex_bconn *c)
{
	char path[700];

	snprintf(path, sizeof path, "%s/data", c->dir);
	c->data = open(path, O_RDWR | O_CLOEXEC);
	return c->data < 0 ? c->p->host->fail("open data", -errno) : 0;
}

static void drop(ifplex_bconn *c)
{
	if (c->data >= 0)
		close(c->data);
	close(c->ctl);
	c->p->host->free(c);
}

static int check_net(const struct ifplex_sockspec *spec)
{
	if (spec->net.kind != IFPLEX_NET_TCP && spec->net.kind != IFPLEX_NET_UDP)
		return IFPLEX_ENOTSUP; /* no Unix sockets or raw IP on Plan 9 */
	if (spec->device || spec->local)
		return IFPLEX_ENOTSUP;
	return 0;
}

/* cs, then the clone file, then "connect" or "announce" on its ctl. */
static int start_conv(struct p9 *p, const struct ifplex_sockspec *spec, int dialing, ifplex_bconn **out)
{
	const char *verb = dialing ? "connect" : "announce";
	char host[IFPLEX_IP_STRLEN], query[128], clone[700], dial[128], msg[160];
	ifplex_bconn *c = NULL;
	int rc;

	if ((rc = check_net(spec)) < 0 || (rc = cs_host(p, spec, dialing, host, sizeof host)) < 0)
		return rc;
	snprintf(query, sizeof query, "%s!%s!%d", proto(spec), host, spec->addr.port);
	if ((rc = cs_query(p, query, clone, sizeof clone, dial, sizeof dial)) < 0)
		return rc;
	int ctl = open(clone, O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return p->host->fail("open clone", -errno);
	if ((rc = new_conv(p, ctl, clone, &c)) < 0)
		return rc;
	c->udp = spec->net.kind == IFPLEX_NET_UDP;
	/* dial(2) writes cs's answer as it is; cs answers "*" with the port
	 * alone, which we announce as "*!port". */
	snprintf(msg, sizeof msg, "%s %s%s", verb, !dialing && !strchr(dial, '!') ? "*!" : "", dial);
	if ((rc = ctl_write(c, msg, verb)) < 0) {
		drop(c);
		return rc;
	}
	*out = c;
	return 0;
}

int p9_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	int rc;

	if (spec->deadline)
		return IFPLEX_ENOTSUP;
	if ((rc = start_conv(state, spec, 1, out)) < 0)
		return rc;
	if ((rc = open_data(*out)) < 0)
		drop(*out);
	return rc;
}

static int announce(struct p9 *p, const struct ifplex_sockspec *spec, int headers, ifplex_bconn **out)
{
	int rc = start_conv(p, spec, 0, out);

	if (rc < 0 || !headers)
		return rc;
	if ((rc = ctl_write(*out, "headers", "headers")) < 0 || (rc = open_data(*out)) < 0)
		drop(*out);
	return rc;
}

int p9_listen(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	if (spec->net.kind != IFPLEX_NET_TCP)
		return IFPLEX_ENOTSUP;
	return announce(state, spec, 0, out);
}

int p9_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	if (spec->net.kind != IFPLEX_NET_UDP)
		return IFPLEX_ENOTSUP;
	return announce(state, spec, 1, out);
}

int p9_accept(ifplex_bconn *l, int64_t deadline, ifplex_bconn **out)
{
	char path[700];
	struct p9 *p = l->p;
	ifplex_bconn *c;
	int rc;

	if (deadline)
		return IFPLEX_ENOTSUP;
	snprintf(path, sizeof path, "%s/listen", l->dir);
	/* Opening listen blocks until a call comes; the fd is its ctl. */
	int ctl = open(path, O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return p->host->fail("listen", -errno);
	if ((rc = new_conv(p, ctl, l->dir, &c)) < 0)
		return rc;
	if ((rc = open_data(c)) < 0) {
		drop(c);
		return rc;
	}
	*out = c;
	return 0;
}

int p9_close_conn(ifplex_bconn *c)
{
	/* Closing the files ends a TCP call gracefully (tcpclose: FIN after
	 * the queued data), as Plan 9's own programs end theirs; "hangup"
	 * (tcphangup: RST, unsent data dropped) only for linger 0. */
	if (c->abortive && !c->udp && c->data >= 0 && write(c->ctl, "hangup", 6) < 0)
		c->p->host->log(IFPLEX_LOG_DEBUG, "plan9: hangup of %s: %s", c->dir, strerror(errno));
	drop(c);
	return 0;
}

int p9_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n)
{
	if (deadline)
		return IFPLEX_ENOTSUP;
	if (c->data < 0)
		return IFPLEX_ENOTSUP;
	ssize_t r = read(c->data, buf, len);
	if (r < 0)
		return c->p->host->fail("read", -errno);
	if (r == 0 && len > 0 && !c->udp)
		return IFPLEX_EOF;
	*n = (size_t)r;
	return 0;
}

int p9_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n)
{
	if (deadline)
		return IFPLEX_ENOTSUP;
	if (c->data < 0)
		return IFPLEX_ENOTSUP;
	ssize_t w = write(c->data, buf, len);
	if (w < 0)
		return c->p->host->fail("write", -errno);
	*n = (size_t)w;
	return 0;
}

/* headers mode: raddr, laddr, ifcaddr (16 bytes each, IPv4 mapped), then
 * rport and lport (2 bytes each, big-endian). */
int p9_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline)
{
	unsigned char pkt[65536 + UDP_HDR];

	if (deadline)
		return IFPLEX_ENOTSUP;
	if (!c->udp || m->nfds)
		return IFPLEX_ENOTSUP;
	ssize_t r = read(c->data, pkt, sizeof pkt);
	if (r < 0)
		return c->p->host->fail("read", -errno);
	if (r < UDP_HDR)
		return c->p->host->fail_text("read: short headers-mode packet", IFPLEX_EMALFORMED);
	size_t n = (size_t)r - UDP_HDR;
	m->flags = n > m->len ? IFPLEX_MSG_TRUNC : 0;
	m->n = n > m->len ? m->len : n;
	memcpy(m->buf, pkt + UDP_HDR, m->n);
	if (m->addr) {
		memset(m->addr, 0, sizeof *m->addr);
		m->addr->kind = IFPLEX_NETADDR_IP;
		m->addr->ip.len = 16;
		memcpy(m->addr->ip.b, pkt, 16);
		struct ifplex_ip v4;
		if (p9_ip_to4(&m->addr->ip, &v4) == 0)
			m->addr->ip = v4;
		m->addr->port = pkt[48] << 8 | pkt[49];
	}
	return 0;
}

int p9_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline)
{
	unsigned char pkt[65536 + UDP_HDR];
	struct ifplex_ip ip16;

	if (deadline)
		return IFPLEX_ENOTSUP;
	if (!c->udp || m->nfds || !m->addr || m->len > 65536)
		return IFPLEX_ENOTSUP;
	if (p9_ip_to16(&m->addr->ip, &ip16) < 0)
		return IFPLEX_EBADADDR;
	memset(pkt, 0, UDP_HDR);
	memcpy(pkt, ip16.b, 16);
	pkt[48] = (unsigned char)(m->addr->port >> 8);
	pkt[49] = (unsigned char)m->addr->port;
	memcpy(pkt + UDP_HDR, m->buf, m->len);
	ssize_t w = write(c->data, pkt, UDP_HDR + m->len);
	if (w < 0)
		return c->p->host->fail("write", -errno);
	m->n = (size_t)w >= UDP_HDR ? (size_t)w - UDP_HDR : 0;
	return 0;
}

static int endpoint(ifplex_bconn *c, const char *file, struct ifplex_netaddr *out)
{
	char path[700], text[128];
	size_t n;

	snprintf(path, sizeof path, "%s/%s", c->dir, file);
	int rc = p9_read_file(path, text, sizeof text, &n);
	if (rc < 0)
		return c->p->host->fail("open", rc);
	if (p9_parse_endpoint(c->p->host, text, n, out) < 0)
		return c->p->host->fail_text("malformed address file", IFPLEX_EMALFORMED);
	return 0;
}

int p9_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	return endpoint(c, "local", out);
}

int p9_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out)
{
	return endpoint(c, "remote", out);
}

/* "keepalive [ms]" (tcpstartka) starts keep-alive; the kernel has no
 * message that stops it, and "keepalive 0" starts it with the default
 * period (a value under its tick keeps the timer as it was). */
static int keepalive(ifplex_bconn *c, int64_t on)
{
	char msg[32];

	if (!on) {
		if (!c->keepalive)
			return 0;
		return c->p->host->fail_text("keepalive: Plan 9 cannot stop keep-alive once started",
					     IFPLEX_ENOTSUP);
	}
	if (c->keepalive_ms)
		snprintf(msg, sizeof msg, "keepalive %d", c->keepalive_ms);
	else
		snprintf(msg, sizeof msg, "keepalive");
	int rc = ctl_write(c, msg, "keepalive");
	if (rc == 0)
		c->keepalive = 1;
	return rc;
}

int p9_set_option(ifplex_bconn *c, int option, int64_t value)
{
	if (c->udp)
		return IFPLEX_ENOTSUP;
	switch (option) {
	case IFPLEX_OPT_KEEPALIVE:
		return keepalive(c, value);
	case IFPLEX_OPT_KEEPALIVE_PERIOD:
		if (value <= 0 || value > 2000000)
			return IFPLEX_EINVAL;
		c->keepalive_ms = (int)value * 1000;
		return c->keepalive ? keepalive(c, 1) : 0;
	case IFPLEX_OPT_LINGER:
		/* Only 0 differs on Plan 9: a positive linger sends the rest in
		 * the background, as Go documents it may. */
		c->abortive = value == 0;
		return 0;
	default:
		return IFPLEX_ENOTSUP;
	}
}

int p9_set_deadline(ifplex_bconn *c, int which, int64_t deadline)
{
	(void)c;
	(void)which;
	return deadline ? IFPLEX_ENOTSUP : 0; /* Plan 9 files have no timeouts */
}

uint64_t p9_conn_caps(ifplex_bconn *c)
{
	return c->udp ? IFPLEX_CAP_UDP : IFPLEX_CAP_TCP;
}

/* ---------------------------------------------------------------- lookups */

struct ip_answers {
	const struct ifplex_host *h;
	int family;
	struct ifplex_ip got[32];
	size_t n;
};

/* "/net/tcp/clone 127.0.0.1!1": the address, once, of the family asked. */
static int take_ip(const char *reply, size_t len, void *arg)
{
	struct ip_answers *a = arg;
	char clone[256], dial[128];
	struct ifplex_netaddr na;
	struct ifplex_ip v4;

	if (a->n == 32 || p9_parse_cs_reply(reply, len, clone, sizeof clone, dial, sizeof dial) < 0 ||
	    p9_parse_endpoint(a->h, dial, strlen(dial), &na) < 0 || na.ip.len == 0)
		return 0;
	int is4 = p9_ip_to4(&na.ip, &v4) == 0;
	if ((a->family == 4 && !is4) || (a->family == 6 && is4))
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (p9_ip_equal(&a->got[i], &na.ip))
			return 0;
	a->got[a->n++] = na.ip;
	return 1;
}

int p9_lookup_ip(void *state, const char *host, int family, struct ifplex_ip **list, size_t *count)
{
	struct p9 *p = state;
	struct ip_answers a = {.h = p->host, .family = family};
	char query[300];

	if (!p9_question_word(host, 255))
		return p->host->fail_text("invalid host name", IFPLEX_EBADADDR);
	snprintf(query, sizeof query, "net!%s!1", host);
	int rc = p9_query(p, "cs", query, take_ip, &a);
	if (rc < 0)
		return p9_fail(p, P9_CS_HOST, "cs", rc);
	*list = p->host->alloc(a.n * sizeof **list);
	if (!*list)
		return IFPLEX_ENOMEM;
	memcpy(*list, a.got, a.n * sizeof a.got[0]);
	*count = a.n;
	return 0;
}

struct port_answer {
	const struct ifplex_host *h;
	int port;
};

static int take_port(const char *reply, size_t len, void *arg)
{
	struct port_answer *a = arg;
	char clone[256], dial[128];
	struct ifplex_netaddr na;

	if (p9_parse_cs_reply(reply, len, clone, sizeof clone, dial, sizeof dial) < 0 ||
	    p9_parse_endpoint(a->h, dial, strlen(dial), &na) < 0)
		return 0;
	a->port = na.port;
	return 2;
}

int p9_lookup_port(void *state, int kind, const char *service, int *port)
{
	struct p9 *p = state;
	struct port_answer a = {.h = p->host};
	char query[128];

	if (!p9_question_word(service, 64))
		return IFPLEX_EBADPORT;
	snprintf(query, sizeof query, "%s!127.0.0.1!%s", kind == IFPLEX_NET_UDP ? "udp" : "tcp", service);
	int rc = p9_query(p, "cs", query, take_port, &a);
	if (rc < 0)
		return p9_fail(p, P9_CS_SERVICE, "cs", rc);
	*port = a.port;
	return 0;
}
