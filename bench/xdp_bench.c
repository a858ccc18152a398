/* SPDX-License-Identifier: MIT */
/* UDP receive and send rates over a veth pair between two namespaces:
 * ifplex over the xdp datapath (copied batches and lent buffers) against
 * kernel sockets with recvmmsg/sendmmsg and with recvfrom/sendto, 64 and
 * 1,400-byte payloads, in one run on the same two cores: the measured side
 * on CPU 0, the traffic's other end on CPU 1.  Prints CSV rows
 *   xdp,DIRECTION,PAYLOAD,CONTENDER,PPS,CPU_NS_PER_PACKET,DELIVERED_PPS
 * (DELIVERED_PPS: for send, what reached the peer's socket).  Needs root.
 *
 *   xdp_bench [--quick|--smoke] [--only CONTENDER] [--dir receive|send]
 *   (run as bench/run does, from the build tree; --only and --dir pick one
 *   measurement, to profile it with perf)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifplex.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define PORT_HERE 9000
#define PORT_PEER 5000

static double seconds = 3.0;
static pid_t holder;
static int self_ns, peer_ns;

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu % (int)sysconf(_SC_NPROCESSORS_ONLN), &s);
	sched_setaffinity(0, sizeof s, &s);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* This process in a new namespace with xa, a holder process in another
 * with xb; addresses 10.9.0.1 and 10.9.0.2. */
static int env_up(void)
{
	int p[2];
	char c = 0, path[64];

	if (unshare(CLONE_NEWNET) != 0 || pipe(p) != 0)
		return -1;
	if ((holder = fork()) == 0) {
		c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (read(p[0], &c, 1) != 1 || c != 'y')
		return -1;
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)holder);
	self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	peer_ns = open(path, O_RDONLY | O_CLOEXEC);
	if (sh("ip link set lo up && ip link add xa type veth peer name xb netns %d && "
	       "ip addr add 10.9.0.1/24 dev xa && ip link set xa up", (int)holder) ||
	    sh("nsenter -t %d -n sh -c 'ip link set lo up && ip addr add 10.9.0.2/24 dev xb && "
	       "ip link set xb up && ethtool -K xb tx off >/dev/null'", (int)holder))
		return -1;
	/* Neighbours known both ways before any measurement. */
	return sh("ping -c 1 -W 2 10.9.0.2 >/dev/null");
}

static int udp_socket(int in_peer, const char *ip, int port, const char *to, int to_port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int big = 4 << 20;

	if (in_peer)
		setns(peer_ns, CLONE_NEWNET);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (in_peer)
		setns(self_ns, CLONE_NEWNET);
	inet_pton(AF_INET, ip, &a.sin_addr);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
	if (bind(fd, (void *)&a, sizeof a) != 0)
		return -1;
	if (to) {
		a.sin_port = htons((uint16_t)to_port);
		inet_pton(AF_INET, to, &a.sin_addr);
		if (connect(fd, (void *)&a, sizeof a) != 0)
			return -1;
	}
	return fd;
}

/* The other end, on CPU 1 until killed: a kernel sender blasting size-byte
 * datagrams at us (send != 0), or a kernel sink counting what arrives and
 * writing the count to out when told to stop (SIGTERM). */
static volatile sig_atomic_t stop;
static void on_term(int s)
{
	(void)s;
	stop = 1;
}

static pid_t other_end(int send, size_t size, int out)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	pin(1);
	/* Not restarted: a blocked call returns and the loop sees stop. */
	struct sigaction sa = {.sa_handler = on_term};
	sigaction(SIGTERM, &sa, NULL);
	static char buf[BATCH][2048];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	memset(mm, 0, sizeof mm);
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = send ? size : sizeof buf[i];
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	int fd = udp_socket(1, "10.9.0.2", PORT_PEER, send ? "10.9.0.1" : NULL, PORT_HERE);
	if (fd < 0)
		_exit(1);
	struct timeval tv = {.tv_usec = 100000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	long long n = 0;
	if (write(out, "r", 1) != 1)
		_exit(1);
	while (!stop) {
		int r = send ? sendmmsg(fd, mm, BATCH, 0) : recvmmsg(fd, mm, BATCH, MSG_WAITFORONE, NULL);
		if (r > 0)
			n += r;
	}
	if (write(out, &n, sizeof n) != sizeof n)
		_exit(1);
	_exit(0);
}

static void end_other(pid_t pid, int in, long long *count)
{
	kill(pid, SIGTERM);
	if (count && read(in, count, sizeof *count) != sizeof *count)
		*count = -1;
	waitpid(pid, NULL, 0);
}

/* The other end started and ready; p[0] reads its count at the end. */
static pid_t start_other(int send, size_t size, int p[2])
{
	char ready;

	if (pipe(p) != 0)
		exit(1);
	pid_t o = other_end(send, size, p[1]);
	if (read(p[0], &ready, 1) != 1)
		exit(1);
	return o;
}

/* Messages of BATCH buffers for ifplex and the kernel, each len bytes. */
static void batch_init(char (*buf)[2048], struct ifplex_msg *m, struct mmsghdr *mm, struct iovec *iov,
		       size_t len)
{
	memset(m, 0, BATCH * sizeof *m);
	memset(mm, 0, BATCH * sizeof *mm);
	for (int i = 0; i < BATCH; i++) {
		m[i].buf = buf[i];
		m[i].len = len;
		iov[i].iov_base = buf[i];
		iov[i].iov_len = len;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
}

enum who { XDP_BATCH, XDP_LENT, MMSG, PLAIN };
static const char *const names[] = {"ifplex-xdp", "ifplex-xdp-lent", "kernel-mmsg", "kernel-plain"};

/* Packets handled by one contender in the measured window, and the CPU
 * time this thread spent. */
struct result {
	long long pkts;
	int64_t wall, cpu;
};

static void receive(enum who w, size_t size, struct result *r)
{
	static char buf[BATCH][2048];
	ifplex_conn *c = NULL;
	int fd = -1;

	if (w <= XDP_LENT) {
		if (ifplex_listen_packet("udp4", "10.9.0.1:9000", &c) != 0) {
			fprintf(stderr, "xdp_bench: %s\n", ifplex_last_error());
			exit(1);
		}
	} else if ((fd = udp_socket(0, "10.9.0.1", PORT_HERE, NULL, 0)) < 0) {
		exit(1);
	} else { /* blocking as ifplex's reads block: no spinning on an empty socket */
		struct timeval tv = {.tv_usec = 100000};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	int p[2];
	pid_t o = start_other(1, size, p);
	struct ifplex_msg m[BATCH];
	struct ifplex_lent v[BATCH];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	memset(v, 0, sizeof v);
	batch_init(buf, m, mm, iov, sizeof buf[0]);
	usleep(200000); /* the sender at full speed */
	long long n = 0;
	int64_t t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	int64_t end = t0 + (int64_t)(seconds * 1e9);
	if (c)
		ifplex_set_read_deadline(c, end);
	while (now_ns(CLOCK_MONOTONIC) < end) {
		int k;
		switch (w) {
		case XDP_BATCH:
			k = ifplex_read_batch(c, m, BATCH);
			break;
		case XDP_LENT:
			k = ifplex_read_lent(c, v, BATCH);
			if (k > 0)
				ifplex_release_lent(c, v, (size_t)k);
			break;
		case MMSG:
			k = recvmmsg(fd, mm, BATCH, MSG_WAITFORONE, NULL);
			break;
		default:
			k = recvfrom(fd, buf[0], sizeof buf[0], 0, NULL, NULL) >= 0 ? 1 : 0;
			break;
		}
		if (k > 0)
			n += k;
	}
	r->wall = now_ns(CLOCK_MONOTONIC) - t0;
	r->cpu = now_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	r->pkts = n;
	end_other(o, p[0], NULL);
	close(p[0]);
	close(p[1]);
	if (c)
		ifplex_close(c);
	else
		close(fd);
}

static void transmit(enum who w, size_t size, struct result *r, long long *delivered)
{
	static char buf[BATCH][2048];
	ifplex_conn *c = NULL;
	int fd = -1;

	if (w <= XDP_LENT) {
		if (ifplex_dial("udp4", "10.9.0.2:5000", &c) != 0) {
			fprintf(stderr, "xdp_bench: %s\n", ifplex_last_error());
			exit(1);
		}
	} else if ((fd = udp_socket(0, "10.9.0.1", PORT_HERE, "10.9.0.2", PORT_PEER)) < 0) {
		exit(1);
	}
	int p[2];
	pid_t o = start_other(0, size, p);
	struct ifplex_msg m[BATCH];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	memset(buf, 'x', sizeof buf);
	batch_init(buf, m, mm, iov, size);
	if (c) { /* the neighbour resolved before the clock starts */
		size_t sent;
		ifplex_write(c, buf[0], size, &sent);
	}
	long long n = 0;
	int64_t t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	int64_t end = t0 + (int64_t)(seconds * 1e9);
	while (now_ns(CLOCK_MONOTONIC) < end) {
		int k;
		switch (w) {
		case XDP_BATCH:
		case XDP_LENT:
			k = ifplex_write_batch(c, m, BATCH);
			break;
		case MMSG:
			k = sendmmsg(fd, mm, BATCH, 0);
			break;
		default:
			k = send(fd, buf[0], size, 0) >= 0 ? 1 : 0;
			break;
		}
		if (k > 0)
			n += k;
	}
	r->wall = now_ns(CLOCK_MONOTONIC) - t0;
	r->cpu = now_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	r->pkts = n;
	usleep(100000); /* what is in flight arrives */
	end_other(o, p[0], delivered);
	close(p[0]);
	close(p[1]);
	if (c)
		ifplex_close(c);
	else
		close(fd);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = {64, 1400};
	const char *only = NULL, *dir = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			seconds = 1.0;
		else if (strcmp(argv[i], "--smoke") == 0)
			seconds = 0.2;
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			dir = argv[++i];
	}
	if (geteuid() != 0) {
		printf("skip,xdp,needs root for namespaces and AF_XDP\n");
		return 0;
	}
	if (env_up() != 0) {
		printf("skip,xdp,could not make the veth pair\n");
		kill(holder, SIGKILL);
		return 0;
	}
	setenv("IFPLEX_DATAPATH", "xdp", 1);
	setenv("IFPLEX_XDP", "xa:0", 1);
	pin(0);
	for (size_t s = 0; s < 2; s++) {
		for (enum who w = XDP_BATCH; w <= PLAIN; w++) {
			if ((only && strcmp(only, names[w]) != 0) || (dir && strcmp(dir, "receive") != 0))
				continue;
			struct result r;
			receive(w, sizes[s], &r);
			printf("xdp,receive,%zu,%s,%.0f,%.0f,\n", sizes[s], names[w], r.pkts * 1e9 / (double)r.wall,
			       r.pkts ? (double)r.cpu / (double)r.pkts : 0.0);
			fflush(stdout);
		}
		for (enum who w = XDP_BATCH; w <= PLAIN; w++) {
			if (w == XDP_LENT)
				continue; /* sending lends nothing: the batch is copied into the UMEM */
			if ((only && strcmp(only, names[w]) != 0) || (dir && strcmp(dir, "send") != 0))
				continue;
			struct result r;
			long long got = 0;
			transmit(w, sizes[s], &r, &got);
			printf("xdp,send,%zu,%s,%.0f,%.0f,%.0f\n", sizes[s], names[w], r.pkts * 1e9 / (double)r.wall,
			       r.pkts ? (double)r.cpu / (double)r.pkts : 0.0, got * 1e9 / (double)r.wall);
			fflush(stdout);
		}
	}
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	return 0;
}
