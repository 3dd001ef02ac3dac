#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS_PER_TARGET]: build the libFuzzer targets of
# tests/fuzz (clang, ASan + UBSan, kiosk-core instrumented), run each once
# over its regression inputs (tests/fuzz/regress/<target>/) and hand-made
# seeds, then fuzz each for SECONDS_PER_TARGET seconds (default 600) from a
# corpus gathered from the repository's own files.
#
# Prints one line per target,
#   fuzz <target>: N execs in S s, E exec/s, corpus C, crashes K
# and at the end
#   fuzz: T targets, N execs, K crashes
# Exits 1 when any target crashed (or a regression input fails again),
# 2 when the build fails.
#
# Environment:
#   FUZZ_BUILD_DIR  the build directory (default: build-fuzz in the tree)
#   FUZZ_TARGETS    the targets to run (default: all), separated by spaces
#   FUZZ_JOBS       targets fuzzed at once (default: the number of CPUs)
#   FUZZ_TMPDIR     where the targets write their scratch files (default:
#                   a new folder in /dev/shm, else in $TMPDIR or /tmp)
#
# Crashes go to BUILD/crashes/<target>/, the corpus to BUILD/corpus/<target>/
# (kept between runs), libFuzzer's output to BUILD/fuzz-logs/<target>.log.
# Reproduce a crash with BUILD/tests/fuzz/fuzz-<target> CRASH_FILE; when it
# is fixed, copy the file to tests/fuzz/regress/<target>/.
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
secs=${1:-600}
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
all_targets="catalog leaflet bank-csv bank-gift subtitles strings manifest
	packkey packfile config settings jsonpos"
targets=${FUZZ_TARGETS:-$all_targets}

case $secs in
	''|*[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac
[ "$secs" -ge 1 ] || { echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2; }
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1

# The longest input each target is given (libFuzzer -max_len): a little
# over the largest real file of its kind that is worth mutating.
max_len() {
	case $1 in
	packkey) echo 1200 ;;
	settings) echo 2048 ;;
	catalog|subtitles|manifest|config|jsonpos) echo 4096 ;;
	leaflet|bank-csv|bank-gift|strings) echo 8192 ;;
	packfile) echo 24576 ;;   # tar pads a pack to 10240 bytes
	*) echo 4096 ;;
	esac
}

# Options of one target beyond the common ones.
extra_opts() {
	case $1 in
	# libgettextpo leaks a copy of the file name on every read
	# (suppressed, see fuzz_common.c); a leak check after every input
	# would make this target 20 times slower. Leaks are still checked
	# at exit.
	strings) echo "-detect_leaks=0" ;;
	esac
}

# The longest a target runs in one process: libgettextpo's leaks (a few
# small blocks per file read, see fuzz_common.c) pile up to libFuzzer's
# -rss_limit_mb in about ten minutes, so fuzz-strings is restarted on its
# corpus every four. 0: no limit.
chunk_secs() {
	case $1 in
	strings) echo 240 ;;
	*) echo 0 ;;
	esac
}

# ---- build ------------------------------------------------------------------

t0=$(date +%s)
if [ ! -f "$build/build.ninja" ]; then
	if ! CC=${CC:-clang} meson setup "$build" "$src" -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link >"$build.setup.log" 2>&1; then
		cat "$build.setup.log" >&2
		echo "fuzz: meson setup failed" >&2
		exit 2
	fi
	mv "$build.setup.log" "$build/fuzz-setup.log"
fi
if ! ninja -C "$build" >"$build/fuzz-build.log" 2>&1; then
	cat "$build/fuzz-build.log" >&2
	echo "fuzz: build failed" >&2
	exit 2
fi
echo "fuzz: build took $(( $(date +%s) - t0 )) s"
grep -E "warning:" "$build/fuzz-build.log" | sort -u | sed 's/^/fuzz: build: /'

bin=$build/tests/fuzz
for t in $targets; do
	if [ ! -x "$bin/fuzz-$t" ]; then
		echo "fuzz: no target fuzz-$t in $bin (configured with -Dfuzz=true?)" >&2
		exit 2
	fi
done

scratch=${FUZZ_TMPDIR:-}
made_scratch=
if [ -z "$scratch" ]; then
	scratch=$(mktemp -d /dev/shm/kiosk-fuzz-run.XXXXXX 2>/dev/null ||
		  mktemp -d "${TMPDIR:-/tmp}/kiosk-fuzz-run.XXXXXX")
	made_scratch=$scratch
fi
gen=$(mktemp -d "$scratch/gen.XXXXXX")
cleanup() {
	rm -rf "$gen"
	[ -n "$made_scratch" ] && rm -rf "$made_scratch"
}
# Interrupted: stop the targets still running before their scratch
# folder goes.
interrupted() {
	local f
	for f in "$build"/fuzz-logs/*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	wait
	exit 130
}
trap cleanup EXIT
trap interrupted INT TERM
export FUZZ_TMPDIR=$scratch

# ---- seeds ------------------------------------------------------------------

# seed TARGET FILE...: copy the files (those that exist) into the target's
# corpus, named after their path in the tree.
seed() {
	local t=$1 f name
	shift
	mkdir -p "$build/corpus/$t"
	for f in "$@"; do
		[ -f "$f" ] || continue
		name=${f#"$src"/}
		name=${name#"$gen"/}
		name=${name//\//_}
		cp -f "$f" "$build/corpus/$t/seed-$name"
	done
}

shopt -s nullglob globstar
seed catalog "$src"/content/*/item.json \
	"$src"/tests/fixtures/broken/*/item.json "$src"/tests/fuzz/seeds/catalog/*
seed jsonpos "$src"/content/*/item.json \
	"$src"/tests/fixtures/broken/*/item.json "$src"/locales/languages.json \
	"$src"/tests/fuzz/seeds/manifest/*
seed leaflet "$src"/content/**/*.md "$src"/tests/fixtures/**/*.md
seed bank-csv "$src"/content/**/*.csv "$src"/tests/fixtures/**/*.csv
seed bank-gift "$src"/content/**/*.gift "$src"/tests/fixtures/**/*.gift
seed subtitles "$src"/content/**/*.srt "$src"/content/**/*.vtt \
	"$src"/tests/fixtures/**/*.srt "$src"/tests/fixtures/**/*.vtt \
	"$src"/tests/fuzz/seeds/subtitles/*
seed strings "$src"/locales/*.po
seed manifest "$src"/tests/fuzz/seeds/manifest/*
seed packkey "$src"/tests/fuzz/seeds/packkey/*
seed config "$src"/assets/pi/kiosk.conf "$src"/tests/fuzz/seeds/config/*
seed settings "$src"/tests/fuzz/seeds/settings/* \
	"$src"/tests/fuzz/seeds/config/*

# A key pair, and a small pack signed and unsigned, made by the kiosk
# program itself: seeds for packkey, packfile and manifest.
kiosk=$build/kiosk/kiosk
make_packs() {
	mkdir -p "$gen/lib/crc/pics" "$gen/lib/quiz" || return 1
	cp "$src/content/crc/item.json" "$gen/lib/crc/item.json" &&
	printf 'x' >"$gen/lib/crc/pics/1.png" &&
	printf 'id,language,question,A,B,correct\nq1,vi,Hỏi?,Có,Không,A\n' \
		>"$gen/lib/quiz/bank.csv" &&
	"$kiosk" keygen "$gen/key" &&
	"$kiosk" pack "$gen/lib" -o "$gen/unsigned.pack" --version 3 \
		--publisher "Trung tâm" &&
	cp "$gen/unsigned.pack" "$gen/signed.pack" &&
	"$kiosk" sign --key "$gen/key.secret" "$gen/signed.pack" &&
	tar -xOf "$gen/signed.pack" MANIFEST.json >"$gen/MANIFEST.json"
}
# The signed pack with an entry a pack may not hold appended (GNU tar).
odd_packs() {
	local kind
	mkdir -p "$gen/odd/content/crc" && cd "$gen/odd" || return 1
	ln -s item.json content/crc/link
	mkfifo content/crc/fifo 2>/dev/null
	printf 'x' >content/crc/file && ln content/crc/file content/crc/hard
	for kind in link fifo hard; do
		[ -e "content/crc/$kind" ] || [ -L "content/crc/$kind" ] || continue
		cp "$gen/signed.pack" "$gen/odd-$kind.pack" &&
		tar --format=pax -rf "$gen/odd-$kind.pack" content/crc/file \
			"content/crc/$kind"
	done
	cp "$gen/signed.pack" "$gen/odd-dir.pack" &&
	tar --format=pax --no-recursion -rf "$gen/odd-dir.pack" content/crc
}
if (export KIOSK_LOG=error; make_packs) >"$build/fuzz-seeds.log" 2>&1; then
	seed packkey "$gen/key.public" "$gen/key.secret"
	seed packfile "$gen/unsigned.pack" "$gen/signed.pack"
	seed manifest "$gen/MANIFEST.json"
	seed jsonpos "$gen/MANIFEST.json"
	(odd_packs) >>"$build/fuzz-seeds.log" 2>&1
	seed packfile "$gen"/odd-*.pack
else
	echo "fuzz: warning: the pack seeds could not be made (see" \
	     "$build/fuzz-seeds.log)" >&2
fi
shopt -u nullglob globstar

# ---- regression inputs ------------------------------------------------------

mkdir -p "$build/fuzz-logs"
rm -f "$build"/fuzz-logs/*.pid

total_crashes=0
failed=
for t in $targets; do
	dirs=()
	for d in "$src/tests/fuzz/regress/$t" "$src/tests/fuzz/seeds/$t"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	[ ${#dirs[@]} -gt 0 ] || continue
	log=$build/fuzz-logs/$t.regress.log
	if ! ("$bin/fuzz-$t" -runs=0 -timeout=5 -rss_limit_mb=2048 \
		"${dirs[@]}") >"$log" 2>&1; then
		echo "fuzz $t: a regression input fails again:" >&2
		grep -aE "ERROR|SUMMARY|fuzz check failed|Running: " "$log" | tail -n 8 >&2
		total_crashes=$((total_crashes + 1))
		failed="$failed $t"
	fi
done

# ---- fuzzing ----------------------------------------------------------------

# fuzz TARGET: run it for $secs seconds; writes BUILD/fuzz-logs/TARGET.*
fuzz() {
	local t=$1 crashes=$build/crashes/$1 corpus=$build/corpus/$1
	local dict=$src/tests/fuzz/dict/$1.dict opts=() start end rc
	mkdir -p "$crashes" "$corpus"
	[ -f "$dict" ] && opts+=("-dict=$dict")
	# shellcheck disable=SC2207
	opts+=($(extra_opts "$t"))
	ls "$crashes" | wc -l >"$build/fuzz-logs/$t.before"
	local left=$secs chunk now
	chunk=$(chunk_secs "$t")
	: >"$build/fuzz-logs/$t.log"
	start=$(date +%s.%N)
	rc=0
	while [ "$left" -gt 0 ] && [ "$rc" -eq 0 ]; do
		now=$left
		[ "$chunk" -gt 0 ] && [ "$now" -gt "$chunk" ] && now=$chunk
		left=$((left - now))
		timeout -k 10 $((now + 300)) "$bin/fuzz-$t" \
			-max_total_time="$now" -timeout=5 -rss_limit_mb=2048 \
			-max_len="$(max_len "$t")" -print_final_stats=1 \
			-artifact_prefix="$crashes/" "${opts[@]}" "$corpus" \
			>>"$build/fuzz-logs/$t.log" 2>&1 &
		echo $! >"$build/fuzz-logs/$t.pid"
		wait $!
		rc=$?
	done
	rm -f "$build/fuzz-logs/$t.pid"
	end=$(date +%s.%N)
	echo "$rc $start $end" >"$build/fuzz-logs/$t.status"
}

running=0
for t in $targets; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	fuzz "$t" &
	running=$((running + 1))
done
wait

# libfuzzer_stat NAME LOG: libFuzzer's final statistic NAME, summed over
# the runs in LOG (0 when missing).
libfuzzer_stat() {
	sed -n "s/^stat::$1: *\([0-9][0-9]*\).*/\1/p" "$2" |
		awk '{ s += $1 } END { printf "%d", s }'
}

total_execs=0
n=0
for t in $targets; do
	n=$((n + 1))
	log=$build/fuzz-logs/$t.log
	read -r rc start end <"$build/fuzz-logs/$t.status"
	execs=$(libfuzzer_stat number_of_executed_units "$log")
	elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
	rate=$(awk -v n="$execs" -v a="$start" -v b="$end" \
		'BEGIN { printf "%d", (b > a ? n / (b - a) : 0) }')
	corpus=$(find "$build/corpus/$t" -type f | wc -l)
	new=$(ls "$build/crashes/$t" | wc -l)
	new=$((new - $(cat "$build/fuzz-logs/$t.before")))
	# a failure without an artifact (a leak found at exit, a timeout of
	# the whole run) counts too
	[ "$rc" -ne 0 ] && [ "$new" -eq 0 ] && new=1
	total_execs=$((total_execs + execs))
	total_crashes=$((total_crashes + new))
	echo "fuzz $t: $execs execs in $elapsed s, $rate exec/s," \
	     "corpus $corpus, crashes $new"
	if [ "$new" -gt 0 ]; then
		failed="$failed $t"
		grep -aE "fuzz check failed|ERROR: |SUMMARY: |Test unit written" \
			"$log" | head -n 8 | sed "s/^/fuzz $t: /" >&2
	fi
done
echo "fuzz: $n targets, $total_execs execs, $total_crashes crashes"
if [ -n "$failed" ]; then
	echo "fuzz: crashed:$failed (logs in $build/fuzz-logs," \
	     "inputs in $build/crashes)" >&2
	exit 1
fi
exit 0
