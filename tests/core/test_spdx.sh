#!/bin/sh
# SPDX-License-Identifier: MIT
# Every source file names its license in an SPDX-License-Identifier line.
top="${IFPLEX_TEST_SRCDIR:-tests}/.."
out=$("$top/scripts/spdx-check" "$top")
if [ -n "$out" ]; then
	echo "FAIL: these files lack an SPDX-License-Identifier line in their first five lines:"
	echo "$out"
	exit 1
fi
echo "PASS: every source file has an SPDX-License-Identifier line"
