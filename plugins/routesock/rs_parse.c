/* SPDX-License-Identifier: MIT */
/* Routing messages to interfaces, addresses and groups, as Go's
 * golang.org/x/net/route ParseRIB and net/interface_bsd.go read them.
 * Every length comes from outside and is checked before use; numbers are
 * little-endian, as on every architecture a RIB file may name. */
#include "rs.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static uint16_t u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int malformed(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return IFPLEX_EMALFORMED;
}

static const char *const slot_names[RS_RTAX_LIMIT] = {"dst", "gateway", "netmask", "genmask", "ifp",
						      "ifa", "author", "brd"};

static const char *slot_name(unsigned i)
{
	return i < RS_RTAX_LIMIT && slot_names[i] ? slot_names[i] : "extra";
}

/* The kernels' ROUNDUP: a sockaddr of length 0 still takes align bytes. */
static size_t roundup(const struct rs_layout *l, size_t n)
{
	return n == 0 ? l->align : (n + l->align - 1) / l->align * l->align;
}

int rs_walk(const struct rs_layout *l, uint32_t addrs, const uint8_t *b, size_t n,
	    struct rs_sa sa[RS_RTAX_LIMIT], char *err, size_t errlen)
{
	size_t off = 0;

	memset(sa, 0, sizeof(struct rs_sa) * RS_RTAX_LIMIT);
	for (unsigned i = 0; i < l->rtax_max && i < RS_RTAX_LIMIT; i++) {
		if (!(addrs & (1u << i)))
			continue;
		/* Bits with no bytes left name nothing (Go stops there too). */
		if (off >= n)
			break;
		size_t left = n - off;
		uint8_t len = b[off];
		if (len > left)
			return malformed(err, errlen, "sockaddr %u (%s) claims %u bytes, %zu remain", i,
					 slot_name(i), len, left);
		size_t space = roundup(l, len);
		/* A message read from a routing socket may end without the last
		 * sockaddr's padding (golang/go#44740). */
		if (space > left)
			space = left;
		sa[i].p = b + off;
		sa[i].len = len;
		sa[i].family = left >= 2 ? b[off + 1] : 0;
		sa[i].space = space;
		off += space;
	}
	return 0;
}

int rs_sa_link(const struct rs_sa *sa, struct rs_link *out, char *err, size_t errlen)
{
	const uint8_t *p = sa->p;

	memset(out, 0, sizeof *out);
	if (sa->len < 8)
		return malformed(err, errlen, "sockaddr_dl of %u bytes is shorter than its 8-byte header",
				 sa->len);
	/* All ones means "none" on some systems (x/net route address.go). */
	unsigned nlen = p[5] == 0xff ? 0 : p[5], alen = p[6] == 0xff ? 0 : p[6];
	unsigned slen = p[7] == 0xff ? 0 : p[7];
	if (8 + nlen + alen + slen > sa->len)
		return malformed(err, errlen,
				 "sockaddr_dl of %u bytes holds a %u-byte name, a %u-byte address and a %u-byte selector",
				 sa->len, nlen, alen, slen);
	if (memchr(p + 8, '\0', nlen))
		return malformed(err, errlen, "sockaddr_dl name holds a NUL byte");
	out->index = u16(p + 2);
	out->type = p[4];
	out->nlen = (uint8_t)nlen;
	out->alen = (uint8_t)alen;
	memcpy(out->name, p + 8, nlen);
	out->name[nlen] = '\0';
	out->addr = p + 8 + nlen;
	return 0;
}

/* KAME kernels keep the zone of fe80::/10, ff01::/16 and ff02::/16 in
 * bytes 2-3 (x/net route address.go parseInetAddr). */
static int kame_scoped(const uint8_t *a)
{
	return (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
	       (a[0] == 0xff && ((a[1] & 0x0f) == 0x01 || (a[1] & 0x0f) == 0x02));
}

void rs_sa_inet(const struct rs_layout *l, const struct rs_sa *sa, int af, struct rs_inet *out)
{
	int v6 = af == l->af_inet6;
	size_t off = v6 ? 8 : 4, size = v6 ? 16 : 4;
	size_t have = sa->len < sa->space ? sa->len : sa->space;

	memset(out, 0, sizeof *out);
	out->ip.len = (uint8_t)size;
	if (have > off)
		memcpy(out->ip.b, sa->p + off, have - off < size ? have - off : size);
	if (!v6)
		return;
	if (have >= 28)
		out->zone = u32(sa->p + 24);
	if (kame_scoped(out->ip.b)) {
		uint16_t id = (uint16_t)(out->ip.b[2] << 8 | out->ip.b[3]);
		if (id) {
			out->zone = id;
			out->ip.b[2] = out->ip.b[3] = 0;
		}
	}
}

int rs_mask_ones(const struct ifplex_ip *mask)
{
	int ones = 0;

	for (unsigned i = 0; i < mask->len; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			if (!(mask->b[i] >> bit & 1))
				return ones;
			ones++;
		}
	}
	return ones;
}

static const struct rs_msgfmt *fmt_of(const struct rs_layout *l, uint8_t type)
{
	for (size_t i = 0; i < l->nmsgs; i++)
		if (l->msgs[i].type == type)
			return &l->msgs[i];
	return NULL;
}

static const char *const kind_names[] = {"",	     "RTM_IFINFO",     "RTM_NEWADDR", "RTM_NEWMADDR",
					 "RTM_DELADDR", "RTM_DELMADDR", "RTM_IFANNOUNCE", "RTM_DESYNC"};

static uint64_t uint_at(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = size; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* if_data's type, link state and counters; what lies past the header the
 * message has (an older kernel's shorter one) is left out. */
static void parse_ifdata(const struct rs_layout *l, const struct rs_msgfmt *f, const uint8_t *m, size_t body,
			 struct rs_ifdata *d)
{
	d->type = m[f->ift];
	if (f->link_state_size && (size_t)f->link_state + f->link_state_size <= body) {
		uint64_t ls = uint_at(m + f->link_state, f->link_state_size);
		d->has |= RS_DATA_LINK_STATE;
		d->link_state = ls >= l->ls_up_lo ? 1 : ls >= l->ls_down_lo && ls <= l->ls_down_hi ? -1 : 0;
	}
	for (int i = 0; i < RS_NCOUNTERS; i++) {
		if (!f->ctr[i].size || (size_t)f->ctr[i].off + f->ctr[i].size > body)
			continue;
		d->ctr[i] = uint_at(m + f->ctr[i].off, f->ctr[i].size);
		d->ctr_has |= 1u << i;
	}
}

/* The interface a RTM_IFINFO message describes.  Darwin's utun may come
 * without its sockaddr_dl and so without a name (golang/go#71064). */
static int parse_ifinfo(const struct rs_layout *l, const struct rs_msgfmt *f, const uint8_t *m,
			size_t n, size_t body, const struct rs_sink *sink, struct rs_report *rep, char *err,
			size_t errlen)
{
	struct ifplex_iface ifi;
	struct rs_sa sa[RS_RTAX_LIMIT];
	int rc;

	if ((size_t)f->mtu + f->mtu_size > body || f->ift >= body)
		return malformed(err, errlen, "header of %zu bytes ends before ifi_mtu", body);
	memset(&ifi, 0, sizeof ifi);
	ifi.index = u16(m + f->index);
	if (ifi.index == 0)
		return malformed(err, errlen, "interface index 0");
	uint64_t mtu = f->mtu_size == 8 ? (uint64_t)u32(m + f->mtu) | (uint64_t)u32(m + f->mtu + 4) << 32
					: u32(m + f->mtu);
	ifi.mtu = mtu > 0x7fffffff ? 0x7fffffff : (int)mtu;
	uint32_t raw = u32(m + f->flags);
	static const unsigned ours[6] = {IFPLEX_IFF_UP, IFPLEX_IFF_BROADCAST, IFPLEX_IFF_LOOPBACK,
					 IFPLEX_IFF_POINTTOPOINT, IFPLEX_IFF_MULTICAST, IFPLEX_IFF_RUNNING};
	for (int i = 0; i < 6; i++)
		if (raw & l->iff[i])
			ifi.flags |= ours[i];
	if ((rc = rs_walk(l, u32(m + f->addrs), m + body, n - body, sa, err, errlen)) < 0)
		return rc;
	const struct rs_sa *dl = &sa[RS_RTAX_IFP];
	struct rs_ifdata data = {0};
	parse_ifdata(l, f, m, body, &data);
	if (dl->p && dl->family == l->af_link) {
		struct rs_link link;
		if ((rc = rs_sa_link(dl, &link, err, errlen)) < 0)
			return rc;
		if (link.alen > IFPLEX_HWADDR_MAX)
			return malformed(err, errlen, "link-layer address of %u bytes (at most %d)",
					 link.alen, IFPLEX_HWADDR_MAX);
		memcpy(ifi.name, link.name, (size_t)link.nlen + 1);
		memcpy(ifi.hwaddr, link.addr, link.alen);
		ifi.hwaddr_len = link.alen;
		data.has |= RS_DATA_NAME;
	}
	rep->used++;
	if (sink->iface && (rc = sink->iface(sink->arg, &ifi)) < 0)
		return rc;
	return sink->ifdata ? sink->ifdata(sink->arg, &ifi, &data) : 0;
}

/* The IFPLEX_ADDRF_* bits of a system's IN6_IFF_* or IN_IFF_* flags. */
static unsigned addr_flags(const struct rs_layout *l, uint32_t raw, int v6)
{
	static const unsigned in6[5] = {IFPLEX_ADDRF_TENTATIVE, IFPLEX_ADDRF_DADFAILED, IFPLEX_ADDRF_DEPRECATED,
					IFPLEX_ADDRF_NODAD, IFPLEX_ADDRF_TEMPORARY};
	static const unsigned in4[3] = {IFPLEX_ADDRF_TENTATIVE, IFPLEX_ADDRF_DADFAILED, IFPLEX_ADDRF_NODAD};
	unsigned out = 0;

	for (int i = 0; v6 && i < 5; i++)
		if (raw & l->in6f[i])
			out |= in6[i];
	for (int i = 0; !v6 && i < 3; i++)
		if (raw & l->inf[i])
			out |= in4[i];
	return out;
}

/* RTM_IFANNOUNCE: the index, IFAN_ARRIVAL (0) or IFAN_DEPARTURE (1), and
 * the name, NUL-padded in IFNAMSIZ bytes. */
static int parse_announce(const struct rs_msgfmt *f, const uint8_t *m, size_t body, const struct rs_sink *sink,
			  struct rs_report *rep, char *err, size_t errlen)
{
	struct rs_announce an;

	if ((size_t)f->name + 16 > body || (size_t)f->what + 2 > body)
		return malformed(err, errlen, "header of %zu bytes ends before ifan_name and ifan_what", body);
	memset(&an, 0, sizeof an);
	an.index = u16(m + f->index);
	unsigned what = u16(m + f->what);
	if (an.index == 0)
		return malformed(err, errlen, "interface index 0");
	if (what > 1) {
		rep->other_type++;
		return 0;
	}
	an.arrival = what == 0;
	/* IFNAMSIZ counts the NUL: the kernels' strlcpy always ends it. */
	const uint8_t *end = memchr(m + f->name, '\0', 16);
	if (!end)
		return malformed(err, errlen, "ifan_name of 16 bytes without a NUL");
	memcpy(an.name, m + f->name, (size_t)(end - (m + f->name)));
	rep->used++;
	return sink->announce ? sink->announce(sink->arg, &an) : 0;
}

/* An address (RTM_NEWADDR) or a group (RTM_NEWMADDR): the IFA sockaddr,
 * with the netmask read in the address's family whatever its own family
 * byte says (xnu sends AF_UNSPEC or garbage there, golang/go#71578). */
static int parse_addr(const struct rs_layout *l, const struct rs_msgfmt *f, const uint8_t *m,
		      size_t n, size_t body, const struct rs_sink *sink, struct rs_report *rep, char *err,
		      size_t errlen)
{
	struct rs_sa sa[RS_RTAX_LIMIT];
	struct rs_addr a;
	struct rs_inet in;
	int rc;

	if ((rc = rs_walk(l, u32(m + f->addrs), m + body, n - body, sa, err, errlen)) < 0)
		return rc;
	const struct rs_sa *ifa = &sa[RS_RTAX_IFA], *mask = &sa[RS_RTAX_NETMASK];
	int af = ifa->p ? ifa->family : 0;
	/* No address, an AF_LINK group, a netmask without an address, or an
	 * address without a mask: Go lists none of these. */
	int unicast = f->kind == RS_NEWADDR || f->kind == RS_DELADDR;
	if ((af != l->af_inet && af != l->af_inet6) || (f->kind == RS_NEWADDR && !mask->p)) {
		rep->dropped++;
		return 0;
	}
	memset(&a, 0, sizeof a);
	a.index = u16(m + f->index);
	rs_sa_inet(l, ifa, af, &in);
	a.ip = in.ip;
	a.zone = in.zone;
	a.scoped = af == l->af_inet6 && kame_scoped(in.ip.b);
	if (unicast && mask->p) {
		struct rs_inet mk;
		rs_sa_inet(l, mask, af, &mk);
		a.prefixlen = rs_mask_ones(&mk.ip);
	} else {
		/* A group, or an address gone without its mask: a deletion
		 * is known by the address alone. */
		a.prefixlen = a.ip.len * 8;
	}
	const struct rs_sa *brd = &sa[RS_RTAX_BRD];
	if (unicast && brd->p && brd->len) {
		struct rs_inet b;
		rs_sa_inet(l, brd, af, &b);
		a.brd = b.ip;
		a.has_brd = 1;
	}
	if (unicast && f->addrflags && (size_t)f->addrflags + 4 <= body) {
		a.flags = addr_flags(l, u32(m + f->addrflags), af == l->af_inet6);
		a.has_flags = 1;
	}
	rep->used++;
	int (*fn)(void *, const struct rs_addr *) = f->kind == RS_NEWADDR ? sink->addr
						    : f->kind == RS_DELADDR ? sink->addr_del
						    : f->kind == RS_NEWMADDR ? sink->group
									     : sink->group_del;
	return fn ? fn(sink->arg, &a) : 0;
}

/* One message at offset off, already known to lie within the buffer. */
static int parse_one(const struct rs_layout *l, const uint8_t *m, size_t n, size_t off,
		     const struct rs_sink *sink, struct rs_report *rep)
{
	const struct rs_msgfmt *f = fmt_of(l, m[3]);
	int rc;

	if (m[2] != l->version) {
		rep->other_version++;
		rep->seen_version = m[2];
		return 0;
	}
	if (!f) {
		rep->other_type++;
		return 0;
	}
	if (f->kind == RS_DESYNC) {
		rep->used++;
		return sink->desync ? sink->desync(sink->arg) : 0;
	}
	/* Offsets 0 are fields the message type does not have. */
	size_t need = f->addrs ? (size_t)f->addrs + 4 : 4;
	need = f->flags && need < (size_t)f->flags + 4 ? (size_t)f->flags + 4 : need;
	need = need < (size_t)f->index + 2 ? (size_t)f->index + 2 : need;
	need = f->hdrlen && need < (size_t)f->hdrlen + 2 ? (size_t)f->hdrlen + 2 : need;
	if (n < need || n < f->body)
		return malformed(rep->err, sizeof rep->err, "%s (type 0x%02x) at offset %zu: %zu bytes, shorter than its header",
				 kind_names[f->kind], m[3], off, n);
	size_t body = f->hdrlen ? u16(m + f->hdrlen) : f->body;
	if (body > n || body < need)
		return malformed(rep->err, sizeof rep->err,
				 "%s (type 0x%02x) at offset %zu: header length %zu in a %zu-byte message",
				 kind_names[f->kind], m[3], off, body, n);
	char what[sizeof rep->err] = "";
	rc = f->kind == RS_IFINFO	? parse_ifinfo(l, f, m, n, body, sink, rep, what, sizeof what)
	     : f->kind == RS_IFANNOUNCE ? parse_announce(f, m, body, sink, rep, what, sizeof what)
					: parse_addr(l, f, m, n, body, sink, rep, what, sizeof what);
	if (rc == IFPLEX_EMALFORMED && what[0])
		return malformed(rep->err, sizeof rep->err, "%s (type 0x%02x) at offset %zu: %s",
				 kind_names[f->kind], m[3], off, what);
	return rc;
}

size_t rs_count(const struct rs_layout *l, const uint8_t *buf, size_t len, int kind)
{
	size_t off = 0, n = 0;

	while (len - off >= 4) {
		size_t mlen = u16(buf + off);
		if (mlen < 4 || mlen > len - off)
			break;
		const struct rs_msgfmt *f = fmt_of(l, buf[off + 3]);
		n += f && f->kind == kind && buf[off + 2] == l->version;
		off += mlen;
	}
	return n;
}

int rs_parse(const struct rs_layout *l, const uint8_t *buf, size_t len, const struct rs_sink *sink,
	     struct rs_report *rep)
{
	size_t off = 0;
	int rc;

	memset(rep, 0, sizeof *rep);
	/* Each message starts with u16 msglen, u8 version, u8 type. */
	while (len - off >= 4) {
		const uint8_t *m = buf + off;
		size_t n = u16(m);
		if (n < 4)
			return malformed(rep->err, sizeof rep->err, "routing message at offset %zu has length %zu",
					 off, n);
		if (n > len - off)
			return malformed(rep->err, sizeof rep->err,
					 "routing message at offset %zu claims %zu bytes, %zu remain (truncated)",
					 off, n, len - off);
		rep->messages++;
		if ((rc = parse_one(l, m, n, off, sink, rep)) < 0)
			return rc;
		off += n;
	}
	if (off != len)
		return malformed(rep->err, sizeof rep->err, "%zu stray bytes after the last routing message at offset %zu",
				 len - off, off);
	/* Nothing usable and other versions seen: the layout does not fit. */
	if (rep->used == 0 && rep->other_version > 0)
		return malformed(rep->err, sizeof rep->err,
				 "no routing message of version %u for %s (%u of version %u)", l->version, l->os,
				 rep->other_version, rep->seen_version);
	return 0;
}
