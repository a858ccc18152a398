/* SPDX-License-Identifier: MIT */
/* Growable arrays for plugin results. */
#include "vec.h"

#include <string.h>

void vec_init(struct vec *v, const struct ifplex_host *host, size_t elem)
{
	v->host = host;
	v->data = NULL;
	v->len = v->cap = 0;
	v->elem = elem;
}

int vec_reserve(struct vec *v, size_t n)
{
	if (n <= v->cap)
		return 0;
	if (n > (size_t)-1 / v->elem)
		return IFPLEX_ENOMEM;
	/* Every slot is cleared by vec_push: the block need not be. */
	char *d = v->host->alloc_raw ? v->host->alloc_raw(n * v->elem) : v->host->alloc(n * v->elem);
	if (!d)
		return IFPLEX_ENOMEM;
	if (v->len)
		memcpy(d, v->data, v->len * v->elem);
	v->host->free(v->data);
	v->data = d;
	v->cap = n;
	return 0;
}

void *vec_push(struct vec *v)
{
	if (v->len == v->cap && vec_reserve(v, v->cap ? 2 * v->cap : 16) < 0)
		return NULL;
	char *slot = (char *)v->data + v->len++ * v->elem;
	memset(slot, 0, v->elem);
	return slot;
}

void vec_free(struct vec *v)
{
	v->host->free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

int vec_take(struct vec *v, void *list, size_t *count)
{
	if (!v->data && !(v->data = v->host->alloc(v->elem)))
		return IFPLEX_ENOMEM;
	memcpy(list, &v->data, sizeof v->data);
	*count = v->len;
	v->data = NULL;
	v->len = v->cap = 0;
	return 0;
}
