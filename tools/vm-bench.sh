#!/bin/bash
# `make bench-vm`: boots the kernel once with vm=lazy and once with
# vm=eager, each running user/bin/vmbench as init, prints vmbench's lines
# from both runs, then a table: each workload's instructions per
# operation lazily (copy-on-write) and eagerly, its target, and whether
# the lazy figure meets it. Targets are reported, not asserted: a miss
# does not fail the command; a run that did not finish does.
#
# Instructions are counted, not timed: QEMU runs with the tests' clock
# (-icount shift=ICOUNT_SHIFT, tools/emulator-clock.conf), under which
# the TSC vmbench reads is the virtual clock, 2^ICOUNT_SHIFT ns per
# instruction. sleep=off makes idle time jump to the next timer instead
# of following the host's clock, and the RTC follows the virtual clock
# too: nothing of the host reaches the guest, so every run prints the
# same figures.
#
# usage: tools/vm-bench.sh LAZY_ISO EAGER_ISO
#   VM_BENCH_LOG: where the lines and the table go as well (default
#   build/test-logs/bench-vm.log; docs/virtual-memory.md quotes it)
set -u
. "$(dirname "$0")/emulator-clock.sh"
. "$(dirname "$0")/swap-disk.sh"
mkdir -p build/test-logs
table_log=${VM_BENCH_LOG:-build/test-logs/bench-vm.log}
status=0
lines=$(mktemp)
swap=$(mktemp -d)
trap 'rm -rf "$lines" "$swap"' EXIT
for iso in "$@"; do
	log=build/test-logs/vmbench-$(basename "$iso" .iso).log
	swap_disk_new "$swap/swap.img" || exit 1 # a fresh one, as make run's
	timeout 300 qemu-system-i386 -m 128M -no-reboot \
		-icount "shift=$ICOUNT_SHIFT,sleep=off" \
		-rtc base=2000-01-01,clock=vm \
		-boot d -cdrom "$iso" "${QEMU_SWAP[@]}" \
		-display none -monitor none \
		-serial file:"$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 > /dev/null 2>&1
	if ! grep -q '^init: vmbench exited with status 0' "$log"; then
		echo "vm-bench: vmbench did not finish in $iso (log: $log)"
		status=1
	fi
	tr -d '\r' < "$log" | grep -ao 'vmbench (.*' >> "$lines"
done
{
	cat "$lines"

# The table. Each target: WHAT|KIND|N|REFERENCE
#   max: at most N instructions
#   eager-pct: at most N% of the eager figure of the same workload
#   pct-of: at most N% of the lazy figure of REFERENCE
#   floor-times: at most N times the lazy figure of floor REFERENCE
zeroing="floor: zeroing 4 KiB in user space"
copying="floor: copying 4 KiB in user space"
targets="fork+exit+wait, small child|max|50000|
fork+exit+wait, untouched 64 MiB heap|pct-of|110|fork+exit+wait, small child
spawn+exit+wait of true|max|60000|
fork+execv(true)+exit+wait|max|150000|
16 MiB heap written, fork+exit+wait|eager-pct|3|
fault: demand-zero page|floor-times|2|$zeroing
fault: program page from the file|floor-times|2|$copying
fault: copy-on-write copy|floor-times|2|$copying
fault: copy-on-write, last sharer reuses|floor-times|2|$zeroing
$zeroing|none||
$copying|none||"

echo "$targets" | awk -F'|' -v lines="$lines" -v shift="$ICOUNT_SHIFT" '
function num(n,   s) { # 1234567 -> 1,234,567
	s = sprintf("%d", n)
	while (s ~ /[0-9][0-9][0-9][0-9]/)
		sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
	return s
}
function fig(mode, what) {
	return ((mode, what) in each) ? num(each[mode, what]) : "-"
}
BEGIN {
	while ((getline l < lines) > 0) {
		if (l !~ / instructions each \(/)
			continue
		mode = l; sub(/^vmbench \(/, "", mode); sub(/\).*/, "", mode)
		what = l; sub(/^vmbench \([a-z]*\): /, "", what)
		sub(/: [0-9]+ instructions each.*/, "", what)
		n = l; sub(/.*: /, "", n); sub(/ instructions each.*/, "", n)
		each[mode, what] = n + 0
	}
	printf "\nbench-vm: instructions per operation (the TSC under QEMU " \
	       "-icount shift=%d);\nlazy is the default mode " \
	       "(copy-on-write), eager the reference; targets are for " \
	       "lazy\n\n", shift
	printf "%-40s %11s %11s  %-28s %s\n", "workload", "lazy", "eager",
	       "target", "lazy vs target"
	missing = 0
}
{
	what = $1; kind = $2; n = $3; ref = $4
	lazy = ((("lazy", what) in each)) ? each["lazy", what] : -1
	limit = -1
	if (kind == "max") {
		limit = n; say = "<= " num(n)
	} else if (kind == "eager-pct" && (("eager", what) in each)) {
		limit = int(each["eager", what] * n / 100)
		say = "<= " n "% of eager: " num(limit)
	} else if (kind == "pct-of" && (("lazy", ref) in each)) {
		limit = int(each["lazy", ref] * n / 100)
		say = "<= " n "% of no heap: " num(limit)
	} else if (kind == "floor-times" && (("lazy", ref) in each)) {
		limit = each["lazy", ref] * n
		w = ref; sub(/^floor: /, "", w); sub(/ 4 KiB.*/, "", w)
		say = "<= " n " x " w ": " num(limit)
	} else if (kind == "none") {
		say = "(the floor)"
	} else {
		say = "?"
	}
	if (kind == "none")
		verdict = ""
	else if (lazy < 0 || limit < 0) {
		verdict = "not measured"; missing = 1
	} else if (lazy <= limit)
		verdict = "met"
	else
		verdict = "missed by " num(lazy - limit)
	row = sprintf("%-40s %11s %11s  %-28s %s", what, fig("lazy", what),
	              fig("eager", what), say, verdict)
	sub(/ +$/, "", row)
	print row
}
END { exit missing }
'
} | tee "$table_log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
exit $status
