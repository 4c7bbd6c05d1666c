#!/usr/bin/env python3
"""dropin-bench.py - libheapmalloc.so against glibc, mimalloc, jemalloc and
tcmalloc as the malloc of real processes, every peer in the same run
(make bench-dropin; docs/heap-benchmark.md explains the figures).

1. The trace suites replayed by dropin_replay under callgrind:
   instructions inside malloc, free and realloc per operation (a run of an
   empty trace, counted the same way, is taken off: start-up and the
   library's own initialisation).
2. The same replays natively: peak live payload against the growth of
   peak resident memory (utilization), and that growth summed.
3. Real programs (python3, gcc, sort, sqlite3, pigz -p 2): wall time, runs
   alternated across allocators (median of --reps), peak resident memory of
   the process tree (/usr/bin/time), and the output compared with glibc's.
4. threadbench with 1 and 2 threads: malloc+free throughput.
Then each target of issue 28: met, or missed by how much.
"""
import argparse
import concurrent.futures
import hashlib
import os
import re
import statistics
import subprocess
import sys
import time

LIBDIR = "/usr/lib/x86_64-linux-gnu"
PEERS = [
    ("mimalloc", "libmimalloc.so.2"),
    ("jemalloc", "libjemalloc.so.2"),
    ("tcmalloc", "libtcmalloc_minimal.so.4"),
]
SUITES = ["csapp11", "real25"]


def env_for(lib):
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    if lib:
        env["LD_PRELOAD"] = lib
    return env


# ---- 1 and 2: the trace suites ---------------------------------------------

def callgrind_count(replay, lib, trace, tmp):
    """Instructions collected inside malloc/free/realloc for one replay."""
    out = os.path.join(tmp, "cg.%d.%d" % (os.getpid(), abs(hash((lib, trace)))))
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
           "--toggle-collect=malloc", "--toggle-collect=free",
           "--toggle-collect=realloc", replay, trace]
    p = subprocess.run(cmd, env=env_for(lib), capture_output=True, text=True)
    try:
        os.unlink(out)
    except OSError:
        pass
    if p.returncode != 0:
        sys.exit("dropin-bench: callgrind %s on %s failed:\n%s" %
                 (lib or "glibc", trace, p.stderr[-2000:]))
    m = re.findall(r"Collected : (\d+)", p.stderr)
    return int(m[-1])


def native_replay(replay, lib, trace):
    p = subprocess.run([replay, trace], env=env_for(lib), capture_output=True,
                       text=True)
    if p.returncode != 0:
        sys.exit("dropin-bench: %s on %s failed: %s" %
                 (lib or "glibc", trace, p.stderr))
    f = p.stdout.split()
    return int(f[1]), int(f[3]), int(f[5])  # ops, payload, rss


def suites(args, allocs):
    empty = os.path.join(args.out, "empty.rep")
    with open(empty, "w") as f:
        f.write("0\n0\n0\n1\n")
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, lib in allocs:
            jobs[(name, None)] = pool.submit(callgrind_count, args.replay,
                                             lib, empty, args.out)
            for suite in SUITES:
                for t in args.trace_lists[suite]:
                    jobs[(name, t)] = pool.submit(
                        callgrind_count, args.replay, lib, t, args.out)
        counts = {k: v.result() for k, v in jobs.items()}
    native = {}
    for suite in SUITES:
        for t in args.trace_lists[suite]:
            for name, lib in allocs:
                native[(name, t)] = native_replay(args.replay, lib, t)
    result = {}
    for suite in SUITES:
        rows = []
        for t in args.trace_lists[suite]:
            ops = native[(allocs[0][0], t)][0]
            row = {"trace": re.sub(r".*traces/", "", t), "ops": ops}
            for name, _ in allocs:
                c = counts[(name, t)] - counts[(name, None)]
                row[name] = (c, native[(name, t)][1], native[(name, t)][2])
            rows.append(row)
        result[suite] = rows
    return result


def print_suites(res, names):
    summary = {}
    for suite, rows in res.items():
        path = os.path.join(ARGS.out, "dropin-callgrind-%s.txt" % suite)
        with open(path, "w") as f:
            f.write("%-28s %7s" % ("trace", "ops") +
                    "".join(" %10s" % n for n in names) +
                    "  heap/glibc\n")
            worst, worst_name = 0.0, ""
            for r in rows:
                ratio = r["heapmalloc"][0] / max(r["glibc"][0], 1)
                if ratio > worst:
                    worst, worst_name = ratio, r["trace"]
                f.write("%-28s %7d" % (r["trace"], r["ops"]) +
                        "".join(" %10.1f" % (r[n][0] / r["ops"])
                                for n in names) +
                        "  %9.2f\n" % ratio)
        ops = sum(r["ops"] for r in rows)
        s = {"worst": (worst, worst_name)}
        for n in names:
            s[n] = {
                "iop": sum(r[n][0] for r in rows) / ops,
                "util": sum(r[n][1] for r in rows) /
                max(sum(r[n][2] for r in rows), 1),
                "rss": sum(r[n][2] for r in rows),
            }
        summary[suite] = s
    print("== Trace suites through LD_PRELOAD (dropin_replay): "
          "callgrind I/op of malloc/free/realloc, ratio to glibc")
    print("%-9s %-18s" % ("suite", "") + "".join(" %11s" % n for n in names))
    for suite, s in summary.items():
        print("%-9s %-18s" % (suite, "I/op") +
              "".join(" %11.1f" % s[n]["iop"] for n in names))
        print("%-9s %-18s" % ("", "ratio to glibc") +
              "".join(" %11.2f" % (s[n]["iop"] / s["glibc"]["iop"])
                      for n in names))
        print("%-9s %-18s" % ("", "util (payload/RSS)") +
              "".join(" %10.1f%%" % (100 * s[n]["util"]) for n in names))
        print("%-9s %-18s" % ("", "sum peak RSS MiB") +
              "".join(" %11.2f" % (s[n]["rss"] / 2**20) for n in names))
        print("%-9s worst trace for heapmalloc/glibc: %s %.2f" %
              ("", s["worst"][1], s["worst"][0]))
    print("(per trace: %s/dropin-callgrind-SUITE.txt)" % ARGS.out)
    return summary


# ---- 3: real programs --------------------------------------------------------

PY_BENCH = r'''
import json, random
random.seed(3)
class Node:
    __slots__ = ("key", "left", "right")
    def __init__(s, k): s.key, s.left, s.right = k, None, None
def insert(root, k):
    if root is None: return Node(k)
    n = root
    while True:
        if k < n.key:
            if n.left is None: n.left = Node(k); return root
            n = n.left
        else:
            if n.right is None: n.right = Node(k); return root
            n = n.right
total = 0
for rnd in range(6):
    root = None
    for i in range(40000): root = insert(root, random.random())
    d = {"k%d" % i: [i, str(i) * (i % 5), {"x": i}] for i in range(60000)}
    s = json.dumps(d)
    total += len(s) + len(json.loads(s))
    words = sorted(("w%d" % (i * 7919 % 100003)) for i in range(100000))
    total += len(" ".join(words))
print(total)
'''

SQL_BENCH = '''
CREATE TABLE t1(a INTEGER, b INTEGER, c TEXT);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO t1 SELECT i, (i * 7919) % 100003, printf('%d-%s', i, hex(i * 31)) FROM n;
COMMIT;
CREATE INDEX t1b ON t1(b);
CREATE INDEX t1c ON t1(c);
SELECT count(*), sum(a), max(length(c)) FROM t1 WHERE b BETWEEN 1000 AND 60000;
SELECT b % 100 AS k, count(*), sum(a) FROM t1 GROUP BY k ORDER BY k LIMIT 5;
UPDATE t1 SET c = c || 'x' WHERE a % 3 = 0;
DELETE FROM t1 WHERE a % 5 = 0;
SELECT count(*), sum(length(c)) FROM t1;
CREATE TABLE t2 AS SELECT b, group_concat(c) AS g FROM t1 GROUP BY b;
SELECT count(*), sum(length(g)) FROM t2;
'''


FUNCTIONS = 800  # in the file gcc compiles


def prepare_programs(work):
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "bench.py"), "w") as f:
        f.write(PY_BENCH)
    with open(os.path.join(work, "speed.sql"), "w") as f:
        f.write(SQL_BENCH)
    big = os.path.join(work, "big.c")
    with open(big, "w") as f:
        f.write("#include <stdio.h>\n#include <string.h>\n")
        for i in range(FUNCTIONS):
            f.write("struct s%d { int a[%d]; char *p; double d; };\n" %
                    (i, 1 + i % 9))
            f.write("__attribute__((noinline)) int f%d(struct s%d *s, int x)"
                    " { int r = 0; for (int i = 0; i < %d; i++) {"
                    " r += s->a[i] * x + (int)strlen(s->p);"
                    " if (r > %d) r ^= x << (i & 7); else r -= %d; }"
                    " return r + (int)s->d; }\n" %
                    (i, i, 1 + i % 9, i * 13, i))
        f.write("int main(void) { int s = 0;\n")
        for i in range(FUNCTIONS):
            f.write("{ struct s%d v = {{0}, \"x\", %d.0}; s += f%d(&v, %d); }\n"
                    % (i, i, i, i))
        f.write('printf("%d\\n", s); return 0; }\n')
    lines = os.path.join(work, "lines.txt")
    if not os.path.exists(lines):
        import random
        rnd = random.Random(7)
        with open(lines, "w") as f:
            for i in range(1000000):
                f.write("%08d %s\n" % (rnd.randrange(10**8),
                                       "abcdefghij"[:1 + i % 10]))
    data = os.path.join(work, "data.bin")
    if not os.path.exists(data):
        import random
        rnd = random.Random(11)
        words = [("%x" % rnd.getrandbits(24)).encode() for _ in range(5000)]
        with open(data, "wb") as f:
            for _ in range(60):
                f.write(b" ".join(rnd.choice(words) for _ in range(200000)))
    progs = [
        ("python3", ["python3", os.path.join(work, "bench.py")], None),
        ("gcc -O2", ["gcc", "-O2", "-S", "-o", "-", big], None),
        ("sort", ["sort", lines], None),
        ("sqlite3", ["sqlite3", ":memory:"], os.path.join(work, "speed.sql")),
        ("pigz -p 2", ["pigz", "-p", "2", "-c", data], None),
    ]
    return [p for p in progs if which(p[1][0])]


def which(prog):
    return any(os.access(os.path.join(d, prog), os.X_OK)
               for d in os.environ.get("PATH", "").split(":"))


def run_program(cmd, stdin, lib, tmp):
    """Wall seconds, peak RSS (KiB) of the process tree, output digest.
    /usr/bin/time measures the RSS: a child of this script would count the
    script's own resident memory (Linux keeps the high-water mark of the
    process image an exec replaced)."""
    inp = open(stdin, "rb") if stdin else subprocess.DEVNULL
    rss_file = os.path.join(tmp, "rss")
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd,
                         stdin=inp, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env_for(lib))
    h = hashlib.sha1()
    for chunk in iter(lambda: p.stdout.read(1 << 16), b""):
        h.update(chunk)
    err = p.stderr.read()
    status = p.wait()
    wall = time.perf_counter() - t0
    if stdin:
        inp.close()
    if status != 0:
        sys.exit("dropin-bench: %s under %s failed: %s" %
                 (" ".join(cmd), lib or "glibc", err.decode()[-500:]))
    with open(rss_file) as f:
        rss = int(f.read().split()[-1])
    return wall, rss, h.hexdigest()


def programs(args, allocs):
    progs = prepare_programs(os.path.join(args.out, "dropin-work"))
    times = {(p[0], n): [] for p in progs for n, _ in allocs}
    rss = {(p[0], n): [] for p in progs for n, _ in allocs}
    digest = {}
    for rep in range(args.reps):
        for name, cmd, stdin in progs:
            # alternate: a different allocator goes first in each round
            order = allocs[rep % len(allocs):] + allocs[:rep % len(allocs)]
            for n, lib in order:
                w, r, d = run_program(cmd, stdin, lib, args.out)
                times[(name, n)].append(w)
                rss[(name, n)].append(r)
                digest.setdefault(name, {})[n] = d
    return progs, times, rss, digest


def print_programs(progs, times, rss, digest, names):
    print()
    print("== Real programs: median wall time of %d runs alternated across "
          "allocators (s), ratio to glibc; peak RSS (MiB)" % ARGS.reps)
    print("%-10s %-6s" % ("program", "") + "".join(" %11s" % n for n in names))
    summary = {}
    for name, _, _ in progs:
        med = {n: statistics.median(times[(name, n)]) for n in names}
        mem = {n: statistics.median(rss[(name, n)]) for n in names}
        summary[name] = (med, mem)
        print("%-10s %-6s" % (name, "time") +
              "".join(" %11.3f" % med[n] for n in names))
        print("%-10s %-6s" % ("", "ratio") +
              "".join(" %11.2f" % (med[n] / med["glibc"]) for n in names))
        print("%-10s %-6s" % ("", "RSS") +
              "".join(" %11.1f" % (mem[n] / 1024) for n in names))
        same = [n for n in names if digest[name][n] == digest[name]["glibc"]]
        if len(same) != len(names):
            print("%-10s output differs from glibc's under: %s" %
                  ("", ", ".join(n for n in names if n not in same)))
    return summary


# ---- 4: threads ----------------------------------------------------------------

def scaling(args, allocs):
    res = {}
    for rep in range(args.reps):
        order = allocs[rep % len(allocs):] + allocs[:rep % len(allocs)]
        for threads in (1, 2):
            for n, lib in order:
                p = subprocess.run([args.threadbench, str(threads),
                                    str(args.steps)], env=env_for(lib),
                                   capture_output=True, text=True)
                if p.returncode:
                    sys.exit("dropin-bench: threadbench under %s failed: %s"
                             % (lib or "glibc", p.stderr))
                mops = float(p.stdout.split()[-1])
                res.setdefault((n, threads), []).append(mops)
    return {k: statistics.median(v) for k, v in res.items()}


def print_scaling(res, names):
    print()
    print("== threadbench: million malloc+free per second, median of %d "
          "(2 cores shared with other work)" % ARGS.reps)
    print("%-10s" % "threads" + "".join(" %11s" % n for n in names))
    for t in (1, 2):
        print("%-10d" % t + "".join(" %11.1f" % res[(n, t)] for n in names))
    print("%-10s" % "2 vs 1" +
          "".join(" %11.2f" % (res[(n, 2)] / res[(n, 1)]) for n in names))


# ---- Targets -------------------------------------------------------------------

def verdict(ok, missed):
    return "met" if ok else "missed by " + missed


def targets(suite_sum, prog_sum, scale, names):
    print()
    print("== Issue 28's targets")
    others = [n for n in names if n != "heapmalloc"]
    for suite, s in suite_sum.items():
        h, t = s["heapmalloc"]["iop"], s.get("tcmalloc", {}).get("iop")
        if t:
            print("I/op %-8s <= tcmalloc's: %.1f vs %.1f (%.2fx vs %.2fx "
                  "glibc): %s" % (suite, h, t, h / s["glibc"]["iop"],
                                  t / s["glibc"]["iop"],
                                  verdict(h <= t, "%.0f%%" % (100 * (h / t - 1)))))
        w, wn = s["worst"]
        print("no %-8s trace above 1.5x glibc: worst %s %.2f: %s" %
              (suite, wn, w, verdict(w <= 1.5, "%.2f" % (w - 1.5))))
        best = max(others, key=lambda n: s[n]["util"])
        hu, bu = s["heapmalloc"]["util"], s[best]["util"]
        print("utilization %-8s best of all: %.1f%% vs %s %.1f%%: %s" %
              (suite, 100 * hu, best, 100 * bu,
               verdict(hu >= bu, "%.1f points" % (100 * (bu - hu)))))
        low = min(others, key=lambda n: s[n]["rss"])
        hr, lr = s["heapmalloc"]["rss"], s[low]["rss"]
        print("peak RSS %-8s lowest of all: %.2f MiB vs %s %.2f MiB: %s" %
              (suite, hr / 2**20, low, lr / 2**20,
               verdict(hr <= lr, "%.0f%%" % (100 * (hr / lr - 1)))))
    for name, (med, mem) in prog_sum.items():
        r = med["heapmalloc"] / med["glibc"]
        print("%-10s wall within 5%% of glibc: %.2fx: %s" %
              (name, r, verdict(r <= 1.05, "%.0f%%" % (100 * (r - 1.05)))))
        m = mem["heapmalloc"] / mem["glibc"]
        print("%-10s peak RSS <= glibc's: %.2fx: %s" %
              (name, m, verdict(m <= 1.0, "%.0f%%" % (100 * (m - 1)))))
    h, g = scale[("heapmalloc", 2)], scale[("glibc", 2)]
    print("2 threads: throughput >= glibc's: %.1f vs %.1f Mops/s: %s" %
          (h, g, verdict(h >= g, "%.0f%%" % (100 * (1 - h / g)))))


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--heapmalloc", required=True)
    ap.add_argument("--replay", required=True)
    ap.add_argument("--threadbench", required=True)
    ap.add_argument("--traces", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--steps", type=int, default=3000000)
    ap.add_argument("--only", default="suites,programs,threads")
    ARGS = args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    allocs = [("glibc", None), ("heapmalloc", os.path.abspath(args.heapmalloc))]
    for name, so in PEERS:
        path = os.path.join(LIBDIR, so)
        if os.path.exists(path):
            allocs.append((name, path))
        else:
            print("%s: %s is not installed (tools/install-deps.sh "
                  "bench-dropin)" % (name, path))
    names = [n for n, _ in allocs]
    args.trace_lists = {}
    for suite in SUITES:
        with open(os.path.join(args.traces, suite + ".list")) as f:
            args.trace_lists[suite] = [os.path.join(args.traces, l.strip())
                                       for l in f if l.strip()]
    print("load: %s" % open("/proc/loadavg").read().strip())
    only = args.only.split(",")
    suite_sum, prog_sum, scale = {}, {}, None
    if "suites" in only:
        suite_sum = print_suites(suites(args, allocs), names)
        sys.stdout.flush()
    if "programs" in only:
        prog_sum = print_programs(*programs(args, allocs), names)
        sys.stdout.flush()
    if "threads" in only:
        scale = scaling(args, allocs)
        print_scaling(scale, names)
    if scale and suite_sum and prog_sum:
        targets(suite_sum, prog_sum, scale, names)
    print("load: %s" % open("/proc/loadavg").read().strip())


if __name__ == "__main__":
    main()
