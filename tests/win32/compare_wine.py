#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare `ifplex.exe --backend win32 --json ifaces|addrs`, run under wine,
with `ip -j` in the current network namespace.  Wine's GetAdaptersAddresses
reports the Linux links (FriendlyName = the Linux name, IfIndex = the Linux
index); the flags are the ones Go derives on Windows from the media type and
the operational status.  Prints TAP."""
import json
import subprocess
import sys

from wine_tap import check, finish, ip_json

wine, tool = sys.argv[1], sys.argv[2]



def tool_json(*args):
    out = subprocess.run((wine, tool, "--backend", "win32", "--json") + args,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        print("# %s: exit %d: %s" % (" ".join(args), out.returncode, out.stderr.strip()))
        return None
    return json.loads(out.stdout)


def want_ifaces():
    out = []
    for l in ip_json("link", "show"):
        flags = set()
        # Wine 8 reports OperStatus up for every administratively up link,
        # with or without a carrier (w2, whose peer is down).
        if "UP" in l.get("flags", []):
            flags |= {"up", "running"}
        if l.get("link_type") == "loopback":
            flags |= {"loopback", "multicast"}
            hw = ""
        else:
            flags |= {"broadcast", "multicast"}
            hw = l.get("address", "")
        out.append({"index": l["ifindex"], "name": l["ifname"], "mtu": l["mtu"],
                    "hwaddr": hw, "flags": sorted(flags)})
    return sorted(out, key=lambda x: x["index"])


def want_addrs():
    out = []
    for l in ip_json("addr", "show"):
        for a in l.get("addr_info", []):
            if a["family"] not in ("inet", "inet6"):
                continue
            zone = ""
            if a["family"] == "inet6" and a.get("scope") in ("link", "host"):
                zone = "%" + l["ifname"]
            out.append({"index": l["ifindex"], "ifname": l["ifname"],
                        "addr": "%s%s/%d" % (a["local"], zone, a["prefixlen"])})
    return sorted(out, key=lambda x: (x["index"], x["addr"]))


def compare(kind, got, want):
    same = got == want
    if not same:
        print("# ifplex.exe --json %s: %s" % (kind, json.dumps(got)))
        print("# ip -j:                 %s" % json.dumps(want))
    check(same, "%s equal what ip -j shows (%d entries)" % (kind, len(want)))


ifaces = tool_json("ifaces")
addrs = tool_json("addrs")
check(ifaces is not None and addrs is not None, "ifplex.exe prints JSON")
if ifaces is not None and addrs is not None:
    check(all(set(i) == {"index", "name", "mtu", "hwaddr", "flags"} for i in ifaces)
          and all(set(a) == {"index", "ifname", "addr"} for a in addrs),
          "the keys of the Linux JSON, no others")
    for i in ifaces:
        i["flags"] = sorted(i["flags"])
    compare("ifaces", sorted(ifaces, key=lambda x: x["index"]), want_ifaces())
    compare("addrs", sorted(addrs, key=lambda x: (x["index"], x["addr"])), want_addrs())
finish()
