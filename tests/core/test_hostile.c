/* SPDX-License-Identifier: MIT */
/* Hostile input through every public entry point, each case in a forked
 * child so that a crash or a hang shows and hides nothing else: strings of
 * length 0 to 100,000 (control bytes, invalid UTF-8, format directives,
 * colons, brackets, percent signs), NULL pointers, INT_MIN and INT_MAX,
 * huge sizes, structs with lengths past their arrays.  Every case must
 * return normally; a call that fails must have recorded its own error
 * (ifplex_last_error_code() is the code it returned, a message without raw
 * control bytes).  `make check` runs a sample; IFPLEX_HOSTILE_FULL=1 (or
 * IFPLEX_TEST_FULL=1) runs the whole sweep.  Runs in a private network
 * namespace: nothing a case resolves or dials leaves the machine. */
#include "../netns.h"
#include "../helpers.h"

#include <errno.h>
#include <ifplex.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ the pools */

static const char *strings[512];
static size_t nstrings;

static void add_string(const char *s)
{
	ck_assert(nstrings < sizeof strings / sizeof strings[0]);
	strings[nstrings++] = s;
}

static char *filled(size_t n, const char *pattern)
{
	size_t pl = strlen(pattern);
	char *s = malloc(n + 1);

	ck_assert(s);
	for (size_t i = 0; i < n; i++)
		s[i] = pattern[i % pl];
	s[n] = '\0';
	return s;
}

static void make_strings(int all)
{
	static const char *const special[] = {
		"", "a", "1.2.3.4", "::1", "[::1]:80", "fe80::1%lo", "fe80::1%", "1.2.3.4%eth0",
		"127.0.0.1:80", ":0", ":", "[", "]", "[]", "[]:", "%", "%%", "::", ":::", "1.2.3.4:99999",
		"tcp", "tcp4", "udp6", "ip", "ip4:icmp", "ip6:", "ip:999999999", "unix", "unixgram",
		"unixpacket", "localhost", "localhost:http", "a..b", "-a.example", "_srv._tcp.example.org",
		"\x01\n\t\x7f", "\xff\xfe\xfd", "\xc2\x85", "\xed\xa0\x80", "%n%s%x%p", "00:00:5e:00:53:01",
		"0000.5e00.5301", "00-00-5e-00-53-01:", "10.0.0.0/8", "::ffff:1.2.3.4/120", "1.2.3.4/-1",
		"@abstract", "/", "+80", "-0", "-2147483648", "4294967296", "HTTP", "ip4:GRE",
	};
	static const size_t sample_lengths[] = {256, 100000};
	static const size_t full_lengths[] = {2, 3, 15, 16, 17, 63, 64, 65, 127, 253, 254, 255, 256,
					      257, 511, 512, 1023, 1024, 1025, 4095, 4096, 65535,
					      65536, 100000};
	static const char *const sample_fill[] = {"a", ":", "%\n"};
	static const char *const full_fill[] = {"a", ":", "%", ".", "[", "]", "\x01", "\xff", "9",
						"1.", "a.", "ff:", "%\n"};
	const size_t *lens = all ? full_lengths : sample_lengths;
	size_t nlens = all ? sizeof full_lengths / sizeof full_lengths[0]
			    : sizeof sample_lengths / sizeof sample_lengths[0];
	const char *const *fills = all ? full_fill : sample_fill;
	size_t nfills = all ? sizeof full_fill / sizeof full_fill[0]
			     : sizeof sample_fill / sizeof sample_fill[0];

	add_string(NULL);
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		add_string(special[i]);
	for (size_t l = 0; l < nlens; l++)
		for (size_t f = 0; f < nfills; f++)
			add_string(filled(lens[l], fills[f]));
	/* A long valid-looking host:port and a long zone. */
	char *hp = filled(300, "a");
	memcpy(hp + 296, ":80", 4);
	add_string(hp);
	char *zone = filled(400, "z");
	memcpy(zone, "fe80::1%", 8);
	add_string(zone);
}

static const int ints[] = {0, 1, -1, 2, 4, 8, 16, 32, 33, 64, 128, 129, 255, 256, 65535, 65536,
			   INT_MAX, INT_MIN};
/* For the second number of a pair, the sample takes these. */
static const int few_ints[] = {0, -1, 32, 128, INT_MAX, INT_MIN};
static int full;
static const size_t sizes[] = {0, 1, 2, 3, 4, 16, 64, 65, 1024, SIZE_MAX / 3 + 1, SIZE_MAX};
static const int64_t times[] = {0, 1, -1, INT64_MAX, INT64_MIN};
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Output space every case may use; lengths beyond it are only claimed. */
static char out[1 << 18];

static struct ifplex_ip hostile_ip(int i)
{
	struct ifplex_ip ip;

	memset(&ip, 0xff, sizeof ip);
	switch (i) {
	case 0: ip.len = 0; break;
	case 1: ip = ifplex_ipv4(1, 2, 3, 4); break;
	case 2: memset(ip.b, 0, 16); ip.len = 16; ip.b[15] = 1; break;
	case 3: ip.len = 3; break;
	case 4: ip.len = 255; break;
	default: ip.len = 16; break; /* ff..ff: multicast */
	}
	return ip;
}
#define NIPS 6

static struct ifplex_ipmask hostile_mask(int i)
{
	struct ifplex_ipmask m;
	struct ifplex_ip ip = hostile_ip(i);

	m.len = ip.len;
	memcpy(m.b, ip.b, 16);
	return m;
}

static struct ifplex_netaddr hostile_netaddr(int i)
{
	struct ifplex_netaddr a;

	/* No NUL anywhere: zone and path fill their arrays. */
	memset(&a, 'A', sizeof a);
	a.ip = hostile_ip(i % NIPS);
	a.kind = i < NIPS ? IFPLEX_NETADDR_IP : i < 2 * NIPS ? IFPLEX_NETADDR_UNIX
				     : i < 3 * NIPS ? IFPLEX_NETADDR_IPRAW : INT_MIN;
	a.port = ints[(size_t)i % N(ints)];
	return a;
}
#define NNETADDRS (4 * NIPS)

/* --------------------------------------------------------------- cases */

static int cases, crashed, broken;
static char case_name[200];
static const char *tmpdir;

/* The name of a string for the report: its start, escaped, and length. */
static const char *sname(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	if (!s)
		return "NULL";
	buf[o++] = '"';
	for (size_t i = 0; s[i] && i < 24 && o + 6 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, (unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e
						   ? "\\x%02x" : "%c", (unsigned char)s[i]);
	snprintf(buf + o, len - o, "\"(%zu)", strlen(s));
	return buf;
}

/* Fork for one case: 1 in the child, which runs it and ends in done();
 * 0 in the parent, once the child's verdict is counted. */
static int begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int begin(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(case_name, sizeof case_name, fmt, ap);
	va_end(ap);
	cases++;
	fflush(stdout);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		alarm(60); /* a hang is a failure too */
		if (chdir(tmpdir) < 0)
			_exit(4);
		return 1;
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		crashed++;
		printf("CRASH %s: signal %d%s\n", case_name, WTERMSIG(st),
		       WTERMSIG(st) == SIGALRM ? " (hung)" : "");
	} else if (WEXITSTATUS(st) != 0) {
		broken++;
	}
	return 0;
}

/* In the child: check the recording rule for rc, then exit. */
static void done(int rc, int records)
{
	if (rc < 0 && records) {
		const char *m = ifplex_last_error();
		if (ifplex_last_error_code() != rc || !m[0]) {
			printf("UNRECORDED %s: returned %d, last error %d \"%.200s\"\n", case_name, rc,
			       ifplex_last_error_code(), m);
			fflush(stdout);
			_exit(3);
		}
		for (const unsigned char *p = (const unsigned char *)m; *p; p++) {
			if (*p < 0x20 || *p == 0x7f) {
				printf("RAW BYTE %s: message \"%.200s\"\n", case_name, m);
				fflush(stdout);
				_exit(3);
			}
		}
		if (strlen(m) >= 1024) {
			printf("LONG MESSAGE %s\n", case_name);
			_exit(3);
		}
	}
	_exit(0);
}

#define CASE(...) if (begin(__VA_ARGS__))
#define RC(call) done((call), 1)
#define VOID(call) do { (call); done(0, 0); } while (0)
/* A call that hands back a list (into l) or a conversation (into c):
 * release it, then judge the code. */
#define LISTED(type, call) do { type *l = NULL; int rc_ = (call); ifplex_free(l); RC(rc_); } while (0)
#define OPENED(call) do { ifplex_conn *c = NULL; int rc_ = (call); ifplex_close(c); RC(rc_); } while (0)

/* A conversation for the calls that take one, in the child. */
static ifplex_conn *udp_conn(void)
{
	ifplex_conn *c = NULL;

	if (ifplex_listen_packet("udp4", "127.0.0.1:0", &c) < 0)
		_exit(5);
	ifplex_set_deadline(c, ifplex_now() + 1000000); /* reads never wait long */
	return c;
}

static ifplex_conn *tcp_listener(void)
{
	ifplex_conn *c = NULL;

	if (ifplex_listen("tcp4", "127.0.0.1:0", &c) < 0)
		_exit(5);
	ifplex_set_deadline(c, ifplex_now() + 1000000);
	return c;
}

/* ------------------------------------------------------ the entry points */

static void strings_only(void)
{
	char a[64], b[64];

	for (size_t i = 0; i < nstrings; i++) {
		const char *s = strings[i];
		const char *n = sname(s, a, sizeof a);
		struct ifplex_ip ip;
		struct ifplex_ipnet net;
		struct ifplex_network nw;
		struct ifplex_netaddr na;
		uint8_t hw[IFPLEX_HWADDR_MAX];
		size_t cnt, hl;
		int port;

		CASE("ip_parse(%s)", n) RC(ifplex_ip_parse(s, &ip));
		CASE("ip_parse_zone(%s)", n) RC(ifplex_ip_parse_zone(s, &ip, out, sizeof out));
		CASE("ip_parse_zone(%s, 1)", n) RC(ifplex_ip_parse_zone(s, &ip, out, 1));
		CASE("cidr_parse(%s)", n) RC(ifplex_cidr_parse(s, &ip, &net));
		CASE("cidr_parse(%s, NULL, NULL)", n) RC(ifplex_cidr_parse(s, NULL, NULL));
		CASE("network_parse(%s)", n) RC(ifplex_network_parse(s, &nw));
		CASE("hwaddr_parse(%s)", n) RC(ifplex_hwaddr_parse(s, hw, sizeof hw, &hl));
		CASE("hwaddr_parse(%s, 0)", n) RC(ifplex_hwaddr_parse(s, hw, 0, &hl));
		CASE("split_host_port(%s)", n) RC(ifplex_split_host_port(s, out, 300, out + 300, 300));
		CASE("split_host_port(%s, big)", n)
			RC(ifplex_split_host_port(s, out, sizeof out / 2, out + sizeof out / 2, sizeof out / 2));
		CASE("join_host_port(%s, %s)", n, n) RC(ifplex_join_host_port(s, s, out, sizeof out));
		CASE("join_host_port(%s, 80, 8)", n) RC(ifplex_join_host_port(s, "80", out, 8));
		CASE("resolve_addr(tcp, %s)", n) RC(ifplex_resolve_addr("tcp", s, &na));
		CASE("resolve_addr(%s, 127.0.0.1:80)", n) RC(ifplex_resolve_addr(s, "127.0.0.1:80", &na));
		CASE("resolve_addr(ip6, %s)", n) RC(ifplex_resolve_addr("ip6", s, &na));
		CASE("resolve_addr(unix, %s)", n) RC(ifplex_resolve_addr("unix", s, &na));
		CASE("resolve_addr(%s, %s)", n, n) RC(ifplex_resolve_addr(s, s, &na));
		CASE("interface_by_name(%s)", n) RC(ifplex_interface_by_name(s, (struct ifplex_iface *)out));
		CASE("lookup_ip(NULL, %s)", n) LISTED(struct ifplex_ip, ifplex_lookup_ip(NULL, s, &l, &cnt));
		CASE("lookup_ip(%s, ::1)", n) LISTED(struct ifplex_ip, ifplex_lookup_ip(s, "::1", &l, &cnt));
		CASE("lookup_port(tcp, %s)", n) RC(ifplex_lookup_port("tcp", s, &port));
		CASE("lookup_port(%s, http)", n) RC(ifplex_lookup_port(s, "http", &port));
		CASE("lookup_addr(%s)", n) LISTED(char *, ifplex_lookup_addr(s, &l, &cnt));
		CASE("lookup_cname(%s)", n) RC(ifplex_lookup_cname(s, out, sizeof out));
		CASE("lookup_cname(%s, 1)", n) RC(ifplex_lookup_cname(s, out, 1));
		CASE("lookup_srv(%s, %s, example.org)", n, n)
			LISTED(struct ifplex_srv, ifplex_lookup_srv(s, s, "example.org", &l, &cnt));
		CASE("lookup_srv(, , %s)", n) LISTED(struct ifplex_srv, ifplex_lookup_srv("", "", s, &l, &cnt));
		CASE("lookup_mx(%s)", n) LISTED(struct ifplex_mx, ifplex_lookup_mx(s, &l, &cnt));
		CASE("backend_describe(%s)", n) VOID(ifplex_backend_describe(s));
		CASE("dial(tcp, %s)", n) OPENED(ifplex_dial("tcp", s, &c));
		CASE("dial(%s, 127.0.0.1:9)", n) OPENED(ifplex_dial(s, "127.0.0.1:9", &c));
		struct ifplex_dial_options o = {.size = sizeof o, .local_address = s, .device = s};
		CASE("dial_opts(udp, 127.0.0.1:9, local %s, device %s)", n, sname(s, b, sizeof b)) {
			o.deadline = ifplex_now() + 1000000;
			OPENED(ifplex_dial_opts("udp", "127.0.0.1:9", &o, &c));
		}
		CASE("listen(tcp, %s)", n) OPENED(ifplex_listen("tcp", s, &c));
		CASE("listen(%s, :0)", n) OPENED(ifplex_listen(s, ":0", &c));
		CASE("listen(unix, %s)", n) OPENED(ifplex_listen("unix", s, &c));
		CASE("listen_packet(%s, %s)", n, n) OPENED(ifplex_listen_packet(s, s, &c));
		CASE("listen_packet(ip4:icmp, %s)", n) OPENED(ifplex_listen_packet("ip4:icmp", s, &c));
		CASE("init(backend %s)", n) {
			struct ifplex_options o = {.size = sizeof o, .backend = s};
			RC(ifplex_init(&o));
		}
		CASE("init(plugin_path %s, cache %s)", n, n) {
			struct ifplex_options o = {.size = sizeof o, .plugin_path = s, .cache = s};
			RC(ifplex_init(&o));
		}
	}
}

static void numbers(void)
{
	for (size_t i = 0; i < N(ints); i++) {
		int v = ints[i];
		struct ifplex_ipmask m;
		struct ifplex_iface ifi;

		CASE("strerror(%d)", v) VOID(ifplex_strerror(v));
		CASE("strerror(-%d)", v) VOID(ifplex_strerror(v == INT_MIN ? v : -v));
		CASE("is_timeout(%d)", v) VOID(ifplex_is_timeout(v));
		CASE("cap_name(%d)", v) VOID(ifplex_cap_name((unsigned)v));
		CASE("interface_by_index(%d)", v) RC(ifplex_interface_by_index(v, &ifi));
		for (size_t j = 0; j < (full ? N(ints) : N(few_ints)); j++) {
			int w = full ? ints[j] : few_ints[j];
			CASE("cidr_mask(%d, %d)", v, w) RC(ifplex_cidr_mask(v, w, &m));
		}
		CASE("interface_addrs(index %d)", v) {
			struct ifplex_iface x = {.index = v};
			struct ifplex_addr *l = NULL;
			size_t n;
			int rc = ifplex_interface_addrs(&x, &l, &n);
			ifplex_free(l);
			RC(rc);
		}
		CASE("interface_details(%d)", v) {
			struct ifplex_link_details d = {.size = sizeof d};
			RC(ifplex_interface_details(v, &d));
		}
		CASE("interface_addr_details(%d)", v) LISTED(struct ifplex_addr_details,
			ifplex_interface_addr_details(v, sizeof *l, &l, &(size_t){0}));
		CASE("events_open(%#x)", (unsigned)v) {
			ifplex_events *ev = NULL;
			int rc = ifplex_events_open((unsigned)v, &ev);
			ifplex_events_close(ev);
			RC(rc);
		}
		CASE("event_kind_name(%d)", v) VOID(ifplex_event_kind_name(v));
		CASE("operstate_name(%d)", v) VOID(ifplex_operstate_name(v));
		CASE("scope_name(%d)", v) VOID(ifplex_scope_name(v));
		CASE("multicast_addrs(index %d)", v) {
			struct ifplex_iface x = {.index = v};
			struct ifplex_addr *l = NULL;
			size_t n;
			int rc = ifplex_interface_multicast_addrs(&x, &l, &n);
			ifplex_free(l);
			RC(rc);
		}
	}
}

static void values(void)
{
	for (int i = 0; i < NIPS; i++) {
		struct ifplex_ip ip = hostile_ip(i), o;
		struct ifplex_ipmask m = hostile_mask(i);

		CASE("ip predicates(ip#%d)", i) {
			ifplex_ip_is_unspecified(&ip);
			ifplex_ip_is_loopback(&ip);
			ifplex_ip_is_private(&ip);
			ifplex_ip_is_multicast(&ip);
			ifplex_ip_is_interface_local_multicast(&ip);
			ifplex_ip_is_link_local_multicast(&ip);
			ifplex_ip_is_link_local_unicast(&ip);
			VOID(ifplex_ip_is_global_unicast(&ip));
		}
		CASE("ip_to4/to16(ip#%d)", i) {
			ifplex_ip_to4(&ip, &o);
			VOID(ifplex_ip_to16(&ip, &o));
		}
		CASE("default_mask(ip#%d)", i) VOID(ifplex_default_mask(&ip));
		CASE("mask_size(mask#%d)", i) {
			int ones, bits;
			RC(ifplex_mask_size(&m, &ones, &bits));
		}
		for (size_t z = 0; z < N(sizes); z++) {
			size_t len = sizes[z];
			CASE("ip_string(ip#%d, %zu)", i, len) RC(ifplex_ip_string(&ip, out, len));
			CASE("mask_string(mask#%d, %zu)", i, len) RC(ifplex_mask_string(&m, out, len));
			CASE("hwaddr_string(%zu bytes, 96)", len) RC(ifplex_hwaddr_string((uint8_t *)out, len, out + 1024, 96));
			CASE("hwaddr_string(6 bytes, %zu)", len) RC(ifplex_hwaddr_string((uint8_t *)out, 6, out + 1024, len));
		}
		for (int j = 0; j < NIPS; j++) {
			struct ifplex_ip ip2 = hostile_ip(j);
			struct ifplex_ipmask m2 = hostile_mask(j);
			struct ifplex_ipnet net = {.ip = ip, .mask = m2};
			CASE("ip_equal(ip#%d, ip#%d)", i, j) VOID(ifplex_ip_equal(&ip, &ip2));
			CASE("ip_mask(ip#%d, mask#%d)", i, j) RC(ifplex_ip_mask(&ip, &m2, &o));
			CASE("ipnet_contains(net#%d/%d, ip#%d)", i, j, j) VOID(ifplex_ipnet_contains(&net, &ip2));
			CASE("ipnet_string(net#%d/%d)", i, j) RC(ifplex_ipnet_string(&net, out, sizeof out));
			CASE("ipnet_string(net#%d/%d, 3)", i, j) RC(ifplex_ipnet_string(&net, out, 3));
		}
	}
	for (int i = 0; i < NNETADDRS; i++) {
		struct ifplex_netaddr a = hostile_netaddr(i);
		CASE("netaddr_string(netaddr#%d)", i) RC(ifplex_netaddr_string(&a, out, sizeof out));
		CASE("netaddr_string(netaddr#%d, 2)", i) RC(ifplex_netaddr_string(&a, out, 2));
		CASE("addr_string(netaddr#%d as addr)", i) {
			struct ifplex_addr ad;
			memset(&ad, 'B', sizeof ad);
			ad.ip = a.ip;
			ad.prefixlen = a.port;
			RC(ifplex_addr_string(&ad, out, sizeof out));
		}
		CASE("write_to(udp, netaddr#%d)", i) {
			ifplex_conn *c = udp_conn();
			size_t n;
			RC(ifplex_write_to(c, "x", 1, &a, &n));
		}
		CASE("write_msg(udp, netaddr#%d)", i) {
			ifplex_conn *c = udp_conn();
			struct ifplex_msg msg = {.buf = "x", .len = 1, .addr = &a};
			RC(ifplex_write_msg(c, &msg));
		}
	}
}

/* NULL in every pointer argument, one at a time. */
static void nulls(void)
{
	struct ifplex_ip ip = ifplex_ipv4(1, 2, 3, 4);
	struct ifplex_ipmask m = ifplex_ipv4_mask(255, 0, 0, 0);
	struct ifplex_ipnet net = {.ip = ip, .mask = m};
	struct ifplex_netaddr na = {.kind = IFPLEX_NETADDR_IP};
	struct ifplex_network nw;
	size_t n;
	int v;

	CASE("ip_parse(s, NULL)") RC(ifplex_ip_parse("1.2.3.4", NULL));
	CASE("ip_parse_zone(NULL zone)") RC(ifplex_ip_parse_zone("::1", &ip, NULL, 8));
	CASE("ip_parse_zone(NULL out)") RC(ifplex_ip_parse_zone("::1", NULL, out, 8));
	CASE("ip_string(NULL buf)") RC(ifplex_ip_string(&ip, NULL, 64));
	CASE("ip_to4(NULL)") VOID(ifplex_ip_to4(NULL, &ip));
	CASE("ip_to4(ip, NULL)") VOID(ifplex_ip_to4(&ip, NULL));
	CASE("ip_to16(NULL)") VOID(ifplex_ip_to16(NULL, NULL));
	CASE("ip_equal(NULL, NULL)") VOID(ifplex_ip_equal(NULL, NULL));
	CASE("predicates(NULL)") {
		ifplex_ip_is_unspecified(NULL);
		ifplex_ip_is_loopback(NULL);
		ifplex_ip_is_private(NULL);
		ifplex_ip_is_multicast(NULL);
		ifplex_ip_is_interface_local_multicast(NULL);
		ifplex_ip_is_link_local_multicast(NULL);
		ifplex_ip_is_link_local_unicast(NULL);
		VOID(ifplex_ip_is_global_unicast(NULL));
	}
	CASE("cidr_mask(NULL)") RC(ifplex_cidr_mask(8, 32, NULL));
	CASE("mask_size(NULL)") RC(ifplex_mask_size(NULL, &v, &v));
	CASE("mask_size(m, NULL, NULL)") RC(ifplex_mask_size(&m, NULL, NULL));
	CASE("mask_string(NULL)") RC(ifplex_mask_string(NULL, out, 64));
	CASE("mask_string(NULL buf)") RC(ifplex_mask_string(&m, NULL, 64));
	CASE("default_mask(NULL)") VOID(ifplex_default_mask(NULL));
	CASE("ip_mask(NULL, m)") RC(ifplex_ip_mask(NULL, &m, &ip));
	CASE("ip_mask(ip, NULL)") RC(ifplex_ip_mask(&ip, NULL, &ip));
	CASE("ip_mask(ip, m, NULL)") RC(ifplex_ip_mask(&ip, &m, NULL));
	CASE("cidr_parse(NULL)") RC(ifplex_cidr_parse(NULL, &ip, &net));
	CASE("ipnet_contains(NULL, ip)") VOID(ifplex_ipnet_contains(NULL, &ip));
	CASE("ipnet_contains(net, NULL)") VOID(ifplex_ipnet_contains(&net, NULL));
	CASE("ipnet_string(NULL)") RC(ifplex_ipnet_string(NULL, out, 64));
	CASE("ipnet_string(NULL buf)") RC(ifplex_ipnet_string(&net, NULL, 64));
	CASE("split_host_port(NULL)") RC(ifplex_split_host_port(NULL, out, 8, out + 8, 8));
	CASE("split_host_port(NULL host)") RC(ifplex_split_host_port("a:1", NULL, 8, out, 8));
	CASE("split_host_port(0 len)") RC(ifplex_split_host_port("a:1", out, 0, out + 8, 8));
	CASE("join_host_port(NULL)") RC(ifplex_join_host_port(NULL, NULL, out, 8));
	CASE("join_host_port(NULL buf)") RC(ifplex_join_host_port("a", "1", NULL, 8));
	CASE("network_parse(NULL out)") RC(ifplex_network_parse("tcp", NULL));
	CASE("resolve_addr(NULL out)") RC(ifplex_resolve_addr("tcp", ":0", NULL));
	CASE("netaddr_string(NULL)") RC(ifplex_netaddr_string(NULL, out, 8));
	CASE("netaddr_string(NULL buf)") RC(ifplex_netaddr_string(&na, NULL, 8));
	CASE("interfaces(NULL)") RC(ifplex_interfaces(NULL, NULL));
	CASE("interface_by_index(NULL)") RC(ifplex_interface_by_index(1, NULL));
	CASE("interface_by_name(NULL)") RC(ifplex_interface_by_name(NULL, NULL));
	CASE("interface_addrs(NULL, NULL)") RC(ifplex_interface_addrs(NULL, NULL, NULL));
	CASE("multicast_addrs(NULL, NULL)") RC(ifplex_interface_multicast_addrs(NULL, NULL, &n));
	CASE("events_open(NULL)") RC(ifplex_events_open(IFPLEX_EVENTS_ALL, NULL));
	CASE("events_read(NULL)") RC(ifplex_events_read(NULL, NULL, 1, 0));
	CASE("events_wait_fd(NULL)") RC(ifplex_events_wait_fd(NULL, NULL));
	CASE("events_close(NULL)") RC(ifplex_events_close(NULL));
	CASE("interface_details(NULL)") RC(ifplex_interface_details(1, NULL));
	for (size_t z = 0; z < N(sizes); z++) {
		CASE("interface_details(size %zu)", sizes[z]) {
			struct ifplex_link_details d = {.size = sizes[z]};
			RC(ifplex_interface_details(1, &d));
		}
		CASE("interface_addr_details(size %zu)", sizes[z])
			LISTED(struct ifplex_addr_details, ifplex_interface_addr_details(0, sizes[z], &l, &(size_t){0}));
	}
	CASE("interface_addr_details(NULL)") RC(ifplex_interface_addr_details(0, 4096, NULL, NULL));
	CASE("free(NULL)") VOID(ifplex_free(NULL));
	CASE("addr_string(NULL)") RC(ifplex_addr_string(NULL, out, 8));
	CASE("hwaddr_string(NULL, 6)") RC(ifplex_hwaddr_string(NULL, 6, out, 64));
	CASE("hwaddr_string(NULL buf)") RC(ifplex_hwaddr_string((uint8_t *)"abcdef", 6, NULL, 64));
	CASE("hwaddr_parse(NULL out)") RC(ifplex_hwaddr_parse("00:00:5e:00:53:01", NULL, 6, &n));
	CASE("hwaddr_parse(NULL len)") RC(ifplex_hwaddr_parse("00:00:5e:00:53:01", (uint8_t *)out, 6, NULL));
	CASE("init(NULL)") RC(ifplex_init(NULL));
	CASE("init(size 0)") RC(ifplex_init(&(struct ifplex_options){.size = 0}));
	CASE("init(size huge)") {
		static struct ifplex_options big[64];
		big[0].size = sizeof big;
		RC(ifplex_init(&big[0]));
	}
	CASE("backend_describe(NULL)") VOID(ifplex_backend_describe(NULL));
	CASE("plugins(NULL)") RC(ifplex_plugins(NULL, NULL));
	CASE("lookup_ip(NULL list)") RC(ifplex_lookup_ip(NULL, "::1", NULL, &n));
	CASE("lookup_port(NULL port)") RC(ifplex_lookup_port("tcp", "80", NULL));
	CASE("lookup_addr(NULL)") RC(ifplex_lookup_addr(NULL, NULL, NULL));
	CASE("lookup_cname(NULL buf)") RC(ifplex_lookup_cname("example.org", NULL, 8));
	CASE("lookup_srv(NULL name)") RC(ifplex_lookup_srv(NULL, NULL, NULL, NULL, NULL));
	CASE("lookup_mx(NULL)") RC(ifplex_lookup_mx(NULL, NULL, NULL));
	CASE("dial(NULL)") RC(ifplex_dial(NULL, NULL, NULL));
	CASE("dial_opts(size 0)") {
		ifplex_conn *c;
		RC(ifplex_dial_opts("tcp", "127.0.0.1:9", &(struct ifplex_dial_options){.size = 0}, &c));
	}
	CASE("listen(NULL out)") RC(ifplex_listen("tcp", ":0", NULL));
	CASE("listen_packet(NULL)") RC(ifplex_listen_packet(NULL, NULL, NULL));
	(void)nw;
}

/* Every call that takes a conversation: NULL, and a real one. */
static void conns(void)
{
	static const struct {
		const char *name;
		int kind; /* 0 NULL conn, 1 udp, 2 tcp listener */
	} which[] = {{"NULL", 0}, {"udp", 1}, {"listener", 2}};
	struct ifplex_ip group = hostile_ip(5), odd = hostile_ip(4);

	for (size_t w = 0; w < N(which); w++) {
		const char *cn = which[w].name;
#define CONN() (which[w].kind == 0 ? NULL : which[w].kind == 1 ? udp_conn() : tcp_listener())
		for (size_t z = 0; z < N(sizes); z++) {
			size_t len = sizes[z] > sizeof out ? sizeof out : sizes[z];
			size_t n;
			CASE("read(%s, %zu)", cn, len) RC(ifplex_read(CONN(), out, len, &n));
			CASE("read(%s, NULL, %zu)", cn, sizes[z]) RC(ifplex_read(CONN(), NULL, sizes[z], &n));
			CASE("write(%s, %zu)", cn, len) RC(ifplex_write(CONN(), out, len, &n));
			CASE("write(%s, NULL, %zu)", cn, sizes[z]) RC(ifplex_write(CONN(), NULL, sizes[z], NULL));
			CASE("read_from(%s, %zu)", cn, len) RC(ifplex_read_from(CONN(), out, len, &n, NULL));
			CASE("read_from(%s, NULL n)", cn) RC(ifplex_read_from(CONN(), out, len, NULL, NULL));
			CASE("write_to(%s, NULL to)", cn) RC(ifplex_write_to(CONN(), out, len, NULL, &n));
			CASE("read_batch(%s, NULL, %zu)", cn, sizes[z]) RC(ifplex_read_batch(CONN(), NULL, sizes[z]));
			CASE("write_batch(%s, NULL, %zu)", cn, sizes[z]) RC(ifplex_write_batch(CONN(), NULL, sizes[z]));
			CASE("read_lent(%s, NULL, %zu)", cn, sizes[z]) RC(ifplex_read_lent(CONN(), NULL, sizes[z]));
			CASE("release_lent(%s, NULL, %zu)", cn, sizes[z]) RC(ifplex_release_lent(CONN(), NULL, sizes[z]));
		}
		CASE("read_msg(%s, NULL)", cn) RC(ifplex_read_msg(CONN(), NULL));
		CASE("write_msg(%s, NULL)", cn) RC(ifplex_write_msg(CONN(), NULL));
		CASE("read_msg(%s, NULL buf, len 100, fds 999)", cn) {
			struct ifplex_msg m = {.buf = NULL, .len = 100, .nfds = 999};
			RC(ifplex_read_msg(CONN(), &m));
		}
		CASE("write_msg(%s, NULL buf, len 100)", cn) {
			struct ifplex_msg m = {.buf = NULL, .len = 100};
			RC(ifplex_write_msg(CONN(), &m));
		}
		CASE("write_msg(%s, fds NULL, nfds 3)", cn) {
			struct ifplex_msg m = {.buf = "x", .len = 1, .nfds = 3};
			RC(ifplex_write_msg(CONN(), &m));
		}
		CASE("read_batch(%s, 65 msgs)", cn) {
			static struct ifplex_msg ms[65];
			for (int i = 0; i < 65; i++)
				ms[i] = (struct ifplex_msg){.buf = out + i * 8, .len = 8};
			RC(ifplex_read_batch(CONN(), ms, 65));
		}
		CASE("write_batch(%s, 65 msgs without address)", cn) {
			static struct ifplex_msg ms[65];
			for (int i = 0; i < 65; i++)
				ms[i] = (struct ifplex_msg){.buf = out, .len = 8};
			RC(ifplex_write_batch(CONN(), ms, 65));
		}
		CASE("read_lent(%s, 4)", cn) {
			struct ifplex_lent v[4] = {{0}};
			RC(ifplex_read_lent(CONN(), v, 4));
		}
		for (size_t t = 0; t < N(times); t++) {
			int64_t d = times[t];
			CASE("set_deadline(%s, %lld)", cn, (long long)d) RC(ifplex_set_deadline(CONN(), d));
			CASE("set_read_deadline(%s, %lld)", cn, (long long)d) RC(ifplex_set_read_deadline(CONN(), d));
			CASE("set_write_deadline(%s, %lld)", cn, (long long)d) RC(ifplex_set_write_deadline(CONN(), d));
			CASE("conn_poll(%s, in, %lld)", cn, (long long)d) {
				unsigned rev;
				ifplex_conn *c = CONN();
				RC(ifplex_conn_poll(c, IFPLEX_POLL_IN, d < 0 || d > 1 ? 0 : d, &rev));
			}
			for (size_t i = 0; i < (full ? N(ints) : N(few_ints)); i++) {
				int o = full ? ints[i] : few_ints[i];
				CASE("set_option(%s, %d, %lld)", cn, o, (long long)d)
					RC(ifplex_set_option(CONN(), o, d));
			}
		}
		for (size_t i = 0; i < N(ints); i++) {
			unsigned rev;
			CASE("conn_poll(%s, events %d)", cn, ints[i])
				RC(ifplex_conn_poll(CONN(), (unsigned)ints[i], 0, &rev));
		}
		CASE("conn_poll(%s, NULL revents)", cn) RC(ifplex_conn_poll(CONN(), IFPLEX_POLL_IN, 0, NULL));
		CASE("accept(%s)", cn) {
			ifplex_conn *o = NULL;
			int rc = ifplex_accept(CONN(), &o);
			ifplex_close(o);
			RC(rc);
		}
		CASE("accept(%s, NULL)", cn) RC(ifplex_accept(CONN(), NULL));
		CASE("local_addr(%s)", cn) RC(ifplex_conn_local_addr(CONN(), (struct ifplex_netaddr *)out));
		CASE("remote_addr(%s)", cn) RC(ifplex_conn_remote_addr(CONN(), (struct ifplex_netaddr *)out));
		CASE("local_addr(%s, NULL)", cn) RC(ifplex_conn_local_addr(CONN(), NULL));
		CASE("join_group(%s, ff.., NULL)", cn) RC(ifplex_join_group(CONN(), &group, NULL));
		CASE("join_group(%s, NULL)", cn) RC(ifplex_join_group(CONN(), NULL, NULL));
		CASE("join_group(%s, len 255)", cn) RC(ifplex_join_group(CONN(), &odd, NULL));
		for (size_t i = 0; i < N(ints); i++) {
			struct ifplex_iface ifi = {.index = ints[i]};
			CASE("join_group(%s, iface %d)", cn, ints[i]) RC(ifplex_join_group(CONN(), &group, &ifi));
			CASE("leave_group(%s, iface %d)", cn, ints[i]) RC(ifplex_leave_group(CONN(), &group, &ifi));
		}
		CASE("close_write(%s)", cn) RC(ifplex_close_write(CONN()));
		CASE("conn_fd(%s)", cn) {
			intptr_t fd;
			RC(ifplex_conn_fd(CONN(), &fd));
		}
		CASE("conn_fd(%s, NULL)", cn) RC(ifplex_conn_fd(CONN(), NULL));
		CASE("conn_wait_fd(%s, NULL)", cn) RC(ifplex_conn_wait_fd(CONN(), NULL));
		CASE("conn_caps/network(%s)", cn) {
			ifplex_conn *c = CONN();
			ifplex_conn_caps(c);
			VOID(ifplex_conn_network(c));
		}
		CASE("close(%s)", cn) RC(ifplex_close(CONN()));
#undef CONN
	}
}

static void no_arguments(void)
{
	CASE("no-argument calls") {
		ifplex_last_error();
		ifplex_last_error_code();
		ifplex_now();
		ifplex_generation();
		ifplex_backend_name();
		ifplex_backend_reason();
		ifplex_cache_mode();
		ifplex_backend_caps();
		ifplex_backend_abi();
		RC(ifplex_cache_reset());
	}
	CASE("interfaces and addresses") {
		struct ifplex_iface *l = NULL;
		struct ifplex_addr *a = NULL;
		size_t n;
		int rc = ifplex_interfaces(&l, &n);
		if (rc == 0)
			rc = ifplex_interface_addrs(NULL, &a, &n);
		ifplex_free(l);
		ifplex_free(a);
		RC(rc);
	}
	CASE("plugins") {
		struct ifplex_plugin_info *l = NULL;
		size_t n;
		int rc = ifplex_plugins(&l, &n);
		ifplex_free(l);
		RC(rc);
	}
}

START_TEST(test_hostile)
{
	const char *sweep = getenv("IFPLEX_HOSTILE_FULL");
	char dir[] = "/tmp/ifplex-hostile-XXXXXX";

	full = (sweep && *sweep == '1') || ifplex_test_sweep() == IFPLEX_SWEEP_FULL;
	make_strings(full);
	ck_assert(mkdtemp(dir));
	tmpdir = dir;
	netns_enter();
	/* Load the backend and the resolver's modules once, so that every
	 * child starts with them. */
	ck_assert_ptr_nonnull(ifplex_backend_name());
	struct ifplex_ip *ips = NULL;
	size_t n;
	int port;
	ifplex_lookup_ip(NULL, "localhost", &ips, &n);
	ifplex_free(ips);
	ifplex_lookup_port("tcp", "http", &port);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	strings_only();
	numbers();
	values();
	nulls();
	conns();
	no_arguments();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%d cases (%s sweep, %zu strings) in %.1f s: %d crashed or hung, %d broke the error rule\n",
	       cases, full ? "full" : "sample", nstrings,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, crashed, broken);
	fflush(stdout);
	ck_assert_msg(crashed == 0 && broken == 0, "%d crashed, %d broke the error rule (listed above)", crashed,
		      broken);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("every-entry-point");

	tcase_set_timeout(tc, 3600);
	tcase_add_test(tc, test_hostile);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
