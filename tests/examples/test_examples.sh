#!/bin/sh
# SPDX-License-Identifier: MIT
# The programs of examples/, built with the flags pkg-config gives for the
# staged installation, and run in a network namespace of their own.
set -u
src="${IFPLEX_TEST_SRCDIR:-tests}/.."
stage=$IFPLEX_EXAMPLE_STAGE
bin="$IFPLEX_TEST_BUILDDIR/tests/examples/bin"
fail=0

if [ "$(id -u)" -ne 0 ] || ! unshare -n true 2>/dev/null; then
	echo "SKIP: the examples run in a network namespace of their own (needs root and unshare)"
	exit 77
fi
pc=$(find "$stage" -name ifplex.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no ifplex.pc under $stage"; exit 1; }

# What a user of the installed library does, rebased onto the stage (pkgconf
# rebases variables too, pkg-config only -I and -L).
export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$stage"
staged() { case "$1" in "$stage"/*) echo "$1" ;; *) echo "$stage$1" ;; esac; }
libdir=$(staged "$(pkg-config --variable=libdir ifplex)")
export IFPLEX_PLUGIN_PATH="$(staged "$(pkg-config --variable=plugindir ifplex)")"
mkdir -p "$bin"
for c in interfaces addresses tcp_echo lookup; do
	# shellcheck disable=SC2046,SC2086
	if ! $IFPLEX_EXAMPLE_CC $IFPLEX_EXAMPLE_CFLAGS $(pkg-config --cflags ifplex) -o "$bin/$c" \
		"$src/examples/$c.c" $(pkg-config --libs ifplex) -Wl,-rpath,"$libdir"; then
		echo "FAIL: examples/$c.c does not build against the installed library"
		exit 1
	fi
done
tool="$(staged "$(pkg-config --variable=prefix ifplex)")/bin/ifplex"
# The staged command's rpath names the final libdir: point it at the stage.
export LD_LIBRARY_PATH="$libdir"

# check NAME WANT GOT: one expectation.
check()
{
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		printf 'FAIL: %s\n--- want\n%s\n--- got\n%s\n' "$1" "$2" "$3"
		fail=1
	fi
}

# README's program is examples/interfaces.c, word for word but for the
# file's SPDX line.
if ! python3 - "$src/README.md" "$src/examples/interfaces.c" <<'PY'
import sys
readme, prog = (open(p).read() for p in sys.argv[1:])
if prog.startswith("/* SPDX-License-Identifier:"):
    prog = prog.split("\n", 1)[1]
sys.exit(0 if "```c\n" + prog + "```\n" in readme else 1)
PY
then
	echo "FAIL: README.md's C example differs from examples/interfaces.c"
	fail=1
fi

# A fresh namespace has one interface, lo, down and without addresses.
got=$(unshare -n "$bin/interfaces" 2>&1)
check "interfaces" "1 lo mtu 65536" "$got"
got=$(unshare -n sh -c 'ip link set lo up && "$1"' sh "$bin/addresses" 2>&1)
check "addresses" "lo: index 1, mtu 65536, up
    inet  127.0.0.1/8
    inet6 ::1%lo/128" "$got"

# The echo server and client, and the server's idle deadline.
# The server gives up after a minute, so that a failure cannot hang the test.
out=$(unshare -n sh -c '
	ip link set lo up
	timeout 60 "$1" serve 127.0.0.1:0 2 300 >"$3" 2>&1 &
	server=$!
	i=0
	while [ $i -lt 300 ] && ! grep -q "^listening" "$3" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	addr=$(sed -n "s/^listening on //p" "$3")
	"$1" send "$addr" "hello, echo"
	sleep 1 | "$2" dial tcp "$addr" >/dev/null
	wait $server
	echo "server exit $?"
	sed "s/127.0.0.1:[0-9]*/PEER/" "$3"
	' sh "$bin/tcp_echo" "$tool" "$bin/server.out" 2>&1)
check "tcp_echo" "hello, echo
server exit 0
listening on PEER
PEER: echoed 11 bytes
PEER: idle for 300 ms, closed" "$out"
got=$(unshare -n sh -c 'ip link set lo up && "$1" send 127.0.0.1:1 x' sh "$bin/tcp_echo" 2>&1)
check "tcp_echo refused" "tcp_echo: dial: dial tcp 127.0.0.1:1: connect: connection refused" "$got"

# Lookups against a hosts file of the test's own, and name service switch
# that reads only files, bound over /etc in a mount namespace.
printf '127.0.0.1\tlocalhost\n192.0.2.10\texample-host.test alias.test\n' >"$bin/hosts"
printf 'hosts: files\nservices: files\n' >"$bin/nsswitch.conf"
lookups()
{
	unshare -n -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf && shift 2 && exec "$0" "$@"' \
		"$bin/lookup" "$bin/hosts" "$bin/nsswitch.conf" "$@"
}
# Whether a reverse name ends in a dot is the resolver's business, not the example's.
got=$(lookups example-host.test 192.0.2.10 http/tcp 2>&1 | sed 's/^\(192.0.2.10: .*[^.]\)$/\1./')
check "lookup" "example-host.test: 192.0.2.10 (canonical name example-host.test.)
192.0.2.10: example-host.test.
http/tcp: port 80" "$got"
got=$(lookups nosuch.invalid 2>&1)
check "lookup failure" "lookup: lookup nosuch.invalid: no such host" "$got"

# Change events from an event loop: epoll, and libuv's uv_poll_t where
# libuv is installed.  Each prints the state, "synced", then the changes.
events_want="link-added lo
synced
link-added x1
link-added x0
addr-added x0 10.4.0.1/24
addr-removed x0 10.4.0.1/24
link-removed x0
link-removed x1"
run_events()
{
	unshare -n sh -c '"$1" 1500 >"$2" & pid=$!
		i=0
		while [ $i -lt 600 ] && ! grep -q "^synced" "$2"; do sleep 0.1; i=$((i + 1)); done
		ip link add x0 type veth peer name x1 && ip addr add 10.4.0.1/24 dev x0 && ip link del x0
		wait $pid
		cat "$2"' sh "$1" "$bin/events.out" 2>&1
}
if [ "$(uname -s)" = Linux ]; then
	# shellcheck disable=SC2046,SC2086
	if $IFPLEX_EXAMPLE_CC $IFPLEX_EXAMPLE_CFLAGS $(pkg-config --cflags ifplex) -o "$bin/events_epoll" \
		"$src/examples/events_epoll.c" $(pkg-config --libs ifplex) -Wl,-rpath,"$libdir"; then
		check "events_epoll" "$events_want" "$(run_events "$bin/events_epoll")"
	else
		echo "FAIL: examples/events_epoll.c does not build against the installed library"
		fail=1
	fi
	if ! pkg-config --exists libuv; then
		echo "skip: events_uv (libuv is not installed)"
	# shellcheck disable=SC2046,SC2086
	elif $IFPLEX_EXAMPLE_CC $IFPLEX_EXAMPLE_CFLAGS $(pkg-config --cflags ifplex libuv) -o "$bin/events_uv" \
		"$src/examples/events_uv.c" $(pkg-config --libs ifplex libuv) -Wl,-rpath,"$libdir"; then
		check "events_uv" "$events_want" "$(run_events "$bin/events_uv")"
	else
		echo "FAIL: examples/events_uv.c does not build against the installed library and libuv"
		fail=1
	fi
fi

[ "$fail" -eq 0 ] && echo "PASS: examples"
exit "$fail"
