/* Interfaces and addresses from ipifc/N/status, as Go's interface_plan9.go
 * reads them, but every address line (Go reads only the first). */
#include "p9.h"
#include "../common/vec.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_MAX 65536

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
	if (strcmp(head.device, "/dev/null") == 0) {
		ifi->flags = IFPLEX_IFF_UP | IFPLEX_IFF_LOOPBACK | IFPLEX_IFF_MULTICAST;
		return 0;
	}
	ifi->flags = IFPLEX_IFF_UP | IFPLEX_IFF_BROADCAST | IFPLEX_IFF_MULTICAST;
	char dev[1024], addr[256];
	size_t alen;
	if (p9_rebase(p, head.device, dev, sizeof dev - 8) < 0)
		return 0; /* a packet interface ("pkt2"): no hardware address */
	strcat(dev, "/addr");
	if ((rc = p9_read_file(dev, addr, sizeof addr, &alen)) < 0) {
		snprintf(path, sizeof path, "missing hardware address file %s/addr", head.device);
		return p->host->fail_text(path, IFPLEX_EMALFORMED);
	}
	if (p9_parse_hwaddr(addr, alen, ifi->hwaddr, &ifi->hwaddr_len) < 0) {
		snprintf(path, sizeof path, "invalid hardware address in %s/addr", head.device);
		return p->host->fail_text(path, IFPLEX_EMALFORMED);
	}
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

/* Every address line after the header line of one status text. */
static int push_addrs(struct p9 *p, const struct ifplex_iface *ifi, const char *s, size_t n, void *arg)
{
	const char *end = s + n, *line = memchr(s, '\n', n);

	while (line && ++line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t l = nl ? (size_t)(nl - line) : (size_t)(end - line);
		size_t blank = strspn(line, " \t\r");
		if (blank < l) {
			struct ifplex_addr a;
			if (p9_parse_status_addr(line, l, &a) < 0) {
				char msg[320];
				snprintf(msg, sizeof msg, "cannot parse IP address for interface: %s/status", ifi->name);
				return p->host->fail_text(msg, IFPLEX_EMALFORMED);
			}
			a.index = ifi->index;
			/* Link-local IPv6 addresses carry the interface as zone. */
			if (a.ip.len == 16 && a.ip.b[0] == 0xfe && (a.ip.b[1] & 0xc0) == 0x80)
				snprintf(a.zone, sizeof a.zone, "%s", ifi->name);
			struct ifplex_addr *slot = vec_push(arg);
			if (!slot)
				return IFPLEX_ENOMEM;
			*slot = a;
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
