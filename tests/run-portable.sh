#!/bin/bash
# "Any small standard C program compiles unchanged": every program in
# user/portable/ is built twice, for the host with the system's gcc and C
# library (build/host/portable/NAME) and for memos into the initrd. This
# runs each on both, memos through the shell (build/os-shell.iso), and
# compares what they printed. One TAP line per program. The host build
# runs in user/files/, so that a program opens the data files there by
# the names memos gives them in its initrd ("hello.txt").
#
# usage: tests/run-portable.sh [ISO]
set -u
iso=${1:-build/os-shell.iso}
log=build/test-logs/portable-session.log
dir=build/test-logs/portable
mkdir -p "$dir"

programs=()
for src in user/portable/*.c; do
	programs+=("$(basename "$src" .c)")
done
tests/shell-qemu.sh "$iso" "$log" 60 "${programs[@]}" exit
status=$?

n=0
failed=0
for p in "${programs[@]}"; do
	n=$((n + 1))
	(cd user/files && "../../build/host/portable/$p") > "$dir/$p.host" 2>&1
	host_status=$?
	# What memos printed: the lines after the command, up to the prompt.
	tr -d '\r' < "$log" | awk -v line="memos\$ $p" '
		found && index($0, "memos$ ") == 1 { exit }
		found { print }
		$0 == line { found = 1 }' > "$dir/$p.memos"
	if [ "$host_status" -ne 0 ]; then
		echo "not ok $n - portable: $p # exited with $host_status on the host"
		sed 's/^/#   /' "$dir/$p.host"
		failed=1
	elif [ ! -s "$dir/$p.host" ]; then
		echo "not ok $n - portable: $p # printed nothing on the host"
		failed=1
	elif cmp -s "$dir/$p.host" "$dir/$p.memos"; then
		echo "ok $n - portable: $p prints the same on the host and on memos ($(wc -l < "$dir/$p.host") lines)"
	else
		echo "not ok $n - portable: $p # the outputs differ (< host, > memos)"
		diff "$dir/$p.host" "$dir/$p.memos" | sed 's/^/#   /'
		failed=1
	fi
done
n=$((n + 1))
if [ "$status" = 33 ]; then
	echo "ok $n - portable: the memos session ended cleanly"
else
	echo "not ok $n - portable: QEMU exited with $status (124: timed out)"
	tr -d '\r' < "$log" | sed 's/^/#   /'
	failed=1
fi
echo "1..$n"
exit "$failed"
