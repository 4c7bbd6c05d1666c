# The memory viewer's web server (docs/view.md): serves the page (page/)
# and, as JSON, the decoded RAM of the running machine and its counters
# over time. Python's standard library only; it listens on 127.0.0.1.
import collections
import html
import json
import mmap
import os
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import decode
from kernel_types import DecodeError, LayoutError

PAGE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "page")
SAMPLE_SECONDS = 0.05    # one point of the counters' chart...
HISTORY = 1200           # ... and the last minute of them kept
FAST_SECONDS = 0.002     # free frames are read this often
SNAPSHOT_MAX_AGE = 0.15  # a decoded moment serves requests this long


def open_ram(path):
    """A read-only map of a RAM file, or None while it is not there."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return None
    with f:
        if os.fstat(f.fileno()).st_size == 0:
            return None
        return mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)


class Viewer:
    """Decodes the RAM file when asked (at most every SNAPSHOT_MAX_AGE),
    samples the counters in a thread, and keeps the last good moment: a
    torn read (the guest changed a structure while we read it) shows the
    previous moment and counts a glitch, never an error."""

    def __init__(self, kernel, ram_path):
        self.kernel = kernel
        self.ram_path = ram_path
        self.ram = None
        self.lock = threading.Lock()
        self.last = None
        self.last_at = 0.0
        self.glitches = 0
        self.last_glitch = ""
        self.error = None
        self.history = collections.deque(maxlen=HISTORY)
        self.stopping = threading.Event()

    def _ram(self):
        if self.ram is None:
            self.ram = open_ram(self.ram_path)
        return self.ram

    def snapshot(self):
        with self.lock:
            if self.last and time.time() - self.last_at < SNAPSHOT_MAX_AGE:
                return self.last
            data = self._ram()
            if data is None:
                return None
            for attempt in range(2):
                try:
                    self.last = decode.decode(self.kernel, data)
                    self.last_at = time.time()
                    self.error = None
                    break
                except LayoutError as e:
                    self.error = str(e)
                    return None
                except Exception as e:  # noqa: BLE001
                    # A torn read: any error at all while decoding a
                    # moment (DecodeError is what the decoder's checks
                    # raise) costs that moment, never the viewer.
                    # Before the first good one, the kernel has not set
                    # its memory up yet: that is waiting, not a glitch.
                    if attempt == 1 and self.last is not None:
                        self.glitches += 1
                        self.last_glitch = "%s: %s" % (type(e).__name__, e)
            return self.last

    def state(self):
        snap = self.snapshot()
        return {"snapshot": snap, "history": list(self.history),
                "glitches": self.glitches, "last_glitch": self.last_glitch,
                "error": self.error,
                "waiting": snap is None and self.error is None}

    def sample_forever(self):
        """The counters over time. Free frames are read every
        FAST_SECONDS (one word of the kernel's .bss: cheap), so that a
        program that takes and gives back frames in a few milliseconds
        (memhog) still shows; every SAMPLE_SECONDS one point is kept:
        [time, lowest free, highest free, free now, COUNTERS...]."""
        words = None
        while not self.stopping.is_set():
            data = self._ram()
            if data is None:
                self.stopping.wait(SAMPLE_SECONDS)
                continue
            if words is None:
                try:
                    words = self._counter_addresses(data)
                except (DecodeError, LayoutError, ValueError):
                    self.stopping.wait(SAMPLE_SECONDS)
                    continue
            free_at = words[0]
            low = high = None
            end = time.time() + SAMPLE_SECONDS
            while time.time() < end:
                v = struct.unpack_from("<I", data, free_at)[0]
                low = v if low is None else min(low, v)
                high = v if high is None else max(high, v)
                time.sleep(FAST_SECONDS)
            now = struct.unpack_from("<I", data, free_at)[0]
            self.history.append(
                [round(time.time(), 3), min(low, now), max(high, now), now] +
                [struct.unpack_from("<I", data, a)[0] for a in words[1:]])

    def _counter_addresses(self, data):
        """Physical addresses of free_frames and of each counter."""
        ram = decode.Ram(self.kernel, data)
        values = [ram.var("free_frames")] + \
            [ram.var("vm_counters").get(n) for n in decode.COUNTERS]
        return [ram.translate(v.addr) for v in values]


def read_page_file(name):
    with open(os.path.join(PAGE_DIR, name), encoding="utf-8") as f:
        return f.read()


def standalone_html(state, title="memos: memory at one moment"):
    """The page with its script, style and one moment inlined: a file
    that opens anywhere, with no server."""
    page = read_page_file("index.html")
    style = "<style>\n%s</style>" % read_page_file("view.css")
    data = json.dumps(state, separators=(",", ":")).replace("</", "<\\/")
    script = "<script>\nwindow.MEMOS_STATE = %s;\n</script>\n" \
        "<script>\n%s</script>" % (data, read_page_file("view.js"))
    page = page.replace('<link rel="stylesheet" href="view.css">', style)
    page = page.replace('<script src="view.js"></script>', script)
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(
        state["snapshot"]["time"])) if state.get("snapshot") else "?"
    return page.replace("<title>memos: memory</title>",
                        "<title>%s (%s)</title>" % (html.escape(title), when))


def make_handler(viewer, snapshot_out):
    class Handler(BaseHTTPRequestHandler):
        def send(self, code, body, kind, extra=None):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            files = {"/": ("index.html", "text/html; charset=utf-8"),
                     "/view.js": ("view.js", "text/javascript"),
                     "/view.css": ("view.css", "text/css")}
            if path in files:
                name, kind = files[path]
                self.send(200, read_page_file(name), kind)
            elif path == "/api/state":
                self.send(200, json.dumps(viewer.state(),
                                          separators=(",", ":")),
                          "application/json")
            elif path == "/favicon.ico":
                self.send(204, b"", "image/x-icon")
            elif path == "/snapshot.html":
                self.send(200, standalone_html(viewer.state()),
                          "text/html; charset=utf-8",
                          {"Content-Disposition":
                           'attachment; filename="memos-memory.html"'})
            else:
                self.send(404, "not found\n", "text/plain")

        def do_POST(self):
            """The page sends the moment it shows; it gets it back as a
            self-contained page (and make view's SNAPSHOT file gets it)."""
            if self.path != "/api/save":
                self.send(404, "not found\n", "text/plain")
                return
            length = int(self.headers.get("Content-Length", 0))
            try:
                state = json.loads(self.rfile.read(length))
                page = standalone_html(state)
            except (ValueError, KeyError, TypeError) as e:
                self.send(400, "not a moment of the viewer: %s\n" % e,
                          "text/plain")
                return
            if snapshot_out:
                with open(snapshot_out, "w", encoding="utf-8") as f:
                    f.write(page)
                sys.stderr.write("\r\nview: wrote %s\r\n" % snapshot_out)
            self.send(200, page, "text/html; charset=utf-8")

        def log_message(self, fmt, *args):
            pass  # the terminal belongs to memos' console

    return Handler


class QuietServer(ThreadingHTTPServer):
    """The terminal is memos' console: a browser that goes away in the
    middle of an answer is normal and says nothing; anything else is one
    line, not a traceback."""
    daemon_threads = True

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError)):
            return
        sys.stderr.write("\r\nview: a request failed: %s: %s\r\n" %
                         (type(error).__name__, error))


def start(viewer, port=0, snapshot_out=None):
    """Serves in threads; returns the server (server_address has the
    port) and starts the counters' sampler."""
    server = QuietServer(("127.0.0.1", port),
                         make_handler(viewer, snapshot_out))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=viewer.sample_forever, daemon=True).start()
    return server
