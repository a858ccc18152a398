/* SPDX-License-Identifier: MIT */
/* The xdp datapath against kernel UDP sockets across a veth pair: both
 * directions, IPv4 and IPv6, every payload size from 1 to 1,472 bytes with
 * the checksums recomputed here from captured frames; neighbour resolution
 * from empty tables; ping, TCP and other UDP sockets while attached; the
 * program gone after close and after SIGKILL; the errors of a missing
 * interface, a busy queue and an unprivileged process; deadlines, Close
 * from another thread, poll, the wait descriptor, batches, lent buffers. */
#include "xdp_env.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifplex.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>

#define SEC 1000000000ll

static void setup4(void)
{
	xdp_env_up(1500);
}

static void setup_mtu1520(void)
{
	xdp_env_up(1520);
}

static void on_datapath(ifplex_conn *c)
{
	ck_assert_msg(ifplex_conn_caps(c) & IFPLEX_CAP_LENT, "the conversation is not the datapath's");
}

static void timeouts(int fd)
{
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static socklen_t sockaddr_of(int v6, const char *ip, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (v6) {
		struct sockaddr_in6 *s = (void *)ss;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, ip, &s->sin6_addr);
		return sizeof *s;
	}
	struct sockaddr_in *s = (void *)ss;
	s->sin_family = AF_INET;
	s->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &s->sin_addr);
	return sizeof *s;
}

static void peer_bind(int fd, int v6, const char *ip, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(v6, ip, port, &ss);
	ck_assert_msg(bind(fd, (void *)&ss, len) == 0, "bind %s: %s", ip, strerror(errno));
}

static void peer_connect(int fd, int v6, const char *ip, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(v6, ip, port, &ss);
	ck_assert_msg(connect(fd, (void *)&ss, len) == 0, "connect %s: %s", ip, strerror(errno));
}

/* RFC 1071 over 16-bit big-endian words, written apart from the plugin's. */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i < n; i += 2)
		s += (uint32_t)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
	return s;
}

static uint16_t folded(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Read captured frames until the datagram from port 9000; check its IP and
 * UDP checksums and length. */
static void check_captured(int pfd, int v6, size_t payload)
{
	uint8_t f[2048];
	for (;;) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof sll;
		ssize_t n = recvfrom(pfd, f, sizeof f, 0, (void *)&sll, &sl);
		ck_assert_msg(n > 0, "capture: %s", strerror(errno));
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		const uint8_t *ip = f + 14, *udp;
		size_t alen;
		if (!v6 && f[12] == 0x08 && f[13] == 0x00 && ip[9] == 17) {
			ck_assert_uint_eq(folded(sum16(ip, 20, 0)), 0xffff);
			udp = ip + 20;
			alen = 4;
		} else if (v6 && f[12] == 0x86 && f[13] == 0xdd && ip[6] == 17) {
			udp = ip + 40;
			alen = 16;
		} else {
			continue;
		}
		if ((udp[0] << 8 | udp[1]) != 9000)
			continue;
		size_t ulen = (size_t)(udp[4] << 8 | udp[5]);
		ck_assert_uint_eq(ulen, payload + 8);
		ck_assert_msg(udp[6] || udp[7], "UDP checksum left out");
		uint8_t ph[40] = {0};
		size_t pl;
		memcpy(ph, ip + (alen == 4 ? 12 : 8), 2 * alen);
		if (alen == 4) {
			ph[9] = 17;
			ph[10] = (uint8_t)(ulen >> 8);
			ph[11] = (uint8_t)ulen;
			pl = 12;
		} else {
			ph[34] = (uint8_t)(ulen >> 8);
			ph[35] = (uint8_t)ulen;
			ph[39] = 17;
			pl = 40;
		}
		ck_assert_uint_eq(folded(sum16(udp, ulen, sum16(ph, pl, 0))), 0xffff);
		return;
	}
}

static int peer_capture(void)
{
	int fd = peer_socket(AF_PACKET, SOCK_RAW);
	struct ifreq ifr = {0};
	strcpy(ifr.ifr_name, "xb");
	ck_assert_int_eq(ioctl(fd, SIOCGIFINDEX, &ifr), 0);
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = ifr.ifr_ifindex};
	ck_assert_int_eq(bind(fd, (void *)&sll, sizeof sll), 0);
	int big = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
	timeouts(fd);
	return fd;
}

/* A counter's value in the peer's /proc/PID/net/snmp or snmp6. */
static long peer_snmp(const char *file, const char *proto, const char *field)
{
	char path[64], line[2048], head[2048] = "";
	snprintf(path, sizeof path, "/proc/%d/net/%s", (int)peer_pid, file);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	long v = -1;
	while (fgets(line, sizeof line, f)) {
		if (strcmp(file, "snmp6") == 0) {
			char name[128];
			long x;
			if (sscanf(line, "%127s %ld", name, &x) == 2 && strcmp(name, field) == 0)
				v = x;
			continue;
		}
		if (strncmp(line, proto, strlen(proto)) != 0 || line[strlen(proto)] != ':')
			continue;
		if (!head[0]) {
			memcpy(head, line, sizeof head);
			continue;
		}
		/* The header line names the columns of the next. */
		char *hs, *vs, *h = strtok_r(head, " \n", &hs), *x = strtok_r(line, " \n", &vs);
		while ((h = strtok_r(NULL, " \n", &hs)) && (x = strtok_r(NULL, " \n", &vs)))
			if (strcmp(h, field) == 0)
				v = atol(x);
	}
	fclose(f);
	ck_assert_msg(v >= 0, "%s has no %s %s", path, proto, field);
	return v;
}

static void counters(char *buf, size_t len)
{
	ck_assert_int_eq(ifplex_datapath_describe("counters", buf, len), 0);
}

/* Every size both ways through one conversation, and the kernel's view. */
static void echo_sizes(int v6, const char *mode)
{
	xdp_env_datapath("xdp", "xa", mode);
	ifplex_conn *c;
	int rc = ifplex_listen_packet("udp", v6 ? "[fd09::1]:9000" : "10.9.0.1:9000", &c);
	ck_assert_msg(rc == 0, "%s", ifplex_last_error());
	on_datapath(c);
	int fd = peer_socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM);
	peer_bind(fd, v6, v6 ? "fd09::2" : "10.9.0.2", 5000);
	peer_connect(fd, v6, v6 ? "fd09::1" : "10.9.0.1", 9000);
	timeouts(fd);
	int pfd = peer_capture();
	long csum_before = v6 ? peer_snmp("snmp6", "", "Udp6InCsumErrors") : peer_snmp("snmp", "Udp", "InCsumErrors");
	ck_assert_int_eq(ifplex_set_read_deadline(c, ifplex_now() + 10 * SEC), 0);
	static uint8_t out[1500], in[1500], back[1500];
	for (size_t n = 1; n <= 1472; n++) {
		for (size_t i = 0; i < n; i++)
			out[i] = (uint8_t)(i * 7 + n);
		ck_assert_int_eq(send(fd, out, n, 0), (ssize_t)n);
		size_t got = 0;
		struct ifplex_netaddr from;
		rc = ifplex_read_from(c, in, sizeof in, &got, &from);
		ck_assert_msg(rc == 0, "size %zu: %s", n, ifplex_last_error());
		ck_assert_uint_eq(got, n);
		ck_assert(memcmp(in, out, n) == 0);
		ck_assert_int_eq(from.port, 5000);
		size_t sent = 0;
		rc = ifplex_write_to(c, in, got, &from, &sent);
		ck_assert_msg(rc == 0, "size %zu: %s", n, ifplex_last_error());
		ck_assert_uint_eq(sent, n);
		ck_assert_int_eq(recv(fd, back, sizeof back, 0), (ssize_t)n);
		ck_assert(memcmp(back, out, n) == 0);
		check_captured(pfd, v6, n);
	}
	long csum_after = v6 ? peer_snmp("snmp6", "", "Udp6InCsumErrors") : peer_snmp("snmp", "Udp", "InCsumErrors");
	ck_assert_int_eq(csum_after, csum_before);
	char cnt[2048];
	counters(cnt, sizeof cnt);
	ck_assert_msg(strstr(cnt, " rx=1472 tx=1472 "), "counters: %s", cnt);
	ck_assert_msg(strstr(cnt, "rx_checksum=0 "), "counters: %s", cnt);
	ck_assert_int_eq(ifplex_close(c), 0);
	close(fd);
	close(pfd);
}

START_TEST(sizes_v4_native)
{
	echo_sizes(0, "native");
}
END_TEST

START_TEST(sizes_v6_native)
{
	echo_sizes(1, "native");
}
END_TEST

START_TEST(sizes_v4_generic)
{
	echo_sizes(0, "generic");
}
END_TEST

START_TEST(sizes_v6_generic)
{
	echo_sizes(1, "generic");
}
END_TEST

/* A dial whose peer the kernel has never heard of: ARP or neighbour
 * discovery, started by the datapath through the kernel. */
static void dial_unresolved(int v6)
{
	xdp_env_datapath("xdp", "xa", NULL);
	int fd = peer_socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM);
	peer_bind(fd, v6, v6 ? "fd09::2" : "10.9.0.2", 5000);
	timeouts(fd);
	sh("ip neigh flush dev xa; ip -6 neigh flush dev xa");
	peer_sh("ip neigh flush dev xb; ip -6 neigh flush dev xb");
	ck_assert_int_ne(system(v6 ? "ip -6 neigh show dev xa | grep -q fd09::2"
				   : "ip neigh show dev xa | grep -q 10.9.0.2"), 0);
	ifplex_conn *c;
	int rc = ifplex_dial("udp", v6 ? "[fd09::2]:5000" : "10.9.0.2:5000", &c);
	ck_assert_msg(rc == 0, "%s", ifplex_last_error());
	on_datapath(c);
	size_t n;
	rc = ifplex_write(c, "first", 5, &n);
	ck_assert_msg(rc == 0, "%s", ifplex_last_error());
	char buf[64];
	struct sockaddr_storage from;
	socklen_t fl = sizeof from;
	ck_assert_int_eq(recvfrom(fd, buf, sizeof buf, 0, (void *)&from, &fl), 5);
	ck_assert(memcmp(buf, "first", 5) == 0);
	ck_assert_int_eq(sendto(fd, "reply", 5, 0, (void *)&from, fl), 5);
	ck_assert_int_eq(ifplex_set_read_deadline(c, ifplex_now() + 5 * SEC), 0);
	rc = ifplex_read(c, buf, sizeof buf, &n);
	ck_assert_msg(rc == 0, "%s", ifplex_last_error());
	ck_assert(n == 5 && memcmp(buf, "reply", 5) == 0);
	ck_assert_int_eq(system(v6 ? "ip -6 neigh show dev xa | grep -q 'fd09::2 lladdr'"
				   : "ip neigh show dev xa | grep -q '10.9.0.2 lladdr'"), 0);
	char cnt[2048];
	counters(cnt, sizeof cnt);
	ck_assert_msg(!strstr(cnt, "neigh_resolve=0"), "counters: %s", cnt);
	ifplex_close(c);
	close(fd);
}

START_TEST(neigh_v4)
{
	dial_unresolved(0);
}
END_TEST

START_TEST(neigh_v6)
{
	dial_unresolved(1);
}
END_TEST

/* Ping, TCP and another UDP port on the same address keep the kernel's. */
START_TEST(host_keeps_working)
{
	xdp_env_datapath("xdp", "xa", NULL);
	ifplex_conn *c;
	ck_assert_int_eq(ifplex_listen_packet("udp4", "10.9.0.1:9000", &c), 0);
	on_datapath(c);
	ck_assert(xa_has_xdp());
	peer_sh("ping -c 2 -i 0.2 -W 2 10.9.0.1 >/dev/null && ping -6 -c 2 -i 0.2 -W 2 fd09::1 >/dev/null");

	int ku = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	peer_bind(ku, 0, "10.9.0.1", 9001);
	timeouts(ku);
	int kl = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	peer_bind(kl, 0, "10.9.0.1", 7000);
	ck_assert_int_eq(listen(kl, 1), 0);

	int pt = peer_socket(AF_INET, SOCK_STREAM);
	peer_connect(pt, 0, "10.9.0.1", 7000);
	int a = accept(kl, NULL, NULL);
	ck_assert_int_ge(a, 0);
	ck_assert_int_eq(send(pt, "over tcp", 8, 0), 8);
	char buf[64];
	ck_assert_int_eq(recv(a, buf, sizeof buf, 0), 8);
	ck_assert_int_eq(send(a, "back", 4, 0), 4);
	ck_assert_int_eq(recv(pt, buf, sizeof buf, 0), 4);

	int pu = peer_socket(AF_INET, SOCK_DGRAM);
	peer_connect(pu, 0, "10.9.0.1", 9001);
	ck_assert_int_eq(send(pu, "kernel", 6, 0), 6);
	ck_assert_int_eq(recv(ku, buf, sizeof buf, 0), 6);
	close(pu);
	pu = peer_socket(AF_INET, SOCK_DGRAM);
	peer_connect(pu, 0, "10.9.0.1", 9000);
	ck_assert_int_eq(send(pu, "bypass", 6, 0), 6);
	size_t n;
	ck_assert_int_eq(ifplex_set_read_deadline(c, ifplex_now() + 5 * SEC), 0);
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), 0);
	ck_assert(n == 6 && memcmp(buf, "bypass", 6) == 0);
	char cnt[2048];
	counters(cnt, sizeof cnt);
	ck_assert_msg(strstr(cnt, "redirected=1 "), "counters: %s", cnt);
	ifplex_close(c);
	close(a);
	close(kl);
	close(pt);
	close(pu);
	close(ku);
}
END_TEST

START_TEST(detach_on_last_close)
{
	xdp_env_datapath("xdp", "xa", NULL);
	ifplex_conn *a, *b;
	ck_assert_int_eq(system("ip -d link show xa | grep -q 'prog/xdp'"), 256);
	ck_assert_int_eq(ifplex_listen_packet("udp", "10.9.0.1:9000", &a), 0);
	ck_assert_int_eq(ifplex_listen_packet("udp", "[fd09::1]:9000", &b), 0);
	ck_assert(xa_has_xdp());
	ck_assert_int_eq(ifplex_close(a), 0);
	ck_assert(xa_has_xdp());
	ck_assert_int_eq(ifplex_close(b), 0);
	ck_assert(!xa_has_xdp());
	/* And again: attach, detach. */
	ck_assert_int_eq(ifplex_listen_packet("udp", "10.9.0.1:0", &a), 0);
	ck_assert(xa_has_xdp());
	ifplex_close(a);
	ck_assert(!xa_has_xdp());
}
END_TEST

START_TEST(detach_on_sigkill)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		xdp_env_datapath("xdp", "xa", NULL);
		ifplex_conn *c;
		char r = ifplex_listen_packet("udp", "10.9.0.1:9000", &c) == 0 ? 'y' : 'n';
		ssize_t w = write(p[1], &r, 1);
		(void)w;
		for (;;)
			pause();
	}
	char r = 0;
	ck_assert_int_eq(read(p[0], &r, 1), 1);
	ck_assert_int_eq(r, 'y');
	ck_assert(xa_has_xdp());
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* The link goes with the last reference to it, the dead process's. */
	int64_t until = ifplex_now() + 5 * SEC;
	while (xa_has_xdp() && ifplex_now() < until)
		usleep(20000);
	ck_assert_msg(!xa_has_xdp(), "the XDP program outlived the process that attached it");
}
END_TEST

START_TEST(missing_interface)
{
	xdp_env_datapath("xdp", "xa,nope0", NULL);
	ifplex_conn *c;
	int rc = ifplex_listen_packet("udp", "10.9.0.1:9000", &c);
	ck_assert_int_eq(rc, IFPLEX_ENOIFACE);
	ck_assert_msg(strstr(ifplex_last_error(), "nope0") &&
		      strstr(ifplex_last_error(), "no such network interface"), "%s", ifplex_last_error());
	/* TCP never touches the datapath. */
	ck_assert_int_eq(ifplex_listen("tcp", "10.9.0.1:0", &c), 0);
	ifplex_close(c);
	ck_assert(!xa_has_xdp());
}
END_TEST

/* An AF_XDP socket of the test's own on queue 0 of xa, as another
 * program's would be. */
static int take_queue(void)
{
	int fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	size_t len = 16 * 4096;
	void *area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(area != MAP_FAILED);
	struct xdp_umem_reg mr = {.addr = (uintptr_t)area, .len = len, .chunk_size = 4096};
	ck_assert_int_eq(setsockopt(fd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof mr), 0);
	unsigned n = 16;
	ck_assert_int_eq(setsockopt(fd, SOL_XDP, XDP_UMEM_FILL_RING, &n, sizeof n), 0);
	ck_assert_int_eq(setsockopt(fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &n, sizeof n), 0);
	ck_assert_int_eq(setsockopt(fd, SOL_XDP, XDP_RX_RING, &n, sizeof n), 0);
	struct sockaddr_xdp sx = {.sxdp_family = AF_XDP, .sxdp_flags = XDP_COPY,
				  .sxdp_ifindex = if_nametoindex("xa"), .sxdp_queue_id = 0};
	ck_assert_msg(bind(fd, (void *)&sx, sizeof sx) == 0, "bind AF_XDP: %s", strerror(errno));
	return fd;
}

START_TEST(busy_queue)
{
	int q = take_queue();
	xdp_env_datapath("xdp", "xa:0", NULL);
	ifplex_conn *c;
	int rc = ifplex_listen_packet("udp", "10.9.0.1:9000", &c);
	ck_assert_int_eq(rc, -EBUSY);
	ck_assert_msg(strstr(ifplex_last_error(), "queue 0 of xa is busy"), "%s", ifplex_last_error());
	ck_assert(!xa_has_xdp()); /* nothing left attached */
	close(q);
	/* The kernel lets go of the queue in a work item after the close. */
	int64_t until = ifplex_now() + 5 * SEC;
	while ((rc = ifplex_listen_packet("udp", "10.9.0.1:9000", &c)) == -EBUSY && ifplex_now() < until)
		usleep(20000);
	ck_assert_msg(rc == 0, "%s", ifplex_last_error());
	on_datapath(c);
	ifplex_close(c);
}
END_TEST

START_TEST(busy_queue_auto_falls_back)
{
	int q = take_queue();
	xdp_env_datapath("auto", "xa", NULL);
	/* IFPLEX_DEBUG says why, on standard error (here a file). */
	setenv("IFPLEX_DEBUG", "1", 1);
	FILE *log = tmpfile();
	ck_assert_ptr_nonnull(log);
	int saved = dup(2);
	dup2(fileno(log), 2);
	ifplex_conn *c;
	int rc = ifplex_listen_packet("udp", "10.9.0.1:9000", &c);
	dup2(saved, 2);
	close(saved);
	ck_assert_int_eq(rc, 0);
	ck_assert(!(ifplex_conn_caps(c) & IFPLEX_CAP_LENT)); /* the kernel's socket */
	ck_assert(ifplex_conn_caps(c) & IFPLEX_CAP_FD);
	char text[4096] = "";
	rewind(log);
	size_t tl = fread(text, 1, sizeof text - 1, log);
	text[tl] = '\0';
	fclose(log);
	ck_assert_msg(strstr(text, "queue 0 of xa is busy") && strstr(text, "kernel sockets instead"), "%s", text);
	ifplex_close(c);
	close(q);
}
END_TEST

/* As nobody (no CAP_NET_RAW, CAP_NET_ADMIN or CAP_BPF), in a child: the
 * test process keeps the right to end the peer's namespace holder.  The
 * child's exit status: 0 when every check held, else the failed line. */
static int as_nobody(const char *which)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(1);
		xdp_env_datapath(which, "xa", NULL);
		ifplex_conn *c;
		int rc = ifplex_listen_packet("udp", "10.9.0.1:9000", &c);
		if (strcmp(which, "auto") == 0)
			_exit(rc != 0 ? 2 : (ifplex_conn_caps(c) & IFPLEX_CAP_LENT) ? 3 : 0);
		if (rc != -EPERM)
			_exit(4);
		const char *e = ifplex_last_error();
		_exit(strstr(e, "xa") && strstr(e, "not permitted") ? 0 : 5);
	}
	int st = 0;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

START_TEST(unprivileged)
{
	/* 4: another error than EPERM; 5: a message without the interface. */
	ck_assert_int_eq(as_nobody("xdp"), 0);
	ck_assert(!xa_has_xdp());
}
END_TEST

START_TEST(unprivileged_auto)
{
	/* 2: no conversation at all; 3: the datapath's, not the kernel's. */
	ck_assert_int_eq(as_nobody("auto"), 0);
}
END_TEST

START_TEST(not_configured)
{
	setenv("IFPLEX_DATAPATH", "xdp", 1);
	unsetenv("IFPLEX_XDP");
	xdp_env_datapath("xdp", "", NULL);
	ifplex_conn *c;
	int rc = ifplex_listen_packet("udp", "10.9.0.1:9000", &c);
	ck_assert_int_eq(rc, IFPLEX_EINVAL);
	ck_assert_msg(strstr(ifplex_last_error(), "IFPLEX_XDP is not set"), "%s", ifplex_last_error());
	ck_assert_ptr_null(ifplex_datapath_name());
}
END_TEST

/* What the datapath does not take goes to the kernel unchanged. */
START_TEST(others_pass)
{
	xdp_env_datapath("xdp", "xa", NULL);
	ifplex_conn *c;
	ck_assert_str_eq(ifplex_datapath_name(), "xdp");
	ck_assert_int_eq(ifplex_listen_packet("udp", ":9000", &c), 0); /* wildcard */
	ck_assert(ifplex_conn_caps(c) & IFPLEX_CAP_FD);
	ifplex_close(c);
	ck_assert_int_eq(ifplex_listen_packet("udp", "127.0.0.1:9000", &c), 0); /* lo */
	ck_assert(ifplex_conn_caps(c) & IFPLEX_CAP_FD);
	ifplex_close(c);
	ck_assert_int_eq(ifplex_dial("udp", "127.0.0.1:9", &c), 0);
	ck_assert(ifplex_conn_caps(c) & IFPLEX_CAP_FD);
	ifplex_close(c);
	ck_assert(!xa_has_xdp());
	char buf[2048];
	ck_assert_int_eq(ifplex_datapath_describe("interfaces", buf, sizeof buf), 0);
	ck_assert_msg(strstr(buf, "xa (index") && strstr(buf, "not attached"), "%s", buf);
}
END_TEST

/* IPv4 options and an IPv6 destination-options header, set on the peer's
 * sockets: skipped, counted, the datagrams delivered. */
START_TEST(options_and_ext_headers)
{
	xdp_env_datapath("xdp", "xa", NULL);
	ifplex_conn *c4, *c6;
	ck_assert_int_eq(ifplex_listen_packet("udp", "10.9.0.1:9000", &c4), 0);
	ck_assert_int_eq(ifplex_listen_packet("udp", "[fd09::1]:9000", &c6), 0);
	int f4 = peer_socket(AF_INET, SOCK_DGRAM), f6 = peer_socket(AF_INET6, SOCK_DGRAM);
	static const uint8_t nops[4] = {1, 1, 1, 0}; /* NOP NOP NOP EOL (RFC 791) */
	ck_assert_int_eq(setsockopt(f4, IPPROTO_IP, IP_OPTIONS, nops, sizeof nops), 0);
	static const uint8_t dst[8] = {0, 0, 1, 4, 0, 0, 0, 0}; /* PadN (RFC 8200 4.2) */
	ck_assert_int_eq(setsockopt(f6, IPPROTO_IPV6, IPV6_DSTOPTS, dst, sizeof dst), 0);
	peer_connect(f4, 0, "10.9.0.1", 9000);
	peer_connect(f6, 1, "fd09::1", 9000);
	ck_assert_int_eq(send(f4, "opt4", 4, 0), 4);
	ck_assert_int_eq(send(f6, "ext6", 4, 0), 4);
	char buf[16];
	size_t n;
	ck_assert_int_eq(ifplex_set_read_deadline(c4, ifplex_now() + 5 * SEC), 0);
	ck_assert_int_eq(ifplex_set_read_deadline(c6, ifplex_now() + 5 * SEC), 0);
	ck_assert_int_eq(ifplex_read(c4, buf, sizeof buf, &n), 0);
	ck_assert(n == 4 && memcmp(buf, "opt4", 4) == 0);
	ck_assert_int_eq(ifplex_read(c6, buf, sizeof buf, &n), 0);
	ck_assert(n == 4 && memcmp(buf, "ext6", 4) == 0);
	char cnt[2048];
	counters(cnt, sizeof cnt);
	ck_assert_msg(strstr(cnt, "rx_ip_options=1 rx_ext_headers=1 ") && strstr(cnt, "redirected=2 "),
		      "counters: %s", cnt);
	ifplex_close(c4);
	ifplex_close(c6);
	close(f4);
	close(f6);
}
END_TEST

struct blocked {
	ifplex_conn *c;
	int rc;
	int64_t took;
};

static void *reader(void *arg)
{
	struct blocked *b = arg;
	char buf[64];
	size_t n;
	int64_t t0 = ifplex_now();
	b->rc = ifplex_read_from(b->c, buf, sizeof buf, &n, NULL);
	b->took = ifplex_now() - t0;
	return NULL;
}

START_TEST(deadlines_and_close)
{
	xdp_env_datapath("xdp", "xa", NULL);
	ifplex_conn *c;
	ck_assert_int_eq(ifplex_listen_packet("udp", "10.9.0.1:9000", &c), 0);
	char buf[64];
	size_t n;
	ck_assert_int_eq(ifplex_set_read_deadline(c, ifplex_now() + SEC / 10), 0);
	ck_assert_int_eq(ifplex_read_from(c, buf, sizeof buf, &n, NULL), IFPLEX_ETIMEDOUT);
	ck_assert(ifplex_is_timeout(ifplex_last_error_code()));

	/* A deadline moved nearer wakes a blocked read. */
	struct blocked b = {.c = c};
	pthread_t t;
	ck_assert_int_eq(ifplex_set_read_deadline(c, 0), 0);
	pthread_create(&t, NULL, reader, &b);
	usleep(100000);
	ck_assert_int_eq(ifplex_set_read_deadline(c, ifplex_now() + SEC / 20), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(b.rc, IFPLEX_ETIMEDOUT);
	ck_assert(b.took < 2 * SEC);

	/* Close from another thread ends a blocked read. */
	ck_assert_int_eq(ifplex_set_read_deadline(c, 0), 0);
	pthread_create(&t, NULL, reader, &b);
	usleep(100000);
	ck_assert_int_eq(ifplex_close(c), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(b.rc, IFPLEX_ECLOSED);
	ck_assert(!xa_has_xdp());
}
END_TEST

START_TEST(poll_batch_lent)
{
	xdp_env_datapath("xdp", "xa", NULL);
	ifplex_conn *c;
	ck_assert_int_eq(ifplex_listen_packet("udp", "10.9.0.1:9000", &c), 0);
	unsigned rev;
	ck_assert_int_eq(ifplex_conn_poll(c, IFPLEX_POLL_IN, 0, &rev), IFPLEX_ETIMEDOUT);
	ck_assert_int_eq(ifplex_conn_poll(c, IFPLEX_POLL_OUT, 0, &rev), 0);
	ck_assert_uint_eq(rev, IFPLEX_POLL_OUT);
	intptr_t wfd;
	ck_assert_int_eq(ifplex_conn_wait_fd(c, &wfd), 0);
	int fd = peer_socket(AF_INET, SOCK_DGRAM);
	peer_bind(fd, 0, "10.9.0.2", 5000);
	peer_connect(fd, 0, "10.9.0.1", 9000);
	timeouts(fd);
	for (int i = 0; i < 8; i++) {
		char m[16];
		int len = snprintf(m, sizeof m, "batch %d", i);
		ck_assert_int_eq(send(fd, m, (size_t)len, 0), len);
	}
	struct pollfd p = {.fd = (int)wfd, .events = POLLIN};
	ck_assert_int_eq(poll(&p, 1, 5000), 1);
	ck_assert_int_eq(ifplex_conn_poll(c, IFPLEX_POLL_IN, 0, &rev), 0);
	ck_assert_uint_eq(rev, IFPLEX_POLL_IN);
	usleep(100000); /* all eight in the ring */
	struct ifplex_msg m[8];
	struct ifplex_netaddr from[8];
	char bufs[8][32];
	struct ifplex_msg_meta meta[8];
	memset(m, 0, sizeof m);
	for (int i = 0; i < 8; i++) {
		m[i].buf = bufs[i];
		m[i].len = sizeof bufs[i];
		m[i].addr = &from[i];
		meta[i].size = sizeof meta[i];
		m[i].meta = &meta[i];
	}
	ck_assert_int_eq(ifplex_set_read_deadline(c, ifplex_now() + 5 * SEC), 0);
	int got = ifplex_read_batch(c, m, 4);
	ck_assert_int_eq(got, 4);
	for (int i = 0; i < 4; i++) {
		char want[16];
		snprintf(want, sizeof want, "batch %d", i);
		ck_assert_uint_eq(m[i].n, strlen(want));
		ck_assert(memcmp(bufs[i], want, m[i].n) == 0);
		ck_assert_int_eq(m[i].result, 0);
		ck_assert_int_eq(meta[i].ifindex, (int)if_nametoindex("xa"));
		ck_assert_int_eq(meta[i].queue, 0);
		ck_assert_int_eq(meta[i].dst.len, 4);
	}
	/* The rest lent: the payload in the ring, given back after. */
	struct ifplex_lent v[8];
	struct ifplex_netaddr lf[8];
	for (int i = 0; i < 8; i++)
		v[i].addr = &lf[i];
	got = ifplex_read_lent(c, v, 8);
	ck_assert_int_eq(got, 4);
	for (int i = 0; i < 4; i++) {
		char want[16];
		snprintf(want, sizeof want, "batch %d", i + 4);
		ck_assert_uint_eq(v[i].len, strlen(want));
		ck_assert(memcmp(v[i].data, want, v[i].len) == 0);
		ck_assert_int_eq(lf[i].port, 5000);
	}
	ck_assert_int_eq(ifplex_release_lent(c, v, 4), 0);
	struct ifplex_lent bogus = {.token = 12345};
	ck_assert_int_eq(ifplex_release_lent(c, &bogus, 1), IFPLEX_EINVAL);
	/* A batch out, each to the peer. */
	for (int i = 0; i < 8; i++) {
		m[i].buf = bufs[i];
		m[i].len = (size_t)snprintf(bufs[i], sizeof bufs[i], "out %d", i);
		m[i].addr = &from[0];
	}
	ck_assert_int_eq(ifplex_write_batch(c, m, 8), 8);
	for (int i = 0; i < 8; i++) {
		char buf[32], want[16];
		snprintf(want, sizeof want, "out %d", i);
		ck_assert_int_eq(recv(fd, buf, sizeof buf, 0), (ssize_t)strlen(want));
		ck_assert(memcmp(buf, want, strlen(want)) == 0);
	}
	/* Too large for the link: through the kernel, which fragments it; too
	 * large for UDP: refused. */
	static char big[70000];
	memset(big, 'b', sizeof big);
	size_t n;
	ck_assert_int_eq(ifplex_write_to(c, big, 4000, &from[0], &n), 0);
	ck_assert_uint_eq(n, 4000);
	ck_assert_int_eq(recv(fd, big, sizeof big, 0), 4000);
	ck_assert_int_eq(ifplex_write_to(c, big, 65508, &from[0], &n), -EMSGSIZE);
	/* And the other way: reassembled by the kernel, read as any. */
	ck_assert_int_eq(send(fd, big, 3000, 0), 3000);
	ck_assert_int_eq(ifplex_read(c, big, sizeof big, &n), 0);
	ck_assert_uint_eq(n, 3000);
	char cnt[2048];
	counters(cnt, sizeof cnt);
	ck_assert_msg(strstr(cnt, "rx_kernel=1 tx_kernel=1"), "counters: %s", cnt);
	/* Lent, it comes in one frame: cut to it and marked so. */
	ck_assert_int_eq(send(fd, big, 3000, 0), 3000);
	got = ifplex_read_lent(c, v, 1);
	ck_assert_int_eq(got, 1);
	ck_assert(v[0].len > 1472 && v[0].len < 3000 && (v[0].flags & IFPLEX_MSG_TRUNC));
	ck_assert(memcmp(v[0].data, big, v[0].len) == 0);
	ck_assert_int_eq(ifplex_release_lent(c, v, 1), 0);
	ifplex_close(c);
	close(fd);
}
END_TEST

/* The program's own counters are readable by another process. */
START_TEST(counters_from_outside)
{
	xdp_env_datapath("xdp", "xa", NULL);
	ifplex_conn *c;
	ck_assert_int_eq(ifplex_listen_packet("udp", "10.9.0.1:9000", &c), 0);
	int fd = peer_socket(AF_INET, SOCK_DGRAM);
	peer_connect(fd, 0, "10.9.0.1", 9000);
	ck_assert_int_eq(send(fd, "x", 1, 0), 1);
	char buf[8];
	size_t n;
	ck_assert_int_eq(ifplex_set_read_deadline(c, ifplex_now() + 5 * SEC), 0);
	ck_assert_int_eq(ifplex_read(c, buf, sizeof buf, &n), 0);
	char cmd[512], out[4096] = "";
	snprintf(cmd, sizeof cmd, "IFPLEX_DATAPATH=xdp IFPLEX_XDP=xa %s backends", ifplex_test_env("IFPLEX_TOOL"));
	FILE *f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	size_t len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	pclose(f);
	ck_assert_msg(strstr(out, "datapath: xdp") && strstr(out, "attached by another process") &&
		      strstr(out, "rx=1 "), "%s", out);
	ifplex_close(c);
	close(fd);
}
END_TEST

/* tests/xdp/udp_echo, unchanged, with the datapath (xdp) or without:
 * the peer sends datagrams of several sizes and "end", checks each echo,
 * and the program's transcript is returned in out. */
static void run_echo(int xdp, int v6, char *out, size_t outlen)
{
	int p[2];
	char prog[4096];
	const char *addr = v6 ? "[fd09::1]:9000" : "10.9.0.1:9000";

	snprintf(prog, sizeof prog, "%s/tests/xdp/udp_echo", ifplex_test_env("IFPLEX_TEST_BUILDDIR"));
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		if (xdp)
			xdp_env_datapath("xdp", "xa", NULL);
		else
			unsetenv("IFPLEX_DATAPATH");
		execl(prog, prog, addr, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "r");
	char line[256];
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	ck_assert_msg(strncmp(line, "ready ", 6) == 0, "%s", line);
	ck_assert_int_eq(xa_has_xdp(), xdp);
	int fd = peer_socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM);
	peer_bind(fd, v6, v6 ? "fd09::2" : "10.9.0.2", 5000);
	peer_connect(fd, v6, v6 ? "fd09::1" : "10.9.0.1", 9000);
	timeouts(fd);
	static const size_t sizes[] = {1, 2, 63, 64, 65, 511, 1024, 1400, 1471, 1472, 3};
	static uint8_t m[1472], back[1500];
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k];
		for (size_t i = 0; i < n; i++)
			m[i] = (uint8_t)(i * 13 + k);
		if (n == 3)
			memcpy(m, "end", 3);
		ck_assert_int_eq(send(fd, m, n, 0), (ssize_t)n);
		ck_assert_int_eq(recv(fd, back, sizeof back, 0), (ssize_t)n);
		for (size_t i = 0; i < n; i++)
			ck_assert_uint_eq(back[i], m[n - 1 - i]);
	}
	size_t len = strlen(line);
	memcpy(out, line, len + 1);
	len += fread(out + len, 1, outlen - len - 1, f);
	out[len] = '\0';
	fclose(f);
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "udp_echo: %s", out);
	ck_assert(!xa_has_xdp());
	close(fd);
}

static void same_program(int v6)
{
	static char with[8192], without[8192];

	run_echo(0, v6, without, sizeof without);
	run_echo(1, v6, with, sizeof with);
	ck_assert_str_eq(with, without);
	ck_assert_msg(strstr(with, " len 1472 "), "%s", with);
}

START_TEST(same_program_v4)
{
	same_program(0);
}
END_TEST

START_TEST(same_program_v6)
{
	same_program(1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("xdp");
	TCase *t = tcase_create("datapath");
	tcase_add_checked_fixture(t, setup4, xdp_env_down);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, neigh_v4);
	tcase_add_test(t, neigh_v6);
	tcase_add_test(t, host_keeps_working);
	tcase_add_test(t, detach_on_last_close);
	tcase_add_test(t, detach_on_sigkill);
	tcase_add_test(t, missing_interface);
	tcase_add_test(t, busy_queue);
	tcase_add_test(t, busy_queue_auto_falls_back);
	tcase_add_test(t, unprivileged);
	tcase_add_test(t, unprivileged_auto);
	tcase_add_test(t, not_configured);
	tcase_add_test(t, others_pass);
	tcase_add_test(t, options_and_ext_headers);
	tcase_add_test(t, deadlines_and_close);
	tcase_add_test(t, poll_batch_lent);
	tcase_add_test(t, counters_from_outside);
	suite_add_tcase(s, t);
	TCase *z = tcase_create("sizes");
	tcase_add_checked_fixture(z, setup_mtu1520, xdp_env_down);
	tcase_set_timeout(z, 300);
	tcase_add_test(z, sizes_v4_native);
	tcase_add_test(z, sizes_v6_native);
	tcase_add_test(z, sizes_v4_generic);
	tcase_add_test(z, sizes_v6_generic);
	suite_add_tcase(s, z);
	TCase *p = tcase_create("program");
	tcase_add_checked_fixture(p, setup4, xdp_env_down);
	tcase_set_timeout(p, 120);
	tcase_add_test(p, same_program_v4);
	tcase_add_test(p, same_program_v6);
	suite_add_tcase(s, p);
	return s;
}

int main(void)
{
	netns_require();
	return ifplex_test_run(suite());
}
