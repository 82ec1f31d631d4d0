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


class Watch:
    """Every request URL and page error seen by a page."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

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


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the app has rendered and no script run is in progress."""
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=timeout)
    page.wait_for_function(
        """() => { const s = document.querySelector('[data-testid="stStatusWidget"]');
                   return !s || !/Running|Connecting/i.test(s.innerText); }""",
        timeout=timeout,
    )
    page.wait_for_timeout(150)
    page.wait_for_function(
        """() => { const s = document.querySelector('[data-testid="stStatusWidget"]');
                   return !s || !/Running|Connecting/i.test(s.innerText); }""",
        timeout=timeout,
    )


def page_url(base: str, name: str) -> str:
    """The address of the page titled ``name`` (app.url_path: /ranking, /scenarios-export; the first page is /)."""
    import re

    return base.rstrip("/") + "/" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def wait_page(page, name: str) -> None:
    """Wait until the main area shows the page titled ``name`` (its header) and the run is over."""
    page.wait_for_function(
        """(n) => { const h = document.querySelector('[data-testid="stMain"] h2');
                    return h && h.innerText.trim().startsWith(n); }""",
        arg=name.split(" ")[0],
        timeout=30_000,
    )
    wait_idle(page)


def goto_page(page, name: str) -> None:
    """Open a page by clicking its link in the sidebar navigation (st.navigation)."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()
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
