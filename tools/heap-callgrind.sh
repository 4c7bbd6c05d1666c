#!/bin/sh
# heap-callgrind.sh - instructions per operation of mm/heap.c and of the C
# library's malloc, counted by valgrind's callgrind inside the allocator
# entry points only (callees such as sbrk and memcpy included), over trace
# files replayed by heapbench -x.
#
# usage: [POLICY=teaching] tools/heap-callgrind.sh HEAPBENCH SUITE-NAME FILE.rep...
# Prints one line per trace and a suite line:
#   suite NAME: heap I/op, libc I/op, ratio (sum heap / sum libc), worst trace
# POLICY chooses heap.c's placement policy (heapbench -p; default: its own).
set -eu

bench=$1
suite=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

heap_fns="--toggle-collect=heap_alloc --toggle-collect=heap_free
--toggle-collect=heap_realloc"
libc_fns="--toggle-collect=malloc --toggle-collect=free
--toggle-collect=realloc"

# Instructions collected by one run of heapbench -x on one allocator.
# heap.c grows a break of its own (-m): valgrind stops the program's real
# break at 8 MB, and an allocation failing there would make the count
# meaningless (heapbench -x then fails, and so does this script).
count() {
	alloc=$1
	file=$2
	fns=$heap_fns
	mapped="-m ${POLICY:+-p $POLICY}"
	if [ "$alloc" = libc ]; then
		fns=$libc_fns
		mapped=
	fi
	# The libc run forks a child that does the replay: each process
	# reports its own count; the replaying one is the biggest.
	# shellcheck disable=SC2086
	if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/out.%p" \
		$fns "$bench" -a "$alloc" -x $mapped "$file" >/dev/null \
		2>"$tmp/log"; then
		grep -v '^==' "$tmp/log" >&2
		echo "heap-callgrind.sh: $alloc on $file failed" >&2
		return 1
	fi
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/log" | sort -n |
		tail -n 1
}

# Operations in a trace: lines starting with a, f or r.
ops() {
	grep -c '^[afr]' "$1"
}

printf '%-28s %8s %10s %10s %7s\n' trace ops heap_I/op libc_I/op ratio
for f in "$@"; do
	n=$(ops "$f")
	h=$(count heap "$f")
	l=$(count libc "$f")
	name=$(echo "$f" | sed 's|.*traces/||')
	echo "$name $n $h $l"
done >"$tmp/rows"
awk -v suite="$suite" '
{
	ratio = $3 / $4
	printf "%-28s %8d %10.1f %10.1f %7.2f\n", $1, $2, $3 / $2, $4 / $2, ratio
	ops += $2; heap += $3; libc += $4
	if (ratio > worst) { worst = ratio; worst_name = $1 }
}
END {
	printf "suite %s: %d ops, heap %.1f I/op, libc %.1f I/op, ratio %.2f, " \
	       "worst trace %s %.2f\n", suite, ops, heap / ops, libc / ops,
	       heap / libc, worst_name, worst
}' "$tmp/rows"
