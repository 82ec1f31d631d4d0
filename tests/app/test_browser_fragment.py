"""Partial reruns (issue 12 target 6) in a real browser: a weight slider reruns the Weights page's body as an
st.fragment; what that fragment run shows is what a full rerun shows and what the library computes, and the
sidebar's shortlist stays the library's (a fragment run asks for a full rerun when it would change)."""

from __future__ import annotations

import pytest

from fulcrum.pipeline import rank_scenario
from tests.app.test_browser import grid_matches, read_grid, wait_for_grid, with_weight
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_fragment_run_shows_the_same_table_as_a_full_rerun(page, default_scenario):
    bs.goto_page(page, "Weights")
    start = next(float(c.weight) for c in default_scenario.criteria if c.id == "gdp")
    thumb = page.locator(".st-key-w-wt-gdp input[type=range]")
    expected = None
    for k in range(1, 4):  # three presses, each waited for: each is one fragment run
        thumb.focus()
        page.keyboard.press("ArrowRight")
        expected = rank_scenario(with_weight(default_scenario, "gdp", round(start + 0.1 * k, 10))).ranking
        assert grid_matches(wait_for_grid(page, "weights_preview_box", expected), expected), k
    bs.wait_idle(page)
    fragment_rows = read_grid(page, "weights_preview_box")
    lib_shortlist = rank_scenario(with_weight(default_scenario, "gdp", round(start + 0.3, 10))).shortlist
    side = page.locator('[data-testid="stSidebar"]').inner_text()
    assert all(f"({a})" in side for a in lib_shortlist.index), side
    # a full rerun of the page (leave and come back): the same table, cell for cell
    bs.goto_page(page, "Data")
    bs.goto_page(page, "Weights")
    assert grid_matches(wait_for_grid(page, "weights_preview_box", expected), expected)
    assert read_grid(page, "weights_preview_box") == fragment_rows
