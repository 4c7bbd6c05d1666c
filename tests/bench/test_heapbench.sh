#!/bin/sh
# test_heapbench.sh - TAP suite: heapbench, the allocator benchmark, on
# small traces written here. It replays a trace with its checks in both
# builds; its callgrind replay (-x) fails on a failed allocation instead
# of counting a broken run; and with -m heap.c grows past the 8 MB that
# valgrind gives a program's break (what tools/heap-callgrind.sh relies on).
# The i386 build runs through tools/run-i386; valgrind runs it only
# natively, so where it is emulated that test is a TAP skip, with why.
# Run from the repository root (make check does).
set -u
bench64=${HEAPBENCH:-build/host/heapbench}
bench32=${HEAPBENCH32:-build/host/heapbench32}
way=$(tools/run-i386 --way) || exit 1
work=build/host/heapbench-work
. tests/tap.sh

rm -rf "$work"
mkdir -p "$work"

# A small trace in the malloc-lab format: three header lines only and
# CRLF line endings (both occur in public traces), allocations, a
# realloc that grows and one that shrinks, frees.
printf '0\r\n4\r\n9\r\n' >"$work/mixed.rep"
printf 'a 0 24\r\na 1 4000\r\na 2 100\r\nr 1 9000\r\nf 0\r\nr 2 40\r\n' \
	>>"$work/mixed.rep"
printf 'a 3 1\r\nf 1\r\nf 2\r\n' >>"$work/mixed.rep"

echo "1..5"
echo "# how i386 programs run: $way"

# run BENCH ARG...: the x86-64 build directly, the i386 one as
# tools/run-i386 decided.
run() {
	if [ "$1" = "$bench32" ]; then
		tools/run-i386 "$@"
	else
		"$@"
	fi
}

for bench in "$bench64" "$bench32"; do
	name="$(basename "$bench") replays a CRLF trace, both allocators"
	if out=$(run "$bench" -a both -r 0 -c 1 "$work/mixed.rep" 2>&1) &&
		echo "$out" | grep -q "integrity failures 0"; then
		report 0 "$name, every check passing"
	else
		report 1 "$name" "$out"
	fi
done

# 300 MB is more than heap.c's largest block: the allocation fails.
printf '1\n1\n2\n1\na 0 300000000\nf 0\n' >"$work/too-big.rep"
name="heapbench -x fails, with a count, when an allocation fails"
if "$bench64" -a heap -x "$work/too-big.rep" 2>"$work/too-big.err"; then
	report 1 "$name" "it exited 0"
elif grep -q "1 allocations failed" "$work/too-big.err"; then
	report 0 "$name"
else
	report 1 "$name" "$(cat "$work/too-big.err")"
fi

# 24 blocks of 1 MiB: three times valgrind's break.
{
	printf '0\n24\n48\n1\n'
	i=0
	while [ $i -lt 24 ]; do
		echo "a $i 1048576"
		i=$((i + 1))
	done
	i=0
	while [ $i -lt 24 ]; do
		echo "f $i"
		i=$((i + 1))
	done
} >"$work/24mb.rep"
for bench in "$bench64" "$bench32"; do
	name="$(basename "$bench") -m under valgrind: a 24 MB heap, checked"
	if [ "$bench" = "$bench32" ] && [ "${way%% *}" != native ]; then
		skip "$name" "valgrind runs i386 programs only natively, and here they are $way"
		continue
	fi
	valgrind -q --tool=none "$bench" -a heap -r 0 -c 1 -m \
		"$work/24mb.rep" >"$work/24mb.out" 2>&1
	code=$?
	report $code "$name" "exit $code: $(tail -n 3 "$work/24mb.out")"
done
exit $status
