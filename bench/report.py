#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn bench/run's CSVs into latest.md and PNG plots (gnuplot).

Every ratio divides figures of one process and run: ifplex in a cache mode
by the glibc builtin, the floor and libnl's cache manager that the same
process measured (rows enum,N,PROC,WHO,OP,MEDIAN,MIN).  Go and Node run in
processes of their own: their ratios use the peers process's glibc.  With
more than one CSV (bench/run --passes N) the first pass gives the figures
and the others the spread (lowest–highest median of the passes).

With --readme FILE it also rewrites FILE's block between the lines
<!-- bench:begin --> and <!-- bench:end --> (bench/readme_figures.py):
the goals with the passes' spread, the figures size by size, and when,
how and on what they were measured.

Usage: report.py [--readme FILE] OUTDIR PASS1.CSV [PASS2.CSV ...]"""
import collections
import csv
import os
import re
import shutil
import subprocess
import sys

args = sys.argv[1:]
readme = None
if args[:1] == ["--readme"] and len(args) > 1:
    readme, args = args[1], args[2:]
out, srcs = (args[0], args[1:]) if args else (None, [])
if not srcs:
    sys.exit("usage: report.py [--readme FILE] OUTDIR PASS1.CSV [PASS2.CSV ...]")


def load(path):
    p = {"env": [], "skip": [], "enum": {}, "sock": {}, "calls": {}, "ratio": {}, "cpu": {}, "details": {},
         "samples": {}, "time": []}
    with open(path) as f:
        rows = list(csv.reader(f))
    if not rows or rows[0][0] != "kind":
        sys.exit("report.py: %s has no header" % path)
    for r in rows[1:]:
        if not r:
            continue
        kind = r[0]
        if kind == "env":
            p["env"].append((r[1], ",".join(r[2:])))
        elif kind == "skip":
            p["skip"].append((r[1], ",".join(r[2:])))
        elif kind == "enum" and len(r) in (7, 8):
            p["enum"][(int(r[1]), r[2], r[3], r[4])] = (int(r[5]), int(r[6]))
            if len(r) == 8:  # sampled rows: how many samples the median is of
                p["samples"][(int(r[1]), r[2], r[3], r[4])] = int(r[7])
        elif kind == "time" and len(r) == 4:
            p["time"].append((int(r[1]), r[2], float(r[3])))
        elif kind == "sock" and len(r) == 5:
            p["sock"][(r[1], r[2])] = (float(r[3]), r[4])
        elif kind == "sockratio" and len(r) == 4:
            p["ratio"][(r[1], r[2])] = float(r[3])
        elif kind == "sockcalls" and len(r) == 4:
            p["calls"][(r[1], r[2])] = float(r[3])
        elif kind == "sockcpu" and len(r) == 5:
            p["cpu"][(r[1], r[2])] = (float(r[3]), float(r[4]))
        elif kind == "details" and len(r) in (6, 7):
            p["details"][(int(r[1]), r[2], r[3])] = (int(r[4]), int(r[5]))
        else:
            sys.exit("report.py: %s: unknown row %r" % (path, r))
    return p


passes = [load(s) for s in srcs]
first = passes[0]
E = first["enum"]
sizes = sorted({k[0] for k in E})
MODES = ["ifplex-ebpf", "ifplex-notify", "ifplex-off"]


def fmt_ns(v):
    if v >= 1_000_000:
        return "%.2f ms" % (v / 1e6)
    if v >= 1_000:
        return "%.1f µs" % (v / 1e3)
    return "%d ns" % v


def spread(key, fmt=fmt_ns):
    """' [lo–hi]' over the passes, or '' with one pass."""
    vals = [p["enum"][key][0] for p in passes if key in p["enum"]]
    if len(passes) < 2 or len(vals) < 2:
        return ""
    return " [%s–%s]" % (fmt(min(vals)), fmt(max(vals)))


def cell(key, base=None):
    v = E.get(key)
    if not v:
        return "–"
    s = fmt_ns(v[0]) + spread(key)
    if base and E.get(base):
        s += " (%.2f×)" % (E[base][0] / max(v[0], 1))
    return s


def size_label(n):
    return "host" if n == 0 else "{:,}".format(n)


def size_head(*first):
    """A table's two head lines: the first columns, then one per size."""
    return ["| " + " | ".join(list(first) + [size_label(n) for n in sizes]) + " |",
            "|" + "---|" * len(first) + "---:|" * len(sizes)]


md = ["# ifplex benchmarks", ""]
md.append("Measured by `bench/run`; medians (minimum in the CSV)%s. The machine is shared: "
          "read these as figures, not guarantees." %
          (", first of %d passes, [lowest–highest] median over the passes" % len(passes) if len(passes) > 1 else ""))
md.append("")
for k, v in first["env"]:
    md.append("- %s: %s" % (k, v))
for i, p in enumerate(passes[1:], 2):
    loads = [v for k, v in p["env"] if k.startswith("load average")]
    md.append("- pass %d load averages: %s" % (i, "; ".join(loads)))
md.append("")

# ----------------------------------------------------------------- goals
def fmt_ratio(v):
    return "%.2f×" % v


def fmt_pct(v):
    return "%+.1f %%" % v


def fmt_x3(v):
    return "%.3f×" % v


def goal_rows(P):
    """Issue 14's goals against pass P's figures: (goal, figure, met,
    the number that decides, its format), so that the passes' spread of
    each goal can be given (bench/readme_figures.py)."""
    E = P["enum"]

    def med(key):
        v = E.get(key)
        return v[0] if v else None

    g = []
    for n in sizes:
        sn, w, lw = (med((n, "ifplex-ebpf", who, op)) for who, op in
                     [("ifplex", "snapshot"), ("ifplex", "walk"), ("libnl-mngr", "walk")])
        if sn is not None:
            g.append(("snapshot get + put < 100 ns (O(1)), %s interfaces" % size_label(n), fmt_ns(sn),
                      "met" if sn < 100 else "not met", sn, fmt_ns))
        for op in ["snapshot-by-name", "snapshot-by-index"]:
            v = med((n, "ifplex-ebpf", "ifplex", op))
            if v is not None:
                g.append(("snapshot get + %s lookup + put < 100 ns (O(1)), %s interfaces" % (op[9:], size_label(n)),
                          fmt_ns(v), "met" if v < 100 else "not met", v, fmt_ns))
        if w is not None and lw:
            g.append(("snapshot get + walk of every interface + put: faster than libnl's walk, "
                      "and < 100 ns, %s interfaces" % size_label(n),
                      "%s vs libnl %s (%.1f×)" % (fmt_ns(w), fmt_ns(lw), lw / max(w, 1)),
                      ("faster: met; " if w < lw else "faster: not met; ") +
                      ("< 100 ns: met" if w < 100 else "< 100 ns: not met (O(N): %.2f ns per interface)" %
                       (w / max(n, 1))), w, fmt_ns))
    for n in [x for x in sizes if x >= 1001]:
        for op in ["interfaces", "addrs"]:
            x, f = med((n, "ifplex-ebpf", "ifplex", op)), med((n, "ifplex-ebpf", "floor", op))
            if x and f:
                g.append(("cached %s copy within 1.5× of the floor, %s interfaces" % (op, size_label(n)),
                          "%s vs %s (%.2f×)" % (fmt_ns(x), fmt_ns(f), x / f), "met" if x <= 1.5 * f else "not met",
                          x / f, fmt_ratio))
    for n in [x for x in sizes if x >= 10001]:
        for m in MODES[:2]:
            b, d = E.get((n, m, "ifplex", "burst-1000")), E.get((n, m, "ifplex", "burst-1000-dumps"))
            if b:
                g.append(("next call after 1,000 link changes < 3 ms, no dump, %s interfaces (%s)" %
                          (size_label(n), m), "%s, %d dumps over %d bursts" % ((fmt_ns(b[0]),) + (d or (0, 0))),
                          "met" if b[0] < 3_000_000 and d and d[0] == 0 else "not met", b[0], fmt_ns))
    for n in sizes:
        a = med((n, "ifplex-ebpf", "ifplex", "bpf-arm-call"))
        if a:
            # The setup runs on a helper thread since cache_arm.c: say what it costs and when it armed.
            st, w = med((n, "ifplex-ebpf", "ifplex", "bpf-arm-setup")), med((n, "ifplex-ebpf", "ifplex", "bpf-arm-wait"))
            more = " (setup %s off the call, armed %s after the build)" % (fmt_ns(st), fmt_ns(w)) if st and w else ""
            g.append(("BPF arming call < 0.5 ms median, %s interfaces" % size_label(n), fmt_ns(a) + more,
                      "met" if a < 500_000 else "not met", a, fmt_ns))
    for n in sizes:
        for m in MODES:
            b, a = med((n, m, "glibc", "addrs-before")), med((n, m, "glibc", "addrs-after"))
            fb, fa = E.get((n, m, "glibc", "faults-before")), E.get((n, m, "glibc", "faults-after"))
            ib, ia = med((n, m, "glibc", "addrs-il-before")), med((n, m, "glibc", "addrs-il-after"))
            fib, fia = E.get((n, m, "glibc", "faults-il-before")), E.get((n, m, "glibc", "faults-il-after"))
            if not (b and a):
                continue
            fig = "%s → %s (%+.1f %%)" % (fmt_ns(b), fmt_ns(a), (a / b - 1) * 100)
            if fb and fa:
                fig += ", faults per call %.2f → %.2f" % (fb[0] / max(fb[1], 1), fa[0] / max(fa[1], 1))
            # Interleaved blocks (cache dropped / built, alternating) decide
            # where the bench has them: the load's drift cancels there.
            dec = (b, a)
            if ib and ia:
                fig += "; interleaved %s → %s (%+.1f %%)" % (fmt_ns(ib), fmt_ns(ia), (ia / ib - 1) * 100)
                if fib and fia:
                    fig += ", faults %.2f → %.2f" % (fib[0] / max(fib[1], 1), fia[0] / max(fia[1], 1))
                dec = (ib, ia)
            g.append(("getifaddrs within 5 %% before/after the cache, %s interfaces (%s)" % (size_label(n), m),
                      fig, "met" if abs(dec[1] / dec[0] - 1) <= 0.05 else "not met",
                      (dec[1] / dec[0] - 1) * 100, fmt_pct))
    S = P["sock"]
    for t in sorted({k[0] for k in S}):
        a, x, bb = S.get((t, "posix")), S.get((t, "ifplex")), S.get((t, "posix-b"))
        if not (a and x and bb):
            continue
        hib = a[1] == "MB/s"  # higher is better: overhead is the inverse
        # Ratios within each round where the bench gives them, else of medians.
        rx = P["ratio"].get((t, "ifplex"), x[0] / a[0])
        rb = P["ratio"].get((t, "posix-b"), bb[0] / a[0])
        r, aa = (1 / rx, 1 / rb) if hib else (rx, rb)
        band = abs(aa - 1)
        ca, cx = P["calls"].get((t, "posix")), P["calls"].get((t, "ifplex"))
        calls = ", system calls %.2f vs %.2f" % (cx, ca) if ca is not None and cx is not None and ca >= 0 else ""
        # A ratio says something only outside the noise the A/A pair shows.
        if r > 1 + max(0.03, band):
            verdict = "not met"
        elif band > 0.03:
            verdict = "not shown: the A/A band (±%.1f %%) is wider than 3 %%" % (band * 100)
        else:
            verdict = "met"
        g.append(("%s within 3 %% of POSIX" % t, "%.3f× (A/A %.3f×)%s" % (r, aa, calls), verdict, r, fmt_x3))
    return g


GOALS = goal_rows(first)
if GOALS:
    md.append("## Issue 14's goals")
    md.append("")
    md.append("From the first pass. Sockets: ifplex's cost over POSIX's (time ratio; for MB/s the "
              "inverse), A/A: POSIX's second run against its first in the same rounds.")
    md.append("")
    md.append("| goal | figure | |")
    md.append("|---|---|---|")
    for goal, fig, met, _, _ in GOALS:
        md.append("| %s | %s | %s |" % (goal, fig, met))
    md.append("")

# ------------------------------------------------------------ list calls
md.append("## List calls")
md.append("")
md.append("Ratio = glibc's median in the same process / this median (higher is faster): "
          "`if_nameindex` for interfaces, `getifaddrs` for addrs, `getifaddrs` filtered to one "
          "interface for one-iface-addrs, `if_nametoindex`/`if_indextoname` for by-name/by-index. "
          "libnl-mngr: libnl's cache manager walked and copied out, in the ifplex-ebpf process. "
          "libnl (a fresh cache per call), libuv, Go and Node against the peers process's glibc.")
md.append("")
for op in ["interfaces", "addrs", "one-iface-addrs", "by-name", "by-index"]:
    cols = [n for n in sizes if any(k[0] == n and k[3] == op for k in E)]
    if not cols:
        continue
    md.append("### %s" % op)
    md.append("")
    md.append("| contender | " + " | ".join(size_label(n) for n in cols) + " |")
    md.append("|---|" + "---:|" * len(cols))
    rows = []
    for m in MODES:
        rows.append((m, [(n, (n, m, "ifplex", op), (n, m, "glibc", op)) for n in cols]))
    rows.append(("glibc (ifplex-ebpf process)", [(n, (n, "ifplex-ebpf", "glibc", op), None) for n in cols]))
    rows.append(("libnl-mngr", [(n, (n, "ifplex-ebpf", "libnl-mngr", op), (n, "ifplex-ebpf", "glibc", op)) for n in cols]))
    for who in ["libnl", "libuv"]:
        rows.append((who, [(n, (n, "peers", who, op), (n, "peers", "glibc", op)) for n in cols]))
    for who in ["go", "node"]:
        rows.append((who, [(n, (n, who, who, op), (n, "peers", "glibc", op)) for n in cols]))
    for name, cells in rows:
        txt = [cell(k, b) for _, k, b in cells]
        if any(t != "–" for t in txt):
            md.append("| %s | %s |" % (name, " | ".join(txt)))
    md.append("")

# ---------------------------------------------------------- copy vs floor
md.append("## Cached list copy against the memory floor")
md.append("")
md.append("The floor: malloc, one memcpy and free of as many public records, in the same process. "
          "Ratio = floor / ifplex (1.00× is the floor).")
md.append("")
md.extend(size_head("mode", "list"))
for m in MODES[:2]:
    for op in ["interfaces", "addrs"]:
        md.append("| %s | %s | %s |" % (m, op, " | ".join(
            cell((n, m, "ifplex", op), (n, m, "floor", op)) for n in sizes)))
        md.append("| %s | floor %s | %s |" % (m, op, " | ".join(cell((n, m, "floor", op)) for n in sizes)))
md.append("")

# -------------------------------------------------------------- snapshots
md.append("## Snapshots against libnl's cache walk")
md.append("")
md.append("snapshot: get and put; snapshot-by-name/-by-index: get, one lookup, put. walk: get, read every interface, put, against libnl-mngr walking its link "
          "cache; walk-all: interfaces and addresses, against libnl walking its link and address caches. "
          "Same process; ratio = libnl / ifplex.")
md.append("")
md.extend(size_head("mode", "operation"))
for m in MODES:
    for op in ["snapshot", "snapshot-by-name", "snapshot-by-index"]:
        md.append("| %s | %s | %s |" % (m, op, " | ".join(cell((n, m, "ifplex", op)) for n in sizes)))
    for op in ["walk", "walk-all"]:
        md.append("| %s | %s | %s |" % (m, op, " | ".join(
            cell((n, m, "ifplex", op), (n, m, "libnl-mngr", op)) for n in sizes)))
        md.append("| %s | libnl %s | %s |" % (m, op, " | ".join(cell((n, m, "libnl-mngr", op)) for n in sizes)))
md.append("")

# ------------------------------------------------------------ cache facts
md.append("## First call, changes, bursts, arming, memory")
md.append("")
md.append("first call: one process, one `ifplex_interface_addrs`; load: the plugin is loaded by that call, "
          "noload: after `ifplex_backend_name` loaded it. change → visible: `ip link set mtu` returned "
          "to the first lookup showing it (calls it took). burst-K: K MTU changes in one `ip -batch`, "
          "then the next `ifplex_interfaces` (first: the first burst of that size, which may grow the "
          "ring); dumps: resyncs over the measured bursts.")
md.append("")
md.append("| mode | interfaces | what | figure |")
md.append("|---|---:|---|---:|")
for n in sizes:
    for m in MODES:
        for op, how in [("first-call-load", "ns"), ("first-call-noload", "ns"), ("change-visible", "calls"),
                        ("burst-1-first", "ns"), ("burst-1", "ns"), ("burst-1-dumps", "dumps"),
                        ("burst-100-first", "ns"), ("burst-100", "ns"), ("burst-100-dumps", "dumps"),
                        ("burst-1000-first", "ns"), ("burst-1000", "ns"), ("burst-1000-dumps", "dumps"),
                        ("burst-10000-first", "ns"), ("burst-10000", "ns"), ("burst-10000-dumps", "dumps"),
                        ("ring-bytes", "grows"), ("bpf-arm-setup", "ns"), ("bpf-arm-call", "ns"),
                        ("rss-kb-after-build", "kb"), ("cache-bytes-per-link", "b"), ("cache-bytes-per-addr", "b")]:
            key = (n, m, "ifplex", op)
            v = E.get(key)
            if not v:
                continue
            if how == "ns":
                fig = fmt_ns(v[0]) + spread(key)
            elif how == "calls":
                fig = "%s (%d calls)" % (fmt_ns(v[0]), v[1])
            elif how == "dumps":
                fig = "%d dumps over %d bursts" % v
            elif how == "grows":
                fig = "%d bytes after %d grows" % v
            elif how == "kb":
                fig = "%d KiB more after the build (%d KiB)" % v
            else:
                fig = "%d bytes (%d in all)" % v
            md.append("| %s | %s | %s | %s |" % (m, size_label(n), op, fig))
        key = (n, m, "libnl-mngr", "change-visible")
        if key in E:
            md.append("| %s | %s | libnl-mngr change-visible | %s (%d calls) |" % (m, size_label(n), fmt_ns(E[key][0]), E[key][1]))
        for tag in ["before", "after", "il-before", "il-after"]:
            a, f = E.get((n, m, "glibc", "addrs-" + tag)), E.get((n, m, "glibc", "faults-" + tag))
            if a:
                md.append("| %s | %s | getifaddrs %s the cache | %s%s%s |" % (
                    m, size_label(n), tag, fmt_ns(a[0]), spread((n, m, "glibc", "addrs-" + tag)),
                    ", %.2f page faults per call" % (f[0] / max(f[1], 1)) if f else ""))
md.append("")

# ---------------------------------------------------------------- sockets
S = first["sock"]
if S:
    md.append("## Sockets over loopback (ifplex against the same calls in POSIX)")
    md.append("")
    md.append("Same process; rounds rotate which side goes first. A/A: POSIX's second run against its "
              "first, the noise of this run. System calls: the calling thread's, per operation "
              "(raw_syscalls:sys_enter; -1: not readable).")
    md.append("")
    md.append("Ratios are the median over rounds of each round's own ratio (its three runs follow "
              "each other), where the CSV has them; otherwise of the medians.")
    md.append("")
    md.append("CPU: the calling thread's CPU time per operation, ifplex / POSIX (A/A in brackets), "
              "median of the rounds' ratios; under load it varies less than wall time.")
    md.append("")
    md.append("| test | POSIX | ifplex | ifplex / POSIX | A/A (POSIX-b / POSIX) | CPU ifplex / POSIX | syscalls POSIX | syscalls ifplex |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    tests = []
    for (t, _) in S:
        if t not in tests:
            tests.append(t)
    for t in tests:
        a, b, x = S.get((t, "posix")), S.get((t, "posix-b")), S.get((t, "ifplex"))
        if not (a and x):
            continue
        unit = a[1]
        sp = ""
        if len(passes) > 1:
            rs = [p["ratio"].get((t, "ifplex"), p["sock"][(t, "ifplex")][0] / p["sock"][(t, "posix")][0])
                  for p in passes if (t, "ifplex") in p["sock"] and (t, "posix") in p["sock"]]
            sp = " [%.3f–%.3f]" % (min(rs), max(rs))
        cpu, cpu_b = first["cpu"].get((t, "ifplex")), first["cpu"].get((t, "posix-b"))
        md.append("| %s | %.1f %s | %.1f %s | %.3f%s | %s | %s | %s | %s |" % (
            t, a[0], unit, x[0], unit, first["ratio"].get((t, "ifplex"), x[0] / a[0]), sp,
            "%.3f" % first["ratio"].get((t, "posix-b"), b[0] / a[0]) if b else "–",
            "%.3f (%.3f)" % (cpu[0], cpu_b[0]) if cpu and cpu_b else "–",
            "%.2f" % first["calls"].get((t, "posix"), -1), "%.2f" % first["calls"].get((t, "ifplex"), -1)))
    md.append("")
    md.append("For ns/op lower is better (a ratio above 1 is overhead); for MB/s higher is better.")
    md.append("")

# --------------------------------------------------------------- details
D = first["details"]
if D:
    md.append("## Details calls beside the list calls (bench/details_bench)")
    md.append("")
    md.append("One child per cache mode; medians per call%s. The list rows show what keeping "
              "details beside the cache costs the hot calls." %
              (", [lowest–highest] over the passes" if len(passes) > 1 else ""))
    md.append("")
    md.append("| interfaces | mode | operation | median |")
    md.append("|---:|---|---|---:|")
    for key in sorted(D, key=lambda k: (k[0], k[1], list(D).index(k))):
        vals = [p["details"][key][0] for p in passes if key in p["details"]]
        sp = " [%s–%s]" % (fmt_ns(min(vals)), fmt_ns(max(vals))) if len(vals) > 1 else ""
        md.append("| %s | %s | %s | %s%s |" % (size_label(key[0]), key[1], key[2], fmt_ns(D[key][0]), sp))
    md.append("")

# ------------------------------------------------------------- datapath
def xdp_table(path):
    """The xdp datapath's rows (bench/xdp_bench.c), one run: receive and
    send rates against kernel UDP sockets on the same veth pair."""
    rows, skip = [], []
    with open(path) as f:
        for r in csv.reader(f):
            if len(r) == 7 and r[0] == "xdp":
                rows.append(r)
            elif len(r) >= 3 and r[0] == "skip":
                skip.append(",".join(r[2:]))
    t = ["## The xdp datapath against kernel UDP sockets", ""]
    if skip and not rows:
        return t + ["Not run: %s" % "; ".join(skip), ""]
    t.append("One run of `bench/xdp_bench` (not repeated by --passes): packets per second on a veth "
             "pair, the measured side on CPU 0, the other end on CPU 1; CPU: the measured side's CPU "
             "time per packet; delivered: for send, what reached the peer's socket. Ratio: against "
             "the same direction and payload's kernel-mmsg row (recvmmsg/sendmmsg).")
    t.append("")
    t.append("| direction | payload | contender | packets/s | CPU per packet | delivered/s | ratio |")
    t.append("|---|---:|---|---:|---:|---:|---:|")
    base = {}
    for d, size, who, pps in ((r[1], r[2], r[3], r[4]) for r in rows):
        if who == "kernel-mmsg":
            base[(d, size)] = float(pps)
    for r in rows:
        b = base.get((r[1], r[2]))
        ratio = "%.2f×" % (float(r[4]) / b) if b else "–"
        t.append("| %s | %s B | %s | %s | %s ns | %s | %s |" % (
            r[1], r[2], r[3], "{:,.0f}".format(float(r[4])), r[5] or "–",
            "{:,.0f}".format(float(r[6])) if r[6] else "–", ratio))
    return t + [""]


xdp = os.path.join(out, "xdp.csv")
if os.path.exists(xdp):
    md.extend(xdp_table(xdp))
events = os.path.join(out, "events.md")
if os.path.exists(events):
    with open(events) as f:
        text = f.read().strip()
    if text:
        md.append("## Change events")
        md.append("")
        md.append("One run of `bench/events_bench` (not repeated by --passes), in a namespace of its own.")
        md.append("")
        md.append(text)
        md.append("")

if any(p["time"] for p in passes):
    md.append("## Time each part of a pass took")
    md.append("")
    md.append("Seconds, pass by pass (size 0: the parts after the sizes, e.g. sockets).")
    md.append("")
    md.append("| size | part | " + " | ".join("pass %d" % i for i in range(1, len(passes) + 1)) + " |")
    md.append("|---:|---|" + "---:|" * len(passes))
    parts = []
    for p in passes:
        for n, what, _ in p["time"]:
            if (n, what) not in parts:
                parts.append((n, what))
    for n, what in parts:
        cells = []
        for p in passes:
            v = [sec for m, w, sec in p["time"] if (m, w) == (n, what)]
            cells.append("%.1f" % v[0] if v else "–")
        md.append("| %s | %s | %s |" % (size_label(n) if n else "–", what, " | ".join(cells)))
    totals = ["%.0f" % sum(sec for _, _, sec in p["time"]) for p in passes]
    md.append("| | all parts | %s |" % " | ".join(totals))
    md.append("")

skips = first["skip"]
if skips:
    md.append("## Not run")
    md.append("")
    for who, why in skips:
        md.append("- %s: %s" % (who, why))
    md.append("")

plots = []
if shutil.which("gnuplot"):
    for op in ("interfaces", "addrs"):
        series = []
        for name, proc, who in [(m, m, "ifplex") for m in MODES] + [
                ("glibc", "ifplex-ebpf", "glibc"), ("floor", "ifplex-ebpf", "floor"),
                ("libnl-mngr", "ifplex-ebpf", "libnl-mngr"), ("libnl", "peers", "libnl"),
                ("libuv", "peers", "libuv"), ("go", "go", "go"), ("node", "node", "node")]:
            pts = sorted((n, v[0]) for (n, p, w, o), v in E.items() if p == proc and w == who and o == op)
            if pts:
                path = os.path.join(out, ".plot-%s-%s.dat" % (op, name))
                with open(path, "w") as f:
                    for n, v in pts:
                        f.write("%d %d\n" % (max(n, 1), v))
                series.append((name, path))
        if not series:
            continue
        png = os.path.join(out, "latest-%s.png" % op)
        script = ["set terminal png size 900,560", "set output '%s'" % png,
                  "set logscale xy", "set xlabel 'interfaces'", "set ylabel 'ns per call (median)'",
                  "set title 'ifplex: %s, against glibc, the floor and the peers'" % op, "set key outside right",
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


# ------------------------------------------------------------ README block
def env_of(p, key):
    return next((v for k, v in p["env"] if k == key), "?")


def readme_block():
    """The README's figures, all from these passes."""
    b = ["<!-- bench:begin -->",
         "<!-- Written by bench/readme_figures.py from bench/results/latest-*.csv: edit that, not this. -->",
         ""]
    b.append("%d pass%s of `%s`, started %s UTC; %s, %s, Linux %s." % (
        len(passes), "es" if len(passes) > 1 else "", env_of(first, "command"),
        env_of(first, "date").replace("T", " ").rstrip("Z"), env_of(first, "machine"),
        env_of(first, "cpu"), env_of(first, "kernel")))
    b.append("")
    b.append("| pass | started (UTC) | load average at start | at end | minutes |")
    b.append("|---:|---|---|---|---:|")
    for i, p in enumerate(passes, 1):
        secs = sum(sec for _, _, sec in p["time"])
        b.append("| %d | %s | %s | %s | %s |" % (
            i, env_of(p, "date").replace("T", " ").rstrip("Z"), env_of(p, "load average at start"),
            env_of(p, "load average at end"), "%.0f" % (secs / 60) if secs else "–"))
    b.append("")
    b.append("Issue 14's goals: the figure of pass 1, [lowest–highest] of the deciding number over "
             "the passes, and the verdict (with how many passes agree when they differ).")
    b.append("")
    b.append("| goal | figure (pass 1) | spread | |")
    b.append("|---|---|---|---|")
    per_pass = [{r[0]: r for r in goal_rows(p)} for p in passes]
    for goal, fig, met, _, fmt in GOALS:
        rows = [pp[goal] for pp in per_pass if goal in pp]
        vals = [r[3] for r in rows]
        sp = "%s–%s" % (fmt(min(vals)), fmt(max(vals))) if len(vals) > 1 else "–"
        # Verdicts agree when they do apart from the figures in brackets.
        agree = sum(1 for r in rows if re.sub(r" \(.*\)", "", r[2]) == re.sub(r" \(.*\)", "", met))
        verdict = met if agree == len(rows) else "%s (%d of %d passes)" % (met, agree, len(rows))
        b.append("| %s | %s | %s | %s |" % (goal, fig, sp, verdict))
    b.append("")
    b.append("Size by size (ebpf mode's process unless named), median of pass 1 [lowest–highest "
             "median of the passes]:")
    b.append("")
    b.extend(size_head(""))
    for label, proc, who, op in [
            ("snapshot get + put", "ifplex-ebpf", "ifplex", "snapshot"),
            ("snapshot get + by name + put", "ifplex-ebpf", "ifplex", "snapshot-by-name"),
            ("snapshot get + by index + put", "ifplex-ebpf", "ifplex", "snapshot-by-index"),
            ("snapshot get + walk of every interface + put", "ifplex-ebpf", "ifplex", "walk"),
            ("libnl cache manager, walk of its link cache", "ifplex-ebpf", "libnl-mngr", "walk"),
            ("snapshot walk of interfaces and addresses", "ifplex-ebpf", "ifplex", "walk-all"),
            ("libnl, walk of link and address caches", "ifplex-ebpf", "libnl-mngr", "walk-all"),
            ("`ifplex_interfaces` (a copy)", "ifplex-ebpf", "ifplex", "interfaces"),
            ("floor: malloc + memcpy + free of as many records", "ifplex-ebpf", "floor", "interfaces"),
            ("`ifplex_interface_addrs(NULL)` (a copy)", "ifplex-ebpf", "ifplex", "addrs"),
            ("floor for as many addresses", "ifplex-ebpf", "floor", "addrs"),
            ("`getifaddrs`", "ifplex-ebpf", "glibc", "addrs"),
            ("`getifaddrs`, cache dropped (interleaved)", "ifplex-ebpf", "glibc", "addrs-il-before"),
            ("`getifaddrs`, cache built (interleaved)", "ifplex-ebpf", "glibc", "addrs-il-after"),
            ("next call after 1,000 link changes (ebpf)", "ifplex-ebpf", "ifplex", "burst-1000"),
            ("next call after 1,000 link changes (notify)", "ifplex-notify", "ifplex", "burst-1000"),
            ("next call after 10,000 link changes (ebpf)", "ifplex-ebpf", "ifplex", "burst-10000"),
            ("BPF arming call", "ifplex-ebpf", "ifplex", "bpf-arm-call"),
            ("first call, plugin loaded by it (ebpf)", "ifplex-ebpf", "ifplex", "first-call-load")]:
        cells = [cell((n, proc, who, op)) for n in sizes]
        if any(c != "–" for c in cells):
            b.append("| %s | %s |" % (label, " | ".join(cells)))
    b.append("")
    b.append("Every table of the run: `bench/results/latest.md`.")
    b.append("")
    b.append("<!-- bench:end -->")
    return b


if readme:
    with open(readme) as f:
        text = f.read()
    begin, end = text.find("<!-- bench:begin -->"), text.find("<!-- bench:end -->")
    if begin < 0 or end < begin:
        sys.exit("report.py: %s has no <!-- bench:begin --> ... <!-- bench:end --> block" % readme)
    text = text[:begin] + "\n".join(readme_block()) + text[end + len("<!-- bench:end -->"):]
    with open(readme, "w") as f:
        f.write(text)
