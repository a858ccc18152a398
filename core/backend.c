/* SPDX-License-Identifier: MIT */
/* Choosing the backend: options or environment, auto by OS, opened once. */
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	struct ifplex__active active;
	_Atomic int ready;          /* 1 once active is set, for the lock-free path */
	int failed;                 /* last attempt's code, 0 if none failed */
	char fail_msg[1024];
	char reason[160];
	int have_opts;              /* ifplex_init was called */
	char backend[64];
	char plugin_path[1024];
	char cache[32];
	int debug;
} g;

static void *host_alloc(size_t n)
{
	return ifplex__alloc(n, 1);
}

static void *host_alloc_raw(size_t n)
{
	return ifplex__alloc(n, 0);
}

void ifplex__log(int level, const char *fmt, ...)
{
	(void)level;
	if (!g.debug)
		return;
	va_list ap;
	va_start(ap, fmt);
	char line[1200];
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ifplex__stderr_print_line(line);
}

static int host_ip_parse(const char *s, size_t n, struct ifplex_ip *out, char *zone, size_t zonelen)
{
	if (!s || !out)
		return IFPLEX_EINVAL;
	return ifplex__ip_parse_zone_n(s, n, out, zone, zonelen);
}

static int host_ip_string(const struct ifplex_ip *ip, char *buf, size_t len)
{
	return ifplex__ip_string(ip, buf, len);
}

/* Written once, under the backend lock, before the backend's open(). */
static struct ifplex_host host = {
	.size = sizeof(struct ifplex_host),
	.alloc = host_alloc,
	.free = ifplex__free,
	.log = ifplex__log,
	.getenv = ifplex__getenv,
	.fail = ifplex__host_fail,
	.fail_text = ifplex__host_fail_text,
	.alloc_raw = host_alloc_raw,
	.ip_parse = host_ip_parse,
	.ip_string = host_ip_string,
	.snapshot_alloc = ifplex__snapshot_alloc,
	.snapshot_seal = ifplex__snapshot_seal,
	.snapshot_hold = ifplex__snapshot_hold,
	.snapshot_put = ifplex__snapshot_put,
};

const struct ifplex_host *ifplex__host(void)
{
	return &host;
}

const char *ifplex__search_path(void)
{
	if (g.have_opts && g.plugin_path[0])
		return g.plugin_path;
	return ifplex__getenv("IFPLEX_PLUGIN_PATH");
}

/* Load and open one named backend; 0 or a code with the message recorded. */
static int open_named(const char *name)
{
	struct ifplex__plugin pl;
	const struct ifplex__plugin *p = &pl;

	ifplex__plugin_load(name, ifplex__search_path(), &pl);
	if (p->status != 0) {
		ifplex__log(IFPLEX_LOG_DEBUG, "backend %s: %s", name, p->message);
		return ifplex__set_errorf(p->status, "%s", p->message);
	}
	ifplex__log(IFPLEX_LOG_DEBUG, "backend %s: loaded %s (ABI %u)", name, p->path,
		    (unsigned)p->be->abi);
	void *state = NULL;
	/* A program's own choice of cache mode wins over the environment. */
	host.cache_mode = g.have_opts && g.cache[0] ? g.cache : ifplex__getenv("IFPLEX_CACHE");
	if (p->be->open) {
		ifplex__pending_clear();
		int rc = p->be->open(&host, &state);
		ifplex__fork_order();
		if (rc < 0)
			return ifplex__op_error(rc, "open backend", name, p->path);
	}
	g.active.be = p->be;
	g.active.state = state;
	return 0;
}

static int select_locked(void)
{
	const char *want = g.have_opts && g.backend[0] ? g.backend : ifplex__getenv("IFPLEX_BACKEND");
	const char *src = g.have_opts && g.backend[0] ? "ifplex_init" : "IFPLEX_BACKEND";
	int rc;

	if (!want || !*want || strcmp(want, "auto") == 0) {
		const char *def = ifplex_backend_auto(NULL);
		if (!def)
			return ifplex__set_errorf(IFPLEX_ENOBACKEND,
						  "no backend: auto has no default on %s",
						  ifplex__os_name());
		rc = open_named(def);
		if (rc < 0)
			return ifplex__set_errorf(rc, "no backend: auto on %s chose %s: %s",
						  ifplex__os_name(), def, ifplex__last_message());
		snprintf(g.reason, sizeof g.reason, "auto on %s chose %s", ifplex__os_name(), def);
	} else {
		rc = open_named(want);
		if (rc < 0)
			return ifplex__set_errorf(rc, "no backend: %s=%s: %s", src, want,
						  ifplex__last_message());
		snprintf(g.reason, sizeof g.reason, "%s=%s", src, want);
	}
	ifplex__log(IFPLEX_LOG_DEBUG, "backend %s active (%s)", g.active.be->name, g.reason);
	return 0;
}

int ifplex__backend(struct ifplex__active *out)
{
	if (atomic_load_explicit(&g.ready, memory_order_acquire)) {
		*out = g.active;
		return 0;
	}
	ifplex__lock(IFPLEX__LOCK_BACKEND);
	int rc = 0;
	if (!atomic_load_explicit(&g.ready, memory_order_relaxed)) {
		g.debug = ifplex__getenv("IFPLEX_DEBUG") != NULL && *ifplex__getenv("IFPLEX_DEBUG") &&
			  strcmp(ifplex__getenv("IFPLEX_DEBUG"), "0") != 0;
		if (g.failed) {
			rc = ifplex__set_errorf(g.failed, "%s", g.fail_msg);
		} else if ((rc = select_locked()) < 0) {
			/* Out of memory or descriptors now need not be so on the
			 * next call: only lasting failures are remembered. */
			if (!ifplex__transient(rc)) {
				g.failed = rc;
				snprintf(g.fail_msg, sizeof g.fail_msg, "%s", ifplex__last_message());
			}
		} else {
			atomic_store_explicit(&g.ready, 1, memory_order_release);
		}
	}
	if (rc == 0)
		*out = g.active;
	ifplex__unlock(IFPLEX__LOCK_BACKEND);
	return rc;
}

static int same_choice(const char *cur, const char *want)
{
	return !want || strcmp(cur, want) == 0;
}

int ifplex_init(const struct ifplex_options *opts)
{
	int rc = IFPLEX__OPTS_VALID(opts, struct ifplex_options, cache, "ifplex_init");

	if (rc < 0)
		return rc;
	struct ifplex_options o = {
		.backend = IFPLEX__OPTS_GET(opts, struct ifplex_options, backend, NULL),
		.plugin_path = IFPLEX__OPTS_GET(opts, struct ifplex_options, plugin_path, NULL),
		.cache = IFPLEX__OPTS_GET(opts, struct ifplex_options, cache, NULL),
	};
	if ((o.backend && strlen(o.backend) >= sizeof g.backend) ||
	    (o.plugin_path && strlen(o.plugin_path) >= sizeof g.plugin_path) ||
	    (o.cache && strlen(o.cache) >= sizeof g.cache))
		return ifplex__set_errorf(IFPLEX_EINVAL, "ifplex_init: option too long");
	ifplex__lock(IFPLEX__LOCK_BACKEND);
	if (atomic_load_explicit(&g.ready, memory_order_relaxed)) {
		if (!same_choice(g.active.be->name, o.backend && strcmp(o.backend, "auto") ? o.backend : NULL))
			rc = ifplex__set_errorf(IFPLEX_EINVAL,
						"ifplex_init: backend %s is already active",
						g.active.be->name);
	} else {
		g.have_opts = 1;
		snprintf(g.backend, sizeof g.backend, "%s", o.backend ? o.backend : "");
		snprintf(g.plugin_path, sizeof g.plugin_path, "%s", o.plugin_path ? o.plugin_path : "");
		snprintf(g.cache, sizeof g.cache, "%s", o.cache ? o.cache : "");
		g.failed = 0; /* new choices get a new attempt */
	}
	ifplex__unlock(IFPLEX__LOCK_BACKEND);
	if (rc == 0) {
		struct ifplex__active a;
		rc = ifplex__backend(&a);
	}
	return rc;
}

const char *ifplex_backend_name(void)
{
	struct ifplex__active a;

	return ifplex__backend(&a) < 0 ? NULL : a.be->name;
}

const char *ifplex_backend_reason(void)
{
	struct ifplex__active a;

	return ifplex__backend(&a) < 0 ? "" : g.reason;
}

const char *ifplex_backend_describe(const char *key)
{
	struct ifplex__active a;

	if (!key || ifplex__backend(&a) < 0 || !a.be->describe)
		return NULL;
	return a.be->describe(a.state, key);
}

const char *ifplex_cache_mode(void)
{
	const char *m = ifplex_backend_describe("cache");
	return m ? m : "none";
}

uint64_t ifplex_backend_caps(void)
{
	struct ifplex__active a;

	return ifplex__backend(&a) < 0 ? 0 : a.be->caps;
}

uint32_t ifplex_backend_abi(void)
{
	return IFPLEX_BACKEND_ABI;
}

const char *ifplex_cap_name(unsigned bit)
{
	static const char *const names[] = {
		"interfaces", "addrs", "multicast-addrs", "generation", "tcp", "udp", "rawip",
		"unix", "fd-passing", "deadlines", "multicast-join", "batch", "fd", "lookup",
		"lookup-dns", "poll", "lent-buffers", "events", "details",
	};
	return bit < sizeof names / sizeof names[0] ? names[bit] : NULL;
}
