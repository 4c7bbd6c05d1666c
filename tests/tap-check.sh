#!/bin/bash
# Prints the TAP lines of a kernel's serial log, each name prefixed with
# the emulator, and checks that the run was complete: the plan ("1..N")
# was met and the emulator ended the way a passing run ends. Otherwise
# prints a failing TAP line and the log. Exit status: 0 when all passed.
#
# usage: tests/tap-check.sh EMULATOR LOG STATUS EXPECTED_STATUS
set -u
emulator=$1 log=$2 status=$3 expected=$4

tr -d '\r' < "$log" | grep -E '^(ok|not ok) [0-9]+ - ' |
	sed -E "s/^(ok|not ok) ([0-9]+) - /\1 \2 - $emulator: /"

planned=$(tr -d '\r' < "$log" | sed -nE 's/^1\.\.([0-9]+)$/\1/p' | head -n 1)
ran=$(tr -d '\r' < "$log" | grep -cE '^(ok|not ok) [0-9]+ - ')
failed=$(tr -d '\r' < "$log" | grep -cE '^not ok [0-9]+ - ')

problem=""
if [ "$status" = 124 ]; then
	problem="timed out: the kernel hung or ran too slowly"
elif [ -z "$planned" ]; then
	problem="the kernel never started its tests"
elif [ "$ran" -ne "$planned" ]; then
	problem="the kernel stopped after $ran of $planned tests"
elif [ "$status" != "$expected" ] && [ "$failed" -eq 0 ]; then
	problem="the emulator exited with status $status, expected $expected"
fi

if [ -n "$problem" ]; then
	echo "not ok - $emulator: $problem"
	echo "# ---- $emulator serial log ($log) ----"
	tr -d '\r' < "$log" | sed 's/^/#   /'
	exit 1
fi
[ "$failed" -eq 0 ]
