#!/bin/bash
# Runs the debugger sessions that docs/bochs.md teaches, word for word (the
# first code block under each of its headings "A five-line session",
# "Stopping in a user program" and "A user program that crashes", in that
# order), in one Bochs run on an ISO whose init is user/bin/debugme, then
# continues to the end, and checks what a student would see. If the guide,
# the symbol files, debugme or the kernel's paging drift apart, this fails.
#
# usage: tests/run-bochs-session.sh [ISO] [TIMEOUT_SECONDS]
set -u
iso=${1:-build/os-debugme.iso}
timeout_s=${2:-240}
logs=build/test-logs
mkdir -p "$logs"
console_log=$logs/bochs-session-console.log
rm -f "$console_log"
sections=("A five-line session" "Stopping in a user program"
	"A user program that crashes")

. tools/emulator-clock.sh # BOCHS_IPS, which tools/bochsrc.txt needs
. tools/swap-disk.sh      # a fresh swap disk of SWAP_MB MiB (0: none)
swap=$(mktemp -d)
commands=$swap/commands
trap 'rm -rf "$swap"' EXIT
swap_disk_new "$swap/swap.img" || exit 1
bochs_config_for_swap tools/bochsrc.txt "$swap/bochsrc.txt"
echo "ldsym global \"$(dirname "$iso")/kernel.sym\"" > "$commands"
# guide_block HEADING: the lines of the first ``` block after "## HEADING"
# that is not a quote of output (a block after a "<!-- quote" marker line,
# tools/doc-quotes).
guide_block() {
	awk -v head="## $1" '
		$0 == head { found = 1; next }
		!found { next }
		/^<!-- quote / { quote = 1; next }
		/^```/ {
			if (inside && !skip) exit
			if (inside) { inside = 0; next }
			inside = 1; skip = quote; quote = 0; next
		}
		{ quote = 0 }
		inside && !skip' docs/bochs.md
}
guide_lines=()
for section in "${sections[@]}"; do
	guide_block "$section" > "$commands.part"
	guide_lines+=("$(wc -l < "$commands.part")")
	cat "$commands.part" >> "$commands"
done
rm -f "$commands.part"
echo c >> "$commands"

BOCHS_ISO=$iso BOCHS_SERIAL_LOG=$logs/bochs-session-serial.log \
	BOCHS_LOG=$logs/bochs-session.log TERM=dumb \
	timeout -s INT -k 10 "$timeout_s" \
	bochs -q -f "$swap/bochsrc.txt" -rc "$commands" \
	> "$console_log" 2>&1 <<< quit
status=$?

n=0
failed=0
# report yes|no DESCRIPTION [WHY]: one TAP line.
report() {
	n=$((n + 1))
	if [ "$1" = yes ]; then
		echo "ok $n - bochs session: $2"
	else
		echo "not ok $n - bochs session: $2${3:+ # $3}"
		failed=1
	fi
}
# expect DESCRIPTION EXTENDED_REGEX: a line of the console matches.
expect() {
	if grep -qE "$2" "$console_log"; then
		report yes "$1"
	else
		report no "$1" "no line matches /$2/"
	fi
}

i=0
for section in "${sections[@]}"; do
	[ "${guide_lines[$i]}" -ge 4 ] && ok=yes || ok=no
	report $ok "docs/bochs.md's '$section' has ${guide_lines[$i]} commands (4 or more)"
	i=$((i + 1))
done
expect "lb \"kmain\" stops at kmain by name" '\(kmain\+0\): push ebp'
expect "creg shows paging and write protection on" '^CR0=0x[0-9a-f]+: PG .* WP '
expect "page translates the kernel's first page" \
	'linear page 0x0*c0100000 maps to physical page 0x0*100000'
expect "info tab lists the higher half" '^0x0*c0000000-0x0*c0[0-9a-f]+ -> 0x0*0-'
# The user program's part.
expect "BOCHS_BREAK() in debugme stops in ring 3 (cs 0x1b), before its symbols" \
	'^\(0\) \[0x[0-9a-f]+\] 001b:0*0804[0-9a-f]{4} \(no symbol\): '
expect "x reads debugme's global total by name: 385" '<total\+0>:[[:space:]]+385$'
expect "page shows total's page: user, writable" '^ PTE: 0x[0-9a-f]+ .* U W P$'
expect "page shows main's page: user, read-only" '^ PTE: 0x[0-9a-f]+ .* U R P$'
expect "page translates debugme's text page" \
	'^linear page 0x0*08048000 maps to physical page 0x[0-9a-f]+$'
cr3s=$(sed -n 's/^CR3=\(0x[0-9a-f]*\)$/\1/p' "$console_log" | tr '\n' ' ')
read -r kernel_cr3 user_cr3 crash_cr3 <<< "$cr3s"
[ -n "${crash_cr3:-}" ] && [ "$user_cr3" = "$crash_cr3" ] &&
	[ "$user_cr3" != "$kernel_cr3" ] && ok=yes || ok=no
report $ok "CR3: debugme's page directory at both stops, not the kernel's" \
	"the three creg showed CR3 = $cr3s"
# The crash.
expect "lb \"save_result\" stops there, in ring 3" \
	'001b:0*0804[0-9a-f]{4} \(save_result\+0\): '
expect "r shows the pointer about to be written through: edx 0" \
	'^rdx: 00000000_00000000$'
expect "the faulting store steps into the kernel's page-fault entry" \
	'0008:0*c01[0-9a-f]+ \(isr_stub_14\+0\): '
expect "creg shows the fault's address in CR2: 0" \
	'^CR2=page fault laddr=0x0+$'
# The kernel's one line names the instruction: it lies in save_result.
eip=$(tr -d '\r' < "$logs/bochs-session-serial.log" | sed -n 's/^memos: killed debugme (pid [0-9]*): page fault (write of an unmapped page) at address 0x00000000, eip \(0x[0-9a-f]*\) \[SIGSEGV\]$/\1/p')
function=
best=0
while read -r address name; do
	if ((address <= ${eip:-0} && address > best)); then
		best=$((address))
		function=$name
	fi
done < "$(dirname "$iso")/user/debugme.sym"
[ "$function" = save_result ] && ok=yes || ok=no
report $ok "the kernel kills debugme at an eip in save_result (build/user/debugme.sym)" \
	"eip '${eip:-none}' is in '${function:-nothing}'"
# The serial console's first bytes turn line wrapping back on (the
# firmware may have turned it off: drivers/serial.c).
head -c 32 "$logs/bochs-session-serial.log" |
	grep -qF $'\033[?7hmemos: a teaching kernel' && ok=yes || ok=no
report $ok "the serial console turns line wrapping back on before the banner"
grep -q 'Shutdown port: shutdown requested' "$logs/bochs-session.log" &&
	ok=yes || ok=no
report $ok "the kernel ran on to its shutdown" "Bochs exited with $status"
if [ "$failed" -ne 0 ]; then
	sed 's/^/#   /' "$console_log" | tail -n 60
fi
echo "1..$n"
exit "$failed"
