/* SPDX-License-Identifier: MIT */
/* Hardware addresses: Go's HardwareAddr.String and ParseMAC. */
#include "internal.h"

#include <string.h>

int ifplex_hwaddr_string(const uint8_t *hw, size_t hwlen, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	if ((!hw && hwlen) || !buf || len == 0)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_hwaddr_string", "NULL argument");
	/* hwlen * 3 bytes (two digits and a colon or the NUL per byte), asked
	 * without multiplying, which could wrap. */
	if (hwlen > len / 3)
		return ifplex__set_errorf(IFPLEX_ESHORTBUF,
					  "ifplex_hwaddr_string: %zu bytes need a buffer of 3 per byte, have %zu",
					  hwlen, len);
	char *p = buf;
	for (size_t i = 0; i < hwlen; i++) {
		if (i)
			*p++ = ':';
		*p++ = hex[hw[i] >> 4];
		*p++ = hex[hw[i] & 15];
	}
	*p = '\0';
	return 0;
}

/* Two hex digits at s into *out. */
static int hex_byte(const char *s, uint8_t *out)
{
	int hi = ifplex__hexval(s[0]), lo = hi < 0 ? -1 : ifplex__hexval(s[1]);

	if (lo < 0)
		return -1;
	*out = (uint8_t)(hi << 4 | lo);
	return 0;
}

/* The byte count of text of length n in groups of group hex digits, each
 * group but the last followed by sep; 0 if the length fits none of the
 * sizes Go accepts (6, 8 and 20 bytes). */
static size_t mac_bytes(size_t n, size_t group)
{
	size_t per = group + 1; /* digits and a separator */
	if ((n + 1) % per != 0)
		return 0;
	size_t bytes = (n + 1) / per * (group / 2);
	return bytes == 6 || bytes == 8 || bytes == 20 ? bytes : 0;
}

static int parse_mac(const char *s, size_t n, uint8_t *hw, size_t *count)
{
	if (n < 14)
		return -1;
	/* Colons or hyphens after every byte, or dots after every two. */
	size_t group = s[2] == ':' || s[2] == '-' ? 2 : s[4] == '.' ? 4 : 0;
	char sep = group ? s[group] : 0;
	size_t bytes = group ? mac_bytes(n, group) : 0;

	if (!bytes)
		return -1;
	for (size_t i = 0, x = 0; i < bytes; i += group / 2, x += group + 1) {
		for (size_t k = 0; k < group / 2; k++)
			if (hex_byte(s + x + 2 * k, &hw[i + k]) < 0)
				return -1;
		if (x + group < n && s[x + group] != sep)
			return -1;
	}
	*count = bytes;
	return 0;
}

int ifplex_hwaddr_parse(const char *s, uint8_t *hw, size_t cap, size_t *hwlen)
{
	uint8_t tmp[20];
	size_t n = 0;

	if (!s || !hw || !hwlen)
		return ifplex__fail(IFPLEX_EINVAL, "ifplex_hwaddr_parse", "NULL argument");
	*hwlen = 0;
	if (parse_mac(s, strlen(s), tmp, &n) < 0)
		return ifplex__addr_error(IFPLEX_EBADADDR, s, "invalid MAC address");
	if (n > cap)
		return ifplex__set_errorf(IFPLEX_ESHORTBUF,
					  "ifplex_hwaddr_parse: %zu bytes do not fit a buffer of %zu", n, cap);
	memcpy(hw, tmp, n);
	*hwlen = n;
	return 0;
}
