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
