#!/bin/sh
# SPDX-License-Identifier: MIT
# Run each fuzz target for a bounded time (IFPLEX_FUZZ_SECONDS, default 20).
set -u
secs=${IFPLEX_FUZZ_SECONDS:-20}
ran=0
for t in tests/fuzz/fuzz_*; do
	case "$t" in *.c|*.sh|*.o) continue ;; esac
	[ -x "$t" ] || continue
	corpus=$(mktemp -d)
	# Inputs that once crashed a parser stay in the corpus as regressions.
	seeds="${IFPLEX_TEST_SRCDIR:-tests}/fuzz/seeds/$(basename "$t")"
	[ -d "$seeds" ] && cp "$seeds"/* "$corpus"/
	echo "fuzzing $t for ${secs}s"
	log=$(mktemp)
	# A lookup that never ends (a probe without an empty slot) is a failure too.
	"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$corpus/" \
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
