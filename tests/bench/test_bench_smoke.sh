#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/run --smoke completes and writes well-formed results: a CSV with
# its header, enumeration rows of every mode's process (ifplex and the
# glibc baseline beside it), socket rows with the A/A calibration and
# system calls; sampled rows with their sample count (5 or more) and the
# time each part took; Markdown with its tables; PNG plots (or the line
# saying why there are none); README's block rewritten from the CSV.
set -u
top=${IFPLEX_TEST_SRCDIR:?run with make check}/..
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

IFPLEX_BUILD=${IFPLEX_TEST_BUILDDIR:?run with make check} "$top/bench/run" --smoke --out "$out" ||
	fail "bench/run exited $?"
csv="$out/latest.csv"
[ "$(head -n 1 "$csv")" = "kind,a,b,c,d,e" ] || fail "CSV header"
for m in ebpf notify off; do
	for who in ifplex glibc; do
		grep -q "^enum,[0-9]*,ifplex-$m,$who,interfaces,[0-9]*,[0-9]*,[0-9]*$" "$csv" || fail "no $who interfaces row in ifplex-$m"
	done
	grep -q "^enum,[0-9]*,ifplex-$m,ifplex,snapshot,[0-9]*,[0-9]*,[0-9]*$" "$csv" || fail "no snapshot row in ifplex-$m"
	grep -q "^enum,[0-9]*,ifplex-$m,glibc,addrs-il-after,[0-9]*,[0-9]*$" "$csv" || fail "no interleaved getifaddrs in ifplex-$m"
	grep -q "^enum,[0-9]*,ifplex-$m,ifplex,first-call-load,[0-9]*,[0-9]*$" "$csv" || fail "no first call in ifplex-$m"
done
[ "$(grep -c '^sock,' "$csv")" -eq 15 ] || fail "socket rows"
[ "$(grep -c '^sock,[^,]*,posix-b,' "$csv")" -eq 5 ] || fail "A/A rows"
[ "$(grep -c '^sockcalls,' "$csv")" -eq 10 ] || fail "system call rows"
awk -F, '$1=="enum" && ($6 !~ /^-?[0-9]+$/ || $7 !~ /^-?[0-9]+$/) {bad=1} END {exit bad}' "$csv" || fail "a non-numeric figure"
awk -F, '$1=="enum" && NF==8 && $8 < 5 {bad=1} END {exit bad}' "$csv" || fail "a row of fewer than 5 samples"
grep -q '^time,0,sock_bench,[0-9.]*$' "$csv" || fail "no time row"
md="$out/latest.md"
grep -q '^### interfaces' "$md" || fail "no interfaces table"
grep -q '^| ifplex-ebpf |' "$md" || fail "no ifplex-ebpf row"
grep -q '^## Snapshots' "$md" || fail "no snapshot table"
grep -q '^## Sockets' "$md" || fail "no sockets table"
if command -v gnuplot >/dev/null 2>&1; then
	for p in "$out"/latest-interfaces.png "$out"/latest-addrs.png; do
		[ "$(head -c 4 "$p" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "$p is not a PNG"
	done
else
	grep -q '^No plot' "$md" || fail "no plot and no reason"
fi
printf '# x\n<!-- bench:begin -->\nold\n<!-- bench:end -->\ntail\n' >"$out/README.md"
python3 "$top/bench/report.py" --readme "$out/README.md" "$out" "$csv" || fail "report.py --readme exited $?"
grep -q '^| goal | figure (pass 1) | spread |' "$out/README.md" || fail "no goals table in the README block"
grep -q '^old$' "$out/README.md" && fail "the README block was not replaced"
[ "$(tail -n 1 "$out/README.md")" = tail ] || fail "the text after the README block was lost"
echo "bench smoke: results well-formed"
