#!/bin/sh
# tap-count.sh - counts the results in a TAP log: prints "PASSED FAILED
# SKIPPED". A skip is an "ok" line whose directive is SKIP ("ok 5 - name
# # SKIP why", any case, as TAP says): it neither passed nor failed.
#
# usage: tests/tap-count.sh LOG
set -u
awk '
/^ok( |$)/ {
	if (tolower($0) ~ /^ok[^#]*# *skip/)
		skipped++
	else
		passed++
}
/^not ok( |$)/ { failed++ }
END { print passed + 0, failed + 0, skipped + 0 }' "$1"
