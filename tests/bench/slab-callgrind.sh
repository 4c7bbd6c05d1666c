#!/bin/sh
# slab-callgrind.sh - instructions per alloc/free pair of mm/slab.c, mm/heap.c
# (memos' policy, and "teaching": the heap chapter's first fit) and the C
# library's malloc on fixed-size workloads (tests/bench/slabbench.c),
# counted by valgrind's callgrind inside the allocator entry points only
# (callees included: the page hook, heap.c's growth), and the memory each
# holds at the workload's peak per byte of live objects, with slab.c's
# internal fragmentation (the bytes of its slabs no object can use) beside.
# The default sizes include the kernel's own objects: 36 bytes (struct
# region) and 204 (struct process), as slabinfo prints them; the mix
# workload has objects of 16, 36, 64 and 204 bytes at once.
#
# usage: tests/bench/slab-callgrind.sh SLABBENCH [SIZE...]
set -eu

bench=$1
shift
sizes=${*:-16 36 64 204 1024}
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
		$(fns "$1") "$bench" -a "$1" -w "$2" -s "${3%%-*}" >"$tmp/stdout" \
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
	"$bench" -a "$1" -w "$2" -s "${3%%-*}" |
		awk '{ printf "%.2f", $4 / $6 }'
}

# slab.c's internal fragmentation at the peak, in % of what it holds.
lost_percent() {
	"$bench" -a slab -w "$1" -s "${2%%-*}" |
		awk '{ printf "%.1f%%", 100 * $8 / $4 }'
}

echo "instructions per alloc/free pair (callgrind)"
printf '%-8s %6s %8s %8s %9s %8s %10s\n' workload size slab heap teaching \
	libc slab/heap
for w in pairs batch steady mix; do
	ws=$sizes
	[ "$w" = mix ] && ws=16-204
	for s in $ws; do
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
echo "memory held at the peak / bytes of live objects (1000 objects), and"
echo "slab.c's internal fragmentation: bytes of its slabs no object can use"
printf '%-8s %6s %8s %10s %8s %9s %8s\n' workload size slab "slab lost" \
	heap teaching libc
for w in batch steady mix; do
	ws=$sizes
	[ "$w" = mix ] && ws=16-204
	for s in $ws; do
		printf '%-8s %6s %8s %10s %8s %9s %8s\n' "$w" "$s" \
			"$(held_ratio slab "$w" "$s")" \
			"$(lost_percent "$w" "$s")" \
			"$(held_ratio heap "$w" "$s")" \
			"$(held_ratio teaching "$w" "$s")" \
			"$(held_ratio libc "$w" "$s")"
	done
done
