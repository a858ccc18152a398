# SPDX-License-Identifier: MIT
# The xdp datapath: over a veth pair between namespaces (root, Linux, built
# with BPF support) in native and generic XDP, one unchanged program run
# with and without it, and a fuzz target for its frame and IFPLEX_XDP
# parsers.
EXTRA_DIST += tests/xdp/xdp_env.h tests/xdp/test_xdp.c tests/xdp/udp_echo.c tests/xdp/local.mk
if OS_LINUX
if HAVE_BPF
check_PROGRAMS += tests/xdp/test_xdp
TESTS += tests/xdp/test_xdp
tests_xdp_test_xdp_SOURCES = tests/xdp/test_xdp.c tests/xdp/xdp_env.h
tests_xdp_test_xdp_CFLAGS = $(TEST_CFLAGS)
tests_xdp_test_xdp_LDADD = $(TEST_LIBS) -lpthread
check_PROGRAMS += tests/xdp/udp_echo
tests_xdp_udp_echo_SOURCES = tests/xdp/udp_echo.c
tests_xdp_udp_echo_LDADD = core/libifplex.la
endif
endif

EXTRA_DIST += tests/fuzz/fuzz_xdp_frame.c
if HAVE_LIBFUZZER
check_DATA += tests/fuzz/fuzz_xdp_frame
CLEANFILES += tests/fuzz/fuzz_xdp_frame
tests/fuzz/fuzz_xdp_frame: $(srcdir)/tests/fuzz/fuzz_xdp_frame.c $(srcdir)/plugins/xdp/xdp_frame.c \
		$(srcdir)/plugins/xdp/xdp_config.c $(srcdir)/plugins/xdp/xdp.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && $(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
		-I$(builddir)/core/include -I$(srcdir)/core/include -o $@ $(srcdir)/tests/fuzz/fuzz_xdp_frame.c \
		$(srcdir)/plugins/xdp/xdp_frame.c $(srcdir)/plugins/xdp/xdp_config.c
endif
