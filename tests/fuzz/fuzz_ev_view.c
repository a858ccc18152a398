/* SPDX-License-Identifier: MIT */
/* libFuzzer target for an event subscription's view (core/events_view.c)
 * against a model: links put and removed (with their addresses and
 * groups), addresses and groups put and removed, also before their link,
 * renames.  Every answer (was it there), every member a removal hands over
 * and every lookup must agree with the model, and every probe must end. */
#include "../../core/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXI 24     /* link indexes 1 .. MAXI */
#define IPS 12      /* addresses 10.0.0.0 .. 10.0.0.11 */
#define PLENS 3     /* prefix lengths 8, 16, 24 */
#define check(c) ((c) ? (void)0 : __builtin_trap())

static struct {
	int present[MAXI + 1], mtu[MAXI + 1];
	unsigned char member[MAXI + 1][2][IPS][PLENS];
	int handed[2][IPS][PLENS]; /* what a link removal handed over */
} m;

static struct ifplex_addr addr_of(int index, int ip, int plen)
{
	struct ifplex_addr a = {.index = index, .prefixlen = 8 * (plen + 1)};
	a.ip.len = 4;
	a.ip.b[0] = 10;
	a.ip.b[3] = (uint8_t)ip;
	return a;
}

static void on_member(const struct ev_member *e, void *arg)
{
	(void)arg;
	int ip = e->a.ip.b[3], plen = e->a.prefixlen / 8 - 1;
	check(ip < IPS && plen >= 0 && plen < PLENS && !m.handed[e->group][ip][plen]);
	m.handed[e->group][ip][plen] = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ev_view v;

	memset(&m, 0, sizeof m);
	view_init(&v);
	for (size_t i = 0; i + 3 <= size; i += 3) {
		int op = data[i] % 6, index = data[i + 1] % MAXI + 1, ip = data[i + 2] % IPS;
		int plen = data[i + 2] / IPS % PLENS, group = data[i + 1] / MAXI % 2;
		struct ifplex_addr a = addr_of(index, ip, plen);
		switch (op) {
		case 0: { /* a link announced */
			struct ifplex_iface ifi = {.index = index, .mtu = data[i + 2]}, old;
			snprintf(ifi.name, sizeof ifi.name, "l%d", index);
			int had = view_link_put(&v, &ifi, &old);
			check(had == m.present[index]);
			check(!had || old.mtu == m.mtu[index]);
			m.present[index] = 1;
			m.mtu[index] = ifi.mtu;
			break;
		}
		case 1: { /* a link removed: its members handed over, then gone */
			memset(m.handed, 0, sizeof m.handed);
			int had = view_link_del(&v, index, on_member, NULL);
			check(had == m.present[index]);
			for (int g = 0; g < 2; g++)
				for (int x = 0; x < IPS; x++)
					for (int p = 0; p < PLENS; p++) {
						check(m.handed[g][x][p] == m.member[index][g][x][p]);
						m.member[index][g][x][p] = 0;
					}
			m.present[index] = 0;
			break;
		}
		case 2:
		case 3: { /* an address or group put */
			int had = view_member_put(&v, &a, group);
			check(had == m.member[index][group][ip][plen]);
			m.member[index][group][ip][plen] = 1;
			break;
		}
		case 4: { /* an address or group removed */
			int had = view_member_del(&v, &a, group);
			check(had == m.member[index][group][ip][plen]);
			m.member[index][group][ip][plen] = 0;
			break;
		}
		case 5: /* a rename */
			view_rezone(&v, index, "renamed");
			break;
		}
		/* Lookups: present links are there with their record. */
		for (int k = 1; k <= MAXI; k++) {
			struct ev_link *l = view_link(&v, k);
			check(!m.present[k] || (l && l->present && l->ifi.mtu == m.mtu[k]));
			check(m.present[k] || !l || !l->present);
		}
	}
	view_free(&v);
	return 0;
}
