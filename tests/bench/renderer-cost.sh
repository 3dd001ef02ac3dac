#!/usr/bin/env bash
# renderer-cost.sh: what the attract loop of the demo library costs with
# renderer = auto (which, with no GPU driver, passes over Mesa's llvmpipe
# OpenGL for SDL's software renderer) against renderer = opengl (llvmpipe
# kept), in the same run: CPU as a share of one core from /proc/PID/stat,
# and resident memory (VmRSS, VmHWM) at the end.
#
#   tests/bench/renderer-cost.sh [BUILD_DIR] [SECONDS]
#
# Runs on SDL's offscreen driver in a 1280x720 window; the idle timeout is
# 5 s, so the attract loop (demo videos and pictures) runs from the start
# of the measuring window. On a machine with a GPU both cases use it.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SECS=${2:-60}
KIOSK="$BUILD/kiosk/kiosk"
HZ=$(getconf CLK_TCK)
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy

one() { # renderer: sets CPU (% of a core), RSS, HWM (MB) and SCREEN
	local data pid t0 t1
	data=$(mktemp -d)
	printf 'data_dir = %s\nidle_timeout = 5\nrenderer = %s\n' "$data" "$1" \
		> "$data/kiosk.conf"
	"$KIOSK" --config "$data/kiosk.conf" run --content content \
		--window 1280x720 > "$data/log" 2>&1 &
	pid=$!
	sleep 10
	t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	sleep "$SECS"
	t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	RSS=$(awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
	HWM=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	CPU=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v s="$SECS" \
		'BEGIN { printf "%.2f", (b - a) * 100 / hz / s }')
	SCREEN=$(grep -o 'screen: [a-zA-Z].*' "$data/log" | tail -n 1 || true)
	rm -rf "$data"
	printf '%-18s %6s %% of a core   RSS %4s MB (peak %s)\n  %s\n' \
		"renderer = $1" "$CPU" "$RSS" "$HWM" "$SCREEN"
}

echo "attract loop of the demo library, ${SECS} s, 1280x720, offscreen driver"
one auto
cpu_auto=$CPU
one opengl
awk -v a="$cpu_auto" -v g="$CPU" \
	'BEGIN { if (a > 0) printf "opengl / auto CPU: %.2fx\n", g / a }'
