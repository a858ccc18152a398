/* SPDX-License-Identifier: MIT */
/* Go's own net test tables, with the answers Go gave (the tsv files in
 * tests/go, written by tests/go/gen), run row by row through the public API.
 *
 * Where ifplex differs from Go on purpose the row is checked against the
 * documented rule instead (README, "Deliberate differences from Go"):
 * - the IPv4 rule: Go's 16-byte IPv4 comes back in the 4-byte form;
 * - messages escape control bytes as Go's %q does; Go prints them raw;
 * - an unknown service is current Go's DNSError, "lookup tcp/x: unknown
 *   port", where Go 1.19 (which wrote the tables) said "address tcp/x".
 * Every other answer, error texts included, must be Go's. */
#include "helpers.h"

#include <ifplex.h>
#include <stdio.h>
#include <string.h>

#define MAXF 8

struct row {
	const char *table;
	int line;
	int n;
	char *f[MAXF];
	int nil[MAXF]; /* the field was \N */
};

static int failures, rows_run;

#define expect(r, cond, ...)                                                        \
	do {                                                                        \
		if (!(cond)) {                                                      \
			failures++;                                                 \
			printf("%s.tsv:%d: ", (r)->table, (r)->line);               \
			printf(__VA_ARGS__);                                        \
			printf("\n");                                               \
			fflush(stdout);                                             \
		}                                                                   \
	} while (0)

/* \xHH back to a byte, in place. */
static void unescape(char *s)
{
	char *o = s;

	while (*s) {
		unsigned v;
		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1) {
			*o++ = (char)v;
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

static void run_table(const char *table, int ncols, void (*fn)(const struct row *))
{
	char path[1024], line[4096];

	snprintf(path, sizeof path, "%s/go/%s.tsv", ifplex_test_env("IFPLEX_TEST_SRCDIR"), table);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f, "cannot open %s", path);
	int lineno = 0, seen = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#')
			continue;
		struct row r = {.table = table, .line = lineno};
		char *p = line;
		for (;;) {
			ck_assert_msg(r.n < MAXF, "%s:%d: too many fields", path, lineno);
			r.f[r.n] = p;
			char *tab = strchr(p, '\t');
			if (tab)
				*tab = '\0';
			r.nil[r.n] = strcmp(p, "\\N") == 0;
			unescape(p);
			r.n++;
			if (!tab)
				break;
			p = tab + 1;
		}
		ck_assert_msg(r.n == ncols, "%s:%d: %d fields, want %d", path, lineno, r.n, ncols);
		fn(&r);
		seen++;
		rows_run++;
	}
	fclose(f);
	ck_assert_msg(seen > 0, "%s has no rows", path);
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s) / 2;
	unsigned v;

	ck_assert_msg(n <= cap, "hex field %s longer than %zu bytes", s, cap);
	for (size_t i = 0; i < n; i++) {
		ck_assert(sscanf(s + 2 * i, "%2x", &v) == 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static struct ifplex_ip ip_of(const struct row *r, int i)
{
	struct ifplex_ip ip = {0};
	if (!r->nil[i])
		ip.len = (uint8_t)unhex(r->f[i], ip.b, sizeof ip.b);
	return ip;
}

static struct ifplex_ipmask mask_of(const struct row *r, int i)
{
	struct ifplex_ipmask m = {0};
	if (!r->nil[i])
		m.len = (uint8_t)unhex(r->f[i], m.b, sizeof m.b);
	return m;
}

/* The message Go printed, with control bytes as ifplex escapes them. */
static void go_message(const char *go, char *out, size_t len)
{
	static const char named[] = "\a\b\f\n\r\t\v", letter[] = "abfnrtv";
	size_t o = 0;

	for (const unsigned char *s = (const unsigned char *)go; *s && o + 5 < len; s++) {
		const char *p = *s < 0x20 ? strchr(named, *s) : NULL;
		if (p && *s)
			o += (size_t)snprintf(out + o, len - o, "\\%c", letter[p - named]);
		else if (*s < 0x20 || *s == 0x7f)
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", *s);
		else
			out[o++] = (char)*s;
	}
	out[o] = '\0';
}

static void expect_error(const struct row *r, int rc, int code, const char *go)
{
	char want[1024];

	go_message(go, want, sizeof want);
	size_t wl = strlen(want);
	if (strncmp(want, "address ", 8) == 0 && wl > 14 && strcmp(want + wl - 14, ": unknown port") == 0) {
		char cur[1024]; /* "address " -> "lookup " (current Go) */
		snprintf(cur, sizeof cur, "lookup %s", want + 8);
		memcpy(want, cur, strlen(cur) + 1);
	}
	expect(r, rc == code, "code %d (%s), want %d (%s)", rc, ifplex_strerror(rc), code, ifplex_strerror(code));
	expect(r, ifplex_last_error_code() == rc, "last error code %d, returned %d", ifplex_last_error_code(), rc);
	expect(r, strcmp(ifplex_last_error(), want) == 0, "message \"%s\", Go: \"%s\"", ifplex_last_error(), want);
}

/* Go's answer under the IPv4 rule: equal, and 4 bytes exactly when IPv4. */
static void expect_ip(const struct row *r, const struct ifplex_ip *got, const struct ifplex_ip *go)
{
	char gs[IFPLEX_IP_STRLEN], ws[IFPLEX_IP_STRLEN];
	struct ifplex_ip v4;
	int want_len = go->len == 0 ? 0 : ifplex_ip_to4(go, &v4) == 0 ? 4 : 16;

	ifplex_ip_string(got, gs, sizeof gs);
	ifplex_ip_string(go, ws, sizeof ws);
	expect(r, ifplex_ip_equal(got, go) && got->len == want_len, "IP %s (len %d), Go: %s (len %d under the IPv4 rule)",
	       gs, got->len, ws, want_len);
}

static int truth(const struct row *r, int i)
{
	return strcmp(r->f[i], "true") == 0;
}

/* ------------------------------------------------------------------ rows */

static void row_parse_ip(const struct row *r)
{
	struct ifplex_ip ip, back;
	char s[IFPLEX_IP_STRLEN];
	int rc = ifplex_ip_parse(r->f[0], &ip);

	if (r->nil[1]) {
		expect_error(r, rc, IFPLEX_EBADADDR, r->f[2]);
		return;
	}
	expect(r, rc == 0, "ParseIP failed: %s", ifplex_last_error());
	if (rc < 0)
		return;
	struct ifplex_ip go = ip_of(r, 1);
	expect_ip(r, &ip, &go);
	/* Round trip: the text parses back to the same value. */
	expect(r, ifplex_ip_string(&ip, s, sizeof s) == 0 && ifplex_ip_parse(s, &back) == 0 &&
		  back.len == ip.len && memcmp(back.b, ip.b, ip.len) == 0, "round trip through %s", s);
}

static void row_ip_string(const struct row *r)
{
	struct ifplex_ip ip = ip_of(r, 0);
	char s[IFPLEX_IP_STRLEN];

	expect(r, ifplex_ip_string(&ip, s, sizeof s) == 0 && strcmp(s, r->f[1]) == 0, "String %s, Go: %s", s,
	       r->f[1]);
}

static void row_ip_mask(const struct row *r)
{
	struct ifplex_ip ip = ip_of(r, 0), out;
	struct ifplex_ipmask m = mask_of(r, 1);
	int rc = ifplex_ip_mask(&ip, &m, &out);

	if (r->nil[2]) {
		expect(r, rc == IFPLEX_EINVAL, "Mask gave %d, Go: nil", rc);
		return;
	}
	expect(r, rc == 0, "Mask failed: %s", ifplex_last_error());
	struct ifplex_ip go = ip_of(r, 2);
	if (rc == 0)
		expect_ip(r, &out, &go);
}

static void row_mask_string(const struct row *r)
{
	struct ifplex_ipmask m = mask_of(r, 0);
	char s[IFPLEX_MASK_STRLEN];

	expect(r, ifplex_mask_string(&m, s, sizeof s) == 0 && strcmp(s, r->f[1]) == 0, "String %s, Go: %s", s,
	       r->f[1]);
}

static void row_parse_cidr(const struct row *r)
{
	struct ifplex_ip ip;
	struct ifplex_ipnet n;
	int rc = ifplex_cidr_parse(r->f[0], &ip, &n);

	if (!r->nil[4]) {
		expect_error(r, rc, IFPLEX_EBADADDR, r->f[4]);
		return;
	}
	expect(r, rc == 0, "ParseCIDR failed: %s", ifplex_last_error());
	if (rc < 0)
		return;
	struct ifplex_ip go_ip = ip_of(r, 1), go_net = ip_of(r, 2);
	struct ifplex_ipmask go_mask = mask_of(r, 3);
	expect_ip(r, &ip, &go_ip);
	expect_ip(r, &n.ip, &go_net);
	expect(r, n.mask.len == go_mask.len && memcmp(n.mask.b, go_mask.b, go_mask.len) == 0,
	       "mask of %d bytes differs from Go's %d", n.mask.len, go_mask.len);
}

static void row_ipnet_contains(const struct row *r)
{
	struct ifplex_ipnet n = {.ip = ip_of(r, 0), .mask = mask_of(r, 1)};
	struct ifplex_ip ip = ip_of(r, 2);

	expect(r, ifplex_ipnet_contains(&n, &ip) == truth(r, 3), "Contains %d, Go: %s",
	       ifplex_ipnet_contains(&n, &ip), r->f[3]);
}

static void row_ipnet_string(const struct row *r)
{
	struct ifplex_ipnet n = {.ip = ip_of(r, 0), .mask = mask_of(r, 1)};
	char s[IFPLEX_IPNET_STRLEN];

	expect(r, ifplex_ipnet_string(&n, s, sizeof s) == 0 && strcmp(s, r->f[2]) == 0, "String %s, Go: %s", s,
	       r->f[2]);
}

static void row_cidr_mask(const struct row *r)
{
	struct ifplex_ipmask m;
	int rc = ifplex_cidr_mask(atoi(r->f[0]), atoi(r->f[1]), &m);

	if (r->nil[2]) {
		expect(r, rc == IFPLEX_EINVAL && ifplex_last_error_code() == rc, "CIDRMask gave %d, Go: nil", rc);
		return;
	}
	struct ifplex_ipmask go = mask_of(r, 2);
	expect(r, rc == 0 && m.len == go.len && memcmp(m.b, go.b, go.len) == 0, "CIDRMask differs (rc %d)", rc);
}

static void row_family(const struct row *r)
{
	struct ifplex_ip ip = ip_of(r, 0), out;
	int rc4 = ifplex_ip_to4(&ip, &out);
	struct ifplex_ip go4 = ip_of(r, 1);

	expect(r, (rc4 == 0) == !r->nil[1] && (rc4 < 0 || (out.len == 4 && memcmp(out.b, go4.b, 4) == 0)),
	       "To4 differs (rc %d)", rc4);
	int rc16 = ifplex_ip_to16(&ip, &out);
	struct ifplex_ip go16 = ip_of(r, 2);
	expect(r, (rc16 == 0) == !r->nil[2] && (rc16 < 0 || (out.len == 16 && memcmp(out.b, go16.b, 16) == 0)),
	       "To16 differs (rc %d)", rc16);
}

static void row_scope(const struct row *r)
{
	static const struct {
		const char *name;
		int (*f)(const struct ifplex_ip *);
	} preds[] = {
		{"unspecified", ifplex_ip_is_unspecified},
		{"loopback", ifplex_ip_is_loopback},
		{"multicast", ifplex_ip_is_multicast},
		{"interface_local_multicast", ifplex_ip_is_interface_local_multicast},
		{"link_local_multicast", ifplex_ip_is_link_local_multicast},
		{"link_local_unicast", ifplex_ip_is_link_local_unicast},
		{"global_unicast", ifplex_ip_is_global_unicast},
		{"private", ifplex_ip_is_private},
	};
	struct ifplex_ip ip = ip_of(r, 1), v4;

	for (size_t i = 0; i < sizeof preds / sizeof preds[0]; i++) {
		if (strcmp(preds[i].name, r->f[0]) != 0)
			continue;
		expect(r, preds[i].f(&ip) == truth(r, 2), "%s gives %d, Go: %s", r->f[0], preds[i].f(&ip), r->f[2]);
		/* The 4-byte form answers the same, as Go's test checks with To4. */
		if (ifplex_ip_to4(&ip, &v4) == 0)
			expect(r, preds[i].f(&v4) == truth(r, 2), "%s of the 4-byte form differs", r->f[0]);
		return;
	}
	expect(r, 0, "no predicate %s", r->f[0]);
}

static void row_equal(const struct row *r)
{
	struct ifplex_ip a = ip_of(r, 0), b = ip_of(r, 1);

	expect(r, ifplex_ip_equal(&a, &b) == truth(r, 2), "Equal %d, Go: %s", ifplex_ip_equal(&a, &b), r->f[2]);
}

static void row_default_mask(const struct row *r)
{
	struct ifplex_ip ip = ip_of(r, 0);
	struct ifplex_ipmask m = ifplex_default_mask(&ip), go = mask_of(r, 1);

	expect(r, m.len == go.len && memcmp(m.b, go.b, go.len) == 0, "DefaultMask of %d bytes, Go: %d", m.len,
	       go.len);
}

static void row_split(const struct row *r)
{
	char host[300] = "x", port[300] = "x";
	int rc = ifplex_split_host_port(r->f[0], host, sizeof host, port, sizeof port);

	if (!r->nil[3]) {
		int code = strstr(r->f[3], "missing port") ? IFPLEX_EMISSINGPORT : IFPLEX_EBADADDR;
		expect_error(r, rc, code, r->f[3]);
		expect(r, !host[0] && !port[0], "host and port not emptied on failure");
		return;
	}
	expect(r, rc == 0 && strcmp(host, r->f[1]) == 0 && strcmp(port, r->f[2]) == 0,
	       "SplitHostPort gave %d \"%s\" \"%s\"", rc, host, port);
}

static void row_join(const struct row *r)
{
	char s[600];

	expect(r, ifplex_join_host_port(r->f[0], r->f[1], s, sizeof s) == 0 && strcmp(s, r->f[2]) == 0,
	       "JoinHostPort %s, Go: %s", s, r->f[2]);
}

static void row_mac(const struct row *r)
{
	uint8_t hw[IFPLEX_HWADDR_MAX], go[IFPLEX_HWADDR_MAX], back[IFPLEX_HWADDR_MAX];
	size_t n = 99, nb;
	char s[IFPLEX_HWADDR_STRLEN];
	int rc = ifplex_hwaddr_parse(r->f[0], hw, sizeof hw, &n);

	if (r->nil[1]) {
		expect_error(r, rc, IFPLEX_EBADADDR, r->f[3]);
		expect(r, n == 0, "length %zu on failure", n);
		return;
	}
	size_t gn = unhex(r->f[1], go, sizeof go);
	expect(r, rc == 0 && n == gn && memcmp(hw, go, gn) == 0, "ParseMAC differs (rc %d, %zu bytes)", rc, n);
	if (rc < 0)
		return;
	expect(r, ifplex_hwaddr_string(hw, n, s, sizeof s) == 0 && strcmp(s, r->f[2]) == 0, "String %s, Go: %s",
	       s, r->f[2]);
	expect(r, ifplex_hwaddr_parse(s, back, sizeof back, &nb) == 0 && nb == n && memcmp(back, hw, n) == 0,
	       "round trip through %s", s);
}

static void row_port(const struct row *r)
{
	int port = -7;
	int rc = ifplex_lookup_port(r->f[0], r->f[1], &port);

	if (r->nil[2]) {
		int code = strstr(r->f[3], "unknown network") ? IFPLEX_EUNKNOWNNET : IFPLEX_EBADPORT;
		expect_error(r, rc, code, r->f[3]);
		return;
	}
	expect(r, rc == 0 && port == atoi(r->f[2]), "LookupPort gave %d, port %d (%s)", rc, port,
	       rc ? ifplex_last_error() : "");
}

static int resolve_code(const char *go)
{
	if (strstr(go, "unknown network") || strstr(go, "unknown IP protocol"))
		return IFPLEX_EUNKNOWNNET;
	if (strstr(go, "missing port"))
		return IFPLEX_EMISSINGPORT;
	if (strstr(go, "invalid port") || strstr(go, "unknown port"))
		return IFPLEX_EBADPORT;
	if (strstr(go, "no such host"))
		return IFPLEX_ENOTFOUND;
	return IFPLEX_EBADADDR;
}

static void row_resolve(const struct row *r)
{
	struct ifplex_netaddr a, b;
	char s[IFPLEX_ADDR_STRLEN];
	int rc = ifplex_resolve_addr(r->f[0], r->f[1], &a);

	if (!r->nil[7]) {
		expect_error(r, rc, resolve_code(r->f[7]), r->f[7]);
		return;
	}
	expect(r, rc == 0, "resolve failed: %s", ifplex_last_error());
	if (rc < 0)
		return;
	int kind = strcmp(r->f[2], "unix") == 0 ? IFPLEX_NETADDR_UNIX
		 : strcmp(r->f[2], "ipraw") == 0 ? IFPLEX_NETADDR_IPRAW
						  : IFPLEX_NETADDR_IP;
	expect(r, a.kind == kind, "kind %d, want %d (%s)", a.kind, kind, r->f[2]);
	if (kind != IFPLEX_NETADDR_UNIX) {
		struct ifplex_ip go = ip_of(r, 3);
		expect_ip(r, &a.ip, &go);
		expect(r, a.port == atoi(r->f[4]), "port %d, Go: %s", a.port, r->f[4]);
		expect(r, strcmp(a.zone, r->f[5]) == 0, "zone \"%s\", Go: \"%s\"", a.zone, r->f[5]);
	}
	expect(r, ifplex_netaddr_string(&a, s, sizeof s) == 0 && strcmp(s, r->f[6]) == 0, "String %s, Go: %s", s,
	       r->f[6]);
	/* As Go's tests: resolving the text again gives the same address. */
	if (kind != IFPLEX_NETADDR_UNIX && r->f[0][0]) {
		expect(r, ifplex_resolve_addr(r->f[0], s, &b) == 0 && b.kind == a.kind &&
			  ifplex_ip_equal(&b.ip, &a.ip) && b.ip.len == a.ip.len && b.port == a.port &&
			  strcmp(b.zone, a.zone) == 0, "round trip through %s", s);
	}
}

/* ----------------------------------------------------------------- tests */

#define TABLE(name, cols, fn)            \
	START_TEST(test_##name)          \
	{                                \
		failures = 0;            \
		run_table(#name, cols, fn); \
		ck_assert_msg(failures == 0, "%d rows differ from Go (listed above)", failures); \
	}                                \
	END_TEST

TABLE(parse_ip, 3, row_parse_ip)
TABLE(ip_string, 2, row_ip_string)
TABLE(ip_mask, 3, row_ip_mask)
TABLE(mask_string, 2, row_mask_string)
TABLE(parse_cidr, 5, row_parse_cidr)
TABLE(ipnet_contains, 4, row_ipnet_contains)
TABLE(ipnet_string, 3, row_ipnet_string)
TABLE(cidr_mask, 3, row_cidr_mask)
TABLE(family, 3, row_family)
TABLE(scope, 3, row_scope)
TABLE(equal, 3, row_equal)
TABLE(default_mask, 2, row_default_mask)
TABLE(split_host_port, 4, row_split)
TABLE(join_host_port, 3, row_join)
TABLE(parse_mac, 4, row_mac)
TABLE(lookup_port, 4, row_port)
TABLE(resolve, 8, row_resolve)

int main(void)
{
	Suite *s = suite_create("go-tables");
	TCase *tc = tcase_create("go");

	/* Service names come from the system's resolver: the default backend. */
	tcase_add_test(tc, test_parse_ip);
	tcase_add_test(tc, test_ip_string);
	tcase_add_test(tc, test_ip_mask);
	tcase_add_test(tc, test_mask_string);
	tcase_add_test(tc, test_parse_cidr);
	tcase_add_test(tc, test_ipnet_contains);
	tcase_add_test(tc, test_ipnet_string);
	tcase_add_test(tc, test_cidr_mask);
	tcase_add_test(tc, test_family);
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_equal);
	tcase_add_test(tc, test_default_mask);
	tcase_add_test(tc, test_split_host_port);
	tcase_add_test(tc, test_join_host_port);
	tcase_add_test(tc, test_parse_mac);
	tcase_add_test(tc, test_lookup_port);
	tcase_add_test(tc, test_resolve);
	suite_add_tcase(s, tc);
	return ifplex_test_run_pure(s);
}
