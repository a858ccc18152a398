/* SPDX-License-Identifier: MIT */
/* The system layer of the routesock backend, built on the BSDs and macOS
 * only (rs_sys.c): the running kernel's layout, the sysctls, and a routing
 * socket that tells when interfaces or addresses change. */
#ifndef IFPLEX_ROUTESOCK_RS_SYS_H
#define IFPLEX_ROUTESOCK_RS_SYS_H

#include "rs.h"

/* The layout of this kernel's messages (FreeBSD: of the kernel's word
 * size, which an i386 program on an amd64 kernel does not share); NULL
 * when the table has none for it. */
const struct rs_layout *rs_sys_layout(void);
/* sysctl {CTL_NET, PF_ROUTE, 0, 0, NET_RT_*, index} for what into a buffer
 * from malloc; the output grows between the size probe and the read
 * sometimes, so ENOMEM is tried 3 times (golang/go#45736).  0 or -errno. */
int rs_sys_fetch(int what, int index, uint8_t **buf, size_t *len);
/* A non-blocking routing socket for change notices, or -errno. */
int rs_sys_watch_open(void);
/* Read every queued message: 1 when one was about interfaces, addresses
 * or groups (or some were lost), 0 when none, else -errno. */
int rs_sys_watch_drain(int fd);
/* One message of the routing socket fd into buf (cap bytes): 1 with *n,
 * 0 when none waits, RS_SYS_OVERFLOW when the socket dropped some
 * (ENOBUFS), else -errno. */
#define RS_SYS_OVERFLOW 2
int rs_sys_route_read(int fd, uint8_t *buf, size_t cap, size_t *n);

#endif
