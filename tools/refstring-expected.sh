#!/bin/bash
# The simulator's fault counts for the reference strings the kernel test
# refstring_counts runs with refstring, as C initializers: the kernel's
# counts are compared with these, the simulator's, not with numbers typed
# by hand. The kernel's aging LRU samples on the timer tick, which no
# simulator can replay: it is run for its data only (expected -1).
#
# usage: tools/refstring-expected.sh SWAP_SIM > refstring_expected.h
set -eu
sim=$1
belady="1 2 3 4 1 2 5 1 2 3 4 5"
textbook="7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1"
echo "/* Made by tools/refstring-expected.sh from tools/swap-sim: do not edit. */"
for c in "fifo 3 $belady" "fifo 4 $belady" "clock 3 $belady" \
	"clock 4 $belady" "random 3 $belady" "fifo 3 $textbook" \
	"clock 3 $textbook" "random 4 $textbook" "lru 3 $textbook"; do
	read -r policy frames refs <<< "$c"
	if [ "$policy" = lru ]; then
		faults=-1
	else
		faults=$("$sim" -c -w -p "$policy" -f "$frames" $refs |
			awk -F, 'NR == 2 { print $3 }')
	fi
	echo "{\"$policy\", \"$frames\", \"$refs\", $faults},"
done
