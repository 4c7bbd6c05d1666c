#!/bin/bash
# Boots the OS in Bochs with its debugger in this terminal, the kernel's
# symbols loaded (so `lb "kmain"` works) and the magic breakpoint on.
# `make bochs` builds first, then runs `tools/bochs.sh debug`.
# docs/bochs.md shows a session.
#
# usage: tools/bochs.sh debug [ISO]     (ISO: build/os.iso by default)
set -u
cd "$(dirname "$0")/.." || exit 1

usage() {
	echo "usage: tools/bochs.sh debug [ISO]" >&2
	exit 2
}
[ "${1:-}" = debug ] || usage
iso=${2:-build/os.iso}
symbols=build/kernel.sym
for f in "$iso" "$symbols"; do
	[ -f "$f" ] || { echo "tools/bochs.sh: $f is missing: run 'make bochs'" >&2; exit 1; }
done

serial_log=build/bochs-serial.log
bochs_log=build/bochs.log
commands=build/bochs-debug.rc
# The debugger runs these first, then waits at the BIOS' first instruction.
echo "ldsym global \"$symbols\"" > "$commands"

cat <<EOF
Bochs debugger, booting $iso. It stops before the BIOS runs; try:
  lb "kmain"          break at kmain (lb: a linear = virtual address;
                      'b' takes a physical one and would never hit)
  c                   continue (Ctrl-C stops again)
  r / creg            registers / control registers
  page 0xc0100000     how that virtual address is translated
  info tab            every mapping of the current page directory
  s, n, u, x /8x ADDR step, next, disassemble, examine; help; q quits
Kernel output: port 0xE9 prints here; COM1 goes to $serial_log.
The VGA screen is drawn on the terminal Bochs names below ("Bochs connected
to screen /dev/pts/N"): see it from a second terminal with
  stty -F /dev/pts/N raw -echo; cat /dev/pts/N
Bochs' own log: $bochs_log.

EOF

export BOCHS_ISO=$iso BOCHS_SERIAL_LOG=$serial_log BOCHS_LOG=$bochs_log
export TERM=${TERM:-dumb}
# The tests' clock (BOCHS_IPS), so that time runs here as it does in them.
. tools/emulator-clock.sh
exec bochs -q -f tools/bochsrc.txt -rc "$commands"
