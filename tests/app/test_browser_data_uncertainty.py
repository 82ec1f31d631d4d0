"""In a real browser: the Robustness page's switch "Also sample the data from its stated uncertainty"
(issue 10 item 5) — what it says about the criteria, and SMAA run with it on (screenshot under artifacts/)."""

from __future__ import annotations

import pytest

from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_data_uncertainty_switch_names_the_measured_criteria_and_smaa_runs_with_it(page):
    bs.goto_page(page, "Robustness")
    box = page.locator(".st-key-data_uncertainty_box")
    box.wait_for(timeout=30_000)
    text = box.inner_text()
    assert (
        "Criteria carrying measured uncertainty: Government effectiveness, Political stability, Control of corruption"
        in text
    )
    assert "99 values; datasets/uncertainty.csv" in text and "Exact (no stated uncertainty): GDP, Population" in text
    switch = page.locator(".st-key-rb_data_uncertainty input")  # st.toggle: a checkbox input styled as a switch
    assert not switch.is_checked()
    page.get_by_text("Also sample the data from its stated uncertainty").click()
    bs.wait_idle(page)
    assert switch.is_checked()
    page.get_by_role("button", name="Run SMAA").click()
    page.wait_for_selector(".st-key-smaa_chart canvas, .st-key-smaa_chart svg", timeout=90_000)
    page.get_by_text("share of value samples in which the country ranks first").wait_for(timeout=30_000)
    bs.wait_idle(page)
    bs.screenshot_tall(page, "page-robustness-data-uncertainty")
