#!/bin/bash
# TAP lines for `make test`: `make bench-vm`'s program runs in both modes
# and prints a well-formed table (every workload with figures, a target
# and "met" or "missed by N"), and docs/virtual-memory.md quotes the table
# and the frame counts exactly as this run logged them (the figures are
# counted instructions, the same on every run of one build). The figures
# themselves are not judged: targets are reported, not asserted.
#
# usage: tests/check-vm-bench.sh [--update]   (from the repository's top;
# make check installs it as build/bench/check-vm-bench.sh after building
# the ISOs). --update first rewrites the document's two blocks from this
# run's log: for a change that moves the figures, then check the diff.
set -u
update=false
[ "${1:-}" = "--update" ] && update=true
log=build/test-logs/bench-vm.log
doc=docs/virtual-memory.md
out=$(VM_BENCH_LOG=$log tools/vm-bench.sh build/os-vmbench-lazy.iso \
	build/os-vmbench-eager.iso 2>&1)
status=$?
echo "1..3"

if [ "$status" -eq 0 ]; then
	echo "ok 1 - bench-vm: vmbench ran to the end with vm=lazy and vm=eager"
else
	echo "not ok 1 - bench-vm: tools/vm-bench.sh exited with $status"
	echo "$out" | grep -v '^vmbench (' | sed 's/^/# /' | head -n 20
fi

# Each row: WHAT, lazy figure, eager figure or "-", target, verdict.
rows=("fork+exit+wait, small child"
	"fork+exit+wait, untouched 64 MiB heap"
	"spawn+exit+wait of true"
	"fork+execv(true)+exit+wait"
	"16 MiB heap written, fork+exit+wait"
	"fault: demand-zero page"
	"fault: program page from the file"
	"fault: copy-on-write copy"
	"fault: copy-on-write, last sharer reuses")
floors=("floor: zeroing 4 KiB in user space"
	"floor: copying 4 KiB in user space")
bad=()
n='[0-9][0-9,]*'
for what in "${rows[@]}"; do
	grep -qxF -e "$what" <(sed -E "s/ +$n +($n|-) +<= .+ (met|missed by $n)\$//" "$log") ||
		bad+=("$what")
done
for what in "${floors[@]}"; do
	grep -qxF -e "$what" <(sed -E "s/ +$n +$n +\(the floor\)\$//" "$log") ||
		bad+=("$what")
done
if [ ${#bad[@]} -eq 0 ]; then
	echo "ok 2 - bench-vm: all ${#rows[@]} workloads and ${#floors[@]} floors have figures, a target and a verdict"
else
	echo "not ok 2 - bench-vm: no well-formed row for: ${bad[*]}"
	sed 's/^/# /' "$log" | tail -n 14
fi

# The blocks after the two markers in the document, against the log.
if python3 - "$doc" "$log" "$update" <<'PY'; then
import re, sys
doc, log = (open(f).read() for f in sys.argv[1:3])
update = sys.argv[3] == "true"
table = log[log.index("workload "):].rstrip("\n")
frames = "\n".join(l for l in log.splitlines() if l.endswith(" frames"))
ok = True
for name, want in (("table", table), ("frames", frames)):
    pattern = r"(<!-- bench-vm %s: [^>]*-->\n```\n)(.*?)(\n```)" % name
    if update:
        doc = re.sub(pattern, lambda m: m.group(1) + want + m.group(3),
                     doc, count=1, flags=re.S)
        open(sys.argv[1], "w").write(doc)
    m = re.search(pattern, doc, re.S)
    if not m:
        print("# %s: no <!-- bench-vm %s: ... --> block" % (sys.argv[1], name))
        ok = False
    elif m.group(2) != want:
        print("# the %s block differs from %s; the log says:" % (name, sys.argv[2]))
        print("\n".join("#   " + l for l in want.splitlines()))
        ok = False
sys.exit(0 if ok else 1)
PY
	echo "ok 3 - bench-vm: $doc quotes the table and the frames of $log"
else
	echo "not ok 3 - bench-vm: $doc does not quote $log (copy the" \
		"lines above into its two bench-vm blocks)"
fi
