"""Shared helpers for the browser tests and bench/bench_app.py: start `streamlit run app.py` on a
free port, launch Debian's Chromium through Playwright, watch every request and page error.

Not a test module (no test_ prefix). Skips with a message when /usr/bin/chromium is absent,
unless CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import weakref
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from tests.support import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_browser():
    """Skip (or fail under CI=true) when Chromium or Playwright is missing."""
    import pytest

    missing = None
    if not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} not found (apt-get install chromium)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            missing = "playwright is not installed"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests need a browser under CI=true: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, proc: subprocess.Popen, timeout: float, what: str = "streamlit") -> None:
    """Poll ``/_stcore/health`` until the server answers 200 (a known state, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start (exit code {proc.poll()})")
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server we started (kill it if it does not stop within 10 s)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def streamlit_server(timeout: float = 60.0):
    """Run the app on 127.0.0.1:<free port>; yields the base URL (bench/bench_app.py; the tests use
    the `make run` server of tests/app/conftest.py)."""
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # the server's log stays open for the server's life; closed by stop()
    log_path = ARTIFACTS.joinpath(f"streamlit-{port}.log") if ARTIFACTS.exists() else os.devnull
    log = open(log_path, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, proc, timeout)
        yield url
    finally:
        stop(proc)
        log.close()


class Runs:
    """What a page asked the app to run and what the app answered, read from the page's websocket with
    Streamlit's own messages: each rerun request the browser sends (``BackMsg.rerun_script``: a click, a key,
    a page switch, a load) and each script run the server starts (``new_session``), ends
    (``script_finished``) and reports (``session_status_changed``).

    ``answered()`` is the known final state behind :func:`wait_idle`: the last run began after the last
    request was sent, it ended (not cut short for another rerun, as a fragment's ``st.rerun(scope="app")``
    or a newer request does) and the app says no script is running."""

    def __init__(self, page):
        self.sessions = 0  # websocket connections (a reload opens a new one)
        self.asked = 0  # rerun requests sent on the current connection
        self.started_for = -1  # ``asked`` when the last run started
        self.done_for = -1  # ``started_for`` of the last run that ended without being cut short for a rerun
        self.running = False
        page.on("websocket", self._connect)

    def _connect(self, ws) -> None:
        if "/_stcore/stream" not in ws.url:
            return
        self.asked, self.started_for, self.done_for, self.running = 0, -1, -1, False  # a new session
        self.sessions += 1
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if isinstance(payload, bytes) and BackMsg.FromString(payload).HasField("rerun_script"):
            self.asked += 1

    def _received(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, bytes):
            return
        msg = ForwardMsg.FromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.started_for, self.running = self.asked, True
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.done_for = self.started_for
        elif kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running

    def answered(self) -> bool:
        return self.asked > 0 and self.done_for == self.asked and not self.running


RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page -> its Runs (made by Watch)


class Watch:
    """Every request URL and page error seen by a page."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        RUNS[page] = Runs(page)

    def external(self) -> list[str]:
        out = []
        for u in self.requests:
            p = urlparse(u)
            if p.scheme in ("data", "blob", "about"):
                continue
            if p.hostname not in ("127.0.0.1",):
                out.append(u)
        return out


@contextmanager
def browser_page(url: str, width: int = 1400, height: int = 1000):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
            page = ctx.new_page()
            watch = Watch(page)
            page.goto(url)
            wait_idle(page, timeout=60_000)
            yield page, watch
        finally:
            browser.close()


IDLE_JS = """() => { const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.dataset.testConnectionState === 'CONNECTED' && app.dataset.testScriptState === 'notRunning'
        && !!document.querySelector('[data-testid="stSidebar"]') && !document.querySelector('[data-stale="true"]'); }"""


def wait_idle(page, timeout: float = 60_000, quiet: float = 300) -> None:
    """Wait until the app has answered every rerun the page asked for and drawn it: the last run began after
    the last request and ended (:class:`Runs`), and the page shows it (``stApp``'s script state
    ``notRunning``, connected, no element left stale from an earlier run), held for ``quiet`` ms so that a
    request a click or key press sends a moment later is seen. One deadline, ``timeout`` ms, for all of it.

    (Streamlit's status widget shows a run only after 500 ms, as an icon and a Stop button: its text never
    says "Running", so it cannot tell a run from none.)"""
    runs = RUNS.get(page)
    deadline = time.monotonic() + timeout / 1000
    since = None
    while True:
        left = deadline - time.monotonic()
        ok = (runs is None or runs.answered()) and page.evaluate(IDLE_JS)
        now = time.monotonic()
        if not ok:
            since = None
        elif since is None:
            since = now
        elif now - since >= quiet / 1000:
            return
        if left <= 0:
            state = "" if runs is None else f" (requests {runs.asked}, last run for {runs.started_for}, "
            state += "" if runs is None else f"answered up to {runs.done_for}, running {runs.running})"
            raise TimeoutError(f"the app was not idle within {timeout / 1000:.0f} s{state}")
        page.wait_for_timeout(50)  # lets Playwright deliver the websocket events


def act(page, action, timeout: float = 60_000) -> None:
    """Do ``action`` (a click, a key press, Enter in an edited box: something that makes the browser ask for a
    rerun), then wait until that request was sent and the app has answered it (:func:`wait_idle`)."""
    runs = RUNS.get(page)
    before = (runs.sessions, runs.asked) if runs is not None else None
    action()
    if runs is not None:
        deadline = time.monotonic() + timeout / 1000
        while (runs.sessions, runs.asked) == before:
            if time.monotonic() > deadline:
                raise TimeoutError("the browser sent no rerun request after the action")
            page.wait_for_timeout(20)
    wait_idle(page, timeout)


def page_url(base: str, name: str) -> str:
    """The address of the page titled ``name`` (app.url_path: /ranking, /scenarios-export; the first page is /)."""
    import re

    return base.rstrip("/") + "/" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def wait_page(page, name: str, timeout: float = 60_000) -> None:
    """Wait until the main area shows the page titled ``name`` (its header) and the app is idle (one deadline)."""
    t0 = time.monotonic()
    page.wait_for_function(
        """(n) => { const h = document.querySelector('[data-testid="stMain"] h2');
                    return h && h.innerText.trim().startsWith(n); }""",
        arg=name.split(" ")[0],
        timeout=timeout,
    )
    wait_idle(page, max(1_000.0, timeout - 1000 * (time.monotonic() - t0)))


def goto_page(page, name: str) -> None:
    """Open a page by clicking its link in the sidebar navigation (st.navigation)."""
    act(page, page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click)
    wait_page(page, name)


def settle(page) -> None:
    """After a viewport change: no script run going, two frames drawn, then a short pause for the
    charts to re-lay out (a picture for people to look at; nothing is asserted on its timing)."""
    wait_idle(page)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(250)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def screenshot_tall(page, name: str, height: int = 3200) -> Path:
    """Screenshot of the whole page: Streamlit scrolls inside its main block, so grow the viewport."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    settle(page)
    try:
        return screenshot(page, name)
    finally:
        page.set_viewport_size(size)


GRID_CELLS = """(box) => [...document.querySelectorAll(`.st-key-${box} [data-testid^="glide-cell-"]`)]
    .map(c => [c.getAttribute('data-testid'), c.textContent])"""


def grid_rows(page, box: str) -> dict[int, dict[int, str]]:
    """The cells of the table inside the container keyed ``box`` (st.dataframe / st.data_editor), as glide-data-grid's
    accessible copy gives them (the columns on screen): {row: {column: text}}."""
    rows: dict[int, dict[int, str]] = {}
    for tid, text in page.evaluate(GRID_CELLS, box):
        col, row = map(int, tid.split("-")[-2:])
        rows.setdefault(row, {})[col] = text
    return rows


def grid_focus(page, box: str, row: int, x: float, row_height: int = 35) -> None:
    """Select the cell of ``row`` at ``x`` pixels from the table's left edge (one click on the grid's canvas; then
    the arrow keys move, Space ticks a checkbox cell, Enter opens a cell's editor)."""
    loc = page.locator(f".st-key-{box}")
    loc.scroll_into_view_if_needed()
    height = page.viewport_size["height"]
    for _ in range(5):  # a tall table: scroll until the row is on screen
        bb = loc.locator("canvas").first.bounding_box()
        y = bb["y"] + row_height * (row + 1) + row_height / 2  # below the header row
        if row_height < y < height - row_height:
            break
        page.mouse.move(bb["x"] + x, min(max(bb["y"], 10), height - 10))
        page.mouse.wheel(0, y - height / 2)
        page.wait_for_timeout(100)
    page.mouse.click(bb["x"] + x, y)
    for _ in range(50):  # the grid has taken the click: a cell of that row is selected (else keys go nowhere)
        sel = grid_selected(page, box)
        if sel is not None and sel[1] == row:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"clicking row {row} of {box} selected no cell of it (selected: {grid_selected(page, box)})")


SELECTED_CELL = """(b) => {
    const c = document.querySelector(`.st-key-${b} [data-testid^='glide-cell-'][aria-selected='true']`);
    return c ? c.getAttribute('data-testid') : null;
}"""


def grid_selected(page, box: str) -> tuple[int, int] | None:
    """(column, row) of the cell selected in the grid inside the container keyed ``box`` (None: none)."""
    tid = page.evaluate(SELECTED_CELL, box)
    if not tid:
        return None
    col, row = map(int, tid.split("-")[-2:])
    return col, row


def grid_select(page, box: str, col: int, row: int) -> None:
    """Move the grid's selection to (``col``, ``row``) with the arrow keys, checking each move: a key pressed while
    the grid is still taking focus or being redrawn is lost (seen in CI), and pressing blindly again could overshoot."""
    for _ in range(20):
        sel = grid_selected(page, box)
        if sel == (col, row):
            return
        if sel is None:
            raise AssertionError(f"no cell of {box} is selected: click one first (grid_focus)")
        key = (
            ("ArrowLeft" if sel[0] > col else "ArrowRight")
            if sel[0] != col
            else ("ArrowUp" if sel[1] > row else "ArrowDown")
        )
        page.keyboard.press(key)
        for _ in range(20):  # the move shows in the accessible copy within a few frames
            if grid_selected(page, box) != sel:
                break
            page.wait_for_timeout(50)
    raise AssertionError(f"could not select cell ({col}, {row}) of {box}; selected: {grid_selected(page, box)}")
