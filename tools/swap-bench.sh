#!/bin/bash
# `make bench-swap`: the replacement policies on workloads of different
# locality (tools/swap-sim/workloads.c) at several memory sizes, next to
# Belady's OPT on the same reference string, from the simulator built on
# the kernel's own policies (mm/evict.c); SVG plots of faults against
# frames (the textbook curve); the thrashing demo's numbers. Prints the
# tables and writes them to the log (docs/swap-policies.md quotes it).
#
# With THRASH_ISOs (build/os-thrash-POLICY.iso: user/bin/thrash as init,
# mem=4, evict=POLICY), the thrashing demo runs in memos too, in QEMU with
# a swap disk, once per image.
#
# usage: tools/swap-bench.sh SWAP_SIM OUTDIR [LOG [THRASH_ISO...]]
set -eu
sim=$1 out=$2 log=${3:-$2/swap-bench.log}
shift 2
[ $# -gt 0 ] && shift
thrash_isos=("$@")
mkdir -p "$out" "$(dirname "$log")"
exec > >(tee "$log")

policies=fifo,clock,lru,random,lru-exact,opt
textbook="7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1"
belady="1 2 3 4 1 2 5 1 2 3 4 5"

echo "== textbook"
echo "reference string: $textbook"
"$sim" -w -f 1-7 $textbook
"$sim" -w -c -f 1-7 $textbook | tools/swap-plot.py "textbook string" \
	> "$out/textbook.svg"
echo
echo "== belady"
echo "reference string: $belady"
"$sim" -w -f 1-6 $belady
"$sim" -w -c -f 1-6 $belady | tools/swap-plot.py "Belady's string" \
	> "$out/belady.svg"

# Each workload: the table at a few sizes, the plot at every size.
declare -A sizes=([seq]=4,8,12,16,19,20 [random]=4,8,12,16,20,24
	[shift]=2,4,6,8,12 [matmul]=2,3,4,5,6,8 [blocked]=2,3,4,5,6,8
	[sort]=2,4,6,8,12,16)
declare -A plot=([seq]=1-22 [random]=1-25 [shift]=1-16 [matmul]=1-12
	[blocked]=1-12 [sort]=1-16)
for w in seq random shift matmul blocked sort; do
	echo
	what=$("$sim" -W list | sed -n "s/^$w  *//p")
	echo "== $w"
	echo "$what"
	"$sim" -W "$w" -d -p "$policies" -f "${sizes[$w]}" 2> /dev/null
	"$sim" -W "$w" -c -p "$policies" -f "${plot[$w]}" 2> /dev/null |
		tools/swap-plot.py "$w: $what" > "$out/$w.svg"
done

# Thrashing: N processes, each looping over its own 10 pages, share 32
# frames (global replacement, clock). A fault is taken to cost what 1000
# memory references cost (a disk is slower still): past 32 pages wanted,
# faults jump and useful work per unit of time collapses.
echo
echo "== thrashing"
echo "N processes looping over 10 pages each, 32 frames, clock"
printf "%-6s %-13s %-10s %-16s %s\n" procs "pages wanted" faults \
	"per 1000 refs" "progress (refs per 1000 time units)"
for n in 1 2 3 4 5 6; do
	"$sim" -c -T "$n:10" -f 32 -p clock | awk -F, -v n="$n" 'NR == 2 {
		refs = n * 20000
		printf "%-6d %-13d %-10d %-16.1f %.1f\n", n, n * 10, $3,
			1000 * $3 / refs, 1000 * refs / (refs + 1000 * $3)
	}'
done
for iso in "${thrash_isos[@]}"; do
	policy=$(basename "$iso" .iso)
	policy=${policy#os-thrash-}
	echo
	echo "== thrashing in memos, evict=$policy"
	echo "user/bin/thrash in QEMU, mem=4, a swap disk: processes at once"
	tests/boot-qemu.sh "$iso" "$out/thrash-$policy.log" 600 || true
	tr -d '\r' < "$out/thrash-$policy.log" |
		sed -n '/^thrash: /,/^init: /p' | grep -v '^init: '
done
echo
echo "plots: $out/*.svg"
