#!/bin/sh
# SPDX-License-Identifier: MIT
# The loader's trust rules under wine (test_w32_trust.exe): plugin files
# laid out here with the Linux owners, modes and links that wine reports
# as owners and DACLs (run by wine-run.sh, as root).
set -eu
b=$IFPLEX_TEST_BUILDDIR
t=$b/tests/win32/trust
fake=$b/tests/fake/.libs/ifplex-fake.dll

rm -rf "$t"
mkdir -p "$t"
chmod 0755 "$t"
for d in ok filew dirw above/sub owner linked link setacl; do
	mkdir -p "$t/$d"
	chmod 0755 "$t/$d"
done
for d in ok filew dirw above/sub owner linked setacl; do
	cp "$fake" "$t/$d/ifplex-fake.dll"
	chmod 0644 "$t/$d/ifplex-fake.dll"
done
chmod o+w "$t/filew/ifplex-fake.dll"
chmod o+w "$t/dirw" "$t/above" "$t/linked"
chown 65534 "$t/owner/ifplex-fake.dll"
# The link's directory is sound; where it leads is not.
ln -s ../linked/ifplex-fake.dll "$t/link/ifplex-fake.dll"

export IFPLEX_TEST_TRUST_DIR="Z:$t"
exec "$WINE" "$b/tests/win32/test_w32_trust.exe"
