/* SPDX-License-Identifier: MIT */
/* Making and ending conversations on Winsock 2: every SOCKET is
 * non-blocking, with the options Go's sock_windows.go and sockopt_windows.go
 * set on each. */
#include "w32.h"
#include "../common/ipsa.h"

#include <mstcpip.h>
#include <string.h>

#ifndef SIO_UDP_CONNRESET
#  define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif

static int socktype(const struct ifplex_network *n, int *proto)
{
	*proto = 0;
	switch (n->kind) {
	case IFPLEX_NET_TCP:
		*proto = IPPROTO_TCP;
		return SOCK_STREAM;
	case IFPLEX_NET_UDP:
		*proto = IPPROTO_UDP;
		return SOCK_DGRAM;
	case IFPLEX_NET_UNIX:
		return SOCK_STREAM;
	case IFPLEX_NET_IP:
		*proto = n->proto;
		return SOCK_RAW;
	default:
		return -1; /* unixgram, unixpacket: Windows has stream Unix sockets only */
	}
}

static int new_conn(SOCKET s, int family, int type, ifplex_bconn **out)
{
	ifplex_bconn *c = w32_host->alloc(sizeof *c);

	if (!c) {
		closesocket(s);
		return IFPLEX_ENOMEM;
	}
	c->s = s;
	c->family = family;
	c->type = type;
	atomic_init(&c->wake, INVALID_SOCKET);
	*out = c;
	return 0;
}

static int set_int(SOCKET s, int level, int name, int v)
{
	return setsockopt(s, level, name, (const char *)&v, sizeof v);
}

/* What a failed socket() means to a user: no admin rights for raw IP, no
 * AF_UNIX on older systems. */
static int socket_error(int family, int type, DWORD err)
{
	if (family == AF_UNIX && (err == WSAEAFNOSUPPORT || err == WSAEPROTONOSUPPORT ||
				  err == WSAESOCKTNOSUPPORT))
		return w32_fail_hint("socket", err, IFPLEX_ENOTSUP,
				     "(this system has no AF_UNIX sockets)");
	if (type == SOCK_RAW && err == WSAEACCES)
		return w32_fail_hint("socket", err, w32_code(err),
				     "(raw IP sockets need administrator rights)");
	return w32_fail("socket", err);
}

/* Bind to a device by interface name, as IP_UNICAST_IF allows. */
static int bind_device(SOCKET s, int family, const char *device)
{
	struct ifplex_iface ifi;
	int rc = w32_interface_by_name(NULL, device, &ifi);

	if (rc < 0)
		return w32_host->fail_text("no such network interface", IFPLEX_ENOIFACE);
	if (family == AF_INET)
		rc = set_int(s, IPPROTO_IP, IP_UNICAST_IF, (int)htonl((u_long)ifi.index));
	else if (family == AF_INET6)
		rc = set_int(s, IPPROTO_IPV6, IPV6_UNICAST_IF, ifi.index);
	else
		return w32_host->fail_text("setsockopt: a Unix socket has no device", IFPLEX_EINVAL);
	return rc == 0 ? 0 : w32_fail("setsockopt", WSAGetLastError());
}

/* A non-blocking socket of the spec's kind, with Go's options. */
static int open_socket(const struct ifplex_sockspec *spec, int family, int listening,
		       SOCKET *out, int *type_out)
{
	int proto, type = socktype(&spec->net, &proto);
	u_long on = 1;

	if (type < 0)
		return w32_host->fail_text("socket: Windows has no Unix datagram or packet sockets",
					   IFPLEX_ENOTSUP);
	SOCKET s = WSASocketW(family, type, proto, NULL, 0, WSA_FLAG_NO_HANDLE_INHERIT);
	if (s == INVALID_SOCKET)
		return socket_error(family, type, WSAGetLastError());
	if (ioctlsocket(s, FIONBIO, &on) != 0) {
		DWORD e = WSAGetLastError();
		closesocket(s);
		return w32_fail("ioctlsocket", e);
	}
	if (family == AF_INET6 && type != SOCK_RAW)
		set_int(s, IPPROTO_IPV6, IPV6_V6ONLY, spec->net.family == 6);
	if (family != AF_UNIX && type == SOCK_STREAM && !listening)
		set_int(s, IPPROTO_TCP, TCP_NODELAY, 1);
	if (family == AF_INET && type == SOCK_DGRAM)
		set_int(s, SOL_SOCKET, SO_BROADCAST, 1);
	if (type == SOCK_DGRAM) {
		/* An ICMP port-unreachable must not fail the next receive. */
		BOOL off = FALSE;
		DWORD ret;
		WSAIoctl(s, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &ret, NULL, NULL);
	}
	if (spec->device && *spec->device) {
		int rc = bind_device(s, family, spec->device);
		if (rc < 0) {
			closesocket(s);
			return rc;
		}
	}
	*out = s;
	*type_out = type;
	return 0;
}

static int bind_to(SOCKET s, const struct ifplex_netaddr *a, int family)
{
	struct sockaddr_storage ss;
	int len;
	int rc = w32_to_sockaddr(a, family, &ss, &len);

	if (rc < 0)
		return rc;
	if (bind(s, (struct sockaddr *)&ss, len) != 0)
		return w32_fail("bind", WSAGetLastError());
	return 0;
}

int w32_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	int family = w32_family(spec, 0), type, rc, len;
	struct sockaddr_storage ss;
	SOCKET s;

	if (family == AF_INET && spec->addr.ip.len == 0 && spec->net.family == 6)
		family = AF_INET6;
	if ((rc = w32_to_sockaddr(&spec->addr, family, &ss, &len)) < 0)
		return rc;
	/* Dialing ":80" means this system. */
	if (family == AF_INET && spec->addr.ip.len == 0)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (family == AF_INET6 && spec->addr.ip.len == 0)
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	if ((rc = open_socket(spec, family, 0, &s, &type)) < 0)
		return rc;
	if ((rc = new_conn(s, family, type, out)) < 0)
		return rc;
	if (spec->local && (rc = bind_to(s, spec->local, family)) < 0)
		goto fail;
	if (connect(s, (struct sockaddr *)&ss, len) != 0) {
		DWORD e = WSAGetLastError();
		if (e != WSAEWOULDBLOCK) {
			rc = w32_fail("connectex", e);
			goto fail;
		}
		if ((rc = w32_wait_connect(*out, spec->deadline)) < 0)
			goto fail;
	}
	return 0;
fail:
	w32_close(*out);
	*out = NULL;
	return rc;
}

static int is_multicast(const struct ifplex_ip *ip)
{
	const uint8_t *p4 = ipsa_ip4(ip);

	if (p4)
		return p4[0] >= 224 && p4[0] <= 239;
	return ip->len == 16 && ip->b[0] == 0xff;
}

static int listen_common(const struct ifplex_sockspec *spec, int stream, ifplex_bconn **out)
{
	int family = w32_family(spec, 1), type, rc;
	struct ifplex_netaddr at = spec->addr;
	SOCKET s;

	if ((rc = open_socket(spec, family, 1, &s, &type)) < 0)
		return rc;
	if ((rc = new_conn(s, family, type, out)) < 0)
		return rc;
	/* Go: a multicast listener shares its port and binds the wildcard. */
	if (type == SOCK_DGRAM && is_multicast(&at.ip)) {
		set_int(s, SOL_SOCKET, SO_REUSEADDR, 1);
		memset(&at.ip, 0, sizeof at.ip);
		at.zone[0] = '\0';
	}
	if ((rc = bind_to(s, &at, family)) < 0)
		goto fail;
	if (stream && listen(s, SOMAXCONN) != 0) {
		rc = w32_fail("listen", WSAGetLastError());
		goto fail;
	}
	(*out)->listener = stream;
	/* A Unix listener removes the file it created; abstract names have none. */
	if (family == AF_UNIX && at.path[0] && at.path[0] != '@' &&
	    w32_to_wide(at.path, (*out)->unlink_path, sizeof (*out)->unlink_path / sizeof(wchar_t)) < 0)
		(*out)->unlink_path[0] = L'\0';
	return 0;
fail:
	w32_close(*out);
	*out = NULL;
	return rc;
}

int w32_listen(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	return listen_common(spec, 1, out);
}

int w32_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out)
{
	return listen_common(spec, 0, out);
}

int w32_accept(ifplex_bconn *l, int64_t deadline, ifplex_bconn **out)
{
	u_long on = 1;

	for (;;) {
		if (w32_expired(l, W32_IN))
			return IFPLEX_ETIMEDOUT;
		SOCKET s = accept(l->s, NULL, NULL);
		if (s != INVALID_SOCKET) {
			if (ioctlsocket(s, FIONBIO, &on) != 0) {
				DWORD e = WSAGetLastError();
				closesocket(s);
				return w32_fail("ioctlsocket", e);
			}
			if (l->family != AF_UNIX)
				set_int(s, IPPROTO_TCP, TCP_NODELAY, 1);
			return new_conn(s, l->family, l->type, out);
		}
		DWORD e = WSAGetLastError();
		if (e == WSAECONNRESET)
			continue; /* the peer gave up before we took it */
		int rc = w32_again(l, W32_IN, e, "accept");
		if (rc < 0)
			return rc;
	}
}

int w32_close(ifplex_bconn *c)
{
	int rc = 0;

	if (closesocket(c->s) != 0)
		rc = w32_fail("closesocket", WSAGetLastError());
	w32_wake_close(c);
	if (c->unlink_path[0])
		DeleteFileW(c->unlink_path);
	w32_host->free(c);
	return rc;
}
