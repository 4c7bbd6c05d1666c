#!/bin/sh
# buddy-callgrind.sh - instructions per request of the buddy allocator
# (mm/buddy.c) and of the bitmap's search for a run (mm/bitmap_run.c), for
# runs of 1, 4 and 16 frames, counted by valgrind's callgrind in
# measured_alloc/measured_free (tests/bench/buddybench.c) on fresh memory
# and after a random workload; then what that workload left: the longest
# run of free frames and the largest request that succeeds.
#
# usage: tests/bench/buddy-callgrind.sh BUDDYBENCH [N...]
set -eu

bench=$1
shift
sizes=${*:-1 4 16}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Instructions per alloc/free pair: policy, n, extra flags.
cost() {
	# shellcheck disable=SC2086
	if ! valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
		--toggle-collect=measured_alloc --toggle-collect=measured_free \
		"$bench" -a "$1" -n "$2" -p 1000 $3 >"$tmp/out" 2>"$tmp/log"; then
		grep -v '^==' "$tmp/log" >&2
		echo "buddy-callgrind.sh: $1 -n $2 $3 failed" >&2
		return 1
	fi
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/log" |
		awk -v p="$(cut -d' ' -f3 "$tmp/out")" '{ printf "%.0f", $1 / p }'
}

echo "instructions per alloc/free pair of a run of N frames (callgrind)"
printf '%-7s %4s %8s %8s %12s\n' memory N buddy bitmap bitmap/buddy
for state in fresh aged; do
	flag=
	[ "$state" = fresh ] && flag=-f
	for n in $sizes; do
		bu=$(cost buddy "$n" "$flag")
		bi=$(cost bitmap "$n" "$flag")
		printf '%-7s %4s %8s %8s %12s\n' "$state" "$n" "$bu" "$bi" \
			"$(awk -v a="$bi" -v b="$bu" 'BEGIN { printf "%.1f", a / b }')"
	done
done
echo
echo "after the random workload (runs of 1-16 frames, about half of 31744 frames in use)"
printf '%-7s %10s %12s %12s %12s\n' policy in-use asked longest-run largest-req
for policy in buddy bitmap; do
	"$bench" -a "$policy" -n 1 -p 1 | awk '{ printf "%-7s %10s %12s %12s %12s\n",
		$1, $7, $8, $5, $6 }'
done
