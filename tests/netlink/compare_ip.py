#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare `ifplex --json ifaces` and `ifplex --json addrs` with `ip -j` in
the current network namespace.  Exit 0 when equal, else print both and 1."""
import json
import subprocess
import sys

tool = sys.argv[1]


def run(*cmd):
    return json.loads(subprocess.check_output(cmd))


def want_ifaces():
    out = []
    for l in run("ip", "-j", "link", "show"):
        flags = set(l.get("flags", []))
        names = []
        for kernel, name in (("UP", "up"), ("BROADCAST", "broadcast"), ("LOOPBACK", "loopback"),
                             ("POINTOPOINT", "pointtopoint"), ("MULTICAST", "multicast")):
            if kernel in flags:
                names.append(name)
        # IFF_RUNNING is what ip shows as operstate UP (or UNKNOWN, as on lo).
        if l.get("operstate") in ("UP", "UNKNOWN") and "UP" in flags:
            names.append("running")
        hw = l.get("address", "")
        if l.get("link_type") in ("none",) or set(hw.replace(":", "")) <= {"0"}:
            hw = ""
        out.append({"index": l["ifindex"], "name": l["ifname"], "mtu": l["mtu"],
                    "hwaddr": hw, "flags": names})
    return sorted(out, key=lambda x: x["index"])


def want_addrs():
    out = []
    for l in run("ip", "-j", "addr", "show"):
        for a in l.get("addr_info", []):
            if a["family"] not in ("inet", "inet6"):
                continue
            zone = ""
            if a["family"] == "inet6" and (a.get("scope") in ("link", "host")
                                           or a["local"].lower().startswith("fe8")):
                zone = "%" + l["ifname"]
            out.append({"index": l["ifindex"], "ifname": l["ifname"],
                        "addr": "%s%s/%d" % (a["local"], zone, a["prefixlen"])})
    return sorted(out, key=lambda x: (x["index"], x["addr"]))


def ok(kind, got, want):
    if got != want:
        print("ifplex --json %s differs from ip -j:" % kind)
        print(" ifplex:", json.dumps(got))
        print(" ip -j: ", json.dumps(want))
        return False
    return True


got_ifaces = sorted(run(tool, "--json", "ifaces"), key=lambda x: x["index"])
got_addrs = sorted(run(tool, "--json", "addrs"), key=lambda x: (x["index"], x["addr"]))
good = ok("ifaces", got_ifaces, want_ifaces()) & ok("addrs", got_addrs, want_addrs())
sys.exit(0 if good else 1)
