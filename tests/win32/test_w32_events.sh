#!/bin/sh
# SPDX-License-Identifier: MIT
# The win32 backend's change events under wine: events_wine.py changes the
# namespace with ip and reads test_w32_events.exe's lines (run inside the
# namespace by wine-run.sh).
set -u
python3 "$IFPLEX_TEST_SRCDIR/win32/events_wine.py" "$WINE" \
	"$IFPLEX_TEST_BUILDDIR/tests/win32/test_w32_events.exe"
