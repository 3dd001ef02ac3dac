#!/usr/bin/env bash
# realtime.sh: the player in real time, as the viewer plays a video: frames
# dropped, audio underruns, A/V offset (p50, p99, mean), wall and CPU time
# and peak RSS, beside `ffmpeg -re -i FILE -f null -` and, when installed,
# mpv (--vo=null --ao=null) playing the same file in the same run.
#
#   tests/bench/realtime.sh [FILE]
#   BUILD_DIR=build-rt tests/bench/realtime.sh [FILE]
#
# Without FILE a 60 s 1080p30 H.264 + AAC 48 kHz stereo clip of a moving
# test pattern is generated in a temporary directory (needs the ffmpeg
# tool with libx264). The kiosk plays on a hidden 1280x720 window with
# SDL_VIDEODRIVER=offscreen and SDL_AUDIODRIVER=dummy unless they are set.
# Targets: 0 frames dropped, p99 |A/V offset| <= 20 ms, peak RSS <= 150 MB.
# Configures and builds BUILD_DIR (default: build) first when needed.
# Takes about three times the clip's length. Exit status: non-zero only
# when the kiosk's playback failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD_DIR:-build}
quiet() { # run a build step, showing its output only when it fails
	local out
	out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}
[ -f "$BUILD/build.ninja" ] || quiet meson setup "$BUILD"
quiet ninja -C "$BUILD" kiosk/kiosk
exec "$BUILD/kiosk/kiosk" bench realtime "$@"
