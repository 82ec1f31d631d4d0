"""Where a page switch spends its time (issue 12 target 6): the server's run vs the browser's drawing.

For every sidebar click, read from Chromium itself (DevTools protocol, timestamps of the network stack, not
of the page's busy main thread): when the rerun request left, when the server's run started and finished
(``new_session`` / ``script_finished`` on the websocket), how many messages and bytes it sent; then when the
page was idle (bench_app.py's "run over"); and the browser's own CPU in between (Performance.getMetrics:
script, layout, style) and the page's element count.

Run: .venv/bin/python bench/profile_pages.py [--rounds 2]   (prints one line per switch; a diagnosis, not a bench)
"""

from __future__ import annotations

import base64
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

PAGES = ["Data", "Weights", "Ranking", "Allocation", "Scenarios & export", "Robustness"]
METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


class Frames:
    """Websocket frames as Chromium's network stack saw them (monotonic seconds)."""

    def __init__(self, cdp) -> None:
        self.log: list[tuple[float, str, str, int]] = []  # (t, direction, kind, bytes)
        cdp.on("Network.webSocketFrameSent", lambda e: self._add(e, "sent"))
        cdp.on("Network.webSocketFrameReceived", lambda e: self._add(e, "recv"))

    def _add(self, e: dict, way: str) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        r = e["response"]
        if r.get("opcode") != 2:
            return
        raw = base64.b64decode(r["payloadData"])
        if way == "sent":
            kind = BackMsg.FromString(raw).WhichOneof("type") or "?"
        else:
            kind = ForwardMsg.FromString(raw).WhichOneof("type") or "?"
        self.log.append((e["timestamp"], way, kind, len(raw)))


def main() -> None:
    from tests.support import browser as bs

    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 2
    with bs.streamlit_server() as url, bs.browser_page(url) as (page, _watch):
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Performance.enable")
        frames = Frames(cdp)
        runs = bs.RUNS.get(page)
        nav = page.locator('[data-testid="stSidebarNav"] a')
        rows: dict[str, list[dict]] = {}

        def metrics() -> dict[str, float]:
            return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

        for rnd in range(rounds):
            for name in PAGES[1:] + PAGES[:1]:
                link = nav.filter(has_text=name).first
                asked = runs.asked
                m0 = metrics()
                n0 = len(frames.log)
                t0 = time.perf_counter()
                link.click()
                while not (runs.asked > asked and runs.answered() and page.evaluate(bs.IDLE_JS)):
                    page.wait_for_timeout(5)
                over = time.perf_counter() - t0
                m1 = metrics()
                bs.wait_idle(page)
                log = frames.log[n0:]
                sent = next(t for t, w, k, _ in log if w == "sent" and k == "rerun_script")
                start = next(t for t, w, k, _ in log if w == "recv" and k == "new_session")
                fin = next(t for t, w, k, _ in log if w == "recv" and k == "script_finished")
                deltas = [(t, b) for t, w, k, b in log if w == "recv" and k == "delta" and t <= fin]
                els = page.evaluate("() => document.querySelectorAll('[data-testid=\"stMain\"] *').length")
                row = {
                    "over": over * 1000,
                    "server": (fin - sent) * 1000,
                    "run": (fin - start) * 1000,
                    "first_delta": ((deltas[0][0] - sent) * 1000) if deltas else float("nan"),
                    "deltas": len(deltas),
                    "kB": sum(b for _, b in deltas) / 1024,
                    "els": els,
                    **{k: (m1.get(k, 0) - m0.get(k, 0)) * 1000 for k in METRICS},
                }
                rows.setdefault(name, []).append(row)
                print(
                    f"round {rnd + 1} {name:20s} over {row['over']:6.0f} ms | server (request -> script_finished) "
                    f"{row['server']:5.0f} ms (run {row['run']:5.0f}), first delta {row['first_delta']:5.0f} ms, "
                    f"{row['deltas']:3d} deltas "
                    f"{row['kB']:6.1f} kB | browser CPU: task {row['TaskDuration']:5.0f} script "
                    f"{row['ScriptDuration']:5.0f} layout {row['LayoutDuration']:4.0f} style "
                    f"{row['RecalcStyleDuration']:4.0f} ms | {row['els']} elements in main",
                    flush=True,
                )
        print(
            "max over per page (ms): "
            + ", ".join(f"{k} {max(r['over'] for r in v):.0f}" for k, v in rows.items())
            + f"; median {statistics.median([r['over'] for v in rows.values() for r in v]):.0f}"
        )


if __name__ == "__main__":
    main()
