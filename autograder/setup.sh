#!/bin/bash
# Gradescope's setup (docs/labs/instructors.md): runs once, as root, when
# Gradescope builds the autograder's image from the zip that
# `make autograder-zip LAB=N` makes (this repository, in
# /autograder/source). Installs what memos needs, then grades the
# reference once: that builds everything a submission's copy starts from,
# and shows in the image's log that the reference gets full marks.
set -eu
source=${AUTOGRADER_SOURCE:-/autograder/source}
cd "$source"
tools/install-deps.sh
lab=$(cat autograder/lab)
tools/lab-grade.sh "$lab"
