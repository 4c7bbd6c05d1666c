# A memos machine for the viewer's tests: QEMU booting the shell's ISO with
# its RAM in a shared file (as `make view` runs it), the serial console on
# pipes (commands typed once the prompt shows, as tests/shell-qemu.sh
# does) and the monitor on a socket (stop, cont, quit). Everything it
# starts ends with close(), also when a test fails.
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tools", "view"))
import memview  # noqa: E402  (the same QEMU options as `make view`)

PROMPT = b"memos$ "


class Machine:
    def __init__(self, iso, log_path, ram_mib=128):
        self.dir = tempfile.mkdtemp(prefix="memos-view-test-")
        self.ram_path = memview.ram_file_path()
        self.monitor_path = os.path.join(self.dir, "monitor")
        self.log_path = log_path
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        self.output = bytearray()
        self.lock = threading.Lock()
        # A fresh sparse swap disk of its own, as every test boot gets
        # (tools/swap-disk.sh; SWAP_MB=0: none).
        swap_mb = int(os.environ.get("SWAP_MB", "128"))
        swap = []
        if swap_mb > 0:
            swap_path = os.path.join(self.dir, "swap.img")
            with open(swap_path, "wb") as disk:
                disk.truncate(swap_mb * 1024 * 1024)
            swap = ["-drive",
                    "file=%s,format=raw,if=ide,index=1" % swap_path]
        cmd = ["qemu-system-i386"] + memview.qemu_ram_options(
            self.ram_path, ram_mib) + swap + [
            "-no-reboot", "-boot", "d", "-cdrom", iso,
            "-display", "none", "-serial", "stdio",
            "-monitor", "unix:%s,server,nowait" % self.monitor_path,
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        self.qemu = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.prompts_seen = 0

    def _read(self):
        with open(self.log_path, "wb") as log:
            while True:
                data = self.qemu.stdout.read1(4096)
                if not data:
                    return
                log.write(data)
                log.flush()
                with self.lock:
                    self.output += data

    def text(self):
        with self.lock:
            return bytes(self.output).replace(b"\r", b"").decode("latin-1")

    def wait_prompt(self, count, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            with self.lock:
                if self.output.count(PROMPT) >= count:
                    return
            if self.qemu.poll() is not None:
                raise RuntimeError("QEMU ended (status %s)" %
                                   self.qemu.returncode)
            time.sleep(0.05)
        raise RuntimeError("no shell prompt after %d s" % timeout)

    def boot(self, timeout=60):
        self.wait_prompt(1, timeout)
        self.prompts_seen = 1

    def type(self, command):
        """Types a command; does not wait for it."""
        with self.lock:
            self.mark = len(self.output)
        self.qemu.stdin.write(command.encode() + b"\r")
        self.qemu.stdin.flush()
        self.prompts_seen += 1

    def run(self, command, timeout=60):
        """Types command and returns what it printed, up to the prompt."""
        self.type(command)
        self.wait_prompt(self.prompts_seen, timeout)
        with self.lock:
            out = bytes(self.output[self.mark:])
        out = out.replace(b"\r", b"").decode("latin-1")
        lines = out.split("\n")[1:]  # the echoed command
        return "\n".join(line for line in lines
                         if not line.startswith("memos$"))

    def monitor(self, command):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(100):
            try:
                s.connect(self.monitor_path)
                break
            except OSError:
                time.sleep(0.05)
        s.settimeout(10)
        data = b""
        while b"(qemu)" not in data:
            data += s.recv(4096)
        s.sendall(command.encode() + b"\n")
        data = b""
        while data.count(b"(qemu)") < 1:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        return data.decode("latin-1")

    def save_ram(self, path):
        """A copy of the RAM, taken with the machine stopped."""
        self.monitor("stop")
        try:
            shutil.copyfile(self.ram_path, path)
        finally:
            self.monitor("cont")

    def close(self):
        if self.qemu.poll() is None:
            self.qemu.kill()
        self.qemu.wait()
        self.reader.join(5)
        for path in (self.ram_path,):
            if os.path.exists(path):
                os.unlink(path)
        shutil.rmtree(self.dir, ignore_errors=True)
