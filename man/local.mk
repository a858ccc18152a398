# Manual pages: installed, and linted by make check.
dist_man_MANS = man/ifplex.1 man/ifplex.3
EXTRA_DIST += tests/man/test_man.sh
TESTS += tests/man/test_man.sh
