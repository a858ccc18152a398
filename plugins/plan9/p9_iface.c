/* SPDX-License-Identifier: MIT */
/* Interfaces and addresses from ipifc/N/status as ipifcstate() prints
 * them: Go's interface_plan9.go, but every kind of device the kernel binds
 * (an empty one when unbound, "pkt2" for a packet interface). */
#include "p9.h"
#include "../common/vec.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_MAX 65536

/* What the device text says of the medium (ipifcbind names a device by
 * the path given to "bind", or "<medium><conversation>" without one). */
static unsigned device_flags(const char *dev)
{
	if (!dev[0])
		return 0; /* unbound: listed down, without addresses */
	if (strcmp(dev, "/dev/null") == 0 || strncmp(dev, "loopback", 8) == 0)
		return IFPLEX_IFF_UP | IFPLEX_IFF_LOOPBACK | IFPLEX_IFF_MULTICAST;
	if (strncmp(dev, "pkt", 3) == 0)
		/* a tunnel (6in4, tinc) without link addresses, as a Linux tun */
		return IFPLEX_IFF_UP | IFPLEX_IFF_POINTTOPOINT | IFPLEX_IFF_MULTICAST;
	return IFPLEX_IFF_UP | IFPLEX_IFF_BROADCAST | IFPLEX_IFF_MULTICAST;
}

/* The hardware address in <device>/addr, for a device that is a path of
 * the namespace.  A path without one (a netdev or ppp file) has none. */
static int read_hwaddr(struct p9 *p, const char *dev, struct ifplex_iface *ifi)
{
	char path[1024], addr[256], msg[600];
	size_t alen;

	if (p9_nspath(p, dev, path, sizeof path - 8) < 0)
		return 0;
	strcat(path, "/addr");
	int rc = p9_read_file(path, addr, sizeof addr, &alen);
	if (rc == -ENOENT || rc == -ENOTDIR) {
		p->host->log(IFPLEX_LOG_DEBUG, "plan9: %s has no addr file: no hardware address", dev);
		return 0;
	}
	if (rc < 0) {
		snprintf(msg, sizeof msg, "cannot read hardware address file %s/addr", dev);
		return p->host->fail_text(msg, rc);
	}
	if (p9_parse_hwaddr(addr, alen, ifi->hwaddr, &ifi->hwaddr_len) < 0) {
		snprintf(msg, sizeof msg, "invalid hardware address in %s/addr", dev);
		return p->host->fail_text(msg, IFPLEX_EMALFORMED);
	}
	return 0;
}

/* Interface N (index N+1) into ifi; ENOIFACE if there is no ipifc/N. */
static int read_iface(struct p9 *p, int n, struct ifplex_iface *ifi, char *status, size_t *slen)
{
	char path[1024];
	struct p9_ifc_head head;
	int rc;

	snprintf(path, sizeof path, "%s/ipifc/%d/status", p->root, n);
	if ((rc = p9_read_file(path, status, STATUS_MAX, slen)) < 0) {
		if (rc == -ENOENT || rc == -ENOTDIR)
			return IFPLEX_ENOIFACE;
		return p->host->fail("open", rc);
	}
	const char *nl = memchr(status, '\n', *slen);
	size_t l1 = nl ? (size_t)(nl - status) : *slen;
	if (p9_parse_status_head(status, l1, &head) < 0) {
		snprintf(path, sizeof path, "invalid interface status file: /net/ipifc/%d/status", n);
		return p->host->fail_text(path, IFPLEX_EMALFORMED);
	}
	memset(ifi, 0, sizeof *ifi);
	ifi->index = n + 1;
	ifi->mtu = head.mtu;
	snprintf(ifi->name, sizeof ifi->name, "/net/ipifc/%d", n);
	ifi->flags = device_flags(head.device);
	if (head.device[0] == '/' && !(ifi->flags & IFPLEX_IFF_LOOPBACK))
		return read_hwaddr(p, head.device, ifi);
	return 0;
}

static int by_number(const void *a, const void *b)
{
	return ((const struct ifplex_iface *)a)->index - ((const struct ifplex_iface *)b)->index;
}

/* Each ipifc/N, in order; fn gets the interface and its status text. */
static int each_iface(struct p9 *p, int (*fn)(struct p9 *, const struct ifplex_iface *, const char *,
					      size_t, void *), void *arg)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/ipifc", p->root);
	DIR *d = opendir(dir);
	if (!d)
		return p->host->fail("open", IFPLEX_ENOTSUP);
	int nums[4096], count = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && count < 4096) {
		char *end;
		long n = strtol(e->d_name, &end, 10);
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && *end == '\0' && n >= 0 && n < 1 << 20)
			nums[count++] = (int)n;
	}
	closedir(d);
	struct ifplex_iface *ifs = calloc((size_t)count + 1, sizeof *ifs);
	char *status = malloc(STATUS_MAX);
	int rc = 0;
	if (!ifs || !status) {
		free(ifs);
		free(status);
		return IFPLEX_ENOMEM;
	}
	for (int i = 0; i < count; i++)
		ifs[i].index = nums[i] + 1;
	qsort(ifs, (size_t)count, sizeof *ifs, by_number);
	for (int i = 0; i < count && rc == 0; i++) {
		size_t slen;
		struct ifplex_iface ifi;
		rc = read_iface(p, ifs[i].index - 1, &ifi, status, &slen);
		if (rc == IFPLEX_ENOIFACE) {
			rc = 0; /* gone since the listing */
			continue;
		}
		if (rc == 0)
			rc = fn(p, &ifi, status, slen, arg);
	}
	free(ifs);
	free(status);
	return rc;
}

static int push_iface(struct p9 *p, const struct ifplex_iface *ifi, const char *s, size_t n, void *arg)
{
	(void)p;
	(void)s;
	(void)n;
	struct ifplex_iface *slot = vec_push(arg);
	if (!slot)
		return IFPLEX_ENOMEM;
	*slot = *ifi;
	return 0;
}

int p9_interfaces(void *state, struct ifplex_iface **list, size_t *count)
{
	struct p9 *p = state;
	struct vec v;

	vec_init(&v, p->host, sizeof(struct ifplex_iface));
	int rc = each_iface(p, push_iface, &v);
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}

int p9_interface_by_index(void *state, int index, struct ifplex_iface *out)
{
	struct p9 *p = state;
	char *status = malloc(STATUS_MAX);
	size_t slen;

	if (!status)
		return IFPLEX_ENOMEM;
	int rc = read_iface(p, index - 1, out, status, &slen);
	free(status);
	return rc;
}

int p9_interface_by_name(void *state, const char *name, struct ifplex_iface *out)
{
	char *end;

	/* Names are "/net/ipifc/N": the number is the index less one. */
	if (strncmp(name, "/net/ipifc/", 11) != 0 || name[11] < '0' || name[11] > '9')
		return IFPLEX_ENOIFACE;
	long n = strtol(name + 11, &end, 10);
	if (*end != '\0' || n < 0 || n >= 1 << 20)
		return IFPLEX_ENOIFACE;
	return p9_interface_by_index(state, (int)n + 1, out);
}

/* Every address line after the header line of one status text; the lone
 * empty line of an interface without addresses is none. */
static int push_addrs(struct p9 *p, const struct ifplex_iface *ifi, const char *s, size_t n, void *arg)
{
	const char *end = s + n, *line = memchr(s, '\n', n);

	while (line && ++line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t l = nl ? (size_t)(nl - line) : (size_t)(end - line);
		size_t blank = strspn(line, " \t\r");
		if (blank < l) {
			struct ifplex_addr a;
			int rc = p9_parse_status_addr(p->host, line, l, &a);
			if (rc == IFPLEX_ENOTSUP) {
				/* A mask that is no prefix has no ifplex_addr: leave
				 * that address out rather than fail the list. */
				p->host->log(IFPLEX_LOG_DEBUG, "plan9: %s/status: mask without a prefix: %.*s",
					     ifi->name, (int)l, line);
			} else if (rc < 0) {
				char msg[320];
				snprintf(msg, sizeof msg, "cannot parse IP address for interface: %s/status", ifi->name);
				return p->host->fail_text(msg, IFPLEX_EMALFORMED);
			} else {
				a.index = ifi->index;
				/* Link-local IPv6 addresses carry the interface as zone:
				 * its index, which the CIDR text and
				 * ifplex_ip_parse_zone read back unambiguously. */
				if (a.ip.len == 16 && a.ip.b[0] == 0xfe && (a.ip.b[1] & 0xc0) == 0x80)
					snprintf(a.zone, sizeof a.zone, "%d", ifi->index);
				struct ifplex_addr *slot = vec_push(arg);
				if (!slot)
					return IFPLEX_ENOMEM;
				*slot = a;
			}
		}
		line = nl;
	}
	return 0;
}

int p9_interface_addrs(void *state, int index, struct ifplex_addr **list, size_t *count)
{
	struct p9 *p = state;
	struct vec v;
	int rc;

	vec_init(&v, p->host, sizeof(struct ifplex_addr));
	if (index) {
		char *status = malloc(STATUS_MAX);
		size_t slen;
		struct ifplex_iface ifi;
		if (!status)
			return IFPLEX_ENOMEM;
		rc = read_iface(p, index - 1, &ifi, status, &slen);
		if (rc == 0)
			rc = push_addrs(p, &ifi, status, slen, &v);
		free(status);
	} else {
		rc = each_iface(p, push_addrs, &v);
	}
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	return rc;
}
