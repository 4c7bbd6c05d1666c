#!/bin/sh
# heap-fuzz.sh - TAP suite: replays the fuzz regression inputs of mm/heap.c,
# then fuzzes it for HEAP_FUZZ_SECONDS seconds (default 60) (tests/fuzz.sh).
exec tests/fuzz.sh heap tests/host/fuzz-regressions "${HEAP_FUZZ_SECONDS:-60}"
