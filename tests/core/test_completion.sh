#!/bin/bash
# SPDX-License-Identifier: MIT
# The bash completion of ifplex, completing lines against the fake backend.
set -u
. "$IFPLEX_TEST_SRCDIR/../tools/bash-completion/ifplex"
export IFPLEX_PLUGIN_PATH=$IFPLEX_TEST_FAKE_DIR IFPLEX_BACKEND=fake
fail=0

# expect WANT WORD...: completing the last WORD of "ifplex WORD..." gives WANT.
expect()
{
	local want=$1
	shift
	COMP_WORDS=("$IFPLEX_TOOL" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_ifplex
	if [ "${COMPREPLY[*]}" != "$want" ]; then
		echo "FAIL: ifplex $*|: got '${COMPREPLY[*]}', want '$want'"
		fail=1
	fi
}

expect "ifaces addrs mcast show backends watch lookup dial listen rib-capture help" ""
expect "addrs" ad
expect "lo eth0 tun-été" show ""
expect "eth0" --json show e
expect "" show eth0 ""
expect "--for=" watch --f
expect "--backend --json --help --version" ifaces --
expect "fake fakeconn fakenew fakeold" --backend fa
expect "auto" --backend au
expect "host port addr cname srv mx" lookup ""
expect "udp udp4 udp6 unix unixgram unixpacket" dial u
expect "watch" help wa
expect "ifaces" --backend fake if
[ "$fail" -eq 0 ] && echo "PASS: completion"
exit "$fail"
