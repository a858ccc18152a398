/* SPDX-License-Identifier: MIT */
/* The Linux part of the socket layer: one system call where POSIX needs
 * two or a loop (eventfd, accept4, SOCK_NONBLOCK|SOCK_CLOEXEC,
 * recvmmsg/sendmmsg, MSG_CMSG_CLOEXEC, ip_mreqn). */
#define _GNU_SOURCE
#include "sock_os.h"

#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

_Static_assert(sizeof(struct sock_mmsg) == sizeof(struct mmsghdr) &&
		       offsetof(struct sock_mmsg, len) == offsetof(struct mmsghdr, msg_len),
	       "struct sock_mmsg must match struct mmsghdr");

int sock_os_socket(int family, int type, int proto, int nonblock)
{
	return socket(family, type | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), proto);
}

int sock_os_accept(int fd)
{
	/* Linux's accept does not pass the listener's O_NONBLOCK on. */
	return accept4(fd, NULL, NULL, SOCK_CLOEXEC);
}

ssize_t sock_os_recvmsg(int fd, struct msghdr *h, int flags)
{
	return recvmsg(fd, h, flags | MSG_CMSG_CLOEXEC);
}

ssize_t sock_os_recvfrom(int fd, int datagram, void *buf, size_t len, int flags, struct sockaddr *sa,
			 socklen_t *salen, int *cut)
{
	/* On a stream MSG_TRUNC would throw the bytes away. */
	ssize_t r = recvfrom(fd, buf, len, flags | (datagram ? MSG_TRUNC : 0), sa, sa ? salen : NULL);

	*cut = r > 0 && (size_t)r > len;
	return *cut ? (ssize_t)len : r;
}

const char *const sock_os_batch_call[2] = {"recvmmsg", "sendmmsg"};

int sock_os_recv_batch(int fd, struct sock_mmsg *v, unsigned count, int flags)
{
	return recvmmsg(fd, (struct mmsghdr *)v, count, flags | (flags & MSG_DONTWAIT ? 0 : MSG_WAITFORONE) | MSG_CMSG_CLOEXEC,
			NULL);
}

int sock_os_send_batch(int fd, struct sock_mmsg *v, unsigned count, int flags)
{
	return sendmmsg(fd, (struct mmsghdr *)v, count, flags | MSG_NOSIGNAL);
}

int sock_os_join4(int fd, const uint8_t group[4], int ifindex, int join)
{
	struct ip_mreqn mr = {.imr_ifindex = ifindex};

	memcpy(&mr.imr_multiaddr, group, 4);
	if (setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mr, sizeof mr) < 0)
		return -1;
	if (join && ifindex)
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr);
	return 0;
}

int sock_os_wake_open(int *rfd, int *wfd)
{
	int fd = eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0)
		return -1;
	*rfd = *wfd = fd;
	return 0;
}

int sock_os_wake_post(int wfd, unsigned n)
{
	uint64_t tokens = n;

	return write(wfd, &tokens, sizeof tokens) < 0 ? -1 : 0;
}

void sock_os_wake_take(int rfd)
{
	uint64_t token;

	if (read(rfd, &token, sizeof token) < 0) {
		/* another waiter took it */
	}
}

void sock_os_wake_close(int rfd, int wfd)
{
	(void)wfd;
	close(rfd);
}
