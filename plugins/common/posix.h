/* The POSIX socket and resolver layer shared by the netlink and routesock
 * plugins (as Go's *_posix.go files are shared). */
#ifndef IFPLEX_COMMON_POSIX_H
#define IFPLEX_COMMON_POSIX_H

#include <ifplex/backend.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stdatomic.h>

struct ifplex_bconn {
	int fd;
	int family;                /* AF_INET, AF_INET6, AF_UNIX */
	int type;                  /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW */
	int listener;
	_Atomic int closing;       /* set by interrupt: blocked calls give up */
	/* Deadlines as the core last set them (0 read, 1 write), read live by
	 * waiting calls; a change wakes them through wakefd, an EFD_SEMAPHORE
	 * eventfd made on the first wait, one token per waiter. */
	_Atomic int64_t deadline[2];
	_Atomic int wakefd;
	_Atomic int waiters;
	/* The last read had to wait: wait first next time (one system call
	 * fewer for request-response traffic than trying, failing, waiting). */
	_Atomic int read_waits;
	char unlink_path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* removed on close */
};

/* The host a plugin was opened with (allocator, error notes). */
void posix_set_host(const struct ifplex_host *h);
extern const struct ifplex_host *posix_host;

/* posix_sockaddr.c: endpoints to and from socket addresses. */
int posix_to_sockaddr(const struct ifplex_netaddr *a, int family, struct sockaddr_storage *ss,
		      socklen_t *len);
int posix_from_sockaddr(const struct sockaddr *sa, socklen_t len, struct ifplex_netaddr *out);
/* The address family a conversation uses, as Go's favoriteAddrFamily. */
int posix_family(const struct ifplex_sockspec *spec, int listening);

/* posix_wait.c: wait for readiness until an absolute CLOCK_MONOTONIC deadline. */
int posix_wait(int fd, short events, int64_t deadline);
/* The same for a conversation, under its live deadline for events
 * (POLLIN: read, POLLOUT: write): IFPLEX_ETIMEDOUT when it passes, even if
 * it is changed while waiting; IFPLEX_ECLOSED once Close interrupted it. */
int posix_wait_conn(ifplex_bconn *c, short events);
/* Whether c's live deadline for events has passed. */
int posix_expired(ifplex_bconn *c, short events);
/* After a call on c failed with errno: 0 to try again (EINTR, or ready
 * after waiting for events), else the error to return. */
int posix_again(ifplex_bconn *c, short events, const char *syscall);
/* Before a read: wait for data first when the last read had to (0, or an
 * error such as a timeout). */
int posix_read_prewait(ifplex_bconn *c);
/* After a read: note whether it had to wait (errno EAGAIN) or not. */
void posix_read_note(ifplex_bconn *c, int waited);
int posix_set_deadline(ifplex_bconn *c, int which, int64_t deadline);
/* The backend's poll slot: readiness of c's descriptor, woken by Close. */
int posix_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents);
int posix_deadline_passed(int64_t deadline);

/* The deadline arguments below equal the copies posix_set_deadline keeps;
 * the live copies are what waits use, so that a change reaches calls that
 * are already blocked, as in Go. */
int posix_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int posix_listen(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int posix_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int posix_accept(ifplex_bconn *l, int64_t deadline, ifplex_bconn **out);
int posix_close(ifplex_bconn *c);
int posix_interrupt(ifplex_bconn *c);
int posix_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n);
int posix_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n);
int posix_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int posix_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int posix_read_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
int posix_write_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
int posix_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int posix_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int posix_set_option(ifplex_bconn *c, int option, int64_t value);
int posix_join_group(ifplex_bconn *c, const struct ifplex_ip *group, int ifindex, int join);
int posix_close_write(ifplex_bconn *c);
int posix_conn_fd(ifplex_bconn *c, intptr_t *fd);
uint64_t posix_conn_caps(ifplex_bconn *c);

int posix_lookup_ip(void *state, const char *host, int family, struct ifplex_ip **list, size_t *count);
int posix_lookup_port(void *state, int kind, const char *service, int *port);
int posix_lookup_addr(void *state, const struct ifplex_ip *ip, char ***names, size_t *count);
int posix_lookup_cname(void *state, const char *host, char *buf, size_t len);
int posix_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count);
int posix_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count);

#define POSIX_SOCKET_CAPS                                                                  \
	(IFPLEX_CAP_TCP | IFPLEX_CAP_UDP | IFPLEX_CAP_RAWIP | IFPLEX_CAP_UNIX |             \
	 IFPLEX_CAP_FDPASS | IFPLEX_CAP_DEADLINES | IFPLEX_CAP_MCAST_JOIN | IFPLEX_CAP_BATCH | \
	 IFPLEX_CAP_FD | IFPLEX_CAP_LOOKUP | IFPLEX_CAP_LOOKUP_DNS | IFPLEX_CAP_POLL)

/* The socket and lookup slots of a struct ifplex_backend initializer. */
#define POSIX_SOCKET_OPS                                                          \
	.dial = posix_dial, .listen = posix_listen, .listen_packet = posix_listen_packet, \
	.accept = posix_accept, .close_conn = posix_close, .read = posix_read,        \
	.write = posix_write, .read_msg = posix_read_msg, .write_msg = posix_write_msg, \
	.read_batch = posix_read_batch, .write_batch = posix_write_batch,             \
	.local_addr = posix_local_addr, .remote_addr = posix_remote_addr,             \
	.set_option = posix_set_option, .join_group = posix_join_group,               \
	.close_write = posix_close_write, .conn_fd = posix_conn_fd,                   \
	.wait_fd = posix_conn_fd, .conn_caps = posix_conn_caps,                       \
	.interrupt = posix_interrupt, .set_deadline = posix_set_deadline, .lookup_ip = posix_lookup_ip,                   \
	.lookup_port = posix_lookup_port, .lookup_addr = posix_lookup_addr,           \
	.lookup_cname = posix_lookup_cname, .lookup_srv = posix_lookup_srv,           \
	.lookup_mx = posix_lookup_mx, .poll = posix_poll

#endif
