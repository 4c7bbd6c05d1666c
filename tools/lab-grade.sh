#!/bin/bash
# Grades lab N: builds what labs/N/grade.txt needs, runs those tests once
# each, and prints every graded test with its points, then "score: X/Y".
# Exit status 0 only at full marks, which a kernel that panicked anywhere
# in the run (in any test, graded or not) never gets.
#
# usage: tools/lab-grade.sh N        (make grade LAB=N)
#
# labs/N/grade.txt has one line per graded test, "POINTS SUITE NAME":
#   SUITE kernel     the in-kernel and user tests, booted in QEMU from
#                    build/os-test.iso (the TAP lines "ok N - NAME")
#   SUITE host:PROG  the cmocka program build/host/PROG (NAME = function)
#   NAME may hold * (any characters): then every test it matches must pass.
# A line "# boot: WORD..." boots build/os-test+WORD+....iso instead: the
# test kernel with those words on its command line, such as
# only=NAME,NAME (those user tests alone: a lab whose tests are a few of
# many, graded in a short boot); its results are kept apart from the
# plain boot's (GRADE_REUSE).
# Environment: GRADE_DIR (where the outputs go; default build/grade/labN),
# GRADE_BUILD_ONLY=1 (build, run nothing), GRADE_TIMEOUT (seconds for the
# QEMU run; default 120), GRADE_CPU_LIMIT (seconds of CPU time for it; a
# full run takes about 20; default none), MAKE, and
# GRADE_REUSE=1: take a suite's results from GRADE_DIR when a run before
# left them there (several labs graded on one QEMU boot).
# For programs (tools/grade-results.py): GRADE_DIR/results.tsv, one line
# per graded test, "PASS|FAIL <TAB> got <TAB> points <TAB> suite <TAB> name
# <TAB> why", and GRADE_DIR/notes.tsv, "build|SUITE <TAB> what stopped it"
# and "penalty <TAB> N: why" when a panic took N points from the whole
# (line breaks in a field written as a backslash and n).
set -u
lab=${1:-}
cd "$(dirname "$0")/.." || exit 1
if [ -z "$lab" ] || [ ! -f "labs/$lab/grade.txt" ]; then
	echo "usage: make grade LAB=N, with N one of:" \
		$(ls labs/*/grade.txt 2>/dev/null | cut -d/ -f2 | sort -n)
	exit 2
fi
spec=labs/$lab/grade.txt
out=${GRADE_DIR:-build/grade/lab$lab}
timeout_s=${GRADE_TIMEOUT:-120}
mkdir -p "$out"
[ "${GRADE_REUSE:-}" = 1 ] || rm -f "$out"/*.results "$out"/*.note

# The graded lines, without comments and blank lines.
lines=$(grep -vE '^[[:space:]]*(#|$)' "$spec")

# The kernel suite's image, and the name its outputs go under. With
# only=, every graded user test is selected, whether the list names it
# or not (hidden tests added to grade.txt: tools/lab-grade-pristine.sh).
boot=$(sed -nE 's/^#[[:space:]]*boot:[[:space:]]*//p' "$spec" | head -n 1)
if [[ " $boot" == *" only="* ]]; then
	for t in $(awk '$2 == "kernel" && $3 == "user:" { print $4 }' \
		<<< "$lines" | sort -u); do
		[[ ",${boot#*only=}," == *",$t,"* ]] ||
			boot=${boot/only=/only=$t,}
	done
fi
kernel_iso=build/os-test.iso kernel_key=kernel
if [ -n "$boot" ]; then
	kernel_iso=${boot// /+}
	kernel_iso="build/os-test+${kernel_iso//=/\~}.iso"
	kernel_key="kernel+${boot//[^A-Za-z0-9_=]/_}"
fi
# Where a suite's results go.
resfile() {
	if [ "$1" = kernel ]; then
		echo "$out/$kernel_key.results"
	else
		echo "$out/${1//[:\/]/_}.results"
	fi
}

suites=$(awk '{ print $2 }' <<< "$lines" | sort -u)

# ---- Build ----------------------------------------------------------------
targets=()
for s in $suites; do
	case $s in
	kernel) targets+=("$kernel_iso") ;;
	host:*) targets+=("build/host/${s#host:}") ;;
	*) echo "$spec: unknown suite '$s'"; exit 2 ;;
	esac
done
echo "lab $lab: building ${targets[*]}"
built=yes
if ! ${MAKE:-make} --no-print-directory "${targets[@]}" > "$out/build.log" 2>&1; then
	built=no
	echo "The build failed; every test below counts as failed. The end of"
	echo "$out/build.log:"
	grep -E 'error|Error' "$out/build.log" | head -n 20 | sed 's/^/  | /'
fi

# GRADE_BUILD_ONLY=1: only build (tools/grade-class builds the reference's
# outputs once, for every submission's copy to start from).
if [ "${GRADE_BUILD_ONLY:-}" = 1 ]; then
	[ "$built" = yes ]
	exit
fi

# ---- Run each suite once --------------------------------------------------
# A suite's results: one line per test, "ok|not ok <TAB> name <TAB> why".
# TAP in, results out. Why a test failed: the text after " # " on its
# line (the kernel's tests), or, with `tap_results comments`, the "# "
# lines after it and an "ERROR: " line just before it (cmocka's; the
# kernel's "# " lines are other output, such as its summary after the last
# test). For a user test program (the kernel's "user: NAME"), also what it
# printed: its last "file:line: ..." line, and the kernel's "memos: killed"
# line when that explains the end.
tap_results() {
	awk -v comments="${1:-}" '
	function flush() {
		# cmocka: "# MESSAGE" then "# FILE:LINE: error: Failure!"
		if (lines == 2 && sub(/: error: Failure!$/, "", second))
			why = second ": " first
		if (name != "")
			print status "\t" name "\t" why
		name = ""
		lines = 0
	}
	/^(ok|not ok) [0-9]+ - / {
		flush()
		status = ($1 == "ok") ? "ok" : "not ok"
		line = $0
		sub(/^(ok|not ok) [0-9]+ - /, "", line)
		why = ""
		if ((i = index(line, " # ")) > 0) {
			why = substr(line, i + 3)
			line = substr(line, 1, i - 1)
		}
		name = line
		# A skipped test proved nothing (a user test that the boot
		# with only= did not select, say): it scores no points.
		if (status == "ok" && why ~ /^SKIP/) {
			status = "not ok"
			why = "did not run: " why
		}
		if (comments == "" && status != "ok" && name ~ /^user: /)
			why = why user_why()
		said = killed = ""
		killed_last = 0
		lines = 0
		# cmocka: fail_msg() prints "ERROR: MESSAGE" before the line.
		if (comments != "" && status != "ok" && pending != "") {
			first = why = pending
			lines = 1
		}
		pending = ""
		next
	}
	# A user test program: the last "file:line: ..." line it printed
	# (check.h: what failed) and the kernel line "memos: killed ...",
	# if one came after it or the failure line speaks of a kill.
	comments == "" && /^[^ :]+:[0-9]+: / {
		said = $0
		killed_last = 0
		next
	}
	comments == "" && /^memos: killed / {
		killed = $0
		killed_last = 1
		next
	}
	/^ERROR: / && comments != "" {
		pending = substr($0, 8)
		next
	}
	/^# / && comments != "" && name != "" && status != "ok" && lines < 2 {
		if (lines++ == 0)
			first = substr($0, 3)
		else
			second = substr($0, 3)
		why = why (why == "" ? "" : "; ") substr($0, 3)
		next
	}
	{ flush() }
	END { flush() }
	# The lines join with a backslash and n (a why is one field; the score
	# shows each part on its own line).
	function user_why(   w) {
		w = said
		if (killed != "" && (killed_last || said == "" || said ~ /killed/))
			w = w (w == "" ? "" : "\\n") killed
		return w == "" ? "" : "\\n" w
	}'
}

# "FUNCTION (FILE:LINE)" for each kernel address, from the kernel
# build/os-test.iso boots (build/kernel-test.elf: the one with the tests).
symbolize() {
	[ $# -gt 0 ] && [ -f build/kernel-test.elf ] || return
	# The file as the tree names it: the build may have been elsewhere.
	addr2line -f -e build/kernel-test.elf "$@" 2> /dev/null | paste -d ' ' - - |
		awk '{
			file = $2
			sub(/^.*\/\//, "", file)
			if (match(file, /\/(boot|drivers|kernel|lib|mm|tests|user)\//))
				file = substr(file, RSTART + 1)
			print $1 " (" file ")"
		}'
}

# Why the kernel stopped, from its serial log: the last panic or kernel-
# mode CPU exception before "Bail out", whole, with the functions it was
# in (a return address points after its call: looked up minus one).
stop_report() {
	local log=$1 report eip frames
	report=$(tr -d '\r' < "$log" | awk '
		/^Bail out/ { exit }
		/^PANIC at |^\*\*\* CPU exception .* in kernel mode/ {
			n = 0; block = ""; inblock = 1
		}
		inblock && n < 40 { block = block $0 "\n"; n++ }
		END { printf "%s", block }')
	if [ -z "$report" ]; then
		tr -d '\r' < "$log" | grep -m 1 -E '^Bail out|^\*\*\* ' |
			sed 's/^/  /'
		return
	fi
	# The message (a panic's one line; an exception's first line,
	# its cause and faulting address), then where it happened.
	grep -E '^(PANIC at |\*\*\* CPU exception|  cause: |  address \(CR2\))' \
		<<< "$report" | sed 's/^ */  /'
	eip=$(sed -nE 's/^  eip: (0x)?([0-9a-fA-F]+).*/\2/p' <<< "$report" |
		head -n 1)
	[ -n "$eip" ] && echo "  at $(symbolize "0x$eip")"
	frames=$(sed -n '/^  backtrace:/,$p' <<< "$report" |
		sed -nE 's/^    (0x)?([0-9a-fA-F]{8}).*/\2/p' | head -n 6 |
		while read -r a; do printf '0x%x\n' $((0x$a - 1)); done)
	if [ -n "$frames" ]; then
		echo "  called from:"
		# shellcheck disable=SC2086 # one address a word
		symbolize $frames | sed 's/^/    /'
	fi
}

# " in test N, the one after \"NAME\"" (N: the first number without a
# result line), or nothing when no test had run.
running_test() {
	[ -s "$1" ] || return
	echo " in test $(($(wc -l < "$1") + 1)), the one after" \
		"\"$(tail -n 1 "$1" | cut -f2)\""
}

run_suite() {
	local s=$1 res
	res=$(resfile "$1")
	[ "${GRADE_REUSE:-}" = 1 ] && [ -f "$res" ] && return
	: > "$res"
	[ "$built" = yes ] || return
	local note=""
	case $s in
	kernel)
		local log="$out/$kernel_key-serial.log"
		echo "lab $lab: booting $kernel_iso in QEMU (log: $log)"
		# A CPU-time limit finds a kernel spinning forever however busy
		# the machine is (QEMU gets SIGXCPU, 128 + 24).
		(
			[ -z "${GRADE_CPU_LIMIT:-}" ] || ulimit -S -t "$GRADE_CPU_LIMIT"
			exec tests/boot-qemu.sh "$kernel_iso" "$log" "$timeout_s"
		)
		local status=$?
		tr -d '\r' < "$log" | tap_results > "$res"
		if [ "$status" = 124 ]; then
			note="the kernel hung (no result after ${timeout_s}s)"
		elif [ "$status" = 152 ] && [ -n "${GRADE_CPU_LIMIT:-}" ]; then
			note="the kernel hung (no result after ${GRADE_CPU_LIMIT}s of CPU time)"
		elif [ "$status" != 33 ] && [ "$status" != 35 ] ||
			grep -q '^Bail out' "$log"; then
			note="the kernel stopped early$(running_test "$res"):
$(stop_report "$log")"
		fi
		;;
	host:*)
		local prog="build/host/${s#host:}"
		echo "lab $lab: running $prog"
		CMOCKA_MESSAGE_OUTPUT=TAP timeout 60 "$prog" \
			> "$out/${s#host:}.log" 2>&1
		local status=$?
		tap_results comments < "$out/${s#host:}.log" > "$res"
		local planned ran
		planned=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' "$out/${s#host:}.log" |
			head -n 1)
		ran=$(wc -l < "$res")
		if [ "$status" = 124 ]; then
			note="$prog hung (no result after 60s)"
		elif [ -z "$planned" ] || [ "$ran" -lt "$planned" ]; then
			note="$prog stopped after $ran of ${planned:-its} tests: $(grep \
				-m 1 -E 'ERROR: |runtime error|Segmentation|Abort' \
				"$out/${s#host:}.log" | cut -c1-100) (all of it in $out/${s#host:}.log)"
		fi
		;;
	esac
	echo "$note" > "${res%.results}.note"
}
for s in $suites; do
	run_suite "$s"
done

# ---- Score -----------------------------------------------------------------
# A field of results.tsv or notes.tsv: one line, tabs as spaces.
field() { printf '%s' "$1" | tr '\t' ' ' | awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }'; }
: > "$out/results.tsv"
: > "$out/notes.tsv"
if [ "$built" = no ]; then
	printf 'build\t%s\n' "$(field "the build failed: $(grep -m 3 -E \
		'error|Error' "$out/build.log")")" >> "$out/notes.tsv"
fi
echo
echo "$(sed -n '1s/^# *//p' "$spec")"
score=0 total=0
while read -r points suite name; do
	[ -n "$points" ] || continue
	total=$((total + points))
	matched=0 bad=0 why=""
	res=$(resfile "$suite")
	note=$(cat "${res%.results}.note" 2> /dev/null)
	while IFS=$'\t' read -r status tname treason; do
		# shellcheck disable=SC2053 # NAME is a glob pattern on purpose
		[[ "$tname" == $name ]] || continue
		matched=$((matched + 1))
		if [ "$status" != ok ] && [ -z "$why" ]; then
			why=${treason:-failed}
			[ "$tname" = "$name" ] || why="$tname: $why"
		fi
		[ "$status" = ok ] || bad=$((bad + 1))
	done < "$res"
	if [ "$matched" -gt 0 ] && [ "$bad" -eq 0 ]; then
		verdict=PASS got=$points
	else
		verdict=FAIL got=0
		if [ "$matched" -eq 0 ]; then
			why="did not run"
			[ "$built" = yes ] || why="did not build"
			[ -n "$note" ] && why="did not run (see below)"
		fi
	fi
	score=$((score + got))
	tsv_why=$why
	[ "$why" = "did not run (see below)" ] &&
		tsv_why="did not run: $(field "$note")"
	[ "$verdict" = PASS ] && tsv_why=""
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$verdict" "$got" "$points" \
		"$suite" "$name" "$(field "$tsv_why")" >> "$out/results.tsv"
	printf '  %s %3d/%-3d %-16s %s\n' "$verdict" "$got" "$points" \
		"$suite" "$name"
	[ -n "$why" ] && [ "$verdict" = FAIL ] &&
		printf '%27s%s\n' '' "${why//\\n/$'\n'}" |
		sed '2,$s/^/                           /'
done <<< "$lines"
# A kernel that panicked (or took a CPU exception in kernel mode) where no
# test expected it never gets full marks, whichever test it was in (one
# this lab does not grade too): half the score goes, on a line of its own.
panic=""
if grep -qx kernel <<< "$suites" && [ -f "$out/$kernel_key-serial.log" ]; then
	panic=$(tr -d '\r' < "$out/$kernel_key-serial.log" | grep -m 1 -E \
		'^PANIC at |^\*\*\* CPU exception .* in kernel mode')
fi
if [ -n "$panic" ]; then
	lost=$((score - score / 2))
	score=$((score / 2))
	printf '  %s %7s %-16s %s\n' FAIL "-$lost" kernel \
		"the kernel never panics, in any test"
	printf '%27s%s\n' '' "the kernel panicked$(running_test \
		"$(resfile kernel)"): half the score is taken (the panic below)"
	printf '%27s%s\n' '' "${panic:0:100}"
	printf 'penalty\t%d: %s\n' "$lost" \
		"$(field "the kernel panicked: $panic")" >> "$out/notes.tsv"
fi
for s in $suites; do
	note=$(cat "$(resfile "$s" | sed 's/\.results$/.note/')" 2> /dev/null)
	[ -z "$note" ] || echo "Tests that did not run ($s): $note"
	[ -z "$note" ] || printf '%s\t%s\n' "$s" "$(field "$note")" \
		>> "$out/notes.tsv"
done
echo "(outputs in $out/)"
echo "score: $score/$total"
[ "$score" -eq "$total" ]
