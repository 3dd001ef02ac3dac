#!/bin/sh
# setup.sh: install what is missing, build, then run the kiosk or its tests.
#
#   ./setup.sh run [kiosk run options]   start the kiosk on the bundled content/
#   ./setup.sh test [meson test options] run the whole test suite
#   ./setup.sh build                     only install and build
#   ./setup.sh arm64 [meson test options] cross-build for a Raspberry Pi
#                                        (arm64) and run the tests under
#                                        qemu-user
#
# `test` builds the kiosk as it ships (BUILD_DIR) and runs the whole suite
# in a second build with AddressSanitizer and UndefinedBehaviorSanitizer
# (SAN_BUILD_DIR), so every run is a sanitizer run.
#
# Works on a fresh Debian 12 or Raspberry Pi OS: missing Debian packages are
# installed with apt-get (through sudo when not root). Environment:
#   BUILD_DIR=build            the meson build directory
#   MESON_OPTIONS="..."        extra options for `meson setup`
#   SAN_BUILD_DIR=build-asan   where `test` builds and runs the suite with
#                              the sanitizers
#   SANITIZE=0                 `test` runs the suite in BUILD_DIR instead
#   FUZZ_SECONDS=10            `test` fuzzes each libFuzzer target this long
#                              (tests/fuzz/run.sh; 0: not at all)
#   FUZZ_BUILD_DIR=build-fuzz  the clang build of the fuzz targets
#   ARM64_BUILD_DIR=build-arm64  `arm64`: the cross build
#   ARM64_TESTS="--suite qemu" `test`: the meson test options of the part
#                              of the suite it also runs on the arm64
#                              build under qemu-user (0: none); `arm64`
#                              runs all unless given options
set -eu

cd "$(dirname "$0")"
BUILD_DIR=${BUILD_DIR:-build}
MESON_OPTIONS=${MESON_OPTIONS:-}
SAN_BUILD_DIR=${SAN_BUILD_DIR:-build-asan}
SAN_OPTIONS="-Db_sanitize=address,undefined -Db_lundef=false"
SANITIZE=${SANITIZE:-1}

PACKAGES="gcc pkg-config meson ninja-build python3
libsdl2-dev libsdl2-ttf-dev
libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
libsqlite3-dev libjansson-dev libcsv-dev libgettextpo-dev libcmocka-dev
libsodium-dev libarchive-dev libsystemd-dev
libmupdf-dev libmujs-dev libgumbo-dev libopenjp2-7-dev libjbig2dec0-dev libjpeg-dev
libharfbuzz-dev libfreetype-dev mupdf-tools libjpeg-turbo-progs
gettext ffmpeg fonts-noto-core"

# Only for `./setup.sh test`: the report tests render report.html in
# headless Chromium, read the PDF with poppler's tools, and round-trip the
# CSV files through LibreOffice Calc (the smallest Debian package with
# `soffice --headless --convert-to`). systemd brings systemd-analyze, which
# checks the appliance's unit file.
# clang and its libFuzzer runtime build the fuzz targets (tests/fuzz);
# valgrind runs tests/valgrind.sh.
TEST_PACKAGES="chromium poppler-utils libreoffice-calc-nogui systemd
clang libclang-rt-14-dev valgrind"

say() { printf 'setup: %s\n' "$*" >&2; }

# install_missing [--quiet] PACKAGE...: apt-get install those not installed.
install_missing() {
	quiet=""
	if [ "${1:-}" = "--quiet" ]; then
		quiet="-qq -o Dpkg::Use-Pty=0"
		shift
	fi
	missing=""
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	say "installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=""
	elif command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		say "these Debian packages are missing and I am not root and have no sudo:$missing"
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y $quiet \
		--no-install-recommends $missing; then
		$SUDO apt-get update $quiet
		# shellcheck disable=SC2086
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y $quiet \
			--no-install-recommends $missing
	fi
}

# build [DIR OPTIONS]: configure (once) and build DIR, then make the demo
# library's media.
build() {
	dir=${1:-$BUILD_DIR}
	opts=${2:-$MESON_OPTIONS}
	if [ ! -f "$dir/build.ninja" ]; then
		# shellcheck disable=SC2086
		meson setup "$dir" $opts
	elif [ -n "$opts" ]; then
		# shellcheck disable=SC2086
		meson configure "$dir" $opts
	fi
	ninja -C "$dir"
	bash content/generate-media.sh
}

# summary LOG...: print "N passed, N failed" from the test logs: the
# cmocka cases of each test program that printed cmocka's summary, one per
# other test.
summary() {
	python3 - "$@" <<'PY'
import json, re, sys
passed = failed = skipped = 0
lines = []
for path in sys.argv[1:]:
    try:
        lines += open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        # the tests never ran (a build failure): that is a failure, not 0/0
        print(f"setup: no test log: {e}", file=sys.stderr)
        lines.append('{"result": "ERROR"}')
for line in lines:
    if not line.strip():
        continue
    t = json.loads(line)
    out = (t.get("stdout") or "") + (t.get("stderr") or "")
    res = t.get("result")
    # cmocka: "[==========] N test(s) run." and one "[       OK ] name" per
    # passing case (its own PASSED/FAILED summary goes to stderr).
    runs = [int(n) for n in re.findall(r"^\[==========\] (\d+) test\(s\) run", out, re.M)]
    # (anywhere in a line: a child process of the test may have left a
    # line unfinished on the same stdout)
    oks = len(re.findall(r"\[       OK \] ", out))
    # a skipped case is named at the skip and again in cmocka's summary
    skips = len(set(n for n in re.findall(r"^\[  SKIPPED \] (\S+)$", out, re.M)))
    if runs or oks:
        f = max(sum(runs) - oks - skips, 0) if runs else 0
        if res not in ("OK", "SKIP") and f <= 0:
            f = 1  # crashed mid-way, or failed after cmocka finished (a leak)
        passed += oks
        skipped += skips
        failed += f
    elif res == "OK":
        passed += 1
    elif res == "SKIP":
        skipped += 1
    else:
        failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

# The arm64 libraries: the -dev packages of PACKAGES for arm64 (Debian
# multiarch), the cross compiler and qemu-user. libmupdf-dev is not
# multiarch (its static libraries are in /usr/lib for every architecture),
# so it is unpacked into the cross build's own folder instead (arm64_mupdf).
arm64_install() {
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		say "adding the arm64 architecture (Debian multiarch)"
		if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
		$SUDO dpkg --add-architecture arm64
		$SUDO apt-get update -qq
	fi
	arm64_dev=""
	for p in $PACKAGES; do
		case "$p" in
		libmupdf-dev) ;;
		lib*-dev) arm64_dev="$arm64_dev $p:arm64" ;;
		esac
	done
	# shellcheck disable=SC2086
	install_missing $PACKAGES
	# shellcheck disable=SC2086
	install_missing --quiet $arm64_dev crossbuild-essential-arm64 qemu-user
}

# arm64_mupdf DIR: libmupdf-dev for arm64 unpacked under DIR/mupdf, with a
# pkg-config file pointing there (DIR/mupdf/pkgconfig).
arm64_mupdf() {
	dir=$1/mupdf
	[ -f "$dir/pkgconfig/mupdf.pc" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir/deb"
	(cd "$dir/deb" && apt-get download -q libmupdf-dev:arm64 2>/dev/null) ||
		(cd "$dir/deb" && apt-get update -qq && apt-get download -q libmupdf-dev:arm64)
	dpkg-deb -x "$dir"/deb/libmupdf-dev_*_arm64.deb "$dir/root"
	mkdir -p "$dir/pkgconfig"
	sed "s|^prefix=.*|prefix=$(cd "$dir/root" && pwd)/usr|" \
		"$dir/root/usr/lib/aarch64-linux-gnu/pkgconfig/mupdf.pc" \
		>"$dir/pkgconfig/mupdf.pc"
}

# arm64 [meson test options]: cross-build in ARM64_BUILD_DIR and run the
# tests there under qemu-user (all of them unless options are given).
# Writes the log that `summary` reads.
arm64() {
	adir=${ARM64_BUILD_DIR:-build-arm64}
	arm64_install
	mkdir -p "$adir"
	arm64_mupdf "$adir" || return 2
	if [ ! -f "$adir/build.ninja" ]; then
		meson setup "$adir" --cross-file assets/pi/cross-arm64.ini \
			-Dpkg_config_path="$(cd "$adir" && pwd)/mupdf/pkgconfig" ||
			return 2
	fi
	ninja -C "$adir" || return 2
	bash content/generate-media.sh || return 2
	say "$adir/kiosk/kiosk: $(file -b "$adir/kiosk/kiosk" | cut -d, -f1-2)"
	rm -f "$adir/meson-logs/testlog.json"
	say "arm64 tests under qemu-user: ${*:-all of them}"
	# qemu is 5 to 20 times slower than the machine: the timeouts widen
	# (meson's, and the tests' own limits through KIOSK_TEST_SLOWDOWN)
	KIOSK_TEST_SLOWDOWN=${KIOSK_TEST_SLOWDOWN:-10} \
		meson test -C "$adir" --print-errorlogs --timeout-multiplier 10 "$@"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
run)
	# shellcheck disable=SC2086
	install_missing $PACKAGES
	build
	if [ $# -eq 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
		set -- --window 1280x720
	fi
	exec "$BUILD_DIR/kiosk/kiosk" run --content "$PWD/content" "$@"
	;;
test)
	# shellcheck disable=SC2086
	install_missing $PACKAGES
	# shellcheck disable=SC2086
	install_missing --quiet $TEST_PACKAGES
	build "$BUILD_DIR" "$MESON_OPTIONS"
	suite_dir=$BUILD_DIR
	if [ "$SANITIZE" != 0 ]; then
		suite_dir=$SAN_BUILD_DIR
		build "$suite_dir" "$SAN_OPTIONS"
	fi
	rc=0
	logs="$suite_dir/meson-logs/testlog.json"
	rm -f $logs   # never report an old run
	say "the whole suite in $suite_dir"
	meson test -C "$suite_dir" --print-errorlogs "$@" || rc=$?
	# The Raspberry Pi build (arm64), cross-compiled, and part of the
	# suite on it under qemu-user (ARM64_TESTS; `./setup.sh arm64` for
	# all of it)
	arm64_opts=${ARM64_TESTS:---suite qemu}
	if [ "$arm64_opts" != 0 ]; then
		say "the arm64 build, and its tests under qemu ($arm64_opts)"
		arm64_start=$(date +%s)
		arm64_rc=0
		# shellcheck disable=SC2086
		arm64 $arm64_opts || arm64_rc=$?
		[ $arm64_rc -ne 0 ] && rc=1
		arm64_log="${ARM64_BUILD_DIR:-build-arm64}/meson-logs/testlog.json"
		say "arm64 under qemu: $(summary "$arm64_log") in $(( $(date +%s) - arm64_start )) s"
		logs="$logs $arm64_log"
	fi
	# The fuzz targets, FUZZ_SECONDS each (0: none), in a clang build
	# of their own; each target's run counts as one test.
	if [ "${FUZZ_SECONDS:-10}" != 0 ] && [ -f tests/fuzz/run.sh ]; then
		fuzz_dir=${FUZZ_BUILD_DIR:-build-fuzz}
		fuzz_log="$fuzz_dir/fuzz-results.json"
		rm -f "$fuzz_log"
		say "the fuzz targets, ${FUZZ_SECONDS:-10} s each, in $fuzz_dir"
		FUZZ_BUILD_DIR=$fuzz_dir bash tests/fuzz/run.sh "${FUZZ_SECONDS:-10}" \
			>"$fuzz_dir.out" 2>&1 || rc=1
		cat "$fuzz_dir.out"
		mkdir -p "$fuzz_dir"
		python3 - "$fuzz_dir.out" >"$fuzz_log" <<'PY'
import json, re, sys
out = open(sys.argv[1], encoding="utf-8", errors="replace").read()
targets = re.findall(r"^fuzz (\S+): (.*crashes (\d+))$", out, re.M)
for name, line, crashes in targets:
    print(json.dumps({"name": "fuzz-" + name, "stdout": line,
                      "result": "OK" if crashes == "0" else "FAIL"}))
if not targets or re.search(r"^fuzz: (build|meson setup) failed|fails again", out, re.M):
    print(json.dumps({"name": "fuzz", "result": "FAIL", "stdout": out[-2000:]}))
PY
		logs="$logs $fuzz_log"
	fi
	# shellcheck disable=SC2086
	summary $logs
	exit $rc
	;;
build)
	# shellcheck disable=SC2086
	install_missing $PACKAGES
	build
	;;
arm64)
	rc=0
	start=$(date +%s)
	arm64 "$@" || rc=$?
	[ $rc -eq 2 ] && { say "arm64: the cross build failed"; exit 2; }
	summary "${ARM64_BUILD_DIR:-build-arm64}/meson-logs/testlog.json"
	say "arm64: $(( $(date +%s) - start )) s"
	exit $rc
	;;
*)
	echo "usage: ./setup.sh run|test|build|arm64 [options]" >&2
	exit 2
	;;
esac
