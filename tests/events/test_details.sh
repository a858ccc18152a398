#!/bin/sh
# SPDX-License-Identifier: MIT
# Link and address details against ip, in a network namespace of its own.
set -u
if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
	echo "SKIP: needs root and unshare to make a network namespace"
	exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: needs python3"; exit 77; }
# Every cache mode: ebpf and notify serve details from the cache, off by
# request; each against ip in a fresh namespace.
rc=0
for mode in ebpf notify off; do
	unshare -n python3 "${IFPLEX_TEST_SRCDIR:-tests}/events/compare_details.py" "$IFPLEX_TOOL" "$mode" || rc=1
done
exit $rc
