#!/bin/bash
# Boots the OS in Bochs with its debugger, the kernel's symbols loaded (so
# `lb "kmain"` works) and the magic breakpoint on. docs/bochs.md shows a
# session of each.
#   debug: the debugger in this terminal, no X needed (`make bochs`,
#          tools/bochsrc.txt)
#   gui:   windows: the VGA screen (it takes the keyboard) and the graphical
#          debugger (`make bochs-gui`, tools/bochsrc-gui.txt; needs $DISPLAY
#          and the package bochs-x)
# The make targets build first.
#
# usage: tools/bochs.sh debug|gui [ISO [COMMANDS]]
#   ISO: build/os.iso by default. COMMANDS: a file of debugger commands run
#   after the symbols are loaded (tests/run-bochs-gui.sh passes one).
# The logs go to build/bochs-*.log unless BOCHS_LOG, BOCHS_SERIAL_LOG and
# BOCHS_DEBUGGER_LOG say otherwise. The swap disk is build/swap.img (make
# builds it, SWAP_MB MiB) unless SWAP_IMG names another; none if it is
# missing (tools/swap-disk.sh).
set -u
cd "$(dirname "$0")/.." || exit 1

usage() {
	echo "usage: tools/bochs.sh debug|gui [ISO [COMMANDS]]" >&2
	exit 2
}
mode=${1:-}
case $mode in
debug) config=tools/bochsrc.txt ;;
gui) config=tools/bochsrc-gui.txt ;;
*) usage ;;
esac
iso=${2:-build/os.iso}
extra=${3:-}
symbols=build/kernel.sym
for f in "$iso" "$symbols" $extra; do
	[ -f "$f" ] || { echo "tools/bochs.sh: $f is missing: run 'make bochs'" >&2; exit 1; }
done

export BOCHS_ISO=$iso
. tools/swap-disk.sh
swap_disk_attach "${SWAP_IMG:-build/swap.img}" || exit 1
export BOCHS_SERIAL_LOG=${BOCHS_SERIAL_LOG:-build/bochs-serial.log}
export BOCHS_LOG=${BOCHS_LOG:-build/bochs.log}
# Everything the gui debugger prints, also in a file (tools/bochsrc-gui.txt).
export BOCHS_DEBUGGER_LOG=${BOCHS_DEBUGGER_LOG:-build/bochs-debugger.log}
commands=${BOCHS_LOG%.log}-commands.rc
# The debugger runs these first, then waits at the BIOS' first instruction.
echo "ldsym global \"$symbols\"" > "$commands"
[ -n "$extra" ] && cat "$extra" >> "$commands"

if [ "$mode" = gui ]; then
	if [ -z "${DISPLAY:-}" ]; then
		echo "tools/bochs.sh: no X display (\$DISPLAY is not set): use 'make bochs'" >&2
		exit 1
	fi
	cat <<EOF
Bochs with windows, booting $iso: the VGA screen (click it, then type: the
keyboard goes to memos) and the debugger, stopped before the BIOS runs. In
the debugger's command line (at its bottom) try:
  lb "kmain"          break at kmain, then Continue [c]
  page 0xc0100000     how that address is translated; View > Page Table
Its output is also in $BOCHS_DEBUGGER_LOG; COM1 in $BOCHS_SERIAL_LOG.
EOF
else
	cat <<EOF
Bochs debugger, booting $iso. It stops before the BIOS runs; try:
  lb "kmain"          break at kmain (lb: a linear = virtual address;
                      'b' takes a physical one and would never hit)
  c                   continue (Ctrl-C stops again)
  r / creg            registers / control registers
  page 0xc0100000     how that virtual address is translated
  info tab            every mapping of the current page directory
  s, n, u, x /8x ADDR step, next, disassemble, examine; help; q quits
Kernel output: port 0xE9 prints here; COM1 goes to $BOCHS_SERIAL_LOG.
The VGA screen is drawn on the terminal Bochs names below ("Bochs connected
to screen /dev/pts/N"): see it from a second terminal with
  stty -F /dev/pts/N raw -echo; cat /dev/pts/N
EOF
	export TERM=${TERM:-dumb}
fi
echo "Bochs' own log: $BOCHS_LOG."
echo

# The tests' clock (BOCHS_IPS), so that time runs here as it does in them.
. tools/emulator-clock.sh
if [ "$SWAP_MB" -gt 0 ]; then
	echo "Swap disk: $BOCHS_SWAP, $SWAP_MB MiB (ata0-slave)."
	exec bochs -q -f "$config" -rc "$commands"
fi
# No disk: the configuration without its ata0-slave line.
nodisk=${BOCHS_LOG%.log}-nodisk
bochs_config_for_swap tools/bochsrc.txt "$nodisk.txt"
[ "$mode" = gui ] && sed "s|^#include tools/bochsrc.txt|#include $nodisk.txt|" \
	tools/bochsrc-gui.txt > "$nodisk-gui.txt" && config=$nodisk-gui.txt
[ "$mode" = debug ] && config=$nodisk.txt
exec bochs -q -f "$config" -rc "$commands"
