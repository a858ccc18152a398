#!/bin/sh
# SPDX-License-Identifier: MIT
# Run each fuzz target for a bounded time: IFPLEX_FUZZ_SECONDS, else by
# IFPLEX_TEST_SWEEP: 20 s (sample, the default), 300 s (full, or
# IFPLEX_TEST_FULL=1), or 0 (smoke): 0 replays the seeds, the inputs that
# once crashed a parser, and fuzzes nothing.
set -u
sweep=${IFPLEX_TEST_SWEEP:-sample}
[ "${IFPLEX_TEST_FULL:-0}" != 1 ] || sweep=full
case $sweep in
smoke) secs=0 ;;
full) secs=300 ;;
*) secs=20 ;;
esac
secs=${IFPLEX_FUZZ_SECONDS:-$secs}
# -max_total_time=0 would mean no limit: a replay is -runs=0.
if [ "$secs" -eq 0 ]; then
	limit=-runs=0
else
	limit=-max_total_time=$secs
fi
ran=0
for t in tests/fuzz/fuzz_*; do
	case "$t" in *.c|*.sh|*.o) continue ;; esac
	[ -x "$t" ] || continue
	corpus=$(mktemp -d)
	# Inputs that once crashed a parser stay in the corpus as regressions.
	seeds="${IFPLEX_TEST_SRCDIR:-tests}/fuzz/seeds/$(basename "$t")"
	[ -d "$seeds" ] && cp "$seeds"/* "$corpus"/
	if [ "$secs" -eq 0 ]; then echo "replaying the seeds of $t"; else echo "fuzzing $t for ${secs}s"; fi
	log=$(mktemp)
	# A lookup that never ends (a probe without an empty slot) is a failure too.
	"$t" "$limit" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$corpus/" \
		"$corpus" >"$log" 2>&1
	rc=$?
	tail -n 40 "$log"
	rm -f "$log"
	if [ "$rc" -ne 0 ]; then
		for c in "$corpus"/crash-* "$corpus"/leak-* "$corpus"/timeout-*; do
			[ -f "$c" ] && echo "input: $(base64 -w0 "$c")"
		done
		echo "FAIL: $t exited $rc (a crash or a sanitizer report above)"
		rm -rf "$corpus"
		exit 1
	fi
	rm -rf "$corpus"
	ran=$((ran + 1))
done
if [ "$ran" -eq 0 ]; then
	echo "SKIP: no fuzz targets built (needs clang with libFuzzer: apt-get install clang libclang-rt-14-dev)"
	exit 77
fi
exit 0
