/* SPDX-License-Identifier: MIT */
/* Each thread keeps one freed list block for its next list call, so a
 * program that enumerates in a loop does not go to malloc every time. */
#include "internal.h"

void *ifplex__tls_block_take(size_t n)
{
	struct ifplex__kept *k = ifplex__kept_get();

	/* A block far larger than asked would pin memory for a small list. */
	if (!k || !k->block || k->cap < n || k->cap / 2 > n)
		return NULL;
	void *b = k->block;
	k->block = NULL;
	return b;
}

int ifplex__tls_block_keep(void *b, size_t cap, void (*release)(void *block))
{
	struct ifplex__kept *k = ifplex__kept_get();

	if (!k || k->block)
		return 0;
	k->block = b;
	k->cap = cap;
	k->release = release;
	return 1;
}
