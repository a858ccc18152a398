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

void *vec_push(struct vec *v)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		if (cap > (size_t)-1 / v->elem)
			return NULL;
		char *d = v->host->alloc(cap * v->elem);
		if (!d)
			return NULL;
		if (v->len)
			memcpy(d, v->data, v->len * v->elem);
		v->host->free(v->data);
		v->data = d;
		v->cap = cap;
	}
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
