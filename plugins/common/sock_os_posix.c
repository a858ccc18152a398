/* SPDX-License-Identifier: MIT */
/* The portable part of the socket layer, for every POSIX system (the BSDs
 * and macOS) and for Linux built with --enable-portable-sockets: fcntl
 * after socket and accept, loops of recvmsg/sendmsg for batches, a pipe
 * for wakeups, and IPv4 groups joined through the interface's address
 * (struct ip_mreq), which is all OpenBSD and NetBSD offer. */
#include "sock_os.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

/* Close-on-exec, and non-blocking when asked (blocking when not, since a
 * BSD accept passes the listener's O_NONBLOCK on).  Between the call that
 * made fd and this one a fork in another thread may inherit fd: the price
 * of systems without SOCK_CLOEXEC. */
static int set_flags(int fd, int cloexec, int nonblock)
{
	int fl;

	if (cloexec && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	if ((fl = fcntl(fd, F_GETFL)) < 0)
		return -1;
	if (!!(fl & O_NONBLOCK) != !!nonblock && fcntl(fd, F_SETFL, nonblock ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
		return -1;
	return 0;
}

/* macOS has no MSG_NOSIGNAL: the socket itself must not raise SIGPIPE. */
static int no_sigpipe(int fd)
{
#if !defined(MSG_NOSIGNAL) && defined(SO_NOSIGPIPE)
	int one = 1;
	return setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#else
	(void)fd;
	return 0;
#endif
}

static int finish(int fd, int cloexec, int nonblock)
{
	if (fd < 0)
		return -1;
	if ((cloexec >= 0 && set_flags(fd, cloexec, nonblock) < 0) || no_sigpipe(fd) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int sock_os_socket(int family, int type, int proto, int nonblock)
{
#if defined(SOCK_CLOEXEC) && defined(SOCK_NONBLOCK)
	/* The BSDs have socket's flags (macOS does not): no fcntl. */
	return finish(socket(family, type | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), proto), -1, 0);
#else
	return finish(socket(family, type, proto), 1, nonblock);
#endif
}

int sock_os_accept(int fd)
{
	return finish(accept(fd, NULL, NULL), 1, 0);
}

ssize_t sock_os_recvmsg(int fd, struct msghdr *h, int flags)
{
	ssize_t r = recvmsg(fd, h, flags);

	if (r < 0 || !h->msg_control || h->msg_controllen < sizeof(struct cmsghdr))
		return r;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(h); cm; cm = CMSG_NXTHDR(h, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len < CMSG_LEN(0))
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		const unsigned char *data = CMSG_DATA(cm);
		for (size_t i = 0; i < k; i++) {
			int rfd;
			memcpy(&rfd, data + i * sizeof rfd, sizeof rfd);
			fcntl(rfd, F_SETFD, FD_CLOEXEC);
		}
	}
	return r;
}

/* What recvmmsg and sendmmsg do: stop at the first failure, report it only
 * when nothing moved (the next call meets it again). */
static int batch(int fd, struct sock_mmsg *v, unsigned count, int sending, int flags)
{
	unsigned i;

	for (i = 0; i < count; i++) {
		/* A receive waits for its first datagram only. */
		int f = !sending && i > 0 ? flags | MSG_DONTWAIT : flags;
		ssize_t r = sending ? sendmsg(fd, &v[i].hdr, f | SOCK_NOSIGNAL) : sock_os_recvmsg(fd, &v[i].hdr, f);
		if (r < 0)
			break;
		v[i].len = (unsigned)r;
	}
	return i > 0 ? (int)i : -1;
}

ssize_t sock_os_recvfrom(int fd, int datagram, void *buf, size_t len, int flags, struct sockaddr *sa,
			 socklen_t *salen, int *cut)
{
	*cut = 0;
	if (!datagram)
		return recvfrom(fd, buf, len, flags, sa, sa ? salen : NULL);
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr h = {.msg_name = sa, .msg_namelen = sa ? *salen : 0, .msg_iov = &iov, .msg_iovlen = 1};
	ssize_t r = recvmsg(fd, &h, flags);
	if (r >= 0) {
		*cut = (h.msg_flags & MSG_TRUNC) != 0;
		if (sa)
			*salen = h.msg_namelen;
	}
	return r;
}

const char *const sock_os_batch_call[2] = {"recvmsg", "sendmsg"};

int sock_os_recv_batch(int fd, struct sock_mmsg *v, unsigned count, int flags)
{
	return batch(fd, v, count, 0, flags);
}

int sock_os_send_batch(int fd, struct sock_mmsg *v, unsigned count, int flags)
{
	return batch(fd, v, count, 1, flags);
}

/* The first IPv4 address of interface ifindex, as Go's
 * setIPv4MreqToInterface finds it. */
static int iface_addr4(int ifindex, struct in_addr *out)
{
	char name[IF_NAMESIZE];
	struct ifaddrs *all;
	int found = 0;

	if (!if_indextoname((unsigned)ifindex, name))
		return -1;
	if (getifaddrs(&all) < 0)
		return -1;
	for (struct ifaddrs *a = all; a && !found; a = a->ifa_next) {
		if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET && strcmp(a->ifa_name, name) == 0) {
			*out = ((const struct sockaddr_in *)(const void *)a->ifa_addr)->sin_addr;
			found = 1;
		}
	}
	freeifaddrs(all);
	if (!found)
		errno = EADDRNOTAVAIL;
	return found ? 0 : -1;
}

int sock_os_join4(int fd, const uint8_t group[4], int ifindex, int join)
{
	struct ip_mreq mr;

	memset(&mr, 0, sizeof mr);
	memcpy(&mr.imr_multiaddr, group, 4);
	if (ifindex && iface_addr4(ifindex, &mr.imr_interface) < 0)
		return -1;
	if (setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mr, sizeof mr) < 0)
		return -1;
	if (join && ifindex)
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr.imr_interface, sizeof mr.imr_interface);
	return 0;
}

int sock_os_wake_open(int *rfd, int *wfd)
{
	int p[2];

	if (pipe(p) < 0)
		return -1;
	if (set_flags(p[0], 1, 1) < 0 || set_flags(p[1], 1, 1) < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		errno = e;
		return -1;
	}
	*rfd = p[0];
	*wfd = p[1];
	return 0;
}

int sock_os_wake_post(int wfd, unsigned n)
{
	unsigned char tokens[64];

	memset(tokens, 1, sizeof tokens);
	while (n > 0) {
		size_t k = n < sizeof tokens ? n : sizeof tokens;
		ssize_t w = write(wfd, tokens, k);
		if (w < 0)
			/* A full pipe already wakes every waiter. */
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		n -= (unsigned)w;
	}
	return 0;
}

void sock_os_wake_take(int rfd)
{
	unsigned char token;

	if (read(rfd, &token, 1) < 0) {
		/* another waiter took it */
	}
}

void sock_os_wake_close(int rfd, int wfd)
{
	close(rfd);
	close(wfd);
}
