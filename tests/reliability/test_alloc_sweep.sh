#!/bin/sh
# SPDX-License-Identifier: MIT
# The allocation-failure sweep: `ifplex ifaces`, `ifplex addrs` and
# alloc_driver, in every cache mode, each run once per N with the Nth
# allocation failing (failalloc.so).  A run must not crash or leak (the
# sanitizer build finds leaks and bad accesses); the tool may fail with a
# one-line message and status 1; the driver must recover (exit 0).
#
# make check runs a sample of N (IFPLEX_SWEEP_SAMPLES per program and mode:
# 12, or 3 at IFPLEX_TEST_SWEEP=smoke), the sanitizer build's sample shifted
# by half a stride so that the two builds fail other allocations;
# IFPLEX_FULL_SWEEP=1 (or IFPLEX_TEST_FULL=1, IFPLEX_TEST_SWEEP=full) runs
# every N up to each run's total.
set -u
build=${IFPLEX_TEST_BUILDDIR:?run with make check}
lib="$build/tests/reliability/.libs/libfailalloc.so"
driver="$build/tests/reliability/alloc_driver"
tool=${IFPLEX_TOOL:?run with make check}
samples=12
[ "${IFPLEX_TEST_SWEEP:-}" != smoke ] || samples=3
samples=${IFPLEX_SWEEP_SAMPLES:-$samples}
full=${IFPLEX_FULL_SWEEP:-0}
[ "${IFPLEX_TEST_FULL:-0}" != 1 ] && [ "${IFPLEX_TEST_SWEEP:-}" != full ] || full=1
build_shift=0
[ "${IFPLEX_TEST_SANITIZED:-no}" != yes ] || build_shift=0.5

if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
	echo "SKIP: needs root to make a network namespace (unshare -n)"
	exit 77
fi
[ -f "$lib" ] || { echo "FAIL: $lib not built"; exit 1; }

# The real program behind a libtool wrapper, with its library path.
real() {
	"$build/libtool" --mode=execute sh -c 'printf "%s\n" "$LD_LIBRARY_PATH" "$1"' sh "$1"
}

# Under AddressSanitizer the interposer goes first and hands on to ASan.
asan_opts="verify_asan_link_order=0:detect_leaks=1:exitcode=86:abort_on_error=0"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/body.sh" <<'EOF'
set -u
ip link set lo up
# Enough links and addresses that lists and tables grow more than once.
for i in $(seq 0 11); do
	echo "link add sw$i type veth peer name sw${i}p"
	echo "link set sw$i up"
	echo "addr add 10.66.$i.1/24 dev sw$i"
	echo "addr add 10.66.$i.2/24 dev sw$i"
	echo "addr add 2001:db8:66:$i::1/64 dev sw$i nodad"
done >"$work/links"
ip -batch "$work/links"
fails=0 runs=0
# $1 label, then the command: run it with the Nth allocation failing.
one() {
	n=$1 label=$2; shift 2
	out="$work/out" err="$work/err"
	IFPLEX_FAILALLOC_N=$n LD_PRELOAD="$lib" ASAN_OPTIONS="$asan_opts" LD_LIBRARY_PATH="$libpath" \
		"$@" >"$out" 2>"$err"
	rc=$?
	runs=$((runs + 1))
	ok=1
	case "$label" in
	driver*) [ "$rc" -eq 0 ] || ok=0 ;;
	*) if [ "$rc" -eq 1 ]; then
		# A failure is one line that says what failed.
		[ "$(wc -l <"$err")" -eq 1 ] || ok=0
	   elif [ "$rc" -ne 0 ]; then ok=0; fi ;;
	esac
	if [ "$ok" -eq 0 ]; then
		fails=$((fails + 1))
		echo "FAIL: $label with allocation $n failing: status $rc"
		head -n 60 "$err"
	fi
}
for mode in auto ebpf notify off; do
	export IFPLEX_CACHE=$mode
	for prog in ifaces addrs driver; do
		case $prog in
		driver) cmd="$driver_real" ;;
		*) cmd="$tool_real $prog" ;;
		esac
		IFPLEX_FAILALLOC_COUNT="$work/count" LD_PRELOAD="$lib" ASAN_OPTIONS="$asan_opts" \
			LD_LIBRARY_PATH="$libpath" $cmd >/dev/null 2>"$work/err" ||
			{ echo "FAIL: $prog ($mode) fails with no allocation failing"; cat "$work/err"; fails=$((fails + 1)); continue; }
		total=$(cat "$work/count")
		if [ "$full" = 1 ] || [ "$total" -le "$samples" ]; then
			list=$(seq 1 "$total")
		else
			# Evenly spread, shifted by the mode so that modes cover other
			# N, and by the build.
			list=$(awk -v t="$total" -v s="$samples" -v o="${#mode}" -v b="$build_shift" \
				'BEGIN { f = o / 7 + b; f -= int(f);
					 for (i = 0; i < s; i++) print 1 + int((i + f) * t / s) % t }' | sort -un)
		fi
		for n in $list; do
			one "$n" "$prog ($mode)" $cmd
		done
		echo "$prog ($mode): $total allocations, $(echo "$list" | wc -l) runs"
	done
done
echo "$runs runs, $fails failed"
[ "$fails" -eq 0 ]
EOF

set -- $(real "$driver")
libpath=$1 driver_real=$2
set -- $(real "$tool")
tool_real=$2
export work lib asan_opts samples full build_shift libpath driver_real tool_real
export IFPLEX_BACKEND=netlink
unshare -n sh "$work/body.sh"
