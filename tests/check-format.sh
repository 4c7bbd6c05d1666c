#!/bin/bash
# One TAP line: every C file git tracks is formatted as .clang-format says
# (`make format` fixes it). Lists the files that are not.
set -u
cd "$(dirname "$0")/.." || exit 1
bad=()
while IFS= read -r f; do
	clang-format "$f" | cmp -s - "$f" || bad+=("$f")
done < <(git ls-files '*.c' '*.h')
if [ ${#bad[@]} -eq 0 ]; then
	echo "ok 1 - every C file follows .clang-format"
	exit 0
fi
echo "not ok 1 - not formatted (run make format): ${bad[*]}"
exit 1
