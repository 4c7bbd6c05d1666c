// memos' memory viewer (docs/view.md): draws what tools/view/decode.py
// read in the machine's RAM. Live, it asks the server for the latest
// moment a few times a second; a saved page carries one moment in
// window.MEMOS_STATE and never asks.
"use strict";

const POLL_MS = 250;
const COLS = 256;          // frames per row: one row is 1 MiB
const CELL = 4;            // pixels per frame (3 and a gap)
const MARGIN = 48;         // left of the grid: the MiB labels
const ZOOM_COLS = 64;      // the close-up: 16 rows of 64 frames (4 MiB)
const ZOOM_FRAMES = 1024;
const ZOOM_CELL = 16;
const KIND_COLOURS = {
  free: "#ffffff", reserved: "#9e9e9e", kernel: "#37474f",
  initrd: "#8d6e63", pagedir: "#d81b60", pagetable: "#f06292",
  kheap: "#1e88e5", slab: "#00acc1", kmap: "#fdd835",
  "kernel-other": "#000000", shared: "#ff6f00",
};
const PAGE_STATES = [
  [".", "not touched: no frame yet (the first touch faults one in)"],
  ["W", "has a frame, writable"],
  ["R", "has a frame, read-only"],
  ["C", "copy-on-write, shared: the first write copies it"],
  ["c", "copy-on-write, mapped once: the next write takes it back"],
];

const view = {
  state: null, owners: null, paused: false, frame: null, pid: null,
  page: null, block: null, live: !window.MEMOS_STATE,
};
window.memview = view;

function $(id) { return document.getElementById(id); }
function hex(n, width) {
  return "0x" + (n >>> 0).toString(16).padStart(width || 8, "0");
}
function pidColour(pid) {
  return "hsl(" + ((pid * 137.508 + 120) % 360) + ",60%,52%)";
}
function ownerColour(owner) {
  if (owner.pid !== undefined) return pidColour(owner.pid);
  return KIND_COLOURS[owner.key] || "#000";
}
function text(el, s) { el.textContent = s; }

// ---- Fetching -------------------------------------------------------------

async function poll() {
  if (!view.paused) {
    try {
      const reply = await fetch("/api/state", { cache: "no-store" });
      show(await reply.json());
    } catch (e) {
      text($("status"), "the viewer's server does not answer (" + e.message +
           "): has memos stopped?");
    }
  }
  setTimeout(poll, POLL_MS);
}

function show(state) {
  view.state = state;
  const err = $("error");
  err.hidden = !state.error;
  if (state.error) text(err, "The viewer cannot read this kernel: " +
                        state.error);
  if (!state.snapshot) {
    text($("status"), state.waiting ? "waiting for the kernel to set up " +
                                      "its memory..." : "no picture");
    return;
  }
  const s = state.snapshot;
  const warn = $("warnings");
  warn.hidden = !s.warnings.length;
  text(warn, s.warnings.map(w => "viewer: " + w).join("\n"));
  const when = new Date(s.time * 1000).toLocaleTimeString();
  let status = (view.live ? (view.paused ? "paused at " : "live, ")
                          : "saved moment of ") + when;
  if (state.glitches) status += "; torn reads skipped: " + state.glitches;
  text($("status"), status);
  view.owners = Uint8Array.from(atob(s.frame_owner), c => c.charCodeAt(0));
  drawFrames();
  drawZoom();
  drawLegend();
  showFrame();
  fillProcesses();
  drawSpace();
  drawHeap();
  fillSlabs();
  drawChart();
}

// ---- Physical memory ------------------------------------------------------

function frameXY(f) {
  return { x: MARGIN + (f % COLS) * CELL + 1, y: Math.floor(f / COLS) * CELL + 1 };
}
view.frameXY = frameXY;

function drawFrames() {
  const s = view.state.snapshot;
  const canvas = $("frames");
  const rows = Math.ceil(s.frames / COLS);
  const height = rows * CELL + 8;
  if (canvas.height !== height) canvas.height = height;
  canvas.width = MARGIN + COLS * CELL;
  const g = canvas.getContext("2d");
  g.fillStyle = "#e0e0e0";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "#fafafa";
  g.fillRect(0, 0, MARGIN, canvas.height);
  const colours = s.owners.map(ownerColour);
  for (let f = 0; f < s.frames; f++) {
    const p = frameXY(f);
    g.fillStyle = colours[view.owners[f]];
    g.globalAlpha = highlighted(f) ? 1 : 0.15;
    g.fillRect(p.x - 1, p.y - 1, CELL - 1, CELL - 1);
  }
  g.globalAlpha = 1;
  // A shared frame: its mappers' colours side by side, over its count.
  for (const [f, mappers] of Object.entries(s.rmap)) {
    if (mappers.length < 2 || !highlighted(+f)) continue;
    const p = frameXY(+f);
    const pids = [...new Set(mappers.map(m => m[0]))];
    g.fillStyle = pidColour(pids[0]);
    g.fillRect(p.x - 1, p.y - 1, 1, CELL - 1);
    g.fillStyle = pidColour(pids[pids.length - 1]);
    g.fillRect(p.x + 1, p.y - 1, 1, CELL - 1);
  }
  g.fillStyle = "#555";
  g.font = "10px monospace";
  for (let row = 0; row < rows; row += 16)
    g.fillText((row * COLS * s.page_size >> 20) + " MiB", 2,
               row * CELL + 9);
  if (view.frame !== null && view.frame < s.frames) {
    const p = frameXY(view.frame);
    g.strokeStyle = "#e53935";
    g.lineWidth = 2;
    g.strokeRect(p.x - 4, p.y - 4, CELL + 5, CELL + 5);
  }
}

// A click on a legend entry shows only its frames (a process's shared
// frames count as its own); a second click shows all again.
function highlighted(f) {
  if (!view.highlight) return true;
  const s = view.state.snapshot;
  const key = s.owners[view.owners[f]].key;
  if (key === view.highlight) return true;
  const pid = view.highlight.startsWith("pid:") ? +view.highlight.slice(4)
                                                : null;
  return pid !== null && key === "shared" &&
         (s.rmap[f] || []).some(m => m[0] === pid);
}

// The legend's entries stay while the owners do (a new picture only
// changes their counts), so that a click on one is never lost.
function drawLegend() {
  const s = view.state.snapshot;
  const legend = $("legend");
  const shown = s.owners.filter(o => o.count || o.key === "free");
  const key = shown.map(o => o.key + "=" + o.label).join("|");
  if (legend.dataset.key !== key) {
    legend.textContent = "";
    legend.dataset.key = key;
    for (const o of shown) {
      const item = document.createElement("div");
      item.className = "legend-item";
      item.dataset.key = o.key;
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = ownerColour(o);
      const label = document.createElement("span");
      label.className = "label";
      const count = document.createElement("span");
      count.className = "count";
      count.dataset.key = o.key;
      item.append(sw, label, count);
      item.style.cursor = "pointer";
      item.addEventListener("click", () => {
        view.highlight = view.highlight === o.key ? null : o.key;
        drawFrames();
        drawLegend();
      });
      legend.append(item);
    }
  }
  const sharing = {};
  for (const mappers of Object.values(s.rmap))
    if (mappers.length > 1)
      sharing[mappers.length] = (sharing[mappers.length] || 0) + 1;
  shown.forEach((o, i) => {
    const item = legend.children[i];
    let label = o.label;
    if (o.key === "shared" && Object.keys(sharing).length)
      label += " (" + Object.entries(sharing).map(
        ([n, c]) => c + " mapped " + n + " times").join(", ") + ")";
    item.querySelector(".label").textContent = label;
    item.querySelector(".count").textContent = o.count;
    item.style.fontWeight = view.highlight === o.key ? "bold" : "";
  });
  text($("free-frames"), s.counters.free_frames);
  text($("total-frames"), s.counters.total_frames);
  const free = s.owners.find(o => o.key === "free");
  text($("picture-free"), free ? free.count : 0);
}

function flagNames(flags) {
  const bits = view.state.snapshot.pte_bits;
  const names = Object.keys(bits).filter(n => flags & bits[n]);
  return names.length ? names.join(" ") : "-";
}

function processName(pid) {
  const p = view.state.snapshot.processes.find(p => p.pid === pid);
  return p ? p.name : "(gone)";
}

function showFrame() {
  const out = $("frame-details");
  if (view.frame === null || !view.state) return;
  const s = view.state.snapshot;
  const f = view.frame;
  const owner = s.owners[view.owners[f]];
  const pa = f * s.page_size;
  let lines = ["frame " + f + ", physical " + hex(pa) + "-" +
               hex(pa + s.page_size - 1) + ": " + owner.label];
  const note = s.notes[f];
  if (note) lines.push("the kernel uses it as: " + note);
  const mappers = s.rmap[f] || [];
  if (mappers.length) {
    lines.push("reference count (the frame allocator's): " +
               (s.refs[f] || mappers.length) + "; mapped by " +
               mappers.length + " page table entr" +
               (mappers.length === 1 ? "y:" : "ies:"));
    for (const [pid, va, flags] of mappers)
      lines.push("  pid " + String(pid).padEnd(4) + " " +
                 processName(pid).padEnd(12) + " at " + hex(va) +
                 "  " + flagNames(flags));
  }
  out.textContent = lines.join("\n");
  out.dataset.frame = f;
  out.dataset.mappers = mappers.length;
}

function selectFrame(f) {
  view.frame = f;
  view.zoom = Math.floor(f / ZOOM_FRAMES) * ZOOM_FRAMES;
  drawFrames();
  drawZoom();
  showFrame();
}
view.selectFrame = selectFrame;

function describeFrame(f) {
  const s = view.state.snapshot;
  const n = (s.rmap[f] || []).length;
  return "frame " + f + " (" + hex(f * s.page_size) + "): " +
    s.owners[view.owners[f]].label + (n > 1 ? ", mapped " + n + " times" : "");
}

$("frames").addEventListener("mousemove", ev => {
  if (!view.state || !view.state.snapshot) return;
  const r = ev.target.getBoundingClientRect();
  const x = ev.clientX - r.left - MARGIN, y = ev.clientY - r.top;
  const f = Math.floor(y / CELL) * COLS + Math.floor(x / CELL);
  ev.target.title = x >= 0 && f < view.state.snapshot.frames ?
    describeFrame(f) : "";
});

$("frames").addEventListener("click", ev => {
  if (!view.state || !view.state.snapshot) return;
  const r = ev.target.getBoundingClientRect();
  const x = ev.clientX - r.left - MARGIN, y = ev.clientY - r.top;
  if (x < 0) return;
  const f = Math.floor(y / CELL) * COLS + Math.floor(x / CELL);
  if (f < view.state.snapshot.frames) selectFrame(f);
});

// The close-up: 4 MiB around the chosen frame (at first: around the first
// frame a process holds), big enough to mark shared frames with their
// count.
function defaultZoom() {
  const s = view.state.snapshot;
  for (let f = 0; f < s.frames; f++) {
    const key = s.owners[view.owners[f]].key;
    if (key === "shared" || key.startsWith("pid:"))
      return Math.floor(f / ZOOM_FRAMES) * ZOOM_FRAMES;
  }
  return 0;
}

function zoomXY(f) {
  const i = f - view.zoom;
  return { x: (i % ZOOM_COLS) * ZOOM_CELL + ZOOM_CELL / 2,
           y: Math.floor(i / ZOOM_COLS) * ZOOM_CELL + ZOOM_CELL / 2 };
}
// For the tests: shows frame f in the close-up, returns where it is.
view.zoomTo = f => {
  view.zoom = Math.floor(f / ZOOM_FRAMES) * ZOOM_FRAMES;
  drawZoom();
  return zoomXY(f);
};

function drawZoom() {
  const s = view.state.snapshot;
  if (view.zoom === undefined || view.zoom >= s.frames)
    view.zoom = defaultZoom();
  const c = $("zoom");
  const g = c.getContext("2d");
  g.fillStyle = "#e0e0e0";
  g.fillRect(0, 0, c.width, c.height);
  const colours = s.owners.map(ownerColour);
  g.font = "bold 11px monospace";
  g.textAlign = "center";
  const end = Math.min(s.frames, view.zoom + ZOOM_FRAMES);
  for (let f = view.zoom; f < end; f++) {
    const p = zoomXY(f);
    const x = p.x - ZOOM_CELL / 2, y = p.y - ZOOM_CELL / 2;
    const mappers = s.rmap[f] || [];
    if (mappers.length > 1) {
      const pids = [...new Set(mappers.map(m => m[0]))];
      pids.forEach((pid, j) => {
        g.fillStyle = pidColour(pid);
        g.fillRect(x + j * (ZOOM_CELL - 1) / pids.length, y,
                   (ZOOM_CELL - 1) / pids.length, ZOOM_CELL - 1);
      });
      g.fillStyle = "#000";
      g.fillText(String(mappers.length), p.x, p.y + 4);
    } else {
      g.fillStyle = colours[view.owners[f]];
      g.fillRect(x, y, ZOOM_CELL - 1, ZOOM_CELL - 1);
    }
    if (f === view.frame) {
      g.strokeStyle = "#e53935";
      g.lineWidth = 2;
      g.strokeRect(x, y, ZOOM_CELL - 1, ZOOM_CELL - 1);
    }
  }
  const mib = n => (n * s.page_size / 1048576).toFixed(0);
  text($("zoom-caption"), "Close-up of " + mib(view.zoom) + "-" + mib(end) +
       " MiB (frames " + view.zoom + "-" + (end - 1) + "); a shared " +
       "frame shows its mappers' colours and how many map it.");
}

$("zoom").addEventListener("mousemove", ev => {
  if (!view.state || !view.state.snapshot) return;
  const r = ev.target.getBoundingClientRect();
  const f = view.zoom + Math.floor((ev.clientY - r.top) / ZOOM_CELL) *
            ZOOM_COLS + Math.floor((ev.clientX - r.left) / ZOOM_CELL);
  ev.target.title = f < view.state.snapshot.frames ? describeFrame(f) : "";
});

$("zoom").addEventListener("click", ev => {
  if (!view.state || !view.state.snapshot) return;
  const r = ev.target.getBoundingClientRect();
  const f = view.zoom + Math.floor((ev.clientY - r.top) / ZOOM_CELL) *
            ZOOM_COLS + Math.floor((ev.clientX - r.left) / ZOOM_CELL);
  if (f < view.state.snapshot.frames) {
    view.frame = f;
    drawFrames();
    drawZoom();
    showFrame();
  }
});

// ---- A process's address space ---------------------------------------------

function userProcesses() {
  const s = view.state.snapshot;
  return s.processes.filter(p => !p.kernel_task && p.regions.length);
}

function fillProcesses() {
  const select = $("process");
  const procs = userProcesses();
  const want = procs.map(p => p.pid + ":" + p.name).join(",");
  if (select.dataset.list !== want) {
    select.textContent = "";
    for (const p of procs) {
      const o = document.createElement("option");
      o.value = p.pid;
      o.textContent = p.name + " (pid " + p.pid + ", " + p.state + ")";
      select.append(o);
    }
    select.dataset.list = want;
  }
  if (!procs.some(p => p.pid === view.pid))
    view.pid = procs.length ? procs[0].pid : null;  // the newest
  if (view.pid !== null) select.value = view.pid;
}
$("process").addEventListener("change", ev => {
  view.pid = +ev.target.value;
  view.page = null;
  drawSpace();
});
view.selectProcess = pid => { view.pid = pid; drawSpace(); };

function pageState(p, va, ch) {
  if (ch !== "C") return ch;
  const pte = p.ptes[va];
  const f = Math.floor(pte / view.state.snapshot.page_size);
  const mappers = view.state.snapshot.rmap[f] || [];
  return mappers.length > 1 ? "C" : "c";
}

function stateColour(ch, pid) {
  switch (ch) {
  case ".": return "#eeeeee";
  case "W": return pidColour(pid);
  case "R": return "hsl(" + ((pid * 137.508 + 120) % 360) + ",35%,35%)";
  case "C": return KIND_COLOURS.shared;
  case "c": return "#ffcc80";
  }
  return "#000";
}

// Pages drawn per region: cell pixels, cells a row (the browser test,
// tests/view/test_browser.py, clicks a page by them).
function pageGrid(pages) {
  return pages > 4096 ? { cell: 4, cols: 256 } : { cell: 10, cols: 100 };
}

// The regions' elements stay while the regions do (a new picture only
// repaints them), so a click or a selection is not lost 4 times a second.
function drawSpace() {
  const box = $("regions");
  const s = view.state && view.state.snapshot;
  const p = s && s.processes.find(q => q.pid === view.pid);
  if (!p) {
    box.textContent = "";
    box.dataset.key = "";
    text($("process-summary"), "no user process");
    return;
  }
  text($("process-summary"), " page directory " + hex(p.page_directory) +
       ", " + p.frames + " pages with a frame, " + p.page_tables +
       " page tables, break " + hex(p.brk || 0));
  drawOverview(p);
  const legend = $("page-legend");
  legend.textContent = "";
  for (const [ch, label] of PAGE_STATES) {
    const item = document.createElement("span");
    item.className = "legend-item";
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = stateColour(ch, p.pid);
    item.append(sw, document.createTextNode(label));
    legend.append(item);
  }
  const key = p.pid + ":" + p.regions.map(r => r.start + "-" + r.end).join();
  if (box.dataset.key !== key) {
    box.textContent = "";
    box.dataset.key = key;
    for (const r of p.regions) {
      const div = document.createElement("div");
      div.className = "region";
      const head = document.createElement("div");
      head.className = "region-head";
      div.append(head);
      const pages = r.pages.length;
      if (pages) {
        const { cell, cols } = pageGrid(pages);
        const c = document.createElement("canvas");
        c.width = Math.min(pages, cols) * cell;
        c.height = Math.ceil(pages / cols) * cell;
        c.dataset.start = r.start;
        c.addEventListener("click", ev => {
          const b = ev.target.getBoundingClientRect();
          const i = Math.floor((ev.clientY - b.top) / cell) * cols +
                    Math.floor((ev.clientX - b.left) / cell);
          if (i < pages) {
            const s = view.state.snapshot;
            view.page = r.start + i * s.page_size;
            drawSpace();
            // Its frame, if it has one, is shown in physical memory too.
            const p = s.processes.find(q => q.pid === view.pid);
            const pte = p && p.ptes[view.page];
            if (pte & s.pte_bits.PTE_PRESENT)
              selectFrame(Math.floor(pte / s.page_size));
          }
        });
        div.append(c);
      }
      box.append(div);
    }
  }
  p.regions.forEach((r, k) => {
    const div = box.children[k];
    const pages = r.pages.length;
    const resident = [...r.pages].filter(c => c !== ".").length;
    div.firstChild.textContent = hex(r.start).slice(2) + "-" +
      hex(r.end).slice(2) + " " + r.rights + " " + r.kind.padEnd(6) + " " +
      pages + " pages, " + resident + " with a frame";
    if (!pages) return;
    const { cell, cols } = pageGrid(pages);
    const g = div.lastChild.getContext("2d");
    for (let i = 0; i < pages; i++) {
      const va = r.start + i * s.page_size;
      g.fillStyle = stateColour(pageState(p, va, r.pages[i]), p.pid);
      g.clearRect((i % cols) * cell, Math.floor(i / cols) * cell, cell, cell);
      g.fillRect((i % cols) * cell, Math.floor(i / cols) * cell,
                 cell - 1, cell - 1);
      if (view.page === va) {
        g.strokeStyle = "#e53935";
        g.lineWidth = 2;
        g.strokeRect((i % cols) * cell + 1, Math.floor(i / cols) * cell + 1,
                     cell - 3, cell - 3);
      }
    }
  });
  showPage(p);
}

function drawOverview(p) {
  const s = view.state.snapshot;
  const c = $("overview");
  const g = c.getContext("2d");
  const w = c.width, top = 4, h = 28;
  const scale = w / 4294967296;
  g.clearRect(0, 0, w, c.height);
  g.fillStyle = "#f5f5f5";
  g.fillRect(0, top, w, h);
  g.fillStyle = KIND_COLOURS.kernel;
  const kx = s.kernel.vma * scale;
  g.fillRect(kx, top, w - kx, h);
  g.fillStyle = "#fff";
  g.font = "11px sans-serif";
  g.fillText("kernel: the same in every process", kx + 6, top + 18);
  g.font = "10px monospace";
  for (const r of p.regions) {
    const x = r.start * scale;
    g.fillStyle = r.kind === "stack" ? "#7e57c2" : pidColour(p.pid);
    g.fillRect(x, top, Math.max(3, (r.end - r.start) * scale), h);
  }
  g.fillStyle = "#333";
  for (const [va, label] of [[0, "0"], [0x40000000, "1 GiB"],
                             [0x80000000, "2 GiB"], [s.kernel.vma,
                             "3 GiB (KERNEL_VMA)"]])
    g.fillText(label, va * scale + 2, top + h + 12);
  g.fillText("regions: " + p.regions.map(r => r.kind).join(", "),
             200, top + h + 26);
}

function showPage(p) {
  const out = $("page-details");
  if (view.page === null) return;
  const s = view.state.snapshot;
  const va = view.page;
  const pdx = Math.floor(va / (1024 * s.page_size));
  const ptx = Math.floor(va / s.page_size) % 1024;
  const pde = p.pdes[pdx] || 0;
  const pte = p.ptes[va] || 0;
  const bits = s.pte_bits;
  const r = p.regions.find(r => r.start <= va && va < r.end);
  let lines = [hex(va) + ": " + (r ? r.kind + " region, " + r.rights :
               "no region")];
  lines.push(hex(va) + ": page directory " + hex(p.page_directory) +
             ", PDE " + pdx + " = " + hex(pde) + " (" + flagNames(pde) + ")");
  if (!(pde & bits.PTE_PRESENT)) {
    lines.push(hex(va) + " is not mapped (no page table)");
  } else {
    lines.push(hex(va) + ": page table " + hex(pde & 0xfffff000) +
               ", PTE " + ptx + " = " + hex(pte) + " (" + flagNames(pte) +
               ")");
    if (pte & bits.PTE_PRESENT) {
      const f = Math.floor(pte / s.page_size);
      const n = (s.rmap[f] || []).length;
      lines.push(hex(va) + " -> " + hex(pte & 0xfffff000) + " (frame " + f +
                 ", mapped " + n + " time" + (n === 1 ? "" : "s") + ")");
    } else {
      lines.push(hex(va) + " is not mapped (PTE not present)");
    }
  }
  out.textContent = lines.join("\n");
}

// ---- Kernel heap and slabs ---------------------------------------------------

const BLOCK_COLOURS = { used: "#1e88e5", free: "#c8e6c9", quick: "#ffb74d" };

function drawHeap() {
  const h = view.state.snapshot.heap;
  const c = $("heap-bar");
  const g = c.getContext("2d");
  g.clearRect(0, 0, c.width, c.height);
  const span = Math.max(1, h.break - h.start);
  const scale = c.width / span;
  for (const [addr, size, state] of h.blocks) {
    g.fillStyle = BLOCK_COLOURS[state];
    g.fillRect((addr - h.start) * scale, 0, Math.max(1, size * scale - 1),
               c.height);
  }
  const n = st => h.blocks.filter(b => b[2] === st).length;
  text($("heap-summary"), "kernel heap " + hex(h.start) + "-" + hex(h.break) +
       ": " + n("used") + " used blocks (" + h.used + " bytes, blue), " +
       n("free") + " free (" + h.free + " bytes, green), " + n("quick") +
       " on quick lists (" + (h.quick || 0) + " bytes, orange)" +
       (h.note ? "; " + h.note : ""));
}

$("heap-bar").addEventListener("click", ev => {
  const h = view.state.snapshot.heap;
  const c = ev.target, b = c.getBoundingClientRect();
  const addr = h.start + (ev.clientX - b.left) * (h.break - h.start) / c.width;
  const block = h.blocks.find(([a, size]) => a <= addr && addr < a + size);
  if (!block) return;
  const notes = [];
  for (const p of view.state.snapshot.processes)
    if (p.kstack && p.kstack >= block[0] && p.kstack < block[0] + block[1])
      notes.push("the kernel stack of pid " + p.pid);
  text($("heap-details"), "block " + hex(block[0]) + ", " + block[1] +
       " bytes, " + block[2] + (notes.length ? ": " + notes.join(", ") : ""));
});

function fillSlabs() {
  const t = $("slab-table");
  t.textContent = "";
  const head = ["cache", "object size", "objects in use", "objects",
                "slabs full", "partial", "empty", "pages", "parked"];
  const tr = document.createElement("tr");
  for (const h of head) {
    const th = document.createElement("th");
    th.textContent = h;
    tr.append(th);
  }
  t.append(tr);
  for (const c of view.state.snapshot.slabs) {
    const row = document.createElement("tr");
    for (const v of [c.name, c.object_size, c.objects_in_use,
                     c.objects_total, c.full, c.partial, c.empty, c.pages,
                     c.parked]) {
      const td = document.createElement("td");
      td.textContent = v;
      row.append(td);
    }
    t.append(row);
  }
}

// ---- Counters over time --------------------------------------------------------

// A history point: [time, lowest free, highest free, free now, then
// decode.py's COUNTERS: faults_served, pages_zero_filled, pages_from_file,
// out_of_memory_kills, cow_faults, pages_copied].
const PLOTS = [
  { label: "free frames (band: lowest and highest seen)", col: 3,
    lo: 1, hi: 2, colour: "#2e7d32" },
  { label: "page faults served", col: 4, colour: "#1e88e5" },
  { label: "copy-on-write faults", col: 8, colour: "#ff6f00" },
  { label: "pages copied (by copy-on-write faults and eager forks)", col: 9,
    colour: "#8e24aa" },
];

function drawChart() {
  const hist = view.state.history || [];
  const c = $("chart");
  const g = c.getContext("2d");
  g.clearRect(0, 0, c.width, c.height);
  const h = c.height / PLOTS.length;
  const left = 70, w = c.width - left - 10;
  g.font = "11px sans-serif";
  PLOTS.forEach((plot, i) => {
    const y0 = i * h;
    g.fillStyle = "#f5f5f5";
    g.fillRect(left, y0 + 16, w, h - 24);
    g.fillStyle = "#333";
    const last = hist.length ? hist[hist.length - 1][plot.col] : "?";
    g.fillText(plot.label + ": " + last, left, y0 + 12);
    if (hist.length < 2) return;
    let lo = Infinity, hi = -Infinity;
    for (const p of hist) {
      lo = Math.min(lo, p[plot.lo || plot.col]);
      hi = Math.max(hi, p[plot.hi || plot.col]);
    }
    if (hi === lo) { hi += 1; lo -= 1; }
    const t0 = hist[0][0], t1 = hist[hist.length - 1][0];
    const X = t => left + (t - t0) / Math.max(1e-6, t1 - t0) * w;
    const Y = v => y0 + 16 + (h - 24) * (1 - (v - lo) / (hi - lo));
    g.fillText(String(hi), 2, y0 + 24);
    g.fillText(String(lo), 2, y0 + h - 8);
    if (plot.lo) {
      g.fillStyle = "rgba(46,125,50,0.25)";
      for (const p of hist)
        g.fillRect(X(p[0]) - 1, Y(p[plot.hi]), 3,
                   Math.max(1, Y(p[plot.lo]) - Y(p[plot.hi])));
    }
    g.strokeStyle = plot.colour;
    g.lineWidth = 1.5;
    g.beginPath();
    hist.forEach((p, j) => {
      if (j) g.lineTo(X(p[0]), Y(p[plot.col]));
      else g.moveTo(X(p[0]), Y(p[plot.col]));
    });
    g.stroke();
  });
  if (hist.length > 1) {
    g.fillStyle = "#555";
    const span = hist[hist.length - 1][0] - hist[0][0];
    g.fillText(span.toFixed(0) + " s ago", left, c.height - 1);
    g.fillText("now", left + w - 20, c.height - 1);
  }
  const s = view.state.snapshot.counters;
  text($("counter-values"), "since boot: page faults served " +
       s.faults_served + " (zero-filled " + s.pages_zero_filled +
       ", read from programs " + s.pages_from_file + "), copy-on-write " +
       "faults " + s.cow_faults + ", pages copied " + s.pages_copied +
       ", killed for lack of memory " + s.out_of_memory_kills);
}

// ---- Buttons ---------------------------------------------------------------

$("pause").addEventListener("click", () => {
  view.paused = !view.paused;
  text($("pause"), view.paused ? "Resume" : "Pause");
  if (view.state) show(view.state);
});

// Saves the moment shown (paused or not) as one self-contained page: the
// server wraps it (and writes make view's SNAPSHOT file, when given).
$("save").addEventListener("click", async () => {
  const reply = await fetch("/api/save", {
    method: "POST", body: JSON.stringify(view.state),
    headers: { "Content-Type": "application/json" } });
  const page = await reply.text();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([page], { type: "text/html" }));
  a.download = "memos-memory.html";
  a.click();
});

if (view.live) {
  poll();
} else {
  $("pause").hidden = true;
  $("save").hidden = true;
  show(window.MEMOS_STATE);
}
