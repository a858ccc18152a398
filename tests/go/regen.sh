#!/bin/sh
# SPDX-License-Identifier: MIT
# Write tests/go/*.tsv again from the Go on this machine (see gen/main.go).
# Port and protocol names come from this machine's /etc/services and
# /etc/protocols, as they do for the C test that reads the tables.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/gen"
GO111MODULE=off go run main.go "$here"
