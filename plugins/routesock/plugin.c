/* SPDX-License-Identifier: MIT */
/* The routesock backend: interfaces, addresses and groups from routing
 * messages (the system's sysctls on the BSDs and macOS, or the dump named
 * by IFPLEX_ROUTESOCK_RIB on any system), sockets and lookups from
 * plugins/common. */
#include "rs_plugin.h"
#include "../common/sock.h"
#ifdef IFPLEX_RS_SYSTEM
#include "rs_sys.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RIB_FILE_MAX (64u << 20)  /* larger than any real dump */

void rs_dump_free(struct rs_dump *d)
{
	for (int i = 0; i < 3; i++)
		free(d->owned[i]);
}

static int read_file(struct rs_state *st, struct rs_dump *d)
{
	char msg[sizeof st->rib + 320];
	int fd = open(st->rib, O_RDONLY | O_CLOEXEC);
	struct stat sb;

	if (fd < 0) {
		int e = errno;
		snprintf(msg, sizeof msg, "IFPLEX_ROUTESOCK_RIB %s: open: %s", st->rib, strerror(e));
		return st->host->fail_text(msg, -e);
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > RIB_FILE_MAX) {
		close(fd);
		snprintf(msg, sizeof msg, "IFPLEX_ROUTESOCK_RIB %s: not a regular file of at most %u bytes",
			 st->rib, RIB_FILE_MAX);
		return st->host->fail_text(msg, IFPLEX_EINVAL);
	}
	size_t n = (size_t)sb.st_size, got = 0;
	uint8_t *b = malloc(n ? n : 1);
	if (!b) {
		close(fd);
		return IFPLEX_ENOMEM;
	}
	d->owned[0] = b;
	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			snprintf(msg, sizeof msg, "IFPLEX_ROUTESOCK_RIB %s: read: %s", st->rib, strerror(e));
			return st->host->fail_text(msg, -e);
		}
		if (r == 0)
			break; /* shorter than it was: the sections say what is missing */
		got += (size_t)r;
	}
	close(fd);
	struct rs_rib rib;
	char err[256];
	int rc = rs_rib_parse(b, got, &rib, err, sizeof err);
	if (rc < 0) {
		snprintf(msg, sizeof msg, "IFPLEX_ROUTESOCK_RIB %s: %s", st->rib, err);
		return st->host->fail_text(msg, rc);
	}
	d->layout = rib.layout;
	for (int i = 0; i < 3; i++) {
		d->sec[i].p = rib.section[i].p;
		d->sec[i].n = rib.section[i].n;
	}
	return 0;
}

int rs_load(struct rs_state *st, unsigned whats, int index, struct rs_dump *d)
{
	int rc;

	memset(d, 0, sizeof *d);
	if (st->rib[0]) {
		if ((rc = read_file(st, d)) < 0)
			return rc;
		if (whats & RS_DETAILS_WHAT)
			whats |= d->layout->details_what;
		for (unsigned w = RS_IFLIST; w <= RS_IFMALIST; w <<= 1) {
			if ((whats & w) && !d->sec[rs_what_slot((int)w)].p) {
				char msg[1200];
				snprintf(msg, sizeof msg, "IFPLEX_ROUTESOCK_RIB %s has no %s section", st->rib,
					 rs_what_name((int)w));
				return st->host->fail_text(msg, IFPLEX_ENOTSUP);
			}
		}
		return 0;
	}
#ifdef IFPLEX_RS_SYSTEM
	d->layout = st->sys;
	if (whats & RS_DETAILS_WHAT)
		whats |= st->sys->details_what;
	for (unsigned w = RS_IFLIST; w <= RS_IFMALIST; w <<= 1) {
		int slot = rs_what_slot((int)w);
		if (!(whats & w))
			continue;
		if ((rc = rs_sys_fetch((int)w, index, &d->owned[slot], &d->sec[slot].n)) < 0)
			return st->host->fail("sysctl", rc);
		d->sec[slot].p = d->owned[slot];
	}
	return 0;
#else
	(void)index;
	(void)rc;
	return st->host->fail_text("routesock: no routing sysctls on this system", IFPLEX_ENOTSUP);
#endif
}

/* What a call collects from the messages. */
struct collect {
	int index;                /* only this interface's addresses (0: all) */
	struct vec ifaces;        /* struct ifplex_iface */
	struct vec addrs;         /* struct ifplex_addr, the caller's list */
	struct vec zones;         /* per address: its zone's interface index, 0 for none */
	struct vec *extra;        /* struct rs_addr_extra per address, or NULL */
	size_t last;              /* extra: the interface of the last address, slot + 1 */
};

static const struct ifplex_iface *find(const struct collect *c, int index, const char *name);

static int on_iface(void *arg, const struct ifplex_iface *ifi)
{
	struct collect *c = arg;
	struct ifplex_iface *slot = vec_push(&c->ifaces);

	if (!slot)
		return IFPLEX_ENOMEM;
	*slot = *ifi;
	return 0;
}

static int on_addr(void *arg, const struct rs_addr *a)
{
	struct collect *c = arg;

	if (c->index && a->index != c->index)
		return 0;
	struct ifplex_addr *slot = vec_push(&c->addrs);
	int *zone = vec_push(&c->zones);
	if (!slot || !zone)
		return IFPLEX_ENOMEM;
	slot->index = a->index;
	slot->ip = a->ip;
	slot->prefixlen = a->prefixlen;
	/* A scoped address without a zone of its own is in its interface's. */
	*zone = !a->scoped ? 0 : a->zone ? (int)a->zone : a->index;
	if (c->extra) {
		struct rs_addr_extra *x = vec_push(c->extra);
		const struct ifplex_iface *v = c->ifaces.data;
		/* A dump lists an interface's addresses together. */
		const struct ifplex_iface *ifi = c->last && v[c->last - 1].index == a->index ? &v[c->last - 1]
											    : find(c, a->index, NULL);
		if (ifi)
			c->last = (size_t)(ifi - v) + 1;
		if (!x)
			return IFPLEX_ENOMEM;
		x->msg = *a;
		x->peer = ifi && (ifi->flags & IFPLEX_IFF_POINTTOPOINT);
	}
	return 0;
}

int rs_parse_dump(struct rs_state *st, const struct rs_dump *d, int what, const struct rs_sink *sink)
{
	struct rs_report rep;
	int slot = rs_what_slot(what);
	int rc = rs_parse(d->layout, d->sec[slot].p, d->sec[slot].n, sink, &rep);

	if (rc == IFPLEX_EMALFORMED) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s %s %s: %s", d->layout->os, d->layout->arch, rs_what_name(what),
			 rep.err);
		return st->host->fail_text(msg, rc);
	}
	return rc;
}

/* The interfaces of the IFLIST dump into c->ifaces. */
static int load_ifaces(struct rs_state *st, struct rs_dump *d, unsigned more, int index, struct collect *c)
{
	struct rs_sink sink = {.arg = c, .iface = on_iface};
	int rc;

	vec_init(&c->ifaces, st->host, sizeof(struct ifplex_iface));
	vec_init(&c->addrs, st->host, sizeof(struct ifplex_addr));
	vec_init(&c->zones, st->host, sizeof(int));
	c->index = index;
	c->extra = NULL;
	c->last = 0;
	if ((rc = rs_load(st, RS_IFLIST | more, index, d)) < 0)
		return rc;
	if ((rc = vec_reserve(&c->ifaces, rs_count(d->layout, d->sec[0].p, d->sec[0].n, RS_IFINFO))) < 0)
		return rc;
	return rs_parse_dump(st, d, RS_IFLIST, &sink);
}

static void collect_free(struct collect *c)
{
	vec_free(&c->ifaces);
	vec_free(&c->addrs);
	vec_free(&c->zones);
}

static const struct ifplex_iface *find(const struct collect *c, int index, const char *name)
{
	const struct ifplex_iface *v = c->ifaces.data;

	for (size_t i = 0; i < c->ifaces.len; i++)
		if (name ? strcmp(v[i].name, name) == 0 : v[i].index == index)
			return &v[i];
	return NULL;
}

int rs_list_ifaces(struct rs_state *st, int index, struct vec *out)
{
	struct collect c;
	struct rs_dump d;
	int rc = load_ifaces(st, &d, 0, index, &c);

	if (rc == 0) {
		*out = c.ifaces;
		vec_init(&c.ifaces, st->host, sizeof(struct ifplex_iface));
	}
	collect_free(&c);
	rs_dump_free(&d);
	return rc;
}

static int rs_interfaces(void *state, struct ifplex_iface **list, size_t *count)
{
	struct collect c;
	struct rs_dump d;
	int rc = load_ifaces(state, &d, 0, 0, &c);

	if (rc == 0)
		rc = vec_take(&c.ifaces, list, count);
	collect_free(&c);
	rs_dump_free(&d);
	return rc;
}

static int one(struct rs_state *st, int index, const char *name, struct ifplex_iface *out)
{
	struct collect c;
	struct rs_dump d;
	int rc = load_ifaces(st, &d, 0, index, &c);

	if (rc == 0) {
		const struct ifplex_iface *f = find(&c, index, name);
		if (f)
			*out = *f;
		rc = f ? 0 : IFPLEX_ENOIFACE;
	}
	collect_free(&c);
	rs_dump_free(&d);
	return rc;
}

static int rs_by_index(void *state, int index, struct ifplex_iface *out)
{
	return one(state, index, NULL, out);
}

static int rs_by_name(void *state, const char *name, struct ifplex_iface *out)
{
	return one(state, 0, name, out);
}

static int by_index_cmp(const void *x, const void *y)
{
	const struct ifplex_iface *a = *(const struct ifplex_iface *const *)x;
	const struct ifplex_iface *b = *(const struct ifplex_iface *const *)y;
	return (a->index > b->index) - (a->index < b->index);
}

/* c->addrs as the caller's list: scoped IPv6 addresses take the name of
 * their zone's interface, or the index in decimal when no interface has
 * that index or a name. */
static int finish_addrs(struct collect *c, struct ifplex_addr **list, size_t *count)
{
	const struct ifplex_iface **by = NULL;
	struct ifplex_addr *a = c->addrs.data;
	const int *zone = c->zones.data;

	if (c->ifaces.len && !(by = malloc(c->ifaces.len * sizeof *by)))
		return IFPLEX_ENOMEM;
	for (size_t i = 0; i < c->ifaces.len; i++)
		by[i] = (const struct ifplex_iface *)c->ifaces.data + i;
	if (by)
		qsort(by, c->ifaces.len, sizeof *by, by_index_cmp);
	for (size_t i = 0; i < c->addrs.len; i++) {
		if (!zone[i])
			continue;
		struct ifplex_iface key = {.index = zone[i]};
		const struct ifplex_iface *kp = &key;
		const struct ifplex_iface **hit = by ? bsearch(&kp, by, c->ifaces.len, sizeof *by, by_index_cmp) : NULL;
		if (hit && (*hit)->name[0])
			snprintf(a[i].zone, sizeof a[i].zone, "%s", (*hit)->name);
		else
			snprintf(a[i].zone, sizeof a[i].zone, "%d", zone[i]);
	}
	free(by);
	return vec_take(&c->addrs, list, count);
}

/* Addresses (RTM_NEWADDR) or groups (RTM_NEWMADDR) of the section what,
 * of interface index (0: all). */
static int list_addrs(struct rs_state *st, unsigned what, int groups, int index, struct ifplex_addr **list,
		      size_t *count, struct vec *extra)
{
	struct collect c;
	struct rs_dump d;
	struct rs_sink sink = {.arg = &c, .addr = groups ? NULL : on_addr, .group = groups ? on_addr : NULL};
	int rc = load_ifaces(st, &d, what == RS_IFLIST ? 0 : what, index, &c);

	c.extra = extra;
	int slot = rs_what_slot((int)what);
	if (rc == 0 && index && !find(&c, index, NULL))
		rc = IFPLEX_ENOIFACE;
	if (rc == 0 && !index) {
		size_t n = rs_count(d.layout, d.sec[slot].p, d.sec[slot].n, groups ? RS_NEWMADDR : RS_NEWADDR);
		if ((rc = vec_reserve(&c.addrs, n)) == 0)
			rc = vec_reserve(&c.zones, n);
		if (rc == 0 && extra)
			rc = vec_reserve(extra, n);
	}
	if (rc == 0)
		rc = rs_parse_dump(st, &d, (int)what, &sink);
	if (rc == 0)
		rc = finish_addrs(&c, list, count);
	collect_free(&c);
	rs_dump_free(&d);
	return rc;
}

int rs_list_addrs(struct rs_state *st, int index, struct ifplex_addr **list, size_t *count, struct vec *extra)
{
	return list_addrs(st, RS_IFLIST, 0, index, list, count, extra);
}

static int rs_interface_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	return list_addrs(state, RS_IFLIST, 0, index, list, count, NULL);
}

static int rs_multicast_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	struct rs_state *st = state;
	const struct rs_layout *l = st->sys;
	struct rs_dump d;
	int rc;

	if (st->rib[0]) {
		/* The file says which system it is. */
		rc = rs_load(st, 0, 0, &d);
		l = d.layout;
		rs_dump_free(&d);
		if (rc < 0)
			return rc;
	}
	if (!l->mcast_what) {
		char msg[96];
		snprintf(msg, sizeof msg, "%s has no sysctl that lists multicast groups", l->os);
		return st->host->fail_text(msg, IFPLEX_ENOTSUP);
	}
	return list_addrs(st, l->mcast_what, 1, index, list, count, NULL);
}

/* Replay: the file changed since the last look (its size, times or inode). */
static int file_changed(struct rs_state *st)
{
	struct stat sb;

	if (stat(st->rib, &sb) < 0)
		memset(&sb, 0, sizeof sb);
	int changed = sb.st_ino != st->seen.st_ino || sb.st_size != st->seen.st_size ||
		      sb.st_mtime != st->seen.st_mtime || sb.st_ctime != st->seen.st_ctime ||
#if defined(__APPLE__)
		      sb.st_mtimespec.tv_nsec != st->seen.st_mtimespec.tv_nsec;
#else
		      sb.st_mtim.tv_nsec != st->seen.st_mtim.tv_nsec;
#endif
	st->seen = sb;
	return changed;
}

static uint64_t rs_generation(void *state)
{
	struct rs_state *st = state;
	uint64_t g;

	pthread_mutex_lock(&st->lock);
	if (st->rib[0]) {
		if (file_changed(st))
			st->generation++;
	}
#ifdef IFPLEX_RS_SYSTEM
	else {
		/* The first call opens the socket; what came before it counts
		 * as one change. */
		if (st->watch < 0 && (st->watch = rs_sys_watch_open()) >= 0)
			st->generation++;
		if (st->watch >= 0 && rs_sys_watch_drain(st->watch) != 0)
			st->generation++;
	}
#endif
	g = st->generation;
	pthread_mutex_unlock(&st->lock);
	return g;
}

static int rs_open(const struct ifplex_host *host, void **state)
{
	struct rs_state *st = host->alloc(sizeof *st);
	const char *rib = host->getenv("IFPLEX_ROUTESOCK_RIB");
	const char *events = host->getenv("IFPLEX_ROUTESOCK_EVENTS");

	if (!st)
		return IFPLEX_ENOMEM;
	st->host = host;
	st->watch = -1;
	if (rib && *rib) {
		if (strlen(rib) >= sizeof st->rib) {
			host->free(st);
			return host->fail_text("IFPLEX_ROUTESOCK_RIB: path too long", IFPLEX_EINVAL);
		}
		snprintf(st->rib, sizeof st->rib, "%s", rib);
		if (events && strlen(events) >= sizeof st->events) {
			host->free(st);
			return host->fail_text("IFPLEX_ROUTESOCK_EVENTS: path too long", IFPLEX_EINVAL);
		}
		snprintf(st->events, sizeof st->events, "%s", events ? events : "");
	} else {
#ifdef IFPLEX_RS_SYSTEM
		st->sys = rs_sys_layout();
		if (!st->sys) {
			host->free(st);
			return host->fail_text("routesock: no routing-message layout for this system and architecture",
					       IFPLEX_ENOBACKEND);
		}
#else
		host->free(st);
		return host->fail_text("routesock: this system has no routing sysctls; set IFPLEX_ROUTESOCK_RIB "
				       "to replay a captured dump",
				       IFPLEX_ENOBACKEND);
#endif
	}
	pthread_mutex_init(&st->lock, NULL);
	sock_set_host(host);
	*state = st;
	return 0;
}

static void rs_close(void *state)
{
	struct rs_state *st = state;

	if (st->watch >= 0)
		close(st->watch);
	pthread_mutex_destroy(&st->lock);
	st->host->free(st);
}

static const char *rs_describe(void *state, const char *key)
{
	struct rs_state *st = state;

	if (strcmp(key, "cache") == 0 || strcmp(key, "cache_modes") == 0)
		return "none";
	if (strcmp(key, "cache_why") == 0)
		return "routing messages are read on every call";
	if (strcmp(key, "events_rejected") == 0) {
		pthread_mutex_lock(&st->lock);
		if (st->rejected)
			snprintf(st->text, sizeof st->text, "%u, the last: %s", st->rejected, st->reject);
		else
			snprintf(st->text, sizeof st->text, "0");
		pthread_mutex_unlock(&st->lock);
		return st->text;
	}
	if (strcmp(key, "source") == 0) {
		pthread_mutex_lock(&st->lock);
		if (st->rib[0])
			snprintf(st->text, sizeof st->text, "replay %s", st->rib);
		else
			snprintf(st->text, sizeof st->text, "sysctl (%s %s)", st->sys->os, st->sys->arch);
		pthread_mutex_unlock(&st->lock);
		return st->text;
	}
	return NULL;
}

static const struct ifplex_backend routesock_backend = {
	.abi = IFPLEX_BACKEND_ABI,
	.size = sizeof(struct ifplex_backend),
	.name = "routesock",
	.caps = IFPLEX_CAP_INTERFACES | IFPLEX_CAP_ADDRS | IFPLEX_CAP_MULTICAST_ADDRS | IFPLEX_CAP_GENERATION |
		SOCK_BACKEND_CAPS,
	.open = rs_open,
	.close = rs_close,
	.describe = rs_describe,
	.interfaces = rs_interfaces,
	.interface_by_index = rs_by_index,
	.interface_by_name = rs_by_name,
	.interface_addrs = rs_interface_addrs,
	.multicast_addrs = rs_multicast_addrs,
	.generation = rs_generation,
	SOCK_BACKEND_OPS,
	.events_open = rs_events_open,
	.events_read = rs_events_read,
	.events_wait = rs_events_wait,
	.events_wait_fd = rs_events_wait_fd,
	.events_close = rs_events_close,
	.link_details = rs_link_details,
	.addr_details = rs_addr_details,
};

IFPLEX_PLUGIN_EXPORT const struct ifplex_backend *ifplex_backend_entry(void)
{
	return &routesock_backend;
}
