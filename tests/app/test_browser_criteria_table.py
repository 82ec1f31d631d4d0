"""The Data page's criteria table in a real browser (issue 12 target 6): a planner unticks a criterion and the
sidebar's shortlist becomes the library's for that scenario; a scale the ranking refuses shows the library's
message and the table goes back to what is used; the page draws one table, not a hundred widgets.
Screenshots in artifacts/."""

from __future__ import annotations

import json

import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario, scenario_to_json
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BOX = "crit_table_box"
USE, LABEL, SCALE = 0, 1, 3  # columns of the table (ui/criteria_table.py COLUMNS)
IN_LABEL = 135  # pixels from the table's left edge: inside the criterion column (after "use", 75 px)


def row_of(page, label: str) -> int:
    return next(r for r, cells in bs.grid_rows(page, BOX).items() if cells.get(LABEL) == label)


def cells_of(page, label: str) -> dict[int, str]:
    return bs.grid_rows(page, BOX)[row_of(page, label)]


def sidebar(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_unticking_a_criterion_and_a_refused_scale(page, default_scenario):
    bs.wait_page(page, "Data")
    page.locator(f".st-key-{BOX}").scroll_into_view_if_needed()
    page.wait_for_function(
        "(b) => document.querySelectorAll(`.st-key-${b} [data-testid^='glide-cell-']`).length > 100", arg=BOX
    )
    # one table: no checkbox or select box per criterion (the old page drew ~100 of them)
    assert page.locator('[data-testid="stMain"] [data-testid="stCheckbox"]').count() == 1  # "Show the year" toggle
    assert page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').count() == 1  # missing-data policy
    n = len(default_scenario.criteria)
    assert f"{n} criteria" in sidebar(page)
    assert cells_of(page, "Belt and Road MoU")[USE] == "true"

    # untick "Belt and Road MoU": select its row, move to "use", Space
    row = row_of(page, "Belt and Road MoU")
    bs.grid_focus(page, BOX, row, IN_LABEL)
    bs.grid_select(page, BOX, USE, row)
    bs.act(page, lambda: page.keyboard.press(" "))
    doc = json.loads(scenario_to_json(default_scenario))
    doc["criteria"] = [c for c in doc["criteria"] if c["id"] != "bri_mou"]
    want = rank_scenario(parse_scenario(doc))
    side = sidebar(page)
    assert f"{n - 1} criteria" in side, side
    names = want.countries["country"]
    assert side.split("Shortlist:")[1].split("\n")[0].strip() == ", ".join(
        f"{names[a]} ({a})" for a in want.shortlist.index
    )
    page.wait_for_function(
        """([b, l]) => [...document.querySelectorAll(`.st-key-${b} [data-testid^='glide-cell-1-']`)]
            .some(c => c.textContent === l)""",
        arg=[BOX, "Belt and Road MoU"],
    )
    assert cells_of(page, "Belt and Road MoU")[USE] == "false"
    bs.screenshot(page, "data-criteria-table-unticked")

    # log scale for government effectiveness (negative estimates): refused, the library's message, table unchanged
    row = row_of(page, "Government effectiveness")
    bs.grid_focus(page, BOX, row, IN_LABEL)
    bs.grid_select(page, BOX, SCALE, row)
    page.keyboard.press("Enter")
    option = page.get_by_role("option", name="log scale")
    option.first.wait_for()
    bs.act(page, option.first.click)
    alerts = [a.inner_text() for a in page.locator('[data-testid="stMain"] [data-testid="stAlert"]').all()]
    assert any("Change not applied" in a and "wgi_ge" in a and "log" in a for a in alerts), alerts
    # in planner words: the criterion by its label at first mention, the id kept (ui.text.named)
    assert any("Government effectiveness (wgi_ge) cannot be ranked on a log scale" in a for a in alerts), alerts
    bs.screenshot(page, "data-criteria-table-refused")
    page.wait_for_function(
        "(b) => document.querySelectorAll(`.st-key-${b} [data-testid^='glide-cell-']`).length > 100", arg=BOX
    )
    assert cells_of(page, "Government effectiveness")[SCALE] == "linear"
    assert cells_of(page, "Belt and Road MoU")[USE] == "false"
    assert f"{n - 1} criteria" in sidebar(page)
    bs.screenshot_tall(page, "data-criteria-table-refused", height=2600)
