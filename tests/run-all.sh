#!/bin/bash
# Runs every test and prints one summary line "N passed, N failed", with
# ", N skipped" when a test was skipped (a TAP "ok N - name # SKIP why").
#
# usage: tests/run-all.sh HOST_TEST_BINARY... -- SUITE...
#   HOST_TEST_BINARY: a cmocka program (its results come out as TAP)
#   SUITE: any program that prints TAP lines ("ok N - name")
# The kernel tests in QEMU and Bochs always run. Each test's output is
# kept in build/test-logs/. Exit status: 0 only if nothing failed.
set -u
cd "$(dirname "$0")/.." || exit 1
mkdir -p build/test-logs

passed=0
failed=0
skipped=0

# How host programs built for i386 run (tools/run-i386 decides, the same
# way for every test; MEMOS_I386=native|emulated forces it).
i386_way=$(tools/run-i386 --way) || exit 1
echo "== host i386 programs run $i386_way"

# run_suite NAME COMMAND...: runs a command that prints TAP, shows its
# lines and adds them to the totals. A command that fails without saying
# which test failed counts as one failure.
run_suite() {
	local name=$1
	shift
	local log="build/test-logs/$(basename "$name").log"
	echo "== $name"
	"$@" > "$log" 2>&1
	local status=$?
	local ok nok skip
	read -r ok nok skip < <(tests/tap-count.sh "$log")
	grep -E '^(ok|not ok)( |$)|^#' "$log" | sed 's/^/  /'
	if [ "$status" -ne 0 ] && [ "$nok" -eq 0 ]; then
		echo "  not ok - $name exited with status $status; its output:"
		sed 's/^/  | /' "$log" | tail -n 40
		nok=1
	fi
	passed=$((passed + ok))
	failed=$((failed + nok))
	skipped=$((skipped + skip))
}

host_tests=()
suites=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	host_tests+=("$1")
	shift
done
[ $# -gt 0 ] && shift
suites=("$@")

for t in "${host_tests[@]}"; do
	CMOCKA_MESSAGE_OUTPUT=TAP run_suite "$t" "$t"
done
run_suite "kernel tests in QEMU" tests/run-qemu.sh build/os-test.iso
run_suite "kernel tests in QEMU with pmm=buddy" tests/run-qemu.sh \
	build/os-test-buddy.iso 180 build/test-logs/qemu-serial-buddy.log
run_suite "shell session in QEMU" tests/run-shell-session.sh build/os-shell.iso
run_suite "kernel tests in Bochs" tests/run-bochs.sh build/os-test.iso
run_suite "fault report in QEMU" tests/run-fault-demo.sh \
	build/os-test+fault-demo.iso
for s in "${suites[@]}"; do
	run_suite "$s" "$s"
done

# README.md quotes how many tests this runs ("`N passed, 0 failed`"): a
# test keeps that true. It counts itself.
echo "== README.md's test count"
total=$((passed + failed + skipped + 1))
quoted=$(sed -n 's/^`\([0-9][0-9]*\) passed, 0 failed`.*/\1/p' README.md |
	head -n 1)
if [ "$quoted" = "$total" ]; then
	echo "  ok - README.md quotes the $total tests make test runs"
	passed=$((passed + 1))
else
	echo "  not ok - README.md quotes ${quoted:-no} tests, make test" \
		"ran $total: update its line \"\`$total passed, 0 failed\`\""
	failed=$((failed + 1))
fi

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
