/* SPDX-License-Identifier: MIT */
/* Raw bpf(2) loading shared by the plugins that carry a BPF program. */
#define _GNU_SOURCE
#include "bpf_load.h"

#include <errno.h>
#include <stdint.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Scratch memory mapped from the kernel, not malloc'd: the netlink cache
 * loads its program on a helper thread, where glibc's first malloc (or
 * free) would give that thread an arena of its own for the process's life. */
static void *scratch(size_t n)
{
	void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void scratch_free(void *p, size_t n)
{
	if (p)
		munmap(p, n ? n : 1);
}

int bpf_sys(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

int bpf_map_make(unsigned type, const char *name, unsigned key, unsigned value,
		 unsigned entries, unsigned flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof a);
	a.map_type = type;
	a.key_size = key;
	a.value_size = value;
	a.max_entries = entries;
	a.map_flags = flags;
	snprintf(a.map_name, sizeof a.map_name, "%s", name);
	return bpf_sys(BPF_MAP_CREATE, &a);
}

static int load(unsigned type, unsigned attach, const char *name, const struct bpf_insn *insns,
		size_t n, char *log, size_t loglen)
{
	union bpf_attr a;

	memset(&a, 0, sizeof a);
	a.prog_type = type;
	a.expected_attach_type = attach;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = (unsigned)n;
	a.license = (uintptr_t) "Dual MIT/GPL";
	snprintf(a.prog_name, sizeof a.prog_name, "%s", name);
	if (log) {
		a.log_buf = (uintptr_t)log;
		a.log_size = (unsigned)loglen;
		a.log_level = 1;
	}
	return bpf_sys(BPF_PROG_LOAD, &a);
}

/* The verifier's last non-empty line: why it refused. */
static const char *last_line(char *log)
{
	size_t n = strlen(log);

	while (n && log[n - 1] == '\n')
		log[--n] = '\0';
	char *nl = strrchr(log, '\n');
	return nl ? nl + 1 : log;
}

int bpf_prog_make(unsigned type, unsigned attach, const char *name, const unsigned char *insns,
		  size_t len, const struct bpf_embed_reloc *relocs, size_t nrelocs,
		  const int *map_fds, size_t nmaps, char *why, size_t whylen)
{
	size_t n = len / sizeof(struct bpf_insn);
	struct bpf_insn *copy = scratch(len);

	if (!copy) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	memcpy(copy, insns, len);
	for (size_t i = 0; i < nrelocs; i++) {
		struct bpf_insn *in = &copy[relocs[i].insn];
		if (relocs[i].insn + 1 >= n || relocs[i].map >= nmaps ||
		    in->code != (BPF_LD | BPF_IMM | BPF_DW)) {
			scratch_free(copy, len);
			snprintf(why, whylen, "program load: relocation %zu not at a 64-bit load", i);
			return -EINVAL;
		}
		in->src_reg = BPF_PSEUDO_MAP_FD;
		in->imm = map_fds[relocs[i].map];
	}
	int fd = load(type, attach, name, copy, n, NULL, 0);
	if (fd < 0) {
		int e = errno;
		char *log = e == EACCES || e == EINVAL ? scratch(1 << 16) : NULL;
		/* Load again with the verifier's log, only to say why. */
		if (log && load(type, attach, name, copy, n, log, 1 << 16) < 0 && log[0])
			snprintf(why, whylen, "program load: %s (verifier: %.200s)", strerror(e),
				 last_line(log));
		else
			snprintf(why, whylen, "program load: %s", strerror(e));
		scratch_free(log, 1 << 16);
		fd = -e;
	}
	scratch_free(copy, len);
	return fd;
}

int bpf_has_cap(int cap)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}
