/* SPDX-License-Identifier: MIT */
/* The Plan 9 backend: the /net file tree, read and written as files. */
#ifndef IFPLEX_P9_H
#define IFPLEX_P9_H

#include <ifplex/backend.h>
#include <stddef.h>

/* ---- p9_ip.c: IP values through the host's pure helpers (the plugin
 * never links libifplex, so it never touches the caller's last error) */
/* n bytes of text as an IP, in the 4-byte form for IPv4; no zone. */
int p9_ip_parse(const struct ifplex_host *h, const char *s, size_t n, struct ifplex_ip *out);
/* Go's To4: 0 and the 4-byte form when ip is IPv4, else IFPLEX_EINVAL. */
int p9_ip_to4(const struct ifplex_ip *ip, struct ifplex_ip *out);
/* Go's To16: the 16-byte form (IPv4 mapped); IFPLEX_EINVAL for len 0. */
int p9_ip_to16(const struct ifplex_ip *ip, struct ifplex_ip *out);
/* Go's Equal: an IPv4 address equals its IPv4-mapped form. */
int p9_ip_equal(const struct ifplex_ip *a, const struct ifplex_ip *b);
/* 0.0.0.0 or :: */
int p9_ip_unspecified(const struct ifplex_ip *ip);

/* ---- p9_parse.c: text from /net files; every field checked */
struct p9_ifc_head {
	char device[256];  /* "/net/ether0", "/dev/null", "pkt2", or "" when unbound */
	int mtu;           /* maxtu */
};
/* The first line of ipifc/N/status (4th edition or 9front layout). */
int p9_parse_status_head(const char *line, size_t len, struct p9_ifc_head *out);
/* An address line of ipifc/N/status: "\t192.168.1.100 /120 ...".  The
 * mask counts bits of the 128-bit form (an IPv4 /24 reads /120); a mask
 * that is no prefix is printed as an address and gives IFPLEX_ENOTSUP. */
int p9_parse_status_addr(const struct ifplex_host *h, const char *line, size_t len,
			 struct ifplex_addr *out);
/* The hex text of <device>/addr: "000c29f3a1b2" -> 6 bytes. */
int p9_parse_hwaddr(const char *text, size_t len, uint8_t *hw, uint8_t *hwlen);
/* An endpoint as Plan 9 writes them: "[addr!]port[!options]" (local and
 * remote files, a cs reply's second field); "*" or no addr: ip.len 0. */
int p9_parse_endpoint(const struct ifplex_host *h, const char *text, size_t len,
		      struct ifplex_netaddr *out);
/* A cs reply "/net/tcp/clone 127.0.0.1!80": the clone path and address. */
int p9_parse_cs_reply(const char *text, size_t len, char *clone, size_t clonelen, char *dial,
		      size_t diallen);
/* One answer of the dns file as rrfmt (ndb/dn.c) prints it:
 * "example.com mx\t10 mail.example.com"; srv is "priority weight port target". */
struct p9_dns_rr {
	char name[IFPLEX_HOST_MAX];  /* the target (cname, ptr, srv, mx) */
	uint16_t pref, weight, priority, port;
};
int p9_parse_dns_line(const char *line, size_t len, const char *type, struct p9_dns_rr *out);
/* Whether s (a user's host, service or record name) can be one field of a
 * cs or dns question: 1 to max bytes, no blank, no control character,
 * no '!' (cs's field separator). */
int p9_question_word(const char *s, size_t max);
/* Whether any whitespace-separated field of the text equals word (iproute). */
int p9_has_field(const char *text, size_t len, const char *word);

/* ---- p9_files.c: reading and writing small files under the root */
struct p9 {
	const struct ifplex_host *host;
	char root[512];      /* IFPLEX_PLAN9_NET, "/net" by default */
	char ns[512];        /* its parent: where the namespace's "/" is ("" for /net) */
};
/* A cs reply's clone path onto the root, as dial(2)'s call() does: the
 * first element of an absolute path is the cs's own netdir. */
int p9_rebase(const struct p9 *p, const char *plan9_path, char *out, size_t len);
/* A path of the machine's namespace (a device in ipifc status) onto ns. */
int p9_nspath(const struct p9 *p, const char *plan9_path, char *out, size_t len);
/* The whole of a small file (NUL-terminated); 0 or a negative code. */
int p9_read_file(const char *path, char *buf, size_t len, size_t *n);
/* Whether any field of the file equals word; it is read line by line,
 * whatever its size (iproute). */
int p9_file_has_field(const char *path, const char *word);
/* Ask cs or dns (file): write the question, seek to 0, read one answer per
 * read and hand each to fn, which returns 1 (taken), 2 (taken, stop), 0
 * (skipped) or an error.  0 if fn took one, IFPLEX_ENOTFOUND if none, or
 * -errno of the failed write (the server refused the question). */
int p9_query(struct p9 *p, const char *file, const char *question,
	     int (*fn)(const char *reply, size_t len, void *arg), void *arg);

/* ---- p9_err.c: a failed call on a /net file, in Plan 9's words */
enum p9_asked { P9_CTL, P9_CS_HOST, P9_CS_SERVICE, P9_DNS };
/* Record the failure of op (errno err) and return its ifplex code. */
int p9_fail(struct p9 *p, enum p9_asked asked, const char *op, int err);

/* ---- p9_iface.c */
int p9_interfaces(void *state, struct ifplex_iface **list, size_t *count);
int p9_interface_by_index(void *state, int index, struct ifplex_iface *out);
int p9_interface_by_name(void *state, const char *name, struct ifplex_iface *out);
int p9_interface_addrs(void *state, int index, struct ifplex_addr **list, size_t *count);

/* ---- p9_conn.c: conversations and lookups through cs */
int p9_dial(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int p9_listen(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int p9_listen_packet(void *state, const struct ifplex_sockspec *spec, ifplex_bconn **out);
int p9_accept(ifplex_bconn *l, int64_t deadline, ifplex_bconn **out);
int p9_close_conn(ifplex_bconn *c);
int p9_read(ifplex_bconn *c, void *buf, size_t len, int64_t deadline, size_t *n);
int p9_write(ifplex_bconn *c, const void *buf, size_t len, int64_t deadline, size_t *n);
int p9_read_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int p9_write_msg(ifplex_bconn *c, struct ifplex_msg *m, int64_t deadline);
int p9_local_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int p9_remote_addr(ifplex_bconn *c, struct ifplex_netaddr *out);
int p9_set_option(ifplex_bconn *c, int option, int64_t value);
int p9_set_deadline(ifplex_bconn *c, int which, int64_t deadline);
uint64_t p9_conn_caps(ifplex_bconn *c);
int p9_lookup_ip(void *state, const char *host, int family, struct ifplex_ip **list, size_t *count);
int p9_lookup_port(void *state, int kind, const char *service, int *port);

/* ---- p9_dns.c: records through the dns file */
int p9_lookup_addr(void *state, const struct ifplex_ip *ip, char ***names, size_t *count);
int p9_lookup_cname(void *state, const char *host, char *buf, size_t len);
int p9_lookup_srv(void *state, const char *name, struct ifplex_srv **list, size_t *count);
int p9_lookup_mx(void *state, const char *name, struct ifplex_mx **list, size_t *count);

#endif
