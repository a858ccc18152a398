/* SPDX-License-Identifier: MIT */
/* Change events from routing messages: RTM_IFINFO (a link's flags, MTU,
 * link state), RTM_IFANNOUNCE (a link come or gone; FreeBSD renames as a
 * departure and an arrival of the same index), RTM_NEWADDR/RTM_DELADDR and
 * RTM_NEWMADDR/RTM_DELMADDR, read from a routing socket on the BSDs and
 * macOS, or from the stream IFPLEX_ROUTESOCK_EVENTS names (rs_stream.c) on
 * any system, with IFPLEX_ROUTESOCK_RIB as the state it lists.  ENOBUFS on
 * the socket (an "overflow" record), OpenBSD's RTM_DESYNC and a message
 * that cannot be read all lose announcements: the notices queued are
 * dropped and IFPLEX_NOTICE_LOST tells the core to list the state. */
#include "rs_plugin.h"
#ifdef IFPLEX_RS_SYSTEM
#include "rs_sys.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define READ_CHUNK 65536  /* a routing message's largest size, rounded up */

/* A link as the routing messages told it, for those that do not carry
 * its name or address (RTM_IFINFO from a socket has no sockaddr_dl). */
struct known {
	struct ifplex_iface ifi;
	int renaming;        /* departed under its old name, still there under another */
};

struct rs_events {
	struct rs_state *st;
	const struct rs_layout *layout;
	unsigned mask;
	int fd;
	pid_t pid;           /* the process that opened fd, to notice fork() */
	int regular;         /* replay from a regular file: read on as it grows */
	uint8_t *buf;        /* replay: bytes read, of which ... */
	size_t off, len;     /* ... off to len are not yet a whole record */
	off_t consumed;      /* replay from a regular file: bytes read so far */
	struct vec links;    /* struct known */
	struct vec q;        /* struct ifplex_notice waiting to be read ... */
	size_t qhead;        /* ... from here */
};

static int fail(struct rs_events *e, int rc, const char *fmt, const char *what)
{
	char msg[1400];

	snprintf(msg, sizeof msg, fmt, e->st->events, what);
	return e->st->host->fail_text(msg, rc);
}

static struct known *known_find(struct rs_events *e, int index)
{
	struct known *k = e->links.data;

	for (size_t i = 0; i < e->links.len; i++)
		if (k[i].ifi.index == index)
			return &k[i];
	return NULL;
}

static void known_drop(struct rs_events *e, struct known *k)
{
	struct known *all = e->links.data;

	*k = all[--e->links.len];
}

static int known_put(struct rs_events *e, const struct ifplex_iface *ifi)
{
	struct known *k = known_find(e, ifi->index);

	if (!k && !(k = vec_push(&e->links)))
		return IFPLEX_ENOMEM;
	k->ifi = *ifi;
	k->renaming = 0;
	return 0;
}

/* The links as the state source has them now (sysctl or the RIB file). */
static void known_reload(struct rs_events *e)
{
	struct vec now;
	struct ifplex_iface *v;

	if (rs_list_ifaces(e->st, 0, &now) < 0)
		return; /* the next link message fills in what it can */
	vec_free(&e->links);
	vec_init(&e->links, e->st->host, sizeof(struct known));
	v = now.data;
	for (size_t i = 0; i < now.len; i++)
		if (known_put(e, &v[i]) < 0)
			break;
	vec_free(&now);
}

/* Link index as the state source has it now: 1 found, 0 not there. */
static int current(struct rs_events *e, int index, struct ifplex_iface *out)
{
	struct vec now;
	int found = 0;

	if (rs_list_ifaces(e->st, index, &now) < 0)
		return 0;
	const struct ifplex_iface *v = now.data;
	for (size_t i = 0; i < now.len && !found; i++)
		if (v[i].index == index) {
			*out = v[i];
			found = 1;
		}
	vec_free(&now);
	return found;
}

static int notice(struct rs_events *e, unsigned kind, unsigned flags, const struct ifplex_iface *ifi,
		  const struct ifplex_addr *a)
{
	struct ifplex_notice *n = vec_push(&e->q);

	if (!n)
		return IFPLEX_ENOMEM;
	n->kind = kind;
	n->flags = flags;
	if (ifi)
		n->link = *ifi;
	if (a)
		n->addr = *a;
	return 0;
}

/* Announcements were lost: what is queued is older than the listing the
 * core makes next, so only the loss is kept. */
static int lost(struct rs_events *e)
{
	e->q.len = 0;
	e->qhead = 0;
	known_reload(e);
	return notice(e, IFPLEX_NOTICE_LOST, 0, NULL, NULL);
}

/* ---- routing messages to notices */

static int on_ifdata(void *arg, const struct ifplex_iface *msg, const struct rs_ifdata *d)
{
	struct rs_events *e = arg;
	struct ifplex_iface ifi = *msg, now;
	struct known *k = known_find(e, ifi.index);
	int rc;

	/* A socket's RTM_IFINFO names no link and carries no address: the
	 * last ones told, or the state's for a link not seen before. */
	if (!(d->has & RS_DATA_NAME)) {
		const struct ifplex_iface *from = k ? &k->ifi : current(e, ifi.index, &now) ? &now : NULL;
		if (from) {
			memcpy(ifi.name, from->name, sizeof ifi.name);
			memcpy(ifi.hwaddr, from->hwaddr, sizeof ifi.hwaddr);
			ifi.hwaddr_len = from->hwaddr_len;
		}
	}
	if ((rc = known_put(e, &ifi)) < 0)
		return rc;
	return notice(e, IFPLEX_NOTICE_LINK, 0, &ifi, NULL);
}

static int on_announce(void *arg, const struct rs_announce *an)
{
	struct rs_events *e = arg;
	struct known *k = known_find(e, an->index);
	struct ifplex_iface ifi, now;
	int rc, there = current(e, an->index, &now);

	memset(&ifi, 0, sizeof ifi);
	ifi.index = an->index;
	snprintf(ifi.name, sizeof ifi.name, "%s", an->name);
	if (an->arrival) {
		/* The state's record when it is this link (flags, MTU and
		 * address come with it), else what the message says. */
		if (k && k->renaming) {
			ifi = k->ifi;
			snprintf(ifi.name, sizeof ifi.name, "%s", an->name);
		}
		if (there && strcmp(now.name, an->name) == 0)
			ifi = now;
		if ((rc = known_put(e, &ifi)) < 0)
			return rc;
		return notice(e, IFPLEX_NOTICE_LINK, 0, &ifi, NULL);
	}
	/* A departure of a link that is still there under another name is
	 * the first half of a rename (FreeBSD's if_rename): the arrival
	 * that follows changes the name. */
	if (k && there && strcmp(now.name, an->name) != 0) {
		k->renaming = 1;
		return 0;
	}
	if (k) {
		ifi = k->ifi;
		snprintf(ifi.name, sizeof ifi.name, "%s", an->name);
		known_drop(e, k);
	}
	return notice(e, IFPLEX_NOTICE_LINK_DEL, 0, &ifi, NULL);
}

static int on_member(struct rs_events *e, unsigned kind, unsigned want, const struct rs_addr *m)
{
	struct ifplex_addr a;
	unsigned flags = 0;

	if (!(e->mask & want))
		return 0;
	memset(&a, 0, sizeof a);
	a.index = m->index;
	a.ip = m->ip;
	a.prefixlen = m->prefixlen;
	/* A scoped address is in its own link's zone (the core names it) or,
	 * rarely, another's. */
	if (m->scoped && (!m->zone || (int)m->zone == m->index)) {
		flags = IFPLEX_NOTICE_ZONE;
	} else if (m->scoped) {
		struct known *z = known_find(e, (int)m->zone);
		if (z && z->ifi.name[0])
			snprintf(a.zone, sizeof a.zone, "%s", z->ifi.name);
		else
			snprintf(a.zone, sizeof a.zone, "%u", m->zone);
	}
	return notice(e, kind, flags, NULL, &a);
}

static int on_addr(void *arg, const struct rs_addr *a)
{
	return on_member(arg, IFPLEX_NOTICE_ADDR, IFPLEX_EVENTS_ADDRS, a);
}

static int on_addr_del(void *arg, const struct rs_addr *a)
{
	return on_member(arg, IFPLEX_NOTICE_ADDR_DEL, IFPLEX_EVENTS_ADDRS, a);
}

static int on_group(void *arg, const struct rs_addr *a)
{
	return on_member(arg, IFPLEX_NOTICE_MCAST, IFPLEX_EVENTS_MCAST, a);
}

static int on_group_del(void *arg, const struct rs_addr *a)
{
	return on_member(arg, IFPLEX_NOTICE_MCAST_DEL, IFPLEX_EVENTS_MCAST, a);
}

static int on_desync(void *arg)
{
	return lost(arg);
}

/* What one read of the routing socket gave.  A message that cannot be
 * read is an announcement lost; its text is kept for describe. */
static int messages(struct rs_events *e, const uint8_t *p, size_t n)
{
	struct rs_sink sink = {.arg = e,
			       .ifdata = on_ifdata,
			       .addr = on_addr,
			       .addr_del = on_addr_del,
			       .group = on_group,
			       .group_del = on_group_del,
			       .announce = on_announce,
			       .desync = on_desync};
	struct rs_report rep;
	int rc = rs_parse(e->layout, p, n, &sink, &rep);

	if (rc == IFPLEX_EMALFORMED) {
		struct rs_state *st = e->st;
		pthread_mutex_lock(&st->lock);
		st->rejected++;
		snprintf(st->reject, sizeof st->reject, "%s", rep.err);
		pthread_mutex_unlock(&st->lock);
		return lost(e);
	}
	return rc;
}

/* ---- sources */

/* Replay: records from the stream, as many as have arrived. */
static int pull_replay(struct rs_events *e, size_t want)
{
	for (;;) {
		struct rs_record r;
		size_t used;
		char err[300];
		int rc;

		while ((rc = rs_stream_next(e->buf + e->off, e->len - e->off, &r, &used, err, sizeof err)) == 1) {
			if (r.layout != e->layout)
				rc = fail(e, IFPLEX_EMALFORMED, "IFPLEX_ROUTESOCK_EVENTS %s: a record of %s, not the "
								"RIB file's system",
					  r.layout->os);
			else
				rc = r.what == RS_OVERFLOW ? lost(e) : messages(e, r.p, r.n);
			e->off += used;
			if (rc < 0)
				return rc;
			if (e->q.len - e->qhead >= want)
				return 0;
		}
		if (rc < 0) {
			/* The framing is lost: nothing after it can be trusted. */
			e->off = e->len = 0;
			return fail(e, rc, "IFPLEX_ROUTESOCK_EVENTS %s: %s", err);
		}
		/* What is left is part of one record: to the front, once. */
		memmove(e->buf, e->buf + e->off, e->len - e->off);
		e->len -= e->off;
		e->off = 0;
		ssize_t got = read(e->fd, e->buf + e->len, READ_CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (got < 0) {
			int err2 = errno;
			return fail(e, -err2, "IFPLEX_ROUTESOCK_EVENTS %s: read: %s", strerror(err2));
		}
		if (got == 0)
			return 0; /* a regular file's end, for now */
		e->len += (size_t)got;
		__atomic_store_n(&e->consumed, e->consumed + got, __ATOMIC_RELAXED);
	}
}

#ifdef IFPLEX_RS_SYSTEM
/* The routing socket: one message a read; ENOBUFS is the overflow. */
static int pull_socket(struct rs_events *e, size_t want)
{
	while (e->q.len - e->qhead < want) {
		size_t n;
		int rc = rs_sys_route_read(e->fd, e->buf, READ_CHUNK, &n);
		if (rc == 0)
			return 0;
		if (rc == RS_SYS_OVERFLOW)
			rc = lost(e);
		else if (rc > 0)
			rc = messages(e, e->buf, n);
		if (rc < 0)
			return rc;
	}
	return 0;
}
#endif

/* ---- the slots */

static void events_free(struct rs_events *e)
{
	if (e->fd >= 0)
		close(e->fd);
	vec_free(&e->links);
	vec_free(&e->q);
	free(e->buf);
	e->st->host->free(e);
}

static int open_source(struct rs_events *e)
{
	struct rs_state *st = e->st;
	struct stat sb;

	if (!st->rib[0]) {
#ifdef IFPLEX_RS_SYSTEM
		e->layout = st->sys;
		e->fd = rs_sys_watch_open();
		return e->fd < 0 ? st->host->fail("socket(PF_ROUTE)", e->fd) : 0;
#else
		return st->host->fail_text("routesock: no routing socket on this system", IFPLEX_ENOTSUP);
#endif
	}
	if (!st->events[0])
		return st->host->fail_text("routesock replay: IFPLEX_ROUTESOCK_EVENTS names no event stream to "
					   "replay with IFPLEX_ROUTESOCK_RIB",
					   IFPLEX_ENOTSUP);
	struct rs_dump d;
	int rc = rs_load(st, 0, 0, &d);
	e->layout = d.layout;
	rs_dump_free(&d);
	if (rc < 0)
		return rc;
	if (stat(st->events, &sb) < 0) {
		int err = errno;
		return fail(e, -err, "IFPLEX_ROUTESOCK_EVENTS %s: %s", strerror(err));
	}
	/* A FIFO is held open for writing too, so that it never reads as
	 * ended between two writers. */
	e->regular = S_ISREG(sb.st_mode);
	e->fd = open(st->events, (e->regular ? O_RDONLY : O_RDWR) | O_NONBLOCK | O_CLOEXEC);
	if (e->fd < 0) {
		int err = errno;
		return fail(e, -err, "IFPLEX_ROUTESOCK_EVENTS %s: open: %s", strerror(err));
	}
	/* Reopened after fork: on from where this subscription was. */
	if (e->regular && e->consumed && lseek(e->fd, e->consumed, SEEK_SET) < 0) {
		int err = errno;
		return fail(e, -err, "IFPLEX_ROUTESOCK_EVENTS %s: lseek: %s", strerror(err));
	}
	return 0;
}

/* A forked child must not read the parent's socket or share its file
 * offset: it opens the source again, and what it missed is a loss.  (A
 * FIFO stays one pipe for both.) */
static int own_source(struct rs_events *e)
{
	int rc;

	if (e->pid == getpid())
		return 0;
	close(e->fd);
	e->fd = -1;
	if ((rc = open_source(e)) < 0)
		return rc;
	e->pid = getpid();
	return lost(e);
}

int rs_events_open(void *state, unsigned mask, ifplex_bevents **out)
{
	struct rs_state *st = state;
	struct rs_events *e = st->host->alloc(sizeof *e);
	int rc;

	if (!e)
		return IFPLEX_ENOMEM;
	memset(e, 0, sizeof *e);
	e->st = st;
	e->mask = mask;
	e->fd = -1;
	vec_init(&e->links, st->host, sizeof(struct known));
	vec_init(&e->q, st->host, sizeof(struct ifplex_notice));
	/* A record's header and a whole read, with a chunk's room to read into. */
	if (!(e->buf = malloc(2 * READ_CHUNK + 256))) {
		events_free(e);
		return IFPLEX_ENOMEM;
	}
	if ((rc = open_source(e)) < 0) {
		events_free(e);
		return rc;
	}
	e->pid = getpid();
	if ((mask & IFPLEX_EVENTS_MCAST) && !e->layout->mcast_what) {
		char msg[128];
		snprintf(msg, sizeof msg, "routesock: %s announces no multicast groups", e->layout->os);
		events_free(e);
		return st->host->fail_text(msg, IFPLEX_ENOTSUP);
	}
	known_reload(e);
	*out = (ifplex_bevents *)e;
	return 0;
}

int rs_events_read(ifplex_bevents *be, struct ifplex_notice *v, size_t n)
{
	struct rs_events *e = (struct rs_events *)be;
	int rc = own_source(e);

	if (rc < 0)
		return rc;
	if (e->q.len - e->qhead < n) {
#ifdef IFPLEX_RS_SYSTEM
		rc = e->st->rib[0] ? pull_replay(e, n) : pull_socket(e, n);
#else
		rc = pull_replay(e, n);
#endif
	}
	size_t k = e->q.len - e->qhead;
	if (k == 0) {
		e->q.len = e->qhead = 0;
		return rc;
	}
	if (k > n)
		k = n;
	/* A loss goes up alone: the core lists the state after it, and what
	 * follows it is newer than that listing. */
	const struct ifplex_notice *head = (const struct ifplex_notice *)e->q.data + e->qhead;
	if (head->kind == IFPLEX_NOTICE_LOST)
		k = 1;
	memcpy(v, (struct ifplex_notice *)e->q.data + e->qhead, k * sizeof *v);
	e->qhead += k;
	if (e->qhead == e->q.len)
		e->q.len = e->qhead = 0;
	return (int)k;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int rs_events_wait(ifplex_bevents *be, int64_t deadline)
{
	struct rs_events *e = (struct rs_events *)be;

	if (e->pid != getpid())
		return 1;
	for (;;) {
		int64_t left = deadline < 0 ? -1 : deadline - now_ns();
		if (deadline >= 0 && left < 0)
			left = 0;
		if (e->regular) {
			/* A regular file reads as ready at its end too: look at
			 * its size every 2 ms instead. */
			struct stat sb;
			if (fstat(e->fd, &sb) == 0 && sb.st_size > __atomic_load_n(&e->consumed, __ATOMIC_RELAXED))
				return 1;
			if (left == 0)
				return 0;
			struct timespec ts = {0, left > 0 && left < 2000000 ? (long)left : 2000000};
			nanosleep(&ts, NULL);
			continue;
		}
		struct pollfd p = {.fd = e->fd, .events = POLLIN};
		/* Rounded up, so that a wake-up is never before the deadline;
		 * at most 1000 s a wait (a spurious 1 after that is fine). */
		int64_t ms = left < 0 ? -1 : (left + 999999) / 1000000;
		int capped = ms > 1000000;
		int rc = poll(&p, 1, capped ? 1000000 : (int)ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return e->st->host->fail("poll", -errno);
		return rc > 0 || capped;
	}
}

int rs_events_wait_fd(ifplex_bevents *be, intptr_t *fd)
{
	struct rs_events *e = (struct rs_events *)be;
	int rc = own_source(e);

	*fd = e->fd;
	return rc < 0 ? rc : 0;
}

void rs_events_close(ifplex_bevents *be)
{
	if (be)
		events_free((struct rs_events *)be);
}
