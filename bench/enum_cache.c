/* SPDX-License-Identifier: MIT */
/* What only a cache has: its effect on glibc in the same process, the cost
 * of arming its BPF filter, bursts of changes, and how soon a change shows.
 * The bursts and changes modify this namespace's links: enum_bench runs
 * them only with --changes, in the namespaces bench/run makes. */
#define _GNU_SOURCE
#include "enum.h"

#include <ifaddrs.h>
#include <ifplex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long counter(const char *key)
{
	const char *v = ifplex_backend_describe(key);
	return v ? atol(v) : 0;
}

static void list_once(void)
{
	struct ifplex_iface *l;
	size_t n;

	if (ifplex_interfaces(&l, &n) < 0) {
		fprintf(stderr, "enum_bench: %s\n", ifplex_last_error());
		exit(1);
	}
	ifplex_free(l);
}

static void getifaddrs_once(void)
{
	struct ifaddrs *ifa;

	if (getifaddrs(&ifa) == 0)
		freeifaddrs(ifa);
}

/* Samples of getifaddrs a measurement takes: 101, or as many as fit in
 * about 2.5 s (never fewer than 5), from a warm-up of 5 calls or 0.5 s. */
static int glibc_samples(void)
{
	int64_t t = now_ns();
	int warm = 0;

	while (warm < 5 && (warm < 2 || now_ns() - t < 500000000))
		getifaddrs_once(), warm++;
	int64_t each = (now_ns() - t) / warm;
	int n = bench_runs < 101 ? bench_runs : 101;
	if (each * n > 2500000000LL)
		n = (int)(2500000000LL / (each ? each : 1));
	return n < 5 ? 5 : n;
}

/* n timed calls into s; the page faults they took. */
static long glibc_timed(int64_t *s, int n)
{
	long f0 = bench_minflt();

	for (int i = 0; i < n; i++) {
		int64_t t = now_ns();
		getifaddrs_once();
		s[i] = now_ns() - t;
	}
	return bench_minflt() - f0;
}

static void glibc_rows_of(const char *tag, int64_t *s, int n, long faults)
{
	char op[64];

	qsort(s, (size_t)n, sizeof *s, cmp);
	snprintf(op, sizeof op, "addrs-%s", tag);
	bench_row("glibc", op, s[n / 2], s[0]);
	/* Page faults over n calls, and n. */
	snprintf(op, sizeof op, "faults-%s", tag);
	bench_row("glibc", op, faults, n);
}

void cache_glibc_cost(const char *tag)
{
	int n = glibc_samples();
	int64_t *s = malloc(sizeof *s * (size_t)n);

	if (!s)
		exit(1);
	long faults = glibc_timed(s, n);
	glibc_rows_of(tag, s, n, faults);
	free(s);
}

/* Builds the cache and, in mode ebpf, calls on (bounded) until the filter
 * the helper thread makes is attached, so that what is measured next runs
 * beside an armed cache and no helper thread. */
static void build_and_arm(void)
{
	const char *mode = getenv("IFPLEX_CACHE");
	int ebpf = mode && strcmp(mode, "ebpf") == 0;

	list_once();
	for (int k = 0; ebpf && k < 10000 && counter("cache_bpf_setup_ns") <= 0; k++) {
		usleep(200);
		list_once();
	}
}

void cache_glibc_interleaved(void)
{
	enum { BLOCKS = 10 };
	int n = glibc_samples() / 2, k = n / BLOCKS > 0 ? n / BLOCKS : 1;
	int64_t *s[2];
	long faults[2] = {0, 0};

	n = k * BLOCKS;
	s[0] = malloc(sizeof *s[0] * (size_t)n);
	s[1] = malloc(sizeof *s[1] * (size_t)n);
	if (!s[0] || !s[1])
		exit(1);
	for (int b = 0; b < 2 * BLOCKS; b++) {
		/* Which side goes first alternates, so the load's drift cancels. */
		int built = (b & 1) ^ ((b / 2) & 1);
		if (built) {
			build_and_arm();
		} else {
			ifplex_cache_reset();
		}
		faults[built] += glibc_timed(s[built] + (b / 2) * k, k);
	}
	glibc_rows_of("il-before", s[0], n, faults[0]);
	glibc_rows_of("il-after", s[1], n, faults[1]);
	free(s[0]);
	free(s[1]);
}

/* The goal's arming call is the second cached call, the first after the
 * build.  The filter is made on a helper thread the build starts, so that
 * call does not wait for it; what it still costs is reported beside: the
 * setup's time wherever it ran (bpf-arm-setup), how many calls, back to
 * back, went by until it armed (bpf-arm-calls: median, most) and how long
 * that took from the end of the build (bpf-arm-wait), and the call that
 * attached the filter and took in what queued before (bpf-arm-attach). */
void cache_arming(void)
{
	enum { ROUNDS = 21 };
	int64_t setup[ROUNDS], call[ROUNDS], calls[ROUNDS], wait[ROUNDS], attach[ROUNDS];

	for (int i = 0; i < ROUNDS; i++) {
		ifplex_cache_reset();
		list_once(); /* builds: subscribes, dumps, starts making the filter */
		int64_t built = now_ns(), t = built;
		list_once(); /* the arming call */
		call[i] = attach[i] = now_ns() - t;
		for (int k = 0; k < 1000000 && counter("cache_bpf_setup_ns") <= 0; k++) {
			t = now_ns();
			list_once();
			attach[i] = now_ns() - t;
		}
		wait[i] = now_ns() - built;
		setup[i] = counter("cache_bpf_setup_ns");
		calls[i] = counter("cache_bpf_arm_calls");
	}
	int64_t s0 = bench_median(setup, ROUNDS), c0 = bench_median(call, ROUNDS);
	bench_row("ifplex", "bpf-arm-setup", s0, setup[0]);
	bench_row("ifplex", "bpf-arm-call", c0, call[0]);
	int64_t n0 = bench_median(calls, ROUNDS);
	bench_row("ifplex", "bpf-arm-calls", n0, calls[ROUNDS - 1]);
	int64_t w0 = bench_median(wait, ROUNDS);
	bench_row("ifplex", "bpf-arm-wait", w0, wait[0]);
	int64_t a0 = bench_median(attach, ROUNDS);
	bench_row("ifplex", "bpf-arm-attach", a0, attach[0]);
}

/* The links a burst changes: every one but lo. */
static char (*names)[IF_NAMESIZE];
static int nnames;
static unsigned *flips;

static void load_names(void)
{
	struct if_nameindex *ni = if_nameindex();

	for (struct if_nameindex *p = ni; p && p->if_index; p++)
		nnames++;
	names = calloc((size_t)nnames + 1, sizeof *names);
	flips = calloc((size_t)nnames + 1, sizeof *flips);
	nnames = 0;
	for (struct if_nameindex *p = ni; p && p->if_index; p++)
		if (strcmp(p->if_name, "lo") != 0)
			snprintf(names[nnames++], IF_NAMESIZE, "%s", p->if_name);
	if_freenameindex(ni);
}

/* k MTU changes in one ip -batch: links in turn, each change a real one
 * (the MTU alternates per link), so that the kernel announces each. */
static void burst(int k)
{
	char path[] = "/tmp/ifplex-bench-burst-XXXXXX", cmd[128];
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f)
		exit(1);
	for (int i = 0; i < k; i++) {
		int l = i % nnames;
		fprintf(f, "link set dev %s mtu %u\n", names[l], 1300 + (flips[l]++ & 1) * 20);
	}
	fclose(f);
	snprintf(cmd, sizeof cmd, "ip -batch %s", path);
	if (system(cmd) != 0) {
		fprintf(stderr, "enum_bench: %s failed\n", cmd);
		exit(1);
	}
	unlink(path);
}

void cache_bursts(int quick)
{
	static const int sizes[] = {1, 100, 1000, 10000};
	int nsizes = quick ? 3 : 4, rounds = quick ? 3 : 5;
	char op[64];

	load_names();
	if (!nnames)
		return;
	for (int z = 0; z < nsizes; z++) {
		int64_t s[8];
		/* The first burst of a size may overflow and grow the ring. */
		burst(sizes[z]);
		int64_t t = now_ns();
		list_once();
		snprintf(op, sizeof op, "burst-%d-first", sizes[z]);
		bench_row("ifplex", op, now_ns() - t, now_ns() - t);
		long dumps = counter("cache_resyncs") + counter("cache_partial_resyncs");
		for (int r = 0; r < rounds; r++) {
			burst(sizes[z]);
			t = now_ns();
			list_once();
			s[r] = now_ns() - t;
		}
		dumps = counter("cache_resyncs") + counter("cache_partial_resyncs") - dumps;
		qsort(s, (size_t)rounds, sizeof *s, cmp);
		snprintf(op, sizeof op, "burst-%d", sizes[z]);
		bench_row("ifplex", op, s[rounds / 2], s[0]);
		/* Dumps the measured bursts cost, over how many bursts. */
		snprintf(op, sizeof op, "burst-%d-dumps", sizes[z]);
		bench_row("ifplex", op, dumps, rounds);
	}
	bench_row("ifplex", "ring-bytes", counter("cache_ring_bytes"), counter("cache_grows"));
}

void cache_change_cost(void)
{
	for (int i = 0; i < 41; i++) {
		int mtu = 1300 + (i % 50);
		if (probe_set_mtu(mtu) < 0)
			return;
		int64_t t = now_ns();
		struct ifplex_iface x;
		int calls = 0;
		do {
			ifplex_interface_by_index(probe_index, &x);
			calls++;
		} while (x.mtu != mtu && now_ns() - t < 1000000000);
		if (i == 40)
			bench_row("ifplex", "change-visible", (long long)(now_ns() - t), calls);
	}
}
