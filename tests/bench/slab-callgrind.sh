#!/bin/sh
# slab-callgrind.sh - instructions per alloc/free pair of mm/slab.c, mm/heap.c
# (memos' policy, and "teaching": the heap chapter's first fit) and the C
# library's malloc on fixed-size workloads (tests/bench/slabbench.c),
# counted by valgrind's callgrind inside the allocator entry points only
# (callees included: the page hook, heap.c's growth), and the memory each
# holds at the workload's peak per byte of live objects.
#
# usage: tests/bench/slab-callgrind.sh SLABBENCH [SIZE...]
set -eu

bench=$1
shift
sizes=${*:-16 64 256 1024}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fns() {
	case $1 in
	slab) echo "--toggle-collect=slab_alloc --toggle-collect=slab_free" ;;
	heap | teaching)
		echo "--toggle-collect=heap_alloc --toggle-collect=heap_free" ;;
	libc) echo "--toggle-collect=malloc --toggle-collect=free" ;;
	esac
}

# Instructions per pair of one allocator on one workload and size.
per_pair() {
	# shellcheck disable=SC2046
	if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
		$(fns "$1") "$bench" -a "$1" -w "$2" -s "$3" >"$tmp/stdout" \
		2>"$tmp/log"; then
		grep -v '^==' "$tmp/log" >&2
		echo "slab-callgrind.sh: $1 $2 $3 failed" >&2
		return 1
	fi
	collected=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/log")
	pairs=$(awk '{print $2}' "$tmp/stdout")
	awk -v c="$collected" -v p="$pairs" 'BEGIN { printf "%.1f", c / p }'
}

# Bytes held at the peak per live byte (a native run, no valgrind).
held_ratio() {
	"$bench" -a "$1" -w "$2" -s "$3" |
		awk '{ printf "%.2f", $4 / $6 }'
}

echo "instructions per alloc/free pair (callgrind)"
printf '%-8s %6s %8s %8s %9s %8s %10s\n' workload size slab heap teaching \
	libc slab/heap
for w in pairs batch steady; do
	for s in $sizes; do
		sl=$(per_pair slab "$w" "$s")
		he=$(per_pair heap "$w" "$s")
		te=$(per_pair teaching "$w" "$s")
		li=$(per_pair libc "$w" "$s")
		printf '%-8s %6s %8s %8s %9s %8s %10s\n' "$w" "$s" "$sl" \
			"$he" "$te" "$li" "$(awk -v a="$sl" -v b="$he" \
			'BEGIN { printf "%.2f", a / b }')"
	done
done
echo
echo "memory held at the peak / bytes of live objects (1000 objects)"
printf '%-8s %6s %8s %8s %9s %8s\n' workload size slab heap teaching libc
for w in batch steady; do
	for s in $sizes; do
		printf '%-8s %6s %8s %8s %9s %8s\n' "$w" "$s" \
			"$(held_ratio slab "$w" "$s")" \
			"$(held_ratio heap "$w" "$s")" \
			"$(held_ratio teaching "$w" "$s")" \
			"$(held_ratio libc "$w" "$s")"
	done
done
