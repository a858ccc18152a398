/* SPDX-License-Identifier: MIT */
/* Connections: the core's wrapper around a backend's handle, deadlines,
 * and Go's OpError text for every failure. */
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ifplex_conn {
	struct ifplex__live live;    /* in the set of handles not yet freed */
	const struct ifplex_backend *be;
	ifplex_bconn *bc;
	struct ifplex_network net;
	_Atomic int64_t read_deadline;
	_Atomic int64_t write_deadline;
	_Atomic int closed;
	_Atomic int refs;   /* 1 for the owner, +1 per call in progress */
};

int64_t ifplex_now(void)
{
	return ifplex__now();
}

static int is_stream_listen(int kind)
{
	return kind == IFPLEX_NET_TCP || kind == IFPLEX_NET_UNIX || kind == IFPLEX_NET_UNIXPACKET;
}

static int is_packet(int kind)
{
	return kind == IFPLEX_NET_UDP || kind == IFPLEX_NET_IP || kind == IFPLEX_NET_UNIXGRAM;
}

static ifplex_conn *wrap(const struct ifplex_backend *be, ifplex_bconn *bc,
			 const struct ifplex_network *n)
{
	/* Every field set here: calloc's clearing costs a dial more. */
	ifplex_conn *c = malloc(sizeof *c);

	if (!c)
		return NULL;
	c->be = be;
	c->bc = bc;
	c->net = *n;
	atomic_init(&c->read_deadline, 0);
	atomic_init(&c->write_deadline, 0);
	atomic_init(&c->closed, 0);
	atomic_init(&c->refs, 1);
	ifplex__live_add(&c->live);
	return c;
}

/* A plugin said yes and handed back nothing. */
static int no_conn(const struct ifplex_backend *be, const char *slot)
{
	char text[200];

	snprintf(text, sizeof text, "backend %s broke the plugin contract: %s returned no connection",
		 be->name, slot);
	return ifplex__host_fail_text(text, IFPLEX_EBADPLUGIN);
}

/* "local->remote", "local" or "" for the error text of an operation.  The
 * plugin's note on the failing call survives: asking a listener or an
 * unconnected socket for its peer fails too, and that is no news. */
static void conn_addr_text(ifplex_conn *c, char *buf, size_t len)
{
	struct ifplex_netaddr l, r;
	struct ifplex__pending note;
	char ls[IFPLEX_ADDR_STRLEN] = "", rs[IFPLEX_ADDR_STRLEN] = "";

	buf[0] = '\0';
	ifplex__pending_save(&note);
	if (c->be->local_addr && c->be->local_addr(c->bc, &l) == 0) {
		ifplex__netaddr_fix(&c->net, &l);
		ifplex__netaddr_text(&l, ls, sizeof ls);
	}
	if (c->be->remote_addr && c->be->remote_addr(c->bc, &r) == 0) {
		ifplex__netaddr_fix(&c->net, &r);
		ifplex__netaddr_text(&r, rs, sizeof rs);
	}
	ifplex__pending_restore(&note);
	if (ls[0] && rs[0])
		snprintf(buf, len, "%s->%s", ls, rs);
	else
		snprintf(buf, len, "%s", ls[0] ? ls : rs);
}

static int conn_error(ifplex_conn *c, int code, const char *op)
{
	char addr[2 * IFPLEX_ADDR_STRLEN + 4];

	if (code == IFPLEX_EOF) {
		ifplex__pending_clear();
		return ifplex__set_errorf(code, "EOF");
	}
	conn_addr_text(c, addr, sizeof addr);
	return ifplex__op_error(code, op, c->net.name, addr);
}

#if defined(IFPLEX__ASAN)
/* A sanitizer build reports a close of a freed handle by reading it (see
 * closed_before).  So that a close that began while another was freeing
 * the handle is not reported, memory freed while any close is in progress
 * waits, chained through its set node, until none is. */
static int closers;
static struct ifplex__live *deferred;

static void closer_enter(void)
{
	closers++; /* under IFPLEX__LOCK_CONNS */
}

static void closer_leave(void)
{
	ifplex__lock(IFPLEX__LOCK_CONNS);
	struct ifplex__live *e = --closers == 0 ? deferred : NULL;
	if (e)
		deferred = NULL;
	ifplex__unlock(IFPLEX__LOCK_CONNS);
	while (e) {
		struct ifplex__live *next = e->next;
		free(e);
		e = next;
	}
}

static void conn_free(ifplex_conn *c)
{
	ifplex__lock(IFPLEX__LOCK_CONNS);
	if (closers > 0) {
		c->live.next = deferred;
		deferred = &c->live;
		c = NULL;
	}
	ifplex__unlock(IFPLEX__LOCK_CONNS);
	free(c);
}
#else
static void closer_enter(void)
{
}

static void closer_leave(void)
{
}

static void conn_free(ifplex_conn *c)
{
	free(c);
}
#endif

/* Close the backend's handle and free c, out of the set already. */
static int conn_finish(ifplex_conn *c)
{
	ifplex__pending_clear();
	int rc = c->be->close_conn ? c->be->close_conn(c->bc) : 0;
	if (rc < 0)
		rc = ifplex__op_error(rc, "close", c->net.name, NULL);
	conn_free(c);
	return rc;
}

/* The last reference closes the backend's handle, so that a Close while
 * another thread reads never frees what that thread still uses. */
static int conn_release(ifplex_conn *c)
{
	if (atomic_fetch_sub(&c->refs, 1) != 1)
		return 0;
	/* Out of the set before the memory goes: a concurrent close either
	 * still finds it (closed) or does not find it at all. */
	ifplex__live_remove(&c->live);
	return conn_finish(c);
}

/* Checks common to every operation on a connection; on success the call
 * holds a reference that conn_done drops. */
static int conn_enter(ifplex_conn *c, const char *op, void *slot)
{
	if (!c)
		return ifplex__set_errorf(IFPLEX_EINVAL, "%s: NULL connection", op);
	if (!slot)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "%s %s: not supported by backend %s", op,
					  c->net.name, c->be->name);
	atomic_fetch_add(&c->refs, 1);
	if (atomic_load(&c->closed)) {
		conn_release(c);
		return ifplex__set_errorf(IFPLEX_ECLOSED, "%s %s: use of closed network connection",
					  op, c->net.name);
	}
	ifplex__pending_clear();
	return 0;
}

/* End a call begun by conn_enter: the error text if rc < 0, then the ref. */
static int conn_done(ifplex_conn *c, int rc, const char *op)
{
	if (rc < 0) {
		if (rc != IFPLEX_ECLOSED && atomic_load(&c->closed))
			rc = IFPLEX_ECLOSED; /* woken by Close, as Go reports it */
		rc = rc == IFPLEX_ECLOSED
			? ifplex__set_errorf(rc, "%s %s: use of closed network connection", op, c->net.name)
			: conn_error(c, rc, op);
	}
	conn_release(c);
	return rc;
}

static int net_enter(const char *op, const char *network, const char *address,
		     struct ifplex_network *n, struct ifplex__active *a, ifplex_conn **out)
{
	int rc;

	if (!network || !address || !out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "%s: NULL argument", op);
	*out = NULL;
	if ((rc = ifplex_network_parse(network, n)) < 0) {
		ifplex__pending_clear();
		return ifplex__set_errorf(rc, "%s %s: unknown network %s", op, network, network);
	}
	if ((rc = ifplex__backend(a)) < 0)
		return ifplex__set_errorf(rc, "%s %s %s: %s", op, network, address,
					  ifplex__last_message());
	return 0;
}

/* Wrap the failure of address parsing in the operation: "dial tcp: address ...". */
static int resolve_error(int rc, const char *op, const char *network)
{
	char inner[1024];

	snprintf(inner, sizeof inner, "%s", ifplex__last_message());
	return ifplex__set_errorf(rc, "%s %s: %s", op, network, inner);
}

int ifplex_dial_opts(const char *network, const char *address,
		     const struct ifplex_dial_options *opts, ifplex_conn **out)
{
	struct ifplex_network n;
	struct ifplex__active a;
	struct ifplex__cands cands, local;
	int rc, with_local = 0;

	if ((rc = IFPLEX__OPTS_VALID(opts, struct ifplex_dial_options, device, "dial")) < 0)
		return rc;
	struct ifplex_dial_options o = {
		.deadline = IFPLEX__OPTS_GET(opts, struct ifplex_dial_options, deadline, 0),
		.local_address = IFPLEX__OPTS_GET(opts, struct ifplex_dial_options, local_address, NULL),
		.device = IFPLEX__OPTS_GET(opts, struct ifplex_dial_options, device, NULL),
	};
	if ((rc = net_enter("dial", network, address, &n, &a, out)) < 0)
		return rc;
	if (!a.be->dial)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "dial %s %s: not supported by backend %s",
					  network, address, a.be->name);
	if (!*address && n.kind != IFPLEX_NET_UNIXGRAM)
		return ifplex__set_errorf(IFPLEX_EMISSINGADDR, "dial %s: missing address", network);
	if ((rc = ifplex__resolve(&n, address, &cands)) < 0)
		return resolve_error(rc, "dial", network);
	if (o.local_address && *o.local_address) {
		if ((rc = ifplex__resolve(&n, o.local_address, &local)) < 0) {
			ifplex__cands_free(&cands);
			return resolve_error(rc, "dial", network);
		}
		with_local = 1;
	}
	int first = 0;
	char first_msg[1024];
	first_msg[0] = '\0';
	for (size_t i = 0; i < cands.count; i++) {
		struct ifplex_sockspec spec = {.size = sizeof spec, .net = n, .addr = cands.list[i],
					       .local = with_local ? local.list : NULL, .device = o.device,
					       .deadline = o.deadline, .queue = -1};
		ifplex_bconn *bc = NULL;
		char at[IFPLEX_ADDR_STRLEN];
		const struct ifplex_backend *be = a.be;
		ifplex__pending_clear();
		/* UDP goes to the datapath when it takes it (datapath.c). */
		if ((rc = ifplex__datapath_open(1, &spec, &be, &bc)) == IFPLEX_DATAPATH_PASS)
			rc = a.be->dial(a.state, &spec, &bc);
		if (rc == 0 && !bc)
			rc = no_conn(be, "dial");
		if (rc == 0) {
			*out = wrap(be, bc, &n);
			if (!*out) {
				if (be->close_conn)
					be->close_conn(bc);
				rc = ifplex__set_errorf(IFPLEX_ENOMEM, "dial %s %s: out of memory",
							network, address);
			}
			first = 0;
			break;
		}
		ifplex_netaddr_string(&cands.list[i], at, sizeof at);
		ifplex__op_error(rc, "dial", network, at);
		if (!first) {
			first = rc;
			snprintf(first_msg, sizeof first_msg, "%s", ifplex__last_message());
		}
		if (rc == IFPLEX_ETIMEDOUT)
			break; /* the deadline covers every candidate */
	}
	ifplex__cands_free(&cands);
	if (with_local)
		ifplex__cands_free(&local);
	if (first)
		return ifplex__set_errorf(first, "%s", first_msg);
	return rc;
}

int ifplex_dial(const char *network, const char *address, ifplex_conn **out)
{
	return ifplex_dial_opts(network, address, NULL, out);
}

static int listen_common(const char *op, const char *network, const char *address, int packet,
			 ifplex_conn **out)
{
	struct ifplex_network n;
	struct ifplex__active a;
	struct ifplex__cands cands;
	int rc;

	if ((rc = net_enter(op, network, address, &n, &a, out)) < 0)
		return rc;
	if (packet ? !is_packet(n.kind) : !is_stream_listen(n.kind)) {
		ifplex__pending_clear();
		return ifplex__set_errorf(IFPLEX_EUNKNOWNNET, "%s %s: unknown network %s", op,
					  network, network);
	}
	int (*fn)(void *, const struct ifplex_sockspec *, ifplex_bconn **) =
		packet ? a.be->listen_packet : a.be->listen;
	if (!fn)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "%s %s %s: not supported by backend %s", op,
					  network, address, a.be->name);
	if ((rc = ifplex__resolve(&n, address, &cands)) < 0)
		return resolve_error(rc, op, network);
	struct ifplex_sockspec spec = {.size = sizeof spec, .net = n, .addr = cands.list[0], .queue = -1};
	ifplex_bconn *bc = NULL;
	char at[IFPLEX_ADDR_STRLEN];
	ifplex_netaddr_string(&cands.list[0], at, sizeof at);
	ifplex__cands_free(&cands);
	ifplex__pending_clear();
	const struct ifplex_backend *be = a.be;
	rc = packet ? ifplex__datapath_open(0, &spec, &be, &bc) : IFPLEX_DATAPATH_PASS;
	if (rc == IFPLEX_DATAPATH_PASS)
		rc = fn(a.state, &spec, &bc);
	if (rc == 0 && !bc)
		rc = no_conn(be, packet ? "listen_packet" : "listen");
	if (rc < 0)
		return ifplex__op_error(rc, op, network, at);
	if (!(*out = wrap(be, bc, &n))) {
		if (be->close_conn)
			be->close_conn(bc);
		return ifplex__set_errorf(IFPLEX_ENOMEM, "%s %s %s: out of memory", op, network, at);
	}
	return 0;
}

int ifplex_listen(const char *network, const char *address, ifplex_conn **out)
{
	return listen_common("listen", network, address, 0, out);
}

int ifplex_listen_packet(const char *network, const char *address, ifplex_conn **out)
{
	return listen_common("listen", network, address, 1, out);
}

int ifplex_accept(ifplex_conn *l, ifplex_conn **out)
{
	ifplex_bconn *bc = NULL;
	int rc;

	if (!out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "accept: NULL argument");
	*out = NULL;
	if ((rc = conn_enter(l, "accept", l ? (void *)l->be->accept : NULL)) < 0)
		return rc;
	rc = l->be->accept(l->bc, atomic_load(&l->read_deadline), &bc);
	if (rc == 0 && !bc)
		rc = no_conn(l->be, "accept");
	if (rc == 0 && !(*out = wrap(l->be, bc, &l->net))) {
		if (l->be->close_conn)
			l->be->close_conn(bc);
		rc = IFPLEX_ENOMEM;
	}
	return conn_done(l, rc, "accept");
}

/* c is no live handle: it was closed, and freed, before.  Reading it is a
 * use after free, which a sanitizer build lets AddressSanitizer report
 * (with where it was freed); other builds only answer IFPLEX_ECLOSED. */
static void closed_before(const ifplex_conn *c)
{
#if defined(IFPLEX__ASAN)
	(void)*(const volatile char *)c;
#else
	(void)c;
#endif
}

int ifplex_close(ifplex_conn *c)
{
	char name[sizeof c->net.name];
	int rc, last = 1;

	if (!c)
		return 0;
	/* Decided under the lock that guards the set, so that of two threads
	 * closing one handle exactly one wins and the other never reads
	 * freed memory. */
	ifplex__lock(IFPLEX__LOCK_CONNS);
	closer_enter();
	if (!ifplex__live_has(c)) {
		ifplex__unlock(IFPLEX__LOCK_CONNS);
		closed_before(c);
		rc = ifplex__set_errorf(IFPLEX_ECLOSED, "close: use of closed network connection");
	} else if (atomic_exchange(&c->closed, 1)) {
		memcpy(name, c->net.name, sizeof name);
		ifplex__unlock(IFPLEX__LOCK_CONNS);
		rc = ifplex__set_errorf(IFPLEX_ECLOSED, "close %s: use of closed network connection",
					name);
	} else if (atomic_compare_exchange_strong(&c->refs, &last, 0)) {
		/* No call holds a reference (one that entered makes this
		 * exchange fail and the handle go the way below): nothing to
		 * wake, and the handle leaves the set under the lock held. */
		ifplex__live_unlink(&c->live);
		ifplex__unlock(IFPLEX__LOCK_CONNS);
		rc = conn_finish(c);
	} else {
		ifplex__unlock(IFPLEX__LOCK_CONNS);
		if (c->be->interrupt)
			c->be->interrupt(c->bc);
		rc = conn_release(c);
	}
	closer_leave();
	return rc;
}

int ifplex_read(ifplex_conn *c, void *buf, size_t len, size_t *n)
{
	int rc;

	if (!n || (!buf && len))
		return ifplex__set_errorf(IFPLEX_EINVAL, "read: NULL argument");
	*n = 0;
	if ((rc = conn_enter(c, "read", c ? (void *)c->be->read : NULL)) < 0)
		return rc;
	rc = c->be->read(c->bc, buf, len, atomic_load(&c->read_deadline), n);
	return conn_done(c, rc, "read");
}

int ifplex_write(ifplex_conn *c, const void *buf, size_t len, size_t *n)
{
	size_t dummy;
	int rc;

	if (!n)
		n = &dummy;
	*n = 0;
	if (!buf && len)
		return ifplex__set_errorf(IFPLEX_EINVAL, "write: NULL argument");
	if ((rc = conn_enter(c, "write", c ? (void *)c->be->write : NULL)) < 0)
		return rc;
	rc = c->be->write(c->bc, buf, len, atomic_load(&c->write_deadline), n);
	return conn_done(c, rc, "write");
}

int ifplex_read_from(ifplex_conn *c, void *buf, size_t len, size_t *n, struct ifplex_netaddr *from)
{
	/* No address asked for, none fetched: a recv, as in POSIX. */
	struct ifplex_msg m = {.buf = buf, .len = len, .addr = from};
	int rc;

	if (!n)
		return ifplex__set_errorf(IFPLEX_EINVAL, "read: NULL argument");
	*n = 0;
	if ((rc = conn_enter(c, "read", c ? (void *)c->be->read_msg : NULL)) < 0)
		return rc;
	rc = c->be->read_msg(c->bc, &m, atomic_load(&c->read_deadline));
	*n = m.n;
	if (rc == 0 && from)
		ifplex__netaddr_fix(&c->net, from);
	return conn_done(c, rc, "read");
}

int ifplex_write_to(ifplex_conn *c, const void *buf, size_t len, const struct ifplex_netaddr *to,
		    size_t *n)
{
	/* Backends only read a send's address: no copy of it. */
	struct ifplex_msg m = {.buf = (void *)buf, .len = len, .addr = (struct ifplex_netaddr *)to};
	size_t dummy;
	int rc;

	if (!n)
		n = &dummy;
	*n = 0;
	if (!to)
		return ifplex__set_errorf(IFPLEX_EINVAL, "write: NULL address");
	if ((rc = conn_enter(c, "write", c ? (void *)c->be->write_msg : NULL)) < 0)
		return rc;
	rc = c->be->write_msg(c->bc, &m, atomic_load(&c->write_deadline));
	*n = m.n;
	return conn_done(c, rc, "write");
}

int ifplex_read_msg(ifplex_conn *c, struct ifplex_msg *m)
{
	int rc;

	if (!m)
		return ifplex__set_errorf(IFPLEX_EINVAL, "read: NULL message");
	if ((rc = conn_enter(c, "read", c ? (void *)c->be->read_msg : NULL)) < 0)
		return rc;
	rc = c->be->read_msg(c->bc, m, atomic_load(&c->read_deadline));
	if (rc == 0 && m->addr)
		ifplex__netaddr_fix(&c->net, m->addr);
	return conn_done(c, rc, "read");
}

int ifplex_write_msg(ifplex_conn *c, struct ifplex_msg *m)
{
	int rc;

	if (!m)
		return ifplex__set_errorf(IFPLEX_EINVAL, "write: NULL message");
	if ((rc = conn_enter(c, "write", c ? (void *)c->be->write_msg : NULL)) < 0)
		return rc;
	rc = c->be->write_msg(c->bc, m, atomic_load(&c->write_deadline));
	return conn_done(c, rc, "write");
}

int ifplex_read_batch(ifplex_conn *c, struct ifplex_msg *msgs, size_t count)
{
	int rc;

	if (!msgs && count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "read: NULL messages");
	if ((rc = conn_enter(c, "read", c ? (void *)c->be->read_batch : NULL)) < 0)
		return rc;
	rc = c->be->read_batch(c->bc, msgs, count, atomic_load(&c->read_deadline));
	for (int i = 0; i < rc && (size_t)i < count; i++)
		if (msgs[i].result == 0 && msgs[i].addr)
			ifplex__netaddr_fix(&c->net, msgs[i].addr);
	return conn_done(c, rc, "read");
}

int ifplex_write_batch(ifplex_conn *c, struct ifplex_msg *msgs, size_t count)
{
	int rc;

	if (!msgs && count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "write: NULL messages");
	if ((rc = conn_enter(c, "write", c ? (void *)c->be->write_batch : NULL)) < 0)
		return rc;
	rc = c->be->write_batch(c->bc, msgs, count, atomic_load(&c->write_deadline));
	return conn_done(c, rc, "write");
}

int ifplex_read_lent(ifplex_conn *c, struct ifplex_lent *v, size_t count)
{
	int rc;

	if (!v || !count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "read: no lent buffers to fill");
	if ((rc = conn_enter(c, "read", c ? (void *)c->be->read_lent : NULL)) < 0)
		return rc;
	rc = c->be->read_lent(c->bc, v, count, atomic_load(&c->read_deadline));
	for (int i = 0; i < rc && (size_t)i < count; i++)
		if (v[i].result == 0 && v[i].addr)
			ifplex__netaddr_fix(&c->net, v[i].addr);
	return conn_done(c, rc, "read");
}

int ifplex_release_lent(ifplex_conn *c, struct ifplex_lent *v, size_t count)
{
	int rc;

	if (!v && count)
		return ifplex__set_errorf(IFPLEX_EINVAL, "release: NULL buffers");
	if ((rc = conn_enter(c, "release", c ? (void *)c->be->release_lent : NULL)) < 0)
		return rc;
	rc = count ? c->be->release_lent(c->bc, v, count) : 0;
	return conn_done(c, rc, "release");
}

int ifplex_conn_poll(ifplex_conn *c, unsigned events, int64_t deadline, unsigned *revents)
{
	int rc;

	if (!revents || !events || (events & ~(IFPLEX_POLL_IN | IFPLEX_POLL_OUT)))
		return ifplex__set_errorf(IFPLEX_EINVAL, "poll: invalid argument");
	*revents = 0;
	if ((rc = conn_enter(c, "poll", c ? (void *)c->be->poll : NULL)) < 0)
		return rc;
	rc = c->be->poll(c->bc, events, deadline, revents);
	return conn_done(c, rc, "poll");
}

static int endpoint(ifplex_conn *c, struct ifplex_netaddr *out, int remote)
{
	int rc;

	if (!out)
		return ifplex__set_errorf(IFPLEX_EINVAL, "address: NULL argument");
	if ((rc = conn_enter(c, "address", c ? (void *)(remote ? c->be->remote_addr
								 : c->be->local_addr)
					  : NULL)) < 0)
		return rc;
	rc = (remote ? c->be->remote_addr : c->be->local_addr)(c->bc, out);
	if (rc == 0)
		ifplex__netaddr_fix(&c->net, out);
	return conn_done(c, rc, remote ? "getpeername" : "getsockname");
}

int ifplex_conn_local_addr(ifplex_conn *c, struct ifplex_netaddr *out)
{
	return endpoint(c, out, 0);
}

int ifplex_conn_remote_addr(ifplex_conn *c, struct ifplex_netaddr *out)
{
	return endpoint(c, out, 1);
}

static int set_deadlines(ifplex_conn *c, int which, int64_t deadline)
{
	static const char op[] = "set deadline";
	int rc;

	if (deadline < 0)
		return ifplex__set_errorf(IFPLEX_EINVAL, "set deadline: negative time");
	/* Deadlines live in the core; the backend slot only wakes blocked calls. */
	if ((rc = conn_enter(c, op, (void *)op)) < 0)
		return rc;
	if (which & 1)
		atomic_store(&c->read_deadline, deadline);
	if (which & 2)
		atomic_store(&c->write_deadline, deadline);
	if (c->be->set_deadline)
		rc = c->be->set_deadline(c->bc, which, deadline);
	return conn_done(c, rc, op);
}

int ifplex_set_deadline(ifplex_conn *c, int64_t deadline)
{
	return set_deadlines(c, 3, deadline);
}

int ifplex_set_read_deadline(ifplex_conn *c, int64_t deadline)
{
	return set_deadlines(c, 1, deadline);
}

int ifplex_set_write_deadline(ifplex_conn *c, int64_t deadline)
{
	return set_deadlines(c, 2, deadline);
}

int ifplex_set_option(ifplex_conn *c, int option, int64_t value)
{
	int rc;

	if ((rc = conn_enter(c, "set option", c ? (void *)c->be->set_option : NULL)) < 0)
		return rc;
	if (option < IFPLEX_OPT_NODELAY || option > IFPLEX_OPT_MULTICAST_TTL)
		rc = IFPLEX_EINVAL;
	else
		rc = c->be->set_option(c->bc, option, value);
	return conn_done(c, rc, "set");
}

static int group(ifplex_conn *c, const struct ifplex_ip *g, const struct ifplex_iface *ifi, int join)
{
	const char *op = join ? "join group" : "leave group";
	int rc;

	if ((rc = conn_enter(c, op, c ? (void *)c->be->join_group : NULL)) < 0)
		return rc;
	if (!g || !ifplex_ip_is_multicast(g))
		rc = IFPLEX_EBADADDR;
	else
		rc = c->be->join_group(c->bc, g, ifi ? ifi->index : 0, join);
	return conn_done(c, rc, op);
}

int ifplex_join_group(ifplex_conn *c, const struct ifplex_ip *g, const struct ifplex_iface *ifi)
{
	return group(c, g, ifi, 1);
}

int ifplex_leave_group(ifplex_conn *c, const struct ifplex_ip *g, const struct ifplex_iface *ifi)
{
	return group(c, g, ifi, 0);
}

int ifplex_close_write(ifplex_conn *c)
{
	int rc;

	if ((rc = conn_enter(c, "close", c ? (void *)c->be->close_write : NULL)) < 0)
		return rc;
	rc = c->be->close_write(c->bc);
	return conn_done(c, rc, "close");
}

int ifplex_conn_fd(ifplex_conn *c, intptr_t *fd)
{
	int rc;

	if (!fd)
		return ifplex__set_errorf(IFPLEX_EINVAL, "fd: NULL argument");
	if ((rc = conn_enter(c, "fd", c ? (void *)c->be->conn_fd : NULL)) < 0)
		return rc;
	return conn_done(c, c->be->conn_fd(c->bc, fd), "fd");
}

int ifplex_conn_wait_fd(ifplex_conn *c, intptr_t *fd)
{
	int rc;

	if (!fd)
		return ifplex__set_errorf(IFPLEX_EINVAL, "wait fd: NULL argument");
	if ((rc = conn_enter(c, "wait fd", c ? (void *)c->be->wait_fd : NULL)) < 0)
		return rc;
	return conn_done(c, c->be->wait_fd(c->bc, fd), "wait fd");
}

uint64_t ifplex_conn_caps(ifplex_conn *c)
{
	if (!c || atomic_load(&c->closed))
		return 0;
	return c->be->conn_caps ? c->be->conn_caps(c->bc) : c->be->caps;
}

const char *ifplex_conn_network(ifplex_conn *c)
{
	return c ? c->net.name : "";
}
