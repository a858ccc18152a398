# SPDX-License-Identifier: MIT
# Reliability: renames, fork from busy threads, threads with resets (also
# under ThreadSanitizer), dumps that fail half way, and the sweep of
# allocation failures.  Linux, root, network namespaces.
EXTRA_DIST += tests/reliability/test_alloc_sweep.sh
if OS_LINUX
check_PROGRAMS += tests/reliability/test_renames tests/reliability/test_fork \
	tests/reliability/test_threads tests/reliability/test_dumps tests/reliability/alloc_driver
TESTS += tests/reliability/test_renames \
	tests/reliability/test_threads tests/reliability/test_dumps tests/reliability/test_alloc_sweep.sh
# gcc 12's AddressSanitizer allocator is not fork-safe (a child forked while
# another thread is inside malloc hangs in libasan, google/sanitizers#1814):
# the fork test runs in the plain build only.
if !SANITIZERS
TESTS += tests/reliability/test_fork
endif
tests_reliability_test_renames_SOURCES = tests/reliability/test_renames.c
tests_reliability_test_renames_CFLAGS = $(TEST_CFLAGS)
tests_reliability_test_renames_LDADD = $(TEST_LIBS) -ldl
tests_reliability_test_fork_SOURCES = tests/reliability/test_fork.c
tests_reliability_test_fork_CFLAGS = $(TEST_CFLAGS)
tests_reliability_test_fork_LDADD = $(TEST_LIBS) -lpthread
tests_reliability_test_threads_SOURCES = tests/reliability/test_threads.c
tests_reliability_test_threads_CFLAGS = $(TEST_CFLAGS)
tests_reliability_test_threads_LDADD = $(TEST_LIBS) -ldl -lpthread
tests_reliability_test_dumps_SOURCES = tests/reliability/test_dumps.c
tests_reliability_test_dumps_CFLAGS = $(TEST_CFLAGS)
tests_reliability_test_dumps_LDADD = $(TEST_LIBS) -ldl -lpthread
tests_reliability_alloc_driver_SOURCES = tests/reliability/alloc_driver.c
tests_reliability_alloc_driver_LDADD = core/libifplex.la -ldl

# The interposer wraps the allocator: never built with a sanitizer itself.
check_LTLIBRARIES += tests/reliability/libfailalloc.la
tests_reliability_libfailalloc_la_SOURCES = tests/reliability/failalloc.c
tests_reliability_libfailalloc_la_CFLAGS = -std=gnu11 $(WARN_CFLAGS) -Wno-missing-prototypes
tests_reliability_libfailalloc_la_LDFLAGS = -module -avoid-version -shared -no-undefined \
	-rpath $(abs_builddir)/tests/reliability
tests_reliability_libfailalloc_la_LIBADD = -ldl
endif
