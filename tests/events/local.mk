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
