#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn bench/run's CSV into latest.md (tables of medians with ratios against
the fastest builtin of the same operation, size and run) and PNG plots
(gnuplot).  Usage: report.py LATEST.CSV OUTDIR"""
import collections
import csv
import os
import shutil
import subprocess
import sys

src, out = sys.argv[1], sys.argv[2]
env, skips, socks = [], [], []
enum = collections.defaultdict(dict)  # (op) -> {(contender, n): (median, min)}
extra = collections.defaultdict(dict)  # (what) -> {(contender, n): value}
sizes = set()

with open(src) as f:
    rows = list(csv.reader(f))
if not rows or rows[0][0] != "kind":
    sys.exit("report.py: %s has no header" % src)
for r in rows[1:]:
    if not r:
        continue
    kind = r[0]
    if kind == "env":
        env.append((r[1], ",".join(r[2:])))
    elif kind == "skip":
        skips.append((r[1], ",".join(r[2:])))
    elif kind == "sock":
        socks.append((r[1], r[2], float(r[3]), r[4]))
    elif kind == "enum":
        n, who, op, med, mn = int(r[1]), r[2], r[3], r[4], r[5]
        if op in ("first-call", "change-visible", "rss-kb-after-build", "cache-bytes-per-link",
                  "cache-bytes-per-addr"):
            extra[op][(who, n)] = (int(med), int(mn))
            sizes.add(n)
            continue
        sizes.add(n)
        enum[op][(who, n)] = (int(med), int(mn))
    else:
        sys.exit("report.py: unknown row %r" % r)

sizes = sorted(sizes)
ORDER = ["ifplex-ebpf", "ifplex-notify", "ifplex-off", "glibc", "libnl", "libnl-mngr", "libuv", "go", "node"]
BUILTIN = {"interfaces": "glibc", "addrs": "glibc", "by-name": "glibc", "by-index": "glibc",
           "one-iface-addrs": "glibc"}
GLIBC_NAME = {"interfaces": "if_nameindex", "addrs": "getifaddrs", "by-name": "if_nametoindex",
              "by-index": "if_indextoname", "one-iface-addrs": "getifaddrs (all)"}
OPS = ["interfaces", "addrs", "one-iface-addrs", "by-name", "by-index"]


def fmt_ns(v):
    if v >= 1_000_000:
        return "%.2f ms" % (v / 1e6)
    if v >= 1_000:
        return "%.1f µs" % (v / 1e3)
    return "%d ns" % v


md = ["# ifplex benchmarks", ""]
md.append("Measured by `bench/run` on one machine in one run; medians (minimum in the CSV). "
          "The machine is shared and noisy: read these as figures, not guarantees. "
          "Ratio = fastest builtin's median / this median (higher is faster).")
md.append("")
for k, v in env:
    md.append("- %s: %s" % (k, v))
md.append("")
for op in OPS:
    if op not in enum:
        continue
    md.append("## %s" % op)
    md.append("")
    md.append("Builtin baseline: glibc `%s`." % GLIBC_NAME[op])
    md.append("")
    cols = [n for n in sizes if any((w, n) in enum[op] for w in ORDER)]
    md.append("| contender | " + " | ".join(("host (%d)" % n) if n == sizes[0] and len(sizes) and n < 10 else str(n) for n in cols) + " |")
    md.append("|---|" + "---:|" * len(cols))
    base_src = op if op != "one-iface-addrs" else "addrs"
    for who in ORDER:
        cells = []
        for n in cols:
            v = enum[op].get((who, n))
            base = enum[base_src].get((BUILTIN[op], n)) if base_src in enum else None
            if not v:
                cells.append("–")
            elif base:
                cells.append("%s (%.1f×)" % (fmt_ns(v[0]), base[0] / max(v[0], 1)))
            else:
                cells.append(fmt_ns(v[0]))
        if any(c != "–" for c in cells):
            md.append("| %s | %s |" % (who, " | ".join(cells)))
    md.append("")

if extra:
    md.append("## First call, change, memory")
    md.append("")
    md.append("First call: ifplex's first `ifplex_interface_addrs` after loading (the cache build in ebpf and "
              "notify, two dumps in off). Change → visible: from an `ip link set mtu` returning to the first "
              "answer showing it, and how many calls that took. Cache bytes: the tables' memory per interface "
              "and per address.")
    md.append("")
    md.append("| contender | interfaces | first call | change → visible | RSS after build | bytes / interface | bytes / address |")
    md.append("|---|---:|---:|---:|---:|---:|---:|")
    keys = sorted({k for d in extra.values() for k in d}, key=lambda k: (k[1], ORDER.index(k[0]) if k[0] in ORDER else 99))
    for who, n in keys:
        fc = extra["first-call"].get((who, n))
        ch = extra["change-visible"].get((who, n))
        rss = extra["rss-kb-after-build"].get((who, n))
        bl = extra["cache-bytes-per-link"].get((who, n))
        ba = extra["cache-bytes-per-addr"].get((who, n))
        md.append("| %s | %d | %s | %s | %s | %s | %s |" % (
            who, n, fmt_ns(fc[0]) if fc else "–",
            ("%s (%d calls)" % (fmt_ns(ch[0]), ch[1])) if ch else "–",
            ("%d KiB" % rss[0]) if rss else "–",
            ("%d" % bl[0]) if bl and bl[1] else "–",
            ("%d" % ba[0]) if ba and ba[1] else "–"))
    md.append("")

if socks:
    md.append("## Sockets over loopback (ifplex against the same calls in POSIX)")
    md.append("")
    md.append("| test | POSIX | ifplex | ifplex / POSIX |")
    md.append("|---|---:|---:|---:|")
    by = collections.defaultdict(dict)
    for test, impl, v, unit in socks:
        by[(test, unit)][impl] = v
    for (test, unit), d in by.items():
        if "posix" in d and "ifplex" in d:
            md.append("| %s | %.1f %s | %.1f %s | %.3f |" % (test, d["posix"], unit, d["ifplex"], unit,
                                                             d["ifplex"] / d["posix"]))
    md.append("")
    md.append("For ns/op lower is better (a ratio above 1 is overhead); for MB/s higher is better.")
    md.append("")

if skips:
    md.append("## Not run")
    md.append("")
    for who, why in skips:
        md.append("- %s: %s" % (who, why))
    md.append("")

plots = []
if shutil.which("gnuplot"):
    for op in ("interfaces", "addrs"):
        if op not in enum:
            continue
        series = []
        for who in ORDER:
            pts = sorted((n, v[0]) for (w, n), v in enum[op].items() if w == who)
            if len(pts) >= 1:
                path = os.path.join(out, ".plot-%s-%s.dat" % (op, who))
                with open(path, "w") as f:
                    for n, v in pts:
                        f.write("%d %d\n" % (max(n, 1), v))
                series.append((who, path))
        if not series:
            continue
        png = os.path.join(out, "latest-%s.png" % op)
        script = ["set terminal png size 900,560", "set output '%s'" % png,
                  "set logscale xy", "set xlabel 'interfaces'", "set ylabel 'ns per call (median)'",
                  "set title 'ifplex: %s, against glibc and the peers'" % op, "set key outside right",
                  "set grid"]
        script.append("plot " + ", ".join("'%s' using 1:2 with linespoints title '%s'" % (p, w) for w, p in series))
        subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)
        for _, p in series:
            os.remove(p)
        plots.append(os.path.basename(png))
    for p in plots:
        md.append("![%s](%s)" % (p, p))
    md.append("")
else:
    md.append("No plot: gnuplot is not installed (apt-get install gnuplot-nox).")

with open(os.path.join(out, "latest.md"), "w") as f:
    f.write("\n".join(md) + "\n")
