#!/bin/sh
# SPDX-License-Identifier: MIT
# The manual pages: lint-clean, and complete: every command of `ifplex
# --help` has an entry in ifplex.1, every function of ifplex.h one in
# ifplex.3's SYNOPSIS.
set -u
man="${IFPLEX_TEST_SRCDIR:-tests}/../man"
header="${IFPLEX_TEST_SRCDIR:-tests}/../core/include/ifplex.h"
fail=0

if command -v mandoc >/dev/null 2>&1; then
	# Warnings and errors; style notes (such as a page not installed yet) pass.
	out=$(mandoc -T lint -W warning "$man/ifplex.1" "$man/ifplex.3" 2>&1 | grep -v 'mandoc.db')
elif command -v groff >/dev/null 2>&1; then
	out=$(groff -ww -z -mandoc "$man/ifplex.1" "$man/ifplex.3" 2>&1)
else
	echo "SKIP: neither mandoc nor groff is installed (apt-get install mandoc)"
	exit 77
fi
if [ -n "$out" ]; then
	echo "FAIL: the manual pages have lint warnings:"
	echo "$out"
	fail=1
fi

for cmd in $("$IFPLEX_TOOL" --help | awk '/^commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }'); do
	if ! grep -q "^\.It Cm $cmd\( \|$\)" "$man/ifplex.1"; then
		echo "FAIL: ifplex $cmd has no entry in man/ifplex.1 (add an .It Cm $cmd under COMMANDS)"
		fail=1
	fi
done

synopsis=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$man/ifplex.3")
for fn in $(sed -n 's/^IFPLEX_API[^(]*[ *]\(ifplex_[a-z0-9_]*\)(.*/\1/p' "$header"); do
	case "$fn" in
	ifplex_ip_is_*) continue ;; # one line stands for the predicates, each named in DESCRIPTION
	esac
	if ! printf '%s\n' "$synopsis" | grep -q "^\.Fn $fn "; then
		echo "FAIL: $fn has no .Fn line in man/ifplex.3's SYNOPSIS (add it under its family's .Ss, and describe it in DESCRIPTION)"
		fail=1
	fi
done
for fn in $(sed -n 's/^IFPLEX_API[^(]*[ *]\(ifplex_ip_is_[a-z0-9_]*\)(.*/\1/p' "$header"); do
	if ! grep -q "^\.Fn $fn" "$man/ifplex.3"; then
		echo "FAIL: $fn is not described in man/ifplex.3"
		fail=1
	fi
done
[ "$fail" -eq 0 ] && echo "PASS: manual pages"
exit "$fail"
