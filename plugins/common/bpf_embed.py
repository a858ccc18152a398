#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn a compiled BPF program (an ELF object for the BPF target) into a C
header: its instructions, and which instructions load which map, so that a
plugin loads it with bpf_prog_load alone (no ELF parsing, no libbpf feature
probing at run time).

    bpf_embed.py OBJECT HEADER PREFIX SECTION MAP[,MAP...]

writes PREFIX_insns[] and PREFIX_relocs[] (struct bpf_embed_reloc of
plugins/common/bpf_load.h); a map's number is its place in the MAP list."""
import struct
import sys


def main(src, dst, prefix, section, maps):
    data = open(src, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("bpf_embed: %s is not a 64-bit little-endian ELF object" % src)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    secs = []
    for i in range(shnum):
        name, typ, flags, addr, off, size, link, info, align, entsize = struct.unpack_from(
            "<IIQQQQIIQQ", data, shoff + i * shentsize)
        secs.append(dict(name=name, type=typ, off=off, size=size, link=link, info=info))
    strtab = secs[shstrndx]

    def sname(s):
        o = strtab["off"] + s["name"]
        return data[o:data.index(b"\0", o)].decode()

    idx = {sname(s): i for i, s in enumerate(secs)}
    if section not in idx:
        sys.exit("bpf_embed: no section %s in %s" % (section, src))
    prog = secs[idx[section]]
    insns = data[prog["off"]:prog["off"] + prog["size"]]
    relocs = []
    rel = [s for s in secs if s["type"] == 9 and s["info"] == idx[section]]  # SHT_REL
    if rel:
        r = rel[0]
        symtab = secs[r["link"]]
        symstr = secs[symtab["link"]]
        for k in range(r["size"] // 16):
            offset, rinfo = struct.unpack_from("<QQ", data, r["off"] + 16 * k)
            sym = rinfo >> 32
            st_name, = struct.unpack_from("<I", data, symtab["off"] + 24 * sym)
            o = symstr["off"] + st_name
            name = data[o:data.index(b"\0", o)].decode()
            if name not in maps:
                sys.exit("bpf_embed: relocation against unknown symbol %r" % name)
            relocs.append((offset // 8, maps.index(name)))
    with open(dst, "w") as f:
        f.write("/* SPDX-License-Identifier: MIT */\n")
        f.write("/* Generated from %s (section %s) by bpf_embed.py: do not edit. */\n" % (src.split("/")[-1], section))
        f.write("static const unsigned char %s_insns[] = {\n" % prefix)
        for i in range(0, len(insns), 8):
            f.write("\t" + ", ".join("0x%02x" % b for b in insns[i:i + 8]) + ",\n")
        f.write("};\n")
        f.write("static const struct bpf_embed_reloc %s_relocs[] = {\n" % prefix)
        for insn, m in relocs:
            f.write("\t{%d, %d},\n" % (insn, m))
        f.write("};\n")


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit("usage: bpf_embed.py OBJECT HEADER PREFIX SECTION MAP[,MAP...]")
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5].split(","))
