#!/bin/bash
# Runs the debugger session that docs/bochs.md teaches, word for word (the
# first code block under "A five-line session"), in Bochs on the test ISO,
# then continues to the end, and checks what a student would see. If the
# guide, the symbol file or the kernel's paging drift apart, this fails.
#
# usage: tests/run-bochs-session.sh ISO [TIMEOUT_SECONDS]
set -u
iso=$1
timeout_s=${2:-240}
logs=build/test-logs
mkdir -p "$logs"
console_log=$logs/bochs-session-console.log
rm -f "$console_log"

. tools/emulator-clock.sh # BOCHS_IPS, which tools/bochsrc.txt needs
commands=$(mktemp)
trap 'rm -f "$commands"' EXIT
echo "ldsym global \"$(dirname "$iso")/kernel.sym\"" > "$commands"
# The lines of the first ``` block after the session's heading.
sed -n '/^## A five-line session/,$p' docs/bochs.md |
	awk '/^```/ { if (inside) exit; inside = 1; next } inside' >> "$commands"
echo c >> "$commands"

BOCHS_ISO=$iso BOCHS_SERIAL_LOG=$logs/bochs-session-serial.log \
	BOCHS_LOG=$logs/bochs-session.log TERM=dumb \
	timeout -s INT -k 10 "$timeout_s" \
	bochs -q -f tools/bochsrc.txt -rc "$commands" \
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

guide_lines=$(($(wc -l < "$commands") - 2))
[ "$guide_lines" -ge 5 ] && ok=yes || ok=no
report $ok "docs/bochs.md's session has $guide_lines commands (5 or more)"
expect "lb \"kmain\" stops at kmain by name" '\(kmain\+0\): push ebp'
expect "creg shows paging and write protection on" '^CR0=0x[0-9a-f]+: PG .* WP '
expect "page translates the kernel's first page" \
	'linear page 0x0*c0100000 maps to physical page 0x0*100000'
expect "info tab lists the higher half" '^0x0*c0000000-0x0*c0[0-9a-f]+ -> 0x0*0-'
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
