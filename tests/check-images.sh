#!/bin/bash
# A test suite (TAP): the in-kernel tests are in the test image only.
# build/kernel.elf, which `make run` boots, links none of tests/kernel/
# (kernel/selftest_none.c stands in for them); build/kernel-test.elf, which
# the test ISOs boot, links all of it; the tests' data (the frame tests'
# 128 KiB bitmap among it) is not in the plain image's .bss.
set -u
cd "$(dirname "$0")/.." || exit 1
build=${BUILD:-build}
plain=$build/kernel.elf test=$build/kernel-test.elf
. tests/tap.sh

for f in "$plain" "$test"; do
	[ -f "$f" ] || { echo "Bail out! $f is missing: run make $f"; exit 1; }
done
objects=$(ls "$build"/kernel/tests/kernel/*.o 2> /dev/null)
[ -n "$objects" ] || { echo "Bail out! no objects in $build/kernel/tests/kernel"; exit 1; }

# The global symbols the tests define (selftest_run_*: both images have
# their own).
test_symbols=$(nm --defined-only $objects | awk '$2 ~ /^[TDBR]$/ { print $3 }' |
	grep -v '^selftest_' | sort -u)
symbols_of() { nm --defined-only "$1" | awk '{ print $3 }' | sort -u; }

found=$(comm -12 <(echo "$test_symbols") <(symbols_of "$plain"))
[ -z "$found" ]
report $? "$plain links none of tests/kernel/ ($(echo "$test_symbols" | wc -l) symbols looked for)" \
	"it has: $(echo $found | cut -c1-300)"

missing=$(comm -23 <(echo "$test_symbols") <(symbols_of "$test"))
[ -z "$missing" ]
report $? "$test links all of tests/kernel/" \
	"it lacks: $(echo $missing | cut -c1-300)"

bss_of() { size -A "$1" | awk '$1 == ".bss" { print $2 }'; }
plain_bss=$(bss_of "$plain") test_bss=$(bss_of "$test")
[ $((test_bss - plain_bss)) -ge $((128 * 1024)) ]
report $? "the tests' data is not in $plain's .bss ($plain_bss bytes, $test_bss with the tests)"

echo "1..$n"
exit $status
