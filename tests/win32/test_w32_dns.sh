#!/bin/sh
# SPDX-License-Identifier: MIT
# DnsQuery_W under wine against dns_stub.py on 127.0.0.1 of the test's
# namespace; wine-run.sh gave this script a mount namespace of its own, so
# /etc/resolv.conf is replaced here only.  It asks for EDNS as
# systemd-resolved's resolv.conf does: the server's OPT record then closes
# each answer, which wine 8.0 needs (README, "the win32 backend").
set -eu
tmp=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
printf 'nameserver 127.0.0.1\noptions edns0 timeout:1 attempts:2\n' >"$tmp/resolv.conf"
mount --bind "$tmp/resolv.conf" /etc/resolv.conf
python3 "$IFPLEX_TEST_SRCDIR/win32/dns_stub.py" "$tmp/ready" &
pid=$!
for _ in $(seq 100); do
	[ -s "$tmp/ready" ] && break
	sleep 0.05
done
[ -s "$tmp/ready" ] || { echo "Bail out! the DNS stub did not start"; exit 1; }
"$WINE" "$IFPLEX_TEST_BUILDDIR/tests/win32/.libs/test_w32_dns.exe"
