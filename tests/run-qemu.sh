#!/bin/bash
# Boots a test ISO in QEMU and turns what the kernel printed into TAP lines.
# The kernel prints "ok N - name" lines itself and leaves QEMU through the
# isa-debug-exit device: status 33 means every test passed. A hang (the
# timeout), a triple fault (QEMU exits with 0 because of -no-reboot) or a
# panic (status 35, "Bail out!") is reported as a failure with the log.
#
# usage: tests/run-qemu.sh ISO [TIMEOUT_SECONDS]
set -u
iso=$1
timeout_s=${2:-180}
log=build/test-logs/qemu-serial.log
mkdir -p build/test-logs

timeout --foreground "$timeout_s" qemu-system-i386 -m 128M -no-reboot \
	-boot d -cdrom "$iso" -display none -monitor none \
	-serial "file:$log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
status=$?

tests/tap-check.sh qemu "$log" "$status" 33
