#!/usr/bin/env python3
"""test_heapviz - TAP suite for tools/heapviz: reads the SVG it draws for a
small heap dump and a tiny trace (tests/heapviz/) and checks what a student
is meant to see: one row per snapshot, a rectangle per block in address
order with a width proportional to its size, splits, merges, growth, the
legend. Run from the repository root (make check does).
"""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TOOL = "tools/heapviz"
DUMP = "tests/heapviz/small.dump"
SERIAL_LOG = "tests/heapviz/heapdemo.log"
TRACE = "tests/heapviz/split-merge.rep"
OUT = os.path.join("build", "heapviz", "test")
NS = {"svg": "http://www.w3.org/2000/svg"}
HEAPTRACE_ENV = dict(os.environ,
                     HEAPTRACE=os.environ.get("HEAPTRACE",
                                              "build/host/heaptrace"))

# ---- Running the tool and reading its SVG -----------------------------------


def heapviz(*args):
    """Runs the tool; returns its standard output (fails the test if the
    tool fails)."""
    done = subprocess.run([TOOL, *args], capture_output=True, text=True,
                          env=HEAPTRACE_ENV)
    assert done.returncode == 0, "heapviz %s failed: %s" % (
        " ".join(args), done.stderr.strip())
    return done.stdout


def draw(source, name, *args):
    """Draws source into OUT/name and parses the result."""
    path = os.path.join(OUT, name)
    heapviz(*args, "-o", path, source)
    return ET.parse(path).getroot()


def classes(element):
    return element.get("class", "").split()


def rows(svg):
    """Each row as a list of (class, x, width) for its block rectangles
    (header bands left out), and its label."""
    result = []
    for g in svg.iterfind(".//svg:g", NS):
        if "row" not in classes(g):
            continue
        blocks = [(r.get("class"), float(r.get("x")), float(r.get("width")))
                  for r in g.iterfind("svg:rect", NS)
                  if r.get("class") in ("used", "free", "merged")]
        label = g.find("svg:text", NS).text
        result.append((label, blocks))
    return result


def count(svg, cls):
    return sum(1 for r in svg.iterfind(".//svg:rect", NS)
               if r.get("class") == cls)


def all_text(svg):
    return " ".join(t.text or "" for t in svg.iterfind(".//svg:text", NS))


def dump_sizes(path):
    """The block sizes of each snapshot of a dump, read independently of
    the tool: a snapshot ends at a line that is not a block."""
    snapshots, current = [], []
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines:
        match = re.match(r"\s*0x[0-9a-f]+\s+(\d+)\s+(used|free)", line)
        if match:
            current.append((int(match.group(1)), match.group(2)))
        elif current:
            snapshots.append(current)
            current = []
    return snapshots + [current] if current else snapshots


def close(a, b, tolerance=0.02):
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


# ---- A small dump -----------------------------------------------------------


def test_dump_rows():
    svg = draw(DUMP, "small.svg")
    labels = [label for label, _ in rows(svg)]
    assert labels == ["#1", "split", "split again", "#4"], labels


def test_dump_rect_counts():
    svg = draw(DUMP, "small.svg")
    got = {c: count(svg, c) for c in ("used", "free", "hdr", "free-hdr")}
    # Legend swatches are rects too: one of each class.
    want = {"used": 5 + 1, "free": 4 + 1, "hdr": 5 + 1, "free-hdr": 4 + 1}
    assert got == want, got


def check_widths(dump, svg):
    """Each row shows the dump's blocks in address order, side by side,
    each as wide as its size (one scale for the whole picture)."""
    scale = None
    for (label, blocks), sizes in zip(rows(svg), dump_sizes(dump)):
        assert [c for c, _, _ in blocks] == [s for _, s in sizes], label
        for (_, x, width), (size, _) in zip(blocks, sizes):
            scale = scale or width / size
            assert close(width / size, scale), "%s: %d bytes" % (label, size)
        for (_, x, w), (_, next_x, _) in zip(blocks, blocks[1:]):
            assert close(x + w, next_x), "%s: blocks not contiguous" % label


def test_dump_widths_follow_sizes_in_address_order():
    check_widths(DUMP, draw(DUMP, "small.svg"))


def test_dump_growth_makes_a_longer_row():
    ends = [x + w for _, blocks in rows(draw(DUMP, "small.svg"))
            for _, x, w in blocks[-1:]]
    assert close(ends[0], ends[1]) and close(ends[1], ends[2]), ends
    assert ends[3] > ends[2] * 1.5, ends


def test_dump_legend_axis_title():
    svg = draw(DUMP, "small.svg")
    legend = [g for g in svg.iterfind(".//svg:g", NS)
              if "legend" in classes(g)]
    assert len(legend) == 1, "no legend"
    words = all_text(legend[0])
    for expected in ("used block", "free block", "header"):
        assert expected in words, "legend lacks %r" % expected
    text = all_text(svg)
    assert "Heap blocks: small.dump" in text, "no title"
    assert "address" in text and "0xc0400100" in text, "no address axis"


def test_serial_log_of_heapdemo():
    """What memos prints: heapdemo's lists in a QEMU serial log (CRLF,
    boot messages, "== step" lines, payload columns after the state)."""
    svg = draw(SERIAL_LOG, "heapdemo.svg")
    labels = [label for label, _ in rows(svg)]
    assert labels == ["malloc 40, 80, 120, ... bytes",
                      "free every second block", "malloc(16) as many times",
                      "free the other big blocks", "free the rest"], labels
    check_widths(SERIAL_LOG, svg)


def test_many_blocks_are_merged_and_said_so():
    """Thousands of small blocks: a few hundred rectangles at most, and the
    legend says blocks were merged."""
    with tempfile.NamedTemporaryFile("w", suffix=".dump",
                                     delete=False) as f:
        for i in range(4000):
            f.write("0x%x %d %s\n" % (0x1000 + 16 * i, 16,
                                     "used" if i % 3 else "free"))
    svg = draw(f.name, "many.svg")
    os.unlink(f.name)
    size = os.path.getsize(os.path.join(OUT, "many.svg"))
    assert count(svg, "merged") > 0, "nothing merged"
    assert len(svg.findall(".//svg:rect", NS)) < 400, "too many rects"
    assert size < 60000, "SVG of %d bytes" % size
    assert "merged" in all_text(svg), "legend does not say so"


# ---- A tiny trace, replayed with mm/heap.c ----------------------------------

# Used and free blocks after each of: a 0 1000, f 0, a 1 200, a 2 200, f 1,
# f 2. The blocks are bigger than HEAP_QUICK_BYTES (mm/heap.h): smaller
# ones, once freed, wait unmerged on a quick list in the segregated policy.
STATES = [(1, 0), (0, 1), (1, 1), (2, 1), (1, 2), (0, 1)]


def trace_rows(policy):
    svg = draw(TRACE, "split-merge-%s.svg" % policy, "--policy", policy)
    return rows(svg)


def states(blocks):
    return tuple(sum(1 for c, _, _ in blocks if c == state)
                 for state in ("used", "free"))


def row_width(blocks):
    return sum(w for _, _, w in blocks)


def check_trace_rows(policy):
    got = trace_rows(policy)
    assert [label for label, _ in got] == [
        "op 1: a 0 1000", "op 2: f 0", "op 3: a 1 200", "op 4: a 2 200",
        "op 5: f 1", "op 6: f 2"], [label for label, _ in got]
    assert [states(b) for _, b in got] == STATES, [states(b) for _, b in got]


def check_split(policy):
    """Allocating from the one free block splits it: the free part shrinks
    by exactly the new used block, and the heap does not grow."""
    got = [blocks for _, blocks in trace_rows(policy)]
    widths = [row_width(b) for b in got]
    assert all(close(w, widths[0]) for w in widths), widths
    for before, after in ((got[1], got[2]), (got[2], got[3])):
        free_before = [w for c, _, w in before if c == "free"][0]
        free_after = [w for c, _, w in after if c == "free"][0]
        new_used = [w for c, _, w in after if c == "used"][0]
        assert close(free_before - free_after, new_used), (before, after)


def check_merge(policy):
    """Freeing the last used block merges it with both free neighbours:
    one free block over the whole heap."""
    got = [blocks for _, blocks in trace_rows(policy)]
    assert len(got[5]) == 1 and got[5][0][0] == "free", got[5]
    assert close(got[5][0][2], row_width(got[4])), (got[4], got[5])


def test_trace_rows_segregated():
    check_trace_rows("segregated")


def test_trace_rows_teaching():
    check_trace_rows("teaching")


def test_trace_split_segregated():
    check_split("segregated")


def test_trace_split_teaching():
    check_split("teaching")


def test_trace_merge_segregated():
    check_merge("segregated")


def test_trace_merge_teaching():
    check_merge("teaching")


def test_utilization_plot():
    svg = draw(TRACE, "split-merge-utilization.svg", "--utilization")
    lines = {classes(p)[0]: p.get("points").split()
             for p in svg.iterfind(".//svg:polyline", NS)
             if p.get("points").count(",") > 2}
    assert set(lines) == {"segregated", "teaching"}, set(lines)
    for policy, points in lines.items():
        assert len(points) == 6, "%s: %d points" % (policy, len(points))
    text = all_text(svg)
    for expected in ("segregated policy", "teaching policy", "utilization",
                     "free blocks", "operation number"):
        assert expected in text, "plot lacks %r" % expected


def test_out_dir_writes_every_picture():
    out = os.path.join(OUT, "all")
    printed = heapviz("--out-dir", out, TRACE).split()
    printed += heapviz("--out-dir", out, DUMP).split()
    want = [os.path.join(out, name) for name in (
        "split-merge-segregated.svg", "split-merge-teaching.svg",
        "split-merge-utilization.svg", "small.svg")]
    assert printed == want, printed
    for path in want:
        ET.parse(path)


def test_bad_trace_line_is_reported():
    with tempfile.NamedTemporaryFile("w", suffix=".rep", delete=False) as f:
        f.write("a 0 16\na zero 16\n")
    done = subprocess.run([TOOL, "-o", os.devnull, f.name],
                          capture_output=True, text=True, env=HEAPTRACE_ENV)
    os.unlink(f.name)
    assert done.returncode != 0, "a bad trace was drawn"
    assert ":2: bad line" in done.stderr, done.stderr


# ---- TAP --------------------------------------------------------------------


def main():
    os.makedirs(OUT, exist_ok=True)
    tests = [(name, f) for name, f in globals().items()
             if name.startswith("test_")]
    print("1..%d" % len(tests))
    failed = 0
    for n, (name, test) in enumerate(tests, 1):
        try:
            test()
            print("ok %d - %s" % (n, name[5:]))
        except Exception as e:  # a crash fails this test, not the suite
            failed += 1
            why = "%s: %s" % (type(e).__name__, e)
            print("not ok %d - %s # %s" % (n, name[5:], why[:300]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
