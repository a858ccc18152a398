/* SPDX-License-Identifier: MIT */
/* Building rtnetlink messages as the kernel lays them out, for tests that
 * feed the parser and the cache's table without a kernel. */
#ifndef IFPLEX_TEST_NLMSG_H
#define IFPLEX_TEST_NLMSG_H

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>

/* Room for one message, aligned as the socket layer delivers it. */
struct nlmsg_buf {
	_Alignas(struct nlmsghdr) unsigned char b[512];
};

/* Start a message of type with a zeroed header struct of hdrlen bytes. */
static inline struct nlmsghdr *nlmsg_start(struct nlmsg_buf *m, unsigned short type, size_t hdrlen)
{
	memset(m, 0, sizeof *m);
	struct nlmsghdr *h = (struct nlmsghdr *)m->b;
	h->nlmsg_len = NLMSG_LENGTH(hdrlen);
	h->nlmsg_type = type;
	return h;
}

/* Append an attribute (the caller keeps within the buffer). */
static inline void nlmsg_put_attr(struct nlmsghdr *h, unsigned short type, const void *data, size_t n)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	memcpy(RTA_DATA(a), data, n);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

#endif
