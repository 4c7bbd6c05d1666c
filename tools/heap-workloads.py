#!/usr/bin/env python3
"""heap-workloads.py - writes the project's own allocator workloads as
malloc-lab trace files (.rep) for heapbench: small objects, mixed sizes,
realloc growth, a binary tree, random, and phase changes. Deterministic.

usage: tools/heap-workloads.py OUTDIR
"""
import os
import random
import sys


class Trace:
    """Collects operations; ids are reused only after a free."""

    def __init__(self):
        self.ops = []
        self.next_id = 0
        self.live = {}

    def alloc(self, size):
        i = self.next_id
        self.next_id += 1
        self.ops.append("a %d %d" % (i, size))
        self.live[i] = size
        return i

    def free(self, i):
        self.ops.append("f %d" % i)
        del self.live[i]

    def realloc(self, i, size):
        self.ops.append("r %d %d" % (i, size))
        self.live[i] = size

    def free_all(self):
        for i in list(self.live):
            self.free(i)

    def write(self, path):
        with open(path, "w") as f:
            # heap size hint, ids, operations, weight
            f.write("0\n%d\n%d\n1\n" % (self.next_id, len(self.ops)))
            f.write("\n".join(self.ops) + "\n")


def small_objects(rng):
    """Many 8..64-byte objects, freed in random order in waves."""
    t = Trace()
    for _ in range(20):
        ids = [t.alloc(rng.choice((8, 16, 24, 32, 40, 48, 64)))
               for _ in range(1500)]
        rng.shuffle(ids)
        for i in ids[:1200]:
            t.free(i)
    t.free_all()
    return t


def mixed_sizes(rng):
    """Log-uniform sizes from 1 byte to 64 KiB, a working set of ~2000."""
    t = Trace()
    live = []
    for _ in range(40000):
        if live and (len(live) > 2000 or rng.random() < 0.45):
            t.free(live.pop(rng.randrange(len(live))))
        else:
            live.append(t.alloc(int(2 ** rng.uniform(0, 16))))
    t.free_all()
    return t


def realloc_growth(rng):
    """Buffers that grow by doubling or by small steps, among other blocks."""
    t = Trace()
    bufs = [t.alloc(16) for _ in range(40)]
    sizes = [16] * 40
    others = []
    for step in range(20000):
        k = rng.randrange(40)
        if rng.random() < 0.1:
            sizes[k] = min(sizes[k] * 2, 1 << 20)
        else:
            sizes[k] += rng.randrange(1, 64)
        if sizes[k] > (1 << 20):
            sizes[k] = 16
        t.realloc(bufs[k], sizes[k])
        if step % 3 == 0:
            others.append(t.alloc(rng.randrange(8, 200)))
        if len(others) > 300:
            t.free(others.pop(rng.randrange(len(others))))
    t.free_all()
    return t


def binary_tree(rng):
    """Build and tear down binary trees: nodes plus a payload per node."""
    t = Trace()
    for depth in (12, 14, 13, 15):
        nodes = []
        for _ in range(2 ** depth - 1):
            nodes.append(t.alloc(32))
            nodes.append(t.alloc(rng.choice((16, 48, 100))))
        # free the payloads first (holes), then allocate bigger ones
        payloads = nodes[1::2]
        for i in payloads:
            t.free(i)
        bigger = [t.alloc(128) for _ in range(len(payloads) // 2)]
        for i in nodes[0::2] + bigger:
            t.free(i)
    return t


def random_ops(rng):
    """Uniformly random sizes and operations, up to 4 KiB."""
    t = Trace()
    live = []
    for _ in range(50000):
        r = rng.random()
        if live and r < 0.4:
            t.free(live.pop(rng.randrange(len(live))))
        elif live and r < 0.55:
            t.realloc(rng.choice(live), rng.randrange(1, 4096))
        else:
            live.append(t.alloc(rng.randrange(1, 4096)))
    t.free_all()
    return t


def phase_changes(rng):
    """A program whose size mix changes: small, then large, then small."""
    t = Trace()
    for lo, hi, count in ((8, 64, 20000), (1024, 16384, 2000),
                          (16, 128, 20000), (100000, 400000, 40),
                          (8, 256, 20000)):
        live = []
        for _ in range(count):
            live.append(t.alloc(rng.randrange(lo, hi)))
            if len(live) > count // 4 and rng.random() < 0.6:
                t.free(live.pop(rng.randrange(len(live))))
        keep = live[: len(live) // 10]  # survivors pin the old phase
        for i in live[len(live) // 10:]:
            t.free(i)
    t.free_all()
    return t


WORKLOADS = [small_objects, mixed_sizes, realloc_growth, binary_tree,
             random_ops, phase_changes]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for n, make in enumerate(WORKLOADS):
        trace = make(random.Random(1000 + n))
        trace.write(os.path.join(out, make.__name__.replace("_", "-") +
                                 ".rep"))


if __name__ == "__main__":
    main()
