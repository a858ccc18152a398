/* SPDX-License-Identifier: MIT */
/* Sized option structs from callers, with libbpf's OPTS_VALID discipline:
 * a caller built against an older header passes a smaller size and the
 * fields it lacks read as unset; one built against a newer header passes a
 * larger size, accepted only when every byte this library does not know is
 * zero, so that a choice is never silently dropped. */
#include "internal.h"

/* Far larger than any options struct will grow: a size beyond it is a
 * caller's uninitialised field, not a newer header. */
#define OPTS_SIZE_MAX 4096

int ifplex__opts_valid(const void *opts, size_t size, size_t known, const char *what)
{
	const unsigned char *p = opts;

	if (size < sizeof(size_t))
		return ifplex__set_errorf(IFPLEX_EINVAL,
					  "%s: options size %zu does not cover its size field", what, size);
	if (size > OPTS_SIZE_MAX)
		return ifplex__set_errorf(IFPLEX_EINVAL, "%s: options size %zu is not a size", what,
					  size);
	for (size_t i = known; i < size; i++)
		if (p[i])
			return ifplex__set_errorf(IFPLEX_EINVAL,
						  "%s: options byte %zu is set, past the %zu bytes this "
						  "library knows (built against a newer ifplex.h?)",
						  what, i, known);
	return 0;
}
