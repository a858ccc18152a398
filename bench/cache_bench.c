/* The netlink cache against glibc, in a network namespace of its own with
 * N veth interfaces (N = 0: the namespace's loopback only), for the cache
 * mode in IFPLEX_CACHE.  Builtins and ifplex run in the same process and
 * run, so that ratios compare like with like.  Needs root.
 *
 *   cache_bench N        prints a Markdown table and CSV lines ("csv,...")
 */
#define _GNU_SOURCE
#include <ifaddrs.h>
#include <ifplex.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static const char *mode;
static int nifaces;

/* Median and minimum in ns per call of fn over runs samples, after a
 * warm-up; a fast call is timed in batches of 100 so that the clock's own
 * cost and granularity do not count. */
static void measure(void (*fn)(void), int runs, double *median, double *min)
{
	int64_t *s = malloc(sizeof *s * (size_t)runs);
	int64_t t = now_ns();
	for (int i = 0; i < 50; i++)
		fn();
	int batch = (now_ns() - t) / 50 < 10000 ? 100 : 1;
	for (int i = 0; i < runs; i++) {
		t = now_ns();
		for (int k = 0; k < batch; k++)
			fn();
		s[i] = (now_ns() - t) / batch;
	}
	qsort(s, (size_t)runs, sizeof *s, cmp);
	*median = (double)s[runs / 2];
	*min = (double)s[0];
	free(s);
}

static void row(const char *what, double med, double min, double base)
{
	printf("| %-34s | %12.0f | %12.0f | %10.1f |\n", what, med, min, base / med);
	printf("csv,%s,%d,%s,%.0f,%.0f,%.2f\n", mode, nifaces, what, med, min, base / med);
}

static char probe_name[IFPLEX_NAME_MAX];
static int probe_index;

static void do_getifaddrs(void)
{
	struct ifaddrs *ifa;
	if (getifaddrs(&ifa) == 0)
		freeifaddrs(ifa);
}
static void do_nametoindex(void) { (void)if_nametoindex(probe_name); }
static void do_indextoname(void)
{
	char n[IF_NAMESIZE];
	(void)if_indextoname((unsigned)probe_index, n);
}
static void do_interfaces(void)
{
	struct ifplex_iface *l;
	size_t n;
	if (ifplex_interfaces(&l, &n) == 0)
		ifplex_free(l);
}
static void do_addrs(void)
{
	struct ifplex_addr *l;
	size_t n;
	if (ifplex_interface_addrs(NULL, &l, &n) == 0)
		ifplex_free(l);
}
static void do_by_name(void)
{
	struct ifplex_iface i;
	(void)ifplex_interface_by_name(probe_name, &i);
}
static void do_by_index(void)
{
	struct ifplex_iface i;
	(void)ifplex_interface_by_index(probe_index, &i);
}
static void do_generation(void) { (void)ifplex_generation(); }

int main(int argc, char **argv)
{
	nifaces = argc > 1 ? atoi(argv[1]) : 0;
	mode = getenv("IFPLEX_CACHE") ? getenv("IFPLEX_CACHE") : "auto";
	/* -1: this machine's own interfaces, only read (no change is made). */
	int host = nifaces < 0;
	if (!host && (unshare(CLONE_NEWNET) < 0 || system("ip link set lo up") != 0)) {
		fprintf(stderr, "cache_bench: needs root to make a network namespace\n");
		return 77;
	}
	char path[] = "/tmp/ifplex-bench-XXXXXX";
	char cmd[128];
	FILE *f = fdopen(mkstemp(path), "w");
	for (int i = 0; i < nifaces / 2; i++)
		fprintf(f, "link add b%da type veth peer name b%db\naddr add 10.%d.%d.1/24 dev b%da\n", i, i,
			i / 250, i % 250, i);
	fclose(f);
	snprintf(cmd, sizeof cmd, "ip -batch %s", path);
	if (nifaces > 1 && system(cmd) != 0)
		return 1;
	unlink(path);
	snprintf(probe_name, sizeof probe_name, "%s", nifaces > 1 ? "b0a" : "lo");
	if (host) {
		/* The last interface, as a lookup that is not the first entry. */
		struct if_nameindex *ni = if_nameindex();
		for (struct if_nameindex *p = ni; p && p->if_index; p++)
			snprintf(probe_name, sizeof probe_name, "%s", p->if_name);
		if_freenameindex(ni);
	}
	probe_index = (int)if_nametoindex(probe_name);

	/* The first calls, after loading the backend: uncached in auto, the
	 * cache build in ebpf and notify (ebpf arms its filter on the next). */
	(void)ifplex_backend_name();
	int64_t t = now_ns();
	do_addrs();
	double first = (double)(now_ns() - t);
	t = now_ns();
	do_addrs();
	double second = (double)(now_ns() - t);
	for (int i = 0; i < 3; i++)
		do_addrs(); /* auto: build, then arm */
	/* describe() answers in one buffer: copy each before the next. */
	char b[32], s[32];
	snprintf(b, sizeof b, "%s", ifplex_backend_describe("cache_build_ns"));
	snprintf(s, sizeof s, "%s", ifplex_backend_describe("cache_bpf_setup_ns"));

	int runs = nifaces >= 1000 ? 201 : 1001;
	double gmed, gmin, med, min, base;
	printf("\nmode %s (%s), %d interfaces (+lo), %d runs, ns per call\n\n", ifplex_cache_mode(),
	       ifplex_backend_describe("cache_why"), nifaces, runs);
	printf("| %-34s | %12s | %12s | %10s |\n|---|---:|---:|---:|\n", "call", "median", "min", "x faster");
	measure(do_getifaddrs, runs, &gmed, &gmin);
	row("glibc getifaddrs", gmed, gmin, gmed);
	base = gmed;
	measure(do_interfaces, runs, &med, &min);
	row("ifplex_interfaces", med, min, base);
	measure(do_addrs, runs, &med, &min);
	row("ifplex_interface_addrs(NULL)", med, min, base);
	measure(do_nametoindex, runs * 3, &gmed, &gmin);
	row("glibc if_nametoindex", gmed, gmin, gmed);
	base = gmed;
	measure(do_by_name, runs * 3, &med, &min);
	row("ifplex_interface_by_name", med, min, base);
	measure(do_indextoname, runs * 3, &gmed, &gmin);
	row("glibc if_indextoname", gmed, gmin, gmed);
	measure(do_by_index, runs * 3, &med, &min);
	row("ifplex_interface_by_index", med, min, gmed);
	measure(do_generation, runs * 3, &med, &min);
	row("ifplex_generation", med, min, med);

	/* One change, then the next call: the delta's cost (never on the host). */
	int changes = host ? 0 : 101;
	int64_t *d = malloc(sizeof *d * (size_t)changes);
	for (int i = 0; i < changes; i++) {
		snprintf(cmd, sizeof cmd, "ip link set %s mtu %d", probe_name, 1300 + i % 100);
		if (system(cmd) != 0)
			return 1;
		t = now_ns();
		do_by_index();
		d[i] = now_ns() - t;
	}
	qsort(d, (size_t)changes, sizeof *d, cmp);
	if (changes)
		printf("| %-34s | %12lld | %12lld | %10s |\n", "by_index right after one change", (long long)d[changes / 2],
	       (long long)d[0], "");
	if (changes)
		printf("csv,%s,%d,change+by_index,%lld,%lld,\n", mode, nifaces, (long long)d[changes / 2],
		       (long long)d[0]);
	free(d);
	printf("\nfirst ifplex_interface_addrs %.0f ns, second %.0f ns; cache build %s ns, BPF setup %s ns\n",
	       first, second, b, s);
	printf("csv,%s,%d,first_call,%.0f,,\n", mode, nifaces, first);
	printf("csv,%s,%d,cache_build,%s,,\ncsv,%s,%d,bpf_setup,%s,,\n", mode, nifaces, b, mode, nifaces, s);
	return 0;
}
