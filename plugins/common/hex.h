/* SPDX-License-Identifier: MIT */
/* Hexadecimal digits, for the text files plugins read (/proc, Plan 9). */
#ifndef IFPLEX_COMMON_HEX_H
#define IFPLEX_COMMON_HEX_H

#include <stdint.h>

/* The value of one hex digit, or -1. */
int hex_digit(char c);
/* Two hex digits at p into *out: 0, or -1 if either is not one. */
int hex_byte(const char *p, uint8_t *out);

#endif
