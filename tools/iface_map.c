/* SPDX-License-Identifier: MIT */
/* Interfaces by index, and addresses grouped by interface, in time linear
 * in interfaces plus addresses: at 10,000 links a scan per address cost
 * more than the listing itself. */
#include "tool.h"

#include <stdlib.h>

static size_t hash_index(int index, size_t mask)
{
	/* Fibonacci hashing spreads the consecutive indices a kernel hands out. */
	return (size_t)(((uint32_t)index * 2654435761u) >> 7) & mask;
}

int iface_map_init(struct iface_map *m, const struct ifplex_iface *ifs, size_t n)
{
	size_t slots = 16;

	while (slots < 2 * n) {
		if (slots > SIZE_MAX / 4)
			return IFPLEX_ENOMEM;
		slots *= 2;
	}
	m->ifs = ifs;
	m->mask = slots - 1;
	m->slot = calloc(slots, sizeof *m->slot);
	if (!m->slot)
		return IFPLEX_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t h = hash_index(ifs[i].index, m->mask);
		while (m->slot[h] && ifs[m->slot[h] - 1].index != ifs[i].index)
			h = (h + 1) & m->mask;
		if (!m->slot[h])   /* a repeated index keeps its first interface */
			m->slot[h] = i + 1;
	}
	return 0;
}

const struct ifplex_iface *iface_map_find(const struct iface_map *m, int index)
{
	for (size_t h = hash_index(index, m->mask); m->slot[h]; h = (h + 1) & m->mask)
		if (m->ifs[m->slot[h] - 1].index == index)
			return &m->ifs[m->slot[h] - 1];
	return NULL;
}

void iface_map_free(struct iface_map *m)
{
	free(m->slot);
	m->slot = NULL;
}

int addr_groups_init(struct addr_groups *g, const struct iface_map *m, size_t nifs,
		     const struct ifplex_addr *addrs, size_t naddrs)
{
	size_t *pos = malloc((naddrs ? naddrs : 1) * sizeof *pos);

	g->order = malloc((naddrs ? naddrs : 1) * sizeof *g->order);
	g->start = calloc(nifs + 2, sizeof *g->start);
	if (!pos || !g->order || !g->start) {
		free(pos);
		addr_groups_free(g);
		return IFPLEX_ENOMEM;
	}
	/* A counting sort by interface position: count, sum, place. */
	for (size_t i = 0; i < naddrs; i++) {
		const struct ifplex_iface *ifi = iface_map_find(m, addrs[i].index);
		pos[i] = ifi ? (size_t)(ifi - m->ifs) : nifs;
		g->start[pos[i] + 1]++;
	}
	for (size_t k = 0; k < nifs + 1; k++)
		g->start[k + 1] += g->start[k];
	size_t *next = calloc(nifs + 1, sizeof *next);
	if (!next) {
		free(pos);
		addr_groups_free(g);
		return IFPLEX_ENOMEM;
	}
	for (size_t i = 0; i < naddrs; i++)
		g->order[g->start[pos[i]] + next[pos[i]]++] = i;
	free(next);
	free(pos);
	return 0;
}

void addr_groups_free(struct addr_groups *g)
{
	free(g->order);
	free(g->start);
	g->order = g->start = NULL;
}
