/* SPDX-License-Identifier: MIT */
/* Closing connections: two threads closing one handle at once (one wins,
 * the other gets IFPLEX_ECLOSED, no memory error), Close waking a blocked
 * reader while two threads close, every handle closed exactly once; a double close
 * and a use after close, run by tests/core/close_driver under valgrind
 * (plain builds) or directly (sanitizer builds), are reported, not silent. */
#include "helpers.h"

#include <dlfcn.h>
#include <ifplex.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void setup(void)
{
	setenv("IFPLEX_PLUGIN_PATH", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"), 1);
	setenv("IFPLEX_BACKEND", "fakeconn", 1);
}

static long fact(const char *key)
{
	const char *v = ifplex_backend_describe(key);
	ck_assert_ptr_nonnull(v);
	return atol(v);
}

static long alive(void)
{
	return fact("conns");
}

static ifplex_conn *dial(void)
{
	ifplex_conn *c = NULL;
	ck_assert_msg(ifplex_dial("udp", "192.0.2.2:53", &c) == 0, "%s", ifplex_last_error());
	return c;
}

struct closer {
	ifplex_conn *c;
	pthread_barrier_t *go;
	int rc;
	char msg[256];
};

static void *close_it(void *arg)
{
	struct closer *k = arg;

	pthread_barrier_wait(k->go);
	int rc = ifplex_close(k->c);
	snprintf(k->msg, sizeof k->msg, "%s", rc ? ifplex_last_error() : "");
	__atomic_store_n(&k->rc, rc, __ATOMIC_RELEASE);
	return NULL;
}

/* The fake backend's gate for interrupts and backend closes, one of which
 * every close goes through. */
static void gate(int shut)
{
	static void (*fn)(int);
	char path[1200];

	if (!fn) {
		snprintf(path, sizeof path, "%s/ifplex-fakeconn.so", ifplex_test_env("IFPLEX_TEST_FAKE_DIR"));
		void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
		ck_assert_ptr_nonnull(h);
		*(void **)&fn = dlsym(h, "fake_gate_interrupts");
		ck_assert_ptr_nonnull(fn);
	}
	fn(shut);
}

/* Two threads close c at once; exactly one gets 0.  The winner is held in
 * its close until the loser has returned: the two calls surely overlap, as
 * the rule "the handle is gone once ifplex_close returns" wants of a race
 * (a close that begins after the other returned is a double close, which a
 * sanitizer build reports: test_double_close). */
static void race_two_closers(ifplex_conn *c)
{
	pthread_barrier_t go;
	struct closer k[2] = {{.c = c, .go = &go, .rc = 1}, {.c = c, .go = &go, .rc = 1}};
	pthread_t t[2];

	pthread_barrier_init(&go, NULL, 2);
	gate(1);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, close_it, &k[i]), 0);
	while (__atomic_load_n(&k[0].rc, __ATOMIC_ACQUIRE) == 1 &&
	       __atomic_load_n(&k[1].rc, __ATOMIC_ACQUIRE) == 1)
		usleep(20);
	gate(0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	ck_assert_msg((k[0].rc == 0 && k[1].rc == IFPLEX_ECLOSED) ||
		      (k[1].rc == 0 && k[0].rc == IFPLEX_ECLOSED), "close gave %d and %d", k[0].rc,
		      k[1].rc);
	const char *m = k[0].rc ? k[0].msg : k[1].msg;
	ck_assert_msg(strstr(m, "use of closed network connection") != NULL, "%s", m);
}

START_TEST(test_two_threads_close)
{
	for (int i = 0; i < 2000; i++)
		race_two_closers(dial());
	ck_assert_int_eq(alive(), 0);
}
END_TEST

static void *reader(void *arg)
{
	ifplex_conn *c = arg;
	char buf[16];
	size_t n;

	return (void *)(intptr_t)ifplex_read(c, buf, sizeof buf, &n);
}

START_TEST(test_close_wakes_reader_while_two_close)
{
	for (int i = 0; i < 200; i++) {
		ifplex_conn *c = dial();
		pthread_t r;
		void *rc;

		ck_assert_int_eq(pthread_create(&r, NULL, reader, c), 0);
		/* The reader must be inside its call before close may return:
		 * after that the handle is gone. */
		while (fact("waiting") == 0)
			usleep(50);
		race_two_closers(c);
		pthread_join(r, &rc);
		ck_assert_int_eq((int)(intptr_t)rc, IFPLEX_ECLOSED);
	}
	ck_assert_int_eq(alive(), 0);
}
END_TEST

START_TEST(test_each_handle_closed_once)
{
	ifplex_conn *c[64];

	for (int i = 0; i < 64; i++)
		c[i] = dial();
	ck_assert_int_eq(alive(), 64);
	for (int i = 0; i < 64; i += 2)
		ck_assert_int_eq(ifplex_close(c[i]), 0);
	ck_assert_int_eq(alive(), 32);
	for (int i = 1; i < 64; i += 2)
		ck_assert_int_eq(ifplex_close(c[i]), 0);
	ck_assert_int_eq(alive(), 0);
}
END_TEST

static int sanitized(void)
{
	const char *v = getenv("IFPLEX_TEST_SANITIZED");
	return v && strcmp(v, "yes") == 0;
}

/* Run the driver (under valgrind unless this is a sanitizer build); its
 * exit status, and its stderr in err. */
static int run_driver(const char *mode, char *err, size_t errlen)
{
	char cmd[2048], errp[] = "/tmp/ifplex-close-XXXXXX";
	int fd = mkstemp(errp);

	ck_assert_int_ge(fd, 0);
	snprintf(cmd, sizeof cmd, "%s '%s/tests/core/close_driver' %s 2>%s",
		 sanitized() ? "" : "valgrind -q --error-exitcode=9",
		 ifplex_test_env("IFPLEX_TEST_BUILDDIR"), mode, errp);
	int st = system(cmd);
	ssize_t n = read(fd, err, errlen - 1);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(errp);
	ck_assert(st != -1);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

START_TEST(test_double_close)
{
	char err[16384];
	int st = run_driver("double", err, sizeof err);

	if (sanitized()) {
		/* AddressSanitizer reports the second close as a use after free. */
		ck_assert_msg(st != 0 && strstr(err, "heap-use-after-free") != NULL &&
			      strstr(err, "ifplex_close") != NULL, "status %d: %.3000s", st, err);
	} else {
		/* Elsewhere it answers IFPLEX_ECLOSED without reading freed memory. */
		ck_assert_msg(st == 0 && err[0] == '\0', "status %d: %.3000s", st, err);
	}
}
END_TEST

START_TEST(test_use_after_close_reported)
{
	char err[16384];
	int st = run_driver("after", err, sizeof err);

	/* A read on a freed handle is reported by the tool watching. */
	if (sanitized())
		ck_assert_msg(st != 0 && strstr(err, "heap-use-after-free") != NULL, "status %d: %s",
			      st, err);
	else
		ck_assert_msg(st == 9 && strstr(err, "Invalid read") != NULL, "status %d: %.3000s", st, err);
}
END_TEST

int main(void)
{
#if !defined(__SANITIZE_THREAD__)
	if (!sanitized() && system("valgrind --version >/dev/null 2>&1") != 0) {
		printf("SKIP: test_close needs valgrind (or a sanitizer build)\n");
		return 77;
	}
#endif
	Suite *s = suite_create("close");
	TCase *tc = tcase_create("close");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_two_threads_close);
	tcase_add_test(tc, test_close_wakes_reader_while_two_close);
	tcase_add_test(tc, test_each_handle_closed_once);
#if !defined(__SANITIZE_THREAD__)
	/* ThreadSanitizer sees races, not uses after free, and valgrind cannot
	 * run its programs: the races above are what that build checks. */
	tcase_add_test(tc, test_double_close);
	tcase_add_test(tc, test_use_after_close_reported);
#endif
	suite_add_tcase(s, tc);
	return ifplex_test_run(s);
}
