#!/bin/bash
# Boots the kernel with "test fault-demo" in QEMU: it writes to its own
# read-only code, and the fault report must say what a student needs to
# read it. Prints one TAP line per thing the report must show.
#
# usage: tests/run-fault-demo.sh ISO [TIMEOUT_SECONDS]
set -u
iso=$1
timeout_s=${2:-120}
log=build/test-logs/fault-demo-serial.log

tests/boot-qemu.sh "$iso" "$log" "$timeout_s"
status=$?

n=0
failed=0
# expect DESCRIPTION EXTENDED_REGEX: one TAP line.
expect() {
	n=$((n + 1))
	if tr -d '\r' < "$log" | grep -qE "$2"; then
		echo "ok $n - fault report: $1"
	else
		echo "not ok $n - fault report: $1 # no line matches /$2/"
		failed=1
	fi
}

expect "names the exception" 'CPU exception 14: page fault, error code 0x3, in kernel mode'
expect "decodes the error code" 'cause: kernel-mode write of a present \(protection violation\) page'
expect "shows the address written (CR2)" 'address \(CR2\): 0xc01[0-9a-f]{5}'
expect "names the faulting function" 'eip: 0xc01[0-9a-f]{5} <overwrite_code\+0x[0-9a-f]+>'
expect "shows the registers" 'eax=[0-9a-f]{8} ebx=[0-9a-f]{8}'
expect "shows control registers" 'cr0=[0-9a-f]{8} cr2=c01[0-9a-f]{5} cr3='
expect "backtrace reaches fault_demo" '^    0xc01[0-9a-f]{5} <fault_demo\+0x'
expect "backtrace reaches kmain" '^    0xc01[0-9a-f]{5} <kmain\+0x'
n=$((n + 1))
if [ "$status" = 35 ]; then
	echo "ok $n - fault report: the kernel stops (failure status 35)"
else
	echo "not ok $n - fault report: QEMU exited with $status, expected 35"
	failed=1
fi
if [ "$failed" -ne 0 ]; then
	tr -d '\r' < "$log" | sed 's/^/#   /'
fi
echo "1..$n"
exit "$failed"
