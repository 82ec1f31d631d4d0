"""Benchmark of the Streamlit app (issue 4).

1. AppTest: one script rerun after a weight-slider change on the default data (median; target
   < 150 ms), with the library's own rank_scenario time for the same inputs as the in-process baseline.
2. Browser (Playwright + /usr/bin/chromium): slider key press -> the Weights page's top-10 table (static
   HTML: what a person sees and a screen reader reads are the same cells) shows the library's new ranking,
   timed in the page from the keydown to the animation frame that shows it; median over 20 presses
   (issue 12 target 6: < 300 ms).
3. Browser: switching pages by the sidebar -> the new page drawn and idle, median over every page
   twice (target < 1 s).
4. Browser: Solve button -> allocation shown (metric equals the library's objective), median of 5
   (target < 500 ms).

Run: .venv/bin/python bench/bench_app.py [--no-browser]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from fulcrum.pipeline import rank_scenario  # noqa: E402
from fulcrum.scenario import load_scenario, parse_scenario, scenario_to_json  # noqa: E402


def with_weight(sc, cid, w):
    doc = json.loads(scenario_to_json(sc))
    for c in doc["criteria"]:
        if c["id"] == cid:
            c["weight"] = w
    return parse_scenario(doc)


def w0(sc) -> float:
    """The default scenario's GDP weight, where the slider starts (each arrow press adds 0.1)."""
    return float(next(c.weight for c in sc.criteria if c.id == "gdp"))


def bench_apptest(sc, n: int = 30) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.app.apptest import goto

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    goto(at, "Weights")
    times, lib = [], []
    for i in range(n):
        w = round(w0(sc) + 0.1 * (i + 1), 10)  # a new value each time: the ranking really re-runs
        at.slider(key="w:wt:gdp").set_value(w)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception
        s2 = with_weight(sc, "gdp", w)
        t0 = time.perf_counter()
        rank_scenario(s2)
        lib.append(time.perf_counter() - t0)
    med, base = statistics.median(times), statistics.median(lib)
    print(
        f"AppTest rerun after a slider change (Weights page, default data): median {med * 1000:.1f} ms over {n} "
        f"(target < 150 ms) | library rank_scenario alone: median {base * 1000:.1f} ms | ratio {med / base:.1f}x"
    )


def bench_browser(sc, presses: int = 20, solves: int = 5) -> None:
    from tests.support import browser as bs
    from ui.pages.allocation import EXAMPLE_SPEC

    if not Path(bs.CHROMIUM).exists():
        print("browser benchmark skipped: /usr/bin/chromium not found")
        return
    with bs.streamlit_server() as url, bs.browser_page(url) as (page, watch):
        bs.goto_page(page, "Weights")
        thumb = page.locator(".st-key-w-wt-gdp input[type=range]")
        thumb.focus()
        times, drawn = [], []
        previous = [
            [str(a), f"{float(s):.4f}"] for a, s in rank_scenario(sc).ranking.head(10)[["alternative", "score"]].values
        ]
        for k in range(1, presses + 1):
            w = round(w0(sc) + 0.1 * k, 10)
            exp = rank_scenario(with_weight(sc, "gdp", w)).ranking.head(10)
            expected = [[str(a), f"{float(s):.4f}"] for a, s in zip(exp["alternative"], exp["score"], strict=True)]
            page.evaluate(WATCH_TABLE, expected)
            t0 = time.perf_counter()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("() => window.__benchShown !== null", polling="raf", timeout=30_000)
            if expected == previous:  # the table as shown did not change: nothing to time
                continue
            previous = expected
            times.append(time.perf_counter() - t0)
            drawn.append(page.evaluate("() => window.__benchShown - window.__benchKey") / 1000)
        print(
            f"Browser: slider key press -> the top-10 table shows the library's new ranking (ids and scores as "
            f"shown, in the page): median {statistics.median(drawn) * 1000:.0f} ms over {presses} presses "
            f"that changed it (target < 300 ms); min {min(drawn) * 1000:.0f} ms, max {max(drawn) * 1000:.0f} ms"
            f" | seen from the test driver: median {statistics.median(times) * 1000:.0f} ms"
        )

        bench_page_switches(page)

        bs.goto_page(page, "Allocation")
        setup = page.get_by_role("button", name="Set up an allocation")
        if setup.count():  # scenarios without an allocation section start with the example budgets
            setup.click()
            bs.wait_idle(page)
        from optimisation.model import AllocationModel
        from optimisation.priorities import priorities_from_shortlist
        from optimisation.spec import parse_spec

        base = with_weight(sc, "gdp", round(w0(sc) + 0.1 * presses, 10))
        stimes = []
        for i in range(solves):
            aid = 300.0 + 10 * (i + 1)
            box = page.locator(".st-key-w-alloc-budget_aid_musd input")
            box.fill(f"{aid:.2f}")
            box.press("Enter")
            bs.wait_idle(page)
            doc = json.loads(scenario_to_json(base))
            doc["allocation"] = dict(doc.get("allocation") or EXAMPLE_SPEC, budget_aid_musd=aid)
            s3 = parse_scenario(doc)
            out = rank_scenario(s3)
            spec = parse_spec(s3.allocation.model_dump())
            res = AllocationModel(
                priorities_from_shortlist(out.shortlist, spec.priority_transform), out.countries, None, spec
            ).solve()
            want = f"{res.objective:,.2f}"
            t0 = time.perf_counter()
            page.locator(".st-key-solve button").click()
            page.wait_for_function(
                """(want) => { const m = document.querySelector('[data-testid="stMetricValue"]');
                               return m && m.innerText.trim() === want; }""",
                arg=want,
                polling="raf",
                timeout=60_000,
            )
            stimes.append(time.perf_counter() - t0)
        print(
            f"Browser: Solve button -> allocation shown (benefit metric = library objective): median "
            f"{statistics.median(stimes) * 1000:.0f} ms over {solves} solves (each with a new aid budget; "
            f"target < 500 ms)"
        )
        print(f"requests leaving 127.0.0.1: {len(watch.external())}; page errors: {len(watch.errors)}")


# In the page, before a key press: the time of the key press, and of the first animation frame in which the
# Weights page's top-10 table (a static HTML table) shows the library's ranking for the new weight: every id in
# order and every score as shown (4 decimals). That frame is the one a person sees it in; a screen reader reads
# the same cells.
WATCH_TABLE = """(exp) => {
    const shown = () => {
        const rows = document.querySelectorAll('.st-key-weights_preview_box table tbody tr');
        if (rows.length < exp.length) return false;
        for (let r = 0; r < exp.length; r++) {
            const c = [...rows[r].querySelectorAll('th, td')].map(e => e.innerText.replace(/\\u2060/g, '').trim());
            if (c[1] !== exp[r][0] || c[3] !== exp[r][1]) return false;
        }
        return true;
    };
    window.__benchKey = null; window.__benchShown = null;
    document.addEventListener('keydown', () => { window.__benchKey = performance.now(); }, {once: true, capture: true});
    const poll = () => {
        if (window.__benchKey !== null && shown()) { window.__benchShown = performance.now(); return; }
        if (window.__benchKey === null || performance.now() - window.__benchKey < 30000) requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
}"""

PAGES = ["Data", "Weights", "Ranking", "Allocation", "Scenarios & export", "Robustness"]


def bench_page_switches(page, rounds: int = 2) -> None:
    """Click each page in the sidebar in turn: time until its header is drawn, and until the run is over
    (the app has answered the page switch: tests/support/browser.py's Runs, read from the websocket, and
    ``stApp`` not running, nothing stale)."""
    from tests.support import browser as bs

    runs = bs.RUNS.get(page)
    nav = page.locator('[data-testid="stSidebarNav"] a')
    drawn, over = [], []
    per_page: dict[str, list[float]] = {}
    for _ in range(rounds):
        for name in PAGES[1:] + PAGES[:1]:
            link = nav.filter(has_text=name) if nav.count() else page.locator('[data-testid="stSidebar"] label')
            link = link.filter(has_text=name).first
            asked = runs.asked if runs is not None else 0
            t0 = time.perf_counter()
            link.click()
            page.wait_for_function(
                """(n) => { const h = document.querySelector('[data-testid="stMain"] h2');
                            return h && h.innerText.trim().startsWith(n); }""",
                arg=name.split(" ")[0],
                polling="raf",
                timeout=60_000,
            )
            drawn.append(time.perf_counter() - t0)
            while not ((runs is None or (runs.asked > asked and runs.answered())) and page.evaluate(bs.IDLE_JS)):
                if time.perf_counter() - t0 > 60:
                    raise TimeoutError(f"page {name}: the run did not end within 60 s")
                page.wait_for_timeout(5)  # lets Playwright deliver the websocket events
            over.append(time.perf_counter() - t0)
            per_page.setdefault(name, []).append(over[-1])
            bs.wait_idle(page)
    print(
        f"Browser: page switch (sidebar click -> new page's header drawn): median "
        f"{statistics.median(drawn) * 1000:.0f} ms; -> its run over (every request answered, nothing stale): "
        f"median {statistics.median(over) * 1000:.0f} ms, max {max(over) * 1000:.0f} ms over {len(over)} switches "
        f"(target < 1 s)"
    )
    print("    run over, per page (ms): " + ", ".join(f"{k} {max(v) * 1000:.0f}" for k, v in per_page.items()))


def main() -> None:
    sc = load_scenario(ROOT / "scenarios" / "default.json")
    bench_apptest(sc)
    if "--no-browser" not in sys.argv:
        bench_browser(sc)


if __name__ == "__main__":
    main()
