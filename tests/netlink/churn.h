/* SPDX-License-Identifier: MIT */
/* Readers racing changes: one thread adds, addresses and deletes veth
 * links through ip(8) for three seconds while three threads read; shared by
 * the cache and snapshot tests, which differ in what a reader checks and in
 * whether the churn renames links too. */
#ifndef IFPLEX_TEST_NL_CHURN_H
#define IFPLEX_TEST_NL_CHURN_H

#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline atomic_int *churn_stop(void)
{
	static atomic_int stop;
	return &stop;
}

/* Whether the churn goes on; readers loop while it does. */
static inline int churning(void)
{
	return !atomic_load(churn_stop());
}

/* arg non-NULL: rename each link before deleting it. */
static inline void *churn_links(void *arg)
{
	for (int i = 0; churning(); i++) {
		char cmd[200];
		int k = i % 4;

		if (arg)
			snprintf(cmd, sizeof cmd, "ip link add c%d type veth peer name c%dp && "
				 "ip addr add 10.200.%d.1/24 dev c%d && ip link set c%d name d%d && ip link del d%d",
				 k, k, i % 200, k, k, k, k);
		else
			snprintf(cmd, sizeof cmd, "ip link add c%d type veth peer name c%dp && ip link set c%d up && "
				 "ip addr add 10.200.%d.1/24 dev c%d && ip link del c%d",
				 k, k, k, i % 200, k, k);
		if (system(cmd) != 0)
			return (void *)1;
	}
	return NULL;
}

/* Three readers against the churn for three seconds; each thread must end
 * with NULL (a reader returns what failed). */
static inline void run_churn(int rename, void *(*reader)(void *))
{
	pthread_t w, r[3];
	void *res;

	atomic_store(churn_stop(), 0);
	ck_assert_int_eq(pthread_create(&w, NULL, churn_links, rename ? (void *)1 : NULL), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_create(&r[i], NULL, reader, NULL), 0);
	sleep(3);
	atomic_store(churn_stop(), 1);
	pthread_join(w, &res);
	ck_assert_ptr_null(res);
	for (int i = 0; i < 3; i++) {
		pthread_join(r[i], &res);
		ck_assert_msg(res == NULL, "reader %d failed (%ld)", i, (long)res);
	}
}

#endif
