/* SPDX-License-Identifier: MIT */
/* A growable array in host-allocated memory, so that the finished list is
 * the one allocation the core hands to the caller (and frees). */
#ifndef IFPLEX_COMMON_VEC_H
#define IFPLEX_COMMON_VEC_H

#include <ifplex/backend.h>

struct vec {
	const struct ifplex_host *host;
	void *data;
	size_t len, cap, elem;
};

void vec_init(struct vec *v, const struct ifplex_host *host, size_t elem);
/* Room for n elements in all, in one allocation (for lists whose size is
 * known before they fill): 0 or IFPLEX_ENOMEM. */
int vec_reserve(struct vec *v, size_t n);
/* A zeroed slot at the end, or NULL when memory is exhausted. */
void *vec_push(struct vec *v);
void vec_free(struct vec *v);
/* Hand the array to the caller; v is empty afterwards.  Never NULL on
 * success: an empty list is a valid allocation. */
int vec_take(struct vec *v, void *list, size_t *count);

#endif
