#!/bin/bash
# A scripted session with the shell: boots build/os-shell.iso (kernel
# command line init=sh) in QEMU, types commands on the serial console and
# checks what the console showed. Prints TAP lines; the whole session is
# in build/test-logs/shell-session.log, which the documents quote (README,
# docs/virtual-memory.md, docs/slab.md: tools/doc-quotes compares them).
#
# Then a short second session on DEBUG_ISO (init=sh slab=debug): slabinfo
# with the red zones docs/slab.md shows, in shell-session-slab-debug.log.
#
# usage: tests/run-shell-session.sh [ISO [DEBUG_ISO]]
set -u
iso=${1:-build/os-shell.iso}
debug_iso=${2:-$(dirname "$iso")/os-shell-slab-debug.iso}
log=build/test-logs/shell-session.log

commands=(
	"help"
	"ls"
	"heapdemo 5"
	"exitwith 3"
	"faulter null-read"
	"heapmisuse double-free"
	"no-such-program"
	"   "
	"args one  two"
	"mem"
	"vmmap"
	"slabinfo"
	"forkdemo"
	"sbrkdemo"
	"bigbss"
	"debugme"
	"spinner"
	"^C"
	"hang"
	"key:ctrl-c"
	"exit"
)
tests/shell-qemu.sh "$iso" "$log" 60 "${commands[@]}"
status=$?

n=0
failed=0
ok() {
	n=$((n + 1))
	echo "ok $n - shell: $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - shell: $1 # $2"
	failed=1
}

# What the console showed after typing COMMAND, up to the next prompt.
output_of() {
	tr -d '\r' < "$log" | awk -v line="memos\$ $1" '
		found && index($0, "memos$ ") == 1 { exit }
		found { print }
		$0 == line { found = 1 }'
}

# expect DESCRIPTION COMMAND EXTENDED_REGEX: a line of COMMAND's output
# matches (COMMAND "" means anywhere in the log).
expect() {
	local text
	if [ -n "$2" ]; then
		text=$(output_of "$2")
	else
		text=$(tr -d '\r' < "$log")
	fi
	if grep -qE -- "$3" <<< "$text"; then
		ok "$1"
	else
		not_ok "$1" "no line matches /$3/"
	fi
}

expect "the console turns line wrapping back on before the banner" "" \
	$'^\033\\[\\?7hmemos: a teaching kernel'
expect "greets with what to do next" "" \
	'^What next: type `help` for the commands'
expect "help lists the commands" "help" '^  exit \[N\] '
expect "ls lists the demo programs" "ls" '(^| )heapdemo( |$)'
expect "debugme runs past its BOCHS_BREAK() in QEMU (a no-op there)" \
	"debugme" '^debugme: the sum of the squares of 1 to 10 is 385$'
expect "debugme then dies of its null pointer, as docs/bochs.md says" \
	"debugme" '^memos: killed debugme \(pid [0-9]+\): page fault \(write of an unmapped page\) at address 0x00000000, eip 0x0804[0-9a-f]{4} \[SIGSEGV\]$'
expect "ls lists the shell itself" "ls" '(^| )sh( |$)'
expect "heapdemo 5 shows a block list" "heapdemo 5" \
	'^  0x[0-9a-f]{8} +[0-9]+  used  0x[0-9a-f]{8} +[0-9]+$'
expect "heapdemo 5 splits and merges" "heapdemo 5" \
	'^heap: [0-9]+ bytes from sbrk .*: 0 used blocks \(0 bytes\), 1 free'
checks=$(output_of "heapdemo 5" | grep -c '^heap check: ok$')
if [ "$checks" -eq 5 ]; then
	ok "heapdemo 5 passes the heap check after each of its 5 steps"
else
	not_ok "heapdemo 5 passes the heap check after each of its 5 steps" \
		"$checks times"
fi
expect "a non-zero exit status is shown" "exitwith 3" \
	'^sh: exitwith exited with status 3$'
expect "the kernel reports a fault" "faulter null-read" \
	'^memos: killed faulter \(pid [0-9]+\): page fault'
expect "the shell names the signal" "faulter null-read" \
	'^sh: faulter was killed by signal 11 \(SIGSEGV'
expect "malloc reports a double free in one line" "heapmisuse double-free" \
	'^malloc: double free: 0x[0-9a-f]{8} given to free \(block already free\)$'
expect "a misuse ends the program with SIGABRT" "heapmisuse double-free" \
	'^sh: heapmisuse was killed by signal 6 \(SIGABRT'
expect "an unknown program is reported" "no-such-program" \
	'^sh: no-such-program: no such program'
expect "arguments reach the program, split at spaces" "args one  two" \
	'^argv\[2\] = "two"$'
expect "mem shows the page-fault counters" "mem" \
	'^page faults served: [1-9][0-9]* \(pages zero-filled: [0-9]+, read from programs: [1-9][0-9]*\)'
expect "mem shows the swap counters (the session has a swap disk)" "mem" \
	'^swap: [0-9]+ of [1-9][0-9]* slots used; pages written [0-9]+, read [0-9]+; evictions [0-9]+ \([0-9]+ with no write\); swap cache hits [0-9]+$'
expect "vmmap shows the program's text, paged in on demand" "vmmap" \
	'^08048000-[0-9a-f]{8} r-x +text +[0-9]+ +[1-9][0-9]*$'
expect "vmmap shows the stack region" "vmmap" \
	'^bfeff000-bffff000 rw- +stack +256 +[1-9][0-9]*$'
expect "slabinfo lists the process cache, the shell's process in use" \
	"slabinfo" '^process +[0-9]+ +[0-9]+ +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* '
expect "slabinfo lists the region cache, the shell's regions in use" \
	"slabinfo" '^region +[0-9]+ +[0-9]+ +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* '
expect "forkdemo's child shares the parent's frames, copy-on-write" \
	"forkdemo" '^  page 3: frame 0x[0-9a-f]{8}, mapped 2 times, read-only, copy-on-write, holds .p.$'
expect "forkdemo's child writes and gets a frame of its own" "forkdemo" \
	"^  page 0: frame 0x[0-9a-f]{8}, mapped 1 time, writable, holds 'c'$"
expect "sbrkdemo: growing the heap maps nothing, touching gives frames" \
	"sbrkdemo" '^  the new bytes read as zero: yes; heap pages: [1-9][0-9]*, with a frame: [1-9]'
expect "bigbss runs with a bss bigger than the machine" "bigbss" \
	'^bigbss: touched its first and last page: the first has a frame, the middle has none, the last has a frame$'
expect "Ctrl-C on the serial line is echoed as ^C" "spinner" '^\^C$'
expect "Ctrl-C on the serial line ends spinner; the shell says how" \
	"spinner" '^sh: spinner was killed by signal 2 \(SIGINT: interrupted by Ctrl-C\)$'
expect "Ctrl+C on the keyboard ends hang; the shell says how" "hang" \
	'^sh: hang was killed by signal 2 \(SIGINT: interrupted by Ctrl-C\)$'
expect "Ctrl+C on the keyboard is echoed as ^C too" "hang" '^\^C$'
expect "exit ends the shell, and the kernel says so" "" \
	'^init: sh exited with status 0$'
if [ "$status" = 33 ]; then
	ok "QEMU powered off with the success status (33)"
else
	not_ok "QEMU powered off with the success status (33)" \
		"QEMU exited with $status (124: timed out)"
fi
if [ "$failed" -ne 0 ]; then
	echo "# ---- the session ($log) ----"
	tr -d '\r' < "$log" | sed 's/^/#   /'
fi

# The second session: every cache a debug cache.
log=build/test-logs/shell-session-slab-debug.log
tests/shell-qemu.sh "$debug_iso" "$log" 60 "slabinfo" "exit"
status=$?
expect "with slab=debug, slabinfo says each object has a red zone" \
	"slabinfo" '^\(slab=debug: each object has a red zone after it\)$'
expect "with slab=debug, a region's stride is its size plus a red zone" \
	"slabinfo" '^region +36 +4[0-9] '
if [ "$status" = 33 ]; then
	ok "the slab=debug session powered off with the success status"
else
	not_ok "the slab=debug session powered off with the success status" \
		"QEMU exited with $status (124: timed out)"
	tr -d '\r' < "$log" | sed 's/^/#   /'
fi
echo "1..$n"
exit "$failed"
