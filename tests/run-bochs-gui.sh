#!/bin/bash
# `make bochs-gui` under a virtual X server (Xvfb), as docs/bochs.md's
# "In windows" section uses it: tools/bochs.sh gui boots the shell's ISO,
# the debugger runs to kmain by a breakpoint, and a screenshot must show
# both windows drawn (the graphical debugger's and the VGA screen's: named
# in the window tree, and not one flat colour where they lie, while the
# bare screen around them is). Then `c` typed into the debugger lets the
# kernel run, a command typed into the VGA window must reach the shell,
# and Ctrl+C typed there must end the program it runs (spinner).
# Screenshots: build/test-logs/bochs-gui-kmain.png, bochs-gui-shell.png.
#
# usage: tests/run-bochs-gui.sh [ISO] [TIMEOUT_SECONDS]
set -u
iso=${1:-build/os-shell.iso}
timeout_s=${2:-240}
logs=build/test-logs
mkdir -p "$logs"
shot_kmain=$logs/bochs-gui-kmain.png
shot_shell=$logs/bochs-gui-shell.png
serial=$logs/bochs-gui-serial.log
debugger_log=$logs/bochs-gui-debugger.log
rm -f "$shot_kmain" "$shot_shell" "$serial" "$debugger_log"
width=1600
height=1000

. tests/tap.sh
missing=
for tool in Xvfb xdotool xwininfo import convert identify; do
	command -v "$tool" > /dev/null || missing="$missing $tool"
done
ls /usr/lib/*/bochs/plugins/libbx_x_gui.so > /dev/null 2>&1 ||
	missing="$missing bochs-x"
if [ -n "$missing" ]; then
	echo "ok 1 - bochs gui # SKIP missing:$missing (tools/install-deps.sh gui-tests installs them)"
	echo "1..1"
	exit 0
fi

dir=$(mktemp -d)
xvfb_pid=
bochs_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$bochs_pid" ] && kill "$bochs_pid" 2> /dev/null
	sleep 0.5
	[ -n "$bochs_pid" ] && kill -9 "$bochs_pid" 2> /dev/null
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2> /dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

# wait_for SECONDS COMMAND...: runs COMMAND every 0.5 s until it succeeds.
wait_for() {
	local tries=$(($1 * 2))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.5
		tries=$((tries - 1))
	done
	return 1
}

# An X server of our own, on the first free display (-displayfd).
Xvfb -displayfd 3 -screen 0 "${width}x${height}x24" -nolisten tcp \
	3> "$dir/display" 2> "$logs/bochs-gui-xvfb.log" &
xvfb_pid=$!
wait_for 10 test -s "$dir/display"
DISPLAY=:$(head -n 1 "$dir/display")
export DISPLAY

printf 'lb "kmain"\nc\n' > "$dir/commands"
# A fresh swap disk of its own (tools/bochs.sh attaches SWAP_IMG).
. tools/swap-disk.sh
swap_disk_new "$dir/swap.img" || exit 1
SWAP_IMG=$dir/swap.img BOCHS_LOG=$logs/bochs-gui.log BOCHS_SERIAL_LOG=$serial \
	BOCHS_DEBUGGER_LOG=$debugger_log \
	timeout -k 5 "$timeout_s" tools/bochs.sh gui "$iso" "$dir/commands" \
	> "$logs/bochs-gui-console.log" 2>&1 &
bochs_pid=$!

window() { xdotool search --name "$1" 2> /dev/null | head -n 1; }
debugger_name='Bochs Enhanced Debugger'
vga_name='Bochs x86-64 emulator'
wait_for 60 grep -q 'Breakpoint 1' "$debugger_log" 2> /dev/null
grep -qF '(kmain+0): ' "$debugger_log" 2> /dev/null
report $? "bochs gui: the debugger stops at kmain by a breakpoint" \
	"$debugger_log: $(tail -n 3 "$debugger_log" 2> /dev/null | tr '\n' ' ')"
debugger=$(window "$debugger_name")
vga=$(window "$vga_name")
# No window manager places them: both open at the top left. The VGA
# window goes to the right of the debugger's (as a student would drag it).
[ -n "$vga" ] && [ -n "$debugger" ] && xdotool windowmove "$vga" 800 0
sleep 2

tree=$(xwininfo -root -tree)
for name in "$debugger_name" "$vga_name"; do
	grep -qF "\"$name" <<< "$tree"
	report $? "bochs gui: a window named '$name' is open" \
		"xwininfo -root -tree lists no such window"
done

import -window root "$shot_kmain"
size=$(identify -format '%wx%h' "$shot_kmain" 2> /dev/null)
[ "$size" = "${width}x${height}" ]
report $? "bochs gui: the screenshot ($shot_kmain) is ${width}x${height}" \
	"identify says '$size'"

# geometry WINDOW_ID: WxH+X+Y of the window on the screen.
geometry() {
	xwininfo -id "$1" | awk '
		/Absolute upper-left X/ { x = $NF }
		/Absolute upper-left Y/ { y = $NF }
		/Width:/ { w = $NF }
		/Height:/ { h = $NF }
		END { printf "%dx%d+%d+%d\n", w, h, x, y }'
}
# spread PNG GEOMETRY: the standard deviation of the pixels in that part
# of the picture, 0 (one flat colour) to 1.
spread() {
	convert "$1" -crop "$2" +repage -colorspace Gray \
		-format '%[fx:standard_deviation]' info: 2> /dev/null
}
# vga_screen GEOMETRY: the VGA window less Bochs' tool bar above (32
# pixels) and status bar below (18): the machine's screen alone.
vga_screen() {
	awk -F'[x+]' '{ printf "%dx%d+%d+%d\n", $1, $2 - 50, $3, $4 + 32 }' <<< "$1"
}
# drawn PNG WINDOW_ID NAME [vga]: a TAP line, the window's area (the VGA
# screen's area in it) is not flat.
drawn() {
	local g s
	g=$(geometry "$2")
	[ "${4:-}" = vga ] && g=$(vga_screen "$g")
	s=$(spread "$1" "$g")
	awk -v s="${s:-0}" 'BEGIN { exit !(s > 0.05) }'
	report $? "bochs gui: the $3 window is drawn (pixel spread ${s:-none} in $g)" \
		"its area of $1 is (nearly) one colour"
}
if [ -n "$debugger" ] && [ -n "$vga" ]; then
	drawn "$shot_kmain" "$debugger" debugger
	drawn "$shot_kmain" "$vga" VGA vga
	# The bare screen below the windows: flat, so the check can tell.
	s=$(spread "$shot_kmain" "${width}x200+0+$((height - 200))")
	awk -v s="${s:-1}" 'BEGIN { exit !(s == 0) }'
	report $? "bochs gui: the screen outside the windows is flat (spread $s)" \
		"the spread check sees pixels where nothing is drawn"
else
	report 1 "bochs gui: both windows found to check their pixels" \
		"debugger '$debugger', VGA '$vga'"
fi

# `c` in the debugger's command line (it has the keyboard focus), then a
# command typed in the VGA window, as a student would.
[ -n "$debugger" ] && xdotool windowfocus --sync "$debugger" &&
	xdotool type --delay 50 'c' && xdotool key Return
wait_for 90 grep -q 'memos\$ ' "$serial" 2> /dev/null
report $? "bochs gui: c in the debugger runs the kernel to the shell's prompt" \
	"$serial: $(tail -n 2 "$serial" 2> /dev/null | tr '\n' ' ')"
[ -n "$vga" ] && xdotool windowfocus --sync "$vga" &&
	xdotool type --delay 80 'hello vga' && xdotool key Return
wait_for 60 grep -q 'argv\[1\] = "vga"' "$serial" 2> /dev/null
report $? "bochs gui: a command typed in the VGA window runs in the shell" \
	"$serial has no 'argv[1] = \"vga\"'"
# Ctrl+C on Bochs' keyboard ends the program running, not the shell.
[ -n "$vga" ] && xdotool windowfocus --sync "$vga" &&
	xdotool type --delay 80 'spinner' && xdotool key Return
for _ in 1 2 3 4 5 6; do
	sleep 3
	[ -n "$vga" ] && xdotool windowfocus --sync "$vga" &&
		xdotool key ctrl+c
	wait_for 5 grep -q 'spinner was killed by signal 2' "$serial" \
		2> /dev/null && break
done
grep -q 'sh: spinner was killed by signal 2 (SIGINT' "$serial" 2> /dev/null
report $? "bochs gui: Ctrl+C on the keyboard ends spinner (SIGINT)" \
	"$serial: $(tail -n 3 "$serial" 2> /dev/null | tr '\n' ' ')"
sleep 1
import -window root "$shot_shell"
[ -n "$vga" ] && drawn "$shot_shell" "$vga" "VGA (the shell's output)" vga

if [ "$status" -ne 0 ]; then
	echo "# ---- console ----"
	sed 's/^/#   /' "$logs/bochs-gui-console.log" | tail -n 20
fi
echo "1..$n"
exit "$status"
