#!/bin/bash
# Makes the zip Gradescope takes as a programming assignment's autograder
# (docs/labs/instructors.md): this repository's files (the reference),
# with autograder/setup.sh and autograder/run_autograder also at its top
# as Gradescope wants them, autograder/lab saying which lab, and the
# course's hidden tests for that lab, if any, in autograder/private/.
#
# usage: tools/autograder-zip.sh LAB [PRIVATE]  (make autograder-zip LAB=N
#        [PRIVATE=folder]); writes build/autograder-labN.zip
set -eu
lab=${1:-} private=${2:-}
cd "$(dirname "$0")/.."
if [ -z "$lab" ] || [ ! -f "labs/$lab/student-files" ]; then
	echo "usage: make autograder-zip LAB=N [PRIVATE=folder], N one of:" \
		$(ls labs/*/student-files | cut -d/ -f2 | sort -n)
	exit 2
fi
stage=build/autograder-lab$lab
zip=$PWD/build/autograder-lab$lab.zip
rm -rf "$stage" "$zip"
mkdir -p "$stage"
git ls-files -z -co --exclude-standard |
	tar --null -T - --ignore-failed-read -cf - 2> /dev/null |
	tar -xf - -C "$stage"
cp autograder/setup.sh autograder/run_autograder "$stage/"
echo "$lab" > "$stage/autograder/lab"
if [ -n "$private" ]; then
	if [ ! -d "$private/$lab" ]; then
		echo "autograder-zip: no folder $private/$lab (the hidden tests of lab $lab)"
		exit 2
	fi
	mkdir -p "$stage/autograder/private"
	cp -r "$private/$lab" "$stage/autograder/private/"
fi
(cd "$stage" && mapfile -t top < <(ls -A) &&
	python3 -m zipfile -c "$zip" "${top[@]}")
rm -rf "$stage"
echo "autograder-zip: $zip (upload it to Gradescope as the autograder)"
