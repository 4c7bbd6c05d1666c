#!/bin/bash
# Grades a student's submission the way an instructor does ("pristine"):
# in a scratch copy of this tree, the reference, where only the files
# labs/N/student-files lists come from the submission. The tests, the
# graders, the build files and every other file stay the reference's; a
# submission's change to them is reported, never used.
#
# usage: tools/lab-grade-pristine.sh [options] LAB SUBMISSION
#   SUBMISSION   a folder (a student's clone, or just their files), a git
#                bundle (*.bundle), or a patch (*.patch, *.diff) against
#                the lab's start (what `make lab-start LAB=N` commits)
#   -o DIR       where everything goes (default build/pristine/labN-NAME):
#                DIR/tree (the tree graded), DIR/grade (lab-grade.sh's
#                outputs), DIR/grade.log (its table), DIR/not-used.txt
#   --private P  hidden tests: the files of P/N/ are laid over the tree,
#                and the lines of P/N/grade.txt are graded with the lab's
#   --json F     Gradescope's results.json;  --junit F  JUnit XML
# Environment: GRADE_TIMEOUT, GRADE_CPU_LIMIT (see tools/lab-grade.sh).
# Exit status: 0 at full marks, 1 below, 2 usage, 3 unreadable submission.
set -u
here=$(cd "$(dirname "$0")/.." && pwd -P)
usage() {
	sed -n '8,19p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}
out="" private="" json="" junit=""
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift 2 ;;
	--private) private=$2; shift 2 ;;
	--json) json=$2; shift 2 ;;
	--junit) junit=$2; shift 2 ;;
	-h | --help) usage ;;
	-*) echo "lab-grade-pristine: unknown option $1"; usage ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || usage
lab=$1 sub=$2
files=$here/labs/$lab/student-files
if [ ! -f "$here/labs/$lab/grade.txt" ] || [ ! -f "$files" ]; then
	echo "lab-grade-pristine: lab $lab has no labs/$lab/grade.txt and" \
		"labs/$lab/student-files"
	exit 2
fi
if [ ! -e "$sub" ]; then
	echo "lab-grade-pristine: no submission $sub"
	exit 2
fi
if [ -n "$private" ] && [ ! -d "$private" ]; then
	echo "lab-grade-pristine: no folder $private (--private)"
	exit 2
fi
sub=$(cd "$(dirname "$sub")" && pwd)/$(basename "$sub")
name=$(basename "$sub")
name=${name%.bundle} name=${name%.patch} name=${name%.diff}
out=${out:-$here/build/pristine/lab$lab-$name}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/tree" "$out/submission" "$out/grade"
rm -f "$out/grade.log" "$out/not-used.txt" "$out/error.txt"
mapfile -t student < <(grep -vE '^[[:space:]]*(#|$)' "$files")

# unreadable WHY: the submission cannot be graded; says why, in
# DIR/error.txt too (tools/grade-class reports it).
unreadable() {
	echo "lab-grade-pristine: $name: $1" | tee "$out/error.txt"
	exit 3
}

# The reference's files copied to DIR: in a git clone, those tracked and
# new ones not ignored; elsewhere (Gradescope's unzipped copy) all of them
# but build/.
reference_copy() {
	mkdir -p "$1"
	if [ "$(git -C "$here" rev-parse --show-toplevel 2> /dev/null)" = "$here" ]; then
		git -C "$here" ls-files -z -co --exclude-standard |
			(cd "$here" && tar --null -T - --ignore-failed-read -cf - \
				2> /dev/null) | tar -xf - -C "$1"
	else
		tar -C "$here" --exclude=./build --exclude=./.git -cf - . |
			tar -xf - -C "$1"
	fi
}

# ---- The submission's files, in DIR/submission --------------------------
s=$out/submission
case $sub in
*.bundle)
	git clone -q "$sub" "$s" > "$out/error.txt" 2>&1 ||
		unreadable "git clone of the bundle failed: $(head -n 2 "$out/error.txt")"
	;;
*.patch | *.diff)
	# The lab's start: the reference with the skeleton patch applied.
	reference_copy "$s"
	patch -p1 -s -f --no-backup-if-mismatch -d "$s" < "$here/labs/$lab/skeleton.patch" \
		> "$out/error.txt" 2>&1 ||
		unreadable "labs/$lab/skeleton.patch does not apply to the reference"
	patch -p1 -s -f --no-backup-if-mismatch -d "$s" < "$sub" > "$out/error.txt" 2>&1 ||
		unreadable "the patch does not apply to the lab's start: $(head -n 2 "$out/error.txt")"
	;;
*)
	[ -d "$sub" ] || unreadable "not a folder, *.bundle or *.patch"
	mkdir -p "$s"
	tar -C "$sub" --exclude=./.git --exclude=./build -cf - . | tar -xf - -C "$s"
	;;
esac
rm -rf "$s/.git" "$s/build" "$out/error.txt"

# A student file not at its path but alone of its name at the top (an
# upload of just the files) counts as at its path.
for f in "${student[@]}"; do
	b=$(basename "$f")
	if [ ! -e "$s/$f" ] && [ -f "$s/$b" ]; then
		mkdir -p "$s/$(dirname "$f")"
		mv "$s/$b" "$s/$f"
	fi
done

# ---- The tree graded: the reference, the student's files, hidden tests --
t=$out/tree
reference_copy "$t"
# The reference's build outputs, so only what the submission changes
# recompiles (tools/lab-check-graders.sh does the same).
mkdir -p "$t/build"
for b in kernel user user-obj initrd initrd.tar cmdline.txt host; do
	[ -e "$here/build/$b" ] && cp -a "$here/build/$b" "$t/build/"
done
for f in "${student[@]}"; do
	if [ -f "$s/$f" ]; then
		mkdir -p "$t/$(dirname "$f")"
		cp "$s/$f" "$t/$f"
	else
		rm -f "$t/$f"
	fi
done
private_names=$out/private-tests.txt
: > "$private_names"
if [ -n "$private" ] && [ -d "$private/$lab" ]; then
	(cd "$private/$lab" && find . -type f ! -path ./grade.txt -print0 |
		tar --null -T - -cf -) | tar -xf - -C "$t"
	if [ -f "$private/$lab/grade.txt" ]; then
		grep -vE '^[[:space:]]*(#|$)' "$private/$lab/grade.txt" |
			tee -a "$t/labs/$lab/grade.txt" |
			awk '{ $1 = $2 = ""; sub(/^ +/, ""); print }' > "$private_names"
	fi
fi

# ---- What the submission changed that is not the lab's: not used --------
(
	cd "$s" || exit
	find . -type f | sed 's|^\./||' | sort | while read -r f; do
		grep -qxF -- "$f" "$files" && continue
		if [ ! -f "$t/$f" ]; then
			echo "added $f"
		elif ! cmp -s "$f" "$here/$f"; then
			echo "changed $f"
		fi
	done
) > "$out/not-used.txt"

# ---- Grade ---------------------------------------------------------------
echo "lab $lab, pristine: $name (the tree graded: $t)"
(cd "$t" && GRADE_DIR=$out/grade tools/lab-grade.sh "$lab") > "$out/grade.log" 2>&1
status=$?
cat "$out/grade.log"
if [ -s "$out/not-used.txt" ]; then
	echo "Files of the submission outside lab $lab's (labs/$lab/student-files):"
	echo "the reference's were graded, these were not used:"
	sed 's/^/  /' "$out/not-used.txt" | head -n 30
fi
if [ -n "$json$junit" ]; then
	python3 "$here/tools/grade-results.py" --lab "$lab" --name "$name" \
		--grade-dir "$out/grade" --log "$out/grade.log" \
		--not-used "$out/not-used.txt" --private "$private_names" \
		${json:+--json "$json"} ${junit:+--junit "$junit"} || exit 2
fi
[ "$status" = 0 ] && exit 0
exit 1
