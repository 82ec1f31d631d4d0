"""The "Run long studies on…" setting in a real browser (issue 12 item 4): set once on the Robustness page, it
is still shown there after a visit to another page, the weight sweeps run on it, and the Allocation page's
efficient frontier says where its points were solved and is drawn; an address that cannot be used is a notice
and the page keeps working. Screenshots: artifacts/executor-*.png."""

from __future__ import annotations

import pytest

from tests.app.test_browser import canvas_or_svg_drawn
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BOX = '[data-testid="stMain"]'


def _set(page, where: str) -> None:
    bs.goto_page(page, "Robustness")
    field = page.locator('input[aria-label^="Dask scheduler"]')
    if not field.is_visible():
        page.get_by_text("Run long studies on…").first.click()  # opened in the browser: no rerun
        field.wait_for(state="visible")
    field.fill(where)
    bs.act(page, lambda: field.press("Enter"), timeout=120_000)


def _says(page, text: str, timeout: float = 120_000) -> None:
    page.wait_for_function(
        "([sel, t]) => { const m = document.querySelector(sel); return m && m.innerText.includes(t); }",
        arg=[BOX, text],
        timeout=timeout,
    )


def test_the_setting_reaches_the_sweeps_and_the_frontier(page):
    _set(page, "processes:2")
    _says(page, "Studies run in chunks on: 2 local processes.")
    page.get_by_role("tab", name="Weight sweeps").click()
    bs.act(page, page.get_by_role("button", name="Run sweeps").click, timeout=180_000)
    page.wait_for_selector(".st-key-sweep_chart", timeout=120_000)
    bs.screenshot_tall(page, "executor-robustness-sweeps")

    bs.goto_page(page, "Allocation")
    bs.act(page, page.get_by_role("button", name="Solve").click, timeout=120_000)
    bs.act(page, page.locator(".st-key-frontier_open summary").click, timeout=180_000)
    page.wait_for_selector(".st-key-frontier_chart", timeout=120_000)
    _says(page, "Budget points solved in chunks on: 2 local processes")
    assert canvas_or_svg_drawn(page, "frontier_chart", timeout=60_000), "frontier not drawn"
    page.locator(".st-key-frontier_chart").scroll_into_view_if_needed()
    bs.screenshot_tall(page, "executor-allocation-frontier")

    bs.goto_page(page, "Robustness")  # kept across pages (Streamlit forgets a widget's value when it leaves)
    assert page.locator('input[aria-label^="Dask scheduler"]').input_value() == "processes:2"
    _says(page, "Studies run in chunks on: 2 local processes.")


def test_an_address_that_cannot_be_used_is_a_notice(page):
    _set(page, "slurm://queue")
    _says(page, "unknown executor 'slurm:")  # (esc puts a word joiner after the colon)
    bs.screenshot_tall(page, "executor-bad-address")
    bs.goto_page(page, "Allocation")  # the rest of the app keeps working: the frontier is computed here
    bs.act(page, page.get_by_role("button", name="Solve").click, timeout=120_000)
    bs.act(page, page.locator(".st-key-frontier_open summary").click, timeout=180_000)
    page.wait_for_selector(".st-key-frontier_chart", timeout=120_000)
    _says(page, "cannot be used, so this runs here")
    page.locator(".st-key-frontier_chart").scroll_into_view_if_needed()
    bs.screenshot_tall(page, "executor-bad-address-allocation")
