/* SPDX-License-Identifier: MIT */
/* enum_bench's parts: the probe interface every lookup asks for, and what
 * each file measures. */
#ifndef IFPLEX_BENCH_ENUM_H
#define IFPLEX_BENCH_ENUM_H

#include <net/if.h>

#include "bench.h"

extern char probe_name[IF_NAMESIZE];
extern int probe_index;
/* enum_bench.c: the probe's MTU set with ip(8), the change a cache must
 * notice; 0, or -1 if ip failed. */
int probe_set_mtu(int mtu);

/* enum_peers.c: libnl-route and libuv (rows say why when not built). */
/* A cache manager with link and address caches: 0, or -1. */
int peers_mngr_open(void);
/* The manager's link list walked (each object read) and copied into an
 * array; links and addresses walked, as a snapshot is; by name, by index. */
void peers_mngr_measure(void);
/* A change, then how long until the manager's cache shows it. */
void peers_mngr_change_cost(void);
/* libnl's one-off way (a fresh link cache per call), and libuv's list. */
void peers_one_off(void);

/* enum_cache.c: what only a cache has. */
/* getifaddrs in this process (median, and page faults per call) as "tag". */
void cache_glibc_cost(const char *tag);
/* The same, interleaved: blocks of calls with the cache dropped
 * (ifplex_cache_reset: its tables freed, the library loaded) and built,
 * alternating, as il-before and il-after. */
void cache_glibc_interleaved(void);
/* The BPF filter armed again and again: setup and the arming call. */
void cache_arming(void);
/* K changes in one burst, then the next ifplex_interfaces, K = 1, 100,
 * 1,000, 10,000; with the resyncs they cost. */
void cache_bursts(int quick);
/* A change, then how long until ifplex shows it. */
void cache_change_cost(void);

#endif
