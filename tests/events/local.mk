# SPDX-License-Identifier: MIT
# Change events and details: Linux, root, network namespaces; the API's
# edges on the fake backend everywhere.
EXTRA_DIST += tests/events/evmodel.h
if OS_LINUX
check_PROGRAMS += tests/events/test_events
TESTS += tests/events/test_events
tests_events_test_events_SOURCES = tests/events/test_events.c
tests_events_test_events_CFLAGS = $(TEST_CFLAGS)
tests_events_test_events_LDADD = $(TEST_LIBS) -lpthread
endif
if OS_LINUX
check_PROGRAMS += tests/events/test_watch
TESTS += tests/events/test_watch
tests_events_test_watch_SOURCES = tests/events/test_watch.c
tests_events_test_watch_CFLAGS = $(TEST_CFLAGS)
tests_events_test_watch_LDADD = $(TEST_LIBS)
endif
EXTRA_DIST += tests/events/test_details.sh tests/events/compare_details.py
if OS_LINUX
TESTS += tests/events/test_details.sh
endif
if OS_LINUX
check_PROGRAMS += tests/events/test_details_api
TESTS += tests/events/test_details_api
tests_events_test_details_api_SOURCES = tests/events/test_details_api.c
tests_events_test_details_api_CFLAGS = $(TEST_CFLAGS)
tests_events_test_details_api_LDADD = $(TEST_LIBS)
endif

if OS_LINUX
check_PROGRAMS += tests/events/test_details_cache
TESTS += tests/events/test_details_cache
tests_events_test_details_cache_SOURCES = tests/events/test_details_cache.c
tests_events_test_details_cache_CFLAGS = $(TEST_CFLAGS)
tests_events_test_details_cache_LDADD = $(TEST_LIBS)
endif

# Fuzz targets: the details parsers, and a subscription's view against a model.
EXTRA_DIST += tests/fuzz/fuzz_nl_details.c tests/fuzz/fuzz_ev_view.c
if HAVE_LIBFUZZER
if OS_LINUX
check_DATA += tests/fuzz/fuzz_nl_details tests/fuzz/fuzz_ev_view
CLEANFILES += tests/fuzz/fuzz_nl_details tests/fuzz/fuzz_ev_view
FUZZ_NL_DETAILS_SRC = $(srcdir)/tests/fuzz/fuzz_nl_details.c $(srcdir)/plugins/netlink/nl_parse.c \
	$(srcdir)/plugins/netlink/nl_parse_details.c
tests/fuzz/fuzz_nl_details: $(FUZZ_NL_DETAILS_SRC) $(srcdir)/plugins/netlink/nl.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -o $@ $(FUZZ_NL_DETAILS_SRC)
tests/fuzz/fuzz_ev_view: $(srcdir)/tests/fuzz/fuzz_ev_view.c $(srcdir)/core/events_view.c $(srcdir)/core/events.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -I$(srcdir)/core -o $@ \
		$(srcdir)/tests/fuzz/fuzz_ev_view.c $(srcdir)/core/events_view.c
endif
endif
check_PROGRAMS += tests/events/test_details_plan9
TESTS += tests/events/test_details_plan9
tests_events_test_details_plan9_SOURCES = tests/events/test_details_plan9.c
tests_events_test_details_plan9_CFLAGS = $(TEST_CFLAGS)
tests_events_test_details_plan9_LDADD = $(TEST_LIBS)
