#!/bin/bash
# Boots an ISO in QEMU the way every test does: 128 MiB, no screen, COM1
# into a log file, the isa-debug-exit device for the kernel's status, and
# a time limit. Standard input, if any, is not connected to the guest.
# Its clock counts instructions at the rate Bochs' does
# (tools/emulator-clock.conf), so a test's time limit means the same work
# in both.
# It gets a fresh swap disk of its own (tools/swap-disk.sh: SWAP_MB MiB,
# 0 for none), removed when it ends.
# Exits with QEMU's status: 33 = the kernel said success, 35 = failure,
# 124 = timed out, 0 = a triple fault (-no-reboot stops QEMU then).
#
# usage: tests/boot-qemu.sh ISO SERIAL_LOG TIMEOUT_SECONDS
set -u
iso=$1 log=$2 timeout_s=$3
mkdir -p "$(dirname "$log")"
. "$(dirname "$0")/../tools/emulator-clock.sh"
. "$(dirname "$0")/../tools/swap-disk.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
swap_disk_new "$dir/swap.img" || exit 1

timeout --foreground "$timeout_s" qemu-system-i386 -m 128M -no-reboot \
	"${QEMU_CLOCK[@]}" -boot d -cdrom "$iso" "${QEMU_SWAP[@]}" \
	-display none -monitor none -serial "file:$log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
