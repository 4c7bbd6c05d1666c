#!/usr/bin/env python3
"""Checks a grade's machine-readable results (tests/test-grading.sh):

  check-results.py json FILE      Gradescope's results.json, against the
                                  fields of Gradescope's autograder spec
  check-results.py junit FILE     JUnit XML, parsed, counts consistent
  check-results.py workflow FILE  a GitHub Actions workflow: each `run:`
                                  script parses (bash -n)

Prints what is wrong and exits 1; silent and 0 when the file is valid."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

# Gradescope's autograder specification: the fields of results.json.
TOP_FIELDS = {"score", "execution_time", "output", "output_format",
              "test_output_format", "test_name_format", "visibility",
              "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST_FIELDS = {"score", "max_score", "status", "name", "name_format",
               "number", "output", "output_format", "tags", "visibility",
               "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
STATUS = {"passed", "failed"}

errors = []


def need(cond, what):
    if not cond:
        errors.append(what)
    return cond


def number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_json(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    if not need(isinstance(d, dict), "the top level is not an object"):
        return
    need(set(d) <= TOP_FIELDS, "unknown fields: %s" % (set(d) - TOP_FIELDS))
    tests = d.get("tests", [])
    need(isinstance(tests, list), "tests is not a list")
    for key in ("output_format", "test_output_format"):
        if key in d:
            need(d[key] in FORMATS, "%s %r" % (key, d[key]))
    for key in ("visibility", "stdout_visibility"):
        if key in d:
            need(d[key] in VISIBILITY, "%s %r" % (key, d[key]))
    if "execution_time" in d:
        need(number(d["execution_time"]), "execution_time not a number")
    if "extra_data" in d:
        need(isinstance(d["extra_data"], dict), "extra_data not an object")
    if "output" in d:
        need(isinstance(d["output"], str), "output not a string")
    # The score is optional only when every test has its own.
    if "score" in d:
        need(number(d["score"]), "score %r is not a number" % d["score"])
    else:
        need(tests and all("score" in t for t in tests),
             "no score, and not every test has one")
    total = 0
    for i, t in enumerate(tests):
        where = "tests[%d]" % i
        if not need(isinstance(t, dict), where + " is not an object"):
            continue
        need(set(t) <= TEST_FIELDS,
             "%s: unknown fields %s" % (where, set(t) - TEST_FIELDS))
        need(isinstance(t.get("name"), str) and t["name"],
             where + ": no name")
        for key in ("score", "max_score"):
            if key in t:
                need(number(t[key]), "%s: %s not a number" % (where, key))
        if number(t.get("score")) and number(t.get("max_score")):
            need(0 <= t["score"] <= t["max_score"],
                 "%s: score %s not within 0..%s" %
                 (where, t["score"], t["max_score"]))
            if t.get("status") == "failed":
                need(t["score"] < t["max_score"],
                     where + ": failed with full points")
        if "status" in t:
            need(t["status"] in STATUS, "%s: status %r" % (where, t["status"]))
            if t["status"] == "failed":
                need(isinstance(t.get("output"), str) and t["output"],
                     where + ": failed without the grader's message")
        if "output" in t:
            need(isinstance(t["output"], str), where + ": output")
        if "visibility" in t:
            need(t["visibility"] in VISIBILITY, where + ": visibility")
        if "output_format" in t:
            need(t["output_format"] in FORMATS, where + ": output_format")
        if "tags" in t:
            need(isinstance(t["tags"], list) and
                 all(isinstance(x, str) for x in t["tags"]), where + ": tags")
        if "number" in t:
            need(isinstance(t["number"], str), where + ": number")
        total += t.get("score", 0) if number(t.get("score")) else 0
    # The whole's score overrides the tests' sum (Gradescope's rule); ours
    # differs from it only by a panic's penalty, which extra_data names.
    penalty = d.get("extra_data", {}).get("penalty", 0)
    if "score" in d and tests and number(d["score"]):
        need(abs(d["score"] - (total - penalty)) < 1e-9,
             "score %s is not the sum of the tests' (%s) less the penalty "
             "(%s)" % (d["score"], total, penalty))


def check_junit(path):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    need(root.tag in ("testsuites", "testsuite"), "root is <%s>" % root.tag)
    need(suites, "no testsuite")
    all_cases = 0
    all_failures = 0
    for s in suites:
        if not need(s.tag == "testsuite", "<%s> in <testsuites>" % s.tag):
            continue
        need(s.get("name"), "a testsuite without a name")
        cases = s.findall("testcase")
        failures = [c for c in cases if c.find("failure") is not None]
        need(s.get("tests") == str(len(cases)),
             "tests=%s, %d testcases" % (s.get("tests"), len(cases)))
        need(s.get("failures") == str(len(failures)),
             "failures=%s, %d failed" % (s.get("failures"), len(failures)))
        for c in cases:
            need(c.get("name") and c.get("classname"),
                 "a testcase without name or classname")
            for f in c.findall("failure"):
                need(f.get("message"), "a failure without a message")
        all_cases += len(cases)
        all_failures += len(failures)
    if root.tag == "testsuites":
        for key, value in (("tests", all_cases), ("failures", all_failures)):
            if root.get(key) is not None:
                need(root.get(key) == str(value),
                     "testsuites %s=%s, counted %d" % (key, root.get(key),
                                                      value))


def run_blocks(path):
    """The scripts of a workflow's `run: |` steps (no YAML library on a
    fresh Debian: a block is the lines indented deeper than its key)."""
    blocks = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        key = line.lstrip(" -")
        if key.startswith("run:"):
            rest = key[4:].strip()
            indent = len(line) - len(line.lstrip())
            if rest in ("|", ">"):
                body = []
                i += 1
                while i < len(lines) and (not lines[i].strip() or
                                          len(lines[i]) - len(lines[i].lstrip())
                                          > indent):
                    body.append(lines[i].strip())
                    i += 1
                blocks.append("\n".join(body))
                continue
            blocks.append(rest)
        i += 1
    return blocks


def check_workflow(path):
    blocks = run_blocks(path)
    need(blocks, "no run: steps")
    for b in blocks:
        # ${{ ... }} is GitHub's, replaced before bash sees it.
        script = b.replace("${{", "X").replace("}}", "X")
        p = subprocess.run(["bash", "-n"], input=script, text=True,
                           capture_output=True)
        need(p.returncode == 0, "a run: script does not parse: %s\n%s" %
             (p.stderr.strip(), b))
    try:
        import yaml
    except ImportError:
        return
    with open(path, encoding="utf-8") as f:
        need(isinstance(yaml.safe_load(f), dict), "not a YAML mapping")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("json", "junit", "workflow"):
        sys.exit(__doc__)
    try:
        {"json": check_json, "junit": check_junit,
         "workflow": check_workflow}[sys.argv[1]](sys.argv[2])
    except (OSError, ValueError, ET.ParseError) as e:
        errors.append(str(e))
    for e in errors:
        print("%s: %s" % (sys.argv[2], e))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
