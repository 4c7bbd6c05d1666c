#!/usr/bin/python3
# The memory viewer in a real browser: boots the shell in QEMU with its RAM
# in a file (as `make view`), serves the page, and drives headless
# Chromium (chromium-driver, python3-selenium) while commands are typed
# into the shell: the page's frame counts equal `mem`'s, memhog's frames
# show in the chart going and coming back, a frame forkdemo shares shows
# two mappers when clicked, a page's PTE is decoded, a saved moment opens
# as a file. Screenshots go to build/test-logs/view-*.png. Prints TAP.
import os
import re
import shutil
import sys
import tempfile
import time

PREFIX = "view in Chromium"
# Run from tests/view/ or installed in build/view/: the helpers are in
# tests/view/ either way.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "view"))
from tap import REPO, Tap, need_viewer_modules  # noqa: E402

need_viewer_modules(PREFIX)
import decode  # noqa: E402
import machine  # noqa: E402
import server  # noqa: E402

ELF = os.path.join(REPO, "build", "kernel.elf")
ISO = os.path.join(REPO, "build", "os-shell.iso")
LOGS = os.path.join(REPO, "build", "test-logs")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# What works on this machine (docs/view.md, "Tests").
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--window-size=1400,2300"]


def wait_until(what, cond, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        value = cond()
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError("timed out waiting for %s" % what)


def mem_free(text):
    m = re.search(r"frames: (\d+) of (\d+) free", text)
    return int(m.group(1)), int(m.group(2))


def main():
    t = Tap(PREFIX)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select
    except ImportError:
        t.skip("the page in a browser", "python3-selenium is not installed "
               "(tools/install-deps.sh view-tests)")
        return t.done()
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        t.skip("the page in a browser", "chromium or chromium-driver is not "
               "installed (tools/install-deps.sh view-tests)")
        return t.done()

    profile = tempfile.mkdtemp(prefix="memos-view-chromium-")
    m = machine.Machine(ISO, os.path.join(LOGS, "view-browser-session.log"))
    browser = None
    httpd = None
    viewer = None
    try:
        m.boot()
        viewer = server.Viewer(decode.Kernel(ELF), m.ram_path)
        # As make view SNAPSHOT=FILE runs it: Save also writes FILE.
        snapshot_file = os.path.join(LOGS, "view-snapshot.html")
        if os.path.exists(snapshot_file):
            os.unlink(snapshot_file)
        httpd = server.start(viewer, snapshot_out=snapshot_file)
        url = "http://127.0.0.1:%d/" % httpd.server_address[1]
        options = webdriver.ChromeOptions()
        for flag in FLAGS + ["--user-data-dir=" + profile]:
            options.add_argument(flag)
        options.binary_location = CHROMIUM
        browser = webdriver.Chrome(service=Service(CHROMEDRIVER),
                                   options=options)
        browser.set_script_timeout(20)
        browser.get(url)

        def js(script, *args):
            return browser.execute_script(script, *args)

        def snapshot_time():
            return js("const s = window.memview.state; return s && "
                      "s.snapshot ? s.snapshot.time : 0")

        def fresh():
            """Waits for a moment decoded after now."""
            start = time.time()
            wait_until("a new moment on the page",
                       lambda: snapshot_time() > start + 0.05)

        def text_of(id_):
            return browser.find_element(By.ID, id_).text

        wait_until("the page's first moment", snapshot_time)
        t.check(text_of("status").startswith("live"),
                "the page loads and shows the machine live",
                text_of("status"))

        # ---- The counts equal mem's ------------------------------------------
        free, total = mem_free(m.run("mem"))
        fresh()
        legend_free = js("return document.querySelector("
                         "'#legend .count[data-key=free]').textContent")
        t.check(text_of("free-frames") == str(free) and
                text_of("total-frames") == str(total) and
                legend_free == str(free) and
                text_of("picture-free") == str(free),
                "the page's free and total frames equal mem's (%d of %d)" %
                (free, total),
                "page %s of %s, legend %s" % (text_of("free-frames"),
                                              text_of("total-frames"),
                                              legend_free))

        # ---- memhog: the chart sees the frames go and come back -------------
        started = time.time()
        out = m.run("memhog")
        peak = int(re.search(r"(\d+) frames free now", out).group(1))
        fresh()
        lowest = js("return Math.min(...window.memview.state.history"
                    ".filter(p => p[0] >= arguments[0]).map(p => p[1]))",
                    started - 0.2)
        # The chart keeps the lowest value it read (every 2 ms) in each
        # point; memhog's lowest lasts microseconds, so near it is enough.
        t.check(lowest < free - (free - peak) * 0.8,
                "memhog: the chart's free frames drop (memhog printed %d "
                "at its peak, %d before)" % (peak, free),
                "lowest on the chart %s, memhog printed %d" % (lowest, peak))
        free_after, _ = mem_free(m.run("mem"))
        fresh()
        # The kernel may keep a few frames (its heap, slabs) for later.
        t.check(free_after > peak + (free - peak) * 0.9 and
                text_of("free-frames") == str(free_after) and
                js("return window.memview.state.history.slice(-1)[0][3]") ==
                free_after,
                "memhog: the frames come back (the page shows mem's %d "
                "free again)" % free_after, text_of("free-frames"))

        # ---- forkdemo: a shared frame has two mappers ---------------------------
        m.type("forkdemo 10000")
        wait_until("forkdemo's child",
                   lambda: len(m.text().split("child, after fork:\n")) > 1 and
                   len(m.text().split("child, after fork:\n")[1]
                       .splitlines()) >= 4)
        line = m.text().split("child, after fork:\n")[1].splitlines()[3]
        frame = int(re.search(r"frame (0x[0-9a-f]+)", line).group(1), 16) \
            // 4096
        fresh()
        pids = sorted(js("return window.memview.state.snapshot.processes"
                         ".filter(p => p.name === 'forkdemo')"
                         ".map(p => p.pid)"))
        where = js("return window.memview.zoomTo(arguments[0])", frame)
        zoom = browser.find_element(By.ID, "zoom")
        ActionChains(browser).move_to_element_with_offset(
            zoom, where["x"] - zoom.size["width"] / 2,
            where["y"] - zoom.size["height"] / 2).click().perform()
        details = browser.find_element(By.ID, "frame-details")
        wait_until("the frame's details",
                   lambda: details.get_attribute("data-frame") == str(frame))
        lines = [x for x in details.text.splitlines()
                 if x.strip().startswith("pid")]
        t.check(details.get_attribute("data-mappers") == "2" and
                len(pids) == 2 and
                all(any("pid %d " % p in x for x in lines) for p in pids) and
                "PTE_COW" in details.text,
                "forkdemo: clicking the shared frame 0x%08x shows two "
                "mappers, parent and child, copy-on-write" % (frame * 4096),
                details.text)

        # ---- a page of the child: its PTE decoded ---------------------------------
        # forkdemo's page 3, which the child never writes: shared
        # copy-on-write for as long as the child lives.
        child = max(pids)
        va = js("return window.memview.state.snapshot.rmap[arguments[0]]"
                ".find(m => m[0] === arguments[1])[1]", frame, child)
        Select(browser.find_element(By.ID, "process")).select_by_value(
            str(child))
        region = wait_until("the child's region of 0x%08x" % va, lambda: [
            c for c in browser.find_elements(By.CSS_SELECTOR,
                                             "#regions canvas")
            if js("return window.memview.state.snapshot.processes.find("
                  "p => p.pid === arguments[0]).regions.find(r => r.start "
                  "=== +arguments[1] && r.start <= arguments[2] && "
                  "arguments[2] < r.end) !== undefined", child,
                  c.get_attribute("data-start"), va)])[0]
        js("window.memview.selectFrame(0)")  # another frame, first
        index = (va - int(region.get_attribute("data-start"))) // 4096
        cell = 10  # view.js: pages drawn 10 pixels apart, 100 a row
        ActionChains(browser).move_to_element_with_offset(
            region, (index % 100) * cell + 5 - region.size["width"] / 2,
            (index // 100) * cell + 5 - region.size["height"] / 2) \
            .click().perform()
        page = wait_until("the page's PTE", lambda: "PTE" in
                          text_of("page-details") and text_of("page-details"))
        t.check(page.startswith("0x%08x: bss region" % va) and
                re.search(r"PDE \d+ = 0x[0-9a-f]{8} \(PTE_PRESENT", page) and
                re.search(r"PTE \d+ = 0x[0-9a-f]{8} \(PTE_PRESENT PTE_USER"
                          r".*PTE_COW\)", page) and
                "-> 0x%08x (frame %d, mapped 2 times)" % (frame * 4096, frame)
                in page,
                "clicking that page of the child's bss (0x%08x) shows its "
                "PDE and PTE decoded: copy-on-write, the same frame" % va,
                page)
        t.check(browser.find_element(By.ID, "frame-details")
                .get_attribute("data-frame") == str(frame),
                "... and selects its frame in physical memory (frame 0 was)")
        # A legend entry shows only its frames; a second click, all.
        legend = browser.find_element(
            By.CSS_SELECTOR, "#legend .count[data-key='pid:%d']" % child)
        pixel = ("const v = window.memview, s = v.state.snapshot;"
                 "const f = s.owners.findIndex(o => o.key === 'free');"
                 "const n = v.owners.lastIndexOf(f); const p = v.frameXY(n);"
                 "return Array.from(document.getElementById('frames')"
                 ".getContext('2d').getImageData(p.x, p.y, 1, 1).data)"
                 ".slice(0, 3);")
        white = js(pixel)
        legend.click()
        dimmed = js(pixel)
        legend = browser.find_element(
            By.CSS_SELECTOR, "#legend .count[data-key='pid:%d']" % child)
        legend.click()
        again = js(pixel)
        t.check(white == [255, 255, 255] and dimmed != white and
                again == white,
                "a click on the child's legend entry dims the other frames "
                "(a free one), a second click shows them all again",
                "a free frame's pixel: %s, %s, %s" % (white, dimmed, again))
        errors = [e["message"] for e in browser.get_log("browser")
                  if e["level"] == "SEVERE"]
        t.check(not errors, "the page logged no error in the browser",
                "; ".join(errors))

        os.makedirs(LOGS, exist_ok=True)
        shot = os.path.join(LOGS, "view-browser.png")
        browser.save_screenshot(shot)
        t.check(os.path.getsize(shot) > 20000,
                "a screenshot of the page is in %s" %
                os.path.relpath(shot, REPO))

        # ---- the moment shown, saved as one file ------------------------------------
        shown = js("return window.memview.state.snapshot.counters"
                   ".free_frames")
        page_html = browser.execute_async_script(
            "const done = arguments[0];"
            "fetch('/api/save', {method: 'POST', body: JSON.stringify("
            "window.memview.state)}).then(r => r.text()).then(done);")
        saved = os.path.join(LOGS, "view-saved-moment.html")
        with open(saved, "w", encoding="utf-8") as f:
            f.write(page_html)
        written = open(snapshot_file, encoding="utf-8").read() \
            if os.path.exists(snapshot_file) else ""
        t.check(written == page_html,
                "Save this moment writes make view's SNAPSHOT file too",
                "%d bytes written, %d returned" % (len(written),
                                                   len(page_html)))
        browser.get("file://" + saved)
        wait_until("the saved page", lambda: text_of("free-frames") != "?")
        t.check(text_of("free-frames") == str(shown) and
                text_of("status").startswith("saved moment"),
                "Save this moment: the saved file shows the same moment with "
                "no server (%s free)" % shown,
                "%s, %s" % (text_of("free-frames"), text_of("status")))
        print("# torn reads while memos ran (each shown as the moment "
              "before): %d %s" % (viewer.glitches, viewer.last_glitch))
    except Exception as e:  # noqa: BLE001 (reported as a failed test)
        t.check(False, "the browser session ran to its end",
                "%s: %s" % (type(e).__name__, e))
    finally:
        if browser:
            browser.quit()
        if viewer:
            viewer.stopping.set()
        if httpd:
            httpd.shutdown()
        m.close()
        shutil.rmtree(profile, ignore_errors=True)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
