#!/bin/bash
# TAP lines: tools/doc-quotes itself, on a made-up document and logs in a
# temporary folder: --refresh copies the selected lines in (gdb's command
# trace as "(gdb) ..."), --check lets addresses drift but not source line
# numbers, words or lines, and says what to run; compare=exact, a missing
# log and an unmarked block of output fail.
set -u
cd "$(dirname "$0")/.." || exit 1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export DOC_QUOTES_LOGS=$dir/logs
mkdir -p "$DOC_QUOTES_LOGS"
doc=$dir/doc.md
. tests/tap.sh

# check_fails FILE REGEX: the check of FILE fails, saying REGEX.
check_fails() {
	! tools/doc-quotes --check "$1" > "$dir/out" 2>&1 &&
		grep -q -- "$2" "$dir/out"
}

gdb_log() { # gdb_log LINE ADDRESS: a gdb session's log
	cat > "$DOC_QUOTES_LOGS/gdb-session.log" <<EOF
Breakpoint 1 at $2: file kernel/main.c, line $1.
+echo == first\n
== first
+break on_tick
Breakpoint 2 at $2: file drivers/pit.c, line 23.
++set \$sp = 0xc0123ea8
+continue

Breakpoint 2, kmain (frame=$2) at kernel/main.c:$1
$1	{
+echo == next\n
== next
EOF
}
gdb_log 72 0xc0100bd0
printf 'memos: a kernel\r\n\033[?7hmemos$ mem\r\nframes: 31310 free\r\nmemos$ exit\r\n' \
	> "$DOC_QUOTES_LOGS/shell-session.log"
cat > "$doc" <<'EOF'
Some prose.

<!-- quote gdb-session.log section="first" -->
```
```

<!-- quote shell-session.log command="mem" compare=exact -->
```
```
EOF

check_fails "$doc" "the quote ends"
report $? "doc-quotes: an empty quote fails the check" "$(cat "$dir/out")"

tools/doc-quotes --refresh "$doc" > "$dir/out" 2>&1
expected='(gdb) break on_tick
Breakpoint 2 at 0xc0100bd0: file drivers/pit.c, line 23.
(gdb) continue

Breakpoint 2, kmain (frame=0xc0100bd0) at kernel/main.c:72
72	{'
block=$(awk '/section="first"/ { f = 1; next } f && /^```/ { if (in_) exit; in_ = 1; next } f && in_' "$doc")
[ "$block" = "$expected" ]
report $? "doc-quotes: --refresh copies the section, commands as (gdb) lines" \
	"got: $block"
grep -qx 'frames: 31310 free' "$doc" && grep -qx 'memos\$ mem' "$doc"
report $? "doc-quotes: --refresh copies a shell command's output, no CR or escapes" \
	"$(cat "$doc")"
tools/doc-quotes --check "$doc" > "$dir/out" 2>&1
report $? "doc-quotes: the refreshed document passes the check" "$(cat "$dir/out")"

gdb_log 72 0xc0100bf4
tools/doc-quotes --check "$doc" > "$dir/out" 2>&1
report $? "doc-quotes: another build's addresses pass (compared by shape)" \
	"$(cat "$dir/out")"

gdb_log 76 0xc0100bf4
check_fails "$doc" "doc.md:9 quotes 'Breakpoint 2, kmain (frame=0xc0100bd0) at kernel/main.c:72', .*gdb-session.log:9 has '.*main.c:76'; run tools/doc-quotes --refresh"
report $? "doc-quotes: a source line number that moved fails, naming both and the fix" \
	"$(cat "$dir/out")"

gdb_log 72 0xc0100bd0
sed -i 's/^+continue$/+continue\nan extra line/' "$DOC_QUOTES_LOGS/gdb-session.log"
check_fails "$doc" "has 'an extra line'"
report $? "doc-quotes: a line the log gained fails" "$(cat "$dir/out")"

gdb_log 72 0xc0100bd0
sed -i 's/31310/31311/' "$DOC_QUOTES_LOGS/shell-session.log"
check_fails "$doc" "quotes 'frames: 31310 free'"
report $? "doc-quotes: compare=exact fails on a changed number" "$(cat "$dir/out")"

rm "$DOC_QUOTES_LOGS/shell-session.log"
check_fails "$doc" "shell-session.log does not exist"
report $? "doc-quotes: a missing log fails" "$(cat "$dir/out")"

printf '```\nmemos$ ls\nhello\n```\n' > "$dir/unmarked.md"
check_fails "$dir/unmarked.md" "unmarked.md:1: a block of program output with no quote marker"
report $? "doc-quotes: a block of output with no marker fails" "$(cat "$dir/out")"

echo "1..$n"
exit "$status"
