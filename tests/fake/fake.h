/* SPDX-License-Identifier: MIT */
/* The fake backend's parts: canned interfaces (fake.c) and in-memory
 * conversations (fake_conn.c). */
#ifndef IFPLEX_FAKE_H
#define IFPLEX_FAKE_H

#include <ifplex/backend.h>

long fake_conns_alive(void);
/* Calls blocked in a read or write, for tests that close under them. */
long fake_conns_waiting(void);
int fake_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int fake_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int fake_close_conn(ifplex_bconn *c);
int fake_interrupt(ifplex_bconn *c);
int fake_set_deadline(ifplex_bconn *c, int which, int64_t deadline);
int fake_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n);
int fake_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n);
int fake_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int fake_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int fake_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents);
int fake_read_lent(ifplex_bconn *c, struct ifplex_lent *v, size_t count, int64_t deadline);
int fake_release_lent(ifplex_bconn *c, struct ifplex_lent *v, size_t count);

#endif
