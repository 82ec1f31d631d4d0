"""The planner's programme rules (issue 11 items 3-6) in a real browser: upload
scenarios/examples/paper_2022_debt_outcomes.json, solve, and see the rules in words, each country's
debt reason and the matched money apart from the budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "paper_2022_debt_outcomes.json"


def test_debt_rule_and_cofinancing_shown_after_solve(page):
    bs.goto_page(page, "Scenarios & export")
    page.locator(".st-key-scenario_upload input[type=file]").set_input_files(
        {"name": EXAMPLE.name, "mimeType": "application/json", "buffer": EXAMPLE.read_bytes()}
    )
    page.wait_for_function("() => document.body.innerText.includes('Loaded scenario')", timeout=30_000)
    bs.wait_idle(page)
    bs.goto_page(page, "Allocation")
    page.locator(".st-key-solve button").click()
    page.wait_for_selector(".st-key-alloc_rules", timeout=60_000)
    bs.wait_idle(page)
    box = page.locator(".st-key-alloc_rules")
    box.scroll_into_view_if_needed()
    text = box.inner_text()
    assert "Planner's rules" in text
    assert "Debt rule on external_debt" in text and "Co-financing" in text
    assert "not in the planner's budget" in text
    shot = bs.screenshot_tall(page, "allocation-planner-rules", height=4200)
    assert shot.stat().st_size > 10_000
