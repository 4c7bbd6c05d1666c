#!/bin/bash
# `make run`: boots an ISO in QEMU with the serial port on this terminal.
# Typed at a terminal, keys go straight to QEMU. Piped in (`printf 'mem\n'
# | make run`), the text is held back until the kernel has printed its
# banner: before that the firmware (SeaBIOS) and GRUB read the serial port
# too, and would swallow it. From the banner on, the kernel's console keeps
# whole lines until a program reads them (kernel/console.c), so nothing is
# lost. Exit status: QEMU's (the caller judges it).
#
# usage: tools/run-console.sh QEMU-ARGS...
set -u
if [ -t 0 ]; then
	exec "${QEMU:-qemu-system-i386}" "$@" -nographic
fi
log=$(mktemp) ended=$(mktemp)
trap 'rm -f "$log" "$ended"' EXIT
{
	# The kernel's first line (kernel/main.c's banner), or QEMU's end.
	until grep -q 'memos: a teaching kernel' "$log" 2> /dev/null ||
		[ -s "$ended" ]; do
		sleep 0.1
	done
	[ -s "$ended" ] || cat
} | {
	"${QEMU:-qemu-system-i386}" "$@" -nographic
	echo $? > "$ended"
} | tee "$log"
exit "$(cat "$ended")"
