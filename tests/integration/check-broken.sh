#!/bin/sh
# check-broken.sh KIOSK: `kiosk check` on tests/fixtures/broken must fail
# (exit 1) and print exactly the reviewed messages in check-broken.expected:
# one precise file:line:col message per broken item.
set -eu
KIOSK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../fixtures"
rc=0
out=$("$KIOSK" check broken) || rc=$?
if [ "$rc" -ne 1 ]; then
	echo "kiosk check broken: exit $rc, expected 1" >&2
	exit 1
fi
if ! printf '%s\n' "$out" | diff -u "$HERE/check-broken.expected" -; then
	echo "kiosk check broken: output differs from check-broken.expected" >&2
	exit 1
fi
echo "kiosk check broken: $(printf '%s\n' "$out" | grep -c ': error: ') errors as expected"
