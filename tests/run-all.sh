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

# The suites run side by side, TEST_JOBS at a time (default: one per
# core): each writes its own log, and its lines are shown when it ends. Suites
# that start QEMU or Bochs count the emulator's virtual time, not the
# host's, so sharing the cores changes no result, only the wall time.
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT

names=()   # suite i's name (its log is build/test-logs/NAME.log)
commands=() # suite i's command, one word per line
after=()   # what suite i waits for: "" (nothing), "all" or a suite's name
# add_suite NAME [--after WHAT] COMMAND...
add_suite() {
	names+=("$1")
	shift
	local waits=""
	if [ "$1" = "--after" ]; then
		waits=$2
		shift 2
	fi
	after+=("$waits")
	commands+=("$(printf '%s\n' "$@")")
}

start_suite() { # start_suite I
	local i=$1 log
	log="build/test-logs/$(basename "${names[$i]}").log"
	mapfile -t argv <<< "${commands[$i]}"
	(
		local began=$SECONDS
		"${argv[@]}" > "$log" 2>&1
		echo "$? $((SECONDS - began))" > "$state/$i.tmp" &&
			mv "$state/$i.tmp" "$state/$i"
	) &
}

ended() { [ -f "$state/$1" ]; }

# may_start I: what suite I waits for has ended.
may_start() {
	local i=$1 j
	case ${after[$i]} in
	"") return 0 ;;
	all)
		for j in "${!names[@]}"; do
			[ "$j" = "$i" ] || ended "$j" || return 1
		done
		;;
	*)
		for j in "${!names[@]}"; do
			[ "${names[$j]}" = "${after[$i]}" ] && ! ended "$j" &&
				return 1
		done
		;;
	esac
	return 0
}

# report_suite I: shows suite I's TAP lines and adds them to the totals.
# A command that fails without saying which test failed counts as one
# failure.
report_suite() {
	local i=$1 name=${names[$1]} log status seconds ok nok skip
	log="build/test-logs/$(basename "$name").log"
	read -r status seconds < "$state/$i"
	# Its wall time: what to look at when make test grows too long.
	echo "== $name (${seconds} s)"
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

# The longest first, so that the others fill the other cores meanwhile.
for s in "${suites[@]}"; do
	[ "$s" = tools/lab-check-graders.sh ] && add_suite "$s" "$s"
done
add_suite "kernel tests in Bochs" tests/run-bochs.sh build/os-test.iso 400
for t in "${host_tests[@]}"; do
	add_suite "$t" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done
add_suite "kernel tests in QEMU" tests/run-qemu.sh build/os-test.iso
add_suite "kernel tests in QEMU with pmm=buddy" tests/run-qemu.sh \
	build/os-test-buddy.iso 180 build/test-logs/qemu-serial-buddy.log
add_suite "shell session in QEMU" tests/run-shell-session.sh build/os-shell.iso
add_suite "fault report in QEMU" tests/run-fault-demo.sh \
	build/os-test+fault-demo.iso
for s in "${suites[@]}"; do
	case $s in
	tools/lab-check-graders.sh | tools/doc-quotes) ;;
	# The class grading reuses the graders' logs of the same run.
	tests/test-grading.sh)
		add_suite "$s" --after tools/lab-check-graders.sh "$s" ;;
	*) add_suite "$s" "$s" ;;
	esac
done
# The documents' quotes are compared with the logs the others wrote.
for s in "${suites[@]}"; do
	[ "$s" = tools/doc-quotes ] && add_suite "$s" --after all "$s"
done

echo "== $((${#names[@]})) suites, $jobs at a time"
started=()
reported=()
while [ "${#reported[@]}" -lt "${#names[@]}" ]; do
	running=0
	for i in "${!started[@]}"; do
		ended "$i" || running=$((running + 1))
	done
	for i in "${!names[@]}"; do
		[ "$running" -lt "$jobs" ] || break
		[ -n "${started[$i]:-}" ] && continue
		may_start "$i" || continue
		start_suite "$i"
		started[$i]=1
		running=$((running + 1))
	done
	for i in "${!started[@]}"; do
		[ -z "${reported[$i]:-}" ] && ended "$i" || continue
		report_suite "$i"
		reported[$i]=1
	done
	[ "${#reported[@]}" -lt "${#names[@]}" ] && sleep 1
done
wait

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
