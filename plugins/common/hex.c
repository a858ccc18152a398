/* SPDX-License-Identifier: MIT */
/* Hexadecimal digits, for the text files plugins read. */
#include "hex.h"

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_byte(const char *p, uint8_t *out)
{
	int h = hex_digit(p[0]), l = h < 0 ? -1 : hex_digit(p[1]);

	if (l < 0)
		return -1;
	*out = (uint8_t)(h << 4 | l);
	return 0;
}
