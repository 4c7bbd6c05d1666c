# The memory viewer's decoder (docs/view.md): reads a memos machine's RAM
# from outside (QEMU's RAM file while it runs, or a saved copy) and says
# what every physical frame holds, what each process maps, the kernel
# heap's blocks and the slab caches. It finds the kernel's variables and
# their fields by name in build/kernel.elf (DWARF), so the kernel needs no
# help from it and no struct offset is written here.
#
# Everything the viewer depends on in the kernel is named in the tables
# just below: when a symbol or field is renamed, fix it there (the error
# says which one).
import base64
import os
import re
import struct
import time

from kernel_types import (DecodeError, KernelTypes, LayoutError,
                          NullPointer, Value)

# ---- What the viewer reads of the kernel, in one place ---------------------

# Link-time symbols (link.ld, ld --defsym).
KERNEL_SYMBOLS = {
    "vma": "KERNEL_VMA",
    "image_start": "_kernel_start",
    "image_end": "_kernel_end",
}

# Variables: (compile unit, name). A static that moves to another file is
# still found while its name is unique (a warning says where it went).
KERNEL_VARIABLES = {
    "page_directory": ("mm/vmm.c", "kernel_page_directory"),
    "frames_used": ("mm/pmm.c", "used"),          # bit per frame: in use
    "frames_managed": ("mm/pmm.c", "managed"),    # bit per frame: RAM
    "free_frames": ("mm/pmm.c", "free_frames"),
    "total_frames": ("mm/pmm.c", "total_frames"),
    "shares": ("mm/pmm.c", "extra_maps"),         # uint16 per frame
    "share_frames": ("mm/pmm.c", "share_frames"),
    "processes": ("kernel/process.c", "all_processes"),
    "idle_task": ("kernel/sched.c", "idle_task"),
    "current": ("kernel/sched.c", "current"),
    "vm_counters": ("kernel/page_fault.c", "counters"),
    "kernel_heap": ("mm/kheap.c", "kernel_heap"),
    "kheap_start": ("mm/kheap.c", "heap_start"),
    "kheap_break": ("mm/kheap.c", "heap_break"),
    "slab_caches": ("mm/kslab.c", "caches"),
    "slab_cache_count": ("mm/kslab.c", "cache_count"),
    "initrd": ("kernel/initrd.c", "archive"),
    "initrd_size": ("kernel/initrd.c", "archive_size"),
}

# Fields, as paths from the struct named first ("a.b": field b of field
# a; pointers on the way are followed).
FIELDS = {
    "process.pid": "pid",
    "process.name": "name",
    "process.state": "state",
    "process.is_kernel_task": "is_kernel_task",
    "process.page_directory": "vm.pgdir",  # physical address of its PD
    "process.first_region": "vm.regions.first",
    "process.kstack": "kstack",
    "process.heap_start": "vm.heap_start",
    "process.brk": "vm.brk",
    "process.next": "next",
    "region.start": "start",
    "region.end": "end",
    "region.rights": "rights",
    "region.kind": "kind",
    "region.next": "next",
    "heap.magic": "magic",
    "heap.first": "first",
    "heap.epilogue": "epilogue",
    "slab_cache.name": "name",
    "slab_cache.size": "size",
    "slab_cache.stride": "stride",
    "slab_cache.pages_per_slab": "pages_per_slab",
    "slab_cache.objects_per_slab": "objects_per_slab",
    "slab_cache.parked": "parked",
    "slab_cache.slabs_made": "slabs_made",
    "slab_cache.slabs_freed": "slabs_freed",
    "slab_list.head": "head",
    "slab_list.count": "count",
    "slab_cache.current": "current",  # the slab allocations come from
    "slab.next": "next",
    "slab.in_use": "in_use",
    "slab.free_head": "free_head",    # SLAB_NONE (0xffff): slab full
}
SLAB_NONE = 0xFFFF  # mm/slab.c
SLAB_LISTS = ("full", "partial", "empty")  # fields of struct slab_cache

# The kernel's counters shown over time (struct vm_counters' fields).
COUNTERS = ("faults_served", "pages_zero_filled", "pages_from_file",
            "out_of_memory_kills", "cow_faults", "pages_copied")

# Constants come from the headers that define them (as tools/memos-gdb.py).
HEADER_CONSTANTS = {
    "mm/paging.h": ["PTE_PRESENT", "PTE_WRITABLE", "PTE_USER",
                    "PTE_ACCESSED", "PTE_DIRTY", "PTE_COW", "PTE_FRAME_MASK"],
    "mm/layout.h": ["PAGE_SIZE", "KMAP_BASE", "SLAB_AREA_BASE",
                    "SLAB_AREA_LIMIT", "KERNEL_STACK_SIZE"],
    "mm/heap_block.h": ["TAG_USED", "TAG_PREV_FREE", "TAG_CHECK_SHIFT",
                        "TAG_MAGIC", "TAG_QUICK_FLIP", "HEAP_MAGIC"],
    "lib/abi.h": ["PAGEINFO_READ", "PAGEINFO_WRITE", "PAGEINFO_EXEC"],
}

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
LOW_MEMORY_END = 0x100000  # BIOS, VGA, ROMs (mm/pmm.c never hands it out)
MAX_PROCESSES = 4096       # a longer list is a torn read (a cycle)
MAX_REGIONS = 4096
MAX_HEAP_BLOCKS = 200000
MAX_SLABS = 100000

# What a frame is used for. The page draws each in its colour; "user"
# frames are one owner per process ("pid:N").
KINDS = [
    ("free", "free"),
    ("reserved", "reserved (BIOS, low memory, GRUB's data)"),
    ("kernel", "kernel image (.text .data .bss)"),
    ("initrd", "initrd (the programs)"),
    ("pagedir", "page directories"),
    ("pagetable", "page tables"),
    ("kheap", "kernel heap"),
    ("slab", "slab caches"),
    ("kmap", "kmap window (a frame the kernel is looking at)"),
    ("kernel-other", "in use, owner not found (being set up?)"),
]


def header_constants(repo=REPO):
    """HEADER_CONSTANTS' values, from `#define NAME EXPR` lines where EXPR
    is numbers (0x1000u, 16u), names defined above, ( ) + - * <<."""
    values = {}
    for path, names in HEADER_CONSTANTS.items():
        found = {}
        with open(os.path.join(repo, path)) as f:
            for line in f:
                m = re.match(r"#define (\w+) ([^/]*?)\s*(/\*.*)?$", line)
                if not m or not m.group(2):
                    continue
                expr = re.sub(r"\b([A-Za-z_]\w*)\b",
                              lambda w: str(found.get(w.group(1), w.group(1))),
                              re.sub(r"\b(0x[0-9a-fA-F]+|[0-9]+)[uU]\b",
                                     r"\1", m.group(2)))
                if re.fullmatch(r"[0-9a-fA-Fx()+\-*<\s]+", expr):
                    try:
                        found[m.group(1)] = int(eval(expr, {}, {}))
                    except (SyntaxError, ValueError, TypeError):
                        pass
        missing = [n for n in names if n not in found]
        if missing:
            raise LayoutError("%s defines no %s: update tools/view/"
                              "decode.py's HEADER_CONSTANTS" %
                              (path, ", ".join(missing)))
        values.update({n: found[n] for n in names})
    return values


class Kernel:
    """The kernel's types and constants, loaded once; decode() then reads
    any number of RAM images with them."""

    def __init__(self, elf_path, repo=REPO):
        self.types = KernelTypes(elf_path)
        self.c = header_constants(repo)
        self.warnings = []
        self.vma = self.types.symbol(KERNEL_SYMBOLS["vma"])
        self.image_start = self.types.symbol(KERNEL_SYMBOLS["image_start"])
        self.image_end = self.types.symbol(KERNEL_SYMBOLS["image_end"])
        self.vars = {}
        for key, (cu, name) in KERNEL_VARIABLES.items():
            (addr, t), moved = self.types.variable(cu, name)
            if moved:
                self.warnings.append("%s (update KERNEL_VARIABLES)" % moved)
            self.vars[key] = (addr, t)
        # Every field path must exist now, not at the first process.
        self.process_t = self.deref_type(self.vars["processes"][1])
        self.region_t = self.types.struct("region")
        self.cache_t = self.types.struct("slab_cache")
        self.slab_t = self.types.struct("slab")
        for key, path in FIELDS.items():
            struct_name = key.split(".")[0]
            t = {"process": self.process_t, "region": self.region_t,
                 "slab_cache": self.cache_t, "slab": self.slab_t,
                 "heap": self.vars["kernel_heap"][1],
                 "slab_list": self.cache_t.field("full")[1]}[struct_name]
            try:
                for name in path.split("."):
                    if t.kind == "pointer":
                        t = t.target
                    t = t.field(name)[1]
            except LayoutError as e:
                raise LayoutError("%s: tools/view/decode.py's FIELDS[%r] is "
                                  "%r, which build/kernel.elf no longer has: "
                                  "update it" % (e, key, path)) from None
        for name in SLAB_LISTS:
            self.cache_t.field(name)
        counters_t = self.vars["vm_counters"][1]
        for name in COUNTERS:
            counters_t.field(name)

    @staticmethod
    def deref_type(t):
        return t.target if t.kind == "pointer" else t


class Ram:
    """Guest physical memory: a bytes-like object (an mmap of QEMU's RAM
    file, or a saved image) with kernel-virtual reads through the kernel's
    own page tables."""

    def __init__(self, kernel, data):
        self.k = kernel
        self.data = data
        self.size = len(data)
        self.page_cache = {}
        pd_va = kernel.vars["page_directory"][0]
        self.kernel_pd = pd_va - kernel.vma

    def read(self, pa, n):
        if pa < 0 or pa + n > self.size:
            raise DecodeError("physical 0x%x+%d is outside RAM (0x%x "
                              "bytes)" % (pa, n, self.size))
        return bytes(self.data[pa:pa + n])

    def table(self, pa):
        """The 1024 entries of the page table or directory at pa."""
        return struct.unpack("<1024I", self.read(pa & 0xFFFFF000, 4096))

    def translate(self, va):
        """Kernel virtual page -> physical, through the kernel's tables."""
        page = va & 0xFFFFF000
        if page in self.page_cache:
            return self.page_cache[page] | (va & 0xFFF)
        c = self.k.c
        pde = struct.unpack("<I", self.read(self.kernel_pd +
                                            (va >> 22) * 4, 4))[0]
        if not pde & c["PTE_PRESENT"]:
            raise DecodeError("kernel address 0x%08x: no page table" % va)
        pte = struct.unpack("<I", self.read(
            (pde & 0xFFFFF000) + ((va >> 12) & 0x3FF) * 4, 4))[0]
        if not pte & c["PTE_PRESENT"]:
            raise DecodeError("kernel address 0x%08x is not mapped" % va)
        self.page_cache[page] = pte & 0xFFFFF000
        return (pte & 0xFFFFF000) | (va & 0xFFF)

    def vread(self, va, n):
        out = b""
        while n > 0:
            chunk = min(n, 4096 - (va & 0xFFF))
            out += self.read(self.translate(va), chunk)
            va += chunk
            n -= chunk
        return out

    def var(self, key):
        addr, t = self.k.vars[key]
        return Value(self, addr, t)


def field(v, key):
    """v's field named by FIELDS[key]."""
    return v.get(FIELDS[key])


def field_int(v, key, default=0):
    """field(v, key).int(), or default when the path goes through a NULL
    pointer (a process whose address space is gone, if the kernel keeps
    it behind a pointer)."""
    try:
        return field(v, key).int()
    except NullPointer:
        return default


def list_of(first, next_key, limit, what):
    """The objects of a NULL-terminated list, from a pointer Value."""
    out = []
    seen = set()
    p = first
    while p.int() != 0:
        if len(out) >= limit or p.int() in seen:
            raise DecodeError("the %s list does not end (torn read?)" % what)
        seen.add(p.int())
        obj = p.deref()
        out.append(obj)
        p = field(obj, next_key)
    return out


def bits(words_bytes, count):
    """A list of count booleans from little-endian 32-bit words."""
    n = (count + 31) // 32
    words = struct.unpack("<%dI" % n, words_bytes[:n * 4])
    return [bool(words[f >> 5] >> (f & 31) & 1) for f in range(count)]


class Moment:
    """What decode() has found so far: each frame's owner, notes on what
    the kernel uses frames for, the reverse map, the processes."""

    def __init__(self, kernel, data):
        self.k = kernel
        self.c = kernel.c
        self.page = self.c["PAGE_SIZE"]
        self.ram = Ram(kernel, data)
        self.nframes = self.ram.size // self.page
        self.warnings = list(kernel.warnings)
        self.owner = []     # frame -> KINDS key, "pid:N" or "shared"
        self.notes = {}     # frame -> what the kernel uses it for
        self.pid_of = {}    # frame -> pid, for directories and tables
        self.rmap = {}      # frame -> [[pid, va, PTE flags], ...]
        self.processes = []

    def frame_of(self, pa, what):
        f = pa // self.page
        if f >= self.nframes:
            raise DecodeError("%s at 0x%x is outside RAM" % (what, pa))
        return f

    def note(self, f, text, add=False):
        if add and self.notes.get(f):
            text = self.notes[f] + "; " + text
        self.notes[f] = text


def decode(kernel, data, now=None):
    """One moment of the machine whose RAM is data: a dict ready for JSON
    (docs/view.md describes the page that draws it). Raises DecodeError
    on a torn read."""
    m = Moment(kernel, data)
    used, managed, shares = frame_allocator(m)
    heap_range = kernel_half(m)
    for p in process_structs(m):
        m.processes.append(process(m, p))
    refs = user_frames(m, used, shares)
    slabs = slab_caches(m)
    heap = decode_heap(m.k, m.ram, *heap_range)
    owners, codes = encode_owners(m)
    cnt = m.ram.var("vm_counters")
    counters = {name: cnt.get(name).int() for name in COUNTERS}
    counters["free_frames"] = m.ram.var("free_frames").int()
    counters["total_frames"] = m.ram.var("total_frames").int()
    c = m.c
    return {
        "format": 1,
        "time": time.time() if now is None else now,
        "page_size": m.page,
        "frames": m.nframes,
        "owners": owners,
        "frame_owner": base64.b64encode(bytes(codes)).decode(),
        "bitmap": {"free": sum(1 for f in range(m.nframes)
                               if managed[f] and not used[f]),
                   "managed": sum(managed)},
        "counters": counters,
        "refs": {str(f): n for f, n in refs.items()},
        "rmap": {str(f): x for f, x in m.rmap.items()},
        "table_of": {str(f): pid for f, pid in m.pid_of.items()},
        "notes": {str(f): t for f, t in m.notes.items() if t},
        "processes": m.processes,
        "kernel": {"image": [m.k.image_start, m.k.image_end],
                   "heap": list(heap_range), "vma": m.k.vma},
        "heap": heap,
        "slabs": slabs,
        "pte_bits": {n: c[n] for n in ("PTE_PRESENT", "PTE_WRITABLE",
                                       "PTE_USER", "PTE_ACCESSED",
                                       "PTE_DIRTY", "PTE_COW")},
        "warnings": m.warnings,
    }


def frame_allocator(m):
    """The frame allocator's bitmaps: every frame starts as free,
    reserved (not RAM it manages) or in use by an owner not found yet;
    the kernel image is known from the link. Returns the bitmaps and the
    share counts (mappings beyond the first, per frame)."""
    ram, n = m.ram, m.nframes
    words = (n + 31) // 32
    used = bits(ram.var("frames_used").bytes(words * 4), n)
    managed = bits(ram.var("frames_managed").bytes(words * 4), n)
    shares = None
    share_frames = ram.var("share_frames").int()
    shares_ptr = ram.var("shares").int()
    if shares_ptr and share_frames:
        count = min(share_frames, n)
        shares = struct.unpack("<%dH" % count,
                               ram.vread(shares_ptr, 2 * count))
    m.owner = [("kernel-other" if used[f] else "free") if managed[f]
               else "reserved" for f in range(n)]
    first = (m.k.image_start - m.k.vma) // m.page
    end = (m.k.image_end - m.k.vma + m.page - 1) // m.page
    for f in range(first, min(end, n)):
        m.owner[f] = "kernel"
    return used, managed, shares


def kernel_half(m):
    """The kernel's page tables past its image: the heap, the slab area,
    the kmap window; and the initrd's frames. Returns the heap's range."""
    k, c, ram = m.k, m.c, m.ram
    heap_start = ram.var("kheap_start").int()
    heap_break = ram.var("kheap_break").int()
    initrd_va = ram.var("initrd").int()
    initrd_size = ram.var("initrd_size").int()
    if initrd_size > ram.size:
        raise DecodeError("an initrd of %d bytes" % initrd_size)
    kpd = ram.table(ram.kernel_pd)
    for pdx in range(k.vma >> 22, 1024):
        pde = kpd[pdx]
        base = pdx << 22
        if not pde & c["PTE_PRESENT"] or base + (1 << 22) <= k.image_end:
            continue  # none, or the boot mapping of the image: known
        for ptx, pte in enumerate(ram.table(pde)):
            va = base | ptx << 12
            if not pte & c["PTE_PRESENT"] or va < k.image_end:
                continue
            f = (pte & c["PTE_FRAME_MASK"]) // m.page
            if f >= m.nframes:
                continue  # a device's memory, not RAM
            if heap_start <= va < c["SLAB_AREA_BASE"]:
                m.owner[f] = "kheap"
            elif c["SLAB_AREA_BASE"] <= va < c["SLAB_AREA_LIMIT"]:
                m.owner[f] = "slab"
            elif c["KMAP_BASE"] <= va:
                if m.owner[f] in ("kernel-other", "free"):
                    m.owner[f] = "kmap"
                m.note(f, "mapped in the kmap window at 0x%08x" % va)
    if initrd_va and initrd_size:
        for va in range(initrd_va & ~0xFFF, initrd_va + initrd_size, m.page):
            f = ram.translate(va) // m.page
            if f < m.nframes:
                m.owner[f] = "initrd"
    return heap_start, heap_break


def process_structs(m):
    """Every struct process: the list, then the idle task (not on it)."""
    procs = list_of(m.ram.var("processes"), "process.next", MAX_PROCESSES,
                    "process")
    idle = m.ram.var("idle_task")
    m.idle_addr = idle.int()
    if m.idle_addr:
        procs.append(idle.deref())
    return procs


def process(m, p):
    """One process: what it is, its page tables (their frames become its
    own, its pages go into the reverse map) and its regions with the
    state of each page."""
    c, ram = m.c, m.ram
    pid = field(p, "process.pid").int()
    pd = field_int(p, "process.page_directory")
    info = {
        "pid": pid,
        "name": field(p, "process.name").string(),
        "state": field(p, "process.state").enum_name()
        .replace("PROC_", "").lower(),
        "kernel_task": bool(field(p, "process.is_kernel_task").int()),
        "current": p.addr == ram.var("current").int(),
        "address": p.addr,
        "on_list": p.addr != m.idle_addr,
        "page_directory": pd,
        "kstack": field_int(p, "process.kstack"),
        "regions": [], "pdes": {}, "ptes": {},
        "frames": 0, "page_tables": 0,
    }
    if info["kstack"]:
        for va in range(info["kstack"] & ~0xFFF,
                        info["kstack"] + c["KERNEL_STACK_SIZE"], m.page):
            try:
                f = ram.translate(va) // m.page
            except DecodeError:
                continue
            m.note(f, "holds part of the kernel stack of pid %d" % pid,
                   add=True)
    # Kernel tasks run in the kernel's space; a zombie has none left.
    info["has_space"] = not info["kernel_task"] and \
        pd not in (0, ram.kernel_pd)
    if not info["has_space"]:
        return info
    info["heap_start"] = field_int(p, "process.heap_start")
    info["brk"] = field_int(p, "process.brk")
    page_tables(m, info)
    try:
        first = field(p, "process.first_region")
    except NullPointer:
        first = None
    for r in list_of(first, "region.next", MAX_REGIONS, "region") \
            if first is not None else []:
        info["regions"].append(region(m, info, r))
    info["pdes"] = {str(a): v for a, v in info["pdes"].items()}
    info["ptes"] = {str(a): v for a, v in info["ptes"].items()}
    return info


def page_tables(m, info):
    """A process's page directory and tables, table by table, present
    entries only (its user part: the kernel's is the same for all)."""
    c, pid = m.c, info["pid"]
    pd = info["page_directory"]
    f = m.frame_of(pd, "pid %d's page directory" % pid)
    m.owner[f] = "pagedir"
    m.pid_of[f] = pid
    m.note(f, "page directory of pid %d" % pid)
    directory = m.ram.table(pd)
    for pdx in range(m.k.vma >> 22):
        pde = directory[pdx]
        if not pde & c["PTE_PRESENT"]:
            continue
        info["pdes"][pdx] = pde
        f = m.frame_of(pde & c["PTE_FRAME_MASK"], "pid %d's page table" % pid)
        m.owner[f] = "pagetable"
        m.pid_of[f] = pid
        m.note(f, "page table of pid %d for 0x%08x-0x%08x" %
               (pid, pdx << 22, (pdx + 1) << 22))
        info["page_tables"] += 1
        for ptx, pte in enumerate(m.ram.table(pde)):
            if not pte:
                continue
            va = pdx << 22 | ptx << 12
            info["ptes"][va] = pte
            if pte & c["PTE_PRESENT"]:
                f = m.frame_of(pte & c["PTE_FRAME_MASK"],
                               "pid %d's page 0x%08x" % (pid, va))
                m.rmap.setdefault(f, []).append([pid, va, pte & 0xFFF])
                info["frames"] += 1


def region(m, info, r):
    """One region, with a letter per page: "." not touched (no frame
    yet), "W" writable, "R" read-only, "C" copy-on-write."""
    c = m.c
    start = field(r, "region.start").int()
    end = field(r, "region.end").int()
    if end < start or end > m.k.vma:
        raise DecodeError("pid %d: region 0x%x-0x%x" %
                          (info["pid"], start, end))
    states = []
    for va in range(start, end, m.page):
        pte = info["ptes"].get(va, 0)
        if not pte & c["PTE_PRESENT"]:
            states.append(".")
        elif pte & c["PTE_COW"]:
            states.append("C")
        elif pte & c["PTE_WRITABLE"]:
            states.append("W")
        else:
            states.append("R")
    rights = field(r, "region.rights").int()
    return {
        "start": start, "end": end,
        "rights": "".join(ch if rights & c[bit] else "-" for bit, ch in
                          (("PAGEINFO_READ", "r"), ("PAGEINFO_WRITE", "w"),
                           ("PAGEINFO_EXEC", "x"))),
        "kind": field(r, "region.kind").enum_name()
        .replace("REGION_", "").lower(),
        "pages": "".join(states),
    }


def user_frames(m, used, shares):
    """A frame user pages map belongs to its process, or is "shared";
    its reference count is the frame allocator's. Returns the counts."""
    refs = {}
    for f, mappers in m.rmap.items():
        pids = sorted({x[0] for x in mappers})
        m.owner[f] = "pid:%d" % pids[0] if len(pids) == 1 else "shared"
        refs[f] = 1 + (shares[f] if shares and f < len(shares) else 0)
        if refs[f] != len(mappers):
            m.warnings.append("frame 0x%08x: the kernel counts %d mappings, "
                              "the page tables hold %d" %
                              (f * m.page, refs[f], len(mappers)))
    for f in range(m.nframes):
        if not used[f] and m.owner[f] not in ("free", "reserved", "kernel",
                                              "initrd"):
            m.warnings.append("frame 0x%08x is %s but free in the bitmap" %
                              (f * m.page, m.owner[f]))
            break
    return refs


def slab_caches(m):
    """Each cache as slabinfo shows it; its slabs' frames get a note."""
    ram = m.ram
    slabs = []
    ncaches = ram.var("slab_cache_count").int()
    caches = ram.var("slab_caches")
    if ncaches > max(caches.type.count, 0):
        raise DecodeError("%d slab caches" % ncaches)
    for i in range(ncaches):
        cache = caches[i].deref()
        name = field(cache, "slab_cache.name").string(32)
        per = field(cache, "slab_cache.objects_per_slab").int()
        pages_per = field(cache, "slab_cache.pages_per_slab").int()
        entry = {"name": name,
                 "object_size": field(cache, "slab_cache.size").int(),
                 "stride": field(cache, "slab_cache.stride").int(),
                 "objects_per_slab": per, "pages_per_slab": pages_per,
                 "parked": field(cache, "slab_cache.parked").int(),
                 "slabs_made": field(cache, "slab_cache.slabs_made").int(),
                 "slabs_freed": field(cache, "slab_cache.slabs_freed").int()}
        in_use = 0
        slab_addrs = []
        for lst in SLAB_LISTS:
            entry[lst] = field(cache.get(lst), "slab_list.count").int()
            if lst == "full":
                in_use += per * entry[lst]
            p = field(cache.get(lst), "slab_list.head")
            seen = set()
            while p.int() and p.int() not in seen:
                if len(seen) >= MAX_SLABS:
                    raise DecodeError("cache %s: a list does not end" % name)
                seen.add(p.int())
                slab_addrs.append(p.int())
                s = p.deref()
                if lst == "partial":
                    in_use += field(s, "slab.in_use").int()
                p = field(s, "slab.next")
        cur = field(cache, "slab_cache.current")
        if cur.int():
            s = cur.deref()
            slab_addrs.append(cur.int())
            n = field(s, "slab.in_use").int()
            in_use += n
            # counted by its use count, as slabinfo does
            lst = "full" if field(s, "slab.free_head").int() == SLAB_NONE \
                else "partial" if n else "empty"
            entry[lst] += 1
        in_use -= entry["parked"]  # parked objects count in their slabs
        total_slabs = entry["full"] + entry["partial"] + entry["empty"]
        for base in slab_addrs:
            for j in range(pages_per):
                try:
                    f = ram.translate(base + j * m.page) // m.page
                except DecodeError:
                    continue
                m.note(f, "slab of cache %s (%d-byte objects)" %
                       (name, entry["object_size"]))
        entry["objects_in_use"] = in_use
        entry["objects_total"] = total_slabs * per
        entry["pages"] = total_slabs * pages_per
        slabs.append(entry)
    return slabs


def encode_owners(m):
    """The legend (each owner with its count) and one byte per frame:
    the index of its owner in the legend."""
    labels = dict(KINDS)
    labels["shared"] = "user pages mapped by several processes"
    owners = [{"key": key, "label": labels[key], "count": 0}
              for key in [key for key, _ in KINDS] + ["shared"]]
    for info in m.processes:
        if info["has_space"]:
            owners.append({"key": "pid:%d" % info["pid"], "pid": info["pid"],
                           "label": "%s (pid %d)" % (info["name"],
                                                     info["pid"]),
                           "count": 0})
    if len(owners) > 255:
        raise DecodeError("more than 255 owners")
    index = {o["key"]: i for i, o in enumerate(owners)}
    codes = bytearray(m.nframes)
    for f in range(m.nframes):
        i = index.get(m.owner[f], index["kernel-other"])
        codes[f] = i
        owners[i]["count"] += 1
    return owners, codes


def decode_heap(k, ram, start, brk):
    """The kernel heap's blocks (as tools/memos-gdb.py's memos-heap walks
    them): [address, size, "used"|"free"|"quick"]."""
    c = k.c
    heap = ram.var("kernel_heap")
    if field(heap, "heap.magic").int() != c["HEAP_MAGIC"]:
        return {"start": start, "break": brk, "blocks": [], "used": 0,
                "free": 0, "note": "not set up yet"}
    shift = c["TAG_CHECK_SHIFT"]
    align = 2 * heap.get(FIELDS["heap.first"]).type.size  # HEAP_ALIGN
    size_mask = ~(0xF << shift) & ~(align - 1) & 0xFFFFFFFF
    magic = c["TAG_MAGIC"] >> shift
    quick = (c["TAG_MAGIC"] ^ c["TAG_QUICK_FLIP"]) >> shift
    block = field(heap, "heap.first").int()
    epilogue = field(heap, "heap.epilogue").int()
    blocks = []
    totals = {"used": 0, "free": 0, "quick": 0}
    while block < epilogue and len(blocks) < MAX_HEAP_BLOCKS:
        tag = struct.unpack("<I", ram.vread(block, 4))[0]
        size = tag & size_mask
        check = tag >> shift
        if check not in (magic, quick) or size == 0:
            raise DecodeError("heap block 0x%08x: tag 0x%08x" % (block, tag))
        state = "quick" if check == quick else \
            "used" if tag & c["TAG_USED"] else "free"
        blocks.append([block, size, state])
        totals[state] += size
        block += size
    return {"start": start, "break": brk, "blocks": blocks,
            "used": totals["used"], "free": totals["free"],
            "quick": totals["quick"]}
