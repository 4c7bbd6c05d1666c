#!/bin/bash
# The scripted gdb session of docs/gdb.md: QEMU boots an ISO whose kernel
# runs hello as init (build/os-gdb.iso), stopped at its first instruction
# and waiting for gdb (-S, on a socket of its own so that tests running in
# parallel do not meet); gdb -batch reads the repo's .gdbinit (with that
# socket instead of localhost:1234), then tests/gdb-session.gdb, which
# runs every helper of tools/memos-gdb.py. Each helper's output is checked
# by patterns, one TAP line each; the session is in
# build/test-logs/gdb-session.log.
#
# usage: tests/run-gdb-session.sh [ISO] [TIMEOUT_SECONDS]
set -u
iso=${1:-build/os-gdb.iso}
timeout_s=${2:-120}
logs=build/test-logs
log=$logs/gdb-session.log
mkdir -p "$logs"
rm -f "$log"

. tools/emulator-clock.sh # QEMU_CLOCK
dir=$(mktemp -d)
qemu_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2> /dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
socket=$dir/gdb.sock

timeout "$timeout_s" qemu-system-i386 -m 128M -no-reboot \
	"${QEMU_CLOCK[@]}" -boot d -cdrom "$iso" -display none -monitor none \
	-serial "file:$logs/gdb-session-serial.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-gdb "unix:$socket,server=on,wait=off" -S \
	2> "$logs/gdb-session-qemu.log" &
qemu_pid=$!
for _ in $(seq 50); do
	[ -S "$socket" ] && break
	sleep 0.1
done

# .gdbinit as a student runs it, connected to this QEMU.
sed "s|^target remote .*|target remote $socket|" .gdbinit > "$dir/gdbinit"
timeout -k 5 "$timeout_s" gdb -nx -batch -x "$dir/gdbinit" \
	-x tests/gdb-session.gdb > "$log" 2>&1 < /dev/null
gdb_status=$?
kill "$qemu_pid" 2> /dev/null
wait "$qemu_pid" 2> /dev/null
qemu_pid=

. tests/tap.sh
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
	report $? "gdb session: $2" "no line after '== $1' matches /$3/"
}

grep -qE '^Breakpoint 1, kmain \(multiboot_magic=' "$log"
report $? "gdb session: .gdbinit's breakpoint stops at kmain" \
	"no 'Breakpoint 1, kmain' line"
expect "memos-pt 0xc0100000" "the kernel's page directory holds PDE 768" \
	'^0xc0100000: page directory 0x[0-9a-f]{8}, PDE 768 = 0x[0-9a-f]{8} \(PTE_PRESENT'
expect "memos-pt 0xc0100000" \
	"memos-pt translates the kernel's first page to 1 MiB" \
	'^0xc0100000 -> 0x00100000 \(PTE_PRESENT'
expect "memos-heap" "memos-heap lists a used block of the kernel heap" \
	'^  0xc[0-9a-f]{7} +[0-9]+  used$'
expect "memos-heap" "memos-heap totals the heap" \
	'^heap 0xc[0-9a-f]{7}-0xc[0-9a-f]{7}: [1-9][0-9]* used blocks'
expect "memos-heap" "memos-heap finds the heap's tags consistent" \
	'^heap walk: ok'
expect "memos-ps at run_init" "memos-ps shows the kernel task, current" \
	'^\* +0  kernel +PROC_RUNNABLE +-  0x[0-9a-f]{8} \(kernel task\)$'
expect "memos-ps at run_init" "memos-ps shows the idle task" \
	'^  +1  idle +PROC_RUNNABLE'
expect "memos-user hello" "memos-user sets a breakpoint on hello's main" \
	'^Breakpoint [0-9]+ at 0x0804[0-9a-f]{4} \(user/bin/hello.c:[0-9]+, main.s first line\), stops only when the current process is hello\.$'
expect "memos-user hello" "continue stops in hello's main with its arguments" \
	'^Breakpoint [0-9]+, main \(argc=1, argv=0x[0-9a-f]+\) at user/bin/hello.c:[0-9]+$'
expect "in hello's main" "print argv[0] shows hello's name" \
	'^\$[0-9]+ = 0x[0-9a-f]+ "hello"$'
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
report $? "gdb session: memos-pt agrees with QEMU's info mem" \
	"ranges of info mem memos-pt does not start:${missing:- none listed}"
! grep -qE 'Python Exception|Error occurred in Python|Error in sourced command' \
	"$log"
report $? "gdb session: no helper raised an error" \
	"$(grep -m1 -E 'Python|Error' "$log")"
grep -qx '== end of the session' "$log"
report $? "gdb session: gdb ran the whole script" "gdb exited with $gdb_status (124: timed out)"
if [ "$status" -ne 0 ]; then
	echo "# ---- the session ($log) ----"
	sed 's/^/#   /' "$log"
fi
echo "1..$n"
exit "$status"
