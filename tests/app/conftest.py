"""Fixtures of the app tests.

AppTest tests use the helpers of :mod:`tests.app.apptest` and the scenario fixtures of tests/conftest.py.

Browser and serving tests share ONE server for the whole session, started the way ``make run``
starts it (the command is read from ``make -n run``), with a Python audit hook (``sitecustomize``
on PYTHONPATH, no monkeypatching) that records every socket the server binds, connects or
resolves, and ONE Chromium; each test gets a fresh browser context (a new app session). Their
modules carry ``xdist_group("browser")``, so under ``make test`` (pytest-xdist, ``--dist
loadgroup``) one worker runs them all, in file order, and the server starts once.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.support import ROOT
from tests.support import browser as bs

AUDIT_HOOK = """
import json, os, sys
_path = os.environ.get("FULCRUM_SOCKET_AUDIT")
if _path:
    _EVENTS = {"socket.bind": 1, "socket.connect": 1, "socket.sendto": 1, "socket.getaddrinfo": 0,
               "socket.gethostbyname": 0, "socket.gethostbyaddr": 0, "socket.getnameinfo": 0}

    def _hook(event, args):
        if event in _EVENTS:
            try:
                with open(_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"event": event, "address": repr(args[_EVENTS[event]])}) + "\\n")
            except Exception:
                pass

    sys.addaudithook(_hook)
"""
LOOPBACK = re.compile(r"^\(?'?(127\.\d+\.\d+\.\d+|::1|localhost|0\.0\.0\.0)'?(,|\)|$)")


class Served(NamedTuple):
    """The app served as `make run` serves it: base URL, port, socket audit file, server log."""

    url: str
    port: int
    audit: Path
    log: Path


def make_run_command(port: int) -> list[str]:
    """The command `make run` executes (printed by `make -n`), with this interpreter as $(PY)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    text = subprocess.run(
        ["make", "-n", "-s", "run", f"PY={sys.executable}", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\\\n", " ")
    lines = [ln for ln in text.splitlines() if " streamlit run " in ln]
    assert lines, f"no `streamlit run` in `make -n run`:\n{text}"
    cmd = shlex.split(lines[-1])
    if "--server.port" not in cmd:  # a Makefile without a PORT setting serves on 8501: use a free port
        cmd += ["--server.port", str(port)]
    return cmd


def outbound(audit: Path) -> list[dict]:
    """Audit events that bind to, connect to or resolve anything but this machine's loopback."""
    if not audit.exists():
        return []
    bad = []
    for line in audit.read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        a = e["address"]
        if a in ("None", "''") or a.startswith(("'/", "b'")):  # unix sockets, no host
            continue
        if e["event"] == "socket.bind" and a.startswith("('0.0.0.0'"):
            bad.append(e)  # listening on every interface
        elif not LOOPBACK.match(a):
            bad.append(e)
    return bad


@pytest.fixture(scope="session")
def served(tmp_path_factory) -> Served:
    """`make run` on a free port, once per session (per xdist worker that runs a browser test)."""
    tmp = tmp_path_factory.mktemp("served")
    (tmp / "hook").mkdir()
    (tmp / "hook" / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    audit, log = tmp / "sockets.jsonl", tmp / "streamlit.log"
    port = bs.free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=str(tmp / "hook"), FULCRUM_SOCKET_AUDIT=str(audit))
    with open(log, "w") as out:
        proc = subprocess.Popen(make_run_command(port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            bs.wait_until_serving(url, proc, 90, "`make run`")
        except RuntimeError as e:
            raise RuntimeError(f"{e}: {log.read_text()}") from None
        # the start-up banner is printed after the server answers: wait for it (a known final state)
        deadline = time.monotonic() + 30
        while "URL: " not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        yield Served(url, port, audit, log)
    finally:
        bs.stop(proc)
        if bs.ARTIFACTS.exists():
            shutil.copy(log, bs.ARTIFACTS / "make-run.log")


@pytest.fixture(scope="session")
def browser(served):
    """One headless Chromium for the session."""
    bs.require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=bs.CHROMIUM, args=bs.CHROME_ARGS)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so the ``page`` fixture knows whether its test failed."""
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


def _keep_failure(pg, served: Served, name: str) -> None:
    """A failed browser test leaves what the page showed (screenshot, HTML) and the server's log so far in
    artifacts/failed-<test>.*: a wait that ran out under load can be read afterwards."""
    stem = "failed-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]
    bs.ARTIFACTS.mkdir(exist_ok=True)
    for what, save in (
        ("png", lambda p: pg.screenshot(path=str(p), full_page=True, timeout=10_000)),
        ("html", lambda p: p.write_text(pg.content(), encoding="utf-8")),
        ("log", lambda p: shutil.copy(served.log, p)),
    ):
        try:
            save(bs.ARTIFACTS / f"{stem}.{what}")
        except Exception as e:  # noqa: BLE001 - a failed capture must not hide the test's own failure
            print(f"could not keep the failed page's {what}: {e}")


@pytest.fixture()
def page(browser, served, request):
    """A new app session in a fresh browser context, rendered and idle. Afterwards: no request left
    127.0.0.1, no page error, no dialog, no exception shown by the app; a failed test's page is kept in
    artifacts/ (screenshot, HTML, server log)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    if os.environ.get("FULCRUM_TEST_LATENCY_MS"):  # opt-in: a slow link between browser and server (reproductions)
        cdp = ctx.new_cdp_session(pg)
        cdp.send("Network.enable")
        latency = int(os.environ["FULCRUM_TEST_LATENCY_MS"])
        conditions = {"offline": False, "latency": latency, "downloadThroughput": -1, "uploadThroughput": -1}
        cdp.send("Network.emulateNetworkConditions", conditions)
    watch = bs.Watch(pg)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(served.url)
    bs.wait_idle(pg, timeout=60_000)
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        _keep_failure(pg, served, request.node.name)
    try:
        assert watch.external() == [], f"requests left 127.0.0.1: {watch.external()[:5]}"
        assert watch.errors == [], f"page errors: {watch.errors[:5]}"
        assert dialogs == [], f"dialogs: {dialogs}"
        assert pg.locator('[data-testid="stException"]').count() == 0, "an exception was shown in the app"
    finally:
        ctx.close()
