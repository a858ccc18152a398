#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Details against `ip`, the oracle for Linux state: in the network namespace
this runs in (tests/events/test_details.sh makes a fresh one), set up veth,
a bridge with a port, vxlan, tun with a point-to-point peer, macvlan, an
alternative name, secondary, labelled, deprecated, tentative, dadfailed and
noprefixroute addresses; then compare `ifplex --json show NAME` with
`ip -d -j link`, `ip -s -j link` and `ip -j addr` for every field ifplex
exposes.  Counters and lifetimes move: ifplex's must lie between ip's
before and after.  The second argument is the cache mode (IFPLEX_CACHE:
ebpf, notify, off); in ebpf and notify the tool must say that its cache
was built, so that the details came from it.  Exit 0 when all agree, else
print what differs and 1."""
import json
import os
import subprocess
import sys
import time

tool = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "off"
env = dict(os.environ, IFPLEX_CACHE=mode, IFPLEX_DEBUG="1")
failures = []


def show(name):
    """ifplex --json show NAME in this mode; checks where it was served from."""
    p = subprocess.run((tool, "--json", "show", name), env=env, check=True, capture_output=True, text=True)
    built = "netlink cache: built" in p.stderr
    if built != (mode != "off"):
        failures.append("%s (%s): the cache was %sbuilt" % (name, mode, "" if built else "not "))
    return json.loads(p.stdout)


def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)


def ip(*args):
    return json.loads(subprocess.check_output(("ip",) + args))


def setup():
    for cmd in (
        "ip link set lo up",
        "ip link add v0 type veth peer name v1",
        "ip link add br0 type bridge",
        "ip link set v0 master br0",
        "ip link add vx0 type vxlan id 42 dstport 4789 local 10.9.0.1 dev v1",
        "ip tuntap add dev tn0 mode tun",
        "ip link add mv0 link v1 type macvlan mode bridge",
        "ip link property add dev v1 altname verylongalternativename1",
        "ip link add d0 type veth peer name d1",
        "for l in v0 v1 br0 tn0 mv0 d0 d1; do ip link set $l up; done",
        "ip addr add 10.1.0.1 peer 10.1.0.2/32 dev tn0",
        "ip addr add 10.2.0.1/24 brd + dev v1 label v1:lab",
        "ip addr add 10.2.0.2/24 dev v1",
        "ip -6 addr add 2001:db8::1/64 dev v1 preferred_lft 0 valid_lft 100",
        "ip -6 addr add 2001:db8:2::1/64 dev tn0 noprefixroute",
        "ip -6 addr add 2001:db8:5::1/64 dev d0 nodad",
    ):
        sh(cmd)
    # d1's duplicate address detection meets d0's address: dadfailed.
    time.sleep(0.5)
    sh("ip -6 addr add 2001:db8:5::1/64 dev d1")
    for _ in range(100):
        if any(a.get("dadfailed") for l in ip("-j", "addr", "show", "dev", "d1")
               for a in l.get("addr_info", [])):
            break
        time.sleep(0.1)
    else:
        failures.append("setup: d1's address never failed DAD")


def check(where, what, want, got):
    if want != got:
        failures.append("%s %s: ip says %r, ifplex %r" % (where, what, want, got))


def within(where, what, before, got, after):
    lo, hi = min(before, after), max(before, after)
    if got is None or not lo <= got <= hi:
        failures.append("%s %s: ip says %r then %r, ifplex %r" % (where, what, before, after, got))


FLAGS = ("secondary", "temporary", "nodad", "optimistic", "dadfailed", "home", "deprecated",
         "tentative", "mngtmpaddr", "noprefixroute", "autojoin", "stable-privacy")


def addr_text(name, a):
    zone = "%" + name if a["family"] == "inet6" and a.get("scope") in ("link", "host") else ""
    return "%s%s/%d" % (a["local"], zone, a["prefixlen"])


def compare(name):
    d_before = ip("-d", "-j", "link", "show", "dev", name)[0]
    s_before = ip("-s", "-j", "link", "show", "dev", name)[0]
    a_before = ip("-j", "addr", "show", "dev", name)[0].get("addr_info", [])
    got = show(name)
    s_after = ip("-s", "-j", "link", "show", "dev", name)[0]
    a_after = ip("-j", "addr", "show", "dev", name)[0].get("addr_info", [])
    d = got["details"]
    if d is None:
        failures.append("%s: no details" % name)
        return
    check(name, "kind", d_before.get("linkinfo", {}).get("info_kind", ""), d["kind"])
    check(name, "operstate", d_before["operstate"], d["operstate"])
    check(name, "carrier", "LOWER_UP" in d_before["flags"], d["carrier"])
    check(name, "master", d_before.get("master"), d["master_name"])
    if "link_index" in d_before:
        check(name, "link index", d_before["link_index"], d["link"])
        check(name, "link netnsid", d_before.get("link_netnsid", -1), d["link_netnsid"])
    elif d_before.get("link"):
        check(name, "link", d_before["link"], d["link_name"])
    else:
        check(name, "link", 0, d["link"])
    check(name, "altnames", d_before.get("altnames", []), d["altnames"])
    check(name, "txqlen", d_before["txqlen"], d["txqlen"])
    check(name, "num_tx_queues", d_before["num_tx_queues"], d["num_tx_queues"])
    check(name, "num_rx_queues", d_before["num_rx_queues"], d["num_rx_queues"])
    for way in ("rx", "tx"):
        for key, ours in (("packets", "packets"), ("bytes", "bytes"), ("errors", "errors"),
                          ("dropped", "dropped")):
            within(name, way + " " + key, s_before["stats64"][way][key], d["stats"][way + "_" + ours],
                   s_after["stats64"][way][key])
    # Addresses in ip's order, each field.
    check(name, "addresses", [addr_text(name, a) for a in a_before], got["addrs"])
    if len(a_before) != len(got["addr_details"]) or len(a_before) != len(a_after):
        return
    for a, b, o in zip(a_before, a_after, got["addr_details"]):
        where = "%s %s" % (name, o["addr"])
        # Duplicate address detection may end between the readings.
        want = [sorted([f for f in FLAGS if x.get(f)] + ([] if x.get("dynamic") else ["permanent"]))
                for x in (a, b)]
        if sorted(o["flags"]) not in want:
            failures.append("%s flags: ip says %r then %r, ifplex %r" % (where, want[0], want[1], o["flags"]))
        check(where, "scope", a.get("scope"), o["scope"])
        check(where, "peer", a.get("address"), o["peer"])
        check(where, "broadcast", a.get("broadcast"), o["broadcast"])
        check(where, "label", a.get("label"), o["label"])
        for key in ("valid_life_time", "preferred_life_time"):
            within(where, key, a[key], o[key], b[key])


setup()
names = [l["ifname"] for l in ip("-j", "link", "show")]
for n in names:
    compare(n)
# Every kind of link and address the issue names was seen.
seen = json.dumps([show(n) for n in names])
for want in ('"kind": "veth"', '"kind": "bridge"', '"kind": "vxlan"', '"kind": "tun"', '"kind": "macvlan"',
             '"master_name": "br0"', '"peer": "10.1.0.2"', '"deprecated"', '"tentative"', '"dadfailed"',
             '"secondary"', '"noprefixroute"', '"label": "v1:lab"', '"verylongalternativename1"'):
    if want not in seen:
        failures.append("never seen: " + want)
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("details of %d links agree with ip (cache %s)" % (len(names), mode))
