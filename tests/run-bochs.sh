#!/bin/bash
# Boots a test ISO in Bochs, headless, and turns what the kernel printed
# into TAP lines, like tests/run-qemu.sh does for QEMU.
#
# How a run ends, and what Bochs' exit status is then:
# - The kernel powers off by writing "Shutdown" to port 0x8900: Bochs logs
#   that as a requested panic and exits with status 1. That is a pass when
#   every planned test printed "ok".
# - A triple fault (reset_on_triple_fault=0 in tools/bochsrc.txt) or any
#   other Bochs panic also exits with status 1: Bochs' log tells them apart,
#   and the panic message is reported.
# - A hang: at the timeout Bochs gets SIGINT, which stops it in its debugger;
#   the debugger shows where the kernel was and reads "quit" from standard
#   input. Status 124 (SIGKILL 10 s later if it is still there).
# - A stop in the debugger (an `xchg bx, bx` left in the kernel) also reads
#   "quit": no prompt can wait for the timeout.
# Bochs has no device for the kernel's status byte (port 0xF4): a failed
# test is its "not ok" line, a kernel panic its "Bail out!" line.
#
# usage: tests/run-bochs.sh ISO [TIMEOUT_SECONDS]
set -u
iso=$1
timeout_s=${2:-240}
logs=build/test-logs
mkdir -p "$logs"
serial_log=$logs/bochs-serial.log   # COM1
bochs_log=$logs/bochs.log           # Bochs' device and panic messages
console_log=$logs/bochs-console.log # its terminal: debugger, port 0xE9
rm -f "$serial_log" "$bochs_log" "$console_log"
: > "$serial_log"

# The debugger's first commands: the kernel's symbols when they sit beside
# the ISO (they name the function in a hang's report), then continue.
. tools/emulator-clock.sh # BOCHS_IPS, which tools/bochsrc.txt needs
. tools/swap-disk.sh      # a fresh swap disk of SWAP_MB MiB (0: none)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
commands=$dir/commands
swap_disk_new "$dir/swap.img" || exit 1
bochs_config_for_swap tools/bochsrc.txt "$dir/bochsrc.txt"
# (build/os-test*.iso boot build/kernel-test.elf, the others kernel.elf.)
case $(basename "$iso") in
os-test*) symbols=$(dirname "$iso")/kernel-test.sym ;;
*) symbols=$(dirname "$iso")/kernel.sym ;;
esac
: > "$commands"
[ -f "$symbols" ] && echo "ldsym global \"$symbols\"" > "$commands"
echo c >> "$commands"

BOCHS_ISO=$iso BOCHS_SERIAL_LOG=$serial_log BOCHS_LOG=$bochs_log TERM=dumb \
	timeout -s INT -k 10 "$timeout_s" \
	bochs -q -f "$dir/bochsrc.txt" -rc "$commands" \
	> "$console_log" 2>&1 <<< quit
status=$?
[ "$status" = 137 ] && status=124 # killed after the timeout

# Where the debugger stopped, if it did: "(0) [0x...] 0008:... (kmain+1a6): hlt"
stopped_at=$(grep -A1 '^Next at t=[1-9]' "$console_log" | tail -n 1)
if grep -q '^(0) Magic breakpoint' "$console_log"; then
	echo "# bochs: the kernel stopped at a magic breakpoint (xchg bx, bx): $stopped_at"
elif [ "$status" = 124 ] && [ -n "$stopped_at" ]; then
	echo "# bochs: at the timeout the CPU was at $stopped_at"
fi

passing=1 # Bochs' status after the kernel's "Shutdown" on port 0x8900
if [ "$status" = "$passing" ] &&
	! grep -q 'Shutdown port: shutdown requested' "$bochs_log"; then
	why=$(grep -o '>>PANIC<< .*' "$bochs_log" | tail -n 1)
	status="$status (Bochs stopped without the kernel's shutdown request: ${why:-see $bochs_log})"
elif [ "$status" = "$passing" ] &&
	tr -d '\r' < "$serial_log" | grep -q '^Bail out!'; then
	status="$status (the kernel bailed out)"
fi

tests/tap-check.sh bochs "$serial_log" "$status" "$passing"
