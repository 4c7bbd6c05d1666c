#!/bin/bash
# Boots a test ISO in QEMU and turns what the kernel printed into TAP lines.
# The kernel prints "ok N - name" lines itself and leaves QEMU through the
# isa-debug-exit device: status 33 means every test passed. A hang (the
# timeout), a triple fault (QEMU exits with 0 because of -no-reboot) or a
# panic (status 35, "Bail out!") is reported as a failure with the log.
#
# usage: tests/run-qemu.sh ISO [TIMEOUT_SECONDS [SERIAL_LOG]]
set -u
iso=$1
timeout_s=${2:-180}
log=${3:-build/test-logs/qemu-serial.log}

tests/boot-qemu.sh "$iso" "$log" "$timeout_s"
status=$?

tests/tap-check.sh qemu "$log" "$status" 33
