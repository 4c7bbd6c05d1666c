#!/bin/bash
# The scripted gdb sessions of docs/gdb.md. QEMU boots memos stopped at its
# first instruction and waiting for gdb; gdb -batch reads the repo's
# .gdbinit, then a script that runs the helpers of tools/memos-gdb.py:
# - tests/gdb-session.gdb, on a kernel that runs hello as init
#   (build/os-gdb.iso): every helper;
# - tests/gdb-session-shell.gdb, on the shell (build/os-shell.iso), with
#   commands typed on its console: memos-user passes another program by,
#   and a user program's fault is followed into the kernel.
# Each helper's output is checked by patterns, one TAP line each; the
# sessions are in build/test-logs/gdb-session*.log.
#
# usage: tests/run-gdb-session.sh [ISO] [SHELL_ISO] [TIMEOUT_SECONDS]
set -u
iso=${1:-build/os-gdb.iso}
shell_iso=${2:-build/os-shell.iso}
timeout_s=${3:-120}
logs=build/test-logs
log=$logs/gdb-session.log
mkdir -p "$logs"

. tools/emulator-clock.sh # QEMU_CLOCK
. tools/swap-disk.sh      # swap_disk_new: each session's own disk
dir=$(mktemp -d)
qemu_pid=
typist_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$typist_pid" ] && kill "$typist_pid" 2> /dev/null
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2> /dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

# type_lines SERIAL_LOG LINE...: types each line on the console once the
# shell's prompt has shown one more time, as tests/shell-qemu.sh does.
type_lines() {
	local serial=$1 n=0 line
	shift
	for line in "$@"; do
		n=$((n + 1))
		until [ "$(grep -oF 'memos$ ' "$serial" | wc -l)" -ge "$n" ]; do
			kill -0 "$qemu_pid" 2> /dev/null || return
			sleep 0.1
		done
		printf '%s\r' "$line" >&3
	done
}

# gdb_session ISO SCRIPT LOG [LINE...]: QEMU boots ISO waiting for gdb (-S,
# on a socket of its own so that tests running in parallel do not meet);
# gdb -batch reads the repo's .gdbinit (with that socket instead of
# localhost:1234), then SCRIPT, into LOG. The serial console goes to
# LOG's -serial.log; the LINEs are typed on it. Sets gdb_status.
gdb_session() {
	local iso=$1 script=$2 log=$3 socket=$dir/gdb.sock
	shift 3
	rm -f "$log" "$socket" "$dir/console"
	mkfifo "$dir/console"
	swap_disk_new "$dir/swap.img" || return 1 # fresh: tools/swap-disk.sh
	timeout "$timeout_s" qemu-system-i386 -m 128M -no-reboot \
		"${QEMU_CLOCK[@]}" -boot d -cdrom "$iso" "${QEMU_SWAP[@]}" \
		-display none \
		-monitor none -serial stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-gdb "unix:$socket,server=on,wait=off" -S \
		< "$dir/console" > "${log%.log}-serial.log" \
		2> "${log%.log}-qemu.log" &
	qemu_pid=$!
	exec 3> "$dir/console"
	for _ in $(seq 50); do
		[ -S "$socket" ] && break
		sleep 0.1
	done
	type_lines "${log%.log}-serial.log" "$@" &
	typist_pid=$!

	# .gdbinit as a student runs it, connected to this QEMU.
	sed "s|^target remote .*|target remote $socket|" .gdbinit \
		> "$dir/gdbinit"
	timeout -k 5 "$timeout_s" gdb -nx -batch -x "$dir/gdbinit" \
		-x "$script" > "$log" 2>&1 < /dev/null
	gdb_status=$?
	kill "$typist_pid" "$qemu_pid" 2> /dev/null
	wait "$typist_pid" "$qemu_pid" 2> /dev/null
	exec 3>&-
	typist_pid= qemu_pid=
}

gdb_session "$iso" tests/gdb-session.gdb "$log"
. tests/tap.sh
# check: report, counting the current session's failures.
session_failures=0
check() {
	report "$@"
	[ "$1" -eq 0 ] || session_failures=$((session_failures + 1))
}
# section NAME: what gdb printed after the script's "echo == NAME" line, up
# to the next such line.
section() {
	awk -v head="== $1" '
		found && index($0, "== ") == 1 { exit }
		found { print }
		$0 == head { found = 1 }' "$log"
}
# expect SECTION DESCRIPTION EXTENDED_REGEX: a line of the section matches.
expect() {
	section "$1" | grep -qE -- "$3"
	check $? "gdb session: $2" "no line after '== $1' matches /$3/"
}

grep -qE '^Breakpoint 1, kmain \(multiboot_magic=' "$log"
check $? "gdb session: .gdbinit's breakpoint stops at kmain" \
	"no 'Breakpoint 1, kmain' line"
expect "memos-pt 0xc0100000" "the kernel's page directory holds PDE 768" \
	'^0xc0100000: page directory 0x[0-9a-f]{8}, PDE 768 = 0x[0-9a-f]{8} \(PTE_PRESENT'
expect "memos-pt 0xc0100000" \
	"memos-pt translates the kernel's first page to 1 MiB" \
	'^0xc0100000 -> 0x00100000 \(PTE_PRESENT'
expect "backtrace from the first timer tick" \
	"the backtrace of an interrupt goes on past isr_common" \
	'^#[0-9]+ +0xc[0-9a-f]{7} in isr_common \(\)'
# The first tick (QEMU's clock counts instructions) stops kmain's code.
section "backtrace from the first timer tick" |
	grep -A1 ' in isr_common ()' | tail -n 1 |
	grep -qE '^#[0-9]+ +0xc[0-9a-f]{7} in [a-z_]+ \(.*\) at kernel/[a-z_]+\.c:[0-9]+$'
check $? "gdb session: ... into the kernel code the interrupt stopped" \
	"the frame after isr_common is not a kernel C function"
expect "backtrace from the first timer tick" \
	"... and on to kmain" '^#[0-9]+ .*kmain \(.*\) at kernel/main.c:[0-9]+$'
expect "memos-heap" "memos-heap lists a used block of the kernel heap" \
	'^  0xc[0-9a-f]{7} +[0-9]+  used$'
expect "memos-heap" "memos-heap totals the heap" \
	'^heap 0xc[0-9a-f]{7}-0xc[0-9a-f]{7}: [1-9][0-9]* used blocks'
expect "memos-heap" "memos-heap finds the heap's tags consistent" \
	'^heap walk: ok'
expect "memos-heap" "memos-heap runs the kernel's heap_check: ok" \
	'^heap_check: ok \(kheap_check returned 0\)$'
expect "memos-heap after an overrun" "memos-heap's walk sees a tag overwritten" \
	'^heap walk: 0xc[0-9a-f]{7}: tag 0x41414141 has no magic$'
expect "memos-heap after an overrun" "heap_check reports the overwritten block" \
	'^heap_check: block 0xc[0-9a-f]{7}: .* \(kheap_check returned -74\)$'
expect "memos-ps at run_init" "memos-ps shows the kernel task, current" \
	'^\* +0  kernel +PROC_RUNNABLE +-  0x[0-9a-f]{8} \(kernel task\)$'
expect "memos-ps at run_init" "memos-ps shows the idle task" \
	'^  +1  idle +PROC_RUNNABLE'
expect "memos-user hello" "memos-user sets a breakpoint on hello's main" \
	'^Breakpoint [0-9]+ at 0x0804[0-9a-f]{4} \(user/bin/hello.c:[0-9]+, main.s first line\), stops only when the current process is hello\.$'
expect "memos-user hello" "continue stops in hello's main with its arguments" \
	'^Breakpoint [0-9]+, main \(argc=1, argv=0x[0-9a-f]+\) at user/bin/hello.c:[0-9]+$'
expect "memos-user hello" "print argv[0] shows hello's name" \
	'^\$[0-9]+ = 0x[0-9a-f]+ "hello"$'
expect "memos-heap in hello" "memos-heap does not call into the kernel from ring 3" \
	'^heap_check: not run: the CPU is in ring 3'
expect "memos-ps in hello" "memos-ps shows hello running, a child of the kernel" \
	'^\* +[0-9]+  hello +PROC_RUNNABLE +0  0x[0-9a-f]{8}$'
expect "memos-ps in hello" "memos-ps shows the kernel waiting for it" \
	'^  +0  kernel +PROC_BLOCKED'
expect "memos-regions" "memos-regions shows hello's text, from the file" \
	'^  08048000-[0-9a-f]{8} r-x text +file offset 0x[0-9a-f]+, [0-9]+ bytes at 0x08048000$'
expect "memos-regions" "memos-regions shows the stack region" \
	'^  bfeff000-bffff000 rw- stack +zero-filled$'
expect "memos-pt 0x08048000" \
	"memos-pt reads hello's page table in physical memory" \
	'^0x08048000: page table 0x[0-9a-f]{8}, PTE 72 = 0x[0-9a-f]{8} \(PTE_PRESENT PTE_USER'
expect "memos-pt 0x08048000" "hello's text page is user, read-only" \
	'^0x08048000 -> 0x[0-9a-f]{8} \(PTE_PRESENT PTE_USER( PTE_ACCESSED)?( PTE_DIRTY)?\)$'
expect "memos-pt" "memos-pt maps low memory at KERNEL_VMA" \
	'^  c0000000-c0100000 -> 00000000-00100000 +256 pages  PTE_PRESENT PTE_WRITABLE$'
expect "memos-pt" "memos-pt lists hello's text page" \
	'^  08048000-[0-9a-f]{8} -> [0-9a-f]{8}-[0-9a-f]{8} +[0-9]+ pages  PTE_PRESENT PTE_USER$'
expect "memos-pt" "memos-pt counts the pages" '^[1-9][0-9]* pages mapped'
# QEMU's own walk of the same tables: each range it lists starts where a
# line of memos-pt starts (memos-pt splits ranges further, at frames).
starts=$(section "monitor info mem" | tr -d '\r' |
	sed -n 's/^0*\([0-9a-f]\{8\}\)-[0-9a-f]* [0-9a-f]* [-u][-r][-w]$/\1/p')
missing=
for start in $starts; do
	section "memos-pt" | grep -q "^  $start-" || missing="$missing $start"
done
[ -n "$starts" ] && [ -z "$missing" ]
check $? "gdb session: memos-pt agrees with QEMU's info mem" \
	"ranges of info mem memos-pt does not start:${missing:- none listed}"
# session_ran NAME: the checks every session ends with; on a failure, the
# session's log follows.
session_ran() {
	! grep -qE 'Python Exception|Error occurred in Python|Error in sourced command' \
		"$log"
	check $? "$1: no helper raised an error" \
		"$(grep -m1 -E 'Python|Error' "$log")"
	grep -qx '== end of the session' "$log"
	check $? "$1: gdb ran the whole script" \
		"gdb exited with $gdb_status (124: timed out)"
	if [ "$session_failures" -ne 0 ]; then
		echo "# ---- the session ($log) ----"
		sed 's/^/#   /' "$log"
	fi
	session_failures=0
}
session_ran "gdb session"

log=$logs/gdb-session-shell.log
gdb_session "$shell_iso" tests/gdb-session-shell.gdb "$log" \
	"args one two" hello "faulter null-read"
expect "memos-user hello" "memos-user passes by args, which runs the same address" \
	"^memos-user: args \(pid [0-9]+\) ran hello's main address 0x0804[0-9a-f]{4}: not stopping$"
expect "memos-user hello" "memos-user stops in hello when hello runs" \
	'^Breakpoint [0-9]+, main \(argc=1, argv=0x[0-9a-f]+\) at user/bin/hello.c:[0-9]+$'
expect "stopped in hello" "the program stopped is hello" \
	'^\$[0-9]+ = 0x[0-9a-f]+ "hello"$'
expect "in faulter's main" "memos-user faulter stops in faulter, argv[1] read" \
	'^\$[0-9]+ = 0x[0-9a-f]+ "null-read"$'
expect "in read_null" "a breakpoint in faulter's read_null stops there" \
	'^=> 0x804[0-9a-f]{4} <read_null>:'
expect "first user_fault" "read_null's first load faults into user_fault" \
	'^Breakpoint [0-9]+, user_fault \(f=(f@entry=)?0x[0-9a-f]+\) at kernel/user_fault.c:[0-9]+$'
read_null=$(section "in read_null" | sed -n 's/^=> \(0x[0-9a-f]*\) <read_null>:.*/\1/p')
expect "first user_fault" "the trap frame's eip is read_null's first instruction" \
	"^\\\$[0-9]+ = ${read_null:-none}$"
expect "first user_fault" "the backtrace goes back through the trap handler" \
	'^#[0-9]+ .*trap_dispatch \(frame='
expect "read_null again" "the served fault retries the instruction: read_null again" \
	'^Breakpoint [0-9]+, read_null \(\) at user/bin/faulter.c:18$'
expect "second user_fault" "the second load faults into user_fault again" \
	'^Breakpoint [0-9]+, user_fault '
second=$(section "second user_fault" | sed -n 's/^\$[0-9]* = \(0x[0-9a-f]*\)$/\1/p')
# The kill line's eip, looked up in faulter's file as docs/gdb.md does.
eip=$(sed -n 's/^memos: killed faulter (pid [0-9]*): .*, eip \(0x[0-9a-f]*\) \[SIGSEGV\].*/\1/p' \
	"${log%.log}-serial.log")
# The command and its output go to a log of their own, which docs/gdb.md
# quotes as the student's command line.
line_log=$logs/gdb-info-line.log
if [ -n "$eip" ]; then
	echo "\$ gdb -batch -ex 'info line *$eip' -ex 'list *$eip,*$eip' build/user/faulter"
	gdb -nx -batch -ex "info line *$eip" -ex "list *$eip,*$eip" \
		build/user/faulter 2>&1
fi > "$line_log"
line=$(grep '^Line ' "$line_log")
echo "$line" | grep -q '^Line 18 of "user/bin/faulter.c" starts at address .* <read_null+'
check $? "gdb session: faulter's kill line leads to its source line" \
	"eip '$eip' from the kill line; info line: $line"
[ -n "$eip" ] && [ $((eip)) -eq $((${second:-0})) ]
check $? "gdb session: the kill line's eip is the second fault's" \
	"kill line: '$eip', trap frame in gdb: '$second'"
session_ran "gdb session (shell)"
echo "1..$n"
exit "$status"
