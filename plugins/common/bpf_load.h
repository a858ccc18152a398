/* SPDX-License-Identifier: MIT */
/* Loading BPF programs with raw bpf(2): maps, one program embedded by
 * bpf_embed.py with its map relocations, capability checks.  Shared by the
 * netlink cache's socket filter and the xdp datapath's program; libbpf's
 * loaders probe kernel features on first use (extra program loads), which
 * costs more than the whole setup here. */
#ifndef IFPLEX_COMMON_BPF_LOAD_H
#define IFPLEX_COMMON_BPF_LOAD_H

#include <linux/bpf.h>
#include <stddef.h>

/* One instruction that loads a map's address, as bpf_embed.py writes it. */
struct bpf_embed_reloc {
	unsigned insn, map;
};

/* bpf(2) with a zero-padded attr; -1 and errno on failure. */
int bpf_sys(int cmd, union bpf_attr *attr);
/* A map's descriptor, or -1 and errno. */
int bpf_map_make(unsigned type, const char *name, unsigned key, unsigned value,
		 unsigned entries, unsigned flags);
/* Load an embedded program of type (and expected attach type) after
 * pointing each relocation at map_fds[reloc.map]; the descriptor, or a
 * negative -errno with why saying which step failed (the verifier's last
 * line when it refused the program). */
int bpf_prog_make(unsigned type, unsigned attach, const char *name, const unsigned char *insns,
		  size_t len, const struct bpf_embed_reloc *relocs, size_t nrelocs,
		  const int *map_fds, size_t nmaps, char *why, size_t whylen);
/* Whether the effective capability set holds cap. */
int bpf_has_cap(int cap);

#endif
