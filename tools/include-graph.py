#!/usr/bin/env python3
"""The kernel's include graph, and the layering it must keep.

A module is a source file and its header (kernel/trap.c and kernel/trap.h
are the module kernel/trap); a header of its own with no source, named
after a module (mm/heap_block.h, private to heap.c), belongs to it. An
arrow A -> B means a file of A includes a header of B. The kernel's folders are layers, lowest first:

    lib/           shared with the user library and the host: includes
                   nothing of the kernel
    kernel/arch/   CPU instructions and tables
    mm/            frames, page tables, the allocators
    drivers/       the devices
    kernel/        policy: traps, processes, system calls, kmain

An arrow points down or sideways, never up, with two exceptions that
every layer may use: kernel/panic.h and kernel/kprintf.h (a bug must be
reported from anywhere). Drivers may also register an interrupt handler
(kernel/irq.h). And no file of the kernel includes tests/: the tests are
linked into build/kernel-test.elf only.

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
    "kernel": "",
}


def read_sources(root):
    """{path: text} of every .c, .h and .asm file of the kernel's folders."""
    files = {}
    for folder in FOLDERS:
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
    return WHY[have] or "a %s/ file may not include %s" % (have, inc)


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


def checks(files):
    """[(description, [problems])]: a check passes with no problems."""
    results = []
    unresolved = ["%s includes \"%s\", which is not a file of the tree "
                  "(includes are rooted at the repository)" % (src, inc)
                  for src, inc in includes(files)
                  if inc not in files and not inc.startswith("tests/")]
    results.append(("every include of the kernel's folders names a file of "
                    "the tree", unresolved))
    names = {
        "lib": "lib/ includes nothing outside lib/",
        "arch": "kernel/arch/ includes only kernel/arch/ and lib/",
        "mm": "mm/ includes nothing of kernel/ but kernel/arch/, panic.h "
        "and kprintf.h, nothing of drivers/",
        "drivers": "drivers/ include nothing of kernel/ but kernel/arch/, "
        "irq.h, panic.h and kprintf.h",
    }
    for which, description in names.items():
        bad = []
        for src, inc in includes(files):
            why = allowed(src, inc)
            if layer(src) == which and why and not inc.startswith("tests/"):
                bad.append("%s includes %s: %s" % (src, inc, why))
        results.append((description, bad))
    bad = ["%s includes %s: %s" % (src, inc, allowed(src, inc))
           for src, inc in includes(files) if inc.startswith("tests/")]
    results.append(("no file of the kernel includes tests/", bad))
    bad = []
    for kernel_only in ("kernel",):
        bad += ["%s includes %s: %s" % (src, inc, allowed(src, inc))
                for src, inc in includes(files)
                if layer(src) == kernel_only and allowed(src, inc)
                and not inc.startswith("tests/")]
    results.append(("kernel/ includes only the layers under it", bad))
    bad = []
    for c in cycles(graph(files, with_everyone_may=False)):
        if any(layer(m) != "kernel" for m in c):
            bad.append("a cycle of %d modules: %s" % (len(c), " ".join(c)))
    results.append(("no include cycle through lib/, kernel/arch/, mm/ or "
                    "drivers/ (arrows to panic.h and kprintf.h set aside)",
                    bad))
    return results


def self_test(files):
    """The checks catch what they are for: an mm/ file that includes
    kernel/trap.h, a driver that includes kernel/trap.h, a cycle through
    mm/ and kernel/, and a kernel file that includes tests/. []: they do,
    else what was missed."""
    missed = []
    planted = dict(files)
    planted["mm/planted.c"] = ('#include "kernel/trap.h"\n'
                               '#include "mm/planted.h"\n')
    planted["mm/planted.h"] = ""
    planted["kernel/trap.h"] = (files.get("kernel/trap.h", "") +
                                '\n#include "mm/planted.h"\n')
    planted["drivers/planted.c"] = '#include "kernel/trap.h"\n'
    planted["kernel/planted.c"] = '#include "tests/kernel/ktest.h"\n'
    find_private_headers(planted)
    results = dict(checks(planted))
    find_private_headers(files)
    for description, needle in (
            ("mm/ includes nothing of kernel/ but kernel/arch/, panic.h "
             "and kprintf.h, nothing of drivers/", "mm/planted.c includes "
             "kernel/trap.h"),
            ("drivers/ include nothing of kernel/ but kernel/arch/, irq.h, "
             "panic.h and kprintf.h", "drivers/planted.c includes "),
            ("no file of the kernel includes tests/", "kernel/planted.c"),
            ("no include cycle through lib/, kernel/arch/, mm/ or "
             "drivers/ (arrows to panic.h and kprintf.h set aside)",
             "mm/planted")):
        if not any(needle in p for p in results[description]):
            missed.append("planted \"%s\": not reported by \"%s\"" %
                          (needle, description))
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
    out = ["digraph includes {", "\trankdir=BT;",
           "\tnode [shape=box, fontsize=10];"]
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
    find_private_headers(files)
    if mode == "dot":
        print("\n".join(dot(files)))
        return 0
    if mode == "summary":
        print("\n".join(summary(files)))
        return 0
    results = checks(files)
    results.append(("the checks catch a planted forbidden include and "
                    "cycle", self_test(files)))
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
