/* SPDX-License-Identifier: MIT */
/* Two namespaces joined by a veth pair for the datapath's tests: this
 * (forked) test process in one with xa (10.9.0.1/24, fd09::1/64), a peer
 * process holding the other with xb (10.9.0.2/24, fd09::2/64); kernel
 * sockets of the peer's side are made by stepping into its namespace. */
#ifndef IFPLEX_TEST_XDP_ENV_H
#define IFPLEX_TEST_XDP_ENV_H

#include "../netns.h"
#include "../helpers.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

static pid_t peer_pid;
static int self_ns = -1, peer_ns = -1;

/* The kernel's UDP checksum offload on a veth leaves CHECKSUM_PARTIAL
 * packets (the field holds the pseudo-header sum only) that an AF_XDP
 * socket sees as they are: the sending side computes checksums, as a
 * real link's would arrive.  mtu: of both ends. */
static inline void xdp_env_up(int mtu)
{
	int p[2];

	netns_require();
	netns_enter();
	ck_assert_int_eq(pipe(p), 0);
	peer_pid = fork();
	ck_assert_int_ge(peer_pid, 0);
	if (peer_pid == 0) {
		char c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		ssize_t w = write(p[1], &c, 1);
		(void)w;
		for (;;)
			pause();
	}
	char c = 0;
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(c, 'y');
	close(p[0]);
	close(p[1]);
	self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)peer_pid);
	peer_ns = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert(self_ns >= 0 && peer_ns >= 0);
	sh("ip link add xa mtu %d type veth peer name xb mtu %d netns %d", mtu, mtu, (int)peer_pid);
	sh("ip addr add 10.9.0.1/24 dev xa && ip addr add fd09::1/64 dev xa nodad && ip link set xa up");
	sh("nsenter -t %d -n sh -c 'ip link set lo up && ip addr add 10.9.0.2/24 dev xb && "
	   "ip addr add fd09::2/64 dev xb nodad && ip link set xb up && ethtool -K xb tx off >/dev/null'",
	   (int)peer_pid);
}

static inline void xdp_env_down(void)
{
	if (peer_pid > 0) {
		kill(peer_pid, SIGKILL);
		waitpid(peer_pid, NULL, 0);
	}
}

/* A socket of the peer's namespace. */
static inline int peer_socket(int family, int type)
{
	ck_assert_int_eq(setns(peer_ns, CLONE_NEWNET), 0);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(setns(self_ns, CLONE_NEWNET), 0);
	ck_assert_int_ge(fd, 0);
	return fd;
}

#define peer_sh(...)                                                            \
	do {                                                                    \
		char pcmd_[2048];                                               \
		snprintf(pcmd_, sizeof pcmd_, __VA_ARGS__);                     \
		sh("nsenter -t %d -n sh -c '%s'", (int)peer_pid, pcmd_);        \
	} while (0)

/* Whether an XDP program is attached to xa now. */
static inline int xa_has_xdp(void)
{
	return system("ip -d link show xa | grep -q 'prog/xdp'") == 0;
}

/* Use the datapath on xa (mode: "native", "generic" or NULL for auto). */
static inline void xdp_env_datapath(const char *which, const char *ifaces, const char *mode)
{
	setenv("IFPLEX_DATAPATH", which, 1);
	setenv("IFPLEX_XDP", ifaces, 1);
	if (mode)
		setenv("IFPLEX_XDP_MODE", mode, 1);
	/* The plugin sits beside the netlink plugin in the build tree. */
	const char *pp = getenv("IFPLEX_PLUGIN_PATH");
	const char *b = ifplex_test_env("IFPLEX_TEST_BUILDDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/plugins/xdp/.libs:%s", b, pp ? pp : "");
	setenv("IFPLEX_PLUGIN_PATH", path, 1);
}

#endif
