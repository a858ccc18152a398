#!/usr/bin/env python3
"""A DNS server for the Windows lookup test, on 127.0.0.1:53 of the test's
network namespace: canned CNAME, SRV and MX answers in RFC 1035 wire format
(the owner compressed to the question's name), NXDOMAIN for anything else.  Serves until killed.
Writes "ready" to the file given as its argument once it listens."""
import socket
import struct
import sys

CNAME, MX, SRV = 5, 15, 33

# (name, type) -> [(owner, type, rdata fields)], in answer order.
ZONE = {
    ("www.ifplex.test", CNAME): [("www.ifplex.test", CNAME, "web.ifplex.test")],
    ("plain.ifplex.test", CNAME): [],
    ("ifplex.test", MX): [("ifplex.test", MX, (20, "mx2.ifplex.test")),
                          ("ifplex.test", MX, (10, "mx1.ifplex.test"))],
    ("_xmpp._tcp.ifplex.test", SRV): [
        ("_xmpp._tcp.ifplex.test", SRV, (20, 5, 5269, "c.ifplex.test")),
        ("_xmpp._tcp.ifplex.test", SRV, (10, 10, 5269, "b.ifplex.test")),
        ("_xmpp._tcp.ifplex.test", SRV, (10, 60, 5270, "a.ifplex.test"))],
    # A SRV name that is an alias: the records belong to its target.
    ("_sip._udp.ifplex.test", SRV): [
        ("_sip._udp.ifplex.test", CNAME, "sip.ifplex.test"),
        ("sip.ifplex.test", SRV, (1, 1, 5060, "pbx.ifplex.test"))],
}


def name(n):
    out = b""
    for label in n.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rdata(rtype, v):
    if rtype == CNAME:
        return name(v)
    if rtype == MX:
        return struct.pack("!H", v[0]) + name(v[1])
    return struct.pack("!HHH", v[0], v[1], v[2]) + name(v[3])


def question(msg):
    labels, i = [], 12
    while i < len(msg) and msg[i]:
        labels.append(msg[i + 1:i + 1 + msg[i]].decode("ascii", "replace"))
        i += 1 + msg[i]
    qtype, = struct.unpack("!H", msg[i + 1:i + 3])
    return ".".join(labels).lower(), qtype, msg[12:i + 5]


def answer(msg):
    qid, = struct.unpack("!H", msg[:2])
    qname, qtype, q = question(msg)
    recs = ZONE.get((qname, qtype))
    known = recs is not None or any(k[0] == qname for k in ZONE)
    body = b""
    for owner, rtype, v in recs or []:
        rd = rdata(rtype, v)
        # The owner as real servers write it: a pointer to the question's
        # name (offset 12) where it is that name.
        own = b"\xc0\x0c" if owner == qname else name(owner)
        body += own + struct.pack("!HHIH", rtype, 1, 60, len(rd)) + rd
    flags = 0x8180 if known else 0x8183
    return struct.pack("!HHHHHH", qid, flags, 1, len(recs or []), 0, 0) + q + body


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
with open(sys.argv[1], "w") as f:
    f.write("ready\n")
while True:
    m, peer = s.recvfrom(512)
    if len(m) > 12:
        s.sendto(answer(m), peer)
