#!/bin/sh
# SPDX-License-Identifier: MIT
# ifplex.exe --backend win32 --json ifaces and addrs under wine: the same
# JSON shape as on Linux, and the namespace's links and addresses as
# `ip -j` shows them (run inside the namespace by wine-run.sh).
set -u
python3 "$IFPLEX_TEST_SRCDIR/win32/compare_wine.py" "$WINE" "$IFPLEX_TOOL"
