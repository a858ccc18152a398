# SPDX-License-Identifier: MIT
# Example programs: make check installs the tree into a staging directory
# and builds and runs them against it, as a user's program would be.
EXAMPLE_FILES = examples/interfaces.c examples/addresses.c examples/tcp_echo.c examples/lookup.c
EXTRA_DIST += $(EXAMPLE_FILES) tests/examples/test_examples.sh
AM_TESTS_ENVIRONMENT += \
	IFPLEX_EXAMPLE_CC='$(CC)'; \
	IFPLEX_EXAMPLE_CFLAGS='-std=c99 -Wall -Wextra -Werror $(SAN_CFLAGS) $(SAN_LDFLAGS)'; \
	IFPLEX_EXAMPLE_STAGE='$(abs_top_builddir)/tests/examples/stage'; \
	export IFPLEX_EXAMPLE_CC IFPLEX_EXAMPLE_CFLAGS IFPLEX_EXAMPLE_STAGE;

# Staged anew by every make check, so that it holds what was just built.
# Native only: the test builds with pkg-config and an rpath, runs the
# programs directly and expects Linux's answers.
if !OS_WINDOWS
TESTS += tests/examples/test_examples.sh
check_DATA += tests/examples/stage
endif
tests/examples/stage: $(lib_LTLIBRARIES) $(plugin_LTLIBRARIES) $(bin_PROGRAMS)
	$(AM_V_GEN)rm -rf $@ && $(MAKE) $(AM_MAKEFLAGS) install DESTDIR='$(abs_top_builddir)/$@' >/dev/null
.PHONY: tests/examples/stage
clean-local: clean-examples
clean-examples:
	-rm -rf tests/examples/stage tests/examples/bin
