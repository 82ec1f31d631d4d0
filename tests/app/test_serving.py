"""The app as `make run` serves it (issue 8, "Trust and safety"): the server listens on 127.0.0.1
only, is not reachable on the machine's other addresses, prints no network/external URL, takes
uploads of a few megabytes at most, and never tries to reach another host — at start-up and, checked
last, while every browser test of the session used it (the socket audit of tests/app/conftest.py).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import struct
from pathlib import Path

import pytest

from tests.app.conftest import outbound
from tests.support import ROOT

# the same server as the browser tests: run on their xdist worker, after them (file order)
pytestmark = pytest.mark.xdist_group("browser")


def _listening(port: int) -> list[str]:
    """Local addresses of the sockets listening on ``port`` (from /proc/net/tcp and tcp6)."""
    out = []
    for path, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        if not os.path.exists(path):
            continue
        for line in Path(path).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if state != "0A" or int(p, 16) != port:
                continue
            raw = bytes.fromhex(addr)
            if v6:
                raw = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                out.append(socket.inet_ntop(socket.AF_INET6, raw))
            else:
                out.append(socket.inet_ntoa(raw[::-1]))
    return out


def _other_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (ioctl SIOCGIFADDR per interface)."""
    found = []
    for _, name in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                res = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))
            except OSError:
                continue
        ip = socket.inet_ntoa(res[20:24])
        if not ip.startswith("127."):
            found.append(ip)
    return found


def test_make_run_listens_on_loopback_only_and_phones_nowhere(served):
    port, audit, log = served.port, served.audit, served.log
    listening = _listening(port)
    assert listening and all(a in ("127.0.0.1", "::1") for a in listening), listening
    for ip in _other_addresses():
        with socket.socket() as s:
            s.settimeout(3)
            with pytest.raises(OSError):
                s.connect((ip, port))
    text = log.read_text()
    assert f"URL: http://127.0.0.1:{port}" in text, text
    for never in ("Network URL", "External URL", "external IP"):
        assert never not in text, text
    assert outbound(audit) == [], outbound(audit)
    binds = [json.loads(x) for x in audit.read_text().splitlines() if '"socket.bind"' in x]
    assert binds and all("127.0.0.1" in b["address"] for b in binds), binds


def test_upload_limit_is_a_few_megabytes():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert 1 <= cfg["server"]["maxUploadSize"] <= 10
    assert cfg["server"]["address"] == "127.0.0.1" and cfg["server"]["headless"] is True
    assert cfg["browser"]["gatherUsageStats"] is False


def test_no_connection_left_the_machine_during_the_browser_session(served):
    """Checked last: every socket the server touched while the browser used it stayed on loopback."""
    assert outbound(served.audit) == [], outbound(served.audit)
