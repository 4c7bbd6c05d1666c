#!/bin/sh
# fuzz.sh - TAP suite of one libFuzzer target: replays its regression
# inputs, then fuzzes for a while. Installed as build/host/NAME-fuzz.sh,
# it fuzzes build/host/fuzz_NAME; NAME is heap (mm/heap.c: inputs in
# tests/host/fuzz-regressions, HEAP_FUZZ_SECONDS, default 60), slab
# (mm/slab.c: tests/host/fuzz-regressions-slab, SLAB_FUZZ_SECONDS,
# default 30) or buddy (mm/buddy.c: tests/host/fuzz-regressions-buddy,
# BUDDY_FUZZ_SECONDS, default 20). Run from the repository root (make check does).
set -u
name=$(basename "$0" -fuzz.sh)
case $name in
heap)
	regressions=tests/host/fuzz-regressions
	seconds=${HEAP_FUZZ_SECONDS:-60}
	;;
slab)
	regressions=tests/host/fuzz-regressions-slab
	seconds=${SLAB_FUZZ_SECONDS:-30}
	;;
buddy)
	regressions=tests/host/fuzz-regressions-buddy
	seconds=${BUDDY_FUZZ_SECONDS:-20}
	;;
*)
	echo "not ok 1 - fuzz: install this script as heap-fuzz.sh, slab-fuzz.sh or buddy-fuzz.sh"
	exit 1
	;;
esac
fuzzer=build/host/fuzz_$name
corpus=build/host/fuzz-corpus-$name
log=build/host/fuzz-$name.log
status=0

if [ ! -x "$fuzzer" ]; then
	echo "not ok 1 - $name fuzz: $fuzzer is missing # build it with make"
	exit 1
fi
echo "1..2"

# shellcheck disable=SC2086
if "$fuzzer" $regressions/*.bin $(ls $regressions/crash-* 2>/dev/null) \
	>"$log" 2>&1; then
	echo "ok 1 - $name fuzz: $(ls $regressions | grep -cv README) regression inputs replay cleanly"
else
	echo "not ok 1 - $name fuzz: a regression input fails again # see $log"
	status=1
fi

mkdir -p "$corpus"
if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix=build/host/fuzz-$name- \
	"$corpus" "$regressions" >>"$log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "ok 2 - $name fuzz: ${runs:-?} inputs in ${seconds} s, no finding"
else
	crash=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n 1)
	echo "not ok 2 - $name fuzz: finding saved as ${crash:-?} # fix it, then copy the file into $regressions/"
	grep -E "fuzz_$name:|ERROR|SUMMARY" "$log" | head -n 5 | sed 's/^/# /'
	status=1
fi
exit $status
