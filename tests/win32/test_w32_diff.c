/* SPDX-License-Identifier: MIT */
/* plugins/win32/w32_diff.c on states built here: what wine 8.0 cannot show
 * live (its adapter list keeps a removed or renamed link under its first
 * name), and the order the subscriber's view needs. */
#include "../../plugins/win32/w32.h"
#include "tap.h"

#include <string.h>

#define MAXN 16

static struct ifplex_notice got[MAXN];
static size_t ngot;

static void collect(const struct ifplex_notice *n, void *arg)
{
	if (ngot < MAXN)
		got[ngot] = *n;
	ngot++;
}

static struct w32_link link_of(int index, const char *name, int mtu, int carrier)
{
	struct w32_link l;

	memset(&l, 0, sizeof l);
	l.ifi.index = index;
	strcpy(l.ifi.name, name);
	l.ifi.mtu = mtu;
	l.ifi.flags = IFPLEX_IFF_UP;
	l.carrier = carrier;
	return l;
}

static struct w32_member addr_of(int index, uint8_t last, int prefixlen, unsigned flags)
{
	struct w32_member m;

	memset(&m, 0, sizeof m);
	m.a.index = index;
	m.a.ip.len = 4;
	m.a.ip.b[0] = 192;
	m.a.ip.b[1] = 0;
	m.a.ip.b[2] = 2;
	m.a.ip.b[3] = last;
	m.a.prefixlen = prefixlen;
	m.flags = flags;
	return m;
}

/* Diff o to n and compare the notices with want ("L3" link 3, "D3" link 3
 * gone, "A3.5" address .5 on link 3, "R3.5" removed), space-separated. */
static void expect(struct w32_state *o, struct w32_state *n, const char *want, const char *what)
{
	char buf[256] = "", one[32];

	ngot = 0;
	w32_diff(o, n, collect, NULL);
	for (size_t i = 0; i < ngot && i < MAXN; i++) {
		const struct ifplex_notice *x = &got[i];
		switch (x->kind) {
		case IFPLEX_NOTICE_LINK:
			snprintf(one, sizeof one, "L%d", x->link.index);
			break;
		case IFPLEX_NOTICE_LINK_DEL:
			snprintf(one, sizeof one, "D%d", x->link.index);
			break;
		case IFPLEX_NOTICE_ADDR:
		case IFPLEX_NOTICE_ADDR_DEL:
			snprintf(one, sizeof one, "%c%d.%d", x->kind == IFPLEX_NOTICE_ADDR ? 'A' : 'R',
				 x->addr.index, x->addr.ip.b[3]);
			break;
		default:
			snprintf(one, sizeof one, "?%u", (unsigned)x->kind);
		}
		if (buf[0])
			strcat(buf, " ");
		strcat(buf, one);
	}
	tap_ok(strcmp(buf, want) == 0, "%s: \"%s\" (want \"%s\")", what, buf, want);
}

int main(void)
{
	struct w32_link l1[] = {link_of(1, "lo", 65536, 1), link_of(3, "w0", 1400, 1)};
	struct w32_member m1[] = {addr_of(3, 2, 24, 0)};
	struct w32_state a = {l1, m1, 2, 1};

	expect(&a, &a, "", "the same state: nothing");

	struct w32_state empty = {0};
	expect(&empty, &a, "L1 L3 A3.2", "from nothing: links, then their addresses");
	expect(&a, &empty, "R3.2 D1 D3", "to nothing: addresses, then links");

	struct w32_link l2[] = {link_of(1, "lo", 65536, 1), link_of(3, "w0", 1300, 1),
				link_of(7, "w5", 1500, -1)};
	struct w32_member m2[] = {addr_of(3, 2, 24, 0), addr_of(7, 5, 24, 0)};
	struct w32_state b = {l2, m2, 3, 2};
	expect(&a, &b, "L3 L7 A7.5", "an MTU changed, a link and its address added");
	expect(&b, &a, "L3 R7.5 D7", "a link removed after its address");

	struct w32_link l3[] = {link_of(1, "lo", 65536, 1), link_of(3, "w0r", 1400, 1)};
	struct w32_state c = {l3, m1, 2, 1};
	expect(&a, &c, "L3", "a rename is a changed link (same index)");

	struct w32_link l4[] = {link_of(1, "lo", 65536, 1), link_of(3, "w0", 1400, 0)};
	struct w32_state d = {l4, m1, 2, 1};
	expect(&a, &d, "L3", "the carrier alone announces the link again");

	struct w32_member m5[] = {addr_of(3, 2, 24, IFPLEX_ADDRF_DEPRECATED)};
	struct w32_state e = {l1, m5, 2, 1};
	expect(&a, &e, "A3.2", "an address's DAD state changed: announced again");

	struct w32_member m6[] = {addr_of(3, 2, 25, 0)};
	struct w32_state f = {l1, m6, 2, 1};
	expect(&a, &f, "R3.2 A3.2", "a new prefix: the old address gone, the new one added");

	struct w32_member m7[] = {addr_of(3, 1, 24, 0), addr_of(3, 2, 24, 0), addr_of(3, 9, 24, 0)};
	struct w32_member m8[] = {addr_of(3, 2, 24, 0), addr_of(3, 4, 24, 0)};
	struct w32_state g = {l1, m7, 2, 3}, h = {l1, m8, 2, 2};
	expect(&g, &h, "R3.1 R3.9 A3.4", "members merged: removals first");
	return tap_done();
}
