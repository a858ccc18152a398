#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare `ifplex.exe --backend win32 --json show NAME`, run under wine,
with `ip -j -s link` and `ip -j addr` in the current network namespace, for
the details wine 8.0 passes through from Linux: the kind from the link type,
the counters (read between two `ip -s` reads, since the kernel may send
while wine runs), and each IPv6 address's scope.  What wine answers with a
constant instead of the Linux value (operational state, carrier, DAD state,
lifetimes, origins) is checked as what the plugin must turn it into,
so that a change in wine shows here.  Prints TAP."""
import json
import re
import subprocess
import sys

from wine_tap import check, finish, ip_json

wine, tool = sys.argv[1], sys.argv[2]



def show(name):
    out = subprocess.run((wine, tool, "--backend", "win32", "--json", "show", name),
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        print("# show %s: exit %d: %s" % (name, out.returncode, out.stderr.strip()))
        return None
    return json.loads(out.stdout)


# Linux's link type as Windows' IfType names it (wine maps ARPHRD_* so).
KINDS = {"ether": "ethernet", "loopback": "loopback"}
STATS = ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
         "rx_dropped", "tx_dropped")


def ip_stats(link):
    s = link["stats64"]
    return {"rx_packets": s["rx"]["packets"], "tx_packets": s["tx"]["packets"],
            "rx_bytes": s["rx"]["bytes"], "tx_bytes": s["tx"]["bytes"],
            "rx_errors": s["rx"]["errors"], "tx_errors": s["tx"]["errors"],
            "rx_dropped": s["rx"]["dropped"], "tx_dropped": s["tx"]["dropped"]}


def scope_of(a):
    return a.get("scope")


# A deprecated address with finite lifetimes, and a tentative one (DAD
# cannot finish on w2, whose peer is down): what wine makes of them.
subprocess.run(("ip", "addr", "add", "2001:db8:5::5/64", "dev", "w0", "valid_lft", "3000",
                "preferred_lft", "0"), check=True)
subprocess.run(("sysctl", "-qw", "net.ipv6.conf.w2.accept_dad=1"), check=True)
subprocess.run(("ip", "addr", "add", "2001:db8:6::6/64", "dev", "w2"), check=True)
before = {l["ifname"]: l for l in ip_json("-s", "link", "show")}
shown = {name: show(name) for name in sorted(before)}
after = {l["ifname"]: l for l in ip_json("-s", "link", "show")}
addrs = {l["ifname"]: l.get("addr_info", []) for l in ip_json("addr", "show")}

for name in sorted(before):
    got = shown[name]
    check(got is not None and "details" in got, "%s: show --json has details" % name)
    if got is None or "details" not in got:
        continue
    d = got["details"]
    want_kind = KINDS.get(before[name].get("link_type"))
    check(d["kind"] == want_kind, "%s: kind %r (link_type %s)" %
          (name, d["kind"], before[name].get("link_type")))
    # Absent, never pretended: nothing Windows has for these.
    check(d["master"] is None and d["link"] is None and d["txqlen"] is None and
          d["altnames"] is None and d["num_tx_queues"] is None,
          "%s: master, link, txqlen, altnames, queues absent" % name)
    lo, hi = ip_stats(before[name]), ip_stats(after[name])
    for k in STATS:
        v = d["stats"][k]
        check(v is not None and lo[k] <= v <= hi[k],
              "%s: %s %s within ip -s's %d..%d" % (name, k, v, lo[k], hi[k]))
    # wine 8.0 reports every administratively up link as up (it reads
    # IFF_UP alone: w2 without a carrier too), and the medium's state only
    # for the loopback (connected); elsewhere it is unknown, so absent.
    up = "UP" in before[name].get("flags", [])
    loop = before[name].get("link_type") == "loopback"
    check(d["operstate"] == ("UP" if up else "DOWN"),
          "%s: operstate %s as wine reports it (IFF_UP %s)" % (name, d["operstate"], up))
    check(d["carrier"] == (True if loop else None),
          "%s: carrier %s as wine reports it" % (name, d["carrier"]))

    linux = {}
    for a in addrs.get(name, []):
        if a["family"] in ("inet", "inet6"):
            linux["%s/%d" % (a["local"], a["prefixlen"])] = a
    dets = got.get("addr_details") or []
    check(len(dets) == len(linux), "%s: %d address details for ip's %d" %
          (name, len(dets), len(linux)))
    for det in dets:
        text = re.sub(r"%[^/]*", "", det["addr"])
        if "/" not in text:
            text += "/128" if ":" in text else "/32"
        a = linux.get(text)
        check(a is not None, "%s: %s is one of ip's" % (name, text))
        if a is None:
            continue
        if a["family"] == "inet6":
            check(det["scope"] == scope_of(a), "%s: %s scope %s, ip: %s" %
                  (name, text, det["scope"], scope_of(a)))
        else:
            check(det["scope"] is None, "%s: %s scope absent (Windows has none for IPv4)" %
                  (name, text))
        # wine 8.0: every address preferred (DAD state not passed through),
        # well-known origins on the loopback only, 60000 s lifetimes.
        want = ["permanent"] if loop else []
        check(det["flags"] == want, "%s: %s flags %s as wine reports them" %
              (name, text, det["flags"]))
        check(det["valid_life_time"] == 60000 and det["preferred_life_time"] == 60000,
              "%s: %s lifetimes as wine reports them" % (name, text))
        check(det["peer"] is None and det["broadcast"] is None and det["label"] is None,
              "%s: %s peer, broadcast, label absent" % (name, text))

finish()
