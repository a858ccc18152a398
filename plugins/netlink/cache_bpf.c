/* The BPF side of the cache: a socket filter copies each notification into
 * a ring buffer and counts it in memory-mapped map data.  Built only with
 * libbpf and clang (HAVE_LIBBPF); otherwise it says why ebpf is missing. */
#include "nl.h"

#include <stdio.h>

#ifndef HAVE_LIBBPF

int nl_bpf_available(char *why, size_t len)
{
	snprintf(why, len, "built without BPF support (needs clang, bpftool and libbpf)");
	return 0;
}

int nl_bpf_attach(int sub_fd, struct nl_bpf **out, char *why, size_t len)
{
	(void)sub_fd;
	*out = NULL;
	nl_bpf_available(why, len);
	return IFPLEX_ENOTSUP;
}

void nl_bpf_free(struct nl_bpf *b)
{
	(void)b;
}

uint64_t nl_bpf_generation(const struct nl_bpf *b)
{
	(void)b;
	return 0;
}

uint64_t nl_bpf_lost(const struct nl_bpf *b)
{
	(void)b;
	return 0;
}

int nl_bpf_drain(struct nl_bpf *b, int (*fn)(const void *, size_t, void *), void *arg)
{
	(void)b;
	(void)fn;
	(void)arg;
	return 0;
}

#endif
