# SPDX-License-Identifier: MIT
# The Windows build's tests: programs of our own that speak TAP (check is
# not built for mingw-w64), run under wine64 by tests/win32/wine-run.sh in
# a network namespace each, with a private wine prefix in the build tree.
EXTRA_DIST += tests/win32/tap.h tests/win32/wine-run.sh tests/win32/compare_wine.py \
	tests/win32/test_w32_tool.sh tests/win32/test_w32_dns.sh tests/win32/dns_stub.py \
	tests/win32/test_w32_trust.sh tests/win32/compare_details.py tests/win32/test_w32_details.sh \
	tests/win32/events_wine.py tests/win32/test_w32_events.sh tests/win32/wine_tap.py
if !OS_WINDOWS
# automake's own default, which the definition below would hide.
LOG_DRIVER = $(SHELL) $(top_srcdir)/build-aux/test-driver
endif
if OS_WINDOWS
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/win32/wine-run.sh
AM_TESTS_ENVIRONMENT = \
	WINE='$(WINE)'; WINESERVER='$(WINESERVER)'; \
	IFPLEX_TEST_BUILDDIR='$(abs_top_builddir)'; \
	IFPLEX_TEST_SRCDIR='$(abs_top_srcdir)/tests'; \
	IFPLEX_TOOL='$(abs_top_builddir)/tools/.libs/ifplex.exe'; \
	IFPLEX_PLUGIN_PATH='Z:$(abs_top_builddir)/plugins/win32/.libs'; \
	IFPLEX_TEST_FAKE_DIR='Z:$(abs_top_builddir)/tests/fake/.libs'; \
	IFPLEX_TEST_NOTDLL_DIR='Z:$(abs_top_builddir)/tests/fake/notdll'; \
	IFPLEX_TEST_CRASH_DIR='Z:$(abs_top_builddir)/tests/fake/crash/.libs'; \
	IFPLEX_TEST_TOOL_EXE='Z:$(abs_top_builddir)/tools/.libs/ifplex.exe'; \
	export WINE WINESERVER IFPLEX_TEST_BUILDDIR IFPLEX_TEST_SRCDIR IFPLEX_TOOL \
		IFPLEX_PLUGIN_PATH IFPLEX_TEST_FAKE_DIR IFPLEX_TEST_NOTDLL_DIR IFPLEX_TEST_CRASH_DIR \
		IFPLEX_TEST_TOOL_EXE; \
	unset IFPLEX_BACKEND IFPLEX_CACHE IFPLEX_DEBUG;

W32_TEST_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/tests
W32_TEST_LIBS = core/libifplex.la
check_PROGRAMS += tests/win32/test_w32_ifaces tests/win32/test_w32_sockets \
	tests/win32/test_w32_lookup tests/win32/test_w32_loader tests/win32/test_w32_dns \
	tests/win32/test_w32_answer
TESTS += tests/win32/test_w32_ifaces$(EXEEXT) tests/win32/test_w32_sockets$(EXEEXT) \
	tests/win32/test_w32_lookup$(EXEEXT) tests/win32/test_w32_loader$(EXEEXT) \
	tests/win32/test_w32_answer$(EXEEXT) \
	tests/win32/test_w32_tool.sh tests/win32/test_w32_dns.sh
# Details and change events: ifplex.exe show and a program of the API's,
# against what ip says and does on the Linux side of the namespace.
check_PROGRAMS += tests/win32/test_w32_events tests/win32/test_w32_diff
TESTS += tests/win32/test_w32_details.sh tests/win32/test_w32_events.sh \
	tests/win32/test_w32_diff$(EXEEXT)
tests_win32_test_w32_diff_SOURCES = tests/win32/test_w32_diff.c plugins/win32/w32_diff.c
tests_win32_test_w32_diff_CFLAGS = $(W32_TEST_CFLAGS)
tests_win32_test_w32_diff_LDADD = $(W32_TEST_LIBS)
tests_win32_test_w32_events_SOURCES = tests/win32/test_w32_events.c
tests_win32_test_w32_events_CFLAGS = $(W32_TEST_CFLAGS)
tests_win32_test_w32_events_LDADD = $(W32_TEST_LIBS)
tests_win32_test_w32_ifaces_SOURCES = tests/win32/test_w32_ifaces.c
tests_win32_test_w32_ifaces_CFLAGS = $(W32_TEST_CFLAGS)
tests_win32_test_w32_ifaces_LDADD = $(W32_TEST_LIBS)
tests_win32_test_w32_sockets_SOURCES = tests/win32/test_w32_sockets.c
tests_win32_test_w32_sockets_CFLAGS = $(W32_TEST_CFLAGS)
tests_win32_test_w32_sockets_LDADD = $(W32_TEST_LIBS) $(WIN_STATIC_PTHREAD)
tests_win32_test_w32_lookup_SOURCES = tests/win32/test_w32_lookup.c
tests_win32_test_w32_lookup_CFLAGS = $(W32_TEST_CFLAGS)
tests_win32_test_w32_lookup_LDADD = $(W32_TEST_LIBS)
tests_win32_test_w32_dns_SOURCES = tests/win32/test_w32_dns.c
tests_win32_test_w32_dns_CFLAGS = $(W32_TEST_CFLAGS)
tests_win32_test_w32_dns_LDADD = $(W32_TEST_LIBS) -ldnsapi
# The plugin's reading of DnsQuery_W answers, compiled in with the plugin's
# text helpers; the test lends it a host of its own.
tests_win32_test_w32_answer_SOURCES = tests/win32/test_w32_answer.c plugins/win32/w32_answer.c \
	plugins/win32/w32_text.c
tests_win32_test_w32_answer_CFLAGS = $(W32_TEST_CFLAGS)
tests_win32_test_w32_answer_LDADD = plugins/common/libifplex-common.la $(W32_TEST_LIBS) -ldnsapi
tests_win32_test_w32_loader_SOURCES = tests/win32/test_w32_loader.c tests/fake/liar_calls.h
tests_win32_test_w32_loader_CFLAGS = $(W32_TEST_CFLAGS)
tests_win32_test_w32_loader_LDADD = $(W32_TEST_LIBS)
# The trust rules: core/trust_win32.c compiled in for its security
# descriptor check, and the public loader on files test_w32_trust.sh lays out.
check_PROGRAMS += tests/win32/test_w32_trust
TESTS += tests/win32/test_w32_trust.sh
tests_win32_test_w32_trust_SOURCES = tests/win32/test_w32_trust.c core/trust_win32.c core/os_win32.c
tests_win32_test_w32_trust_CFLAGS = $(W32_TEST_CFLAGS) -I$(top_srcdir)/core
tests_win32_test_w32_trust_LDADD = $(W32_TEST_LIBS)

# The broken plugins of tests/local.mk as DLLs, and a file with a plugin's
# name that is no DLL at all.
check_DATA += tests/fake/notdll/ifplex-notdll.dll
tests/fake/notdll/ifplex-notdll.dll:
	$(AM_V_GEN)$(MKDIR_P) tests/fake/notdll && echo 'this is not a DLL' > $@
CLEANFILES += tests/fake/notdll/ifplex-notdll.dll
endif

# The wine prefix the Windows tests made (wine-run.sh), and its lock.
clean-local: clean-wineprefix
clean-wineprefix:
	-rm -rf tests/win32/wineprefix tests/win32/wineprefix.lock tests/win32/trust
.PHONY: clean-wineprefix
