#!/bin/bash
# Boots an ISO whose init is the shell (build/os-shell.iso) in QEMU and
# types commands on its serial console the way a person would: each line
# once the shell shows its prompt. Lines end in CR, as a terminal's Enter
# sends, every second one in LF: the console takes both. Everything the
# console shows goes to LOG. The last command should be `exit`. QEMU's
# clock is the tests' (tools/emulator-clock.conf), as in tests/boot-qemu.sh.
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
mkfifo "$dir/input"
. "$(dirname "$0")/../tools/emulator-clock.sh"

timeout --foreground "$timeout_s" qemu-system-i386 -m 128M -no-reboot \
	"${QEMU_CLOCK[@]}" -boot d -cdrom "$iso" -display none -monitor none \
	-serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	< "$dir/input" > "$log" 2>&1 &
qemu=$!
exec 3> "$dir/input"

# Waits until the log shows the prompt n times; false if QEMU ended.
wait_for_prompt() {
	while [ "$(grep -oF "$prompt" "$log" | wc -l)" -lt "$1" ]; do
		kill -0 "$qemu" 2> /dev/null || return 1
		sleep 0.1
	done
}

n=0
for command in "$@"; do
	n=$((n + 1))
	wait_for_prompt "$n" || break
	if [ $((n % 2)) -eq 1 ]; then
		printf '%s\r' "$command" >&3
	else
		printf '%s\n' "$command" >&3
	fi
done
exec 3>&-
wait "$qemu"
