/* SPDX-License-Identifier: MIT */
/* The datapath layered over the interface backend (IFPLEX_DATAPATH): a
 * second plugin that is offered every UDP conversation and takes those on
 * its interfaces.  It asks about interfaces through its host struct, whose
 * lookups the core answers from the interface backend: plugins never call
 * each other. */
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static struct {
	_Atomic int ready;        /* 1 once chosen (be may be NULL: none) */
	const struct ifplex_backend *be;
	void *state;
	int failed;               /* a named datapath that cannot open: its code */
	char fail_msg[1024];
	char reason[512];
	struct ifplex_host host;
} dp;

static int with_backend(struct ifplex__active *a)
{
	return ifplex__backend(a);
}

static int host_iface_by_index(int index, struct ifplex_iface *out)
{
	struct ifplex__active a;
	int rc = with_backend(&a);

	if (rc < 0)
		return rc;
	return a.be->interface_by_index ? a.be->interface_by_index(a.state, index, out) : IFPLEX_ENOTSUP;
}

static int host_iface_by_name(const char *name, struct ifplex_iface *out)
{
	struct ifplex__active a;
	int rc = with_backend(&a);

	if (rc < 0)
		return rc;
	if (!name || !out)
		return IFPLEX_EINVAL;
	return a.be->interface_by_name ? a.be->interface_by_name(a.state, name, out) : IFPLEX_ENOTSUP;
}

static int host_iface_addrs(int index, struct ifplex_addr **list, size_t *count)
{
	struct ifplex__active a;
	int rc = with_backend(&a);

	*list = NULL;
	*count = 0;
	if (rc < 0)
		return rc;
	if (!a.be->interface_addrs)
		return IFPLEX_ENOTSUP;
	rc = a.be->interface_addrs(a.state, index, list, count);
	/* The interface backend's list is checked as for any caller. */
	return ifplex__plugin_list(&a, "interface_addrs", rc, list, count, sizeof(struct ifplex_addr),
				   NULL);
}

/* Which datapath IFPLEX_DATAPATH names: NULL for none; *named 0 for auto. */
static const char *wanted(int *named)
{
	const char *want = ifplex__getenv("IFPLEX_DATAPATH");

	*named = 0;
	if (!want || !*want || strcmp(want, "none") == 0)
		return NULL;
	if (strcmp(want, "auto") == 0) {
#if defined(__linux__)
		return "xdp";
#else
		return NULL;
#endif
	}
	*named = 1;
	return want;
}

/* Load and open it; 0, or a code with the reason in dp.reason. */
static int open_locked(const char *name)
{
	struct ifplex__plugin pl;
	struct ifplex__active a;
	int rc;

	if ((rc = ifplex__backend(&a)) < 0) {
		snprintf(dp.reason, sizeof dp.reason, "%s", ifplex__last_message());
		return rc;
	}
	ifplex__plugin_load(name, ifplex__search_path(), &pl);
	if (pl.status != 0) {
		snprintf(dp.reason, sizeof dp.reason, "%.500s", pl.message);
		return pl.status;
	}
	if (!pl.be->listen_packet && !pl.be->dial) {
		snprintf(dp.reason, sizeof dp.reason, "plugin %.400s opens no conversations: not a datapath",
			 pl.path);
		return IFPLEX_EBADPLUGIN;
	}
	dp.host = *ifplex__host();
	dp.host.iface_by_index = host_iface_by_index;
	dp.host.iface_by_name = host_iface_by_name;
	dp.host.iface_addrs = host_iface_addrs;
	void *state = NULL;
	if (pl.be->open) {
		ifplex__pending_clear();
		if ((rc = pl.be->open(&dp.host, &state)) < 0) {
			struct ifplex__pending p;
			ifplex__pending_save(&p);
			snprintf(dp.reason, sizeof dp.reason, "%s",
				 p.detail[0] ? p.detail : ifplex_strerror(rc));
			ifplex__pending_clear();
			return rc;
		}
	}
	dp.be = pl.be;
	dp.state = state;
	return 0;
}

static void choose_locked(void)
{
	int named;
	const char *name = wanted(&named);

	dp.be = NULL;
	if (!name) {
		snprintf(dp.reason, sizeof dp.reason, "IFPLEX_DATAPATH unset: kernel sockets");
		return;
	}
	int rc = open_locked(name);
	if (rc == 0) {
		snprintf(dp.reason, sizeof dp.reason, "IFPLEX_DATAPATH=%s", named ? name : "auto");
		ifplex__log(IFPLEX_LOG_DEBUG, "datapath %s active (%s)", name, dp.reason);
		return;
	}
	if (ifplex__transient(rc)) {
		dp.failed = rc; /* not remembered: cleared by the caller */
		snprintf(dp.fail_msg, sizeof dp.fail_msg, "datapath %s: %s", name, dp.reason);
		return;
	}
	if (named) {
		dp.failed = rc;
		snprintf(dp.fail_msg, sizeof dp.fail_msg, "datapath %s: %s", name, dp.reason);
		ifplex__log(IFPLEX_LOG_DEBUG, "%s", dp.fail_msg);
		return;
	}
	char why[600];
	snprintf(why, sizeof why, "%s", dp.reason);
	snprintf(dp.reason, sizeof dp.reason, "IFPLEX_DATAPATH=auto: %s unusable, kernel sockets (%.400s)",
		 name, why);
	ifplex__log(IFPLEX_LOG_DEBUG, "datapath: %s", dp.reason);
}

/* The datapath, chosen on first use: 0 (out->be NULL when none), or the
 * code of a named one that cannot open, with its message recorded as
 * the plugin's note (host fail_text) for the operation's error. */
static int datapath(struct ifplex__active *out)
{
	int rc = 0;

	if (!atomic_load_explicit(&dp.ready, memory_order_acquire)) {
		struct ifplex__active a;
		/* The interface backend first, outside the lock it takes. */
		if ((rc = ifplex__backend(&a)) < 0)
			return rc;
		ifplex__lock(IFPLEX__LOCK_BACKEND);
		if (!atomic_load_explicit(&dp.ready, memory_order_relaxed)) {
			dp.failed = 0;
			choose_locked();
			if (!dp.failed || !ifplex__transient(dp.failed))
				atomic_store_explicit(&dp.ready, 1, memory_order_release);
			rc = dp.failed;
		}
		ifplex__unlock(IFPLEX__LOCK_BACKEND);
	}
	if (!rc)
		rc = dp.failed;
	if (rc < 0)
		return ifplex__host_fail_text(dp.fail_msg, rc);
	out->be = dp.be;
	out->state = dp.state;
	return 0;
}

int ifplex__datapath_open(int dial, const struct ifplex_sockspec *spec,
			  const struct ifplex_backend **be, ifplex_bconn **bc)
{
	struct ifplex__active d;
	int rc;

	if (spec->net.kind != IFPLEX_NET_UDP)
		return IFPLEX_DATAPATH_PASS;
	if ((rc = datapath(&d)) < 0)
		return rc;
	int (*fn)(void *, const struct ifplex_sockspec *, ifplex_bconn **) =
		d.be ? (dial ? d.be->dial : d.be->listen_packet) : NULL;
	if (!fn)
		return IFPLEX_DATAPATH_PASS;
	ifplex__pending_clear();
	*bc = NULL;
	rc = fn(d.state, spec, bc);
	if (rc == IFPLEX_DATAPATH_PASS)
		return rc;
	if (rc == 0 && !*bc) {
		char text[200];
		snprintf(text, sizeof text, "datapath %s broke the plugin contract: %s returned no connection",
			 d.be->name, dial ? "dial" : "listen_packet");
		return ifplex__host_fail_text(text, IFPLEX_EBADPLUGIN);
	}
	if (rc > 0)
		rc = IFPLEX_EBADPLUGIN;
	if (rc < 0) {
		int named;
		wanted(&named);
		if (!named) {
			/* auto: the kernel's sockets serve it; say why. */
			struct ifplex__pending p;
			ifplex__pending_save(&p);
			ifplex__log(IFPLEX_LOG_DEBUG, "datapath %s: %s (auto: kernel sockets instead)",
				    d.be->name, p.detail[0] ? p.detail : ifplex_strerror(rc));
			ifplex__pending_clear();
			return IFPLEX_DATAPATH_PASS;
		}
		return rc;
	}
	*be = d.be;
	return 0;
}

const char *ifplex_datapath_name(void)
{
	struct ifplex__active d;

	if (datapath(&d) < 0) {
		struct ifplex__pending p;
		ifplex__pending_save(&p);
		ifplex__pending_clear();
		ifplex__set_errorf(dp.failed, "%s", p.detail);
		return NULL;
	}
	return d.be ? d.be->name : NULL;
}

int ifplex_datapath_describe(const char *key, char *buf, size_t len)
{
	struct ifplex__active d;
	int rc;

	if (!key || !buf || !len)
		return ifplex__set_errorf(IFPLEX_EINVAL, "datapath describe: NULL argument");
	if ((rc = datapath(&d)) < 0) {
		struct ifplex__pending p;
		ifplex__pending_save(&p);
		ifplex__pending_clear();
		return ifplex__set_errorf(rc, "%s", p.detail);
	}
	const char *v = NULL;
	if (strcmp(key, "reason") == 0)
		v = dp.reason;
	else if (!d.be)
		return ifplex__set_errorf(IFPLEX_ENOTSUP, "datapath describe %s: no datapath (%s)", key,
					  dp.reason);
	else if (d.be->describe)
		v = d.be->describe(d.state, key);
	if (!v)
		return ifplex__set_errorf(IFPLEX_EINVAL, "datapath describe: unknown key %s", key);
	if (strlen(v) >= len)
		return ifplex__set_errorf(IFPLEX_ESHORTBUF, "datapath describe %s: %zu bytes needed", key,
					  strlen(v) + 1);
	memcpy(buf, v, strlen(v) + 1);
	return 0;
}
