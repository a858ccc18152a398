#!/bin/sh
# SPDX-License-Identifier: MIT
# The dynamic symbols of libifplex.so and of every plugin under plugins/,
# against the lists kept in tests/core/exports/: nothing internal leaks, no
# public function is missing, each plugin exports only its entry point.
# Every difference is named with the file to change.
set -u
top=${IFPLEX_TEST_SRCDIR:?run with make check}/..
build=${IFPLEX_TEST_BUILDDIR:?run with make check}
lists=$top/tests/core/exports
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAIL: $*"; bad=1; }

# Defined dynamic symbols with their version (name@@NODE), without the
# version nodes themselves (type A).
exports() { nm -D --defined-only "$1" | awk '$2 != "A" {print $3}' | LC_ALL=C sort; }
listed() { grep -v '^#' "$1" | grep -v '^[[:space:]]*$' | LC_ALL=C sort; }

lib=$build/core/.libs/libifplex.so
[ -f "$lib" ] || { echo "FAIL: $lib not built"; exit 1; }
exports "$lib" >"$tmp/lib.have"
listed "$lists/libifplex.txt" >"$tmp/lib.want"
LC_ALL=C comm -23 "$tmp/lib.have" "$tmp/lib.want" | while read -r s; do
	echo "FAIL: libifplex.so exports $s, which tests/core/exports/libifplex.txt does not list:" \
		"if it is public, add it there and to the newest node of core/libifplex.map; if not, keep it out of the map"
done | tee "$tmp/out"
LC_ALL=C comm -13 "$tmp/lib.have" "$tmp/lib.want" | while read -r s; do
	echo "FAIL: libifplex.so does not export $s, listed in tests/core/exports/libifplex.txt:" \
		"add ${s%%@*} to the newest node of core/libifplex.map (or drop it from the list if it is gone)"
done | tee -a "$tmp/out"
[ -s "$tmp/out" ] && bad=1

# Every function a public header declares is in the list (and so exported).
for h in "$top"/core/include/ifplex.h "$top"/core/include/ifplex/*.h; do
	sed -n 's/^IFPLEX_API[^(]*[ *]\(ifplex_[a-z0-9_]*\)(.*/\1/p' "$h"
done | LC_ALL=C sort -u >"$tmp/declared"
sed 's/@.*//' "$tmp/lib.want" | LC_ALL=C sort -u >"$tmp/listed"
for s in $(LC_ALL=C comm -23 "$tmp/declared" "$tmp/listed"); do
	fail "a public header declares $s, but tests/core/exports/libifplex.txt does not list it:" \
		"add $s@@<node> there and $s; to the newest node of core/libifplex.map"
done
[ -s "$tmp/declared" ] || fail "no IFPLEX_API declarations found in $top/core/include"

# Plugins: the entry point and nothing else.
listed "$lists/plugin.txt" >"$tmp/plugin.want"
n=0
for p in "$build"/plugins/*/.libs/ifplex-*.so; do
	[ -f "$p" ] || continue
	n=$((n + 1))
	exports "$p" >"$tmp/plugin.have"
	for s in $(LC_ALL=C comm -23 "$tmp/plugin.have" "$tmp/plugin.want"); do
		fail "plugin ${p#"$build"/} exports $s: build it with -fvisibility=hidden and plugins/plugin.map (PLUGINS_LINK)"
	done
	for s in $(LC_ALL=C comm -13 "$tmp/plugin.have" "$tmp/plugin.want"); do
		fail "plugin ${p#"$build"/} does not export $s"
	done
done
[ "$n" -gt 0 ] || fail "no plugin found under $build/plugins"
[ "$bad" -eq 0 ] && echo "exports: libifplex.so and $n plugins match tests/core/exports/"
exit "$bad"
