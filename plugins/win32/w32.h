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
int w32_interfaces(void *state, struct ifplex_iface **list, size_t *count);
int w32_interface_by_index(void *state, int index, struct ifplex_iface *out);
int w32_interface_by_name(void *state, const char *name, struct ifplex_iface *out);
int w32_interface_addrs(void *state, int index, struct ifplex_addr **list, size_t *count);
int w32_multicast_addrs(void *state, int index, struct ifplex_addr **list, size_t *count);
/* The first IPv4 address of interface index, for IPv4 multicast joins. */
int w32_interface_ipv4(int index, struct in_addr *out);

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
