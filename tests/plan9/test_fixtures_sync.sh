#!/bin/sh
# SPDX-License-Identifier: MIT
# The committed Plan 9 fixture trees are what mkfixtures.py writes: a hand
# edit, or a change to the generator without regenerating, fails here.
# Regenerate with: python3 tests/plan9/mkfixtures.py tests/plan9/fixtures
set -u
src="${IFPLEX_TEST_SRCDIR:-tests}/plan9"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is missing: cannot regenerate the fixtures"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 "$src/mkfixtures.py" "$out" || { echo "FAIL: mkfixtures.py failed"; exit 1; }
if ! diff -r "$src/fixtures" "$out"; then
	echo "FAIL: tests/plan9/fixtures differs from mkfixtures.py's output (above)"
	exit 1
fi
echo "PASS: fixtures match mkfixtures.py"
