# TAP for the viewer's tests: "ok N - name" or "not ok N - name # why",
# then the plan line. done() is the exit status: 0 only if all passed.
import importlib.util
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def need_viewer_modules(prefix):
    """Makes tools/view/ importable, or, where python3-pyelftools (the
    decoder's DWARF reader) is missing, prints one skip and exits."""
    sys.path.insert(0, os.path.join(REPO, "tools", "view"))
    if importlib.util.find_spec("elftools") is None:
        print("ok 1 - %s # SKIP python3-pyelftools is not installed "
              "(tools/install-deps.sh view)" % prefix)
        print("1..1")
        sys.exit(0)


class Tap:
    def __init__(self, prefix):
        self.prefix = prefix
        self.n = 0
        self.failed = 0

    def check(self, cond, name, why=""):
        self.n += 1
        if cond:
            print("ok %d - %s: %s" % (self.n, self.prefix, name), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s: %s # %s" % (self.n, self.prefix, name,
                                               why.replace("\n", " ")),
                  flush=True)
        return bool(cond)

    def skip(self, name, why):
        self.n += 1
        print("ok %d - %s: %s # SKIP %s" % (self.n, self.prefix, name, why),
              flush=True)

    def done(self):
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0
