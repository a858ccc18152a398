#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs one Windows test under wine64 in a network namespace made for it, so
# that the interfaces wine reports (it reads the Linux ones) are known:
#   lo; w0 (veth, MTU 1400, 192.0.2.2/24, 2001:db8::2/64) and its peer w1,
#   both up; w2 (veth, MTU 9000, 198.51.100.7/25) whose peer w3 is down.
# A PROGRAM.exe runs under wine; anything else runs as it is, with WINE
# exported, inside the same namespace and a private mount namespace (for
# a resolv.conf of its own).
#
# usage: wine-run.sh PROGRAM [ARGS...]
# env:   WINE, WINESERVER (configure finds them), IFPLEX_WINEPREFIX (the
#        private prefix, made on first use), IFPLEX_TEST_BUILDDIR.
#
# One wineserver serves a prefix, and wine's network driver reads the
# namespace that server started in: runs of the same prefix take turns
# (flock), and each ends its server.
set -eu

if [ "${1:-}" = "--in-netns" ]; then
	shift
	sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	ip link set lo up
	ip link add w0 type veth peer name w1
	ip link set w0 mtu 1400 up
	ip link set w1 up
	ip addr add 192.0.2.2/24 dev w0
	ip addr add 2001:db8::2/64 dev w0 nodad
	ip link add w2 type veth peer name w3
	ip link set w2 mtu 9000 up
	ip addr add 198.51.100.7/25 dev w2
	rc=0
	case "$1" in
	*.exe) "$WINE" "$@" </dev/null 9>&- || rc=$? ;;
	*) "$@" </dev/null 9>&- || rc=$? ;;
	esac
	"$WINESERVER" -k 9>&- 2>/dev/null || true
	"$WINESERVER" -w 9>&- 2>/dev/null || true
	exit "$rc"
fi

# A skip in TAP words (tap-driver.sh counts a non-zero exit as an error).
skip() { echo "1..0 # SKIP $1"; exit 0; }
[ -n "${WINE:-}" ] && [ -x "$WINE" ] || skip "wine64 not found (apt-get install wine64)"
[ -n "${WINESERVER:-}" ] && [ -x "$WINESERVER" ] || skip "wineserver not found"
[ "$(id -u)" -eq 0 ] || skip "network namespaces need root"
command -v flock >/dev/null || skip "flock (util-linux) not found"
unshare --net true 2>/dev/null || skip "cannot create a network namespace"

build=${IFPLEX_TEST_BUILDDIR:?}
prefix=${IFPLEX_WINEPREFIX:-$build/tests/win32/wineprefix}
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
# libifplex-0.dll beside no test program: wine finds it on WINEPATH.
export WINEPATH="$build/core/.libs"
unset DISPLAY WAYLAND_DISPLAY
export WINE WINESERVER

mkdir -p "$(dirname "$prefix")"
exec 9>"$prefix.lock"
flock 9

if [ ! -f "$prefix/system.reg" ]; then
	# wine's first start in a new prefix registers every DLL it has: about
	# 30 s here, bounded so that a hang cannot stall the suite.
	t0=$(date +%s)
	unshare --net sh -c 'ip link set lo up; timeout 600 "$WINE" wineboot -i </dev/null 9>&-;
		"$WINESERVER" -w 9>&-' >/dev/null 2>&1 || true
	[ -f "$prefix/system.reg" ] || { echo "Bail out! wineboot could not make $prefix"; exit 1; }
	echo "# made the wine prefix $prefix in $(($(date +%s) - t0)) s"
fi

exec unshare --net --mount sh "$0" --in-netns "$@"
