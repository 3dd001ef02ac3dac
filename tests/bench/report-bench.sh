#!/usr/bin/env bash
# report-bench.sh: the yearly report over a year of generated logs of 50
# kiosks (1,000,000 events, a tenth of the kiosks also with an earlier
# export so the merge has rows to drop), beside the sqlite3 tool running
# the same aggregate (views per item and language, each view once) on the
# same files in the same run.
#
#   tests/bench/report-bench.sh [kiosk bench report options]
#   BUILD_DIR=build-bench tests/bench/report-bench.sh --events 200000 --keep
#
# Options go to `kiosk bench report` (--kiosks N, --events N, --days N,
# --seed N, --dir DIR, --keep; see its --help). Prints the median of 3
# runs of `kiosk report -o DIR FILES...`: wall time and peak RSS beside
# the targets (<= 5 s, <= 200 MB), the sqlite3 tool's time and the ratio,
# and checks that both count the same views per item. The reference needs
# the sqlite3 tool (Debian: apt-get install sqlite3); without it the bench
# says so and exits 1 after measuring the kiosk.
# Configures BUILD_DIR (default: build-bench) as a release build and builds
# it first when needed. Takes about a minute (generating the logs: ~10 s).
# Exit status: non-zero when a run failed, the two disagree or a target
# was missed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD_DIR:-build-bench}
quiet() { # run a build step, showing its output only when it fails
	local out
	out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}
[ -f "$BUILD/build.ninja" ] || quiet meson setup "$BUILD" --buildtype=release
bt=$(meson introspect --buildoptions "$BUILD" 2>/dev/null |
	python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"))' 2>/dev/null || echo unknown)
[ "$bt" = release ] || echo "report-bench: note: $BUILD is a '$bt' build, not release" >&2
command -v sqlite3 >/dev/null ||
	echo "report-bench: the sqlite3 tool is missing (apt-get install sqlite3): no reference" >&2
quiet ninja -C "$BUILD" kiosk/kiosk
exec "$BUILD/kiosk/kiosk" bench report "$@"
