#!/bin/bash
# check-broken.sh KIOSK: `kiosk check` on tests/fixtures/broken must fail
# (exit 1) and print exactly the reviewed messages in
# tests/fixtures/broken/EXPECTED (its '#' lines are comments): one precise
# file:line:col message per broken item, then the summary line. This runs
# the real program; tests/unit/test_check.c checks the same through the
# library.
set -eu
KIOSK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.."
rc=0
# a cross build runs it under its emulator (meson's MESON_EXE_WRAPPER)
# shellcheck disable=SC2086
out=$(${MESON_EXE_WRAPPER:-} "$KIOSK" check tests/fixtures/broken) || rc=$?
if [ "$rc" -ne 1 ]; then
	echo "kiosk check broken: exit $rc, expected 1" >&2
	exit 1
fi
if ! printf '%s\n' "$out" | diff -u - <(grep -v '^#' tests/fixtures/broken/EXPECTED); then
	echo "kiosk check broken: output differs from tests/fixtures/broken/EXPECTED" >&2
	exit 1
fi
echo "kiosk check broken: $(printf '%s\n' "$out" | grep -c ': error: ') errors as expected"
