#!/usr/bin/env bash
# idle-cpu.sh: CPU used by `kiosk run` while nobody touches it, as a share
# of one core, measured from /proc/PID/stat over a window of seconds.
#
#   tests/bench/idle-cpu.sh [BUILD_DIR] [SECONDS]
#
# Measures three cases: the attract loop (redraws every few seconds to
# cycle items and the prompt), the home screen reached with a click (a
# truly static screen), both in a real X11 window under Xvfb, where SDL
# blocks in the kernel; and the attract loop on the offscreen driver, where
# SDL cannot block and the loop sleeps in 10 ms slices (the KMSDRM case on
# a Pi). Target: under 3 % of one core. Needs xvfb and xdotool.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-20}
KIOSK="$BUILD/kiosk/kiosk"
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"; kill %1 2>/dev/null || true' EXIT
HZ=$(getconf CLK_TCK)

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # pid label
	local pid=$1 label=$2 t0 t1
	t0=$(ticks "$pid")
	sleep "$SECS"
	t1=$(ticks "$pid")
	awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v s="$SECS" -v l="$label" \
		'BEGIN { printf "%-44s %6.2f %% of one core over %d s\n", l, (b - a) * 100 / hz / s, s }'
}

export SDL_AUDIODRIVER=dummy
Xvfb :77 -screen 0 1280x720x24 >/dev/null 2>&1 &
sleep 1
DISPLAY=:77 SDL_VIDEODRIVER=x11 "$KIOSK" run --window 1280x720 --content content \
	--data "$DATA" >/dev/null 2>&1 &
PID=$!
sleep 3
measure $PID "x11 window, attract loop"
# a click on the attract loop, then choose the first language: home
DISPLAY=:77 xdotool mousemove 640 360 click 1
sleep 1
DISPLAY=:77 xdotool key Return
sleep 2
if ! grep -q "visitor session .* begins" "$DATA/kiosk.log"; then
	echo "the click did not start a visitor session; see $DATA/kiosk.log" >&2
	exit 1
fi
measure $PID "x11 window, home screen (static)"
kill $PID; wait $PID 2>/dev/null || true

SDL_VIDEODRIVER=offscreen "$KIOSK" run --window 1280x720 --content content \
	--data "$DATA" >/dev/null 2>&1 &
PID=$!
sleep 3
measure $PID "offscreen driver, attract loop"
kill $PID; wait $PID 2>/dev/null || true
