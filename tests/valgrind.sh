#!/usr/bin/env bash
# valgrind.sh: the integration tests under valgrind's memcheck.
#
#   tests/valgrind.sh [BUILD_DIR] [NAME...]
#
# Runs each test-* program of meson's suite "integration" in BUILD_DIR
# (default: build), or only the tests NAMEd (meson's names: shell, quiz...),
# under memcheck, headless (offscreen video, dummy audio), one at a time.
# BUILD_DIR must be a plain build: valgrind cannot run a sanitizer build.
# Prints per program the errors and the bytes definitely and indirectly
# lost, then `valgrind: P programs, E errors, D bytes definitely lost`.
# Exits 1 when any program has a memcheck error (invalid read or write, use
# of uninitialised memory, bad free...), leaks definitely or indirectly
# lost memory, or fails its own tests; 2 when it cannot run at all.
#
# tests/valgrind.supp silences what third-party libraries do inside
# themselves (it never names a kiosk function). Each program's full report
# is BUILD_DIR/valgrind/NAME.log; processes the tests start (ffmpeg, the
# kiosk program) are not followed.
#
# Left out, with the reason (name a program to run it all the same):
#   avsync   measures A/V offsets and dropped frames against the clock;
#            20-50x slower under valgrind, its figures fail by design.
#   import_kill  kills the kiosk program mid-import at chosen moments and
#            times the recovery; it runs the program as a child, which
#            valgrind does not follow anyway.
# Tests left out of a program (by a small preload library the script
# builds, which drops them from cmocka's group; KIOSK_VALGRIND_SKIP):
#   shell    test_walkthrough: gives a film 3 s of the clock to end and
#            the viewer to close by itself; test_pdf_leaflet: looks for
#            the first page 10 ms after opening the leaflet.
#   quiz     test_class_contest: looks up the quiz's choices 30 ms after
#            the key that opened it, before a turn of the loop under
#            valgrind has drawn it; test_operator_big_log: counts a big
#            log against a 120 s bound.
# Those tests fail on time, not on memory; their state, abandoned by
# cmocka when an assertion fails, would read as leaks.
# The soak runs KIOSK_SOAK_CYCLES (default here 4: two of warm-up, in which
# fonts are opened as glyphs first need them) cycles; under valgrind it
# checks descriptors, not memory figures.
#
# Time: about 8 minutes on two shared cores for the seven programs of
# 2026-11 (the soak and badlibrary about 3 and 2 of them).
#
# Environment: VALGRIND (default valgrind), VALGRIND_OPTS_EXTRA (added to
# the options), KIOSK_SOAK_CYCLES (4), VALGRIND_TIMEOUT_FACTOR (20: times
# the test's meson timeout).
set -u

here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/.." && pwd)"
build="${1:-build}"
shift || true
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac

die() { echo "valgrind.sh: $*" >&2; exit 2; }

VALGRIND="${VALGRIND:-valgrind}"
command -v "$VALGRIND" >/dev/null 2>&1 || die "'$VALGRIND' not found (apt-get install valgrind)"
[ -f "$build/build.ninja" ] || die "$build is not a meson build directory"
command -v meson >/dev/null 2>&1 || die "meson not found"

sanitize="$(meson introspect --buildoptions "$build" | python3 -c '
import json, sys
for o in json.load(sys.stdin):
    if o["name"] == "b_sanitize":
        print(o["value"])')"
case "$sanitize" in
"" | none) ;;
*) die "$build is built with -Db_sanitize=$sanitize; valgrind needs a plain build" ;;
esac

ninja -C "$build" >/dev/null || die "ninja -C $build failed"

# name, program, meson timeout: the integration tests that are test-* programs
mapfile -t rows < <(meson introspect --tests "$build" | python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if not any(s.split(":")[-1] == "integration" for s in t["suite"]):
        continue
    prog = t["cmd"][0]
    if not os.path.basename(prog).startswith("test-"):
        continue
    print(t["name"], prog, t.get("timeout") or 300)')
[ "${#rows[@]}" -gt 0 ] || die "no integration test programs in $build"

skip=" avsync import_kill "
want=" $* "
# the cmocka tests left out, per program
skip_tests() {
	case "$1" in
	shell) echo "test_walkthrough test_pdf_leaflet" ;;
	quiz) echo "test_class_contest test_operator_big_log" ;;
	esac
}

out="$build/valgrind"
mkdir -p "$out"

# A preload library that drops the tests named in KIOSK_VALGRIND_SKIP
# (separated by spaces) from every cmocka group before it runs.
cat >"$out/cmocka-skip.c" <<'EOF_C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

typedef int run_fn(const char *, const struct CMUnitTest *, size_t,
		   CMFixtureFunction, CMFixtureFunction);

static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

int _cmocka_run_group_tests(const char *group, const struct CMUnitTest *tests,
			    size_t n, CMFixtureFunction setup,
			    CMFixtureFunction teardown)
{
	run_fn *real = (run_fn *)dlsym(RTLD_NEXT, "_cmocka_run_group_tests");
	const char *skip = getenv("KIOSK_VALGRIND_SKIP");
	struct CMUnitTest *kept = calloc(n ? n : 1, sizeof *kept);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!listed(skip, tests[i].name))
			kept[k++] = tests[i];
	int r = real(group, kept, k, setup, teardown);
	free(kept);
	return r;
}
EOF_C
${CC:-cc} -shared -fPIC -O1 -o "$out/cmocka-skip.so" "$out/cmocka-skip.c" -ldl ||
	die "cannot build the cmocka preload library"

export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
export KIOSK_SOURCE_DIR="$src" KIOSK_BUILD_DIR="$build"
export CMOCKA_MESSAGE_OUTPUT=STDOUT
# memcheck runs code 20-50 times slower: tests with time limits widen them
export KIOSK_TEST_SLOWDOWN="${KIOSK_TEST_SLOWDOWN:-20}"
export KIOSK_SOAK_CYCLES="${KIOSK_SOAK_CYCLES:-4}"
factor="${VALGRIND_TIMEOUT_FACTOR:-20}"

# shellcheck disable=SC2054 # the commas are inside option values
opts=(--tool=memcheck --leak-check=full
      --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
      --error-exitcode=99 --track-fds=yes --num-callers=40
      --child-silent-after-fork=yes --trace-children=no
      --suppressions="$here/valgrind.supp" --gen-suppressions=all)
# shellcheck disable=SC2206
opts+=(${VALGRIND_OPTS_EXTRA:-})

programs=0 errors=0 definite=0 failed=0
start=$(date +%s)
printf '%-14s %8s %10s %10s %6s %7s  %s\n' program errors definite indirect fds seconds result
for row in "${rows[@]}"; do
	read -r name prog timeout <<<"$row"
	if [ "$want" != "  " ]; then
		case "$want" in *" $name "*) ;; *) continue ;; esac
	elif [ "${skip/ $name /}" != "$skip" ]; then
		printf '%-14s %s\n' "$name" "left out (see the header of this script)"
		continue
	fi
	log="$out/$name.log"
	rm -f "$log"
	t0=$(date +%s)
	KIOSK_VALGRIND_SKIP="$(skip_tests "$name")" LD_PRELOAD="$out/cmocka-skip.so" \
	timeout --kill-after=30 "$((timeout * factor))" \
		"$VALGRIND" "${opts[@]}" --log-file="$log" "$prog" >"$out/$name.out" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	touch "$log"
	# the figures of the main process (its log holds only its own)
	e=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tail -1 | tr -d ,)
	d=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -1 | tr -d ,)
	i=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -1 | tr -d ,)
	f=$(sed -n 's/.*FILE DESCRIPTORS: \([0-9]*\) open.*/\1/p' "$log" | tail -1)
	e=${e:-0} d=${d:-0} i=${i:-0} f=${f:-?}
	result=ok
	if ! grep -q 'ERROR SUMMARY' "$log"; then
		result="no summary (exit $rc; killed or timed out?)"
		failed=$((failed + 1))
	elif grep -q '^\[  FAILED  \]' "$out/$name.out" ||
	     { [ "$rc" -ne 0 ] && [ "$rc" -ne 99 ]; }; then
		# (valgrind's exit code hides the program's when it found errors)
		result="tests failed (exit $rc; leaks then include the failed tests' state): $out/$name.out"
		failed=$((failed + 1))
	elif [ "$e" -ne 0 ]; then
		result="memcheck errors: $log"
	fi
	skipped="$(skip_tests "$name")"
	[ -z "$skipped" ] || result="$result (left out: $skipped)"
	printf '%-14s %8s %10s %10s %6s %7s  %s\n' "$name" "$e" "$d" "$i" "$f" "$secs" "$result"
	programs=$((programs + 1))
	errors=$((errors + e))
	definite=$((definite + d))
done
total=$(($(date +%s) - start))
echo "valgrind: $programs programs, $errors errors, $definite bytes definitely lost" \
     "($failed failed their tests; ${total} s; logs in $out)"
[ "$programs" -gt 0 ] || exit 2
[ "$errors" -eq 0 ] && [ "$definite" -eq 0 ] && [ "$failed" -eq 0 ]
