#!/bin/bash
# The swap disk's boots that the kernel tests (tests/kernel/test_ata.c,
# with a disk in every test boot) do not make, in QEMU and in Bochs:
# - no disk (SWAP_MB=0): the kernel says so and boots as before;
# - the disk's size follows SWAP_MB (16 MiB here: 32768 sectors; in Bochs
#   that is tools/bochsrc.txt's geometry too), and both emulators take
#   READ/WRITE MULTIPLE's 8 sectors (a page) per interrupt;
# - mem=4: 1024 frames left free once the kernel has booted, which the
#   banner and the shell's `mem` (meminfo) show.
# Prints TAP lines; the serial logs are build/test-logs/disk-*.log.
#
# - a device error (QEMU's blkdebug fails every read of one sector): the
#   driver gives -EIO, logs the error register's meaning, and goes on
#   (the kernel test ata-error, booted alone).
#
# usage: tests/run-disk.sh TRUE_MEM4_ISO SHELL_MEM4_ISO ERROR_ISO
#   TRUE_MEM4_ISO: kernel command line "init=true mem=4"
#   SHELL_MEM4_ISO: "init=sh mem=4"
#   ERROR_ISO: the kernel tests' image with "test tests=ata-error
#   ata_bad_sector=40000"
set -u
cd "$(dirname "$0")/.." || exit 1
true_iso=$1 shell_iso=$2 error_iso=$3
logs=build/test-logs
mkdir -p "$logs"
. tools/emulator-clock.sh
. tools/swap-disk.sh

n=0
failed=0
# expect LOG DESCRIPTION EXTENDED_REGEX: one TAP line.
expect() {
	n=$((n + 1))
	if tr -d '\r' < "$1" | grep -aqE "$3"; then
		echo "ok $n - disk: $2"
	else
		echo "not ok $n - disk: $2 # no line of $1 matches /$3/"
		failed=1
	fi
}
# expect_status WHAT STATUS EXPECTED LOG
expect_status() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - disk: $1"
	else
		echo "not ok $n - disk: $1 # status $2, expected $3; the log:"
		tr -d '\r' < "$4" | tail -n 20 | sed 's/^/#   /'
		failed=1
	fi
}

# bochs_boot ISO LOG: boots ISO in Bochs (with SWAP_MB's disk, or none)
# until the kernel powers off; COM1 into LOG. Status 1 after the kernel's
# shutdown request (as tests/run-bochs.sh explains), 124 at the timeout.
bochs_boot() {
	local iso=$1 log=$2 dir status
	dir=$(mktemp -d)
	swap_disk_new "$dir/swap.img" || return 1
	bochs_config_for_swap tools/bochsrc.txt "$dir/bochsrc.txt"
	echo c > "$dir/commands"
	: > "$log"
	BOCHS_ISO=$iso BOCHS_SERIAL_LOG=$log BOCHS_LOG=${log%.log}-bochs.log \
		TERM=dumb timeout -s INT -k 10 240 \
		bochs -q -f "$dir/bochsrc.txt" -rc "$dir/commands" \
		> "${log%.log}-console.log" 2>&1 <<< quit
	status=$?
	rm -rf "$dir"
	if [ "$status" = 1 ] &&
		! grep -q 'Shutdown port: shutdown requested' "${log%.log}-bochs.log"; then
		status="1 (a Bochs panic: $(grep -o '>>PANIC<< .*' "${log%.log}-bochs.log" | tail -n 1))"
	fi
	return "${status%% *}"
}

no_disk='^ata: no swap disk \(primary slave\): going on without swap$'
mem4='^mem: mem=4: 1024 frames \(4 MiB\) left free for processes, [0-9]+ frames of RAM unused$'
disk16='^ata: swap disk \(primary slave\) ".*": 32768 sectors of 512 bytes \(16 MiB\), LBA28, 8 sectors per interrupt$'

# QEMU, no disk, mem=4: init runs and the machine powers off as before.
log=$logs/disk-qemu-none.log
SWAP_MB=0 tests/boot-qemu.sh "$true_iso" "$log" 120
status=$?
expect "$log" "QEMU without a disk: the kernel says there is none" "$no_disk"
expect "$log" "QEMU: mem=4 leaves 1024 frames free" "$mem4"
expect "$log" "QEMU without a disk: init runs" '^init: true exited with status 0$'
expect_status "QEMU without a disk: powers off with success" "$status" 33 "$log"

# QEMU, a 16 MiB disk, mem=4: the shell's `mem` shows the small machine.
log=$logs/disk-qemu-shell.log
SWAP_MB=16 tests/shell-qemu.sh "$shell_iso" "$log" 120 mem exit
status=$?
expect "$log" "QEMU: a 16 MiB disk (SWAP_MB=16) is 32768 sectors" "$disk16"
n=$((n + 1))
clean=$(tr -d '\r' < "$log")
# The banner counts the machine's frames; mem=4 then retires all but 1024
# of those free: meminfo's total is the difference, and the shell and its
# page tables took a few of the 1024.
machine=$(echo "$clean" | sed -n 's/^memory: \([0-9]*\) frames of 4 KiB usable.*/\1/p')
retired=$(echo "$clean" | sed -n 's/^mem: mem=4: .* \([0-9]*\) frames of RAM unused$/\1/p')
line=$(echo "$clean" | grep -a '^frames: [0-9]* of [0-9]* free' | head -n 1)
free=$(echo "$line" | sed -n 's/^frames: \([0-9]*\) of.*/\1/p')
total=$(echo "$line" | sed -n 's/^frames: [0-9]* of \([0-9]*\) free.*/\1/p')
if [ -n "$free" ] && [ -n "$machine" ] && [ -n "$retired" ] &&
	[ "$free" -le 1024 ] && [ "$free" -ge 900 ] &&
	[ "$total" = $((machine - retired)) ] && [ "$total" -lt 1500 ]; then
	echo "ok $n - disk: QEMU: meminfo (the shell's mem) shows mem=4's frames: $free of $total free"
else
	echo "not ok $n - disk: QEMU: meminfo (the shell's mem) shows mem=4's frames # mem said \"$line\"; the machine has $machine frames, mem=4 retired $retired"
	failed=1
fi
expect_status "QEMU: the shell exits with 0" "$status" 33 "$log"

# QEMU, a disk whose sector 40000 cannot be read (the ISO's command line
# names it): the kernel test says -EIO came back and the disk works on;
# the log names the failed request and what the error register said.
log=$logs/disk-qemu-error.log
SWAP_BAD_SECTOR=40000 tests/boot-qemu.sh "$error_iso" "$log" 120
status=$?
expect "$log" "QEMU: a device error is -EIO, and the disk works on (kernel test)" \
	'^ok 1 - ata-error: '
expect "$log" "QEMU: the log names the failed read and the error register's meaning" \
	'^ata: read of sectors 40000-40000 failed: status 0x[0-9a-f]+ \([A-Z ]*ERR\), error 0x4 \(ABRT: command aborted'
expect "$log" "QEMU: ... also for a page with the bad sector in its middle" \
	'^ata: read of sectors 39997-40004 failed: .* error 0x4 \(ABRT'
expect_status "QEMU: the error test powers off with success" "$status" 33 "$log"

# Bochs, no disk (no ata0-slave line), mem=4.
log=$logs/disk-bochs-none.log
SWAP_MB=0 bochs_boot "$true_iso" "$log"
status=$?
expect "$log" "Bochs without a disk: the kernel says there is none" "$no_disk"
expect "$log" "Bochs: mem=4 leaves 1024 frames free" "$mem4"
expect "$log" "Bochs without a disk: init runs" '^init: true exited with status 0$'
expect_status "Bochs without a disk: powers off" "$status" 1 "$log"

# Bochs with a 16 MiB disk: the geometry tools/swap-disk.sh gives
# (64 cylinders of 16 heads x 32 sectors) is all of it.
log=$logs/disk-bochs-16.log
SWAP_MB=16 bochs_boot "$true_iso" "$log"
status=$?
expect "$log" "Bochs: a 16 MiB disk (SWAP_MB=16) is 32768 sectors" "$disk16"
expect_status "Bochs with a 16 MiB disk: powers off" "$status" 1 "$log"

echo "1..$n"
exit "$failed"
