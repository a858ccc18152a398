/* SPDX-License-Identifier: MIT */
/* The BPF side of the cache: a socket filter copies each notification into
 * a ring buffer and counts it in memory-mapped map data.  Built only with
 * libbpf and clang (HAVE_LIBBPF); otherwise it says why ebpf is missing. */
#define _GNU_SOURCE
#include "nl.h"

#include <stdio.h>
#include <string.h>

#ifdef HAVE_LIBBPF

#include "../common/bpf_load.h"
#include "nl_bpf_prog.h" /* generated: the filter's instructions */
#include "nl_bpf_shared.h"

#include <errno.h>
#include <linux/bpf.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef BPF_RINGBUF_BUSY_BIT
#define BPF_RINGBUF_BUSY_BIT (1U << 31)
#define BPF_RINGBUF_DISCARD_BIT (1U << 30)
#define BPF_RINGBUF_HDR_SZ 8
#endif

struct nl_bpf {
	int map_fd[NL_BPF_NMAPS];
	int prog_fd;
	volatile struct nl_bpf_counters *counters; /* mmap of the counters map */
	size_t page;
	size_t ring_size;
	unsigned long *consumer_pos;           /* mmap, read-write */
	const unsigned long *producer_pos;     /* mmap, read-only */
	const unsigned char *ring;             /* data pages, mapped twice over */
};

int nl_bpf_available(char *why, size_t len)
{
	if (bpf_has_cap(CAP_BPF) || bpf_has_cap(CAP_SYS_ADMIN))
		return 1;
	/* Without capabilities only an unprivileged BPF setting would allow it. */
	int fd = open("/proc/sys/kernel/unprivileged_bpf_disabled", O_RDONLY | O_CLOEXEC);
	char c = '1';
	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '1';
		close(fd);
	}
	if (c == '0')
		return 1;
	snprintf(why, len, "no CAP_BPF or CAP_SYS_ADMIN, and unprivileged BPF is disabled");
	return 0;
}

/* A ring size from the environment (bytes, at least a page, rounded up to
 * a power of two), or dflt. */
static size_t env_size(const char *name, size_t dflt)
{
	const char *v = secure_getenv(name);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (!v || atol(v) < (long)page)
		return dflt;
	size_t n = page;
	while (n < (size_t)atol(v) && n < NL_BPF_RING_MAX)
		n *= 2;
	return n;
}

size_t nl_bpf_ring_first(void)
{
	/* IFPLEX_CACHE_RING: a smaller (or larger) first ring, for tests. */
	return env_size("IFPLEX_CACHE_RING", NL_BPF_RING_SIZE);
}

size_t nl_bpf_ring_max(void)
{
	/* IFPLEX_CACHE_RING_MAX: a lower cap, for tests of repeated overflow. */
	size_t first = nl_bpf_ring_first(), max = env_size("IFPLEX_CACHE_RING_MAX", NL_BPF_RING_MAX);
	return max < first ? first : max;
}

size_t nl_bpf_ring_size(const struct nl_bpf *b)
{
	return b->ring_size;
}

void nl_bpf_free(struct nl_bpf *b)
{
	if (!b)
		return;
	if (b->counters)
		munmap((void *)b->counters, b->page);
	if (b->consumer_pos)
		munmap(b->consumer_pos, b->page);
	if (b->producer_pos)
		munmap((void *)b->producer_pos, b->page + 2 * b->ring_size);
	for (int i = 0; i < NL_BPF_NMAPS; i++)
		if (b->map_fd[i] >= 0)
			close(b->map_fd[i]);
	if (b->prog_fd >= 0)
		close(b->prog_fd);
	cache_mem_free(b, sizeof *b);
}

static int fail(struct nl_bpf *b, char *why, size_t len, const char *what)
{
	int e = errno;
	snprintf(why, len, "%s: %s", what, strerror(e));
	nl_bpf_free(b);
	return -e;
}

int nl_bpf_prepare(size_t ring, struct nl_bpf **out, char *why, size_t len)
{
	/* Not calloc: see cache_arm.c (no malloc on the helper thread). */
	struct nl_bpf *b = cache_mem_zalloc(sizeof *b);

	*out = NULL;
	if (!b) {
		snprintf(why, len, "out of memory");
		return IFPLEX_ENOMEM;
	}
	b->prog_fd = -1;
	for (int i = 0; i < NL_BPF_NMAPS; i++)
		b->map_fd[i] = -1;
	b->page = (size_t)sysconf(_SC_PAGESIZE);
	b->ring_size = ring;

	/* Three maps and one program load: no ELF parsing, no feature probing
	 * (tens of microseconds, not the milliseconds of a skeleton). */
	b->map_fd[NL_BPF_MAP_RING] = bpf_map_make(BPF_MAP_TYPE_RINGBUF, "ifplex_ring", 0, 0,
						(unsigned)b->ring_size, 0);
	if (b->map_fd[NL_BPF_MAP_RING] < 0)
		return fail(b, why, len, "ring buffer map");
	b->map_fd[NL_BPF_MAP_COUNTERS] = bpf_map_make(BPF_MAP_TYPE_ARRAY, "ifplex_count", 4,
						    sizeof(struct nl_bpf_counters), 1, BPF_F_MMAPABLE);
	if (b->map_fd[NL_BPF_MAP_COUNTERS] < 0)
		return fail(b, why, len, "counter map");
	b->map_fd[NL_BPF_MAP_SCRATCH] = bpf_map_make(BPF_MAP_TYPE_PERCPU_ARRAY, "ifplex_scratch", 4,
						   sizeof(struct nl_bpf_record), 1, 0);
	if (b->map_fd[NL_BPF_MAP_SCRATCH] < 0)
		return fail(b, why, len, "scratch map");

	b->prog_fd = bpf_prog_make(BPF_PROG_TYPE_SOCKET_FILTER, 0, "ifplex_nl", nl_bpf_insns,
				   sizeof nl_bpf_insns, nl_bpf_relocs,
				   sizeof nl_bpf_relocs / sizeof nl_bpf_relocs[0], b->map_fd,
				   NL_BPF_NMAPS, why, len);
	if (b->prog_fd < 0) {
		int rc = b->prog_fd;
		nl_bpf_free(b);
		return rc;
	}

	void *cnt = mmap(NULL, b->page, PROT_READ | PROT_WRITE, MAP_SHARED, b->map_fd[NL_BPF_MAP_COUNTERS], 0);
	if (cnt == MAP_FAILED)
		return fail(b, why, len, "mmap counters");
	b->counters = cnt;
	void *cons = mmap(NULL, b->page, PROT_READ | PROT_WRITE, MAP_SHARED, b->map_fd[NL_BPF_MAP_RING], 0);
	if (cons == MAP_FAILED)
		return fail(b, why, len, "mmap ring consumer page");
	b->consumer_pos = cons;
	/* The producer page, then the data mapped twice so that a record that
	 * wraps around the end reads as one piece. */
	void *prod = mmap(NULL, b->page + 2 * b->ring_size, PROT_READ, MAP_SHARED,
			  b->map_fd[NL_BPF_MAP_RING], (off_t)b->page);
	if (prod == MAP_FAILED)
		return fail(b, why, len, "mmap ring data");
	b->producer_pos = prod;
	b->ring = (const unsigned char *)prod + b->page;
	*out = b;
	return 0;
}

int nl_bpf_attach_to(struct nl_bpf *b, int sub_fd, char *why, size_t len)
{
	if (setsockopt(sub_fd, SOL_SOCKET, SO_ATTACH_BPF, &b->prog_fd, sizeof b->prog_fd) < 0) {
		int e = errno;
		snprintf(why, len, "SO_ATTACH_BPF: %s", strerror(e));
		return -e;
	}
	return 0;
}

int nl_bpf_attach(int sub_fd, size_t ring, struct nl_bpf **out, char *why, size_t len)
{
	int rc = nl_bpf_prepare(ring, out, why, len);

	if (rc == 0 && (rc = nl_bpf_attach_to(*out, sub_fd, why, len)) < 0) {
		nl_bpf_free(*out);
		*out = NULL;
	}
	return rc;
}

uint64_t nl_bpf_generation(const struct nl_bpf *b)
{
	return __atomic_load_n(&b->counters->generation, __ATOMIC_ACQUIRE);
}

uint64_t nl_bpf_lost(const struct nl_bpf *b)
{
	return __atomic_load_n(&b->counters->lost, __ATOMIC_ACQUIRE);
}

void nl_bpf_read(const struct nl_bpf *b, struct nl_bpf_seen *out)
{
	/* lost before the kinds: the filter counts kind and bytes first, so
	 * that every loss lost shows is in its kind too. */
	out->gen = nl_bpf_generation(b);
	out->lost = nl_bpf_lost(b);
	out->lost_links = __atomic_load_n(&b->counters->lost_links, __ATOMIC_ACQUIRE);
	out->lost_addrs = __atomic_load_n(&b->counters->lost_addrs, __ATOMIC_ACQUIRE);
	out->lost_bytes = __atomic_load_n(&b->counters->lost_bytes, __ATOMIC_ACQUIRE);
}

int nl_bpf_drain(struct nl_bpf *b, int (*fn)(const void *, size_t, void *), void *arg)
{
	unsigned long cons = __atomic_load_n(b->consumer_pos, __ATOMIC_ACQUIRE);
	unsigned long prod = __atomic_load_n(b->producer_pos, __ATOMIC_ACQUIRE);
	size_t mask = b->ring_size - 1;
	int rc = 0;

	while (cons < prod) {
		const unsigned char *hdr = b->ring + (cons & mask);
		unsigned int word = __atomic_load_n((const unsigned int *)hdr, __ATOMIC_ACQUIRE);
		if (word & BPF_RINGBUF_BUSY_BIT)
			break; /* being written: the next call takes it */
		unsigned int sz = word & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		if (!(word & BPF_RINGBUF_DISCARD_BIT) && fn && rc == 0) {
			const struct nl_bpf_record *r = (const void *)(hdr + BPF_RINGBUF_HDR_SZ);
			/* The record's own length is from a BPF program, still checked. */
			if (sz < sizeof r->len || r->len > sz - sizeof r->len)
				rc = IFPLEX_EMALFORMED;
			else
				rc = fn(r->data, r->len, arg);
		}
		cons += (BPF_RINGBUF_HDR_SZ + sz + 7) & ~7UL;
		__atomic_store_n(b->consumer_pos, cons, __ATOMIC_RELEASE);
		if (rc < 0)
			return rc; /* the caller resyncs; what was read is consumed */
	}
	return rc;
}

#else /* !HAVE_LIBBPF */

int nl_bpf_available(char *why, size_t len)
{
	snprintf(why, len, "built without BPF support (needs clang, bpftool and libbpf)");
	return 0;
}

int nl_bpf_prepare(size_t ring, struct nl_bpf **out, char *why, size_t len)
{
	(void)ring;
	*out = NULL;
	nl_bpf_available(why, len);
	return IFPLEX_ENOTSUP;
}

int nl_bpf_attach_to(struct nl_bpf *b, int sub_fd, char *why, size_t len)
{
	(void)b;
	(void)sub_fd;
	nl_bpf_available(why, len);
	return IFPLEX_ENOTSUP;
}

int nl_bpf_attach(int sub_fd, size_t ring, struct nl_bpf **out, char *why, size_t len)
{
	(void)sub_fd;
	return nl_bpf_prepare(ring, out, why, len);
}

void nl_bpf_free(struct nl_bpf *b)
{
	(void)b;
}

size_t nl_bpf_ring_first(void)
{
	return 0;
}

size_t nl_bpf_ring_max(void)
{
	return 0;
}

size_t nl_bpf_ring_size(const struct nl_bpf *b)
{
	(void)b;
	return 0;
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

void nl_bpf_read(const struct nl_bpf *b, struct nl_bpf_seen *out)
{
	(void)b;
	memset(out, 0, sizeof *out);
}

int nl_bpf_drain(struct nl_bpf *b, int (*fn)(const void *, size_t, void *), void *arg)
{
	(void)b;
	(void)fn;
	(void)arg;
	return 0;
}

#endif /* HAVE_LIBBPF */
