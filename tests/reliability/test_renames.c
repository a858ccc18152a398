/* SPDX-License-Identifier: MIT */
/* Thousands of link renames, deletes and re-adds, with address churn, in a
 * private namespace: after every batch the cache (ebpf and notify) agrees
 * with a model of what the test did and with an uncached dump, and lookups
 * of absent names end (open addressing once ran out of empty slots after
 * about 54 renames of one link and spun forever). */
#include "../netns.h"
#include "../helpers.h"
#include "../netlink/reference.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const modes[] = {"ebpf", "notify"};

#define NAMES 64   /* the pool of names, so that names come back */
#define LIVE_MAX 40

struct model {
	int live[NAMES];      /* name i exists */
	int tag[NAMES];       /* the link under name i was the tag'th created */
	int addrs[NAMES];     /* its IPv4 addresses: 10.(100 + tag / 250).(tag % 250).k/32, k < addrs */
};

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

static void setup(void)
{
	netns_enter();
	setenv("IFPLEX_BACKEND", "netlink", 1);
	open_reference();
}

static void expect_absent(const char *name)
{
	struct ifplex_iface one;
	int rc = ifplex_interface_by_name(name, &one);
	ck_assert_msg(rc == IFPLEX_ENOIFACE, "%s: %d, want no such interface", name, rc);
}

static void expect_present(const char *name)
{
	struct ifplex_iface one, again;
	ck_assert_msg(ifplex_interface_by_name(name, &one) == 0, "%s: %s", name, ifplex_last_error());
	ck_assert_str_eq(one.name, name);
	ck_assert_int_eq(ifplex_interface_by_index(one.index, &again), 0);
	ck_assert_str_eq(again.name, name);
}

/* Rename a link that is down, as `ip link set NAME name NEW` does (the same
 * dev_change_name and RTM_NEWLINK), without an ip process per rename: under
 * load those took most of this test's minutes. */
static void rename_link(const char *from, const char *to)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert(strlen(from) < IFNAMSIZ && strlen(to) < IFNAMSIZ);
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, from, strlen(from));
	memcpy(ifr.ifr_newname, to, strlen(to));
	ck_assert_msg(ioctl(fd, SIOCSIFNAME, &ifr) == 0, "rename %s to %s: %s", from, to, strerror(errno));
	close(fd);
}

/* One link renamed hundreds of times, every old name and an absent name
 * looked up after each rename. */
START_TEST(test_one_link_many_renames)
{
	char prev[32] = "rn0", next[32];

	setenv("IFPLEX_CACHE", modes[_i], 1);
	sh("ip link add rn0 type bridge");
	prime(modes[_i]);
	for (int i = 1; i <= 400; i++) {
		snprintf(next, sizeof next, "rn%d", i);
		rename_link(prev, next);
		expect_present(next);
		expect_absent(prev);
		expect_absent("nosuch0");
		snprintf(prev, sizeof prev, "%s", next);
	}
	check_coherent("after 400 renames");
}
END_TEST

static void check_model(const struct model *m, const char *what)
{
	struct ifplex_iface *l;
	size_t n, live = 0;

	ck_assert_msg(ifplex_interfaces(&l, &n) == 0, "%s", ifplex_last_error());
	for (int i = 0; i < NAMES; i++) {
		char name[16];
		snprintf(name, sizeof name, "ch%d", i);
		int found = 0;
		for (size_t k = 0; k < n; k++)
			found |= strcmp(l[k].name, name) == 0;
		ck_assert_msg(found == m->live[i], "%s: %s %s", what, name, m->live[i] ? "missing" : "still listed");
		if (m->live[i]) {
			struct ifplex_iface one;
			struct ifplex_addr *a;
			size_t na;
			expect_present(name);
			ck_assert_int_eq(ifplex_interface_by_name(name, &one), 0);
			ck_assert_int_eq(ifplex_interface_addrs(&one, &a, &na), 0);
			ck_assert_msg(na == (size_t)m->addrs[i], "%s: %s has %zu addresses, the model %d", what, name,
				      na, m->addrs[i]);
			ifplex_free(a);
			live++;
		} else {
			expect_absent(name);
		}
	}
	ck_assert_msg(n == live + 1, "%s: %zu interfaces listed, the model has %zu and lo", what, n, live);
	ifplex_free(l);
	expect_absent("nosuch0");
	check_coherent(what);
}

/* Random adds (fresh and recycled names), deletes, renames, MTU changes and
 * address adds and deletes, in batches through ip -batch. */
START_TEST(test_churn_against_model)
{
	struct model m;
	char path[] = "/tmp/ifplex-churn-XXXXXX";
	int ops = 0, tags = 0;

	memset(&m, 0, sizeof m);
	setenv("IFPLEX_CACHE", modes[_i], 1);
	prime(modes[_i]);
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	for (int batch = 0; ops < 4000; batch++) {
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		int live = 0;
		for (int i = 0; i < NAMES; i++)
			live += m.live[i];
		for (int k = 0; k < 40; k++, ops++) {
			unsigned op = pick(10), a = pick(NAMES), b = pick(NAMES);
			if (op < 3 && !m.live[a] && live < LIVE_MAX) {
				fprintf(f, "link add ch%u type bridge\n", a);
				m.live[a] = 1;
				m.tag[a] = tags++;
				m.addrs[a] = 0;
				live++;
			} else if (op < 5 && m.live[a] && !m.live[b]) {
				fprintf(f, "link set ch%u name ch%u\n", a, b);
				m.live[b] = 1;
				m.tag[b] = m.tag[a];
				m.addrs[b] = m.addrs[a];
				m.live[a] = 0;
			} else if (op < 6 && m.live[a]) {
				fprintf(f, "link del ch%u\n", a);
				m.live[a] = 0;
				live--;
			} else if (op < 8 && m.live[a] && m.addrs[a] < 30) {
				fprintf(f, "addr add 10.%d.%d.%d/32 dev ch%u\n", 100 + m.tag[a] / 250, m.tag[a] % 250,
					m.addrs[a], a);
				m.addrs[a]++;
			} else if (op < 9 && m.live[a] && m.addrs[a] > 0) {
				m.addrs[a]--;
				fprintf(f, "addr del 10.%d.%d.%d/32 dev ch%u\n", 100 + m.tag[a] / 250, m.tag[a] % 250,
					m.addrs[a], a);
			} else if (m.live[a]) {
				fprintf(f, "link set ch%u mtu %u\n", a, 1000 + pick(500));
			}
		}
		ck_assert_int_eq(fclose(f), 0);
		sh("ip -batch %s", path);
		char what[64];
		snprintf(what, sizeof what, "after batch %d (%d operations)", batch, ops);
		check_model(&m, what);
	}
	unlink(path);
}
END_TEST

int main(void)
{
	netns_require();
	Suite *s = suite_create("renames");
	TCase *tc = tcase_create("netns");

	tcase_set_timeout(tc, 240);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_one_link_many_renames, 0, 2);
	tcase_add_loop_test(tc, test_churn_against_model, 0, 2);
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
