#!/bin/bash
# A test suite (TAP) for the lab graders: for every lab with a grader
# (labs/N/grade.txt), the reference code in this tree scores full marks,
# and the untouched starting point scores at most half. The starting point
# is a copy of this tree under build/lab-check/ with labs/N/skeleton.patch
# applied, as `make lab-start LAB=N` would give a student; it starts from
# this tree's build outputs so only the patched files recompile. A patch
# that no longer applies (its code changed) is reported. And every
# mutant (labs/N/mutants/*.patch, a classic mistake) loses the points of
# the test meant to catch it, with a message that names the mistake.
#
# usage: tools/lab-check-graders.sh [LAB...]   (default: the labs in $LABS,
# or every lab)
set -u
cd "$(dirname "$0")/.." || exit 1
all_labs=$(ls labs/*/grade.txt | cut -d/ -f2 | sort -n)
labs=${*:-${LABS:-$all_labs}}
work=build/lab-check
# Seconds for each skeleton's and mutant's test boot (wall time): a whole
# run of the kernel and user tests takes about 40 s in QEMU alone, and
# make test runs two suites at once. A mutant that hangs costs this much.
grade_timeout=${GRADE_TIMEOUT:-180}
rm -rf "$work/reference"
mkdir -p "$work"
n=0 failed=0

report() { # report PASSED DESCRIPTION [LOG]
	n=$((n + 1))
	if [ "$1" = yes ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | tail -n 40
	fi
}

score_of() { sed -n 's/^score: //p' "$1" | tail -n 1; }

# A copy of this tree in DIR, with the build outputs that let only the
# files a patch changes recompile. Never the developer's tree itself.
scratch_copy() {
	rm -rf "$1"
	mkdir -p "$1/build"
	git ls-files -z -co --exclude-standard |
		tar --null -T - --ignore-failed-read -cf - 2> /dev/null |
		tar -xf - -C "$1"
	for b in kernel user user-obj initrd initrd.tar cmdline.txt; do
		[ -e "build/$b" ] && cp -a "build/$b" "$1/build/"
	done
}

# The value of "# KEY: value" in a mutant's header.
header() { sed -nE "s/^# $1: *//p" "$2" | head -n 1; }

# Grades a mutant (labs/N/mutants/NAME.patch: a classic mistake, as a
# patch against the reference) and checks what its header says: the
# points of "# test:" are lost and the grader's output says "# says:";
# or, for a mistake that does no harm, "# harmless: FILE: WORDS" (it
# scores full marks and the handout FILE explains why, in WORDS).
check_mutant() { # check_mutant LAB PATCH
	local lab=$1 m=$2 name dir log test says harmless file words
	name=$(basename "$m" .patch)
	dir=$work/mutant-$lab-$name log=$work/mutant-$lab-$name.log
	test=$(header test "$m") says=$(header says "$m")
	harmless=$(header harmless "$m")
	scratch_copy "$dir"
	if ! patch -p1 -s -d "$dir" < "$m" > "$log" 2>&1; then
		report no "lab $lab: mutant $name applies" "$log"
		return
	fi
	(cd "$dir" && GRADE_TIMEOUT=$grade_timeout tools/lab-grade.sh "$lab") >> "$log" 2>&1
	local score got total pass=yes why
	score=$(score_of "$log") got=${score%/*} total=${score#*/}
	if [ -n "$harmless" ]; then
		file=${harmless%%: *} words=${harmless#*: }
		[ -n "$score" ] && [ "$got" = "$total" ] || pass=no
		grep -qiF "$words" "$file" || pass=no
		why="is harmless, as $file explains ($score)"
	elif [ -z "$test" ] || [ -z "$says" ]; then
		pass=no why="has no '# test:' and '# says:' lines"
	else
		[ -n "$score" ] && [ "$got" -lt "$total" ] || pass=no
		awk -v t="$test" 'index($0, "  FAIL ") == 1 &&
			substr($0, length($0) - length(t) + 1) == t { f = 1 }
			END { exit !f }' "$log" || pass=no
		grep -qF -- "$says" "$log" || pass=no
		why="loses \"$test\", saying \"$says\" ($score)"
	fi
	[ "$pass" = yes ] || [ "$got" != "$total" ] ||
		echo "$m still scores full marks: add a test that catches it, or explain in the handout why it is harmless" >> "$log"
	report $pass "lab $lab: mutant $name $why" "$log"
	[ "$pass" = yes ] && rm -rf "$dir"
}

for lab in $labs; do
	if [ ! -f "labs/$lab/grade.txt" ]; then
		report no "lab $lab has a grader (labs/$lab/grade.txt)"
		continue
	fi
	# The reference.
	# One QEMU boot serves every lab (GRADE_REUSE).
	log=$work/reference-$lab.log
	GRADE_DIR=$work/reference GRADE_REUSE=1 tools/lab-grade.sh "$lab" \
		> "$log" 2>&1
	status=$?
	score=$(score_of "$log")
	[ "$status" = 0 ] && pass=yes || pass=no
	report $pass "lab $lab: the reference scores full marks (${score:-none})" \
		"$log"

	patch=labs/$lab/skeleton.patch
	[ -f "$patch" ] || continue
	# The code the lab cuts out must still be what the patch expects.
	log=$work/patch-$lab.log
	git apply --check "$patch" > "$log" 2>&1 && pass=yes || pass=no
	report $pass "lab $lab: $patch applies to the current files" "$log"

	# The starting point.
	dir=$work/skeleton-$lab
	scratch_copy "$dir"
	patch -p1 -s -d "$dir" < "$patch"
	log=$work/skeleton-$lab.log
	(cd "$dir" && GRADE_TIMEOUT=$grade_timeout tools/lab-grade.sh "$lab") > "$log" 2>&1
	score=$(score_of "$log")
	got=${score%/*} total=${score#*/}
	pass=no
	if grep -q 'The build failed' "$log"; then
		score="the skeleton does not build"
	elif [ -n "$score" ] && [ $((got * 2)) -le "$total" ]; then
		pass=yes
	fi
	report $pass "lab $lab: the untouched skeleton scores low (${score:-none})" \
		"$log"

	for m in labs/"$lab"/mutants/*.patch; do
		[ -f "$m" ] && check_mutant "$lab" "$m"
	done
done
# make lab-start itself, in a throwaway clone of this repository with
# this tree's lab files committed on its main branch.
clone=$work/lab-start-clone
rm -rf "$clone"
log=$work/lab-start.log
: > "$log"
if git clone -q --shared . "$clone" >> "$log" 2>&1 &&
	cp -r labs tools "$clone/" &&
	git -C "$clone" add labs tools >> "$log" 2>&1 &&
	git -C "$clone" -c user.name=check -c user.email=check@localhost \
		commit -q --allow-empty -m "this tree's labs" >> "$log" 2>&1; then
	from=$(git -C "$clone" rev-parse --abbrev-ref HEAD)
	for lab in $labs; do
		[ -f "labs/$lab/skeleton.patch" ] || continue
		git -C "$clone" checkout -q "$from"
		before=$(git -C "$clone" rev-parse HEAD)
		pass=yes
		(cd "$clone" && tools/lab-start.sh "$lab") >> "$log" 2>&1 || pass=no
		[ "$(git -C "$clone" rev-parse --abbrev-ref HEAD)" = "lab-$lab" ] ||
			pass=no
		[ "$(git -C "$clone" rev-parse "$from")" = "$before" ] || pass=no
		# The branch differs from main in exactly the patch's files, and
		# holds the patched versions (the patch can be taken back out).
		patch=labs/$lab/skeleton.patch
		changed=$(git -C "$clone" diff --name-only "$from" "lab-$lab" | sort)
		want=$(git apply --numstat "$patch" | cut -f3 | sort)
		[ "$changed" = "$want" ] || pass=no
		(cd "$clone" && git apply -R --check "$patch") >> "$log" 2>&1 ||
			pass=no
		# A second start is refused, and so is one with changes.
		(cd "$clone" && tools/lab-start.sh "$lab") >> "$log" 2>&1 && pass=no
		report $pass "lab $lab: make lab-start makes branch lab-$lab with the skeletons, $from untouched" "$log"
	done
	git -C "$clone" checkout -q "$from"
	echo "// a change" >> "$clone/lib/format.c"
	pass=yes
	(cd "$clone" && tools/lab-start.sh 1) >> "$log" 2>&1 && pass=no
	report $pass "make lab-start refuses to run with uncommitted changes" "$log"
else
	report no "a clone for testing make lab-start" "$log"
fi
rm -rf "$clone"

echo "1..$n"
[ "$failed" -eq 0 ]
