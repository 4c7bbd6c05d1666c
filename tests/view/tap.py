# TAP for the viewer's tests: "ok N - name" or "not ok N - name # why",
# then the plan line. done() is the exit status: 0 only if all passed.


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
