#!/bin/bash
# check-systemd-unit.sh KIOSK: the appliance's unit
# (assets/systemd/kiosk.service) and the data partition's mount unit
# (assets/pi/var-lib-kiosk.mount) pass `systemd-analyze verify` without a
# single message about them; the unit keeps the settings the appliance
# relies on (Type=notify, Restart=always, WatchdogSec=, power-off on exit
# status 100); the program accepts the command line the unit runs; the USB
# mount helper is valid shell. KIOSK is the built program. Exit 77 (meson:
# skipped) when systemd-analyze is not installed.
#
# systemd-analyze complains about executables that do not exist, so the
# unit is verified as a copy in a temporary folder with ExecStart= pointing
# at the built program. User=kiosk need not exist on the test machine:
# verify does not look users up (systemd 252), so the copy keeps it.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: check-systemd-unit.sh PATH/TO/kiosk" >&2
	exit 2
fi
KIOSK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
UNIT=$ROOT/assets/systemd/kiosk.service
MOUNT=$ROOT/assets/pi/var-lib-kiosk.mount
USBMOUNT=$ROOT/assets/pi/kiosk-usb-mount
INSTALLED=/usr/local/bin/kiosk

say() { echo "check-systemd-unit: $*" >&2; }

if ! command -v systemd-analyze >/dev/null 2>&1; then
	say "systemd-analyze not found (Debian package systemd): skipped"
	exit 77
fi
for f in "$UNIT" "$MOUNT" "$USBMOUNT"; do
	if [ ! -f "$f" ]; then
		say "$f: missing"
		exit 1
	fi
done
if [ ! -x "$KIOSK" ]; then
	say "$KIOSK: not an executable program"
	exit 1
fi

failed=0
bad() { say "$*"; failed=1; }

# --- the settings the appliance relies on --------------------------------
# need REGEX WHAT: some line of the unit matches ^REGEX$.
need() {
	grep -Eq "^$1\$" "$UNIT" || bad "kiosk.service: no $2"
}
need 'Type=notify' 'Type=notify (the kiosk says READY=1 when up)'
need 'NotifyAccess=main' 'NotifyAccess=main'
need 'Restart=always' 'Restart=always (the menu restarts by exiting 0)'
need 'WatchdogSec=[1-9][0-9]*(s|min)?' 'WatchdogSec= (the frame loop kicks it)'
need 'RestartPreventExitStatus=100' 'RestartPreventExitStatus=100 (100 = power off)'
need 'ExecStopPost=\+/bin/sh -c .*EXIT_STATUS.*100.*poweroff.*' \
	'ExecStopPost= that powers off on exit status 100'
need "ExecStart=$INSTALLED run( .*)?" "ExecStart=$INSTALLED run"

# --- the program takes the unit's command line ---------------------------
# `kiosk run ARGS --help` exits 0 only when run and every ARG are known.
read -r -a args <<<"$(sed -n "s|^ExecStart=$INSTALLED ||p" "$UNIT" | head -n 1)"
# (a cross build runs it under its emulator, meson's MESON_EXE_WRAPPER)
# shellcheck disable=SC2086
if ! ${MESON_EXE_WRAPPER:-} "$KIOSK" "${args[@]}" --help >/dev/null 2>&1; then
	bad "the program refuses the unit's command line: kiosk ${args[*]}"
fi

# --- systemd-analyze verify ----------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|^ExecStart=$INSTALLED |ExecStart=$KIOSK |" "$UNIT" >"$tmp/kiosk.service"
cp "$MOUNT" "$tmp/var-lib-kiosk.mount"

rc=0
out=$(cd "$tmp" && SYSTEMD_COLORS=0 systemd-analyze verify --man=no \
	./kiosk.service ./var-lib-kiosk.mount 2>&1) || rc=$?
# Every line about our units (by name or by the copies' path) is a problem
# of ours. Other lines are about the host's own units, which
# systemd-analyze loads as dependencies: shown, not counted.
ours=$(printf '%s\n' "$out" | grep -E "kiosk\.service|var-lib-kiosk\.mount|$tmp" || true)
others=$(printf '%s\n' "$out" | grep -vE "kiosk\.service|var-lib-kiosk\.mount|$tmp" |
	grep -v '^$' || true)
if [ -n "$others" ]; then
	say "not about our units (the host's own), ignored:"
	printf '%s\n' "$others" | sed 's/^/    /' >&2
fi
if [ -n "$ours" ]; then
	bad "systemd-analyze verify has something to say about our units:"
	printf '%s\n' "$ours" | sed 's/^/    /' >&2
fi
if [ "$rc" -ne 0 ]; then
	bad "systemd-analyze verify failed (exit $rc)"
fi

# --- the USB mount helper (run by udev) ----------------------------------
if ! sh -n "$USBMOUNT"; then
	bad "$USBMOUNT: not valid shell"
fi
if [ ! -x "$USBMOUNT" ]; then
	bad "$USBMOUNT: not executable (udev runs it directly)"
fi

if [ "$failed" -ne 0 ]; then
	exit 1
fi
echo "check-systemd-unit: kiosk.service and var-lib-kiosk.mount verified ($(systemd-analyze --version | head -n 1))"
