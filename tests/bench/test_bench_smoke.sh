#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/run --quick --smoke completes and writes well-formed results: a CSV
# with its header, enumeration and socket rows; Markdown with its tables;
# PNG plots (or the line saying why there are none).
set -u
top=${IFPLEX_TEST_SRCDIR:?run with make check}/..
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

IFPLEX_BUILD=${IFPLEX_TEST_BUILDDIR:?run with make check} "$top/bench/run" --quick --smoke --out "$out" ||
	fail "bench/run exited $?"
csv="$out/latest.csv"
[ "$(head -n 1 "$csv")" = "kind,a,b,c,d,e" ] || fail "CSV header"
for c in glibc ifplex-ebpf ifplex-notify ifplex-off; do
	grep -q "^enum,[0-9]*,$c,interfaces,[0-9]*,[0-9]*$" "$csv" || fail "no interfaces row for $c"
done
[ "$(grep -c '^sock,' "$csv")" -eq 10 ] || fail "socket rows"
awk -F, '$1=="enum" && ($5 !~ /^[0-9]+$/ || $6 !~ /^-?[0-9]+$/) {bad=1} END {exit bad}' "$csv" || fail "a non-numeric figure"
md="$out/latest.md"
grep -q '^## interfaces' "$md" || fail "no interfaces table"
grep -q '^| ifplex-ebpf |' "$md" || fail "no ifplex-ebpf row"
grep -q '^## Sockets' "$md" || fail "no sockets table"
if command -v gnuplot >/dev/null 2>&1; then
	for p in "$out"/latest-interfaces.png "$out"/latest-addrs.png; do
		[ "$(head -c 4 "$p" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "$p is not a PNG"
	done
else
	grep -q '^No plot' "$md" || fail "no plot and no reason"
fi
echo "bench smoke: results well-formed"
