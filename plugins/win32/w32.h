/* SPDX-License-Identifier: MIT */
/* The win32 backend: interfaces from GetAdaptersAddresses, conversations
 * on Winsock 2, lookups through GetAddrInfoW and DnsQuery_W (Go's
 * interface_windows.go, fd_windows.go and lookup_windows.go). */
#ifndef IFPLEX_WIN32_H
#define IFPLEX_WIN32_H

#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <windns.h>

#include <ifplex/backend.h>

#include <stdatomic.h>

/* The host the plugin was opened with (allocator, error notes). */
extern const struct ifplex_host *w32_host;

/* w32_text.c: UTF-8 and UTF-16, error codes and their system text. */
/* UTF-8 to UTF-16 into w (n wide characters): 0, IFPLEX_EINVAL for bad
 * UTF-8, IFPLEX_ESHORTBUF when it does not fit. */
int w32_to_wide(const char *s, wchar_t *w, size_t n);
/* UTF-16 to UTF-8 into s (n bytes), the same codes; a lone surrogate
 * becomes U+FFFD, as Go's UTF16ToString has it. */
int w32_to_utf8(const wchar_t *w, char *s, size_t n);
/* A Winsock or Win32 error as the negative errno-style code the core
 * knows (WSAECONNREFUSED: -ECONNREFUSED). */
int w32_code(DWORD err);
/* Record the failure of syscall in Go's words, "connectex: No connection
 * could be made ...", with the system's text for err; returns code. */
int w32_fail_code(const char *syscall, DWORD err, int code);
/* The same with a sentence for the user after the system's text. */
int w32_fail_hint(const char *syscall, DWORD err, int code, const char *hint);
/* The same with the code w32_code gives for err. */
int w32_fail(const char *syscall, DWORD err);

/* w32_adapters.c: interfaces and their addresses. */
/* What each kind of answer needs of the adapters. */
#define GAA_IFACES                                                                       \
	(GAA_FLAG_SKIP_UNICAST | GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST |     \
	 GAA_FLAG_SKIP_DNS_SERVER)
#define GAA_UNICAST (GAA_FLAG_INCLUDE_PREFIX | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER)
#define GAA_MULTICAST (GAA_FLAG_SKIP_UNICAST | GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_DNS_SERVER)
/* The adapter list into *out (free() it); an empty list is NULL and 0. */
int w32_adapters(ULONG flags, IP_ADAPTER_ADDRESSES **out);
/* Go: IfIndex, or Ipv6IfIndex on an adapter without IPv4. */
int w32_adapter_index(const IP_ADAPTER_ADDRESSES *a);
/* The adapter as Go's Interface reads it. */
void w32_adapter_iface(const IP_ADAPTER_ADDRESSES *a, struct ifplex_iface *ifi);
/* Call fn for the adapter of index, or named name when name is not NULL:
 * 0, or IFPLEX_ENOIFACE when there is none. */
int w32_adapter_find(int index, const char *name,
		     void (*fn)(const IP_ADAPTER_ADDRESSES *a, void *arg), void *arg);
struct vec;
/* One list (elements of elem bytes, from the host's allocator) of what fn
 * pushes for each adapter of index (0: every one): 0, IFPLEX_ENOIFACE
 * when there is no such adapter, or fn's code. */
int w32_adapter_list(ULONG flags, int index, size_t elem,
		     int (*fn)(const IP_ADAPTER_ADDRESSES *a, struct vec *v, void *arg), void *arg,
		     void *list, size_t *count);
/* The address sa of adapter a (prefixlen -1: a full mask) into out, its
 * length checked: 1, 0 for a family other than IPv4 and IPv6, or a code. */
int w32_addr_of(const IP_ADAPTER_ADDRESSES *a, const SOCKET_ADDRESS *sa, int prefixlen,
		struct ifplex_addr *out);
int w32_interfaces(void *state, struct ifplex_iface **list, size_t *count);
int w32_interface_by_index(void *state, int index, struct ifplex_iface *out);
int w32_interface_by_name(void *state, const char *name, struct ifplex_iface *out);
int w32_interface_addrs(void *state, int index, struct ifplex_addr **list, size_t *count);
int w32_multicast_addrs(void *state, int index, struct ifplex_addr **list, size_t *count);
/* The first IPv4 address of interface index, for IPv4 multicast joins. */
int w32_interface_ipv4(int index, struct in_addr *out);

/* w32_details.c: what GetAdaptersAddresses and GetIfEntry2 tell beyond Go. */
int w32_link_details(void *state, int index, struct ifplex_link_details *out);
int w32_addr_details(void *state, int index, struct ifplex_addr_details **list, size_t *count);
/* The medium's connection state in row: 1 connected, 0 not, -1 unknown. */
int w32_row_carrier(const MIB_IF_ROW2 *row);
/* A unicast address's IFPLEX_ADDRF_* (DAD state, origins). */
unsigned w32_addr_flags(const IP_ADAPTER_UNICAST_ADDRESS *u);

/* w32_scan.c and w32_diff.c: the state one GetAdaptersAddresses call
 * shows, and the notices that lead from one such state to the next. */
struct w32_link {
	struct ifplex_iface ifi;
	int carrier;               /* 1 connected, 0 not, -1 unknown */
};
struct w32_member {
	struct ifplex_addr a;
	unsigned flags;            /* IFPLEX_ADDRF_* (unicast) */
	int group;                 /* a multicast group */
};
struct w32_state {
	struct w32_link *links;    /* by index */
	struct w32_member *mem;    /* by index, group, address, prefix */
	size_t nlinks, nmem;
};
/* Scan the system into st (groups too when mcast): 0 or a code. */
int w32_scan(struct w32_state *st, int mcast);
void w32_state_free(struct w32_state *st);
/* The order of members in a state: link, kind, address, prefix (the keys
 * the core's view knows a member by). */
int w32_member_cmp(const void *x, const void *y);
/* Call emit for each notice that leads from old to new, in an order a
 * subscriber can follow: links added or changed, members removed, members
 * added or changed, links removed. */
void w32_diff(const struct w32_state *old, const struct w32_state *new,
	      void (*emit)(const struct ifplex_notice *n, void *arg), void *arg);

/* w32_events.c: change subscriptions (notifications, or polling). */
int w32_events_open(void *state, unsigned mask, ifplex_bevents **out);
int w32_events_read(ifplex_bevents *e, struct ifplex_notice *v, size_t n);
int w32_events_wait(ifplex_bevents *e, int64_t deadline);
int w32_events_wait_fd(ifplex_bevents *e, intptr_t *fd);
void w32_events_close(ifplex_bevents *e);

/* w32_sockaddr.c: endpoints to and from socket addresses. */
int w32_to_sockaddr(const struct ifplex_netaddr *a, int family, struct sockaddr_storage *ss,
		    int *len);
int w32_from_sockaddr(const struct sockaddr *sa, int len, struct ifplex_netaddr *out);
/* The address family a conversation uses, as Go's favoriteAddrFamily. */
int w32_family(const struct ifplex_sockspec *spec, int listening);

/* A conversation: one SOCKET behind the opaque handle. */
struct ifplex_bconn {
	SOCKET s;
	int family;                /* AF_INET, AF_INET6, AF_UNIX */
	int type;                  /* SOCK_STREAM, SOCK_DGRAM, SOCK_RAW */
	int listener;
	_Atomic int closing;       /* set by interrupt: blocked calls give up */
	/* Deadlines as the core last set them (0 read, 1 write), read live by
	 * waiting calls.  A change, or Close, wakes them through wake: a UDP
	 * socket on the loopback connected to itself, made on the first wait,
	 * one datagram per waiter. */
	_Atomic int64_t deadline[2];
	_Atomic SOCKET wake;
	_Atomic int waiters;
	wchar_t unlink_path[110];  /* a Unix listener's file, removed on close */
};

/* w32_wait.c: waiting for readiness under the live deadlines. */
enum { W32_IN = 1, W32_OUT = 2 };
/* Wait until c is ready for events (W32_IN or W32_OUT) under its live
 * deadline: 0, IFPLEX_ETIMEDOUT, or IFPLEX_ECLOSED once Close interrupted. */
int w32_wait(ifplex_bconn *c, int events);
/* Whether c's live deadline for events has passed. */
int w32_expired(ifplex_bconn *c, int events);
/* After a call on c failed with err: 0 to try again (the socket was not
 * ready and now is), else the error to return, recorded for syscall. */
int w32_again(ifplex_bconn *c, int events, DWORD err, const char *syscall);
int w32_set_deadline(ifplex_bconn *c, int which, int64_t deadline);
int w32_interrupt(ifplex_bconn *c);
int w32_poll(ifplex_bconn *c, unsigned events, int64_t deadline, unsigned *revents);
/* Wait for a non-blocking connect to finish (select reports a refused
 * connection, which WSAPoll did not before Windows 10 2004). */
int w32_wait_connect(ifplex_bconn *c, int64_t deadline);
void w32_wake_close(ifplex_bconn *c);

/* w32_conn.c: making and ending conversations. */
int w32_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int w32_listen(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int w32_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int w32_accept(ifplex_bconn *l, int64_t deadline, ifplex_bconn **out);
int w32_close(ifplex_bconn *c);

/* w32_io.c: moving bytes. */
int w32_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n);
int w32_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n);
int w32_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int w32_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int w32_read_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);
int w32_write_batch(ifplex_bconn *c, struct ifplex_msg *m, size_t count, int64_t deadline);

/* w32_opts.c: endpoints and options. */
int w32_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int w32_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int w32_set_option(ifplex_bconn *c, int option, int64_t value);
int w32_join_group(ifplex_bconn *c, const struct ifplex_ip *group, int ifindex, int join);
int w32_close_write(ifplex_bconn *c);
int w32_conn_fd(ifplex_bconn *c, intptr_t *fd);
uint64_t w32_conn_caps(ifplex_bconn *c);

/* w32_answer.c: a DnsQuery_W answer as Go's lookup_windows.go reads it. */
/* The status as a code: 0 with records, 1 for DNS_INFO_NO_RECORDS (the
 * name exists without records of the type), IFPLEX_ENOTFOUND for no such
 * name, else the failure recorded with the system's text. */
int w32_answer_status(DNS_STATUS st);
/* The canonical name of name in the answer r (NULL: none): where the
 * answer section's CNAME chain from name ends, at most ten links, in UTF-8
 * with a trailing dot. */
int w32_answer_cname(const wchar_t *name, const DNS_RECORDW *r, char *buf, size_t len);
/* The answer section's records of type (DNS_TYPE_SRV into a struct
 * ifplex_srv list, DNS_TYPE_MX into a struct ifplex_mx list) that belong
 * to the name name's CNAME chain ends at, sorted as Go sorts them: one
 * allocation in *list, IFPLEX_ENOTFOUND when there are none. */
int w32_answer_records(const wchar_t *name, const DNS_RECORDW *r, WORD type, void *list,
		       size_t *count);

/* w32_lookup.c and w32_dns.c: names. */
int w32_lookup_ip(void *state, const char *host, int family, struct ifplex_ip **list, size_t *count);
int w32_lookup_port(void *state, int kind, const char *service, int *port);
int w32_lookup_addr(void *state, const struct ifplex_ip *ip, char ***names, size_t *count);
int w32_lookup_cname(void *state, const char *host, char *buf, size_t len);
int w32_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count);
int w32_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count);

#endif
