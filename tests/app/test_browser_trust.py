"""Issue 8 ("Trust and safety") in a real browser, on the server `make run` starts (the ``served``,
``browser`` and ``page`` fixtures of tests/app/conftest.py; what the server itself may do is in
tests/app/test_serving.py):

* scenario and uploaded names that are Markdown/HTML (an image on another host, an ``<img
  onerror>``, a ``<script>``, a ``javascript:`` link) are shown as literal text: no request leaves
  127.0.0.1, no page error, no dialog;
* a burst of ArrowRight presses on one weight slider moves that weight only, and every slider shows
  what the weights table (the scenario) holds;
* the comparison's column for the method in force equals the ranked table;
* renaming the scenario keeps the solved allocation in the exports.

Skips with a message when /usr/bin/chromium is missing (fails under CI=true).
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest

from tests.support import browser as bs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]  # one worker runs every browser test (one server)
ROOT = bs.ROOT
HOSTILE = [
    "![x](http://evil.example/a.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[link](javascript:alert(1))",
]


def read_grid(page, box: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the st.dataframe inside the container with key ``box`` (rows that are drawn)."""
    head = page.eval_on_selector_all(f".st-key-{box} th", "els => els.map(e => e.textContent)")
    cells = page.eval_on_selector_all(
        f'.st-key-{box} [data-testid^="glide-cell-"]',
        'els => els.map(e => [e.getAttribute("data-testid"), e.textContent])',
    )
    grid: dict[int, dict[int, str]] = {}
    for tid, text in cells:
        col, row = map(int, tid.rsplit("-", 2)[-2:])
        grid.setdefault(row, {})[col] = text
    return head, [[grid[r].get(c, "") for c in range(len(head))] for r in sorted(grid)]


def upload(page, key: str, name: str, data: bytes, mime: str) -> None:
    """Upload a file through the uploader with key ``key``; returns once the app has answered the upload."""
    box = page.locator(f".st-key-{key} input[type=file]")
    bs.act(page, lambda: box.set_input_files({"name": name, "mimeType": mime, "buffer": data}))


def no_injected_markup(page) -> list[str]:
    """Elements that hostile text would have created had it reached the page as Markdown/HTML."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'a[href*="evil"]:not([href^="#"]), a[href^="javascript"], img[src*="evil"], img[src="x"], '
        + '[onerror], [onmouseover]')]
        .map(e => e.outerHTML.slice(0, 120))""")


def body_text(page) -> str:
    """The page's text as the planner sees it, with what text inputs and select boxes show."""
    values = page.eval_on_selector_all(
        "input:not([type=range]):not([type=file]), textarea", "els => els.map(e => e.value)"
    )
    return (page.locator("body").inner_text() + "\n" + "\n".join(values)).replace("\u2060", "")


# ------------------------------------------------------------------ 3: hostile names shown as text
def hostile_scenario() -> str:
    from fulcrum.scenario import load_scenario, scenario_to_json
    from ui.pages.weights import _new_ahp, ahp_complete

    doc = json.loads(scenario_to_json(load_scenario(ROOT / "scenarios" / "default.json")))
    doc["name"] = HOSTILE[0]
    doc["description"] = " ".join(HOSTILE)
    doc["shortlist"]["exclusions"] = [{"id": "BRA", "reason": HOSTILE[1]}]
    doc["shortlist"]["filters"] = [
        {"column": "prc_relations", "op": "==", "value": 1, "reason": HOSTILE[3], "if_unknown": "exclude"}
    ]
    doc["weights"]["mode"] = "ahp"
    doc["weights"]["ahp"] = _new_ahp(doc)
    ahp_complete(doc)
    doc["weights"]["ahp"]["experts"][0]["name"] = HOSTILE[2]
    return json.dumps(doc)


def hostile_upload() -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "name", "![c](http://evil.example/c.png)", "<b onmouseover=alert(2)>risk</b>"])
    for i, h in enumerate(HOSTILE):
        w.writerow([h, f"{h} name", 10 + i, 3 - 0.5 * i])
    w.writerow(["OK1", "[n](http://evil.example/n)", 5, 1])
    return buf.getvalue().encode()


def shows(page, needles: list[str], timeout: float = 30.0) -> str:
    """The page's text once every needle is in it (or at the timeout): the page may still be drawing
    after the script run ends, and later elements (tables, expanders) come last on a loaded machine."""
    deadline = time.monotonic() + timeout
    page.wait_for_timeout(300)
    text = body_text(page) + table_text(page)
    while not all(s in text for s in needles) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        text = body_text(page) + table_text(page)
    return text


def table_text(page) -> str:
    """The text of the tables' cells on screen (a grid draws them on a canvas; its accessible copy holds the text
    drawn, e.g. the Data page's criterion labels): plain text, never Markdown."""
    return "\n" + "\n".join(
        page.eval_on_selector_all('[data-testid^="glide-cell-"]', "els => els.map(e => e.textContent)")
    )


PAGES = ["Data", "Weights", "Ranking", "Allocation", "Scenarios & export", "Robustness"]


def _every_page(page, tag: str, expect: dict[str, list[str]]) -> None:
    for name in PAGES:
        bs.goto_page(page, name)
        if name == "Ranking" and tag == "scenario":
            # the hostile scenario has filters: wait for their expander (a loaded machine draws it late)
            exp = page.locator('[data-testid="stExpander"] summary').filter(has_text="Filters")
            exp.first.wait_for(timeout=30_000)
            exp.first.click()
            bs.wait_idle(page)
        if name == "Robustness":
            page.get_by_role("tab", name="What would it take?").click()
            page.wait_for_selector(".st-key-pair_swap_box", timeout=30_000)
            bs.wait_idle(page)
        text = shows(page, expect.get(name, []))
        for s in expect.get(name, []):
            assert s in text, (tag, name, s)
        assert no_injected_markup(page) == [], (tag, name, no_injected_markup(page))
        bs.screenshot_tall(page, f"trust-hostile-{tag}-{name.split()[0].lower()}")


def test_hostile_scenario_and_upload_names_are_shown_as_text(page):
    bs.goto_page(page, "Scenarios & export")
    upload(
        page,
        "scenario_upload",
        "evil<img src=x onerror=alert(3)>.json",
        hostile_scenario().encode(),
        "application/json",
    )
    page.wait_for_function("() => document.body.innerText.includes('Loaded scenario')", timeout=60_000)
    _every_page(
        page,
        "scenario",
        {
            "Data": [HOSTILE[0]],  # the sidebar: "Scenario: <name>"
            "Weights": [HOSTILE[2]],  # the expert being edited
            "Ranking": [HOSTILE[1], HOSTILE[3]],  # exclusion and filter reasons
            "Scenarios & export": [HOSTILE[0], " ".join(HOSTILE)],  # printable report: title, description
        },
    )
    bs.goto_page(page, "Data")
    upload(page, "upload_matrix", "evil.csv", hostile_upload(), "text/csv")
    page.wait_for_function("() => document.body.innerText.includes('Loaded evil.csv')", timeout=60_000)
    _every_page(
        page,
        "upload",
        {
            "Data": ["![c](http://evil.example/c.png)", "<b onmouseover=alert(2)>risk</b>"],  # criterion labels
            "Weights": ["![c](http://evil.example/c.png)"],
            "Ranking": [f"{HOSTILE[1]} name ({HOSTILE[1]})"],  # sidebar shortlist
            "Allocation": [f"{HOSTILE[0]} name ({HOSTILE[0]})"],  # shortlist being funded
            "Robustness": [" name"],  # the pair-swap sentence
        },
    )
    # AHP judgements between the uploaded criteria: a select slider draws its option labels as Markdown
    bs.goto_page(page, "Weights")
    bs.act(page, page.locator("label").filter(has_text="AHP pairwise judgements").first.click)
    # one group, so the judgements between the uploaded criteria are in the "Within criteria" tab (a tab is
    # switched in the browser, without a run): wait for its slider to be shown
    page.get_by_role("tab").filter(has_text="Within criteria").click()
    page.locator('[data-testid="stSliderTickBar"]:visible').first.wait_for(timeout=60_000)
    bs.wait_idle(page)
    text = body_text(page)
    assert "![c](http://evil.example/c.png) 9×" in text and "<b onmouseover=alert(2)>risk</b> 9×" in text, text[-800:]
    assert no_injected_markup(page) == []
    bs.screenshot_tall(page, "trust-hostile-upload-ahp")


# ------------------------------------------------------------------ 17: a held arrow key on a weight slider
SLIDER_JS = """() => [...document.querySelectorAll('[data-testid="stSlider"]')].map(s => {
    const box = s.closest('[class*="st-key-w-"]');
    const key = box ? [...box.classList].find(c => c.startsWith('st-key-w-')) : null;
    const shown = s.querySelector('[data-testid="stSliderThumbValue"]');
    return [key, shown ? shown.innerText.trim() : null];
}).filter(x => x[0])"""


def shown_sliders(page) -> dict[str, str]:
    out = {}
    for key, shown in page.evaluate(SLIDER_JS):
        m = re.match(r"st-key-w-(wt|grp)-(.+?)(-\d+)?$", key)
        if m:
            out[f"{m.group(1)}:{m.group(2)}"] = shown
    return out


def saved_weights(page) -> dict[str, float]:
    """The scenario's weights as the planner saves them: the JSON download on the Scenarios page."""
    bs.goto_page(page, "Scenarios & export")
    with page.expect_download() as d:
        page.get_by_role("button", name="Save scenario (JSON)").click()
    doc = json.loads(Path(d.value.path()).read_text(encoding="utf-8"))
    return {c["id"]: float(c["weight"]) for c in doc["criteria"]}


def grid_with_header(page, header: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the first st.dataframe on the page with a column named ``header``."""
    head, cells = page.evaluate(
        """(want) => {
        for (const df of document.querySelectorAll('[data-testid="stDataFrame"]')) {
            const head = [...df.querySelectorAll('th')].map(e => e.textContent);
            if (!head.includes(want)) continue;
            return [head, [...df.querySelectorAll('[data-testid^="glide-cell-"]')].map(
                e => [e.getAttribute('data-testid'), e.textContent])];
        }
        return [[], []];
    }""",
        header,
    )
    grid: dict[int, dict[int, str]] = {}
    for tid, text in cells:
        c, r = map(int, tid.rsplit("-", 2)[-2:])
        grid.setdefault(r, {})[c] = text
    return head, [[grid[r].get(c, "") for c in range(len(head))] for r in sorted(grid)]


def entered_weights(page) -> dict[str, str]:
    """The weights table beside the sliders (drawn by the server from the scenario): label -> entered."""
    head, rows = grid_with_header(page, "Entered")  # friendly headers (fulcrum.format / ui.display)
    if not head:
        return {}
    i, e = head.index("Criterion"), head.index("Entered")
    return {r[i]: f"{float(r[e]):.2f}" for r in rows if r[i] and r[e]}


def settled(page, gdp: str, gdp_label: str) -> dict[str, str]:
    """The sliders once the server has used the last press: the weights table, which the server
    draws after the sliders on each run, shows GDP at ``gdp`` and no run is going (the known final
    state; the slider itself shows a pressed value at once, before the server has seen it)."""
    deadline = time.monotonic() + 60
    while True:
        bs.wait_idle(page)
        if entered_weights(page).get(gdp_label) == gdp:
            bs.wait_idle(page)
            return shown_sliders(page)
        assert time.monotonic() < deadline, f"GDP pressed to {gdp}; the weights table shows {entered_weights(page)}"
        page.wait_for_timeout(200)


def test_held_arrow_key_on_a_weight_slider_moves_that_weight_only(page):
    from fulcrum.scenario import load_scenario
    from mcda.data import load_criteria
    from ui.pages.weights import groups_of

    default = load_scenario(ROOT / "scenarios" / "default.json")
    start = {c.id: float(c.weight) for c in default.criteria}
    gdp_label = load_criteria().at["gdp", "label"]
    groups = groups_of(default.model_dump(mode="json"))
    bs.goto_page(page, "Weights")
    last_group = list(groups)[-1]  # the page draws the group sliders in this order: wait for the last one
    page.wait_for_selector(
        f".st-key-w-grp-{last_group} [data-testid=stSliderThumbValue]", state="attached", timeout=30_000
    )
    bs.wait_idle(page)
    assert shown_sliders(page)["wt:gdp"] == f"{start['gdp']:.2f}"
    # A held key on a planner's connection: key repeats every 60 ms, each one a rerun, and 300 ms
    # between browser and server, so the browser keeps sending requests before it has the previous
    # runs' output (with the values its other sliders showed before). On this machine's loopback
    # without the delay the runs keep up and nothing goes stale. (The pacing only makes the race
    # happen; what is asserted is the final state, whatever the timing.)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 300, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    thumb = page.locator(".st-key-w-wt-gdp input[type=range]")
    thumb.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(60)
    target = float(thumb.input_value())
    sliders = settled(page, f"{target:.2f}", gdp_label)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    bs.screenshot_tall(page, "trust-weights-after-held-key")
    saved = saved_weights(page)
    # what is used is what the planner pressed, and nothing else moved
    assert saved["gdp"] == pytest.approx(target) and target > start["gdp"]
    assert {c: w for c, w in saved.items() if c != "gdp"} == {c: w for c, w in start.items() if c != "gdp"}
    # what is shown is what is used: every criterion slider and every group total
    shown_wrong = {cid: sliders[f"wt:{cid}"] for cid, w in saved.items() if sliders[f"wt:{cid}"] != f"{w:.2f}"}
    shown_wrong |= {
        f"group {g}": sliders[f"grp:{g}"]
        for g, members in groups.items()
        if sliders[f"grp:{g}"] != f"{sum(saved[m] for m in members):.2f}"
    }
    # (one clean-clone CI run in four once left an untouched slider SHOWING its minimum here while the scenario
    # kept 3.0: a run stopped as that slider was sent; tests/app/test_widget_resend.py reproduces it exactly)
    assert not shown_wrong, f"sliders showing other values than the scenario after a held key: {shown_wrong}"


# ------------------------------------------------------------------ 18: the comparison agrees with the ranking
COMPARISON_JS = """() => {
    for (const df of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        const head = [...df.querySelectorAll('th')].map(e => e.textContent);
        if (!head.some(h => /vikor/i.test(h))) continue;          // the comparison: it has a VIKOR column
        const cells = [...df.querySelectorAll('[data-testid^="glide-cell-"]')].map(
            e => [e.getAttribute('data-testid'), e.textContent]);
        return [head, cells];
    }
    return null;
}"""


def test_comparison_column_of_the_method_in_force_equals_the_ranked_table(page):
    bs.goto_page(page, "Ranking")
    opener = page.locator(".st-key-compare_open summary")  # the ranks by each method: drawn when opened
    opener.scroll_into_view_if_needed()
    bs.act(page, opener.click)
    page.wait_for_selector(".st-key-ranked_table_box [data-testid^=glide-cell-]", state="attached", timeout=60_000)
    page.wait_for_function(f"() => {{ const r = ({COMPARISON_JS})(); return r && r[1].length > 0; }}", timeout=60_000)
    bs.wait_idle(page)
    head, cells = page.evaluate(COMPARISON_JS)
    grid: dict[int, dict[int, str]] = {}
    for tid, text in cells:
        c, r = map(int, tid.rsplit("-", 2)[-2:])
        grid.setdefault(r, {})[c] = text
    col = [h for h in head if h.endswith("— in force")]
    assert col == ["TOPSIS (min-max) — in force"], head  # the scenario ranks by TOPSIS, min-max
    assert any(h.startswith("VIKOR (v = 0.5)") for h in head) and any(h.startswith("PROMETHEE II (") for h in head), (
        head
    )
    j = head.index(col[0])
    in_force = {grid[r][0]: grid[r][j] for r in grid if 0 in grid[r] and j in grid[r]}
    rhead, ranked = read_grid(page, "ranked_table_box")
    rank_of = {r[rhead.index("id")]: r[rhead.index("rank")] for r in ranked}
    both = [a for a in in_force if a in rank_of]
    assert len(both) >= 8, (in_force, rank_of)
    assert {a: in_force[a] for a in both} == {a: rank_of[a] for a in both}
    page.locator(".st-key-compare_table_box").scroll_into_view_if_needed()
    bs.screenshot_tall(page, "trust-ranking-comparison")


# ------------------------------------------------------------------ 19: renaming keeps the allocation
def test_renaming_the_scenario_keeps_the_allocation_in_the_exports(page, tmp_path):
    import openpyxl

    bs.goto_page(page, "Allocation")
    setup = page.get_by_role("button", name="Set up an allocation")
    if setup.count():
        bs.act(page, setup.click)
    bs.act(page, page.locator(".st-key-solve button").click)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    bs.wait_idle(page)
    bs.goto_page(page, "Scenarios & export")
    box = page.locator('[class*="st-key-w-name"] input')
    box.fill("Renamed for the memo")
    bs.act(page, lambda: box.press("Enter"))
    # known final state: the printable report, drawn after the download buttons, carries the new name
    page.wait_for_function(
        """() => { const r = document.querySelector('.st-key-printable_report h1');
                                      return r && r.innerText.includes('Renamed for the memo'); }""",
        timeout=30_000,
    )
    bs.wait_idle(page)
    assert "Renamed for the memo" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.get_by_role("button", name="Allocation (CSV)").wait_for(timeout=30_000)  # (drawn, not faded by a rerun)
    with page.expect_download() as d:
        page.get_by_role("button", name="Everything (XLSX)").click()
    assert d.value.suggested_filename == "renamed-for-the-memo.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(Path(d.value.path()).read_bytes()), read_only=True)
    assert len(wb.sheetnames) == 11 and "rules_outcomes" in wb.sheetnames, wb.sheetnames  # outcomes: every allocation
    with page.expect_download() as d:
        page.get_by_role("button", name="Report (HTML, printable, with charts)").click()
    html_doc = Path(d.value.path()).read_text(encoding="utf-8")
    assert "Renamed for the memo" in html_doc and "id=allocation" in html_doc
    report = page.locator(".st-key-printable_report").inner_text()
    assert "Renamed for the memo" in report and "By country (US$ millions)" in report
    bs.screenshot_tall(page, "trust-renamed-export")
    bs.goto_page(page, "Allocation")
    page.locator('[data-testid="stMetric"]').nth(3).wait_for(timeout=30_000)  # the solved allocation's metrics
    assert "Inputs changed since the last solve" not in body_text(page)
