/* SPDX-License-Identifier: MIT */
/* Multicast group memberships: an RTM_GETMULTICAST dump per family (IPv6
 * for long, IPv4 since Linux 6.11), else /proc/net/igmp and igmp6. */
#include "nl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

struct mc_ctx {
	struct vec *v;
	int index;
	size_t start;   /* where this family's groups begin in v */
};

static int on_group(const struct nlmsghdr *h, void *arg)
{
	struct mc_ctx *c = arg;
	struct ifplex_addr a;

	/* The kernel answers the dump with RTM_GETMULTICAST messages (IPv6 always has). */
	if (h->nlmsg_type != RTM_GETMULTICAST && h->nlmsg_type != 56 /* RTM_NEWMULTICAST */)
		return 0;
	int rc = nl_parse_mcast(h, &a);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	if (c->index && a.index != c->index)
		return 0;
	struct ifplex_addr *slot = vec_push(c->v);
	if (!slot)
		return IFPLEX_ENOMEM;
	*slot = a;
	return 0;
}

/* A restarted dump sends every group again: drop what this one gave. */
static void reset_from(void *arg)
{
	struct mc_ctx *c = arg;
	c->v->len = c->start;
}

/* One family by netlink: 0, or a negative errno the caller falls back on. */
static int dump_family(struct nl_state *st, int family, int index, struct vec *v)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg ifa;
	} r = {
		.h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)), .nlmsg_type = RTM_GETMULTICAST,
		      .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP},
		.ifa = {.ifa_family = (unsigned char)(family == 4 ? AF_INET : AF_INET6)},
	};
	struct mc_ctx c = {.v = v, .index = index, .start = v->len};
	struct nl_sock *s;
	int rc;

	pthread_mutex_lock(&st->lock);
	rc = nl_state_sock(st, &s);
	if (rc == 0)
		rc = nl_request(s, &r.h, on_group, reset_from, &c);
	pthread_mutex_unlock(&st->lock);
	if (rc == NL_INTERRUPTED)
		rc = 0; /* the last whole answer, as a dump under churn gives */
	if (rc < 0)
		v->len = c.start; /* whatever came before the failure is not trusted */
	return rc;
}

int nl_multicast(struct nl_state *st, int index, struct ifplex_addr **list, size_t *count,
		 const char **source)
{
	const char *proc = st->host->getenv("IFPLEX_NETLINK_PROC");
	struct vec v;
	int used_proc = 0, used_nl = 0, rc = 0;

	vec_init(&v, st->host, sizeof(struct ifplex_addr));
	for (int family = 4; family <= 6 && rc == 0; family += 2) {
		/* Tests point IFPLEX_NETLINK_PROC at fixture files: use them. */
		int r = proc && *proc ? -EOPNOTSUPP : dump_family(st, family, index, &v);
		if (r == 0) {
			used_nl = 1;
			continue;
		}
		if (r != -EOPNOTSUPP && r != -EINVAL && r != -EAFNOSUPPORT && r != -EPROTONOSUPPORT) {
			rc = st->host->fail("netlinkrib", r);
			break;
		}
		used_proc = 1;
		rc = mcast_proc(proc && *proc ? proc : "/proc/net", family, index, &v);
	}
	/* Interface- and link-local IPv6 groups carry the interface as zone. */
	struct ifplex_addr *a = v.data;
	for (size_t i = 0; rc == 0 && i < v.len; i++) {
		const uint8_t *b = a[i].ip.b;
		if (a[i].ip.len != 16 || b[0] != 0xff || ((b[1] & 0x0f) != 1 && (b[1] & 0x0f) != 2) || a[i].zone[0])
			continue;
		struct ifplex_iface ifi;
		if (nl_one_link(st, a[i].index, NULL, &ifi) == 0)
			memcpy(a[i].zone, ifi.name, sizeof ifi.name);
	}
	if (rc == 0)
		rc = vec_take(&v, list, count);
	vec_free(&v);
	*source = used_nl && used_proc ? "mixed" : used_nl ? "netlink" : "proc";
	return rc;
}
