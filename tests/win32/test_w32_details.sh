#!/bin/sh
# SPDX-License-Identifier: MIT
# ifplex.exe --backend win32 --json show NAME under wine against ip -j -s
# link and ip -j addr (run inside the namespace by wine-run.sh).
set -u
python3 "$IFPLEX_TEST_SRCDIR/win32/compare_details.py" "$WINE" "$IFPLEX_TOOL"
