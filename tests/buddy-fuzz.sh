#!/bin/sh
# buddy-fuzz.sh - TAP suite: replays the fuzz regression inputs of
# mm/buddy.c, then fuzzes it for BUDDY_FUZZ_SECONDS seconds (default 20)
# (tests/fuzz.sh).
exec tests/fuzz.sh buddy tests/host/fuzz-regressions-buddy \
	"${BUDDY_FUZZ_SECONDS:-20}"
