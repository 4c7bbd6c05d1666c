#!/bin/bash
# Gives a student the starting point of lab N on a new branch, lab-N: the
# code the lab asks them to write is cut out of the files by the patch
# labs/N/skeleton.patch (TODOs in its place), and committed there.
# The current branch is never changed: the new commit is built in a
# temporary index, then the branch is checked out.
#
# usage: tools/lab-start.sh N        (make lab-start LAB=N)
set -eu
lab=${1:-}
cd "$(dirname "$0")/.."
patch=labs/$lab/skeleton.patch
if [ -z "$lab" ] || [ ! -f "$patch" ]; then
	echo "usage: make lab-start LAB=N, with N one of:" \
		$(ls labs/*/skeleton.patch 2>/dev/null | cut -d/ -f2 | sort -n)
	exit 2
fi
branch=lab-$lab

if ! git diff --quiet HEAD -- || ! git diff --cached --quiet; then
	echo "lab-start: you have changes that are not committed. Commit them"
	echo "(git commit -a) or undo them first, then run this again."
	exit 1
fi
if git rev-parse --verify -q "refs/heads/$branch" > /dev/null; then
	echo "lab-start: branch $branch exists already: you started lab $lab."
	echo "Go back to it with: git checkout $branch"
	exit 1
fi
if [ -z "$(git ls-tree --name-only HEAD "$patch")" ]; then
	echo "lab-start: $patch is not committed on this branch"
	exit 1
fi

index=$(mktemp)
trap 'rm -f "$index"' EXIT
export GIT_INDEX_FILE=$index
git read-tree HEAD
if ! git apply --cached "$patch"; then
	echo "lab-start: $patch does not apply to this branch's files"
	exit 1
fi
mapfile -t replaced < <(git apply --numstat "$patch" | cut -f3)
tree=$(git write-tree)
unset GIT_INDEX_FILE

# commit-tree needs a name; a fresh machine may not have one configured.
[ -n "$(git config user.name || true)" ] || export GIT_AUTHOR_NAME=student \
	GIT_COMMITTER_NAME=student
[ -n "$(git config user.email || true)" ] ||
	export GIT_AUTHOR_EMAIL=student@localhost \
		GIT_COMMITTER_EMAIL=student@localhost
from=$(git rev-parse --abbrev-ref HEAD)
commit=$(git commit-tree "$tree" -p HEAD \
	-m "Lab $lab: starting point (labs/$lab/skeleton.patch)")
git branch "$branch" "$commit"
git checkout -q "$branch"

skeletons=() removed=()
for f in "${replaced[@]}"; do
	if [ -e "$f" ]; then skeletons+=("$f"); else removed+=("$f"); fi
done
echo "You are now on branch $branch, made from $from. These files are"
echo "skeletons with TODOs for you to fill in:"
printf '  %s\n' "${skeletons[@]}"
if [ "${#removed[@]}" -gt 0 ]; then
	echo "These you write yourself (the handout says what goes in them):"
	printf '  %s\n' "${removed[@]}"
fi
echo "The handout: docs/labs/ (see docs/labs/README.md)."
echo "Check your work: make grade LAB=$lab"
echo "Commit as you go (git commit -a). To go back: git checkout $from"
