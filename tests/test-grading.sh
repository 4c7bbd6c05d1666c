#!/bin/bash
# A test suite (TAP) for the instructor's grading (docs/labs/instructors.md):
#  - every lab's labs/N/student-files lists exactly the files its
#    skeleton.patch touches;
#  - a sample class of lab $LAB (its mutants, one submission that does not
#    build, one that hangs the kernel, one that crashes it), as folders,
#    bundles and patches, graded by tools/grade-class -j 2: the CSV has the
#    grade each one gets alone (make grade in its own tree), the report
#    groups them by the grader's message;
#  - cheating submissions (a test edited to pass, the grader edited to
#    print full marks) get the reference's grade from autograder/
#    run_autograder, the Gradescope entry point, and private tests count;
#  - every results.json and JUnit file is valid (tests/check-results.py).
# Copies of the tree and the class live in build/grading-test/.
set -u
cd "$(dirname "$0")/.." || exit 1
here=$(pwd)
LAB=${LAB:-3}
# Where the sample's hang and crash go in the lab's first student file: at
# the start of these functions' bodies (one called at boot, one by the
# lab's tests).
HANG_FUNC=${HANG_FUNC:-vmm_map}
CRASH_FUNC=${CRASH_FUNC:-vmm_unmap}
work=$here/build/grading-test
rm -rf "$work"
mkdir -p "$work/class"
n=0 failed=0

report() { # report PASSED DESCRIPTION [LOG]
	n=$((n + 1))
	if [ "$1" = yes ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/#   /' "$3" | tail -n 30
	fi
}

# ---- Each lab's student files are the skeleton's ------------------------
for f in labs/*/student-files; do
	lab=$(basename "$(dirname "$f")")
	want=$(git apply --numstat "labs/$lab/skeleton.patch" | cut -f3 | sort)
	have=$(grep -vE '^[[:space:]]*(#|$)' "$f" | sort)
	log=$work/student-files-$lab.log
	diff <(echo "$want") <(echo "$have") > "$log"
	[ -s "$log" ] && pass=no || pass=yes
	report $pass "lab $lab: labs/$lab/student-files lists the files labs/$lab/skeleton.patch touches (< patch, > list)" "$log"
done
for g in labs/*/grade.txt; do
	lab=$(basename "$(dirname "$g")")
	[ -f "labs/$lab/student-files" ] ||
		report no "lab $lab has labs/$lab/student-files"
done

# ---- The sample class ----------------------------------------------------
# The lab's start: the reference (this tree's files) with the skeleton
# applied, committed as make lab-start does. A student's work is a clone of
# it with the skeleton taken back out (the reference solution) and a change.
start=$work/start
mkdir -p "$start"
git ls-files -z -co --exclude-standard |
	tar --null -T - --ignore-failed-read -cf - 2> /dev/null |
	tar -xf - -C "$start"
g() { git -C "$1" -c user.name=test -c user.email=test@localhost "${@:2}"; }
g "$start" init -q
g "$start" add -A
g "$start" commit -q -m reference
(cd "$start" && git apply "labs/$LAB/skeleton.patch") &&
	g "$start" commit -q -a -m "Lab $LAB: starting point"
student_file=$(grep -vE '^[[:space:]]*(#|$)' "labs/$LAB/student-files" |
	head -n 1)

# new_work NAME: a student's tree, $work/src/NAME, with the reference
# solution in it.
new_work() {
	local d=$work/src/$1
	git clone -q "$start" "$d" &&
		(cd "$d" && git apply -R "labs/$LAB/skeleton.patch")
}
# hand_in NAME FORMAT: commits the work and puts it in the class folder as
# a folder (dir), a git bundle or a patch against the lab's start.
hand_in() {
	local d=$work/src/$1
	g "$d" commit -q -a -m "lab $LAB" || return 1
	case $2 in
	dir) git clone -q "$d" "$work/class/$1" ;;
	bundle) g "$d" bundle create -q "$work/class/$1.bundle" HEAD \
		"$(g "$d" branch --show-current)" ;;
	patch) g "$d" diff HEAD~1 HEAD > "$work/class/$1.patch" ;;
	esac
}
# in_function FILE FUNC CODE: CODE as the first line of FUNC's body.
in_function() {
	awk -v f="$2" -v code="$3" '
		!done && $0 ~ "^[a-z].*[ *]" f "\\(" { found = 1 }
		found && !done && /^\{/ { print; print "\t" code; done = 1; next }
		{ print }
		END { exit !done }' "$1" > "$1.new" && mv "$1.new" "$1"
}

formats=(dir bundle patch)
mutants=() i=0
made=yes
for m in labs/"$LAB"/mutants/*.patch; do
	name=$(basename "$m" .patch)
	mutants+=("$name")
	{ new_work "$name" && patch -p1 -s -d "$work/src/$name" < "$m" &&
		hand_in "$name" "${formats[i % 3]}"; } > "$work/make-$name.log" 2>&1 ||
		made=no
	i=$((i + 1))
done
# A second student with the same mistake as the last mutant that loses
# points: the report puts the two under one message.
twin=""
for m in labs/"$LAB"/mutants/*.patch; do
	grep -q '^# says:' "$m" && twin=$(basename "$m" .patch)
done
{
	new_work "$twin-again" &&
		patch -p1 -s -d "$work/src/$twin-again" < "labs/$LAB/mutants/$twin.patch" &&
		hand_in "$twin-again" bundle &&
		new_work does-not-build &&
		echo "this line is not C;" >> "$work/src/does-not-build/$student_file" &&
		hand_in does-not-build patch &&
		new_work hangs &&
		in_function "$work/src/hangs/$student_file" "$HANG_FUNC" \
			"for (;;) { } /* a loop that never ends */" &&
		hand_in hangs dir &&
		new_work crashes &&
		in_function "$work/src/crashes/$student_file" "$CRASH_FUNC" \
			"*(volatile uint32_t *)0 = 1; /* a NULL pointer write */" &&
		hand_in crashes bundle
} > "$work/make-others.log" 2>&1 || made=no
report $made "a sample class of lab $LAB: ${#mutants[@]} mutants, $twin again, and submissions that do not build, hang ($HANG_FUNC), crash ($CRASH_FUNC); as folders, bundles and patches" "$work/make-others.log"

# Each mutant graded alone, by make grade in its own tree. In make test,
# tools/lab-check-graders.sh has just done that for every mutant (its log
# build/lab-check/mutant-LAB-NAME.log): its grade is taken when the log is
# newer than every file of this tree; otherwise graded here.
newest=$(git ls-files -z -co --exclude-standard | xargs -0 stat -c %Y 2> /dev/null |
	sort -n | tail -n 1)
alone() {
	local log=build/lab-check/mutant-$LAB-$1.log
	if [ -f "$log" ] && [ "$(stat -c %Y "$log")" -ge "$newest" ] &&
		grep -q '^score: ' "$log"; then
		cp "$log" "$work/alone-$1.log"
	else
		(cd "$work/src/$1" && GRADE_TIMEOUT=$timeout tools/lab-grade.sh "$LAB") \
			> "$work/alone-$1.log" 2>&1
	fi
	sed -n 's/^score: //p' "$work/alone-$1.log" | tail -n 1 > "$work/alone-$1"
}
# A hung kernel is stopped after a minute of CPU time (a full run takes
# about 20 s of it), however busy the machine; the QEMU run's limit in
# seconds of real time only backs that up.
export GRADE_CPU_LIMIT=${GRADE_CPU_LIMIT:-60}
timeout=${GRADE_TIMEOUT:-600}

# ---- Grade --------------------------------------------------------------
begin=$(date +%s)
GRADE_TIMEOUT=$timeout tools/grade-class -j 2 -t 900 -o "$work/out" "$LAB" \
	"$work/class" > "$work/grade-class.log" 2>&1
status=$?
class_seconds=$(($(date +%s) - begin))
[ "$status" = 0 ] && [ -f "$work/out/grades.csv" ] && pass=yes || pass=no
report $pass "tools/grade-class -j 2 grades the class in $class_seconds s" \
	"$work/grade-class.log"
sed 's/^/# /' "$work/out/report.txt" 2> /dev/null

# The mutants alone, two at a time.
begin=$(date +%s)
for s in "${mutants[@]}"; do
	alone "$s" &
	[ "$(jobs -r | wc -l)" -ge 2 ] && wait -n
done
wait
alone_seconds=$(($(date +%s) - begin))

# ---- Cheating submissions ------------------------------------------------
# One edits the test harness so that every test reports "ok"; one edits
# the grader to print full marks. Each over a mutant that loses points
# without stopping the kernel (then every test runs, and can say ok).
losing=()
for name in "${mutants[@]}"; do
	score=$(cat "$work/alone-$name")
	[ -n "$score" ] && [ "${score%/*}" != "${score#*/}" ] &&
		! grep -q 'did not run' "$work/alone-$name.log" && losing+=("$name")
done
cheat_test=${losing[0]:-none} cheat_grader=${losing[1]:-${losing[0]:-none}}
{
	new_work cheat-test &&
		patch -p1 -s -d "$work/src/cheat-test" < "labs/$LAB/mutants/$cheat_test.patch" &&
		sed -i 's/kprintf("not ok %u - /kprintf("ok %u - /' \
			"$work/src/cheat-test/tests/kernel/ktest.c" &&
		! cmp -s tests/kernel/ktest.c "$work/src/cheat-test/tests/kernel/ktest.c" &&
		g "$work/src/cheat-test" commit -q -a -m cheat &&
		new_work cheat-grader &&
		patch -p1 -s -d "$work/src/cheat-grader" < "labs/$LAB/mutants/$cheat_grader.patch" &&
		sed -i '2i echo "score: 100/100"; exit 0' \
			"$work/src/cheat-grader/tools/lab-grade.sh" &&
		g "$work/src/cheat-grader" commit -q -a -m cheat
} > "$work/make-cheats.log" 2>&1 && pass=yes || pass=no
report $pass "cheating submissions: the kernel's tests all say ok ($cheat_test), the grader prints full marks ($cheat_grader)" "$work/make-cheats.log"

# csv_field NAME COLUMN: the submission's value in the CSV.
csv_field() {
	python3 - "$work/out/grades.csv" "$1" "$2" <<'EOF'
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    if row["submission"] == sys.argv[2]:
        print(row[sys.argv[3]])
EOF
}
# in_group NAME WORDS: the text report has a group of failures naming the
# submission, whose message (or status) holds WORDS.
in_group() {
	python3 - "$work/out/report.txt" "$1" "$2" <<'EOF'
import sys
lines = open(sys.argv[1]).read().split("\n")
for i, line in enumerate(lines):
    if " submission" in line and line.startswith("  ") and i + 2 < len(lines):
        who = lines[i + 2].strip(" ()").split(", ")
        if sys.argv[2] in who and sys.argv[3] in line + lines[i + 1]:
            sys.exit(0)
sys.exit(1)
EOF
}
header() { sed -nE "s/^# $1: *//p" "$2" | head -n 1; }

for name in "${mutants[@]}"; do
	m=labs/$LAB/mutants/$name.patch
	want=$(cat "$work/alone-$name" 2> /dev/null)
	got=$(csv_field "$name" score)/$(csv_field "$name" max_score)
	pass=yes
	[ -n "$want" ] && [ "$got" = "$want" ] || pass=no
	says=$(header says "$m")
	why="scores $got in the class, $want alone"
	if [ -n "$says" ]; then
		in_group "$name" "$says" || pass=no
		why="$why; the report groups it under \"$says\""
	fi
	report $pass "class: mutant $name $why" "$work/alone-$name.log"
done
got=$(csv_field "$twin-again" score)/$(csv_field "$twin-again" max_score)
python3 - "$work/out/report.txt" "$twin" "$(header says "labs/$LAB/mutants/$twin.patch")" <<'EOF2' &&
import sys
lines = open(sys.argv[1]).read().split("\n")
for i, line in enumerate(lines):
    if line.startswith("  2 submissions: ") and sys.argv[3] in lines[i + 1]:
        who = lines[i + 2].strip(" ()").split(", ")
        sys.exit(0 if sorted(who) == [sys.argv[2], sys.argv[2] + "-again"] else 1)
sys.exit(1)
EOF2
	[ "$got" = "$(cat "$work/alone-$twin")" ] && pass=yes || pass=no
report $pass "class: $twin and $twin-again (the same mistake) score $got, under one message: \"2 submissions: ...\"" \
	"$work/out/report.txt"
check_end() { # check_end NAME STATUS WORDS
	local status reason score pass=yes
	status=$(csv_field "$1" status) reason=$(csv_field "$1" reason)
	score=$(csv_field "$1" score)
	[ "$status" = "$2" ] || pass=no
	grep -qE "$3" <<< "$reason" || pass=no
	in_group "$1" "$2" || pass=no
	report $pass "class: $1: status \"$status\", score $score, reason \"${reason:0:90}\", grouped in the report" \
		"$work/out/$1/pristine.log"
}
check_end does-not-build "did not build" "error"
check_end hangs hung "hung"
check_end crashes crashed "exception|PANIC"
[ "$(csv_field does-not-build score)" = 0 ] && pass=yes || pass=no
report $pass "class: a submission that does not build scores 0"
[ "$(grep -c . "$work/out/grades.csv")" = $((${#mutants[@]} + 5)) ] &&
	head -n 1 "$work/out/grades.csv" |
	grep -q '^submission,lab,score,max_score,status,reason,not_used,' &&
	pass=yes || pass=no
report $pass "class: grades.csv has a header and a line per submission" \
	"$work/out/grades.csv"
# docs/labs/instructors.md quotes the sample class's report: each line it
# quotes is in the report this run wrote (test numbers, line numbers of a
# file and addresses aside: they move when the kernel's code does).
log=$work/doc-report.log
python3 - docs/labs/instructors.md "$work/out/report.txt" > "$log" 2>&1 <<'EOF2' && pass=yes || pass=no
import re, sys
def norm(line):
    line = re.sub(r"0x[0-9a-fA-F]+", "0x...", line.strip())
    line = re.sub(r"(\.[chS]|\.asm):\d+", r"\1:N", line)
    return re.sub(r"in test \d+", "in test N", line)
doc = open(sys.argv[1]).read()
start = doc.index("build/grading-test/out/report.txt")
block = doc[doc.index("```\n", start) + 4:]
block = block[:block.index("```")]
quoted = [norm(l) for l in block.splitlines() if l.strip()]
report = set(norm(l) for l in open(sys.argv[2]))
missing = [l for l in quoted if l not in report]
for l in missing:
    print("quoted, not in the report:", l)
sys.exit(1 if missing or len(quoted) < 10 else 0)
EOF2
report $pass "docs/labs/instructors.md quotes the sample class's report as this run wrote it" \
	"$log"

# --one grades one submission into a folder, --report makes the CSV from
# the folders there: the way GNU parallel spreads a class.
log=$work/one.log
{
	GRADE_TIMEOUT=$timeout tools/grade-class --one -o "$work/one" "$LAB" \
		"$work/class/does-not-build.patch" &&
		tools/grade-class --report -o "$work/one" "$LAB"
} > "$log" 2>&1
[ "$(sed -n 2p "$work/one/grades.csv" 2> /dev/null)" = \
	"$(grep '^does-not-build,' "$work/out/grades.csv")" ] && pass=yes || pass=no
report $pass "class: grade-class --one, then --report, gives the class's line" "$log"
grep -q '<h2>Score distribution</h2>' "$work/out/report.html" &&
	grep -q 'the TLB\|submissions\|submission' "$work/out/report.html" &&
	python3 -c 'import html.parser, sys
p = html.parser.HTMLParser(); p.feed(open(sys.argv[1]).read()); p.close()' \
		"$work/out/report.html" && pass=yes || pass=no
report $pass "class: report.html has the distribution and the groups"

# ---- Gradescope's run_autograder: the cheats, and private tests ----------
# autograder/run_autograder with its folders moved here: the submission
# is the student's folder (as Gradescope downloads it).
private=$work/private
mkdir -p "$private/$LAB/user/tests"
cat > "$private/$LAB/user/tests/hidden_passes.c" << 'EOF'
/* A private test of the grading test: it passes. */
int main(void)
{
	return 0;
}
EOF
cat > "$private/$LAB/user/tests/hidden_fails.c" << 'EOF'
/* A private test of the grading test: it fails, saying why. */
#include <stdio.h>

int main(void)
{
	printf("hidden_fails.c:6: the instructor's hidden test failed\n");
	return 1;
}
EOF
printf '%s\n' "# hidden tests" "7  kernel  user: hidden_passes" \
	"3  kernel  user: hidden_fails" > "$private/$LAB/grade.txt"

# The zip Gradescope gets, with the hidden tests; its setup.sh, as
# Gradescope runs it once (install, then the reference graded).
gs=$work/gradescope-source
tools/autograder-zip.sh "$LAB" "$private" > "$work/zip.log" 2>&1
python3 - "build/autograder-lab$LAB.zip" "$gs" <<'EOF2' >> "$work/zip.log" 2>&1
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = info.external_attr >> 16
        if mode and not info.is_dir():
            os.chmod(path, mode & 0o777)
EOF2
pass=yes
for f in setup.sh run_autograder tools/lab-grade-pristine.sh \
	"autograder/private/$LAB/grade.txt"; do
	[ -f "$gs/$f" ] || { pass=no; echo "no $f in the zip" >> "$work/zip.log"; }
done
[ "$(cat "$gs/autograder/lab" 2> /dev/null)" = "$LAB" ] || pass=no
[ -x "$gs/run_autograder" ] && [ ! -e "$gs/build" ] || pass=no
report $pass "make autograder-zip LAB=$LAB PRIVATE=...: setup.sh and run_autograder at the top, the lab, the hidden tests, no build outputs" \
	"$work/zip.log"
# (The cheats in student mode meanwhile: make grade in their own trees.)
for s in cheat-test cheat-grader; do
	(cd "$work/src/$s" && GRADE_TIMEOUT=$timeout tools/lab-grade.sh "$LAB") \
		> "$work/alone-$s.log" 2>&1 &
done
# The test kernel's image the lab grades with (build/os-test.iso, or
# build/os-test+only~....iso for a lab that boots only its graded tests).
(AUTOGRADER_SOURCE=$gs "$gs/setup.sh") > "$work/setup.log" 2>&1 &&
	compgen -G "$gs/build/os-test*.iso" > /dev/null && pass=yes || pass=no
report $pass "autograder/setup.sh installs what is missing and builds the lab's tests" \
	"$work/setup.log"
wait
for s in cheat-test cheat-grader; do
	sed -n 's/^score: //p' "$work/alone-$s.log" | tail -n 1 > "$work/alone-$s"
done

autograde() { # autograde NAME: Gradescope's run_autograder on src/NAME
	local root=$work/gradescope-$1
	mkdir -p "$root/results"
	git clone -q "$work/src/$1" "$root/submission"
	AUTOGRADER_ROOT=$root AUTOGRADER_SOURCE=$gs GRADE_TIMEOUT=$timeout \
		"$gs/run_autograder" > "$root/stdout" 2>&1
}
autograde cheat-test &
autograde cheat-grader &
wait
json_score() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("%g/%g" % (d["score"], sum(t["max_score"] for t in d["tests"])))' "$1"
}
for c in cheat-test:$cheat_test cheat-grader:$cheat_grader; do
	name=${c%%:*} base=${c#*:}
	root=$work/gradescope-$name
	student=$(cat "$work/alone-$name")
	want=$(cat "$work/alone-$base")
	got=$(json_score "$root/results/results.json" 2> /dev/null)
	want="$((${want%/*} + 7))/$((${want#*/} + 10))"
	pass=yes
	[ "$student" = "${student#*/}/${student#*/}" ] || pass=no
	[ -n "$got" ] && [ "$got" = "$want" ] || pass=no
	report $pass "pristine: $name scores $student in student mode, $got from run_autograder (the reference's tests give $base $(cat "$work/alone-$base"), plus the hidden tests' 7 of 10)" \
		"$root/stdout"
done
file=tests/kernel/ktest.c
grep -q "\"changed $file\"\|changed $file" "$work/gradescope-cheat-test/results/results.json" &&
	pass=yes || pass=no
report $pass "pristine: results.json reports $file as changed and not used"
python3 - "$work/gradescope-cheat-grader/results/results.json" <<'EOF' && pass=yes || pass=no
import json, sys
tests = {t["name"]: t for t in json.load(open(sys.argv[1]))["tests"]}
p, f = tests["kernel: user: hidden_passes"], tests["kernel: user: hidden_fails"]
assert p["status"] == "passed" and p["score"] == 7, p
assert f["status"] == "failed" and f["score"] == 0, f
assert "the instructor's hidden test failed" in f["output"], f
assert p["visibility"] == f["visibility"] == "after_published"
EOF
report $pass "private tests: counted in results.json, with the hidden test's message, shown after publishing"

# ---- Every results file is valid ----------------------------------------
for f in "$work"/out/*/results.json "$work"/gradescope-*/results/results.json; do
	python3 tests/check-results.py json "$f" > "$work/check.log" 2>&1 &&
		pass=yes || pass=no
	report $pass "results.json of ${f#"$work"/} is valid for Gradescope" \
		"$work/check.log"
done
for f in "$work"/out/*/junit.xml "$work"/gradescope-*/results/junit.xml; do
	python3 tests/check-results.py junit "$f" > "$work/check.log" 2>&1 &&
		pass=yes || pass=no
	report $pass "${f#"$work"/} is valid JUnit XML" "$work/check.log"
done

# ---- GitHub Classroom's workflow template -------------------------------
# It is autograder/classroom-workflow.py's for lab 3 (grade.txt's tests);
# its scripts parse; and its per-test commands, run on a results.json,
# give the points results.json gives.
log=$work/workflow.log
pass=yes
autograder/classroom-workflow.py 3 | diff - autograder/github-classroom.yml > "$log" ||
	{ pass=no; echo "run: autograder/classroom-workflow.py 3 > autograder/github-classroom.yml" >> "$log"; }
python3 tests/check-results.py workflow autograder/github-classroom.yml >> "$log" 2>&1 ||
	pass=no
gh=$work/github
mkdir -p "$gh/grading/results"
ln -s "$gs" "$gh/reference"
cp "$work/gradescope-cheat-grader/results/results.json" "$gh/grading/results/"
autograder/classroom-workflow.py "$LAB" > "$gh/workflow.yml"
points=0
while IFS=$'\t' read -r cmd max; do
	(cd "$gh" && eval "$cmd") >> "$log" 2>&1 && points=$((points + max))
done < <(python3 - "$gh/workflow.yml" <<'EOF2'
import json, sys
cmd = None
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("command: "):
        cmd = json.loads(line[len("command: "):])
    elif line.startswith("max-score: ") and cmd:
        print("%s\t%s" % (cmd, line.split()[1]))
        cmd = None
EOF2
)
# The workflow's steps are grade.txt's: the hidden tests are not in it.
want=$(( $(json_score "$gh/grading/results/results.json" | cut -d/ -f1) - 7 ))
[ "$points" = "$want" ] || pass=no
report $pass "autograder/github-classroom.yml is up to date, parses, and its steps give $points points for a results.json of $want (hidden tests aside)" \
	"$log"

echo "# the class took $class_seconds s with -j 2; the mutants alone $alone_seconds s"
echo "1..$n"
[ "$failed" -eq 0 ]
