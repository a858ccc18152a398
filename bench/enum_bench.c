/* Enumeration cost, ifplex against glibc, in one process and one run:
 * median and minimum of per-call times.  The machine is shared and noisy;
 * these are figures to read, never to assert. */
#define _GNU_SOURCE
#include <ifaddrs.h>
#include <ifplex.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 2001

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

static int64_t samples[RUNS];

static void report(const char *name, void (*fn)(void), double *median_out)
{
	for (int i = 0; i < 50; i++)
		fn(); /* warm-up */
	for (int i = 0; i < RUNS; i++) {
		int64_t t = now_ns();
		fn();
		samples[i] = now_ns() - t;
	}
	qsort(samples, RUNS, sizeof samples[0], cmp);
	*median_out = (double)samples[RUNS / 2] / 1000.0;
	printf("| %-40s | %10.2f | %10.2f |\n", name, *median_out, (double)samples[0] / 1000.0);
}

static void do_getifaddrs(void)
{
	struct ifaddrs *ifa;
	if (getifaddrs(&ifa) == 0)
		freeifaddrs(ifa);
}

static void do_if_nameindex(void)
{
	struct if_nameindex *ni = if_nameindex();
	if (ni)
		if_freenameindex(ni);
}

static char probe_name[IFPLEX_NAME_MAX] = "lo";

static void do_if_nametoindex(void)
{
	(void)if_nametoindex(probe_name);
}

static void do_ifplex_interfaces(void)
{
	struct ifplex_iface *l;
	size_t n;
	if (ifplex_interfaces(&l, &n) == 0)
		ifplex_free(l);
}

static void do_ifplex_addrs(void)
{
	struct ifplex_addr *l;
	size_t n;
	if (ifplex_interface_addrs(NULL, &l, &n) == 0)
		ifplex_free(l);
}

static void do_ifplex_by_name(void)
{
	struct ifplex_iface i;
	(void)ifplex_interface_by_name(probe_name, &i);
}

int main(void)
{
	struct ifplex_iface *l;
	size_t n;
	double g, x;

	if (ifplex_interfaces(&l, &n) < 0) {
		fprintf(stderr, "enum_bench: %s\n", ifplex_last_error());
		return 1;
	}
	snprintf(probe_name, sizeof probe_name, "%s", l[n - 1].name);
	ifplex_free(l);
	printf("interfaces: %zu; backend %s, cache %s; %d runs, microseconds per call\n\n", n,
	       ifplex_backend_name(), ifplex_cache_mode(), RUNS);
	printf("| %-40s | %10s | %10s |\n|---|---:|---:|\n", "call", "median", "min");
	report("glibc getifaddrs", do_getifaddrs, &g);
	report("ifplex_interface_addrs(NULL) (links+addrs)", do_ifplex_addrs, &x);
	printf("\nifplex_interface_addrs / getifaddrs: %.2f\n\n", x / g);
	report("glibc if_nameindex", do_if_nameindex, &g);
	report("ifplex_interfaces", do_ifplex_interfaces, &x);
	printf("\nifplex_interfaces / if_nameindex: %.2f\n\n", x / g);
	report("glibc if_nametoindex", do_if_nametoindex, &g);
	report("ifplex_interface_by_name", do_ifplex_by_name, &x);
	printf("\nifplex_interface_by_name / if_nametoindex: %.2f\n", x / g);
	return 0;
}
