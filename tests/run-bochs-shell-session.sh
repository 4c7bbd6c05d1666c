#!/bin/bash
# Ctrl-C in Bochs: boots build/os-shell.iso (init=sh) in Bochs with COM1 on
# a TCP socket (the serial line a terminal would be), types `spinner`,
# then Ctrl-C (the byte 0x03) until the prompt comes back, then `exit`,
# and checks that spinner ended with SIGINT and the shell went on. The
# keyboard's Ctrl+C is tested in Bochs by tests/run-bochs-gui.sh (keys
# typed into the VGA window under Xvfb; the term display used here takes
# its keys from the terminal Bochs runs in), in QEMU by
# tests/run-shell-session.sh (sendkey), and the console's Ctrl-C path
# in-kernel in both (tests/kernel/test_user_limit.c).
#
# usage: tests/run-bochs-shell-session.sh [ISO] [TIMEOUT_SECONDS]
set -u
iso=${1:-build/os-shell.iso}
timeout_s=${2:-300}
logs=build/test-logs
mkdir -p "$logs"
log=$logs/bochs-shell-session.log
bochs_log=$logs/bochs-shell-session-bochs.log
rm -f "$log" "$bochs_log"
prompt='memos$ '

. tools/emulator-clock.sh # BOCHS_IPS, which tools/bochsrc.txt needs
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# A free port above 20000: tried from one the pid picks, skipping those
# a listener holds (other suites may run Bochs beside this one).
port=$((20000 + $$ % 20000))
while ss -Hltn "sport = :$port" 2> /dev/null | grep -q .; do
	port=$((20000 + (port - 20000 + 1) % 20000))
done
. tools/swap-disk.sh # a fresh swap disk of SWAP_MB MiB (0: none)
swap_disk_new "$dir/swap.img" || exit 1
bochs_config_for_swap tools/bochsrc.txt "$dir/bochsrc.in"
sed "s|^com1: .*|com1: enabled=1, mode=socket-server, dev=localhost:$port|" \
	"$dir/bochsrc.in" > "$dir/bochsrc.txt"
echo c > "$dir/commands"
BOCHS_ISO=$iso BOCHS_SERIAL_LOG=/dev/null BOCHS_LOG=$bochs_log TERM=dumb \
	timeout -s INT -k 10 "$timeout_s" \
	bochs -q -f "$dir/bochsrc.txt" -rc "$dir/commands" \
	> "$dir/console.log" 2>&1 <<< quit &
bochs=$!

# Bochs waits for the serial line's client before it starts the machine.
connected=no
for _ in $(seq 100); do
	if { exec 5<> "/dev/tcp/localhost/$port"; } 2> /dev/null; then
		connected=yes
		break
	fi
	sleep 0.2
done
if [ "$connected" = yes ]; then
	cat <&5 > "$log" &
	reader=$!
fi

prompts() { tr -d '\r' < "$log" 2> /dev/null | grep -oF "$prompt" | wc -l; }
# wait_for_prompt N SECONDS: false if prompt N does not show in time.
wait_for_prompt() {
	local tries=$(($2 * 10))
	while [ "$(prompts)" -lt "$1" ]; do
		kill -0 "$bochs" 2> /dev/null || return 1
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

if [ "$connected" = yes ] && wait_for_prompt 1 "$timeout_s"; then
	printf 'spinner\r' >&5
	for _ in $(seq 20); do
		sleep 3
		printf '\003' >&5
		wait_for_prompt 2 3 && break
	done
	wait_for_prompt 2 1 && printf 'exit\r' >&5
fi
wait "$bochs"
status=$?
exec 5>&-
[ -n "${reader:-}" ] && kill "$reader" 2> /dev/null

n=0
failed=0
expect() {
	n=$((n + 1))
	if tr -d '\r' < "$log" 2> /dev/null | grep -qE -- "$2"; then
		echo "ok $n - bochs shell: $1"
	else
		echo "not ok $n - bochs shell: $1 # no line matches /$2/"
		failed=1
	fi
}
expect "the shell shows its prompt" '^memos\$ spinner$'
expect "Ctrl-C on the serial line is echoed as ^C" '^\^C$'
expect "Ctrl-C ends spinner; the shell says how" \
	'^sh: spinner was killed by signal 2 \(SIGINT: interrupted by Ctrl-C\)$'
expect "the shell survives it: exit ends it, and the kernel says so" \
	'^init: sh exited with status 0$'
n=$((n + 1))
if [ "$status" = 1 ]; then # Bochs' status after the kernel's shutdown
	echo "ok $n - bochs shell: Bochs powered off at the shell's exit"
else
	echo "not ok $n - bochs shell: Bochs powered off at the shell's exit # Bochs exited with $status (124: timed out)"
	failed=1
fi
if [ "$failed" -ne 0 ]; then
	echo "# ---- the session ($log) ----"
	tr -d '\r' < "$log" 2> /dev/null | sed 's/^/#   /'
fi
echo "1..$n"
exit "$failed"
