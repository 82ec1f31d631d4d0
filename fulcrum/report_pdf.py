"""The printable HTML report as a PDF, printed by headless Chromium (no network, no new dependency).

Why Chromium and not a Python HTML-to-PDF library: the report is written for a browser's print
engine (A4 ``@page``, ``break-before``, tables whose header repeats on each page), and the PDF a
planner gets from the app then looks exactly like the page they print themselves; the pure-Python
engines (xhtml2pdf, WeasyPrint) would be a second layout engine with its own CSS gaps, and WeasyPrint
needs Pango from the system anyway. Chromium is already what the browser tests run (/usr/bin/chromium).

The HTML is self-contained (inline CSS, charts as ``data:`` URIs), written to a private temporary
folder and printed from ``file://``; Chromium runs with networking features off and a proxy that
points nowhere, so nothing can be fetched. ``chromium_path()`` is None when no browser is installed:
the caller says what is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from mcda.errors import InputError

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ENV = "FULCRUM_CHROMIUM"  # an explicit browser executable (overrides the search)
TIMEOUT_S = 120
MISSING = (
    "PDF export needs Chromium (headless print-to-PDF), which is not installed here: install it "
    "(Debian/Ubuntu: apt-get install chromium) or set FULCRUM_CHROMIUM to a Chrome/Chromium executable. "
    "Meanwhile, download the HTML report and print it to PDF from any browser."
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-pdf-header-footer",
    "--proxy-server=127.0.0.1:9",  # nothing is fetched: every request would go to the discard port
    "--proxy-bypass-list=<-loopback>",
)


def chromium_path() -> str | None:
    """The Chromium/Chrome executable to print with, or None when there is none."""
    env = os.environ.get(ENV)
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for c in CANDIDATES:
        p = c if Path(c).is_absolute() and Path(c).exists() else shutil.which(c)
        if p:
            return str(p)
    return None


def html_to_pdf(html: str, browser: str | None = None) -> bytes:
    """``html`` printed to an A4 PDF by headless Chromium; InputError (with what is missing) when it cannot."""
    exe = browser or chromium_path()
    if exe is None:
        raise InputError(MISSING, where="PDF export")
    with tempfile.TemporaryDirectory(prefix="fulcrum-pdf-") as tmp:
        src, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        src.write_text(html, encoding="utf-8")
        cmd = [exe, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise InputError(f"Chromium could not print the report: {e}", where="PDF export") from None
        if not out.exists() or out.stat().st_size == 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
            raise InputError(f"Chromium did not write a PDF ({tail[0][:200]})", where="PDF export")
        return out.read_bytes()
