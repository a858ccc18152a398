/* SPDX-License-Identifier: MIT */
/* Whether a name may be sent to DNS, as Go's isDomainName decides (RFC 1035
 * and RFC 3696): Go's resolver answers "no such host" for any other name
 * without asking, and so does ifplex. */
#include "internal.h"

#include <string.h>

int ifplex__is_domain_name(const char *s)
{
	size_t n = strlen(s), label = 0;
	int letters = 0;
	char last = '.';

	if (strcmp(s, ".") == 0)
		return 1; /* the root, golang.org/issue/45715 */
	/* 253 bytes of presentation text, 254 with the final dot: the wire
	 * form adds a length byte before the first label and after the last. */
	if (n == 0 || n > 254 || (n == 254 && s[n - 1] != '.'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
			letters = 1;
			label++;
		} else if (c >= '0' && c <= '9') {
			label++;
		} else if (c == '-') {
			if (last == '.')
				return 0; /* no label begins with a hyphen */
			letters = 1;
			label++;
		} else if (c == '.') {
			if (last == '.' || last == '-' || label == 0 || label > 63)
				return 0;
			label = 0;
		} else {
			return 0;
		}
		last = c;
	}
	/* All digits would read as an address, not a name. */
	return last != '-' && label <= 63 && letters;
}
