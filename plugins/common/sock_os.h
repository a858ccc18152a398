/* SPDX-License-Identifier: MIT */
/* What the socket layer does differently per OS, chosen at build time:
 * sock_os_linux.c (eventfd, accept4, socket flags, recvmmsg/sendmmsg,
 * MSG_CMSG_CLOEXEC, ip_mreqn) or sock_os_posix.c (pipes, fcntl, loops of
 * recvmsg/sendmsg, getifaddrs), the one every BSD and macOS builds and
 * that Linux builds with --enable-portable-sockets.  Each returns 0 or a
 * descriptor or count, else -1 with errno, as the system calls do. */
#ifndef IFPLEX_COMMON_SOCK_OS_H
#define IFPLEX_COMMON_SOCK_OS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Sends never raise SIGPIPE: MSG_NOSIGNAL where it exists; elsewhere
 * (macOS) every socket carries SO_NOSIGPIPE from sock_os_socket. */
#ifdef MSG_NOSIGNAL
#  define SOCK_NOSIGNAL MSG_NOSIGNAL
#else
#  define SOCK_NOSIGNAL 0
#endif

/* One message of a batch: Linux's struct mmsghdr, field for field, so
 * that the Linux part hands the array to the kernel as it is. */
struct sock_mmsg {
	struct msghdr hdr;
	unsigned len;      /* bytes moved */
};

/* A close-on-exec socket, non-blocking when nonblock is set. */
int sock_os_socket(int family, int type, int proto, int nonblock);
/* The next connection of a listener, close-on-exec and blocking. */
int sock_os_accept(int fd);
/* recvmsg(2) with flags (0 or MSG_DONTWAIT) whose received descriptors
 * are close-on-exec. */
ssize_t sock_os_recvmsg(int fd, struct msghdr *h, int flags);
/* A read without control data: recvfrom(2) with flags (0 or
 * MSG_DONTWAIT), the sender into sa when it is not NULL, and *cut set when
 * a datagram did not fit (Linux asks for its whole length with MSG_TRUNC;
 * elsewhere only recvmsg's flags tell).  Returns the bytes stored. */
ssize_t sock_os_recvfrom(int fd, int datagram, void *buf, size_t len, int flags, struct sockaddr *sa,
			 socklen_t *salen, int *cut);
/* Up to count datagrams in or out, with flags (0 or MSG_DONTWAIT); how
 * many moved (at least 1), else -1 with errno of the first (EAGAIN when
 * none was ready).  A receive without MSG_DONTWAIT blocks for the first
 * datagram only, then takes what is there. */
int sock_os_recv_batch(int fd, struct sock_mmsg *v, unsigned count, int flags);
int sock_os_send_batch(int fd, struct sock_mmsg *v, unsigned count, int flags);
/* The system calls behind them, for error texts: receive, send. */
extern const char *const sock_os_batch_call[2];
/* Join or leave an IPv4 group on interface ifindex (0: the system's
 * choice); a join also sends on that interface, as Go does. */
int sock_os_join4(int fd, const uint8_t group[4], int ifindex, int join);

/* A thread's wakeup for its waits where signals cannot end them
 * (sock_wake.c): a counting semaphore whose read side poll(2) can watch.
 * rfd and wfd may be the same descriptor (eventfd). */
int sock_os_wake_open(int *rfd, int *wfd);
/* Leave n tokens (at least one waiter wakes per token). */
int sock_os_wake_post(int wfd, unsigned n);
/* Take one token, if any is left. */
void sock_os_wake_take(int rfd);
void sock_os_wake_close(int rfd, int wfd);

#endif
