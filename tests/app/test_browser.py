"""The app in a real browser (Playwright + Debian's Chromium, fixtures in tests/app/conftest.py):
keyboard on a slider, the ranked table's cells against the library, a solved allocation, CSV/XLSX
downloads, charts drawn, no request leaving 127.0.0.1, no page error, a screenshot of every page under artifacts/.

Skips with a message when /usr/bin/chromium is missing; fails instead under CI=true.
"""

from __future__ import annotations

import html
import io
import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from fulcrum.pipeline import rank_scenario, scenario_method
from fulcrum.scenario import parse_scenario, scenario_to_json
from tests.support import browser as bs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
]  # one worker runs every browser test (one server)
PAGES = ["Data", "Weights", "Ranking", "Allocation", "Scenarios & export", "Robustness"]


def read_grid(page, box: str) -> list[list[str]]:
    """Cells of the st.dataframe (or the static st.table) inside the container with key ``box`` (rows that
    are drawn), as the page shows them."""
    table = page.eval_on_selector_all(
        f".st-key-{box} table tbody tr",
        'rows => rows.map(r => [...r.querySelectorAll("th, td")].map(c => c.innerText.replace(/\\u2060/g, "").trim()))',
    )
    if table:
        return table
    cells = page.eval_on_selector_all(
        f'.st-key-{box} [data-testid^="glide-cell-"]',
        'els => els.map(e => [e.getAttribute("data-testid"), e.textContent])',
    )
    grid: dict[int, dict[int, str]] = {}
    for tid, text in cells:
        col, row = map(int, tid.rsplit("-", 2)[-2:])
        grid.setdefault(row, {})[col] = text
    return [[grid[r][c] for c in sorted(grid[r])] for r in sorted(grid)]


def grid_matches(rows, ranking: pd.DataFrame) -> bool:
    """Rank, id and score of each shown row are the library's: the score to 1e-12, or to the last digit a
    table that rounds shows (the Weights page's top-10 preview shows 4 decimals)."""
    if not rows:
        return False
    for r, (_, lib) in zip(rows, ranking.iterrows(), strict=False):
        shown = r[3]
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        tol = 1e-12 if decimals >= 12 else 0.5 * 10.0**-decimals + 1e-12
        if r[1] != lib["alternative"] or int(r[0]) != int(lib["rank"]) or abs(float(shown) - float(lib["score"])) > tol:
            return False
    return True


def wait_for_grid(page, box: str, ranking: pd.DataFrame, timeout: float = 20.0) -> list[list[str]]:
    deadline = time.monotonic() + timeout
    rows = []
    while time.monotonic() < deadline:
        rows = read_grid(page, box)
        if grid_matches(rows, ranking):
            return rows
        page.wait_for_timeout(50)
    return rows


DRAWN_JS = """(k) => {
    const root = document.querySelector('.st-key-' + k);
    if (!root) return false;
    for (const c of root.querySelectorAll('canvas')) {
        if (!c.width || !c.height) continue;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4)
            if (d[i+3] > 0 && (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240)) return true;
    }
    return root.querySelectorAll('svg path, svg rect').length > 5;
}"""


def canvas_or_svg_drawn(page, key: str, timeout: float = 30_000) -> bool:
    """True once the chart in the container with key ``key`` has a non-blank canvas or SVG marks
    (waits for that state, up to ``timeout`` ms as a hang guard; False if it never comes)."""
    try:
        page.wait_for_function(DRAWN_JS, arg=key, timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


def with_weight(sc, cid: str, w: float):
    doc = json.loads(scenario_to_json(sc))
    for c in doc["criteria"]:
        if c["id"] == cid:
            c["weight"] = w
    return parse_scenario(doc)


def test_every_page_renders_and_is_screenshotted(page):
    for name in PAGES:
        bs.goto_page(page, name)
        bs.screenshot_tall(page, "page-" + name.split()[0].lower())
    assert bs.ARTIFACTS.joinpath("page-ranking.png").stat().st_size > 10_000


def test_ranked_table_cells_equal_the_library(page, default_scenario):
    bs.goto_page(page, "Ranking")
    lib = rank_scenario(default_scenario).ranking
    rows = wait_for_grid(page, "ranked_table_box", lib)
    assert len(rows) >= 10
    assert grid_matches(rows, lib), rows[:3]
    assert canvas_or_svg_drawn(page, "score_map"), "map not drawn"
    assert canvas_or_svg_drawn(page, "why_chart"), "contribution chart not drawn"


def test_keyboard_on_a_weight_slider_updates_the_ranking_as_the_library_says(page, default_scenario):
    bs.goto_page(page, "Weights")
    thumb = page.locator(".st-key-w-wt-gdp input[type=range]")
    start = next(float(c.weight) for c in default_scenario.criteria if c.id == "gdp")
    target = round(start + 0.5, 1)
    # start -> start + 0.5 in steps of 0.1. Each press triggers its own rerun; on a loaded machine a rerun can
    # re-render the slider and drop focus, so press one step at a time until the value says the target.
    for _ in range(20):
        value = float(thumb.input_value())
        if value >= target - 1e-9:
            break
        thumb.focus()
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function(
                "v => Number(document.querySelector('.st-key-w-wt-gdp input[type=range]').value) > v",
                arg=value,
                timeout=5_000,
            )
        except PlaywrightTimeout:  # the press was lost to a rerun: press again
            continue
    page.wait_for_function(
        "t => Math.abs(Number(document.querySelector('.st-key-w-wt-gdp input[type=range]').value) - t) < 1e-9",
        arg=target,
    )
    expected = rank_scenario(with_weight(default_scenario, "gdp", target)).ranking
    rows = wait_for_grid(page, "weights_preview_box", expected)
    assert grid_matches(rows, expected), (rows[:3], expected.head(3))
    before = rank_scenario(default_scenario).ranking
    assert not np.allclose(before["score"], expected.set_index("alternative").loc[before["alternative"], "score"])
    bs.goto_page(page, "Ranking")
    rows = wait_for_grid(page, "ranked_table_box", expected)
    assert grid_matches(rows, expected)


def solve_default(page):
    bs.goto_page(page, "Allocation")
    setup = page.get_by_role("button", name="Set up an allocation")
    if setup.count():
        setup.click()
        bs.wait_idle(page)
    page.locator(".st-key-solve button").click()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=30_000)
    bs.wait_idle(page)


def _library_allocation(sc_json: str):
    from optimisation.model import AllocationModel
    from optimisation.priorities import priorities_from_shortlist
    from optimisation.spec import parse_spec

    sc = parse_scenario(sc_json)
    out = rank_scenario(sc)
    spec = parse_spec(sc.allocation.model_dump())
    return AllocationModel(
        priorities_from_shortlist(out.shortlist, spec.priority_transform), out.countries, None, spec
    ).solve()


def test_solve_shows_the_library_allocation(page, default_scenario):
    from ui.pages.allocation import EXAMPLE_SPEC

    solve_default(page)
    doc = json.loads(scenario_to_json(default_scenario))
    if not doc.get("allocation"):  # the app's "Set up an allocation" button uses the example budgets
        doc["allocation"] = dict(EXAMPLE_SPEC)
    res = _library_allocation(json.dumps(doc))
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert metrics[0] == f"{res.objective:,.2f}", metrics
    assert f"US$ {res.by_pool['aid']:,.1f}M" in metrics
    assert canvas_or_svg_drawn(page, "alloc_heatmap")
    assert not page.locator(".st-key-frontier_chart").count()  # computed when its expander is opened
    page.locator(".st-key-frontier_open summary").click()
    assert canvas_or_svg_drawn(page, "frontier_chart", timeout=120_000)
    bs.screenshot_tall(page, "page-allocation-solved")


def test_downloads_csv_and_xlsx_match_the_library(page, default_scenario, tmp_path):
    import openpyxl

    from fulcrum.report import ranking_table, shortlist_export

    solve_default(page)
    bs.goto_page(page, "Scenarios & export")
    sc_json = None
    with page.expect_download() as d:
        page.get_by_role("button", name="Save scenario (JSON)").click()
    sc_json = Path(d.value.path()).read_text(encoding="utf-8")
    sc = parse_scenario(sc_json)
    out = rank_scenario(sc)
    with page.expect_download() as d:
        page.get_by_role("button", name="Shortlist (CSV)").click()
    got = pd.read_csv(d.value.path())
    exp = pd.read_csv(io.StringIO(shortlist_export(out).to_csv(index=False)))
    pd.testing.assert_frame_equal(got, exp)
    with page.expect_download() as d:
        page.get_by_role("button", name="Allocation (CSV)").click()
    alloc_csv = pd.read_csv(d.value.path())
    res = _library_allocation(sc_json)
    np.testing.assert_allclose(alloc_csv["total_musd"].sum(), res.allocation["total_musd"].sum(), rtol=1e-6)
    with page.expect_download() as d:
        page.get_by_role("button", name="Everything (XLSX)").click()
    assert d.value.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(Path(d.value.path()).read_bytes()), read_only=True)
    assert {"shortlist", "ranking", "weights", "notes"} <= set(wb.sheetnames), wb.sheetnames
    ws = wb["ranking"]
    rows = list(ws.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    got_rank = pd.DataFrame(body, columns=header)
    lib_rank = ranking_table(out)
    assert list(got_rank["alternative"]) == list(lib_rank["alternative"])
    np.testing.assert_allclose(got_rank["score"].astype(float), lib_rank["score"].astype(float), rtol=1e-12)
    with page.expect_download() as d:
        page.get_by_role("button", name="Report (HTML, printable, with charts)").click()
    assert d.value.suggested_filename.endswith(".html")
    html_doc = Path(d.value.path()).read_text(encoding="utf-8")
    assert html_doc.count('src="data:image/png;base64,') >= 4
    assert not re.search(r"(src|href)=[\"']?\s*(https?:)?//", html_doc), "the report must not fetch anything"
    for iso, name in out.countries.loc[out.shortlist.index, "country"].items():
        assert iso in html_doc and html.escape(name) in html_doc, iso
    assert "id=allocation" in html_doc  # solved above, so the report carries the allocation
    bs.screenshot_tall(page, "page-scenarios-export")


def test_robustness_smaa_heatmap_is_drawn(page):
    bs.goto_page(page, "Robustness")
    page.get_by_role("button", name="Run SMAA").click()
    page.wait_for_selector(".st-key-smaa_chart canvas, .st-key-smaa_chart svg", timeout=60_000)
    bs.wait_idle(page)
    assert canvas_or_svg_drawn(page, "smaa_chart")
    bs.screenshot_tall(page, "page-robustness-smaa")


def test_robustness_pair_swap_sentence_is_shown(page, default_scenario):
    from mcda import robustness as rb

    bs.goto_page(page, "Robustness")
    page.get_by_role("tab", name="What would it take?").click()
    page.wait_for_selector(".st-key-pair_swap_box", timeout=30_000)
    bs.wait_idle(page)
    text = page.locator(".st-key-pair_swap_box").inner_text()
    out = rank_scenario(default_scenario)
    # the page's pair: the last shortlisted country and the first eligible one below the cut
    t = out.shortlist_table
    last = str(out.shortlist.index[-1])
    below = str(t.loc[t["status"] == "below cut", "alternative"].iloc[0])
    ps = rb.pair_swap(out.problem, out.weights, last, below, method=scenario_method(out))
    crit = out.criteria.at[ps.attrs["min_criterion"], "label"]
    names = out.countries["country"]
    assert f"{names[below]} overtakes {names[last]} if the weight of " + crit in text, text
    bs.screenshot_tall(page, "page-robustness-swap")
    page.locator(".st-key-rb_kind label").filter(has_text="intervals").click()
    page.wait_for_selector('.st-key-rb_uncertainty_box [data-testid="stDataFrame"]', timeout=30_000)
    bs.wait_idle(page)
    bs.screenshot_tall(page, "page-robustness-intervals")
