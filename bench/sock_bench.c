/* SPDX-License-Identifier: MIT */
/* Sockets over loopback: ifplex against the same operations written with
 * POSIX calls, in one process; the peer side is always plain POSIX.  Rounds
 * take turns (which side goes first rotates), and POSIX runs twice (posix,
 * posix-b): their ratio is the A/A calibration, the noise any ratio of
 * this run carries.  Ratios are taken within each round, whose three runs
 * follow each other closely, and their median reported: the machine's
 * load drifts between rounds, much less within one.  Neither side is
 * pinned to a CPU: on a shared machine a pinned thread waits for its CPU
 * while the other one is free (a quick run took minutes instead of
 * seconds at load 15).  Prints
 *
 *   sock,TEST,IMPL,VALUE,UNIT      (VALUE: median over rounds; ns per op or MB/s)
 *   sockratio,TEST,IMPL,RATIO      (median over rounds of IMPL / posix in
 *                                   the same round: ifplex, and posix-b = A/A)
 *   sockcalls,TEST,IMPL,PER_OP     (system calls of the calling thread per
 *                                   operation, from the raw_syscalls:sys_enter
 *                                   tracepoint; -1 when it cannot be read)
 *   sockcpu,TEST,IMPL,RATIO,NS     (the calling thread's CPU time per
 *                                   operation, user and system: median over
 *                                   rounds of IMPL / posix in the same round,
 *                                   and IMPL's median ns.  Wall time on a
 *                                   loaded machine is mostly waiting for the
 *                                   peer to be scheduled; CPU time is what
 *                                   the library and its system calls cost)
 *
 * Usage: sock_bench [--quick|--smoke] [--only TEST] [--rounds N]
 *        (TEST: a name of the rows above, e.g. tcp-dial-close; N up to 31:
 *        more rounds narrow the median's spread, for a targeted run whose
 *        differences are a few percent)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ifplex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int scale = 4; /* work per round, in units */
enum { MAX_ROUNDS = 31 };
static double calls_per_op; /* the last round's system calls per operation */
static const char *only;    /* --only: the one test to run */
static double cpu_per_op;   /* the last round's thread CPU ns per operation */
static int64_t cpu_start;

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ------------------------------------------------------- plain POSIX peers */
struct peer {
	int lfd;
	int kind; /* 0 echo, 1 sink, 2 accept-close, 3 udp echo */
	struct sockaddr_storage addr;
	socklen_t alen;
};

static void *peer_main(void *arg)
{
	struct peer *p = arg;
	char buf[65536];

	if (p->kind == 3) {
		for (;;) {
			struct sockaddr_storage from;
			socklen_t fl = sizeof from;
			ssize_t n = recvfrom(p->lfd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
			if (n < 0)
				return NULL;
			sendto(p->lfd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
		}
	}
	for (;;) {
		int fd = accept(p->lfd, NULL, NULL);
		if (fd < 0)
			return NULL;
		if (p->kind == 2) {
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		ssize_t n;
		while ((n = read(fd, buf, p->kind == 0 ? 1 : sizeof buf)) > 0)
			if (p->kind == 0 && write(fd, buf, (size_t)n) != n)
				break;
		close(fd);
	}
}

static struct peer *start_peer(int family, int type, int kind, const char *unix_path)
{
	struct peer *p = calloc(1, sizeof *p);
	pthread_t th;
	int one = 1;

	p->kind = kind;
	p->lfd = socket(family, type, 0);
	setsockopt(p->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (family == AF_UNIX) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&p->addr;
		sun->sun_family = AF_UNIX;
		snprintf(sun->sun_path, sizeof sun->sun_path, "%s", unix_path);
		unlink(unix_path);
		p->alen = sizeof *sun;
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&p->addr;
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		p->alen = sizeof *sin;
	}
	if (bind(p->lfd, (struct sockaddr *)&p->addr, p->alen) < 0 ||
	    getsockname(p->lfd, (struct sockaddr *)&p->addr, &p->alen) < 0 ||
	    (type == SOCK_STREAM && listen(p->lfd, 4096) < 0)) {
		perror("sock_bench: peer");
		exit(1);
	}
	pthread_create(&th, NULL, peer_main, p);
	pthread_detach(th);
	return p;
}

static void text_of(struct peer *p, char *buf, size_t len)
{
	if (p->addr.ss_family == AF_UNIX) {
		snprintf(buf, len, "%s", ((struct sockaddr_un *)&p->addr)->sun_path);
		return;
	}
	struct sockaddr_in *sin = (struct sockaddr_in *)&p->addr;
	snprintf(buf, len, "127.0.0.1:%d", ntohs(sin->sin_port));
}

static int raw_dial(struct peer *p, int type)
{
	int fd = socket(p->addr.ss_family, type, 0), one = 1;
	if (connect(fd, (struct sockaddr *)&p->addr, p->alen) < 0) {
		perror("sock_bench: connect");
		exit(1);
	}
	if (p->addr.ss_family == AF_INET && type == SOCK_STREAM)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* ------------------------------------------------ system calls per thread */
/* A counter of the calling thread's system calls (not the peers'), or -1. */
static int syscall_counter(void)
{
	static const char *const ids[] = {"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
					  "/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id"};
	/* ip netns exec mounts a /sys without tracefs: bench/run reads the id
	 * before and passes it on. */
	const char *env = getenv("IFPLEX_BENCH_SYSENTER_ID");
	long id = env ? strtol(env, NULL, 10) : -1;
	for (size_t i = 0; i < 2 && id < 0; i++) {
		FILE *f = fopen(ids[i], "r");
		if (f) {
			if (fscanf(f, "%ld", &id) != 1)
				id = -1;
			fclose(f);
		}
	}
	if (id < 0)
		return -1;
	struct perf_event_attr a;
	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = (uint64_t)id;
	a.disabled = 1;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static int sysfd = -2;

static int64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void count_start(void)
{
	cpu_start = thread_cpu_ns();
	if (sysfd == -2)
		sysfd = syscall_counter();
	if (sysfd >= 0) {
		ioctl(sysfd, PERF_EVENT_IOC_RESET, 0);
		ioctl(sysfd, PERF_EVENT_IOC_ENABLE, 0);
	}
}

/* System calls since count_start, less the ioctl that stops counting;
 * the thread's CPU time per operation over ops into cpu_per_op. */
static long long count_stop(double ops)
{
	uint64_t v;
	cpu_per_op = (double)(thread_cpu_ns() - cpu_start) / ops;
	if (sysfd < 0)
		return -1;
	ioctl(sysfd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(sysfd, &v, sizeof v) != sizeof v)
		return -1;
	return (long long)v - 1;
}

/* ---------------------------------------------------------------- tests */
enum impl { RAW, IFPLEX, RAW_B };

/* The client side of one round: a descriptor, or an ifplex connection. */
struct client {
	int fd;
	ifplex_conn *c;
};

static void client_close(struct client *k)
{
	if (k->c)
		ifplex_close(k->c);
	else
		close(k->fd);
}

static double pingpong(struct peer *p, const char *net, int type, enum impl impl, int n)
{
	char at[128], b = 'x';
	text_of(p, at, sizeof at);
	struct client k = {-1, NULL};
	if (impl != IFPLEX)
		k.fd = raw_dial(p, type);
	else if (ifplex_dial(net, at, &k.c) < 0) {
		fprintf(stderr, "sock_bench: %s\n", ifplex_last_error());
		exit(1);
	}
	count_start();
	int64_t t = now_ns();
	for (int i = 0; i < n; i++) {
		size_t moved;
		if (impl != IFPLEX) {
			if (write(k.fd, &b, 1) != 1 || read(k.fd, &b, 1) != 1)
				exit(1);
		} else if (ifplex_write(k.c, &b, 1, &moved) < 0 || ifplex_read(k.c, &b, 1, &moved) < 0) {
			exit(1);
		}
	}
	double per = (double)(now_ns() - t) / n;
	calls_per_op = (double)count_stop(n) / n;
	client_close(&k);
	return per;
}

static double bulk(struct peer *p, enum impl impl, size_t total)
{
	static char buf[65536];
	char at[128];
	text_of(p, at, sizeof at);
	struct client k = {-1, NULL};
	if (impl != IFPLEX)
		k.fd = raw_dial(p, SOCK_STREAM);
	else if (ifplex_dial("tcp", at, &k.c) < 0)
		exit(1);
	count_start();
	int64_t t = now_ns();
	for (size_t sent = 0; sent < total; sent += sizeof buf) {
		size_t moved;
		if (impl != IFPLEX) {
			size_t off = 0;
			while (off < sizeof buf) {
				ssize_t w = write(k.fd, buf + off, sizeof buf - off);
				if (w <= 0)
					exit(1);
				off += (size_t)w;
			}
		} else if (ifplex_write(k.c, buf, sizeof buf, &moved) < 0) {
			exit(1);
		}
	}
	double mbs = (double)total / 1e6 / ((double)(now_ns() - t) / 1e9);
	calls_per_op = (double)count_stop((double)(total / sizeof buf)) / (double)(total / sizeof buf);
	client_close(&k);
	return mbs;
}

static double dial_close(struct peer *p, enum impl impl, int n)
{
	char at[128];
	text_of(p, at, sizeof at);
	count_start();
	int64_t t = now_ns();
	for (int i = 0; i < n; i++) {
		if (impl != IFPLEX) {
			close(raw_dial(p, SOCK_STREAM));
		} else {
			ifplex_conn *c;
			if (ifplex_dial("tcp", at, &c) < 0)
				exit(1);
			ifplex_close(c);
		}
	}
	double per = (double)(now_ns() - t) / n;
	calls_per_op = (double)count_stop(n) / n;
	return per;
}

static double udp_pingpong(struct peer *p, enum impl impl, int n)
{
	char at[128], buf[64] = "u";
	text_of(p, at, sizeof at);
	struct client k = {-1, NULL};
	struct ifplex_netaddr to;
	if (impl != IFPLEX)
		k.fd = socket(AF_INET, SOCK_DGRAM, 0);
	else if (ifplex_listen_packet("udp4", "127.0.0.1:0", &k.c) < 0 || ifplex_resolve_addr("udp4", at, &to) < 0)
		exit(1);
	count_start();
	int64_t t = now_ns();
	for (int i = 0; i < n; i++) {
		size_t moved;
		if (impl != IFPLEX) {
			if (sendto(k.fd, buf, sizeof buf, 0, (struct sockaddr *)&p->addr, p->alen) < 0 ||
			    recv(k.fd, buf, sizeof buf, 0) < 0)
				exit(1);
		} else if (ifplex_write_to(k.c, buf, sizeof buf, &to, &moved) < 0 ||
			   ifplex_read_from(k.c, buf, sizeof buf, &moved, NULL) < 0) {
			exit(1);
		}
	}
	double per = (double)(now_ns() - t) / n;
	calls_per_op = (double)count_stop(n) / n;
	client_close(&k);
	return per;
}

/* Rounds of raw, ifplex and raw again, the first of each round rotating;
 * print each one's median, and its system calls per operation (the
 * median round's count: they do not vary for these tests). */
static void compare(const char *test, const char *unit, double (*round)(enum impl, void *), void *arg, int rounds)
{
	if (only && strcmp(only, test) != 0)
		return;
	static const char *const name[3] = {"posix", "ifplex", "posix-b"};
	double r[3][MAX_ROUNDS], calls[3][MAX_ROUNDS], ratio[3][MAX_ROUNDS];
	double cpu[3][MAX_ROUNDS], cratio[3][MAX_ROUNDS];
	for (int i = 0; i < rounds; i++) {
		for (int k = 0; k < 3; k++) {
			int impl = (i + k) % 3;
			r[impl][i] = round((enum impl)impl, arg);
			calls[impl][i] = calls_per_op;
			cpu[impl][i] = cpu_per_op;
		}
		for (int impl = 1; impl < 3; impl++) {
			ratio[impl][i] = r[impl][i] / r[RAW][i];
			cratio[impl][i] = cpu[impl][i] / cpu[RAW][i];
		}
	}
	for (int impl = 1; impl < 3; impl++) {
		qsort(ratio[impl], (size_t)rounds, sizeof ratio[impl][0], cmpd);
		printf("sockratio,%s,%s,%.4f\n", test, name[impl], ratio[impl][rounds / 2]);
	}
	for (int impl = 0; impl < 3; impl++) {
		qsort(r[impl], (size_t)rounds, sizeof r[impl][0], cmpd);
		qsort(calls[impl], (size_t)rounds, sizeof calls[impl][0], cmpd);
		printf("sock,%s,%s,%.1f,%s\n", test, name[impl], r[impl][rounds / 2], unit);
	}
	for (int impl = 1; impl < 3; impl++) {
		qsort(cratio[impl], (size_t)rounds, sizeof cratio[impl][0], cmpd);
		qsort(cpu[impl], (size_t)rounds, sizeof cpu[impl][0], cmpd);
		printf("sockcpu,%s,%s,%.4f,%.1f\n", test, name[impl], cratio[impl][rounds / 2], cpu[impl][rounds / 2]);
	}
	for (int impl = 0; impl < 2; impl++)
		printf("sockcalls,%s,%s,%.2f\n", test, name[impl], calls[impl][rounds / 2] < 0 ? -1 : calls[impl][rounds / 2]);
	fflush(stdout);
}

static struct peer *tcp_echo, *tcp_sink, *tcp_acc, *udp_echo, *unix_echo;
static double r_tcp(enum impl i, void *a) { (void)a; return pingpong(tcp_echo, "tcp", SOCK_STREAM, i, 2000 * scale); }
static double r_bulk(enum impl i, void *a) { (void)a; return bulk(tcp_sink, i, (size_t)scale * 64 << 20); }
static double r_dial(enum impl i, void *a) { (void)a; return dial_close(tcp_acc, i, 250 * scale); }
static double r_udp(enum impl i, void *a) { (void)a; return udp_pingpong(udp_echo, i, 2000 * scale); }
static double r_unix(enum impl i, void *a) { (void)a; return pingpong(unix_echo, "unix", SOCK_STREAM, i, 2000 * scale); }

int main(int argc, char **argv)
{
	int rounds = 21, forced = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
			only = argv[++i];
			continue;
		}
		if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
			forced = atoi(argv[++i]);
			if (forced < 1 || forced > MAX_ROUNDS) {
				fprintf(stderr, "sock_bench: --rounds takes 1 to %d\n", MAX_ROUNDS);
				return 2;
			}
			continue;
		}
		if (strcmp(argv[i], "--quick") == 0) {
			scale = 2;
			rounds = 9;
		} else if (strcmp(argv[i], "--smoke") == 0) {
			scale = 1;
			rounds = 3;
		}
	}
	if (forced)
		rounds = forced;
	char path[64];
	snprintf(path, sizeof path, "/tmp/ifplex-sockbench-%d.sock", (int)getpid());
	tcp_echo = start_peer(AF_INET, SOCK_STREAM, 0, NULL);
	tcp_sink = start_peer(AF_INET, SOCK_STREAM, 1, NULL);
	tcp_acc = start_peer(AF_INET, SOCK_STREAM, 2, NULL);
	udp_echo = start_peer(AF_INET, SOCK_DGRAM, 3, NULL);
	unix_echo = start_peer(AF_UNIX, SOCK_STREAM, 0, path);
	compare("tcp-pingpong-1B", "ns/roundtrip", r_tcp, NULL, rounds);
	compare("tcp-bulk", "MB/s", r_bulk, NULL, rounds);
	compare("tcp-dial-close", "ns/conn", r_dial, NULL, rounds);
	compare("udp-pingpong-64B", "ns/roundtrip", r_udp, NULL, rounds);
	compare("unix-pingpong-1B", "ns/roundtrip", r_unix, NULL, rounds);
	unlink(path);
	return 0;
}
