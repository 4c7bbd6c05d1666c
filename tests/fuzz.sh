#!/bin/sh
# fuzz.sh - TAP suite for one libFuzzer target: replays its regression
# inputs, then fuzzes it for SECONDS seconds. tests/heap-fuzz.sh and
# tests/buddy-fuzz.sh run it for mm/heap.c and mm/buddy.c.
# Run from the repository root (make check does); needs build/host/fuzz_NAME.
#
# usage: tests/fuzz.sh NAME REGRESSIONS_DIR SECONDS
set -u
name=$1
fuzzer=build/host/fuzz_$name
regressions=$2
seconds=$3
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
