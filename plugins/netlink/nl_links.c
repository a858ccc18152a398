/* SPDX-License-Identifier: MIT */
/* Links: one RTM_GETLINK dump for the list, one targeted request for
 * by-index and by-name, never a dump for a single interface. */
#include "nl.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct link_req {
	struct nlmsghdr h;
	struct ifinfomsg ifi;
	char attrs[RTA_SPACE(sizeof(uint32_t)) + RTA_SPACE(IFPLEX_NAME_MAX)];
};

static void add_attr(struct nlmsghdr *h, unsigned short type, const void *data, size_t n)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	memcpy(RTA_DATA(a), data, n);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void link_req_init(struct link_req *r, uint16_t flags)
{
	/* Statistics are most of a link message and nobody here reads them. */
	uint32_t mask = RTEXT_FILTER_SKIP_STATS;

	memset(r, 0, sizeof *r);
	r->h.nlmsg_len = NLMSG_LENGTH(sizeof r->ifi);
	r->h.nlmsg_type = RTM_GETLINK;
	r->h.nlmsg_flags = NLM_F_REQUEST | flags;
	r->ifi.ifi_family = AF_UNSPEC;
	add_attr(&r->h, IFLA_EXT_MASK, &mask, sizeof mask);
}

int nl_state_sock(struct nl_state *st, struct nl_sock **out)
{
	/* A forked child must not share the parent's socket (answers would
	 * go to whichever process reads first). */
	if (st->sock.fd >= 0 && st->sock.pid != getpid())
		nl_close(&st->sock);
	if (st->sock.fd < 0) {
		int rc = nl_open(&st->sock);
		if (rc < 0)
			return st->host->fail("socket", rc);
	}
	*out = &st->sock;
	return 0;
}

static int on_link(const struct nlmsghdr *h, void *arg)
{
	struct vec *v = arg;

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	struct ifplex_iface *ifi = vec_push(v);
	if (!ifi)
		return IFPLEX_ENOMEM;
	int rc = nl_parse_link(h, ifi);
	if (rc < 0)
		v->len--;
	return rc;
}

static void reset_vec(void *arg)
{
	((struct vec *)arg)->len = 0;
}

int nl_links_dump(struct nl_state *st, struct vec *ifaces)
{
	struct nl_sock *s;
	struct link_req r;
	int rc;

	if ((rc = nl_state_sock(st, &s)) < 0)
		return rc;
	link_req_init(&r, NLM_F_DUMP);
	rc = nl_request(s, &r.h, on_link, reset_vec, ifaces);
	return rc < 0 ? st->host->fail("netlinkrib", rc) : 0;
}

static int on_one(const struct nlmsghdr *h, void *arg)
{
	if (h->nlmsg_type != RTM_NEWLINK)
		return IFPLEX_EMALFORMED;
	return nl_parse_link(h, arg);
}

int nl_link_get(struct nl_state *st, int index, const char *name, struct ifplex_iface *out)
{
	struct nl_sock *s;
	struct link_req r;
	int rc;

	if ((rc = nl_state_sock(st, &s)) < 0)
		return rc;
	link_req_init(&r, 0);
	if (name) {
		size_t n = strlen(name);
		if (n >= IFNAMSIZ)
			return IFPLEX_ENOIFACE; /* the kernel's names are shorter */
		add_attr(&r.h, IFLA_IFNAME, name, n + 1);
	} else {
		r.ifi.ifi_index = index;
	}
	rc = nl_request(s, &r.h, on_one, NULL, out);
	if (rc == -ENODEV)
		return IFPLEX_ENOIFACE;
	return rc < 0 ? st->host->fail("netlinkrib", rc) : 0;
}
