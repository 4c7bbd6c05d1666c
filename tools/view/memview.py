#!/usr/bin/python3
# The memory viewer (docs/view.md), from the command line:
#
#   memview.py run ISO [--snapshot FILE]   boot ISO in QEMU (the console in
#                                          this terminal, as `make run`) and
#                                          serve the live page
#   memview.py serve RAMFILE               serve the page for a RAM file
#   memview.py html RAMFILE OUT.html       one moment as a self-contained page
#   memview.py json RAMFILE                the decoded moment, as JSON
#
# --elf (default build/kernel.elf) gives the kernel's symbols and types.
import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import decode
    import server
    from kernel_types import DecodeError, LayoutError
except ImportError as e:
    sys.exit("view: %s: install python3-pyelftools (tools/install-deps.sh "
             "view) and run this with Debian's /usr/bin/python3" % e)

REPO = decode.REPO
# The Makefile passes its QEMU_FLAGS; these are the same, for a run by hand.
DEFAULT_QEMU_FLAGS = "-m 128M -no-reboot -boot d " \
    "-device isa-debug-exit,iobase=0xf4,iosize=0x04"


def ram_file_path():
    """Where QEMU puts the guest's RAM: in memory (/dev/shm) when the
    machine has it, so reading it costs no disk."""
    where = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    fd, path = tempfile.mkstemp(prefix="memos-ram-", dir=where)
    os.close(fd)
    os.unlink(path)  # QEMU creates it with the right size
    return path


def qemu_ram_options(path, mib=128):
    """QEMU 7.2's way to keep the guest's RAM in a file others can read
    while it runs: a memory backend shared with the file, as the
    machine's RAM."""
    return ["-m", "%dM" % mib,
            "-object", "memory-backend-file,id=ram,size=%dM,mem-path=%s,"
            "share=on" % (mib, path),
            "-machine", "pc,memory-backend=ram"]


def ram_size(flags):
    """make run's QEMU flags without their -m SIZE, and SIZE in MiB (the
    RAM file must have the machine's size)."""
    out, mib = [], 128
    i = 0
    while i < len(flags):
        if flags[i] == "-m" and i + 1 < len(flags):
            size = flags[i + 1].upper().rstrip("MB")
            if not size.isdigit():
                sys.exit("view: -m %s: give the size in MiB (-m 128M)" %
                         flags[i + 1])
            mib = int(size)
            i += 2
            continue
        out.append(flags[i])
        i += 1
    return out, mib


def load_kernel(elf):
    try:
        return decode.Kernel(elf)
    except LayoutError as e:
        sys.exit("view: %s" % e)
    except FileNotFoundError as e:
        sys.exit("view: %s: build it first (make)" % e.filename)


def state_of(kernel, ram_path):
    data = server.open_ram(ram_path)
    if data is None:
        sys.exit("view: %s: no such RAM image" % ram_path)
    try:
        snap = decode.decode(kernel, data)
    except DecodeError as e:
        sys.exit("view: %s does not hold a running memos that %s "
                 "describes (%s)" % (ram_path, kernel.types.path, e))
    return {"snapshot": snap, "history": [], "glitches": 0,
            "last_glitch": "", "error": None, "waiting": False}


def listen(viewer, args):
    try:
        return server.start(viewer, args.port, args.snapshot)
    except OSError as e:
        sys.exit("view: cannot listen on 127.0.0.1:%d: %s" %
                 (args.port, e.strerror))


def cmd_run(args, kernel):
    ram = ram_file_path()
    viewer = server.Viewer(kernel, ram)
    httpd = listen(viewer, args)
    url = "http://127.0.0.1:%d/" % httpd.server_address[1]
    print("view: the memory of this machine, live: %s" % url)
    if args.snapshot:
        print("view: the page's Save button writes the moment shown to %s"
              % args.snapshot)
    print("Booting in QEMU. Quit with Ctrl-A then X.")
    sys.stdout.flush()
    flags, mib = ram_size(shlex.split(args.qemu_flags))
    cmd = ["qemu-system-i386"] + qemu_ram_options(ram, mib) + flags + [
        "-cdrom", args.target, "-nographic"]
    # Ended from outside (a closed terminal, kill): QEMU goes too
    # (subprocess.call kills it when interrupted) and the RAM file with it.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(1))
    try:
        status = subprocess.call(cmd)
    except KeyboardInterrupt:
        status = 0
    finally:
        viewer.stopping.set()
        httpd.shutdown()
        if os.path.exists(ram):
            os.unlink(ram)
    # 33: the kernel powered off after init succeeded (as `make run`).
    return 0 if status in (0, 33) else status


def cmd_serve(args, kernel):
    viewer = server.Viewer(kernel, args.target)
    httpd = listen(viewer, args)
    print("view: http://127.0.0.1:%d/" % httpd.server_address[1],
          flush=True)
    try:
        viewer.stopping.wait()
    except KeyboardInterrupt:
        pass
    return 0


def cmd_html(args, kernel):
    if not args.out:
        sys.exit("view: html needs RAMFILE and OUT.html")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(server.standalone_html(state_of(kernel, args.target)))
    print("view: wrote %s" % args.out)
    return 0


def cmd_json(args, kernel):
    json.dump(state_of(kernel, args.target)["snapshot"], sys.stdout)
    print()
    return 0


def main():
    p = argparse.ArgumentParser(description="memos' memory viewer "
                                "(docs/view.md)")
    p.add_argument("command", choices=["run", "serve", "html", "json"])
    p.add_argument("target", help="the ISO (run) or a RAM file")
    p.add_argument("out", nargs="?", help="html: the file to write")
    p.add_argument("--elf", default=os.path.join(REPO, "build",
                                                 "kernel.elf"))
    p.add_argument("--port", type=int, default=0,
                   help="the port (default: any free one)")
    p.add_argument("--snapshot", help="run/serve: the page's Save button "
                   "writes the moment shown to this file")
    p.add_argument("--qemu-flags", default=DEFAULT_QEMU_FLAGS,
                   help="run: QEMU's options as make run gives them "
                   "(the Makefile's QEMU_FLAGS)")
    args = p.parse_args()
    kernel = load_kernel(args.elf)
    return {"run": cmd_run, "serve": cmd_serve, "html": cmd_html,
            "json": cmd_json}[args.command](args, kernel)


if __name__ == "__main__":
    sys.exit(main())
