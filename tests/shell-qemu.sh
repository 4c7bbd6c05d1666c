#!/bin/bash
# Boots an ISO whose init is the shell (build/os-shell.iso) in QEMU and
# types commands on its serial console the way a person would: each line
# once the shell shows its prompt. Lines end in CR, as a terminal's Enter
# sends, every second one in LF: the console takes both. Everything the
# console shows goes to LOG. The last command should be `exit`. QEMU's
# clock is the tests' (tools/emulator-clock.conf), as in tests/boot-qemu.sh.
#
# Two commands are not lines: "^C" types Ctrl-C on the serial line (the
# byte 0x03), "key:ctrl-c" presses Ctrl+C on the emulated PS/2 keyboard
# (QEMU's monitor command sendkey). Either is sent while the program the
# command before started runs, again every 2 s until the shell's next
# prompt shows (it is sent only once the program is under way).
#
# usage: tests/shell-qemu.sh ISO LOG TIMEOUT_SECONDS COMMAND...
# Exit status: QEMU's: 33 = the shell exited with 0, 35 = with another
# status, 124 = timed out.
set -u
iso=$1 log=$2 timeout_s=$3
shift 3
prompt='memos$ '
mkdir -p "$(dirname "$log")"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/input" "$dir/monitor.in" "$dir/monitor.out"
. "$(dirname "$0")/../tools/emulator-clock.sh"
# A fresh swap disk of its own, as tests/boot-qemu.sh gives (SWAP_MB).
. "$(dirname "$0")/../tools/swap-disk.sh"
swap_disk_new "$dir/swap.img" || exit 1

timeout --foreground "$timeout_s" qemu-system-i386 -m 128M -no-reboot \
	"${QEMU_CLOCK[@]}" -boot d -cdrom "$iso" "${QEMU_SWAP[@]}" -display none \
	-chardev pipe,id=monitor,path="$dir/monitor" -mon chardev=monitor \
	-serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	< "$dir/input" > "$log" 2>&1 &
qemu=$!
exec 3> "$dir/input"
# Read-write opens of the monitor's pipes never block, even if QEMU did
# not start; what the monitor says is thrown away.
exec 4<> "$dir/monitor.in"
cat 0<> "$dir/monitor.out" > /dev/null 2>&1 &
drain=$!

# Waits until the log shows the prompt n times; false if QEMU ended.
wait_for_prompt() {
	while [ "$(grep -oF "$prompt" "$log" | wc -l)" -lt "$1" ]; do
		kill -0 "$qemu" 2> /dev/null || return 1
		sleep 0.1
	done
}

# Sends Ctrl-C one way until prompt number $1 shows; false if it never does.
interrupt() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		sleep 2
		if [ "$2" = "^C" ]; then
			printf '\003' >&3
		else
			echo "sendkey ctrl-c" >&4
		fi
		wait_for_prompt_within "$1" 2 && return 0
	done
	return 1
}

# wait_for_prompt N SECONDS: as wait_for_prompt, for SECONDS at most.
wait_for_prompt_within() {
	local tries=$(($2 * 10))
	while [ "$(grep -oF "$prompt" "$log" | wc -l)" -lt "$1" ]; do
		kill -0 "$qemu" 2> /dev/null || return 1
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

n=0
for command in "$@"; do
	if [ "$command" = "^C" ] || [ "$command" = "key:ctrl-c" ]; then
		interrupt "$((n + 1))" "$command" || break
		continue
	fi
	n=$((n + 1))
	wait_for_prompt "$n" || break
	if [ $((n % 2)) -eq 1 ]; then
		printf '%s\r' "$command" >&3
	else
		printf '%s\n' "$command" >&3
	fi
done
exec 3>&- 4>&-
wait "$qemu"
status=$?
kill "$drain" 2> /dev/null
exit "$status"
