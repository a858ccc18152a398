/* SPDX-License-Identifier: MIT */
/* Facts for ifplex backends and ifplex_datapath_describe: where the
 * datapath may attach, where it is attached, and its counters.  Counters
 * live in the program's map, so they are found for an interface this
 * process has not attached too: through the program the kernel reports on
 * the link (IFLA_XDP_PROG_ID), when it is ifplex's. */
#include "xdp.h"
#include "../common/bpf_load.h"

#include <errno.h>
#include <linux/if_link.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TEXT_MAX 2048

static void add(char *buf, size_t *off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t *off, const char *fmt, ...)
{
	va_list ap;

	if (*off >= TEXT_MAX)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *off, TEXT_MAX - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n < TEXT_MAX - *off ? (size_t)n : TEXT_MAX - *off;
}

/* The counter map of the ifplex program with id prog, read into out. */
static int read_foreign(uint32_t prog, struct xdp_counters *out)
{
	union bpf_attr a;
	struct bpf_prog_info pi;
	uint32_t ids[8];
	int rc = -ENOENT;

	memset(&a, 0, sizeof a);
	a.prog_id = prog;
	int pfd = bpf_sys(BPF_PROG_GET_FD_BY_ID, &a);
	if (pfd < 0)
		return -errno;
	memset(&pi, 0, sizeof pi);
	pi.nr_map_ids = 8;
	pi.map_ids = (uintptr_t)ids;
	memset(&a, 0, sizeof a);
	a.info.bpf_fd = (uint32_t)pfd;
	a.info.info_len = sizeof pi;
	a.info.info = (uintptr_t)&pi;
	if (bpf_sys(BPF_OBJ_GET_INFO_BY_FD, &a) < 0 || strcmp(pi.name, XDP_PROG_NAME) != 0) {
		close(pfd);
		return -ENOENT;
	}
	close(pfd);
	for (uint32_t i = 0; i < pi.nr_map_ids && i < 8; i++) {
		struct bpf_map_info mi;
		memset(&a, 0, sizeof a);
		a.map_id = ids[i];
		int mfd = bpf_sys(BPF_MAP_GET_FD_BY_ID, &a);
		if (mfd < 0)
			continue;
		memset(&mi, 0, sizeof mi);
		memset(&a, 0, sizeof a);
		a.info.bpf_fd = (uint32_t)mfd;
		a.info.info_len = sizeof mi;
		a.info.info = (uintptr_t)&mi;
		if (bpf_sys(BPF_OBJ_GET_INFO_BY_FD, &a) == 0 && strcmp(mi.name, XDP_COUNTERS_NAME) == 0 &&
		    mi.value_size == sizeof *out) {
			uint32_t zero = 0;
			memset(&a, 0, sizeof a);
			a.map_fd = (uint32_t)mfd;
			a.key = (uintptr_t)&zero;
			a.value = (uintptr_t)out;
			rc = bpf_sys(BPF_MAP_LOOKUP_ELEM, &a) == 0 ? 0 : -errno;
		}
		close(mfd);
		if (rc == 0)
			break;
	}
	return rc;
}

static void counters_text(char *buf, size_t *off, const struct xdp_counters *k)
{
	add(buf, off,
	    "redirected=%llu passed=%llu fragments=%llu rx=%llu tx=%llu rx_ip_options=%llu "
	    "rx_ext_headers=%llu rx_malformed=%llu rx_checksum=%llu rx_truncated=%llu "
	    "tx_no_route=%llu tx_no_neigh=%llu tx_too_big=%llu neigh_resolve=%llu rx_kernel=%llu tx_kernel=%llu",
	    k->redirected, k->passed, k->fragments, k->rx, k->tx, k->rx_ip_options, k->rx_ext_headers,
	    k->rx_malformed, k->rx_checksum, k->rx_truncated, k->tx_no_route, k->tx_no_neigh,
	    k->tx_too_big, k->neigh_resolve, k->rx_kernel, k->tx_kernel);
}

/* One interface's line: where it stands, and its counters if wanted. */
static void iface_text(struct xdp_state *st, const struct xdp_cfg_entry *e, int counters,
		       char *buf, size_t *off)
{
	struct ifplex_iface ifi;
	struct xdp_iface *f = NULL;

	if (e->queue >= 0)
		add(buf, off, "%s:%d", e->name, e->queue);
	else
		add(buf, off, "%s", e->name);
	if (st->host->iface_by_name(e->name, &ifi) < 0) {
		add(buf, off, " (no such interface)");
		return;
	}
	pthread_mutex_lock(&st->lock);
	for (f = st->ifaces; f && f->index != ifi.index; f = f->next)
		;
	if (f) {
		if (counters) {
			struct xdp_counters k;
			memcpy(&k, f->cnt, sizeof k);
			add(buf, off, " ");
			counters_text(buf, off, &k);
		} else {
			add(buf, off, " (index %d, %d receive queue%s, attached here in %s mode, %u conversation%s)",
			    ifi.index, f->nqueues, f->nqueues == 1 ? "" : "s", f->mode, f->refs,
			    f->refs == 1 ? "" : "s");
		}
		pthread_mutex_unlock(&st->lock);
		return;
	}
	pthread_mutex_unlock(&st->lock);
	int nq = 0;
	uint32_t prog = 0;
	xdp_link_info(&st->rt, ifi.index, &nq, &prog);
	struct xdp_counters k;
	int theirs = prog ? read_foreign(prog, &k) : -ENOENT;
	if (counters) {
		if (theirs == 0) {
			add(buf, off, " ");
			counters_text(buf, off, &k);
		} else {
			add(buf, off, " -");
		}
	} else if (theirs == 0) {
		add(buf, off, " (index %d, %d receive queue%s, attached by another process: program %u)",
		    ifi.index, nq, nq == 1 ? "" : "s", prog);
	} else if (prog) {
		add(buf, off, " (index %d, %d receive queue%s, busy: XDP program %u is not ifplex's)",
		    ifi.index, nq, nq == 1 ? "" : "s", prog);
	} else {
		add(buf, off, " (index %d, %d receive queue%s, not attached)", ifi.index, nq,
		    nq == 1 ? "" : "s");
	}
}

const char *xdp_describe(void *state, const char *key)
{
	/* Per thread: counters change, and the core copies the text at once. */
	static _Thread_local char buf[TEXT_MAX];
	struct xdp_state *st = state;
	size_t off = 0;
	int counters;

	if (strcmp(key, "mode") == 0)
		return st->force_mode == 0 ? "auto (native, else generic); copy" :
		       st->force_mode == XDP_FLAGS_DRV_MODE ? "native; copy" : "generic; copy";
	if (strcmp(key, "interfaces") == 0)
		counters = 0;
	else if (strcmp(key, "counters") == 0)
		counters = 1;
	else
		return NULL;
	buf[0] = '\0';
	for (int i = 0; i < st->cfg.n; i++) {
		if (i)
			add(buf, &off, "; ");
		iface_text(st, &st->cfg.e[i], counters, buf, &off);
	}
	return buf;
}
