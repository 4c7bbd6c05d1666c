# The swap disk every boot of memos gets (docs/disk.md): a sparse file of
# SWAP_MB MiB, attached as the primary channel's slave disk. Sourced by the
# scripts that boot memos (tests/boot-qemu.sh, tests/shell-qemu.sh,
# tests/run-bochs.sh, tools/bochs.sh...). Each boot that writes to its disk
# gets its own fresh file: tests run side by side and must not share one.
#
#   SWAP_MB   the disk's size in MiB (default 128: the machine's memory);
#             0 boots with no disk, as a machine without swap.
#   SWAP_BAD_SECTOR  (QEMU only, for the driver's error test) every read
#             of this sector fails: QEMU's blkdebug driver returns EIO.
#
# swap_disk_new FILE: makes FILE a zero-filled sparse disk of SWAP_MB MiB
# (truncate: it takes no room until written) and sets
#   QEMU_SWAP   QEMU's options attaching it (an array; empty with no disk)
#   BOCHS_SWAP, BOCHS_SWAP_CYLINDERS, BOCHS_SWAP_HEADS, BOCHS_SWAP_SPT
#               (exported) tools/bochsrc.txt's ata0-slave line
# Bochs wants cylinders x heads x sectors-per-track x 512 to be the file's
# size exactly: 16 heads of 32 sectors make a cylinder of 256 KiB, so a
# disk of N MiB has 4N cylinders.
SWAP_MB=${SWAP_MB:-128}

swap_disk_new() {
	local file=$1
	QEMU_SWAP=()
	export BOCHS_SWAP=$file BOCHS_SWAP_HEADS=16 BOCHS_SWAP_SPT=32
	export BOCHS_SWAP_CYLINDERS=$((SWAP_MB * 4))
	case $SWAP_MB in
	'' | *[!0-9]*)
		echo "swap disk: SWAP_MB=$SWAP_MB is not a number of MiB" >&2
		return 1
		;;
	esac
	[ "$SWAP_MB" -gt 0 ] || return 0
	mkdir -p "$(dirname "$file")"
	rm -f "$file"
	truncate -s "${SWAP_MB}M" "$file" || return 1
	QEMU_SWAP=(-drive "file=$file,format=raw,if=ide,index=1")
	if [ -n "${SWAP_BAD_SECTOR:-}" ]; then
		printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\n' \
			"$SWAP_BAD_SECTOR" > "$file.blkdebug"
		QEMU_SWAP=(-drive "file=blkdebug:$file.blkdebug:$file,format=raw,if=ide,index=1")
	fi
}

# swap_disk_attach FILE: the same variables for a disk FILE that exists
# (build/swap.img, which make builds), its size in MiB read from the file;
# a missing FILE means no disk.
swap_disk_attach() {
	local file=$1 bytes
	if [ ! -f "$file" ]; then
		SWAP_MB=0
		swap_disk_new "$file"
		return
	fi
	bytes=$(stat -c %s "$file") || return 1
	if [ $((bytes % (1024 * 1024))) -ne 0 ]; then
		echo "swap disk: $file is not a whole number of MiB" >&2
		return 1
	fi
	SWAP_MB=$((bytes / 1024 / 1024))
	QEMU_SWAP=(-drive "file=$file,format=raw,if=ide,index=1")
	export BOCHS_SWAP=$file BOCHS_SWAP_HEADS=16 BOCHS_SWAP_SPT=32
	export BOCHS_SWAP_CYLINDERS=$((SWAP_MB * 4))
}

# bochs_config_for_swap CONFIG OUT: CONFIG as is, or without its ata0-slave
# line when SWAP_MB is 0 (Bochs has no "no disk here" value for it).
bochs_config_for_swap() {
	if [ "$SWAP_MB" -gt 0 ]; then
		cp "$1" "$2"
	else
		sed '/^ata0-slave:/d' "$1" > "$2"
	fi
}
