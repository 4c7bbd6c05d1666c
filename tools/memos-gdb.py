# gdb helpers for memos (loaded by .gdbinit): memos-ps, memos-pt,
# memos-heap, memos-regions and memos-user. Standard gdb Python API only;
# docs/gdb.md shows each one on a real session.
#
# Constants are not copied here: the page-table bits come from
# mm/paging.h, the heap's tag layout and HEAP_MAGIC from mm/heap_block.h
# (both read when this file is loaded), KERNEL_VMA from the kernel's own
# symbol table, struct trap_frame's field offsets from its type in the
# kernel's debug information.
import os
import re

import gdb
from gdb.unwinder import Unwinder, register_unwinder

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE_SIZE = 4096
ENTRIES = 1024


def header_defines(path, names):
    """The values of `#define NAME 0x...u` (or decimal, or C's octal: a
    leading 0) lines of a header, and of `#define NAME (0x...u << OTHER)`
    for an OTHER already read."""
    values = {}
    with open(os.path.join(REPO, path)) as f:
        for line in f:
            m = re.match(r"#define (\w+) (0x[0-9a-fA-F]+|[0-9]+)u?"
                         r"\s*(/\*.*)?$",
                         line)
            if m:
                number = m.group(2)
                octal = len(number) > 1 and number[0] == "0" and \
                    number[1] not in "xX"
                values[m.group(1)] = int(number, 8 if octal else 0)
                continue
            m = re.match(r"#define (\w+) \((0x[0-9a-fA-F]+)u << (\w+)\)",
                         line)
            if m and m.group(3) in values:
                values[m.group(1)] = int(m.group(2), 0) << values[m.group(3)]
    missing = [n for n in names if n not in values]
    if missing:
        raise gdb.GdbError("memos: %s defines no %s: tools/memos-gdb.py "
                           "needs updating" % (path, ", ".join(missing)))
    return values


PTE_BITS = header_defines("mm/paging.h",
                          ["PTE_PRESENT", "PTE_WRITABLE", "PTE_USER",
                           "PTE_ACCESSED", "PTE_DIRTY", "PTE_COW",
                           "PTE_FRAME_MASK"])
PTE_FRAME_MASK = PTE_BITS["PTE_FRAME_MASK"]
# The order flags are printed in; PS (4 MiB page) is the CPU's bit 7.
PTE_NAMES = [(PTE_BITS[n], n) for n in
             ["PTE_PRESENT", "PTE_WRITABLE", "PTE_USER", "PTE_ACCESSED",
              "PTE_DIRTY", "PTE_COW"]]
PDE_PS = 0x80

TAG = header_defines("mm/heap_block.h",
                     ["TAG_USED", "TAG_PREV_FREE", "TAG_CHECK_SHIFT",
                      "TAG_MAGIC", "TAG_QUICK_FLIP", "HEAP_MAGIC"])

# A region's rights (mm/region.h: REGION_READ is PAGEINFO_READ, ...).
RIGHTS = header_defines("lib/abi.h",
                        ["PAGEINFO_READ", "PAGEINFO_WRITE", "PAGEINFO_EXEC"])


def flag_names(entry):
    names = [name for bit, name in PTE_NAMES if entry & bit]
    return " ".join(names) if names else "-"


def u32(value):
    return int(value) & 0xFFFFFFFF


def symbol_value(name):
    """An absolute symbol of the kernel (ld --defsym), e.g. KERNEL_VMA."""
    return u32(gdb.parse_and_eval("(unsigned int)&%s" % name))


def kernel_static(expr):
    try:
        return gdb.parse_and_eval(expr)
    except gdb.error as e:
        raise gdb.GdbError("memos: cannot read %s (%s): is build/kernel.elf "
                           "loaded (`file build/kernel.elf`)?" % (expr, e))


# ---- Physical memory --------------------------------------------------------

def read_phys(pa, size):
    """size bytes of physical memory at pa. What the boot code mapped
    (physical 0 to the end of the kernel image, at KERNEL_VMA) is read
    through that mapping; anything else (frames from the PMM: user page
    directories and tables) through QEMU's physical-memory mode of its gdb
    stub (the Qqemu.PhyMemMode packet)."""
    vma = symbol_value("KERNEL_VMA")
    direct_end = u32(gdb.parse_and_eval("(unsigned int)&_kernel_end")) - vma
    inferior = gdb.selected_inferior()
    if pa + size <= direct_end:
        return bytes(inferior.read_memory(vma + pa, size))
    reply = gdb.execute("maintenance packet Qqemu.PhyMemMode:1",
                        to_string=True)
    if '"OK"' not in reply:
        raise gdb.GdbError("memos: the gdb stub cannot read physical memory "
                           "(0x%08x): only QEMU's can" % pa)
    try:
        data = bytes(inferior.read_memory(pa, size))
    finally:
        gdb.execute("maintenance packet Qqemu.PhyMemMode:0", to_string=True)
        gdb.execute("maintenance flush dcache", to_string=True)
    return data


def read_table(pa):
    data = read_phys(pa & PTE_FRAME_MASK, PAGE_SIZE)
    return [int.from_bytes(data[i:i + 4], "little")
            for i in range(0, PAGE_SIZE, 4)]


# ---- Processes --------------------------------------------------------------

def processes():
    """Every process on the list (kernel/process.c), then the idle task,
    which is not on it (kernel/sched.c)."""
    p = kernel_static("'kernel/process.c'::all_processes")
    while u32(p) != 0:
        yield p
        p = p["next"]
    idle = kernel_static("'kernel/sched.c'::idle_task")
    if u32(idle) != 0:
        yield idle


def current_process():
    return kernel_static("'kernel/sched.c'::current")


def find_process(pid):
    for p in processes():
        if int(p["pid"]) == pid:
            return p
    raise gdb.GdbError("memos: no process has pid %d (memos-ps lists them)"
                       % pid)


def process_name(p):
    return p["name"].string()


class MemosPs(gdb.Command):
    """memos-ps: every process: pid, name, state, parent, page directory.
A * marks the current one (kernel/sched.c's current)."""

    def __init__(self):
        super().__init__("memos-ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        current = u32(current_process())
        print("  %4s  %-16s %-14s %6s  %-10s" %
              ("pid", "name", "state", "parent", "page dir"))
        for p in processes():
            parent = p["parent"]
            ppid = str(int(parent["pid"])) if u32(parent) else "-"
            kind = " (kernel task)" if bool(p["is_kernel_task"]) else ""
            print("%s %4d  %-16s %-14s %6s  0x%08x%s" %
                  ("*" if u32(p) == current else " ", int(p["pid"]),
                   process_name(p), str(p["state"]), ppid,
                   u32(p["vm"]["pgdir"]), kind))


# ---- Page tables ------------------------------------------------------------

def page_directory(arg):
    """Parses [-p PID] [ADDR]: the page directory (physical) and ADDR."""
    words = gdb.string_to_argv(arg)
    pd = None
    if len(words) >= 2 and words[0] == "-p":
        p = find_process(int(words[1], 0))
        pd = u32(p["vm"]["pgdir"])
        words = words[2:]
    if pd is None:
        pd = u32(gdb.parse_and_eval("$cr3")) & PTE_FRAME_MASK
    addr = None
    if words:
        addr = u32(gdb.parse_and_eval(" ".join(words)))
    return pd, addr


def translate(pd, va):
    pdx, ptx = va >> 22, (va >> 12) & 0x3FF
    pde = read_table(pd)[pdx]
    print("0x%08x: page directory 0x%08x, PDE %d = 0x%08x (%s)" %
          (va, pd, pdx, pde, flag_names(pde)))
    if not pde & PTE_BITS["PTE_PRESENT"]:
        print("0x%08x is not mapped (no page table)" % va)
        return
    if pde & PDE_PS:
        pa = (pde & 0xFFC00000) | (va & 0x3FFFFF)
        print("0x%08x -> 0x%08x (4 MiB page, %s)" % (va, pa,
                                                    flag_names(pde)))
        return
    pte = read_table(pde)[ptx]
    print("0x%08x: page table 0x%08x, PTE %d = 0x%08x (%s)" %
          (va, pde & PTE_FRAME_MASK, ptx, pte, flag_names(pte)))
    if not pte & PTE_BITS["PTE_PRESENT"]:
        print("0x%08x is not mapped (PTE not present)" % va)
        return
    pa = (pte & PTE_FRAME_MASK) | (va & 0xFFF)
    print("0x%08x -> 0x%08x (%s)" % (va, pa, flag_names(pte)))


def mappings(pd):
    """(va, pa, flags) of every present page, in address order."""
    mask = PTE_BITS["PTE_PRESENT"] | PTE_BITS["PTE_WRITABLE"] | \
        PTE_BITS["PTE_USER"] | PTE_BITS["PTE_COW"]
    for pdx, pde in enumerate(read_table(pd)):
        if not pde & PTE_BITS["PTE_PRESENT"]:
            continue
        if pde & PDE_PS:
            for i in range(ENTRIES):
                yield ((pdx << 22) + i * PAGE_SIZE,
                       (pde & 0xFFC00000) + i * PAGE_SIZE, pde & mask)
            continue
        for ptx, pte in enumerate(read_table(pde)):
            if pte & PTE_BITS["PTE_PRESENT"]:
                yield ((pdx << 22) | (ptx << 12), pte & PTE_FRAME_MASK,
                       pte & pde & mask | pte & PTE_BITS["PTE_COW"])


def walk(pd):
    """Prints runs of pages that map consecutive frames with the same
    flags, one line each."""
    print("page directory 0x%08x:" % pd)
    run = None
    count = 0

    def show(run):
        va, pa, flags, pages = run
        print("  %08x-%08x -> %08x-%08x %5d pages  %s" %
              (va, va + pages * PAGE_SIZE, pa, pa + pages * PAGE_SIZE,
               pages, flag_names(flags)))

    for va, pa, flags in mappings(pd):
        count += 1
        if run and run[0] + run[3] * PAGE_SIZE == va and \
                run[1] + run[3] * PAGE_SIZE == pa and run[2] == flags:
            run[3] += 1
            continue
        if run:
            show(run)
        run = [va, pa, flags, 1]
    if run:
        show(run)
    print("%d pages mapped (flags: what the directory and table entries "
          "allow together)" % count)


class MemosPt(gdb.Command):
    """memos-pt [-p PID] [ADDR]: the page tables of the current address
space (CR3), or of process PID. With ADDR: how ADDR translates (its PDE
and PTE with their flags). Without: every mapping, consecutive pages with
consecutive frames and the same flags on one line."""

    def __init__(self):
        super().__init__("memos-pt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        pd, addr = page_directory(arg)
        if addr is None:
            walk(pd)
        else:
            translate(pd, addr)


# ---- The kernel heap --------------------------------------------------------

class MemosHeap(gdb.Command):
    """memos-heap: the kernel heap's blocks (mm/kheap.c's kernel_heap, walked
from its first block to the epilogue by the tags of mm/heap_block.h):
address, size, and used, free, or quick (freed, waiting on a quick list).
Ends with the totals, whether the tags look right, and the verdict of the
kernel's own heap_check (run with gdb's call, in ring 0 only)."""

    def __init__(self):
        super().__init__("memos-heap", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        heap = kernel_static("'mm/kheap.c'::kernel_heap")
        if u32(heap["magic"]) != TAG["HEAP_MAGIC"]:
            print("the kernel heap is not set up yet (kheap_init has not "
                  "run)")
            return
        align = 2 * gdb.lookup_type("void").pointer().sizeof  # HEAP_ALIGN
        shift = TAG["TAG_CHECK_SHIFT"]
        size_mask = ~(0xF << shift) & ~(align - 1) & 0xFFFFFFFF
        magic = TAG["TAG_MAGIC"] >> shift
        quick = (TAG["TAG_MAGIC"] ^ TAG["TAG_QUICK_FLIP"]) >> shift
        inferior = gdb.selected_inferior()

        def tag(addr):
            return int.from_bytes(inferior.read_memory(addr, 4), "little")

        block = u32(heap["first"])
        epilogue = u32(heap["epilogue"])
        totals = {"used": [0, 0], "free": [0, 0], "quick": [0, 0]}
        problems = []
        prev_free = False
        print("  %-10s %8s  %s" % ("block", "size", "state"))
        while True:
            t = tag(block)
            size = t & size_mask
            check = t >> shift
            if check not in (magic, quick):
                problems.append("0x%08x: tag 0x%08x has no magic" %
                                (block, t))
                break
            if bool(t & TAG["TAG_PREV_FREE"]) != prev_free:
                problems.append("0x%08x: PREV_FREE says %s, the block "
                                "below is %s" %
                                (block, bool(t & TAG["TAG_PREV_FREE"]),
                                 "free" if prev_free else "not free"))
            if size == 0:
                if block != epilogue:
                    problems.append("0x%08x: size 0 before the epilogue "
                                    "0x%08x" % (block, epilogue))
                break
            if check == quick:
                state = "quick"
            elif t & TAG["TAG_USED"]:
                state = "used"
            else:
                state = "free"
                if tag(block + size - 4) != t:
                    problems.append("0x%08x: footer differs from header" %
                                    block)
            print("  0x%08x %8d  %s" % (block, size, state))
            totals[state][0] += 1
            totals[state][1] += size
            prev_free = state == "free"
            block += size
            if block > epilogue:
                problems.append("a block runs past the epilogue 0x%08x" %
                                epilogue)
                break
        print("heap 0x%08x-0x%08x: %d used blocks (%d bytes), %d free "
              "(%d bytes), %d quick (%d bytes)" %
              (u32(heap["base"]), epilogue + 4,
               totals["used"][0], totals["used"][1],
               totals["free"][0], totals["free"][1],
               totals["quick"][0], totals["quick"][1]))
        if problems:
            for p in problems:
                print("heap walk: " + p)
        else:
            print("heap walk: ok (tags, footers and PREV_FREE bits agree)")
        print(heap_check_verdict())


def heap_check_verdict():
    """Runs the kernel's own kheap_check (mm/kheap.c) with gdb's `call`,
    which also checks the free and quick lists, and returns its verdict.
    Its message buffer is carved below the stack pointer; the stack
    pointer and the flags (interrupts off for the call) are put back."""
    if int(gdb.parse_and_eval("$cs")) & 3:
        return ("heap_check: not run: the CPU is in ring 3 (stop in the "
                "kernel to run it, e.g. break kmalloc)")
    size = 256
    old_sp = u32(gdb.parse_and_eval("$sp"))
    old_flags = int(gdb.parse_and_eval("$eflags"))
    buf = old_sp - size
    try:
        gdb.execute("set $sp = 0x%x" % buf)
        gdb.execute("set $eflags = 0x%x" % (old_flags & ~0x200))
        err = int(gdb.parse_and_eval("kheap_check((char *)0x%x, %d)" %
                                     (buf, size)))
        msg = gdb.parse_and_eval("(char *)0x%x" % buf).string()
    finally:
        gdb.execute("set $sp = 0x%x" % old_sp)
        gdb.execute("set $eflags = 0x%x" % old_flags)
    if err == 0:
        return "heap_check: ok (kheap_check returned 0)"
    return "heap_check: %s (kheap_check returned %d)" % (msg, err)


# ---- Regions ----------------------------------------------------------------

class MemosRegions(gdb.Command):
    """memos-regions [PID]: the region list of process PID (default: the
current process): start, end, rights, kind, and where the bytes come from
(mm/region.h)."""

    def __init__(self):
        super().__init__("memos-regions", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        words = gdb.string_to_argv(arg)
        p = find_process(int(words[0], 0)) if words else current_process()
        print("regions of %s (pid %d):" % (process_name(p), int(p["pid"])))
        rights_bits = [(RIGHTS[n], c) for n, c in
                       (("PAGEINFO_READ", "r"), ("PAGEINFO_WRITE", "w"),
                        ("PAGEINFO_EXEC", "x"))]
        r = p["vm"]["regions"]["first"]
        if u32(r) == 0:
            print("  none (a kernel task, or no program loaded)")
        while u32(r) != 0:
            rights = int(r["rights"])
            text = "".join(c if rights & b else "-" for b, c in rights_bits)
            kind = str(r["kind"]).replace("REGION_", "").lower()
            src = r["source"]
            if u32(src["file"]) and int(src["size"]):
                origin = "file offset 0x%x, %d bytes at 0x%08x" % (
                    int(src["offset"]), int(src["size"]), u32(src["vaddr"]))
            else:
                origin = "zero-filled"
            print("  %08x-%08x %s %-6s %s" % (u32(r["start"]), u32(r["end"]),
                                              text, kind, origin))
            r = r["next"]


# ---- Backtraces through a trap ----------------------------------------------

class TrapFrameUnwinder(Unwinder):
    """Lets `backtrace` go on past isr_common (kernel/arch/isr.asm), which
    has no frame of its own, into the kernel code an interrupt or exception
    stopped: its registers are in the struct trap_frame (kernel/arch/
    trap_frame.h) that isr_common passed to trap_dispatch."""

    # The registers restored from struct trap_frame (the field of the same
    # name); their offsets are read from the type, in trap_frame_offsets.
    SAVED = ("edi", "esi", "ebp", "ebx", "edx", "ecx", "eax", "eip", "cs",
             "eflags")

    def __init__(self):
        super().__init__("memos-trap-frame")

    def __call__(self, pending_frame):
        pc = u32(pending_frame.read_register("eip"))
        try:
            start = symbol_value("isr_common")
            end = symbol_value("trap_return")
        except gdb.error:
            return None
        if not start < pc <= end:
            return None
        # isr_common's frame is the one that called trap_dispatch: its
        # stack pointer is at the argument pushed for it, the trap frame.
        inferior = gdb.selected_inferior()

        def word(addr):
            return int.from_bytes(inferior.read_memory(addr, 4), "little")

        offset = trap_frame_offsets()
        esp = u32(pending_frame.read_register("esp"))
        frame = word(esp) if pc < end else esp
        if word(frame + offset["cs"]) & 3:
            # From ring 3, gdb cannot go on: it would take the program's
            # frame for a caller of isr_common (so name the function before
            # the trapped eip) on a stack below the kernel's, which it
            # calls corrupt. `print/x f->eip` and `info line` say where the
            # program was.
            return None
        info = pending_frame.create_unwind_info(FrameId(frame, start))

        def saved(name, value):
            # As the register's own type (code pointer, flags...).
            kind = pending_frame.read_register(name).type
            info.add_saved_register(
                name, gdb.Value(value.to_bytes(4, "little"), kind))

        for name in self.SAVED:
            saved(name, word(frame + offset[name]))
        # No privilege change: the CPU pushed eip, cs and eflags only, on
        # the stack the kernel was using; it continued above them, where
        # user_esp would be.
        saved("esp", frame + offset["user_esp"])
        return info


def trap_frame_offsets():
    """Byte offset of each field of struct trap_frame (kernel/arch/
    trap_frame.h), from the type in the kernel's debug information."""
    kind = gdb.lookup_type("struct trap_frame")
    return {f.name: f.bitpos // 8 for f in kind.fields()}


class FrameId:
    """What gdb.unwinder asks of a frame's identity."""

    def __init__(self, sp, pc):
        self.sp = gdb.Value(sp)
        self.pc = gdb.Value(pc)


# ---- User programs ----------------------------------------------------------

class UserMainBreakpoint(gdb.Breakpoint):
    """A breakpoint in a user program's main that stops only while that
    program is the current process: every program links at the same
    address, so the address alone does not say which one runs."""

    def __init__(self, pc, program):
        super().__init__("*0x%x" % pc)
        self.program = program
        self.pc = pc

    def stop(self):
        running = process_name(current_process())
        if running == self.program:
            return True
        # Said, so that a student who waits in vain sees why.
        print("memos-user: %s (pid %d) ran %s's main address 0x%08x: "
              "not stopping" % (running, int(current_process()["pid"]),
                                self.program, self.pc))
        return False


def first_body_line(function):
    """The address of the first line of function's body, past the line of
    its opening brace: gdb's own choice for `break main` is the brace's
    line here (main realigns the stack), where argc and argv cannot be
    read yet."""
    start = int(function.value().address)
    block = gdb.block_for_pc(start)
    while block.function is None:
        block = block.superblock
    first_line = gdb.find_pc_line(start).line
    body = [e.pc for e in function.symtab.linetable()
            if start < e.pc < block.end and e.line > first_line]
    return min(body) if body else start


class MemosUser(gdb.Command):
    """memos-user NAME: loads build/user/NAME's symbols (add-symbol-file;
the previous program's are dropped, as every program links at
0x08048000) and breaks at its main only when NAME is the current process.
`continue` then runs to it. When another program runs that address, the
breakpoint says so and lets it go on."""

    loaded = None

    def __init__(self):
        super().__init__("memos-user", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        words = gdb.string_to_argv(arg)
        if len(words) != 1:
            raise gdb.GdbError("usage: memos-user NAME (a program in "
                               "build/user/)")
        name = words[0]
        path = os.path.join(REPO, "build", "user", name)
        if not os.path.exists(path):
            raise gdb.GdbError("memos: no %s: build it with make" % path)
        if MemosUser.loaded:
            gdb.execute("remove-symbol-file %s" % MemosUser.loaded,
                        to_string=True)
        gdb.execute("add-symbol-file %s" % path, to_string=True)
        MemosUser.loaded = path
        objfile = next(o for o in gdb.objfiles()
                       if o.filename and os.path.samefile(o.filename, path))
        main = objfile.lookup_global_symbol("main")
        if main is None:
            raise gdb.GdbError("memos: %s has no main" % path)
        pc = first_body_line(main)
        bp = UserMainBreakpoint(pc, name)
        print("Breakpoint %d at 0x%08x (%s:%d, main's first line), stops "
              "only when the current process is %s." %
              (bp.number, pc, main.symtab.filename,
               gdb.find_pc_line(pc).line, name))


MemosPs()
MemosPt()
MemosHeap()
MemosRegions()
MemosUser()
register_unwinder(None, TrapFrameUnwinder(), replace=True)
