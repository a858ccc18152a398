/* SPDX-License-Identifier: MIT */
/* The library's version at run time, which may differ from the headers a
 * program was compiled with. */
#include "internal.h"

unsigned ifplex_version(void)
{
	return IFPLEX_VERSION_HEX;
}

const char *ifplex_version_string(void)
{
	return IFPLEX_VERSION_STRING;
}
