/* SPDX-License-Identifier: MIT */
/* sysctl(NET_RT_IFLIST ...) and PF_ROUTE on the BSDs and macOS: the only
 * routesock file that includes the system's routing headers. */
#include "rs_sys.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>
#include <net/if.h>
#include <net/route.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* FreeBSD's routing messages follow the kernel's word size: an i386
 * program on an amd64 kernel gets amd64 alignment, so ask the kernel what
 * it is, as Go does with kern.conftxt (golang/go#35513). */
static const char *arch_name(void)
{
#if defined(__FreeBSD__)
	char conf[8192];
	size_t n = sizeof conf - 1;
	if (sysctlbyname("kern.conftxt", conf, &n, NULL, 0) == 0) {
		conf[n] = '\0';
		/* A line "machine\tamd64". */
		for (char *line = conf; line; line = strchr(line, '\n')) {
			line += *line == '\n';
			if (strncmp(line, "machine", 7) != 0 || (line[7] != ' ' && line[7] != '\t'))
				continue;
			const char *m = line + 8;
			while (*m == ' ' || *m == '\t')
				m++;
			if (strncmp(m, "amd64", 5) == 0)
				return "amd64";
			break;
		}
	}
#endif
#if defined(__x86_64__)
	return "amd64";
#elif defined(__i386__)
	return "i386";
#elif defined(__aarch64__)
	return "arm64";
#else
	return "unknown";
#endif
}

const struct rs_layout *rs_sys_layout(void)
{
	struct utsname u;

	/* "FreeBSD", "Darwin", "NetBSD", "OpenBSD", "DragonFly": the table's
	 * names in lower case. */
	if (uname(&u) < 0)
		return NULL;
	for (char *p = u.sysname; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return rs_layout_find(u.sysname, arch_name());
}

static int sysctl_what(int what)
{
	switch (what) {
	case RS_IFLIST:
		return NET_RT_IFLIST;
#ifdef NET_RT_IFLIST2
	case RS_IFLIST2:
		return NET_RT_IFLIST2;
#endif
#ifdef NET_RT_IFMALIST
	case RS_IFMALIST:
		return NET_RT_IFMALIST;
#endif
	}
	return -1;
}

int rs_sys_fetch(int what, int index, uint8_t **buf, size_t *len)
{
	int mib[6] = {CTL_NET, PF_ROUTE, 0, 0, sysctl_what(what), index};

	*buf = NULL;
	*len = 0;
	if (mib[4] < 0)
		return -ENOTSUP;
	for (int tries = 1;; tries++) {
		size_t n = 0;
		if (sysctl(mib, 6, NULL, &n, NULL, 0) < 0)
			return -errno;
		/* Room for a few more messages than were there a moment ago. */
		n += n / 8 + 512;
		uint8_t *b = malloc(n);
		if (!b)
			return -ENOMEM;
		if (sysctl(mib, 6, b, &n, NULL, 0) == 0) {
			*buf = b;
			*len = n;
			return 0;
		}
		int e = errno;
		free(b);
		if (e != ENOMEM || tries == 3)
			return -e;
	}
}

int rs_sys_watch_open(void)
{
	int fd = socket(PF_ROUTE, SOCK_RAW, AF_UNSPEC);

	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* Message types that change what the backend lists. */
static int relevant(int type)
{
	switch (type) {
	case RTM_NEWADDR:
	case RTM_DELADDR:
	case RTM_IFINFO:
#ifdef RTM_IFANNOUNCE
	case RTM_IFANNOUNCE:
#endif
#ifdef RTM_NEWMADDR
	case RTM_NEWMADDR:
#endif
#ifdef RTM_DELMADDR
	case RTM_DELMADDR:
#endif
#ifdef RTM_CHGADDR
	case RTM_CHGADDR:
#endif
		return 1;
	}
	return 0;
}

int rs_sys_watch_drain(int fd)
{
	uint8_t buf[4096];
	int changed = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return changed;
			if (errno == ENOBUFS)
				return 1; /* lost some: something changed */
			return -errno;
		}
		/* A read returns one message: u16 length, version, type. */
		if (n >= 4 && buf[2] == RTM_VERSION && relevant(buf[3]))
			changed = 1;
	}
}

int rs_sys_route_read(int fd, uint8_t *buf, size_t cap, size_t *n)
{
	for (;;) {
		ssize_t got = read(fd, buf, cap);
		if (got >= 0) {
			*n = (size_t)got;
			return 1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		/* The kernel's soroverflow(): messages were dropped. */
		if (errno == ENOBUFS)
			return RS_SYS_OVERFLOW;
		return -errno;
	}
}
