#!/usr/bin/env python3
"""Writes one grade (a GRADE_DIR of tools/lab-grade.sh) as Gradescope's
results.json and as JUnit XML, for the autograder platforms and any CI.
Called by tools/lab-grade-pristine.sh --json/--junit."""

import argparse
import json
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labresults import Grade, read_lines  # noqa: E402


def overall_output(args, grade):
    """The text for the whole submission: the grader's table, what stopped
    it, and the files that were not used."""
    parts = []
    # The table, without the grader's progress lines and this machine's
    # paths.
    log = [l for l in read_lines(args.log)
           if not l.startswith(("lab %s: " % args.lab, "(outputs in "))]
    if log:
        parts.append("\n".join(log))
    status, reason = grade.stopped()
    if status != "graded":
        parts.append("The submission %s: %s" % (status, reason))
    not_used = read_lines(args.not_used)
    if not_used:
        parts.append("Files outside the lab's (labs/%s/student-files): the "
                     "reference's were graded, these were not used:\n  %s"
                     % (args.lab, "\n  ".join(not_used)))
    return "\n\n".join(parts)


def gradescope(args, grade, private):
    """Gradescope's autograder format: a score for the whole, and each test
    with its name, score, max_score, status and output (the grader's
    message). Hidden (private) tests show once the grades are published."""
    tests = []
    for i, t in enumerate(grade.tests, 1):
        test = {
            "number": "%s.%d" % (args.lab, i),
            "name": t.full_name,
            "score": t.got,
            "max_score": t.points,
            "status": "passed" if t.passed else "failed",
            "output": grade.why(t),
            "output_format": "text",
            "tags": [t.suite],
            "visibility": "after_published" if t.name in private
            else "visible",
        }
        tests.append(test)
    return {
        "score": grade.score,
        "output": overall_output(args, grade),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"lab": args.lab, "submission": args.name,
                       "max_score": grade.max_score,
                       "penalty": grade.penalty,
                       "status": grade.stopped()[0]},
        "tests": tests,
    }


def junit(args, grade):
    """JUnit XML: one testsuite for the lab, a testcase per graded test,
    a <failure> with the grader's message for each one that failed."""
    failures = sum(1 for t in grade.tests if not t.passed)
    root = ET.Element("testsuites", name="memos lab %s" % args.lab,
                      tests=str(len(grade.tests)), failures=str(failures))
    suite = ET.SubElement(root, "testsuite", name="lab%s" % args.lab,
                          tests=str(len(grade.tests)),
                          failures=str(failures), errors="0", skipped="0")
    props = ET.SubElement(suite, "properties")
    for key, value in (("submission", args.name),
                       ("score", grade.score),
                       ("max_score", grade.max_score),
                       ("status", grade.stopped()[0])):
        ET.SubElement(props, "property", name=key, value=str(value))
    for t in grade.tests:
        case = ET.SubElement(suite, "testcase",
                             classname="lab%s.%s" % (args.lab,
                                                     t.suite.replace(":", ".")),
                             name=t.name)
        cprops = ET.SubElement(case, "properties")
        ET.SubElement(cprops, "property", name="points",
                      value="%d/%d" % (t.got, t.points))
        if not t.passed:
            why = grade.why(t)
            failure = ET.SubElement(case, "failure", type="FAIL",
                                    message=why.splitlines()[0])
            failure.text = why
    out = ET.SubElement(suite, "system-out")
    out.text = overall_output(args, grade)
    ET.indent(root)
    return ET.ElementTree(root)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--lab", required=True)
    p.add_argument("--name", default="submission")
    p.add_argument("--grade-dir", required=True)
    p.add_argument("--log", help="the grader's table (shown as output)")
    p.add_argument("--not-used", help="files of the submission not used")
    p.add_argument("--private", help="names of the hidden tests")
    p.add_argument("--json", help="write Gradescope's results.json here")
    p.add_argument("--junit", help="write JUnit XML here")
    args = p.parse_args()
    try:
        grade = Grade(args.grade_dir)
    except (OSError, ValueError) as e:
        sys.exit("grade-results: %s" % e)
    private = set(read_lines(args.private))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(gradescope(args, grade, private), f, indent=1)
            f.write("\n")
    if args.junit:
        junit(args, grade).write(args.junit, encoding="utf-8",
                                 xml_declaration=True)


if __name__ == "__main__":
    main()
