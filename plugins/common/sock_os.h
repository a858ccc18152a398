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
/* The next connection of a listener, non-blocking and close-on-exec. */
int sock_os_accept(int fd);
/* recvmsg(2) whose received descriptors are close-on-exec. */
ssize_t sock_os_recvmsg(int fd, struct msghdr *h);
/* Up to count datagrams in or out; how many moved (at least 1), else -1
 * with errno of the first (EAGAIN when none was ready). */
int sock_os_recv_batch(int fd, struct sock_mmsg *v, unsigned count);
int sock_os_send_batch(int fd, struct sock_mmsg *v, unsigned count);
/* The system calls behind them, for error texts: receive, send. */
extern const char *const sock_os_batch_call[2];
/* Join or leave an IPv4 group on interface ifindex (0: the system's
 * choice); a join also sends on that interface, as Go does. */
int sock_os_join4(int fd, const uint8_t group[4], int ifindex, int join);

/* Wakeups for blocked waits: a counting semaphore whose read side poll(2)
 * can watch.  rfd and wfd may be the same descriptor (eventfd). */
int sock_os_wake_open(int *rfd, int *wfd);
/* Leave n tokens (at least one waiter wakes per token). */
int sock_os_wake_post(int wfd, unsigned n);
/* Take one token, if any is left. */
void sock_os_wake_take(int rfd);
void sock_os_wake_close(int rfd, int wfd);

#endif
