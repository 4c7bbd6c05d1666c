#!/bin/sh
# test_run_i386.sh - TAP suite for tools/run-i386, the one way host
# programs built for i386 are run, and for the skips it leads to. Both
# ways are tested on any host: MEMOS_I386 forces one, and a stand-in
# qemu-i386 first on PATH shows whether the emulator was used.
# Run from the repository root (make check does).
set -u
probe=build/host/i386-probe
bench32=build/host/heapbench32
work=build/host/run-i386-work
. tests/tap.sh

rm -rf "$work"
mkdir -p "$work/bin"
# The stand-in notes each call, then runs the real emulator.
real_qemu=$(command -v qemu-i386 || echo qemu-i386)
printf '#!/bin/sh\necho "$@" >> %s/qemu-calls\nexec %s "$@"\n' \
	"$PWD/$work" "$real_qemu" > "$work/bin/qemu-i386"
chmod +x "$work/bin/qemu-i386"

# run_i386 WAY ARG...: tools/run-i386 with MEMOS_I386=WAY ("" to let it
# decide) and the stand-in emulator; output in $work/out.
run_i386() {
	rm -f "$work/qemu-calls"
	way=$1
	shift
	MEMOS_I386=$way PATH="$PWD/$work/bin:$PATH" tools/run-i386 "$@" \
		> "$work/out" 2>&1
}
emulator_used() {
	[ -s "$work/qemu-calls" ]
}

echo "1..8"

# Deciding by trying: what the probe does when executed directly.
if "$probe" 2>/dev/null; then expected=native; else expected=emulated; fi
run_i386 "" --way
way=$(cat "$work/out")
[ "${way%% *}" = "$expected" ]
report $? "left to decide, it runs i386 programs $expected, as the probe does when executed directly: $way" "$way"

run_i386 "" "$probe"
code=$?
if [ "$expected" = native ]; then ! emulator_used; else emulator_used; fi
report $(($? + code)) "left to decide, it runs a program $expected" \
	"exit $code, emulator calls: $(cat "$work/qemu-calls" 2>/dev/null)"

run_i386 emulated "$probe"
code=$?
emulator_used && [ "$code" -eq 0 ]
report $? "MEMOS_I386=emulated runs the program through qemu-i386" \
	"exit $code: $(cat "$work/out")"

run_i386 native "$probe"
code=$?
if [ "$expected" = native ]; then
	! emulator_used && [ "$code" -eq 0 ]
	report $? "MEMOS_I386=native runs the program without the emulator" \
		"exit $code: $(cat "$work/out")"
else
	skip "MEMOS_I386=native runs the program without the emulator" \
		"this Linux kernel runs no i386 programs"
fi

run_i386 bogus "$probe"
code=$?
[ "$code" -eq 2 ] && grep -q "use native or emulated" "$work/out"
report $? "MEMOS_I386=bogus is refused with a message" \
	"exit $code: $(cat "$work/out")"

# heapbench32 emulated: the checks hold, the times are not printed.
printf '0\n3\n4\n1\na 0 24\na 1 4000\nf 0\nr 1 9000\na 2 8\nf 1\nf 2\n' \
	> "$work/small.rep"
run_i386 emulated "$bench32" -a both "$work/small.rep"
code=$?
emulator_used && [ "$code" -eq 0 ] &&
	grep -q "integrity failures 0" "$work/out" &&
	grep -q "ns/op not measured (emulated" "$work/out" &&
	grep -qE '%  +-  +-  +-  +0$' "$work/out"
report $? "heapbench32 emulated: every check passes, ns/op is not measured" \
	"exit $code: $(cat "$work/out")"

# The skip path: valgrind cannot run an emulated i386 program.
MEMOS_I386=emulated tests/bench/test_heapbench.sh > "$work/heapbench.tap" \
	2>&1
code=$?
[ "$code" -eq 0 ] && grep -qE '^ok 5 - heapbench32 .*valgrind.* # SKIP valgrind runs i386 programs only natively, and here they are emulated' \
	"$work/heapbench.tap"
report $? "emulated, heapbench's valgrind test of the i386 build is a TAP skip with its reason" \
	"exit $code: $(cat "$work/heapbench.tap")"

# ... and make test counts a skip as neither passed nor failed.
[ "$(tests/tap-count.sh "$work/heapbench.tap")" = "4 0 1" ]
report $? "tap-count counts that run as 4 passed, 0 failed, 1 skipped" \
	"$(tests/tap-count.sh "$work/heapbench.tap")"
exit $status
