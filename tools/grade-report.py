#!/usr/bin/env python3
"""A class's grades (tools/grade-class's folder: one sub-folder per
submission) as one CSV, a line per submission with its points per test,
and one report, in HTML and as text: the score distribution and the class's
most common failures, grouped by what the grader said."""

import argparse
import csv
import html
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labresults import Grade, first_lines, read_lines  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def graded_tests(lab, private):
    """(suite, name, points) of each line of the lab's grade.txt and of the
    private tests' grade.txt."""
    tests = []
    for path in (os.path.join(HERE, "labs", lab, "grade.txt"),
                 os.path.join(private, lab, "grade.txt") if private else ""):
        for line in read_lines(path):
            if line.lstrip().startswith("#"):
                continue
            points, suite, name = line.split(None, 2)
            tests.append((suite, name.strip(), int(points)))
    return tests


class Submission:
    """One submission's outcome: its score, how it ended (graded, did not
    build, hung, crashed, over the time limit, unreadable) and why, and
    the grader's message for each test it failed."""

    def __init__(self, out, name, tests, limit):
        self.name = name
        d = os.path.join(out, name)
        status = (read_lines(os.path.join(d, "status")) or ["?"])[0]
        self.seconds = (read_lines(os.path.join(d, "seconds")) or ["?"])[0]
        self.not_used = read_lines(os.path.join(d, "not-used.txt"))
        self.points = {}
        self.failures = []  # (test, points lost, message)
        self.not_run = []  # tests that never ran (no build, a crash...)
        self.grade = None
        self.max_score = sum(p for _, _, p in tests)
        if status in ("124", "137"):
            self.status = "over the time limit"
            self.reason = "still running after %s s: stopped" % limit
        elif status == "3":
            self.status = "unreadable"
            self.reason = first_lines(
                "\n".join(read_lines(os.path.join(d, "error.txt"))), 2)
        elif not os.path.exists(os.path.join(d, "grade", "results.tsv")):
            self.status = "not graded"
            log = read_lines(os.path.join(d, "pristine.log"))
            self.reason = " ".join(log[-2:])
        else:
            self.grade = Grade(os.path.join(d, "grade"))
            self.status, self.reason = self.grade.stopped()
            self.max_score = self.grade.max_score
            for t in self.grade.tests:
                key = "%s: %s" % (t.suite, t.name)
                self.points[key] = t.got
                why = self.grade.why(t)
                # Tests that never ran are the whole submission's story.
                if t.passed:
                    continue
                if why.startswith(("did not run", "did not build")):
                    self.not_run.append(key)
                else:
                    self.failures.append((key, t.points - t.got, why))
        self.score = sum(self.points.values())
        if self.grade:
            self.score -= self.grade.penalty


def normalize(message):
    """The part of a message that names the cause: addresses and line
    numbers of a student's file vary from one submission to the next."""
    m = re.sub(r"0x[0-9a-fA-F]+", "0x...", message)
    return re.sub(r"(\.[chS]|\.asm):\d+", r"\1:N", m)


def groups(subs):
    """[(count, label, example message, names)], the most common first:
    a failed test with the grader's message, or a whole submission's end
    (did not build, hung, crashed...) with its reason."""
    found = {}
    for s in subs:
        if s.status != "graded":
            key = (s.status, normalize(s.reason))
            found.setdefault(key, [s.reason, []])[1].append(s.name)
        for test, lost, why in s.failures:
            msg = first_lines(why, 2)
            key = ("%s (%d points)" % (test, lost), normalize(msg))
            found.setdefault(key, [msg, []])[1].append(s.name)
    out = [(len(names), label, example, names)
           for (label, _), (example, names) in found.items()]
    return sorted(out, key=lambda g: (-g[0], g[1]))


def by_test(subs, tests):
    """[(test, points, failed, did not run)] for each graded test that
    some submission lost, the most often failed first."""
    out = []
    for suite, name, points in tests:
        key = "%s: %s" % (suite, name)
        failed = sum(1 for s in subs if any(f[0] == key for f in s.failures))
        not_run = sum(1 for s in subs if key in s.not_run or
                      (s.grade is None))
        if failed or not_run:
            out.append((key, points, failed, not_run))
    return sorted(out, key=lambda t: (-t[2], -t[3]))


def distribution(subs, max_score):
    """[(label, count)]: the scores in tenths of the maximum, full marks
    apart."""
    if max_score <= 0:
        return []
    bins = []
    for i in range(10):
        lo, hi = max_score * i // 10, max_score * (i + 1) // 10 - 1
        n = sum(1 for s in subs if lo <= s.score <= hi)
        bins.append(("%d-%d" % (lo, hi), n))
    bins.append(("%d" % max_score,
                 sum(1 for s in subs if s.score >= max_score)))
    return bins


def write_csv(path, lab, subs, tests):
    keys = ["%s: %s" % (suite, name) for suite, name, _ in tests]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["submission", "lab", "score", "max_score", "status",
                    "reason", "not_used"] +
                   ["%s (%d)" % (k, p) for k, (_, _, p) in zip(keys, tests)])
        for s in subs:
            w.writerow([s.name, lab, s.score, s.max_score, s.status,
                        s.reason, " ".join(s.not_used)] +
                       [s.points.get(k, 0) for k in keys])


def summary(lab, subs, args):
    scores = [s.score for s in subs]
    return ("Lab %s: %d submissions graded in %s s (%s at once, %s s limit "
            "each); scores: mean %.1f, median %g, lowest %d, highest %d" %
            (lab, len(subs), args.seconds, args.jobs, args.limit,
             statistics.mean(scores), statistics.median(scores),
             min(scores), max(scores)))


def write_text(path, lab, subs, args, tests):
    max_score = sum(p for _, _, p in tests)
    lines = [summary(lab, subs, args), "", "Score distribution:"]
    for label, n in distribution(subs, max_score):
        lines.append("  %-8s %3d %s" % (label, n, "#" * n))
    lines += ["", "Most common failures, by the grader's message:"]
    for count, label, example, names in groups(subs):
        lines.append("  %d submission%s: %s" %
                     (count, "" if count == 1 else "s", label))
        lines.append("      %s" % example)
        lines.append("      (%s)" % ", ".join(sorted(names)))
    lines += ["", "Tests failed most (of %d submissions):" % len(subs)]
    for key, points, failed, not_run in by_test(subs, tests):
        lines.append("  %3d failed, %3d did not run: %s (%d points)" %
                     (failed, not_run, key, points))
    lines += ["", "Submissions:",
              "  %-28s %7s  %-20s %s" % ("name", "score", "status", "reason")]
    for s in sorted(subs, key=lambda s: (-s.score, s.name)):
        lines.append("  %-28s %3d/%-3d  %-20s %s" %
                     (s.name, s.score, s.max_score, s.status, s.reason))
        if s.not_used:
            lines.append("  %-28s not used: %s" % ("", " ".join(s.not_used)))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(l.rstrip() for l in lines) + "\n")


def write_html(path, lab, subs, args, tests):
    max_score = sum(p for _, _, p in tests)
    e = html.escape
    top = max([n for _, n in distribution(subs, max_score)] + [1])
    rows = "".join(
        '<tr><td>%s</td><td>%d</td><td><div class="bar" style="width:%dpx">'
        "</div></td></tr>" % (e(label), n, 300 * n // top)
        for label, n in distribution(subs, max_score))
    fails = "".join(
        "<tr><td>%d</td><td>%s</td><td><code>%s</code></td><td>%s</td></tr>"
        % (count, e(label), e(example), e(", ".join(sorted(names))))
        for count, label, example, names in groups(subs))
    per_test = "".join(
        "<tr><td>%s (%d points)</td><td>%d</td><td>%d</td></tr>"
        % (e(key), points, failed, not_run)
        for key, points, failed, not_run in by_test(subs, tests))
    each = "".join(
        "<tr><td>%s</td><td>%d/%d</td><td>%s</td><td>%s</td><td>%s</td></tr>"
        % (e(s.name), s.score, s.max_score, e(s.status), e(s.reason),
           e(" ".join(s.not_used)))
        for s in sorted(subs, key=lambda s: (-s.score, s.name)))
    page = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>memos lab {lab}: the class</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
td, th {{ border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left;
  vertical-align: top; }}
.bar {{ background: #4a7; height: 1em; }}
</style></head><body>
<h1>memos lab {lab}: the class</h1>
<p>{summary}</p>
<h2>Score distribution</h2>
<table><tr><th>score</th><th>submissions</th><th></th></tr>{rows}</table>
<h2>The most common failures, by the grader's message</h2>
<p>What to explain in the next lecture: each line is a test the grader
failed with the same message (addresses and line numbers aside), or a
submission that did not build, hung or crashed, with its reason.</p>
<table><tr><th>submissions</th><th>test (points lost) or how it
ended</th><th>the grader's message</th><th>who</th></tr>{fails}</table>
<h2>Tests failed most</h2>
<table><tr><th>test</th><th>failed</th><th>did not run</th></tr>{per_test}</table>
<h2>Submissions</h2>
<p>Files outside the lab's were not used: the reference's were graded.</p>
<table><tr><th>name</th><th>score</th><th>status</th><th>reason</th>
<th>files not used</th></tr>{each}</table>
</body></html>
""".format(lab=e(lab), summary=e(summary(lab, subs, args)), rows=rows,
           fails=fails, per_test=per_test, each=each)
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--lab", required=True)
    p.add_argument("--limit", default="?")
    p.add_argument("--seconds", default="?")
    p.add_argument("--jobs", default="?")
    p.add_argument("--private", default="")
    p.add_argument("out")
    p.add_argument("names", nargs="*",
                   help="the submissions (default: every sub-folder of OUT "
                   "that holds a graded submission)")
    args = p.parse_args()
    if not args.names:
        args.names = sorted(
            n for n in os.listdir(args.out)
            if os.path.exists(os.path.join(args.out, n, "status")))
    if not args.names:
        sys.exit("grade-report: no graded submission in %s" % args.out)
    tests = graded_tests(args.lab, args.private)
    subs = [Submission(args.out, n, tests, args.limit) for n in args.names]
    write_csv(os.path.join(args.out, "grades.csv"), args.lab, subs, tests)
    write_text(os.path.join(args.out, "report.txt"), args.lab, subs, args,
               tests)
    write_html(os.path.join(args.out, "report.html"), args.lab, subs, args,
               tests)
    with open(os.path.join(args.out, "report.txt"), encoding="utf-8") as f:
        sys.stdout.write(f.read())
    print("grade-class: %s, %s and %s" %
          tuple(os.path.join(args.out, n)
                for n in ("grades.csv", "report.html", "report.txt")))


if __name__ == "__main__":
    main()
