#!/bin/bash
# `make bench-vm`: boots the kernel once with vm=lazy and once with
# vm=eager, each running user/bin/vmbench as init, and prints vmbench's
# lines from both runs: the frames its workloads hold and the time of
# spawn+exit, in each mode. QEMU's clock is the tests' (instructions
# counted: tools/emulator-clock.conf), so the times are virtual and
# comparable between the two runs.
#
# usage: tools/vm-bench.sh LAZY_ISO EAGER_ISO
set -u
. "$(dirname "$0")/emulator-clock.sh"
mkdir -p build/test-logs
status=0
for iso in "$@"; do
	log=build/test-logs/vmbench-$(basename "$iso" .iso).log
	timeout 120 qemu-system-i386 -m 128M -no-reboot "${QEMU_CLOCK[@]}" \
		-boot d -cdrom "$iso" -display none -monitor none \
		-serial file:"$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 > /dev/null 2>&1
	if ! grep -q '^init: vmbench exited with status 0' "$log"; then
		echo "vm-bench: vmbench did not finish in $iso (log: $log)"
		status=1
	fi
	tr -d '\r' < "$log" | grep -ao 'vmbench (.*'
done
exit $status
