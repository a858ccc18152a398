/* SPDX-License-Identifier: MIT */
/* Conversations of p9emu over real sockets, with the kernel's semantics:
 * devip.c's connect and announce (setraddrport, setladdrport and their
 * error texts), tcp.c's ctl messages (hangup resets, 9front's close,
 * keepalive), udp.c's headers mode, and an err file nothing writes to. */
#define _GNU_SOURCE
#include "p9emu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSPTICK 50        /* tcp.c: milliseconds per timer tick */
#define DEF_KAT 120000    /* tcp.c: default keep-alive period (ms) */

enum state { Idle, Announced, Connected };

struct conv {
	int used, fd, refs, headers, hungup;
	enum state state;
	int katimer_start, katimer_count;  /* tcp.c's keep-alive timer, in ticks */
};
static struct conv convs[NPROTO][MAXCONV];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

int conv_exists(int proto, int c)
{
	return c >= 0 && c < MAXCONV && convs[proto][c].used;
}

static int new_conv(int proto, int fd, enum state st)
{
	pthread_mutex_lock(&lock);
	for (int c = 0; c < MAXCONV; c++)
		if (!convs[proto][c].used) {
			convs[proto][c] = (struct conv){.used = 1, .fd = fd, .refs = 1, .state = st,
							.katimer_start = DEF_KAT / MSPTICK};
			pthread_mutex_unlock(&lock);
			return c;
		}
	pthread_mutex_unlock(&lock);
	return -ENFILE;
}

int conv_clone(int proto)
{
	return new_conv(proto, -1, Idle);
}

int conv_listen(int proto, int c)
{
	pthread_mutex_lock(&lock);
	struct conv *v = &convs[proto][c];
	int lfd = v->state == Announced && !v->hungup ? v->fd : -1;
	pthread_mutex_unlock(&lock);
	if (lfd < 0)
		return -EINVAL; /* "not announced" */
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return -errno; /* "listen hungup" when the announcer went */
	int n = new_conv(proto, fd, Connected);
	if (n < 0)
		close(fd);
	return n;
}

void conv_ref(int proto, int c)
{
	pthread_mutex_lock(&lock);
	convs[proto][c].refs++;
	pthread_mutex_unlock(&lock);
}

/* The last close ends the call gracefully (tcpclose: FIN after the data). */
void conv_unref(int proto, int c)
{
	pthread_mutex_lock(&lock);
	struct conv *v = &convs[proto][c];
	if (--v->refs == 0) {
		if (v->fd >= 0)
			close(v->fd);
		memset(v, 0, sizeof *v);
	}
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
}

/* The kernel's reader would wait for ever; FUSE cannot interrupt a read
 * once sent, so a test that reads err would hang rather than fail.  After
 * ERR_PATIENCE seconds the read fails instead, and says why on stderr. */
#define ERR_PATIENCE 15

int conv_wait_err(int proto, int c)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ERR_PATIENCE;
	pthread_mutex_lock(&lock);
	struct conv *v = &convs[proto][c];
	while (!v->hungup && v->refs > 1 && rc == 0)
		rc = pthread_cond_timedwait(&changed, &lock, &until);
	pthread_mutex_unlock(&lock);
	if (rc == 0)
		return 0;
	fprintf(stderr, "p9emu: %s/%d/err read: it blocks until the call ends, on Plan 9 for ever\n",
		protos[proto], c);
	return -EDEADLK;
}

/* The kernel's text for a socket error of connect. */
static const char *call_error(int e)
{
	switch (e) {
	case ECONNREFUSED:
	case ECONNRESET:
		return "connection refused";
	case ETIMEDOUT:
		return "connection timed out";
	case ENETUNREACH:
	case EHOSTUNREACH:
		return "no route";
	default:
		return "i/o error";
	}
}

/* parseip(): text into a socket address (v4 mapped); 0 or -1. */
static int parse_ip(const char *s, struct sockaddr_in6 *sa)
{
	struct in_addr a4;

	memset(sa, 0, sizeof *sa);
	sa->sin6_family = AF_INET6;
	if (inet_pton(AF_INET, s, &a4) == 1) {
		sa->sin6_addr.s6_addr[10] = sa->sin6_addr.s6_addr[11] = 0xff;
		memcpy(sa->sin6_addr.s6_addr + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, s, &sa->sin6_addr) == 1 ? 0 : -1;
}

static int new_socket(int proto)
{
	int zero = 0, one = 1;
	int fd = socket(AF_INET6, (proto == TCP ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	return fd;
}

/* setraddrport(): "addr!port[!r]" with an address. */
static const char *do_connect(int proto, struct conv *v, char *arg)
{
	struct sockaddr_in6 sa;
	char *bang = strchr(arg, '!');

	if (v->state != Idle)
		return "connection in use";
	if (!bang)
		return "malformed address";
	*bang = '\0';
	if (parse_ip(arg, &sa) < 0)
		return "bad ip address syntax";
	sa.sin6_port = htons((uint16_t)atoi(bang + 1));
	int fd = new_socket(proto);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		close(fd);
		return call_error(e);
	}
	v->fd = fd;
	v->state = Connected;
	return NULL;
}

/* setladdrport(): "[addr!]port"; "*" or no address is every address, a
 * literal must be one of ours (ipforme), which 0.0.0.0 and :: are not. */
static const char *do_announce(int proto, struct conv *v, char *arg)
{
	struct sockaddr_in6 sa;
	char *bang = strchr(arg, '!'), *port = arg;

	if (v->state != Idle)
		return "connection in use";
	memset(&sa, 0, sizeof sa);
	sa.sin6_family = AF_INET6;
	if (bang) {
		*bang = '\0';
		port = bang + 1;
		if (strcmp(arg, "*") != 0) {
			static const uint8_t any4[16] = {[10] = 0xff, [11] = 0xff};
			if (parse_ip(arg, &sa) < 0)
				return "bad ip address syntax";
			if (IN6_IS_ADDR_UNSPECIFIED(&sa.sin6_addr) || memcmp(&sa.sin6_addr, any4, 16) == 0)
				return "not a local IP address";
		}
	}
	sa.sin6_port = htons((uint16_t)atoi(port));
	int fd = new_socket(proto);
	int r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	if (r == 0 && proto == TCP)
		r = listen(fd, 64);
	if (r < 0) {
		int e = errno;
		close(fd);
		return e == EADDRINUSE ? "address in use" : "not a local IP address";
	}
	v->fd = fd;
	v->state = Announced;
	return NULL;
}

/* tcphangup(): a reset to the peer, unsent data dropped. */
static void hangup(struct conv *v)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	if (v->fd >= 0) {
		setsockopt(v->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		close(v->fd);
		v->fd = -1;
	}
	v->hungup = 1;
}

/* tcpstartka(): "keepalive [ms]"; a period under a tick keeps the timer's. */
static const char *keepalive(struct conv *v, const char *ms)
{
	int one = 1;

	if (v->state != Connected)
		return "connection must be in Establised state";
	if (ms && atoi(ms) >= MSPTICK)
		v->katimer_start = atoi(ms) / MSPTICK;
	v->katimer_count = v->katimer_start;
	setsockopt(v->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
	return NULL;
}

const char *conv_ctl(int proto, int c, const char *msg)
{
	char buf[256], *f[4];
	int nf = 0;
	const char *err = NULL;

	snprintf(buf, sizeof buf, "%s", msg);
	for (char *save, *t = strtok_r(buf, " \t\n", &save); t && nf < 4; t = strtok_r(NULL, " \t\n", &save))
		f[nf++] = t;
	if (nf == 0)
		return "short control request";
	pthread_mutex_lock(&lock);
	struct conv *v = &convs[proto][c];
	if (strcmp(f[0], "connect") == 0)
		err = nf >= 2 ? do_connect(proto, v, f[1]) : "bad args to connect";
	else if (strcmp(f[0], "announce") == 0)
		err = nf == 2 ? do_announce(proto, v, f[1]) : "bad args to announce";
	else if (strcmp(f[0], "ttl") == 0 || strcmp(f[0], "tos") == 0)
		err = NULL;
	else if (proto == UDP && nf == 1 && strcmp(f[0], "headers") == 0)
		v->headers = 1;
	else if (proto == UDP && nf == 1 && strcmp(f[0], "hangup") == 0 && edition.ninefront)
		v->hungup = 1;
	else if (proto == TCP && nf == 1 && strcmp(f[0], "hangup") == 0)
		hangup(v);
	else if (proto == TCP && nf == 1 && strcmp(f[0], "close") == 0 && edition.ninefront) {
		if (v->fd >= 0)
			shutdown(v->fd, SHUT_RDWR); /* tcpclose: FIN, reads end */
		v->hungup = 1;
	} else if (proto == TCP && strcmp(f[0], "keepalive") == 0)
		err = keepalive(v, nf > 1 ? f[1] : NULL);
	else
		err = "unknown control request";
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	return err;
}

static int conv_fd(int proto, int c, int *headers)
{
	pthread_mutex_lock(&lock);
	int fd = convs[proto][c].hungup ? -1 : convs[proto][c].fd;
	*headers = convs[proto][c].headers;
	pthread_mutex_unlock(&lock);
	return fd;
}

long conv_read_data(int proto, int c, char *buf, size_t size)
{
	int headers, fd = conv_fd(proto, c, &headers);

	if (fd < 0)
		return 0; /* hung up: the end of the call */
	if (!headers) {
		ssize_t r = recv(fd, buf, size, 0);
		return r < 0 ? -errno : r;
	}
	/* headers mode: raddr, laddr, ifcaddr (16 bytes each), rport, lport */
	unsigned char pkt[65536 + 52];
	struct sockaddr_in6 from, me;
	socklen_t fl = sizeof from, ml = sizeof me;
	ssize_t r = recvfrom(fd, pkt + 52, sizeof pkt - 52, 0, (struct sockaddr *)&from, &fl);
	if (r < 0)
		return -errno;
	getsockname(fd, (struct sockaddr *)&me, &ml);
	memcpy(pkt, &from.sin6_addr, 16);
	memcpy(pkt + 16, &me.sin6_addr, 16);
	memcpy(pkt + 32, &me.sin6_addr, 16);
	memcpy(pkt + 48, &from.sin6_port, 2);
	memcpy(pkt + 50, &me.sin6_port, 2);
	size_t total = (size_t)r + 52 < size ? (size_t)r + 52 : size;
	memcpy(buf, pkt, total);
	return (long)total;
}

long conv_write_data(int proto, int c, const char *buf, size_t size)
{
	int headers, fd = conv_fd(proto, c, &headers);

	if (fd < 0)
		return -EPIPE; /* "write to hungup stream" */
	if (!headers) {
		ssize_t w = send(fd, buf, size, MSG_NOSIGNAL);
		return w < 0 ? -errno : w;
	}
	if (size < 52)
		return -EINVAL;
	struct sockaddr_in6 to = {.sin6_family = AF_INET6};
	memcpy(&to.sin6_addr, buf, 16);
	memcpy(&to.sin6_port, buf + 48, 2);
	ssize_t w = sendto(fd, buf + 52, size - 52, 0, (struct sockaddr *)&to, sizeof to);
	return w < 0 ? -errno : (long)size;
}

/* "%I!%d\n" of an end of the socket; "::!0" when there is none. */
static int endpoint(int fd, int peer, char *buf, size_t len)
{
	struct sockaddr_in6 sa;
	socklen_t sl = sizeof sa;
	char ip[INET6_ADDRSTRLEN];

	if (fd < 0 || (peer ? getpeername(fd, (struct sockaddr *)&sa, &sl) : getsockname(fd, (struct sockaddr *)&sa, &sl)) < 0)
		return snprintf(buf, len, "::!0\n");
	if (IN6_IS_ADDR_V4MAPPED(&sa.sin6_addr))
		inet_ntop(AF_INET, sa.sin6_addr.s6_addr + 12, ip, sizeof ip);
	else
		inet_ntop(AF_INET6, &sa.sin6_addr, ip, sizeof ip);
	return snprintf(buf, len, "%s!%d\n", ip, ntohs(sa.sin6_port));
}

int conv_text(int proto, int c, const char *file, char *buf, size_t len)
{
	pthread_mutex_lock(&lock);
	struct conv v = convs[proto][c];
	pthread_mutex_unlock(&lock);
	if (strcmp(file, "local") == 0 || strcmp(file, "remote") == 0)
		return endpoint(v.fd, file[0] == 'r', buf, len);
	if (proto == UDP) /* udpstate */
		return snprintf(buf, len, "%s qin 0 qout 0\n", v.fd >= 0 ? "Open" : "Closed");
	/* tcpstate, with the fields p9emu keeps: the state and keep-alive
	 * timer; the rest are zero */
	const char *st = v.hungup || v.fd < 0 ? "Closed" : v.state == Announced ? "Listen" : "Established";
	return snprintf(buf, len,
			"%s qin 0 qout 0 rq 0.0 srtt 0 mdev 0 sst 0 cwin 0 swin 0>>0 rwin 0>>0 qscale 0 "
			"timer.start 0 timer.count 0 rerecv 0 katimer.start %d katimer.count %d\n",
			st, v.katimer_start, v.katimer_count);
}
