#!/bin/bash
# A test suite (TAP) for the lab graders: for every lab with a grader
# (labs/N/grade.txt), the reference code in this tree scores full marks,
# and the untouched starting point scores at most half. The starting point
# is a copy of this tree under build/lab-check/ with labs/N/skeleton.patch
# applied, as `make lab-start LAB=N` would give a student; it starts from
# this tree's build outputs so only the patched files recompile. A patch
# that no longer applies (its code changed) is reported.
set -u
cd "$(dirname "$0")/.." || exit 1
work=build/lab-check
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

for lab in $(ls labs/*/grade.txt | cut -d/ -f2 | sort -n); do
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
	rm -rf "$dir"
	mkdir -p "$dir/build"
	git ls-files -z -co --exclude-standard |
		tar --null -T - --ignore-failed-read -cf - 2> /dev/null |
		tar -xf - -C "$dir"
	for b in kernel user user-obj initrd initrd.tar cmdline.txt; do
		[ -e "build/$b" ] && cp -a "build/$b" "$dir/build/"
	done
	patch -p1 -s -d "$dir" < "$patch"
	log=$work/skeleton-$lab.log
	(cd "$dir" && GRADE_TIMEOUT=60 tools/lab-grade.sh "$lab") > "$log" 2>&1
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
	for lab in $(ls labs/*/skeleton.patch | cut -d/ -f2 | sort -n); do
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
