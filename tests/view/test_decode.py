#!/usr/bin/python3
# The memory viewer's decoder (tools/view/decode.py) on saved snapshots:
# boots the shell in QEMU with its RAM in a file, runs programs, saves the
# RAM with the machine stopped, and checks what the decoder reads there
# against what memos itself printed in the same session (mem, vmmap,
# forkdemo's pageinfo lines) and against the ELF's symbols (nm). Then
# corrupts snapshots to check that a torn read is a DecodeError (one
# glitch), never a crash. Last, runs make view's launcher (memview.py run)
# as a person would. Prints TAP; the session is in
# build/test-logs/view-decode-session.log.
import atexit
import base64
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PREFIX = "view decode"
# Run from tests/view/ or installed in build/view/: the helpers are in
# tests/view/ either way.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "view"))
from tap import REPO, Tap, need_viewer_modules  # noqa: E402

need_viewer_modules(PREFIX)
import decode  # noqa: E402
import machine  # noqa: E402
import server  # noqa: E402
from kernel_types import DecodeError, LayoutError  # noqa: E402

ELF = os.path.join(REPO, "build", "kernel.elf")
ISO = os.path.join(REPO, "build", "os-shell.iso")
LOG = os.path.join(REPO, "build", "test-logs", "view-decode-session.log")


def owner_counts(snap):
    return {o["key"]: o["count"] for o in snap["owners"]}


def frame_owner(snap, f):
    codes = base64.b64decode(snap["frame_owner"])
    return snap["owners"][codes[f]]["key"]


def nm_symbol(name):
    out = subprocess.run(["nm", ELF], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    raise KeyError(name)


def parse_mem(text):
    m = re.search(r"frames: (\d+) of (\d+) free .*kernel heap: (\d+) bytes "
                  r"used; processes: (\d+)", text)
    f = re.search(r"page faults served: (\d+)", text)
    c = re.search(r"copy-on-write faults: (\d+); pages copied: (\d+)", text)
    if not (m and f and c):
        raise RuntimeError("mem printed no counters:\n" + text)
    return {"free": int(m.group(1)), "total": int(m.group(2)),
            "kheap_used": int(m.group(3)), "processes": int(m.group(4)),
            "faults": int(f.group(1)), "cow_faults": int(c.group(1)),
            "pages_copied": int(c.group(2))}


def parse_pages(text, who):
    """forkdemo's lines after "WHO:": page -> (frame, maps, flags)."""
    block = text.split(who + ":\n", 1)[1]
    pages = {}
    for line in block.splitlines()[:4]:
        m = re.match(r"  page (\d): frame (0x[0-9a-f]+), mapped (\d+) "
                     r"times?, ([^']*), holds", line)
        if m:
            pages[int(m.group(1))] = (int(m.group(2), 16) // 4096,
                                      int(m.group(3)), m.group(4))
    return pages


def decode_file(kernel, path):
    with open(path, "rb") as f:
        return decode.decode(kernel, f.read())


def check_renames(t):
    """A kernel whose names changed stops the viewer at once, with the
    name to fix: a field, then a variable."""
    for table, key, bad in ((decode.FIELDS, "process.first_region",
                             "regions.head"),
                            (decode.KERNEL_VARIABLES, "free_frames",
                             ("mm/pmm.c", "frames_free"))):
        good = table[key]
        table[key] = bad
        try:
            decode.Kernel(ELF)
            message = "no error"
        except LayoutError as e:
            message = str(e)
        finally:
            table[key] = good
        name = bad if isinstance(bad, str) else bad[1]
        t.check(name.split(".")[-1] in message and
                ("has no field" in message or "has no variable" in message),
                "a renamed %s stops the viewer with its name" %
                ("field" if table is decode.FIELDS else "variable"),
                message)


def main():
    t = Tap(PREFIX)
    check_renames(t)
    kernel = decode.Kernel(ELF)
    work = tempfile.mkdtemp(prefix="memos-view-decode-")
    # The RAM copies (128 MiB each) go whatever happens.
    atexit.register(shutil.rmtree, work, True)
    m = machine.Machine(ISO, LOG)
    try:
        m.boot()
        vmmap_text = m.run("vmmap 2")
        mem = parse_mem(m.run("mem"))
        idle_ram = os.path.join(work, "idle.ram")
        m.save_ram(idle_ram)

        m.type("forkdemo 5000")
        end = time.time() + 30
        while "child, after fork:\n" not in m.text() or \
                len(m.text().split("child, after fork:\n")[1]
                    .splitlines()) < 4:
            if time.time() > end:
                raise RuntimeError("forkdemo printed nothing")
            time.sleep(0.05)
        fork_ram = os.path.join(work, "fork.ram")
        m.save_ram(fork_ram)
        after_fork = parse_pages(m.text(), "child, after fork")
        end = time.time() + 30
        while "child, after writing pages 0 and 1:\n" not in m.text() or \
                len(m.text().split("child, after writing pages 0 and 1:\n")
                    [1].splitlines()) < 4:
            if time.time() > end:
                raise RuntimeError("forkdemo's child did not write")
            time.sleep(0.05)
        written_ram = os.path.join(work, "written.ram")
        m.save_ram(written_ram)
        written = parse_pages(m.text(), "child, after writing pages 0 and 1")
        m.wait_prompt(m.prompts_seen, 60)
        mem_after = parse_mem(m.run("mem"))
        after_ram = os.path.join(work, "after.ram")
        m.save_ram(after_ram)
    finally:
        m.close()

    # ---- The idle shell, against mem and vmmap ------------------------------
    snap = decode_file(kernel, idle_ram)
    counts = owner_counts(snap)
    t.check(counts["free"] == mem["free"],
            "free frames in the picture equal mem's",
            "picture %d, mem %d" % (counts["free"], mem["free"]))
    t.check(snap["counters"]["free_frames"] == mem["free"] and
            snap["counters"]["total_frames"] == mem["total"],
            "the kernel's frame counters read from RAM equal mem's",
            "%s vs %s" % (snap["counters"], mem))
    t.check(snap["bitmap"]["managed"] == mem["total"],
            "the frames the bitmap manages are mem's total",
            "%d vs %d" % (snap["bitmap"]["managed"], mem["total"]))
    image = (nm_symbol("_kernel_end") - nm_symbol("_kernel_start") +
             4095) // 4096
    t.check(counts["kernel"] == image,
            "the kernel image's frames are _kernel_start.._kernel_end (nm)",
            "%d frames, nm says %d" % (counts["kernel"], image))
    start_frame = (nm_symbol("_kernel_start") - nm_symbol("KERNEL_VMA")) \
        // 4096
    t.check(frame_owner(snap, start_frame) == "kernel" and
            frame_owner(snap, start_frame - 1) == "reserved",
            "the frame at _kernel_start is the kernel's, the one below "
            "reserved")
    t.check(counts.get("kernel-other", 0) == 0 and
            sum(counts.values()) == snap["frames"],
            "every frame in use has an owner",
            "%d without" % counts.get("kernel-other", 0))
    on_list = [p for p in snap["processes"] if p["on_list"]]
    t.check(len(on_list) == mem["processes"],
            "the process list has mem's count",
            "%d vs %d" % (len(on_list), mem["processes"]))
    t.check(snap["counters"]["faults_served"] == mem["faults"] and
            snap["counters"]["cow_faults"] == mem["cow_faults"] and
            snap["counters"]["pages_copied"] == mem["pages_copied"],
            "page-fault and copy-on-write counters equal mem's")
    t.check(snap["heap"]["used"] == mem["kheap_used"],
            "the kernel heap's used blocks add up to mem's bytes used",
            "%d vs %d" % (snap["heap"]["used"], mem["kheap_used"]))
    sh = [p for p in snap["processes"] if p["pid"] == 2]
    rows = re.findall(r"^([0-9a-f]{8})-([0-9a-f]{8}) (\S+) +(\w+) +(\d+) +"
                      r"(\d+)$", vmmap_text, re.M)
    decoded = [("%08x" % r["start"], "%08x" % r["end"], r["rights"],
                r["kind"], str(len(r["pages"])),
                str(len(r["pages"]) - r["pages"].count(".")))
               for r in sh[0]["regions"]] if sh else []
    t.check(sh and sh[0]["name"] == "sh" and rows and
            decoded == [tuple(r) for r in rows],
            "the shell's regions and resident pages equal `vmmap 2`'s",
            "decoded %s, vmmap %s" % (decoded, rows))
    pd = sh[0]["page_directory"] // 4096 if sh else 0
    t.check(sh and frame_owner(snap, pd) == "pagedir" and
            counts.get("pid:2") == sh[0]["frames"],
            "the shell's page directory and its pages are its own")
    proc_cache = [c for c in snap["slabs"] if c["name"] == "process"]
    in_slabs = [p for p in snap["processes"]
                if 0xEC000000 <= p["address"] < 0xF0000000]
    t.check(proc_cache and proc_cache[0]["objects_in_use"] == len(in_slabs),
            "the process cache holds the processes that live in slabs",
            "%s vs %d" % (proc_cache, len(in_slabs)))

    # A zombie has no address space (space 0): shown without pages.
    with open(idle_ram, "rb") as f:
        image = bytearray(f.read())
    ram = decode.Ram(kernel, image)
    shell = [p for p in decode.list_of(ram.var("processes"), "process.next",
                                       100, "process")
             if decode.field(p, "process.pid").int() == 2][0]
    at = ram.translate(decode.field(shell, "process.page_directory").addr)
    image[at:at + 4] = bytes(4)
    zombie = decode.decode(kernel, image)
    zsh = [p for p in zombie["processes"] if p["pid"] == 2]
    t.check(zsh and not zsh[0]["has_space"] and
            frame_owner(zombie, 0) == "reserved" and
            "pid:2" not in owner_counts(zombie),
            "a process with no page directory (a zombie) owns no frames")

    # ---- forkdemo: shared frames, then the child's own copies ----------------
    snap = decode_file(kernel, fork_ram)
    kids = sorted(p["pid"] for p in snap["processes"]
                  if p["name"] == "forkdemo")
    ok = len(kids) == 2 and len(after_fork) == 4
    for page, (f, maps, flags) in after_fork.items():
        mappers = snap["rmap"].get(str(f), [])
        ok = ok and maps == 2 and "copy-on-write" in flags and \
            sorted(x[0] for x in mappers) == kids and \
            frame_owner(snap, f) == "shared" and \
            snap["refs"][str(f)] == 2 and \
            all(x[2] & snap["pte_bits"]["PTE_COW"] and
                not x[2] & snap["pte_bits"]["PTE_WRITABLE"]
                for x in mappers) and mappers[0][1] == mappers[1][1]
    t.check(ok, "after fork, forkdemo's 4 pages (as pageinfo printed them) "
            "are shared frames, mapped by parent and child copy-on-write",
            "pids %s, pages %s" % (kids, after_fork))
    child = [p for p in snap["processes"] if p["name"] == "forkdemo" and
             p["pid"] == max(kids or [0])]
    bss = [r for r in child[0]["regions"] if r["kind"] == "bss"] \
        if child else []
    t.check(bss and bss[0]["pages"].startswith("CCCC"),
            "the child's bss pages show as copy-on-write",
            str(bss))

    snap = decode_file(kernel, written_ram)
    ok = len(written) == 4
    for page, (f, maps, flags) in written.items():
        mappers = snap["rmap"].get(str(f), [])
        if page < 2:
            ok = ok and len(mappers) == 1 and mappers[0][0] == max(kids) and \
                mappers[0][2] & snap["pte_bits"]["PTE_WRITABLE"] and \
                frame_owner(snap, f) == "pid:%d" % max(kids)
        else:
            ok = ok and len(mappers) == 2
    t.check(ok, "after the child writes pages 0 and 1, their frames are the "
            "child's alone and writable; pages 2 and 3 still shared",
            str(written))
    t.check(snap["counters"]["cow_faults"] > mem["cow_faults"],
            "the copy-on-write counter went up")

    snap = decode_file(kernel, after_ram)
    t.check(owner_counts(snap)["free"] == mem_after["free"] and
            owner_counts(snap).get("shared", 0) == 0,
            "after forkdemo: free frames equal mem's again, nothing shared")

    # ---- A saved moment as one page -------------------------------------------
    html_path = os.path.join(REPO, "build", "test-logs", "view-moment.html")
    subprocess.run([sys.executable, os.path.join(REPO, "tools", "view",
                                                 "memview.py"),
                    "html", written_ram, html_path, "--elf", ELF],
                   check=True, capture_output=True)
    with open(html_path, encoding="utf-8") as f:
        page = f.read()
    external = re.findall(r'(?:src|href)="(?!#)[^"]*"', page)
    t.check("window.MEMOS_STATE = {" in page and not external,
            "memview.py html writes one self-contained page (data inlined, "
            "no src or href)", "external references: %s" % external)

    junk = os.path.join(work, "junk.ram")
    with open(junk, "wb") as f:
        f.write(random.Random(7).randbytes(1 << 20))
    bad = subprocess.run([sys.executable, os.path.join(
        REPO, "tools", "view", "memview.py"), "html", junk,
        os.path.join(work, "junk.html"), "--elf", ELF],
        capture_output=True, text=True)
    t.check(bad.returncode == 1 and bad.stdout == "" and
            len(bad.stderr.splitlines()) == 1 and
            bad.stderr.startswith("view: %s does not hold a running memos"
                                  % junk),
            "a RAM image that holds no memos: one line saying so, status 1",
            "status %d: %s" % (bad.returncode, bad.stderr))

    # ---- Torn reads -----------------------------------------------------------------
    with open(fork_ram, "rb") as f:
        good = f.read()
    rng = random.Random(26)
    # Words the decoder follows: the kernel's .data/.bss, the heap, slabs.
    ranges = [(kernel.image_start - kernel.vma, kernel.image_end - kernel.vma)]
    frames_of = base64.b64decode(decode.decode(kernel, good)["frame_owner"])
    owners = decode.decode(kernel, good)["owners"]
    for f, code in enumerate(frames_of):
        if owners[code]["key"] in ("kheap", "slab", "pagedir", "pagetable"):
            ranges.append((f * 4096, f * 4096 + 4096))
    crashes = []
    errors = 0
    image = bytearray(good)
    for trial in range(150):
        changed = []
        for _ in range(rng.choice((1, 8, 64))):
            lo, hi = rng.choice(ranges)
            at = rng.randrange(lo, hi - 4) & ~3
            changed.append((at, bytes(image[at:at + 4])))
            image[at:at + 4] = rng.getrandbits(32).to_bytes(4, "little")
        try:
            decode.decode(kernel, image)
        except DecodeError:
            errors += 1
        except Exception as e:  # noqa: BLE001 (what the test is for)
            crashes.append("%s: %s" % (type(e).__name__, e))
        for at, old in reversed(changed):
            image[at:at + 4] = old
    t.check(not crashes,
            "150 corrupted snapshots decode or raise DecodeError (%d did), "
            "nothing else" % errors, "; ".join(crashes[:5]))

    # The server shows the last good moment and counts a glitch.
    live = os.path.join(work, "live.ram")
    shutil.copyfile(fork_ram, live)
    viewer = server.Viewer(kernel, live)
    first = viewer.state()["snapshot"]
    broken = bytearray(good)
    addr = kernel.vars["processes"][0] - kernel.vma
    broken[addr:addr + 4] = (0xDEAD0000).to_bytes(4, "little")
    with open(live, "r+b") as f:
        f.write(broken)
    viewer.last_at = 0
    second = viewer.state()
    t.check(first is not None and second["snapshot"] is first and
            second["glitches"] == 1,
            "a torn read shows the previous moment and counts one glitch",
            "glitches %d" % second["glitches"])
    shutil.rmtree(work, ignore_errors=True)
    check_launcher(t)
    return t.done()


def check_launcher(t):
    """make view's command: it prints what docs/view.md quotes, serves
    the running machine, ends with QEMU (Ctrl-A X) and leaves no RAM
    file behind."""
    import glob
    import json
    import threading
    import urllib.request
    with open(os.path.join(REPO, "docs", "view.md"), encoding="utf-8") as f:
        quoted = f.read().split("```\n", 2)[1].splitlines()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    before = set(glob.glob(os.path.join(shm, "memos-ram-*")))
    proc = subprocess.Popen(
        [sys.executable, os.path.join(REPO, "tools", "view", "memview.py"),
         "run", ISO, "--elf", ELF], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)  # its QEMU too can be ended at once
    out = bytearray()

    def read():
        while True:
            data = proc.stdout.read1(4096)
            if not data:
                return
            out.extend(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        end = time.time() + 30
        while out.count(b"\n") < 2 and time.time() < end:
            time.sleep(0.05)
        lines = out.decode("latin-1").splitlines()[:2]
        pattern = [re.escape(q).replace("PORT", r"\d+") for q in quoted]
        t.check(len(lines) == 2 and len(quoted) == 2 and
                all(re.fullmatch(p, x) for p, x in zip(pattern, lines)),
                "memview.py run (make view) prints the lines docs/view.md "
                "quotes", "printed %s, quoted %s" % (lines, quoted))
        url = re.search(r"http://127\.0\.0\.1:\d+/", out.decode("latin-1"))
        names = []
        while url and time.time() < end and "sh" not in names:
            with urllib.request.urlopen(url.group(0) + "api/state") as r:
                snap = json.load(r)["snapshot"]
            names = [p["name"] for p in snap["processes"]] if snap else []
            time.sleep(0.2)
        t.check("sh" in names, "its page serves the machine it booted "
                "(the shell appears)", "processes %s" % names)
        while b"memos$ " not in out and time.time() < end:
            time.sleep(0.05)
        proc.stdin.write(b"\x01x")  # Ctrl-A X: QEMU quits
        proc.stdin.flush()
        status = proc.wait(20)
        left = set(glob.glob(os.path.join(shm, "memos-ram-*"))) - before
        t.check(status == 0 and not left,
                "Ctrl-A X ends it with status 0 and no RAM file left",
                "status %s, left %s" % (status, left))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for path in set(glob.glob(os.path.join(shm, "memos-ram-*"))) - \
                before:
            os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
