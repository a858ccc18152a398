# SPDX-License-Identifier: MIT
# Manual pages: installed, and linted by make check.
dist_man_MANS = man/ifplex.1 man/ifplex.3
EXTRA_DIST += tests/man/test_man.sh
# Checked by the native build: the pages are the same for every OS, and
# the test runs the native command.
if !OS_WINDOWS
TESTS += tests/man/test_man.sh
endif
