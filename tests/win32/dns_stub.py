#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A DNS server for the Windows record test, on 127.0.0.1:53 of the test's
network namespace.

It answers from the zone below as a recursive server does (RFC 1034 4.3.2):
a CNAME at the name is followed for any other type, a name that has no
record of the type is NODATA and an unknown name NXDOMAIN, both with the
zone's SOA in the authority section (RFC 2308 3).  The reply is laid out as
BIND and Unbound write it: names compressed (RFC 1035 4.1.4) except SRV
targets, which RFC 2782 and RFC 3597 4 forbid compressing, and an OPT record
answering a query that carried one (RFC 6891 7).  Serves until killed;
writes "ready" to the file given as its argument once it listens."""
import socket
import struct
import sys

A, CNAME, SOA, MX, SRV, OPT = 1, 5, 6, 15, 33, 41
NOERROR, FORMERR, NXDOMAIN = 0, 1, 3
ZONE_NAME = "ifplex.test"
UDP_PAYLOAD = 1232  # what this server advertises with EDNS

# (owner, type, data), in the order a server lists them.
ZONE = [
    ("ifplex.test", SOA, ("ns.ifplex.test", "hostmaster.ifplex.test", 1, 3600, 600, 86400, 60)),
    ("ifplex.test", MX, (20, "mx2.ifplex.test")),
    ("ifplex.test", MX, (10, "mx1.ifplex.test")),
    ("ifplex.test", MX, (30, "mx.example.net")),
    ("mail.ifplex.test", CNAME, "ifplex.test"),
    ("www.ifplex.test", CNAME, "web.ifplex.test"),
    ("web.ifplex.test", A, "192.0.2.80"),
    ("plain.ifplex.test", A, "192.0.2.81"),
    ("_xmpp._tcp.ifplex.test", SRV, (20, 5, 5269, "c.ifplex.test")),
    ("_xmpp._tcp.ifplex.test", SRV, (10, 10, 5269, "b.ifplex.test")),
    ("_xmpp._tcp.ifplex.test", SRV, (10, 60, 5270, "a.ifplex.test")),
    # An SRV name that is an alias of an alias: the records belong to the
    # name the chain ends at.
    ("_sip._udp.ifplex.test", CNAME, "sip.ifplex.test"),
    ("sip.ifplex.test", CNAME, "voip.ifplex.test"),
    ("voip.ifplex.test", SRV, (1, 1, 5060, "pbx.example.net")),
]


class Malformed(Exception):
    pass


class Reply:
    """A message being written, with the names it holds for compression."""

    def __init__(self):
        self.buf = bytearray()
        self.names = {}

    def name(self, n, compress=True):
        labels = [l for l in n.split(".") if l]
        for i in range(len(labels)):
            suffix = ".".join(labels[i:]).lower()
            if compress and suffix in self.names:
                self.buf += struct.pack("!H", 0xC000 | self.names[suffix])
                return
            if len(self.buf) < 0x4000:
                self.names.setdefault(suffix, len(self.buf))
            label = labels[i].encode("ascii")
            self.buf += bytes([len(label)]) + label
        self.buf += b"\0"

    def question(self, q):
        """The query's question as it came, its name kept for compression."""
        i = 0
        while q[i]:
            self.names.setdefault(read_name(q, i)[0].lower(), len(self.buf) + i)
            i += 1 + q[i]
        self.buf += q

    def record(self, owner, rtype, data, ttl=60):
        self.name(owner)
        self.buf += struct.pack("!HHI", rtype, 1, ttl)
        at = len(self.buf)
        self.buf += b"\0\0"
        if rtype == A:
            self.buf += socket.inet_aton(data)
        elif rtype == CNAME:
            self.name(data)
        elif rtype == MX:
            self.buf += struct.pack("!H", data[0])
            self.name(data[1])
        elif rtype == SRV:
            self.buf += struct.pack("!HHH", *data[:3])
            self.name(data[3], compress=False)
        elif rtype == SOA:
            self.name(data[0])
            self.name(data[1])
            self.buf += struct.pack("!IIIII", *data[2:])
        self.buf[at:at + 2] = struct.pack("!H", len(self.buf) - at - 2)

    def opt(self):
        self.buf += b"\0" + struct.pack("!HHIH", OPT, UDP_PAYLOAD, 0, 0)


def read_name(msg, i):
    """The uncompressed name at msg[i:] and the offset past it."""
    labels = []
    while True:
        if i >= len(msg):
            raise Malformed("name runs past the message")
        n = msg[i]
        if n == 0:
            return ".".join(labels), i + 1
        if n & 0xC0 or i + 1 + n > len(msg):
            raise Malformed("bad label")
        labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n


def parse_query(msg):
    """(id, flags, question bytes, name, type, the client's EDNS payload
    size or None)."""
    if len(msg) < 12:
        raise Malformed("short header")
    qid, flags, qd, an, ns, ar = struct.unpack("!6H", msg[:12])
    if qd != 1 or an or ns:
        raise Malformed("not one question")
    qname, i = read_name(msg, 12)
    if i + 4 > len(msg):
        raise Malformed("short question")
    qtype, = struct.unpack("!H", msg[i:i + 2])
    question = msg[12:i + 4]
    i += 4
    edns = None
    for _ in range(ar):
        _, i = read_name(msg, i)
        if i + 10 > len(msg):
            raise Malformed("short record")
        rtype, rclass, _, rdlen = struct.unpack("!HHIH", msg[i:i + 10])
        i += 10 + rdlen
        if i > len(msg):
            raise Malformed("record data runs past the message")
        if rtype == OPT:
            edns = max(rclass, 512)
    return qid, flags, question, qname.lower(), qtype, edns


def in_zone(name):
    return name == ZONE_NAME or name.endswith("." + ZONE_NAME)


def resolve(qname, qtype):
    """The answer records and the rcode, following CNAMEs in the zone."""
    answer, name = [], qname
    for _ in range(8):
        here = [r for r in ZONE if r[0] == name]
        if not here:
            return answer, NXDOMAIN
        found = [r for r in here if r[1] == qtype]
        if found:
            return answer + found, NOERROR
        alias = [r for r in here if r[1] == CNAME]
        if not alias or qtype == CNAME:
            return answer, NOERROR
        answer += alias
        name = alias[0][2]
        if not in_zone(name):
            break
    return answer, NOERROR


def answer(msg):
    try:
        qid, flags, question, qname, qtype, edns = parse_query(msg)
    except Malformed:
        if len(msg) < 2:
            return None
        return msg[:2] + struct.pack("!5H", 0x8000 | FORMERR, 0, 0, 0, 0)
    records, rcode = resolve(qname, qtype) if in_zone(qname) else ([], NXDOMAIN)
    negative = [r for r in ZONE if r[1] == SOA] if not records and in_zone(qname) else []
    r = Reply()
    # QR and RA set, the query's RD kept.
    r.buf += struct.pack("!6H", qid, 0x8080 | (flags & 0x0100) | rcode, 1, len(records),
                         len(negative), 1 if edns else 0)
    r.question(question)
    for owner, rtype, data in records:
        r.record(owner, rtype, data)
    for owner, rtype, data in negative:
        r.record(owner, rtype, data)
    if edns:
        r.opt()
    if len(r.buf) > min(edns or 512, UDP_PAYLOAD):
        sys.exit("dns_stub: an answer of %d bytes does not fit one datagram" % len(r.buf))
    return bytes(r.buf)


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
with open(sys.argv[1], "w") as f:
    f.write("ready\n")
while True:
    m, peer = s.recvfrom(4096)
    reply = answer(m)
    if reply:
        s.sendto(reply, peer)
