/* SPDX-License-Identifier: MIT */
/* The kernel's routing and neighbour tables over rtnetlink: where a
 * datagram leaves (RTM_GETROUTE), the next hop's link-layer address
 * (RTM_GETNEIGH), and a resolution started for a missing one
 * (RTM_NEWNEIGH with NTF_USE, as if the kernel itself had a packet for it:
 * an ARP request or neighbour solicitation, no datagram of ours). */
#define _GNU_SOURCE
#include "xdp.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int xdp_route_open(struct xdp_route *r)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};

	r->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (r->fd < 0)
		return -errno;
	if (bind(r->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		close(r->fd);
		r->fd = -1;
		return -e;
	}
	int one = 1;
	/* Errors without the request echoed back: smaller answers. */
	setsockopt(r->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
	setsockopt(r->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
	pthread_mutex_init(&r->lock, NULL);
	return 0;
}

void xdp_route_close(struct xdp_route *r)
{
	if (r->fd >= 0) {
		close(r->fd);
		pthread_mutex_destroy(&r->lock);
	}
	r->fd = -1;
}

struct req {
	struct nlmsghdr h;
	union {
		struct rtmsg rt;
		struct ndmsg nd;
		struct ifinfomsg ifi;
	};
	char attrs[64];
};

static void attr(struct req *q, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)q + NLMSG_ALIGN(q->h.nlmsg_len));

	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Send q and read its answer: the first message of the right sequence
 * number goes to fn (type and body checked by fn), an error is returned as
 * -errno.  Lengths from the kernel are checked before use. */
static int ask(struct xdp_route *r, struct req *q, int (*fn)(const struct nlmsghdr *, void *),
	       void *arg)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	int rc = 1;

	pthread_mutex_lock(&r->lock);
	q->h.nlmsg_seq = ++r->seq;
	if (send(r->fd, q, q->h.nlmsg_len, 0) < 0) {
		rc = -errno;
		goto out;
	}
	while (rc == 1) {
		ssize_t n = recv(r->fd, buf, sizeof buf, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		int len = (int)n;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != q->h.nlmsg_seq)
				continue; /* an older request's late answer */
			if (h->nlmsg_type == NLMSG_ERROR) {
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
					rc = -EPROTO;
				else
					rc = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				if (rc > 0)
					rc = -EPROTO;
				if (rc == 0 && fn)
					rc = -ENODATA; /* an ack where an answer was due */
				break;
			}
			if (rc == 1)
				rc = fn ? fn(h, arg) : 0;
			if (!(h->nlmsg_flags & NLM_F_MULTI))
				break;
		}
	}
out:
	pthread_mutex_unlock(&r->lock);
	return rc;
}

static void req_init(struct req *q, int type, int flags)
{
	memset(q, 0, sizeof *q);
	q->h.nlmsg_type = (unsigned short)type;
	q->h.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
}

static int copy_ip(struct ifplex_ip *ip, const struct rtattr *a, int family)
{
	size_t n = family == AF_INET ? 4 : 16;

	if (RTA_PAYLOAD(a) != n)
		return -EPROTO;
	ip->len = (uint8_t)n;
	memcpy(ip->b, RTA_DATA(a), n);
	return 0;
}

static int on_route(const struct nlmsghdr *h, void *arg)
{
	struct xdp_hop *hop = arg;

	if (h->nlmsg_type != RTM_NEWROUTE || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtmsg)))
		return -EPROTO;
	const struct rtmsg *rt = NLMSG_DATA(h);
	int len = (int)RTM_PAYLOAD(h);
	hop->type = rt->rtm_type;
	for (const struct rtattr *a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		int rc = 0;
		if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) == 4)
			memcpy(&hop->oif, RTA_DATA(a), 4);
		else if (a->rta_type == RTA_GATEWAY)
			rc = copy_ip(&hop->gw, a, rt->rtm_family);
		else if (a->rta_type == RTA_PREFSRC)
			rc = copy_ip(&hop->src, a, rt->rtm_family);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int family_of(const struct ifplex_ip *ip)
{
	return ip->len == 4 ? AF_INET : AF_INET6;
}

int xdp_route_get(struct xdp_route *r, const struct ifplex_ip *dst, int oif, struct xdp_hop *out)
{
	struct req q;

	memset(out, 0, sizeof *out);
	req_init(&q, RTM_GETROUTE, 0);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	q.rt.rtm_family = (unsigned char)family_of(dst);
	q.rt.rtm_dst_len = (unsigned char)(dst->len * 8);
	attr(&q, RTA_DST, dst->b, dst->len);
	if (oif) {
		uint32_t o = (uint32_t)oif;
		attr(&q, RTA_OIF, &o, 4);
	}
	int rc = ask(r, &q, on_route, out);
	if (rc == 0 && out->oif <= 0)
		rc = -ENETUNREACH;
	if (rc == 0 && (out->type == RTN_UNREACHABLE || out->type == RTN_BLACKHOLE ||
			out->type == RTN_PROHIBIT))
		rc = out->type == RTN_PROHIBIT ? -EACCES : -ENETUNREACH;
	return rc;
}

struct neigh_ans {
	uint8_t mac[6];
	int state;
	int have_mac;
};

static int on_neigh(const struct nlmsghdr *h, void *arg)
{
	struct neigh_ans *n = arg;

	if (h->nlmsg_type != RTM_NEWNEIGH || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ndmsg)))
		return -EPROTO;
	const struct ndmsg *nd = NLMSG_DATA(h);
	int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *nd));
	n->state = nd->ndm_state;
	for (const struct rtattr *a = (const void *)((const char *)nd + NLMSG_ALIGN(sizeof *nd));
	     RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
			memcpy(n->mac, RTA_DATA(a), 6);
			n->have_mac = 1;
		}
	return 0;
}

int xdp_neigh_get(struct xdp_route *r, int ifindex, const struct ifplex_ip *ip, uint8_t mac[6],
		  int *state)
{
	struct neigh_ans n = {0};
	struct req q;

	req_init(&q, RTM_GETNEIGH, 0);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ndmsg));
	q.nd.ndm_family = (unsigned char)family_of(ip);
	q.nd.ndm_ifindex = ifindex;
	attr(&q, NDA_DST, ip->b, ip->len);
	int rc = ask(r, &q, on_neigh, &n);
	*state = n.state;
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	if (!n.have_mac || !(n.state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE |
					 NUD_PERMANENT | NUD_NOARP)))
		return 0;
	memcpy(mac, n.mac, 6);
	return 1;
}

int xdp_neigh_use(struct xdp_route *r, int ifindex, const struct ifplex_ip *ip)
{
	struct req q;

	req_init(&q, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_ACK);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ndmsg));
	q.nd.ndm_family = (unsigned char)family_of(ip);
	q.nd.ndm_ifindex = ifindex;
	q.nd.ndm_state = NUD_NONE;
	q.nd.ndm_flags = NTF_USE;
	attr(&q, NDA_DST, ip->b, ip->len);
	return ask(r, &q, NULL, NULL);
}

struct link_ans {
	int rxq;
	uint32_t prog;
};

static int on_link(const struct nlmsghdr *h, void *arg)
{
	struct link_ans *l = arg;

	if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EPROTO;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = (int)IFLA_PAYLOAD(h);
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_NUM_RX_QUEUES && RTA_PAYLOAD(a) == 4) {
			memcpy(&l->rxq, RTA_DATA(a), 4);
		} else if (a->rta_type == IFLA_XDP) {
			int xl = (int)RTA_PAYLOAD(a);
			for (const struct rtattr *x = RTA_DATA(a); RTA_OK(x, xl); x = RTA_NEXT(x, xl))
				if (x->rta_type == IFLA_XDP_PROG_ID && RTA_PAYLOAD(x) == 4)
					memcpy(&l->prog, RTA_DATA(x), 4);
		}
	}
	return 0;
}

int xdp_link_info(struct xdp_route *r, int ifindex, int *rxqueues, uint32_t *xdp_prog)
{
	struct link_ans l = {0};
	struct req q;

	req_init(&q, RTM_GETLINK, 0);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	q.ifi.ifi_index = ifindex;
	int rc = ask(r, &q, on_link, &l);
	if (rc < 0)
		return rc;
	*rxqueues = l.rxq > 0 ? l.rxq : 1;
	if (xdp_prog)
		*xdp_prog = l.prog;
	return 0;
}
