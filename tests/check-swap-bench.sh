#!/bin/bash
# TAP lines for `make test`: `make bench-swap`'s simulator run (seconds)
# prints well-formed tables in which OPT is never beaten, the textbook's
# and Belady's counts are right, thrashing collapses progress (in the
# simulator, and in memos: user/bin/thrash booted with mem=4, about 20 s),
# and the plots are SVG with one line per policy. Its log is what
# docs/swap-policies.md quotes (tools/doc-quotes compares them).
#
# usage: tests/check-swap-bench.sh (from the repository's top; make check
# installs it as build/bench/check-swap-bench.sh after building the
# simulator)
set -u
log=build/test-logs/swap-bench.log
out=build/swap-bench
echo "1..6"
if tools/swap-bench.sh build/host/bench/swap-sim "$out" "$log" \
	build/os-thrash-clock.iso > /dev/null 2>&1; then
	echo "ok 1 - bench-swap: tools/swap-bench.sh ran to the end"
else
	echo "not ok 1 - bench-swap: tools/swap-bench.sh failed (run make bench-swap)"
fi
python3 - "$log" "$out" <<'PY'
import glob, re, sys, xml.dom.minidom
log, out = sys.argv[1], sys.argv[2]
text = open(log).read() if glob.glob(log) else ""
tables = {}  # name -> (policies, {frames: [faults...]})
name = None
for line in text.splitlines():
    m = re.match(r"== (\w+)", line)
    if m:
        name = m.group(1)
        continue
    if line.startswith("frames "):
        tables[name] = (line.split()[1:], {})
    elif name in tables and re.match(r"\d+ ", line):
        cells = re.findall(r"(\d+)(?: \(\d+/\d+\))?", line)
        tables[name][1][int(cells[0])] = [int(c) for c in cells[1:]]

def faults(table, frames, policy):
    policies, rows = tables.get(table, ([], {}))
    try:
        return rows[frames][policies.index(policy)]
    except (KeyError, ValueError, IndexError):
        return None

want = [("textbook", 3, "fifo", 15), ("textbook", 3, "lru-exact", 12),
        ("textbook", 3, "opt", 9), ("belady", 3, "fifo", 9),
        ("belady", 4, "fifo", 10)]
wrong = ["%s with %d frames under %s: %s faults, not %d" %
         (t, f, p, faults(t, f, p), n) for t, f, p, n in want
         if faults(t, f, p) != n]
print(("not ok" if wrong else "ok") +
      " 2 - bench-swap: the textbook's counts (FIFO 15, LRU 12, OPT 9) and Belady's anomaly (FIFO 9 faults with 3 frames, 10 with 4)")
for w in wrong:
    print("# " + w)

beaten, rows = [], 0
for t, (policies, table) in tables.items():
    if "opt" not in policies:
        continue
    for frames, cells in table.items():
        rows += 1
        opt = cells[policies.index("opt")]
        for p, n in zip(policies, cells):
            if n < opt:
                beaten.append("%s, %d frames: %s %d < opt %d" % (t, frames, p, n, opt))
ok = rows >= 30 and not beaten and len(tables) == 8
print(("ok" if ok else "not ok") +
      " 3 - bench-swap: %d tables, %d rows, OPT never beaten" % (len(tables), rows))
for b in beaten[:5]:
    print("# " + b)

sim_part = text.split("== thrashing in memos, evict=clock")[0]
progress = {int(m.group(1)): float(m.group(2)) for m in re.finditer(
    r"^(\d+) +\d+ +\d+ +[\d.]+ +([\d.]+)$", sim_part, re.M)}
ok = len(progress) == 6 and progress[4] * 10 < progress[3]
print(("ok" if ok else "not ok") +
      " 4 - bench-swap: thrashing: 4 processes make a tenth of the progress of 3 (%s)" %
      ", ".join("%d: %.1f" % kv for kv in sorted(progress.items())))

bad = []
for w in ("textbook", "belady", "seq", "random", "shift", "matmul", "blocked", "sort"):
    try:
        doc = xml.dom.minidom.parse("%s/%s.svg" % (out, w))
        if len(doc.getElementsByTagName("polyline")) != 6:
            bad.append(w + ": not one line per policy")
    except Exception as e:
        bad.append("%s: %s" % (w, e))
print(("not ok" if bad else "ok") +
      " 5 - bench-swap: the 8 plots are SVG, one line per policy")
for b in bad:
    print("# " + b)

# memos' own: procs, pages wanted, ms, pages read, passes per second (all
# processes), the slowest process's passes per second.
memos = text.split("== thrashing in memos, evict=clock")[-1] if "== thrashing in memos, evict=clock" in text else ""
rate = {int(m.group(1)): (int(m.group(2)), int(m.group(3))) for m in re.finditer(
    r"^(\d+) +\d+ +\d+ +\d+ +(\d+) +(\d+)$", memos, re.M)}
ok = (len(rate) == 5 and rate[5][1] * 3 < rate[3][1] and
      rate[3][0] * 2 > rate[1][0])
print(("ok" if ok else "not ok") +
      " 6 - bench-swap: thrash in memos (mem=4): with 5 processes whose pages exceed memory the slowest makes under a third of the progress the slowest of 3 that fit makes (passes per second, all and the slowest: %s)" %
      ", ".join("%d: %d/%d" % (k, v[0], v[1]) for k, v in sorted(rate.items())))
if not ok:
    print("\n".join("# " + l for l in memos.splitlines()[:12]))
PY
