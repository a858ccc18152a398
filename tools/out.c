/* SPDX-License-Identifier: MIT */
/* Output helpers: JSON strings, Go's flag names, the state column, numbers. */
#include "tool.h"

#include <string.h>

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static const struct {
	unsigned bit;
	const char *name;
} flag_names[] = {
	{IFPLEX_IFF_UP, "up"},
	{IFPLEX_IFF_BROADCAST, "broadcast"},
	{IFPLEX_IFF_LOOPBACK, "loopback"},
	{IFPLEX_IFF_POINTTOPOINT, "pointtopoint"},
	{IFPLEX_IFF_MULTICAST, "multicast"},
	{IFPLEX_IFF_RUNNING, "running"},
};

void json_flags(FILE *f, unsigned flags)
{
	int first = 1;

	fputc('[', f);
	for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ",", flag_names[i].name);
		first = 0;
	}
	fputc(']', f);
}

/* Go's Flags.String: "up|broadcast|multicast", "0" when none. */
void text_flags(char *buf, size_t len, unsigned flags)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		int n = snprintf(buf + used, len - used, "%s%s", used ? "|" : "", flag_names[i].name);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	if (!used)
		snprintf(buf, len, "0");
}

/* The state column of `ip -br`, from the flags every backend reports:
 * down when not up, up when up and running, unknown when up without
 * running (no carrier, or a backend that cannot tell). */
const char *iface_state(unsigned flags)
{
	if (!(flags & IFPLEX_IFF_UP))
		return "DOWN";
	return flags & IFPLEX_IFF_RUNNING ? "UP" : "UNKNOWN";
}

int parse_number(const char *s, int64_t max, int64_t *out)
{
	int64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}
