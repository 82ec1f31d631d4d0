"""A programme in a real browser: load the shipped example scenarios/examples/programme.json, solve, and see
the year x country chart, the per-year totals and the illustrative label (screenshot in artifacts/)."""

from __future__ import annotations

import pytest

from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_programme_chart_years_and_illustrative_label(page):
    bs.goto_page(page, "Scenarios & export")
    box = page.locator(".st-key-shipped_scenario, [data-testid='stSelectbox']").filter(has_text="shipped").first
    box.click()
    page.get_by_role("option", name="examples/programme.json").click()
    bs.wait_idle(page)
    page.locator(".st-key-load_shipped button").click()
    bs.wait_idle(page)
    bs.goto_page(page, "Allocation")
    page.locator(".st-key-solve button").click()
    page.wait_for_selector(
        ".st-key-programme_chart canvas, .st-key-programme_chart svg",
        timeout=300_000,  # the MILP, its frontier and the why-lost LPs: > 90 s on a loaded 2-core CI machine
    )
    bs.wait_idle(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Programme: money disbursed by year" in text
    assert "ILLUSTRATIVE" in text
    chart = page.locator(".st-key-programme_chart")
    chart.scroll_into_view_if_needed()
    assert chart.bounding_box()["height"] > 150
    shot = bs.screenshot_tall(page, "programme-allocation", height=4200)
    assert shot.stat().st_size > 10_000
