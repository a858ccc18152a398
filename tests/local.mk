# SPDX-License-Identifier: MIT
# Test plugins: the fake backend and one broken plugin per loader error.
TEST_PLUGINS_LINK = -module -avoid-version -shared -rpath $(abs_builddir)/tests/fake -no-undefined \
	$(LINK_ZDEFS)
check_LTLIBRARIES += tests/fake/ifplex-fake.la tests/fake/ifplex-badabi.la \
	tests/fake/ifplex-short.la tests/fake/ifplex-noentry.la tests/fake/ifplex-null.la \
	tests/fake/ifplex-misnamed.la
tests_fake_ifplex_fake_la_SOURCES = tests/fake/fake.c tests/fake/fake.h
tests_fake_ifplex_fake_la_CFLAGS = $(PLUGINS_CFLAGS)
tests_fake_ifplex_fake_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
# The same with conversations; as built before the optional slots (struct
# of IFPLEX_BACKEND_SIZE_MIN bytes); as built against a newer header.
if OS_WINDOWS
# winpthreads linked in: the DLLs need no libwinpthread-1.dll beside them.
FAKE_CONN_LIBS = $(WIN_STATIC_PTHREAD)
else
FAKE_CONN_LIBS = -lpthread
endif
check_LTLIBRARIES += tests/fake/ifplex-fakeconn.la tests/fake/ifplex-fakeold.la \
	tests/fake/ifplex-fakenew.la
FAKE_CONN_SOURCES = tests/fake/fake.c tests/fake/fake.h tests/fake/fake_conn.c
tests_fake_ifplex_fakeconn_la_SOURCES = $(FAKE_CONN_SOURCES)
tests_fake_ifplex_fakeconn_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_CONNS -DFAKE_NAME='"fakeconn"'
tests_fake_ifplex_fakeconn_la_CFLAGS = $(PLUGINS_CFLAGS)
tests_fake_ifplex_fakeconn_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_ifplex_fakeconn_la_LIBADD = $(FAKE_CONN_LIBS)
tests_fake_ifplex_fakeold_la_SOURCES = $(FAKE_CONN_SOURCES)
tests_fake_ifplex_fakeold_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_CONNS -DFAKE_NAME='"fakeold"' \
	-DFAKE_SIZE=IFPLEX_BACKEND_SIZE_MIN
tests_fake_ifplex_fakeold_la_CFLAGS = $(PLUGINS_CFLAGS)
tests_fake_ifplex_fakeold_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_ifplex_fakeold_la_LIBADD = $(FAKE_CONN_LIBS)
tests_fake_ifplex_fakenew_la_SOURCES = $(FAKE_CONN_SOURCES)
tests_fake_ifplex_fakenew_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAKE_CONNS -DFAKE_NAME='"fakenew"' \
	-DFAKE_SIZE='(sizeof(struct ifplex_backend) + 2 * sizeof(void *))'
tests_fake_ifplex_fakenew_la_CFLAGS = $(PLUGINS_CFLAGS)
tests_fake_ifplex_fakenew_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_ifplex_fakenew_la_LIBADD = $(FAKE_CONN_LIBS)
tests_fake_ifplex_badabi_la_SOURCES = tests/fake/broken.c
tests_fake_ifplex_badabi_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_ABI
tests_fake_ifplex_badabi_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_ifplex_short_la_SOURCES = tests/fake/broken.c
tests_fake_ifplex_short_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_SHORT
tests_fake_ifplex_short_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_ifplex_noentry_la_SOURCES = tests/fake/broken.c
tests_fake_ifplex_noentry_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_NOENTRY
tests_fake_ifplex_noentry_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_ifplex_null_la_SOURCES = tests/fake/broken.c
tests_fake_ifplex_null_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_NULL
tests_fake_ifplex_null_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_ifplex_misnamed_la_SOURCES = tests/fake/broken.c
tests_fake_ifplex_misnamed_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_NAME
tests_fake_ifplex_misnamed_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)

check_LTLIBRARIES += tests/fake/ifplex-empty.la tests/fake/ifplex-liar.la
tests_fake_ifplex_empty_la_SOURCES = tests/fake/broken.c
tests_fake_ifplex_empty_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_EMPTY
tests_fake_ifplex_empty_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_ifplex_liar_la_SOURCES = tests/fake/liar.c
tests_fake_ifplex_liar_la_CFLAGS = $(PLUGINS_CFLAGS)
tests_fake_ifplex_liar_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
# Plugins that crash while loading, in a directory of their own: only
# what probes in a child process may look at them.
check_LTLIBRARIES += tests/fake/crash/ifplex-crashctor.la tests/fake/crash/ifplex-crashentry.la
tests_fake_crash_ifplex_crashctor_la_SOURCES = tests/fake/broken.c
tests_fake_crash_ifplex_crashctor_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_CTOR
tests_fake_crash_ifplex_crashctor_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)
tests_fake_crash_ifplex_crashentry_la_SOURCES = tests/fake/broken.c
tests_fake_crash_ifplex_crashentry_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_ENTRY
tests_fake_crash_ifplex_crashentry_la_LDFLAGS = $(AM_LDFLAGS) $(TEST_PLUGINS_LINK)

# A file with a plugin's name that is not a shared object at all.
check_DATA += tests/fake/notelf/ifplex-notelf.so
tests/fake/notelf/ifplex-notelf.so:
	$(AM_V_GEN)$(MKDIR_P) tests/fake/notelf && echo 'this is not a shared object' > $@
CLEANFILES += tests/fake/notelf/ifplex-notelf.so

# The tests of the POSIX build; a Windows build has its own (tests/win32/)
# and shares only the plugins above.
if !OS_WINDOWS
TEST_LIBS = core/libifplex.la $(CHECK_LIBS)
# Whether this build has the sanitizers, for tests that expect their reports.
if SANITIZERS
TEST_SANITIZED = yes
else
TEST_SANITIZED = no
endif
TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -I$(top_srcdir)/tests

AM_TESTS_ENVIRONMENT = \
	IFPLEX_TEST_FAKE_DIR='$(abs_top_builddir)/tests/fake/.libs'; \
	IFPLEX_TEST_NOTELF_DIR='$(abs_top_builddir)/tests/fake/notelf'; \
	IFPLEX_TEST_CRASH_DIR='$(abs_top_builddir)/tests/fake/crash/.libs'; \
	IFPLEX_TEST_SANITIZED='$(TEST_SANITIZED)'; \
	IFPLEX_TEST_PLUGINS='$(abs_top_builddir)/plugins/netlink/.libs'; \
	IFPLEX_TOOL='$(abs_top_builddir)/tools/ifplex'; \
	IFPLEX_TEST_SRCDIR='$(abs_top_srcdir)/tests'; \
	IFPLEX_TEST_BUILDDIR='$(abs_top_builddir)'; \
	IFPLEX_PLUGIN_PATH="$$IFPLEX_TEST_PLUGINS:$(abs_top_builddir)/plugins/plan9/.libs:$(abs_top_builddir)/plugins/routesock/.libs:$$IFPLEX_TEST_FAKE_DIR"; \
	CK_DEFAULT_TIMEOUT=60; \
	export IFPLEX_TEST_FAKE_DIR IFPLEX_TEST_NOTELF_DIR IFPLEX_TEST_CRASH_DIR IFPLEX_TEST_SANITIZED \
		IFPLEX_TEST_PLUGINS IFPLEX_TOOL \
		IFPLEX_TEST_SRCDIR IFPLEX_TEST_BUILDDIR IFPLEX_PLUGIN_PATH CK_DEFAULT_TIMEOUT; \
	unset IFPLEX_BACKEND IFPLEX_CACHE IFPLEX_DEBUG IFPLEX_TEST_LIAR;

EXTRA_DIST += tests/helpers.h

# The exported symbols of the library and the plugins, against lists.
TESTS += tests/core/test_exports.sh
EXTRA_DIST += tests/core/test_exports.sh tests/core/exports/libifplex.txt \
	tests/core/exports/plugin.txt

check_PROGRAMS += tests/core/test_ip tests/core/test_hostport tests/core/test_loader \
	tests/core/test_api tests/core/test_tool tests/core/test_errors
TESTS += tests/core/test_ip tests/core/test_hostport tests/core/test_loader \
	tests/core/test_api tests/core/test_tool tests/core/test_errors
tests_core_test_ip_SOURCES = tests/core/test_ip.c
tests_core_test_ip_CFLAGS = $(TEST_CFLAGS)
tests_core_test_ip_LDADD = $(TEST_LIBS)
tests_core_test_hostport_SOURCES = tests/core/test_hostport.c
tests_core_test_hostport_CFLAGS = $(TEST_CFLAGS)
tests_core_test_hostport_LDADD = $(TEST_LIBS)
tests_core_test_loader_SOURCES = tests/core/test_loader.c
tests_core_test_loader_CFLAGS = $(TEST_CFLAGS)
tests_core_test_loader_LDADD = $(TEST_LIBS)
tests_core_test_api_SOURCES = tests/core/test_api.c
tests_core_test_api_CFLAGS = $(TEST_CFLAGS)
tests_core_test_api_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/core/test_opts tests/core/test_trust tests/core/test_growth \
	tests/core/test_malicious tests/core/test_close tests/core/close_driver \
	tests/core/test_fork tests/core/test_secure tests/core/secure_probe
TESTS += tests/core/test_opts tests/core/test_trust tests/core/test_growth \
	tests/core/test_malicious tests/core/test_close tests/core/test_fork tests/core/test_secure
tests_core_test_secure_SOURCES = tests/core/test_secure.c
tests_core_test_secure_CFLAGS = $(TEST_CFLAGS)
tests_core_test_secure_LDADD = $(TEST_LIBS)
tests_core_secure_probe_SOURCES = tests/core/secure_probe.c
tests_core_secure_probe_LDADD = core/libifplex.la
tests_core_secure_probe_LDFLAGS = $(AM_LDFLAGS) -no-install
tests_core_test_fork_SOURCES = tests/core/test_fork.c
tests_core_test_fork_CFLAGS = $(TEST_CFLAGS)
tests_core_test_fork_LDADD = $(TEST_LIBS) -lpthread
tests_core_test_close_SOURCES = tests/core/test_close.c
tests_core_test_close_CFLAGS = $(TEST_CFLAGS)
tests_core_test_close_LDADD = $(TEST_LIBS) -ldl -lpthread
tests_core_close_driver_SOURCES = tests/core/close_driver.c
tests_core_close_driver_LDADD = core/libifplex.la
tests_core_close_driver_LDFLAGS = $(AM_LDFLAGS) -no-install
tests_core_test_malicious_SOURCES = tests/core/test_malicious.c tests/fake/liar_calls.h
tests_core_test_malicious_CFLAGS = $(TEST_CFLAGS)
tests_core_test_malicious_LDADD = $(TEST_LIBS)
tests_core_test_growth_SOURCES = tests/core/test_growth.c
tests_core_test_growth_CFLAGS = $(TEST_CFLAGS)
tests_core_test_growth_LDADD = $(TEST_LIBS)
if OS_LINUX
# Transient failures: an allocation-failure interposer (LD_PRELOAD) and
# the program it runs (linked without libtool's wrapper script).
check_LTLIBRARIES += tests/fake/failalloc.la
tests_fake_failalloc_la_SOURCES = tests/fake/failalloc.c
# Never instrumented: it serves allocations before the sanitizer runtime
# has started.
tests_fake_failalloc_la_CFLAGS = -std=gnu11 $(WARN_CFLAGS) -fvisibility=hidden
tests_fake_failalloc_la_LDFLAGS = $(TEST_PLUGINS_LINK)
check_PROGRAMS += tests/core/alloc_driver tests/core/test_transient
TESTS += tests/core/test_transient
tests_core_alloc_driver_SOURCES = tests/core/alloc_driver.c tests/core/list_once.h
tests_core_alloc_driver_LDADD = core/libifplex.la
tests_core_alloc_driver_LDFLAGS = $(AM_LDFLAGS) -no-install
tests_core_test_transient_SOURCES = tests/core/test_transient.c tests/core/list_once.h
tests_core_test_transient_CFLAGS = $(TEST_CFLAGS)
tests_core_test_transient_LDADD = $(TEST_LIBS)
endif
tests_core_test_trust_SOURCES = tests/core/test_trust.c
tests_core_test_trust_CFLAGS = $(TEST_CFLAGS)
tests_core_test_trust_LDADD = $(TEST_LIBS)
tests_core_test_opts_SOURCES = tests/core/test_opts.c
tests_core_test_opts_CFLAGS = $(TEST_CFLAGS)
tests_core_test_opts_LDADD = $(TEST_LIBS)
tests_core_test_tool_SOURCES = tests/core/test_tool.c
tests_core_test_tool_CFLAGS = $(TEST_CFLAGS)
tests_core_test_tool_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/core/test_snapshot
TESTS += tests/core/test_snapshot
tests_core_test_snapshot_SOURCES = tests/core/test_snapshot.c
tests_core_test_snapshot_CFLAGS = $(TEST_CFLAGS)
tests_core_test_snapshot_LDADD = $(TEST_LIBS)
tests_core_test_errors_SOURCES = tests/core/test_errors.c
tests_core_test_errors_CFLAGS = $(TEST_CFLAGS)
tests_core_test_errors_LDADD = $(TEST_LIBS)

EXTRA_DIST += tests/netns.h tests/netlink/compare_ip.py tests/netlink/fixtures tests/netlink/reference.h tests/netlink/churn.h tests/netlink/forkcheck.h tests/netlink/nlmsg.h
if OS_LINUX
check_PROGRAMS += tests/netlink/test_netlink
TESTS += tests/netlink/test_netlink
tests_netlink_test_netlink_SOURCES = tests/netlink/test_netlink.c
tests_netlink_test_netlink_CFLAGS = $(TEST_CFLAGS)
tests_netlink_test_netlink_LDADD = $(TEST_LIBS)
endif
if OS_LINUX
# Which socket layer the suite runs on (test_datagrams_as_posix).
if PORTABLE_SOCKETS
SOCK_LAYER_CFLAGS = -DTEST_PORTABLE_SOCKETS
else
SOCK_LAYER_CFLAGS =
endif
check_PROGRAMS += tests/sockets/test_sockets_netlink
TESTS += tests/sockets/test_sockets_netlink
tests_sockets_test_sockets_netlink_SOURCES = tests/sockets/test_sockets.c
tests_sockets_test_sockets_netlink_CFLAGS = $(TEST_CFLAGS) $(SOCK_LAYER_CFLAGS) -DTEST_BACKEND='"netlink"'
tests_sockets_test_sockets_netlink_LDADD = $(TEST_LIBS) -lpthread
# The same suite through routesock: interfaces replayed, real sockets.
check_PROGRAMS += tests/sockets/test_sockets_routesock
TESTS += tests/sockets/test_sockets_routesock
tests_sockets_test_sockets_routesock_SOURCES = tests/sockets/test_sockets.c
tests_sockets_test_sockets_routesock_CFLAGS = $(TEST_CFLAGS) $(SOCK_LAYER_CFLAGS) -DTEST_BACKEND='"routesock"'
tests_sockets_test_sockets_routesock_LDADD = $(TEST_LIBS) -lpthread
endif
if OS_LINUX
check_PROGRAMS += tests/netlink/test_lookup
TESTS += tests/netlink/test_lookup
tests_netlink_test_lookup_SOURCES = tests/netlink/test_lookup.c
tests_netlink_test_lookup_CFLAGS = $(TEST_CFLAGS)
tests_netlink_test_lookup_LDADD = $(TEST_LIBS) -lpthread
endif

# Fuzz targets: built with clang and libFuzzer, run for a bounded time.
EXTRA_DIST += tests/fuzz/fuzz_nl_parse.c tests/fuzz/fuzz_nl_table.c tests/fuzz/run_fuzz.sh
TESTS += tests/fuzz/run_fuzz.sh
if HAVE_LIBFUZZER
if OS_LINUX
check_DATA += tests/fuzz/fuzz_nl_parse
CLEANFILES += tests/fuzz/fuzz_nl_parse
tests/fuzz/fuzz_nl_parse: $(srcdir)/tests/fuzz/fuzz_nl_parse.c $(srcdir)/plugins/netlink/nl_parse.c $(srcdir)/plugins/netlink/nl.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -o $@ $(srcdir)/tests/fuzz/fuzz_nl_parse.c $(srcdir)/plugins/netlink/nl_parse.c
# The cache's tables against a model: links, renames, addresses, orders.
check_DATA += tests/fuzz/fuzz_nl_table
CLEANFILES += tests/fuzz/fuzz_nl_table
tests/fuzz/fuzz_nl_table: $(srcdir)/tests/fuzz/fuzz_nl_table.c $(srcdir)/tests/netlink/nlmsg.h $(srcdir)/plugins/netlink/cache_table.c $(srcdir)/plugins/netlink/cache_mem.c $(srcdir)/plugins/netlink/nl_parse.c $(srcdir)/plugins/netlink/nl.h $(srcdir)/plugins/netlink/cache.h \
	$(srcdir)/plugins/netlink/cache_details.c $(srcdir)/plugins/netlink/nl_parse_details.c
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -o $@ $(srcdir)/tests/fuzz/fuzz_nl_table.c $(srcdir)/plugins/netlink/cache_table.c \
		$(srcdir)/plugins/netlink/cache_mem.c $(srcdir)/plugins/netlink/nl_parse.c \
		$(srcdir)/plugins/netlink/cache_details.c $(srcdir)/plugins/netlink/nl_parse_details.c
endif
endif
if OS_LINUX
check_PROGRAMS += tests/core/test_os_values tests/core/test_hostile
TESTS += tests/core/test_os_values tests/core/test_hostile
tests_core_test_os_values_SOURCES = tests/core/test_os_values.c
tests_core_test_os_values_CFLAGS = $(TEST_CFLAGS)
tests_core_test_os_values_LDADD = $(TEST_LIBS)
tests_core_test_hostile_SOURCES = tests/core/test_hostile.c
tests_core_test_hostile_CFLAGS = $(TEST_CFLAGS)
tests_core_test_hostile_LDADD = $(TEST_LIBS)
check_PROGRAMS += tests/netlink/test_nl_parse
TESTS += tests/netlink/test_nl_parse
# The parser itself, on crafted messages (link types this machine lacks).
tests_netlink_test_nl_parse_SOURCES = tests/netlink/test_nl_parse.c plugins/netlink/nl_parse.c
tests_netlink_test_nl_parse_CFLAGS = $(TEST_CFLAGS)
tests_netlink_test_nl_parse_LDADD = $(TEST_LIBS)
endif
if OS_LINUX
check_PROGRAMS += tests/netlink/test_cache
TESTS += tests/netlink/test_cache
tests_netlink_test_cache_SOURCES = tests/netlink/test_cache.c
tests_netlink_test_cache_CFLAGS = $(TEST_CFLAGS)
tests_netlink_test_cache_LDADD = $(TEST_LIBS) -ldl -lpthread
check_PROGRAMS += tests/netlink/test_snapshot
TESTS += tests/netlink/test_snapshot
tests_netlink_test_snapshot_SOURCES = tests/netlink/test_snapshot.c
tests_netlink_test_snapshot_CFLAGS = $(TEST_CFLAGS)
tests_netlink_test_snapshot_LDADD = $(TEST_LIBS) -ldl -lpthread
endif

# The benchmark's entry point, in its smallest form.
EXTRA_DIST += tests/bench/test_bench_smoke.sh
TESTS += tests/bench/test_bench_smoke.sh

# The loader's readers of outside text: search path, names, options, paths.
EXTRA_DIST += tests/fuzz/fuzz_loader.c
if HAVE_LIBFUZZER
check_DATA += tests/fuzz/fuzz_loader
CLEANFILES += tests/fuzz/fuzz_loader
FUZZ_LOADER_CORE = core/loader.c core/os_posix.c core/trust_posix.c core/error.c core/opts.c core/os_posix_db.c
tests/fuzz/fuzz_loader: $(srcdir)/tests/fuzz/fuzz_loader.c $(FUZZ_LOADER_CORE:%=$(srcdir)/%) $(srcdir)/core/internal.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -I$(srcdir)/core -DIFPLEX_PLUGINDIR='"/nonexistent/plugins"' -o $@ \
		$(srcdir)/tests/fuzz/fuzz_loader.c $(FUZZ_LOADER_CORE:%=$(srcdir)/%) -ldl -lpthread
endif
# Plan 9: fixture trees of /net, written by mkfixtures.py and kept in sync.
EXTRA_DIST += tests/plan9/fixtures tests/plan9/mkfixtures.py tests/plan9/test_fixtures_sync.sh \
	tests/fuzz/fuzz_p9_parse.c tests/fuzz/seeds
check_PROGRAMS += tests/plan9/test_plan9
TESTS += tests/plan9/test_plan9 tests/plan9/test_fixtures_sync.sh
tests_plan9_test_plan9_SOURCES = tests/plan9/test_plan9.c
tests_plan9_test_plan9_CFLAGS = $(TEST_CFLAGS)
tests_plan9_test_plan9_LDADD = $(TEST_LIBS)
if HAVE_LIBFUZZER
check_DATA += tests/fuzz/fuzz_p9_parse
CLEANFILES += tests/fuzz/fuzz_p9_parse
# The parsers with the plugin's IP helpers; the target's own host struct
# parses IP text, so no core source is compiled in.
FUZZ_P9_SRC = $(srcdir)/tests/fuzz/fuzz_p9_parse.c $(srcdir)/plugins/plan9/p9_parse.c \
	$(srcdir)/plugins/plan9/p9_ip.c $(srcdir)/plugins/common/hex.c
tests/fuzz/fuzz_p9_parse: $(FUZZ_P9_SRC) $(srcdir)/plugins/plan9/p9.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -o $@ $(FUZZ_P9_SRC)
endif
# The value layer's public parsers, built from the core's sources without a
# backend (nothing is ever resolved).
EXTRA_DIST += tests/fuzz/fuzz_values.c
if HAVE_LIBFUZZER
check_DATA += tests/fuzz/fuzz_values
CLEANFILES += tests/fuzz/fuzz_values
tests/fuzz/fuzz_values: $(srcdir)/tests/fuzz/fuzz_values.c $(core_libifplex_la_SOURCES:%=$(srcdir)/%)
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -I$(srcdir)/core -DIFPLEX_PLUGINDIR='"/nonexistent"' -o $@ \
		$(srcdir)/tests/fuzz/fuzz_values.c $(filter %.c,$(core_libifplex_la_SOURCES:%=$(srcdir)/%)) -ldl -lpthread
endif
EXTRA_DIST += tests/fuzz/fuzz_rs_parse.c
if HAVE_LIBFUZZER
check_DATA += tests/fuzz/fuzz_rs_parse
CLEANFILES += tests/fuzz/fuzz_rs_parse
FUZZ_RS_SRC = $(srcdir)/plugins/routesock/rs_parse.c $(srcdir)/plugins/routesock/rs_layout.c \
	$(srcdir)/plugins/routesock/rs_rib.c $(srcdir)/plugins/routesock/rs_stream.c
tests/fuzz/fuzz_rs_parse: $(srcdir)/tests/fuzz/fuzz_rs_parse.c $(FUZZ_RS_SRC) $(srcdir)/plugins/routesock/rs.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -o $@ $(srcdir)/tests/fuzz/fuzz_rs_parse.c \
		$(FUZZ_RS_SRC)
endif
if HAVE_FUSE
check_PROGRAMS += tests/plan9/p9emu tests/plan9/test_plan9_conn
TESTS += tests/plan9/test_plan9_conn
tests_plan9_p9emu_SOURCES = tests/plan9/p9emu.h tests/plan9/p9emu.c tests/plan9/p9emu_conv.c \
	tests/plan9/p9emu_ndb.c
tests_plan9_p9emu_CFLAGS = $(AM_CFLAGS) $(FUSE_CFLAGS) -Wno-missing-prototypes
tests_plan9_p9emu_LDADD = $(FUSE_LIBS) -lpthread
tests_plan9_test_plan9_conn_SOURCES = tests/plan9/test_plan9_conn.c
tests_plan9_test_plan9_conn_CFLAGS = $(TEST_CFLAGS)
tests_plan9_test_plan9_conn_LDADD = $(TEST_LIBS) -lpthread
else
EXTRA_DIST += tests/plan9/p9emu.h tests/plan9/p9emu.c tests/plan9/p9emu_conv.c \
	tests/plan9/p9emu_ndb.c tests/plan9/test_plan9_conn.c
endif

# Go's own net test tables with Go's answers (tests/go/gen writes them).
# Named one by one: the build directory has a tests/go of its own (objects,
# logs), and a directory in EXTRA_DIST is copied from there when it exists.
EXTRA_DIST += tests/go/regen.sh tests/go/gen/main.go \
	tests/go/cidr_mask.tsv \
	tests/go/default_mask.tsv \
	tests/go/equal.tsv \
	tests/go/family.tsv \
	tests/go/ip_mask.tsv \
	tests/go/ip_string.tsv \
	tests/go/ipnet_contains.tsv \
	tests/go/ipnet_string.tsv \
	tests/go/join_host_port.tsv \
	tests/go/lookup_port.tsv \
	tests/go/mask_string.tsv \
	tests/go/parse_cidr.tsv \
	tests/go/parse_ip.tsv \
	tests/go/parse_mac.tsv \
	tests/go/resolve.tsv \
	tests/go/scope.tsv \
	tests/go/split_host_port.tsv
check_PROGRAMS += tests/go/test_go_tables
TESTS += tests/go/test_go_tables
tests_go_test_go_tables_SOURCES = tests/go/test_go_tables.c
tests_go_test_go_tables_CFLAGS = $(TEST_CFLAGS)
tests_go_test_go_tables_LDADD = $(TEST_LIBS)
# routesock: dumps of every system's layout from ribgen.py, replayed.
EXTRA_DIST += tests/routesock/ribgen.py
check_PROGRAMS += tests/routesock/test_rs_vectors tests/routesock/test_routesock \
	tests/routesock/test_rs_details tests/routesock/test_rs_events
TESTS += tests/routesock/test_rs_vectors tests/routesock/test_routesock \
	tests/routesock/test_rs_details tests/routesock/test_rs_events
tests_routesock_test_rs_vectors_SOURCES = tests/routesock/test_rs_vectors.c \
	plugins/routesock/rs_parse.c plugins/routesock/rs_layout.c plugins/routesock/rs_rib.c \
	plugins/routesock/rs_stream.c
tests_routesock_test_rs_vectors_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/plugins/routesock
tests_routesock_test_rs_vectors_CFLAGS = $(TEST_CFLAGS)
tests_routesock_test_rs_vectors_LDADD = $(CHECK_LIBS)
tests_routesock_test_routesock_SOURCES = tests/routesock/test_routesock.c tests/routesock/flag_text.h
tests_routesock_test_routesock_CFLAGS = $(TEST_CFLAGS)
tests_routesock_test_routesock_LDADD = $(TEST_LIBS)
tests_routesock_test_rs_details_SOURCES = tests/routesock/test_rs_details.c tests/routesock/fixtures.h \
	tests/routesock/flag_text.h
tests_routesock_test_rs_details_CFLAGS = $(TEST_CFLAGS)
tests_routesock_test_rs_details_LDADD = $(TEST_LIBS)
tests_routesock_test_rs_events_SOURCES = tests/routesock/test_rs_events.c tests/routesock/fixtures.h \
	tests/routesock/flag_text.h
tests_routesock_test_rs_events_CFLAGS = $(TEST_CFLAGS)
tests_routesock_test_rs_events_LDADD = $(TEST_LIBS)
if HAVE_PYTHON3
check_DATA += tests/routesock/fixtures/index
tests/routesock/fixtures/index: $(srcdir)/tests/routesock/ribgen.py
	$(AM_V_GEN)$(PYTHON3) $(srcdir)/tests/routesock/ribgen.py fixtures tests/routesock/fixtures
endif
clean-local: clean-routesock-fixtures
clean-routesock-fixtures:
	-rm -rf tests/routesock/fixtures
.PHONY: clean-routesock-fixtures
include tests/reliability/local.mk
include tests/events/local.mk
include tests/xdp/local.mk
endif

include tests/win32/local.mk
