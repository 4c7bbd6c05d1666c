#!/bin/bash
# Gradescope's setup (docs/labs/instructors.md): runs once, as root, when
# Gradescope builds the autograder's image from the zip that
# `make autograder-zip LAB=N` makes (this repository, in
# /autograder/source). Installs what memos needs, then builds what the
# lab's tests need once: each submission's copy starts from those outputs
# and recompiles only the files the student wrote.
set -eu
source=${AUTOGRADER_SOURCE:-/autograder/source}
cd "$source"
tools/install-deps.sh
lab=$(cat autograder/lab)
GRADE_BUILD_ONLY=1 tools/lab-grade.sh "$lab"
