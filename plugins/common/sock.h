/* SPDX-License-Identifier: MIT */
/* The POSIX socket and resolver layer shared by the netlink and routesock
 * plugins (as Go's *_posix.go files are shared).  What differs by OS sits
 * behind sock_os.h; everything here is portable. */
#ifndef IFPLEX_COMMON_SOCK_H
#define IFPLEX_COMMON_SOCK_H

#include <ifplex/backend.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stdatomic.h>

struct ifplex_bconn {
	int fd;                    /* blocking, but for listeners */
	int family;                /* AF_INET, AF_INET6, AF_UNIX */
	int type;                  /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW */
	int listener;
	_Atomic int closing;       /* set by interrupt: calls give up */
	/* Deadlines as the core last set them (0 read, 1 write), read live by
	 * calls that wait. */
	_Atomic int64_t deadline[2];
	/* Deadline changes and Close, counted, so that a waiter tells whether
	 * it saw the latest (sock_wake.c). */
	_Atomic uint64_t changes;
	_Atomic int waiters;       /* threads waiting on it */
	char unlink_path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* removed on close */
};

/* The host a plugin was opened with (allocator, error notes). */
void sock_set_host(const struct ifplex_host *h);
extern const struct ifplex_host *sock_host;

/* sock_sockaddr.c: endpoints to and from socket addresses. */
int sock_to_sockaddr(const struct ifplex_netaddr *a, int family, struct sockaddr_storage *ss,
		      socklen_t *len);
int sock_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct ifplex_netaddr *out);
/* The address family a conversation uses, as Go's favoriteAddrFamily. */
int sock_family(const struct ifplex_sockspec *spec, int listening);

/* sock_wake.c: threads waiting on a conversation, and waking them. */
struct sock_waiter;
/* Whether a call may block in the kernel: a signal can end it early. */
int sock_blocking_ok(void);
/* Register the calling thread as waiting on c (NULL without memory: it
 * then waits unregistered, and sees changes when its wait ends). */
struct sock_waiter *sock_wait_begin(ifplex_bconn *c);
/* Note the latest change of c before looking at its deadlines again. */
void sock_wait_renew(ifplex_bconn *c, struct sock_waiter *w);
void sock_wait_end(ifplex_bconn *c, struct sock_waiter *w);
/* The waiter's wakeup to poll beside the socket (-1 when signals are
 * used); after it was readable, take its token. */
int sock_wait_fd(const struct sock_waiter *w);
void sock_wait_take(struct sock_waiter *w);
/* Wake every thread waiting on c that has not seen change gen. */
void sock_wake(ifplex_bconn *c, uint64_t gen);

/* sock_wait.c: calls that wait for readiness, under absolute deadlines
 * (CLOCK_MONOTONIC) that other threads may change or Close may end. */
int sock_wait(int fd, short events, int64_t deadline);
/* Before a call on c that may wait for events (POLLIN: read, POLLOUT:
 * write): the flags to make it with, 0 (no deadline: it blocks in the
 * kernel, the one system call POSIX makes, registered in *w) or
 * MSG_DONTWAIT (a deadline: it must not block); or IFPLEX_ETIMEDOUT once
 * the live deadline passed, IFPLEX_ECLOSED once Close interrupted c. */
int sock_call_begin(ifplex_bconn *c, short events, struct sock_waiter **w);
void sock_call_end(ifplex_bconn *c, struct sock_waiter *w);
/* After a call on c failed with errno: 0 to make it again (EINTR, or
 * ready after waiting for events until the live deadline), else the error
 * to return (IFPLEX_ETIMEDOUT when the deadline passes, even if it is
 * changed while waiting; IFPLEX_ECLOSED once Close interrupted it). */
int sock_again(ifplex_bconn *c, short events, const char *syscall);
/* Wait until c is ready for events, under its live deadline. */
int sock_wait_conn(ifplex_bconn *c, short events);
/* Whether c's live deadline for events has passed. */
int sock_expired(ifplex_bconn *c, short events);
int sock_set_deadline(ifplex_bconn *c, int which, int64_t deadline);
/* The backend's poll slot: readiness of c's descriptor, woken by Close. */
int sock_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents);
int sock_deadline_passed(int64_t deadline);

/* sock_opts.c: bind to an interface by name (Linux SO_BINDTODEVICE, Darwin
 * IP_BOUND_IF/IPV6_BOUND_IF, else IFPLEX_ENOTSUP); names that do not fit
 * IFNAMSIZ are refused rather than cut. */
int sock_bind_device(int fd, int family, const char *device);

/* The deadline arguments below equal the copies sock_set_deadline keeps;
 * the live copies are what waits use, so that a change reaches calls that
 * are already blocked, as in Go. */
int sock_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int sock_listen(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int sock_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int sock_accept(ifplex_bconn *l, int64_t deadline, ifplex_bconn **out);
int sock_close(ifplex_bconn *c);
int sock_interrupt(ifplex_bconn *c);
int sock_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n);
int sock_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n);
int sock_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int sock_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int sock_read_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
int sock_write_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
int sock_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int sock_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int sock_set_option(ifplex_bconn *c, int option, int64_t value);
int sock_join_group(ifplex_bconn *c, const struct ifplex_ip *group, int ifindex, int join);
int sock_close_write(ifplex_bconn *c);
int sock_conn_fd(ifplex_bconn *c, intptr_t *fd);
uint64_t sock_conn_caps(ifplex_bconn *c);

int sock_lookup_ip(void *state, const char *host, int family, struct ifplex_ip **list, size_t *count);
int sock_lookup_port(void *state, int kind, const char *service, int *port);
int sock_lookup_addr(void *state, const struct ifplex_ip *ip, char ***names, size_t *count);
int sock_lookup_cname(void *state, const char *host, char *buf, size_t len);
int sock_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count);
int sock_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count);

#define SOCK_BACKEND_CAPS                                                                  \
	(IFPLEX_CAP_TCP | IFPLEX_CAP_UDP | IFPLEX_CAP_RAWIP | IFPLEX_CAP_UNIX |             \
	 IFPLEX_CAP_FDPASS | IFPLEX_CAP_DEADLINES | IFPLEX_CAP_MCAST_JOIN | IFPLEX_CAP_BATCH | \
	 IFPLEX_CAP_FD | IFPLEX_CAP_LOOKUP | IFPLEX_CAP_LOOKUP_DNS | IFPLEX_CAP_POLL)

/* The socket and lookup slots of a struct ifplex_backend initializer. */
#define SOCK_BACKEND_OPS                                                          \
	.dial = sock_dial, .listen = sock_listen, .listen_packet = sock_listen_packet, \
	.accept = sock_accept, .close_conn = sock_close, .read = sock_read,        \
	.write = sock_write, .read_msg = sock_read_msg, .write_msg = sock_write_msg, \
	.read_batch = sock_read_batch, .write_batch = sock_write_batch,             \
	.local_addr = sock_local_addr, .remote_addr = sock_remote_addr,             \
	.set_option = sock_set_option, .join_group = sock_join_group,               \
	.close_write = sock_close_write, .conn_fd = sock_conn_fd,                   \
	.wait_fd = sock_conn_fd, .conn_caps = sock_conn_caps,                       \
	.interrupt = sock_interrupt, .set_deadline = sock_set_deadline, .lookup_ip = sock_lookup_ip,                   \
	.lookup_port = sock_lookup_port, .lookup_addr = sock_lookup_addr,           \
	.lookup_cname = sock_lookup_cname, .lookup_srv = sock_lookup_srv,           \
	.lookup_mx = sock_lookup_mx, .poll = sock_poll

#endif
