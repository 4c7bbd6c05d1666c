#!/bin/sh
# heap-fuzz.sh - TAP suite: replays the fuzz regression inputs of mm/heap.c,
# then fuzzes it for HEAP_FUZZ_SECONDS seconds (default 60).
# Run from the repository root (make check does); needs build/host/fuzz_heap.
set -u
fuzzer=${HEAP_FUZZER:-build/host/fuzz_heap}
regressions=tests/host/fuzz-regressions
seconds=${HEAP_FUZZ_SECONDS:-60}
corpus=build/host/fuzz-corpus
log=build/host/fuzz-heap.log
status=0

if [ ! -x "$fuzzer" ]; then
	echo "not ok 1 - heap fuzz: $fuzzer is missing # build it with make"
	exit 1
fi
echo "1..2"

# shellcheck disable=SC2086
if "$fuzzer" $regressions/*.bin $(ls $regressions/crash-* 2>/dev/null) \
	>"$log" 2>&1; then
	echo "ok 1 - heap fuzz: $(ls $regressions | grep -cv README) regression inputs replay cleanly"
else
	echo "not ok 1 - heap fuzz: a regression input fails again # see $log"
	status=1
fi

mkdir -p "$corpus"
if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix=build/host/fuzz-heap- \
	"$corpus" "$regressions" >>"$log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "ok 2 - heap fuzz: ${runs:-?} inputs in ${seconds} s, no finding"
else
	crash=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n 1)
	echo "not ok 2 - heap fuzz: finding saved as ${crash:-?} # fix it, then copy the file into $regressions/"
	grep -E 'fuzz_heap:|ERROR|SUMMARY' "$log" | head -n 5 | sed 's/^/# /'
	status=1
fi
exit $status
