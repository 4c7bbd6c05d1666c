#!/usr/bin/env python3
"""The kernel's include graph, and the layering it must keep.

A module is a source file and its header (kernel/trap.c and kernel/trap.h
are the module kernel/trap); a header with no source of its own, named
after a module (mm/heap_block.h, private to heap.c), belongs to it. An
arrow A -> B means a file of A includes a header of B. The kernel's
folders are layers, lowest first:

    lib/           shared with the user library and the host: includes
                   nothing of the kernel
    kernel/arch/   CPU instructions and tables
    mm/            frames, page tables, the allocators
    drivers/       the devices
    kernel/        policy: traps, processes, system calls, kmain

An arrow points down or sideways, never up, with two exceptions that
every layer may use: kernel/panic.h and kernel/kprintf.h (a bug must be
reported from anywhere). Drivers may also register an interrupt handler
(kernel/irq.h). No file of the kernel includes tests/ (the tests are
linked into build/kernel-test.elf only), and user/ includes nothing of
the kernel (lib/abi.h is the boundary).

Every check is a TAP line (make test runs this as a suite); a last one
plants a forbidden include in each layer and checks that it is caught.
Cycles inside kernel/ are listed, not failed.

usage: tools/include-graph.py [--root DIR]          TAP: the checks
       tools/include-graph.py [--root DIR] --dot    the picture (Graphviz)
       tools/include-graph.py [--root DIR] --summary  modules, cycles
"""
import os
import re
import sys

FOLDERS = ("boot", "kernel", "mm", "drivers", "lib")
# Headers every layer may include: reporting a bug, printing.
EVERYONE_MAY = ("kernel/panic.h", "kernel/kprintf.h")
INCLUDE = re.compile(r'^\s*[#%]\s*include\s+"([^"]+)"', re.MULTILINE)


def layer(path):
    """The layer a file or module belongs to."""
    if path.startswith("kernel/arch/"):
        return "arch"
    top = path.split("/", 1)[0]
    return {"boot": "kernel"}.get(top, top)


# What each layer may include besides its own layer and EVERYONE_MAY:
# a layer name, or a header's path.
MAY_INCLUDE = {
    "lib": (),
    "arch": ("lib",),
    "mm": ("lib", "arch"),
    "drivers": ("lib", "arch", "mm", "kernel/irq.h"),
    "kernel": ("lib", "arch", "mm", "drivers"),
}
WHY = {
    "lib": "lib/ is built for the kernel, the user library and the host "
    "alike",
    "arch": "kernel/arch/ holds CPU helpers that everything may use",
    "mm": "mm/ sits under kernel/: it is handed what it needs (kmain "
    "reads the command line and the memory map)",
    "drivers": "a driver registers its interrupt through kernel/irq.h",
    "kernel": "the kernel includes only its own folders (its interface "
    "with user code is lib/abi.h)",
}


def read_sources(root, folders=FOLDERS):
    """{path: text} of every .c, .h and .asm file under the folders."""
    files = {}
    for folder in folders:
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if name.endswith((".c", ".h", ".asm")):
                    full = os.path.join(dirpath, name)
                    rel = os.path.relpath(full, root)
                    with open(full, encoding="utf-8") as f:
                        files[rel] = f.read()
    return files


def includes(files):
    """[(file, included path)] for every quoted include."""
    return [(path, inc) for path, text in sorted(files.items())
            for inc in INCLUDE.findall(text)]


_private = {}


def module(path):
    """The module of a file: its path without the extension, or for a
    private header (X_Y.h with no X_Y.c, beside an X.c) module X."""
    stem = os.path.splitext(path)[0]
    return _private.get(stem, stem)


def find_private_headers(files):
    _private.clear()
    for path in files:
        stem = os.path.splitext(path)[0]
        if not path.endswith(".h") or stem + ".c" in files:
            continue
        owner = stem
        while "_" in os.path.basename(owner):
            owner = owner.rsplit("_", 1)[0]
            if owner + ".c" in files:
                _private[stem] = owner
                break


def allowed(src, inc):
    """None if src may include inc, else why not."""
    if inc.startswith("tests/"):
        return ("the kernel's tests are linked into build/kernel-test.elf "
                "only: kmain reaches them through kernel/selftest.h")
    if inc in EVERYONE_MAY:
        return None
    have, want = layer(src), layer(inc)
    if have == want or want in MAY_INCLUDE[have] or inc in MAY_INCLUDE[have]:
        return None
    return WHY[have]


def graph(files, with_everyone_may=True):
    """{module: set of modules it includes} (no arrow to itself)."""
    arrows = {module(p): set() for p in files}
    for src, inc in includes(files):
        if not with_everyone_may and inc in EVERYONE_MAY:
            continue
        a, b = module(src), module(inc)
        if a != b and b in arrows:
            arrows[a].add(b)
    return arrows


def cycles(arrows):
    """The strongly connected components of more than one module (Tarjan),
    each sorted, largest first."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(arrows[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(arrows):
        if v not in index:
            visit(v)
    return sorted(found, key=lambda c: (-len(c), c))


def checks(files, user_files, exists):
    """[(description, [problems])]: a check passes with no problems.
    files: the kernel's sources; user_files: user/'s; exists(path): true
    for a file of the tree."""
    results = []
    unresolved = ["%s includes \"%s\", which is not a file of the tree "
                  "(includes are rooted at the repository)" % (src, inc)
                  for src, inc in includes(files)
                  if inc not in files and not exists(inc)]
    results.append(("every include of the kernel's folders names a file of "
                    "the tree", unresolved))
    names = {
        "lib": "lib/ includes nothing outside lib/",
        "arch": "kernel/arch/ includes only kernel/arch/ and lib/",
        "mm": "mm/ includes nothing of kernel/ but kernel/arch/, panic.h "
        "and kprintf.h, nothing of drivers/",
        "drivers": "drivers/ include nothing of kernel/ but kernel/arch/, "
        "irq.h, panic.h and kprintf.h",
        "kernel": "kernel/ and boot/ include only the kernel's folders",
    }
    tests = [(src, inc) for src, inc in includes(files)
             if inc.startswith("tests/")]
    for which, description in names.items():
        bad = ["%s includes %s: %s" % (src, inc, allowed(src, inc))
               for src, inc in includes(files)
               if layer(src) == which and allowed(src, inc)
               and (src, inc) not in tests]
        results.append((description, bad))
    bad = ["%s includes %s: %s" % (src, inc, allowed(src, inc))
           for src, inc in tests]
    results.append(("no file of the kernel includes tests/", bad))
    bad = []
    for c in cycles(graph(files, with_everyone_may=False)):
        if any(layer(m) != "kernel" for m in c):
            bad.append("a cycle of %d modules: %s" % (len(c), " ".join(c)))
    results.append((CYCLE_CHECK, bad))
    bad = ["%s includes %s: user code sees the kernel only through "
           "lib/abi.h" % (src, inc)
           for src, inc in includes(user_files)
           if inc.split("/", 1)[0] in ("kernel", "drivers", "boot")]
    results.append(("user/ includes nothing of kernel/, drivers/ or boot/",
                    bad))
    return results


CYCLE_CHECK = ("no include cycle through lib/, kernel/arch/, mm/ or "
               "drivers/ (arrows to panic.h and kprintf.h set aside)")


def self_test(files, user_files, exists):
    """The checks catch what they are for, in a copy of the tree with
    planted includes: [] if every one is reported by the check meant for
    it, else what was missed."""
    planted = dict(files)
    planted_user = dict(user_files)
    plants = [  # (file, its text, the check that must report it)
        ("lib/planted.c", '#include "mm/pmm.h"\n', 1),
        ("kernel/arch/planted.c", '#include "mm/vmm.h"\n', 2),
        ("mm/planted.c", '#include "kernel/trap.h"\n'
         '#include "mm/planted.h"\n', 3),
        ("drivers/planted.c", '#include "kernel/trap.h"\n', 4),
        ("kernel/planted.c", '#include "user/include/unistd.h"\n', 5),
        ("kernel/planted2.c", '#include "tests/kernel/ktest.h"\n', 6),
        ("mm/planted.h", "", 7),  # kernel/trap.h includes it: a cycle
        ("user/planted.c", '#include "kernel/process.h"\n', 8),
    ]
    for path, text, _ in plants:
        (planted_user if path.startswith("user/") else planted)[path] = text
    planted["kernel/trap.h"] = (files.get("kernel/trap.h", "") +
                                '\n#include "mm/planted.h"\n')
    find_private_headers(planted)
    results = checks(planted, planted_user, exists)
    find_private_headers(files)
    missed = []
    for path, _, check in plants:
        description, problems = results[check]
        if not any(p.startswith(path + " ") or " %s " % module(path) in
                   " %s " % p for p in problems):
            missed.append("planted %s: not reported by \"%s\"" %
                          (path, description))
    return missed


def summary(files):
    full = graph(files)
    lines = ["%d modules, %d arrows" % (len(full),
                                        sum(len(v) for v in full.values()))]
    for title, arrows in (("every arrow", full),
                          ("arrows to panic.h and kprintf.h set aside",
                           graph(files, with_everyone_may=False))):
        found = cycles(arrows)
        lines.append("cycles, %s: %s" % (title, ", ".join(
            str(len(c)) for c in found) or "none"))
        for c in found:
            lines.append("  %d: %s" % (len(c), " ".join(c)))
    return lines


def dot(files):
    """The module graph as Graphviz dot text: one box per layer, the
    arrows to panic and kprintf dashed, forbidden ones red."""
    arrows = graph(files)
    why = {}
    for src, inc in includes(files):
        if allowed(src, inc):
            why[(module(src), module(inc))] = True
    out = ["digraph includes {", "\tnode [shape=box, fontsize=10];"]
    for name in ("kernel", "drivers", "mm", "arch", "lib"):
        out.append("\tsubgraph \"cluster_%s\" {" % name)
        out.append("\t\tlabel=\"%s\";" % name)
        for m in sorted(arrows):
            if layer(m) == name:
                out.append("\t\t\"%s\";" % m)
        out.append("\t}")
    everyone = {module(h) for h in EVERYONE_MAY}
    for a in sorted(arrows):
        for b in sorted(arrows[a]):
            style = ""
            if (a, b) in why:
                style = " [color=red]"
            elif b in everyone and layer(a) != "kernel":
                style = " [style=dashed, color=grey]"
            out.append("\t\"%s\" -> \"%s\"%s;" % (a, b, style))
    out.append("}")
    return out


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    mode = "tap"
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--root" and args:
            root = args.pop(0)
        elif a in ("--dot", "--summary"):
            mode = a[2:]
        else:
            print(__doc__.strip(), file=sys.stderr)
            return 2
    files = read_sources(root)
    user_files = read_sources(root, ("user",))
    find_private_headers(files)

    def exists(path):
        return os.path.isfile(os.path.join(root, path))

    if mode == "dot":
        print("\n".join(dot(files)))
        return 0
    if mode == "summary":
        print("\n".join(summary(files)))
        return 0
    results = checks(files, user_files, exists)
    results.append(("the checks catch a forbidden include or cycle planted "
                    "in each layer", self_test(files, user_files, exists)))
    failed = 0
    for n, (description, problems) in enumerate(results, 1):
        if problems:
            failed += 1
            print("not ok %d - %s" % (n, description))
            for p in problems:
                print("#   %s" % p)
        else:
            print("ok %d - %s" % (n, description))
    for line in summary(files):
        print("# " + line)
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
