"""One grade as tools/lab-grade.sh left it in its GRADE_DIR, read for the
programs that turn it into other formats (tools/grade-results.py: Gradescope
JSON, JUnit XML; tools/grade-report.py: a class's CSV and report)."""

import os


def unescape(field):
    """lab-grade.sh writes a line break inside a field as backslash, n."""
    return field.replace("\\n", "\n")


class Test:
    def __init__(self, verdict, got, points, suite, name, why):
        self.passed = verdict == "PASS"
        self.got = int(got)
        self.points = int(points)
        self.suite = suite
        self.name = name
        self.why = unescape(why)

    @property
    def full_name(self):
        return "%s: %s" % (self.suite, self.name)


class Grade:
    """results.tsv (a line per graded test) and notes.tsv (what stopped a
    build or a suite) of one GRADE_DIR."""

    def __init__(self, grade_dir):
        self.tests = []
        self.notes = {}
        path = os.path.join(grade_dir, "results.tsv")
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) != 6:
                    raise ValueError("%s: not 6 fields: %r" % (path, line))
                self.tests.append(Test(*fields))
        notes = os.path.join(grade_dir, "notes.tsv")
        if os.path.exists(notes):
            with open(notes, encoding="utf-8", errors="replace") as f:
                for line in f:
                    key, _, note = line.rstrip("\n").partition("\t")
                    self.notes[key] = unescape(note)

    @property
    def penalty(self):
        """Points taken from the whole because the kernel panicked where
        no test expected it (notes.tsv's "penalty" line: "N: why")."""
        note = self.notes.get("penalty")
        return int(note.split(":", 1)[0]) if note else 0

    @property
    def score(self):
        return sum(t.got for t in self.tests) - self.penalty

    @property
    def max_score(self):
        return sum(t.points for t in self.tests)

    def why(self, test):
        """What the grader said about a failed test; for one that did not
        build, the compiler's first errors."""
        if test.passed:
            return ""
        if test.why == "did not build" and "build" in self.notes:
            return "did not build: " + self.notes["build"]
        return test.why or "failed"

    def stopped(self):
        """(status, reason) of the whole submission: did it build, did the
        kernel (or a host program) finish its tests?"""
        if "build" in self.notes:
            return "did not build", first_lines(self.notes["build"], 2)
        for suite, note in sorted(self.notes.items()):
            if suite == "penalty":
                continue
            if "hung" in note:
                return "hung", first_lines(note, 1)
            return "crashed", crash_lines(note)
        return "graded", ""


def crash_lines(note):
    """What stopped the kernel: the note's first line, the panic or
    exception with its cause, and the function it happened in."""
    lines = [l.strip() for l in note.splitlines() if l.strip()]
    keep = lines[:1] + [l for l in lines[1:]
                        if l.startswith(("PANIC", "***", "cause:"))]
    keep += [l for l in lines if l.startswith("at ")][:1]
    return " ".join(keep)


def first_lines(text, n):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return " ".join(lines[:n])


def read_lines(path):
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", errors="replace") as f:
        return [l.rstrip("\n") for l in f if l.strip()]
