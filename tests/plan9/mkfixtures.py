#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the Plan 9 /net fixture trees the plan9 backend's tests read.

    mkfixtures.py OUTDIR

Every file is printed as the kernels print it, from their own format
strings, so that a test can disagree with our parser:

  ipifc/N/status  ipifcstate() in sys/src/9/ip/ipifc.c: the header
                  sfixedformat (9front adds " speed %d delay %d"), one
                  slineformat line per logical interface
                  ("\t%-40I %-10M %-40I %-12lud %-12lud\n", padding and
                  trailing blanks included) and a lone "\n" when there is
                  none.
  %I, %M          eipfmt() in sys/src/libip/eipfmt.c (the kernel installs
                  the same): dotted quad for v4-mapped addresses, the
                  longest run of zero groups elided (even a single one),
                  "/n" for a prefix mask and the address form otherwise.
  iproute         sprintroute() with rformat (4th edition) and
                  seprintroute() (9front) in sys/src/9/ip/iproute.c.
  <device>/addr   netifread() in sys/src/9/port/netif.c: "%2.2ux" per
                  byte, no newline.

The state printed is what the kernel holds after the ctl messages named
in each scenario below (ipifcbind, ipifcadd with parseipmask and defmask,
ipifcunbind, ipifcsetmtu of the same file), with each edition's defaults:
4th edition routerlt 3*maxraint, 9front routerlt 3*maxraint/1000 and
delay 40 (ipv6.c, ipifcbind).  Media maxtu: loopback 16*1024
(loopbackmedium.c), ether 1514 (ethermedium.c: 14-byte header included),
pkt 4*1024 (pktmedium.c).

The output is committed under tests/plan9/fixtures; tests/plan9/
test_fixtures_sync.sh regenerates it and fails when the two differ.
"""

import ipaddress
import os
import sys

V4PREFIX = bytes(10) + b"\xff\xff"

SFIXED_4E = ("device %s maxtu %d sendra %d recvra %d mflag %d oflag"
             " %d maxraint %d minraint %d linkmtu %d reachtime %d rxmitra %d ttl %d routerlt"
             " %d pktin %d pktout %d errin %d errout %d\n")
SFIXED_9FRONT = ("device %s maxtu %d sendra %d recvra %d mflag %d oflag %d"
                 " maxraint %d minraint %d linkmtu %d reachtime %d rxmitra %d ttl %d routerlt %d"
                 " pktin %d pktout %d errin %d errout %d speed %d delay %d\n")
SLINE = "\t%-40s %-10s %-40s %-12d %-12d\n"
NOLT = 0xFFFFFFFF  # ~0L in a 32-bit ulong: a lifetime without end

MAXTU = {"loopback": 16 * 1024, "ether": 1514, "pkt": 4 * 1024}


def ip16(text):
    """The kernel's 16-byte form: IPv4 in the v4-mapped form (parseip)."""
    a = ipaddress.ip_address(text)
    return V4PREFIX + a.packed if a.version == 4 else a.packed


def fmt_i(p):
    """eipfmt's %I."""
    if p[:12] == V4PREFIX:
        return "%d.%d.%d.%d" % tuple(p[12:])
    eli, eln = -1, -1
    for i in range(0, 16, 2):
        j = i
        while j < 16 and p[j] == 0 and p[j + 1] == 0:
            j += 2
        if j > i and j - i > eln:
            eli, eln = i, j - i
    out, i = "", 0
    while i < 16:
        if i == eli:
            out += "::"
            i += eln
            if i >= 16:
                break
        elif i != 0:
            out += ":"
        out += "%x" % (p[i] << 8 | p[i + 1])
        i += 2
    return out


def fmt_m(p):
    """eipfmt's %M: "/n" for a prefix mask, else the address form."""
    bits = "".join("{:08b}".format(b) for b in p)
    ones = len(bits) - len(bits.lstrip("1"))
    if "1" in bits[ones:]:
        return fmt_i(p)
    return "/%d" % ones


def prefix_mask(n):
    v = ((1 << 128) - 1) ^ ((1 << (128 - n)) - 1) if n else 0
    return v.to_bytes(16, "big")


def parse_mask(text, v4, edition):
    """parseipmask() of libip: "/n" counts bits of the 128-bit form in the
    4th edition; 9front adds 96 for an IPv4 address when n <= 32.  A
    dotted mask gets all ones in front (both editions)."""
    if text.startswith("/"):
        n = max(0, min(int(text[1:]), 128))
        if edition == "9front" and v4 and n <= 32:
            n += 96
        return prefix_mask(n)
    return b"\xff" * 12 + ipaddress.IPv4Address(text).packed


def defmask(p):
    """defmask() of ipaux.c: the classful mask of an IPv4 address, /64 else."""
    if p[:12] != V4PREFIX:
        return prefix_mask(64)
    first = p[12]
    n = 8 if first < 128 else 16 if first < 192 else 24
    return prefix_mask(96 + n)


def maskip(a, m):
    return bytes(x & y for x, y in zip(a, m))


class Ifc:
    """One ipifc conversation: ipifcbind, then ipifcadd per address."""

    def __init__(self, edition, medium=None, dev=None, conv=0):
        self.edition, self.lifc, self.medium = edition, [], medium
        self.dev, self.maxtu = "", 0
        self.rp = dict(mflag=0, oflag=0, maxraint=0, minraint=0, linkmtu=0, reachtime=0,
                       rxmitra=0, ttl=0, routerlt=0)
        self.sendra = self.recvra = self.speed = self.delay = 0
        self.pkt = [0, 0, 0, 0]
        if medium:
            self.bind(medium, dev, conv)

    def bind(self, medium, dev, conv):
        # ipifcbind: the device argument, or "<medium><conversation>".
        self.medium = medium
        self.dev = dev if dev else "%s%d" % (medium, conv)
        self.maxtu = MAXTU[medium]
        self.rp.update(maxraint=600000, minraint=200000, ttl=255)
        if self.edition == "4e":
            self.rp["routerlt"] = 3 * self.rp["maxraint"]
        else:
            self.rp["routerlt"] = 3 * self.rp["maxraint"] // 1000
            self.delay = 40
        return self

    def unbind(self):
        # ipifcunbind: addresses and device go; 4e keeps the rest.
        self.lifc, self.dev = [], ""
        return self

    def add(self, ip, mask=None, rem=None, validlt=NOLT, preflt=NOLT):
        a = ip16(ip)
        m = parse_mask(mask, a[:12] == V4PREFIX, self.edition) if mask else defmask(a)
        r = ip16(rem) if rem else maskip(a, m)
        self.lifc.append((a, m, r, validlt, preflt))
        return self

    def status(self):
        rp = self.rp
        common = (self.dev, self.maxtu, self.sendra, self.recvra, rp["mflag"], rp["oflag"],
                  rp["maxraint"], rp["minraint"], rp["linkmtu"], rp["reachtime"],
                  rp["rxmitra"], rp["ttl"], rp["routerlt"], *self.pkt)
        if self.edition == "4e":
            text = SFIXED_4E % common
        else:
            text = SFIXED_9FRONT % (common + (self.speed, self.delay))
        for a, m, r, vl, pl in self.lifc:
            text += SLINE % (fmt_i(a), fmt_m(m), fmt_i(r), vl, pl)
        if not self.lifc:
            text += "\n"
        return text


def routes(edition, ifcs, extra):
    """One route per logical interface as ipifcadd adds it (type Rifc,
    tag "ifc", Rptpt for an all-ones mask), then the extra ones.  An IPv4
    route keeps only the last four bytes of address, mask and gate and
    convroute() prints them back in the v4-mapped form; 9front adds the
    source (the local address, all-ones mask)."""
    rows = []
    for n, ifc in enumerate(ifcs):
        for a, m, r, _, _ in ifc.lifc:
            v4 = a[:12] == V4PREFIX
            # ipifcadd: all-ones mask is point-to-point, except ::1
            ptp = m == b"\xff" * 16 and a != ip16("::1")
            t = ("4" if v4 else "6") + "i" + ("p" if ptp else "")
            if v4:
                rows.append((V4PREFIX + maskip(r, m)[12:], b"\xff" * 12 + m[12:],
                             V4PREFIX + r[12:], t, "ifc ", str(n), a, prefix_mask(128)))
            else:
                rows.append((maskip(r, m), m, r, t, "ifc ", str(n), a, prefix_mask(128)))
    rows += extra
    # routeread() walks the IPv4 table before the IPv6 one
    rows.sort(key=lambda r: r[0][:12] != V4PREFIX)
    out, seen = "", set()
    for addr, mask, gate, t, tag, ifc, src, smask in rows:
        # A second address on the same network reuses the route (4e).
        if edition == "4e" and (addr, mask, gate, ifc) in seen:
            continue
        seen.add((addr, mask, gate, ifc))
        if edition == "4e":
            out += "%-15s %-4s %-15s %4.4s %4.4s %3s\n" % (
                fmt_i(addr), fmt_m(mask), fmt_i(gate), t.ljust(4), tag, ifc)
        else:
            out += "%-15s %-4s %-15s %-4s %4.4s %3s %-15s %-4s\n" % (
                fmt_i(addr), fmt_m(mask), fmt_i(gate), t, tag, ifc, fmt_i(src), fmt_m(smask))
    return out


def default_route(gate):
    any4 = ip16("0.0.0.0")
    return (any4, prefix_mask(96), ip16(gate), "4", "none", "-", any4, prefix_mask(96))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write(text)


def tree(out, name, edition, ifcs, devices, extra_routes):
    """A machine's namespace: net/ (the root the tests name) beside net.alt/."""
    net = os.path.join(out, name, "net")
    for n, ifc in enumerate(ifcs):
        write(os.path.join(net, "ipifc", str(n), "status"), ifc.status())
    write(os.path.join(net, "ipifc", "clone"), "")
    write(os.path.join(net, "ipifc", "stats"), "")
    write(os.path.join(net, "iproute"), routes(edition, ifcs, extra_routes))
    for dev, mac in devices.items():
        write(os.path.join(out, name, dev.lstrip("/"), "addr"), mac)


def ethernet(e, dev, v4, linklocal, prefix):
    """ipconfig ether DEV: two IPv4 addresses on one network and "add
    10.1.2.3 /8" (a 128-bit /8 in the 4th edition, an IPv4 /8 in 9front),
    then ipconfig -6's link-local address and a SLAAC one with ra6's
    lifetimes, on the same interface identifier."""
    iid = linklocal[len("fe80::"):]
    return (Ifc(e, "ether", dev)
            .add(v4[0], "255.255.255.0")
            .add(v4[1], "255.255.255.0")
            .add("10.1.2.3", "/8")
            .add(linklocal, "/64")
            .add(prefix + iid, "/64", prefix, 86400, 14400))


def fourth_edition(out):
    e = "4e"
    ifcs = [
        # cpurc: ip/ipconfig loopback /dev/null 127.1 (defmask: class A, /104)
        Ifc(e, "loopback", "/dev/null").add("127.0.0.1"),
        ethernet(e, "/net/ether0", ("192.168.1.10", "192.168.1.11"), "fe80::20c:29ff:fef3:a1b2",
                 "2001:db8:1::"),
        # 6in4: "bind pkt", "mtu 1472", a point-to-point IPv4 address
        Ifc(e, "pkt", None, 2).add("10.0.0.1", "255.255.255.255", "10.0.0.2"),
        # bound to /net/ether1 and unbound again: no device, stale maxtu
        Ifc(e, "ether", "/net/ether1").unbind(),
        # the second stack's card, bound here, no address yet
        Ifc(e, "ether", "/net.alt/ether1"),
    ]
    ifcs[0].pkt = [12, 12, 0, 0]
    ifcs[1].pkt = [2001, 1002, 0, 0]
    ifcs[2].maxtu = 1472
    tree(out, "4e", e, ifcs, {"/net/ether0": "000c29f3a1b2", "/net/ether1": "000c29f3a1b3",
                              "/net.alt/ether1": "000c29f3a1bc"},
         [default_route("192.168.1.1")])


def ninefront(out):
    e = "9front"
    ifcs = [
        Ifc(e, "loopback", "/dev/null").add("127.0.0.1").add("::1", "/128"),
        ethernet(e, "/net/ether0", ("10.0.2.15", "10.0.2.16"), "fe80::5054:ff:fe12:3456",
                 "2001:db8:2::"),
        # tinc/6in4 as in golang/go#39908: "bind pkt", "mtu 1472"
        Ifc(e, "pkt", None, 2).add("2001:db8:ffff::2", "/128", "2001:db8:ffff::1"),
        # a clone never bound (golang/go#72060): everything zero
        Ifc(e),
        Ifc(e, "ether", "/net.alt/ether1").add("172.16.0.5", "255.255.0.0"),
    ]
    ifcs[1].speed = 1000
    ifcs[1].pkt = [5, 6, 0, 0]
    ifcs[2].maxtu = 1472
    # a router's table: 400 static IPv4 routes ("add 10.N.M.0 /120 10.0.2.1")
    # print before the IPv6 ones, 30 KiB into iproute
    static = [(ip16("10.%d.%d.0" % (1 + i // 250, i % 250)), prefix_mask(120), ip16("10.0.2.1"),
               "4", "none", "-", ip16("0.0.0.0"), prefix_mask(96)) for i in range(400)]
    tree(out, "9front", e, ifcs, {"/net/ether0": "525400123456", "/net.alt/ether1": "5254001234ab"},
         [default_route("10.0.2.2")] + static)


def v4only(out):
    e = "4e"
    ifcs = [Ifc(e, "loopback", "/dev/null").add("127.0.0.1"),
            # a mask that is no prefix: %M prints it in the address form
            Ifc(e, "ether", "/net/ether0").add("192.0.2.10", "255.255.255.0")
            .add("192.0.2.20", "255.255.0.255")]
    tree(out, "v4only", e, ifcs, {"/net/ether0": "000c29000001"}, [default_route("192.0.2.1")])


def damaged(out):
    """Trees no kernel prints, each with one fault, for the error paths."""
    good = Ifc("4e", "ether", "/net/ether0").add("192.168.1.10", "255.255.255.0")
    bad = {
        "bad-head": "device\n",
        "bad-mask": good.status().replace("/120      ", "/33x      "),
        "bad-addr": good.status().replace("192.168.1.10", "192.168.1.300"),
    }
    for name, status in bad.items():
        write(os.path.join(out, name, "net", "ipifc", "0", "status"), status)
        write(os.path.join(out, name, "net", "ether0", "addr"), "000c29f3a1b2")
    write(os.path.join(out, "bad-hwaddr", "net", "ipifc", "0", "status"), good.status())
    write(os.path.join(out, "bad-hwaddr", "net", "ether0", "addr"), "000c29f3a1b")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: mkfixtures.py OUTDIR")
    out = sys.argv[1]
    fourth_edition(out)
    ninefront(out)
    v4only(out)
    damaged(out)


if __name__ == "__main__":
    main()
