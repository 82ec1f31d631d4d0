"""What a planner sees of the parts made on request (issue 12 target 6: page switch < 1 s), in a real browser: the
Ranking page's method comparison says in one line how far the other methods agree, and opening it shows the ranks
by each method; the Markdown report, made when its button is clicked, is the library's report byte for byte.
Screenshots in artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.report import markdown_report
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_comparison_summary_then_the_ranks_when_opened(page, default_scenario):
    bs.goto_page(page, "Ranking")
    main = page.locator('[data-testid="stMain"]')
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Rank correlation (spearman')",
        timeout=60_000,
    )
    text = main.inner_text()
    assert "with TOPSIS (min-max): VIKOR (v = 0.5) " in text, text[-1500:]
    assert page.locator(".st-key-compare_table_box").count() == 0  # not drawn until asked for
    assert page.locator(".st-key-gaia_chart").count() == 0
    opener = page.locator(".st-key-compare_open summary")
    opener.scroll_into_view_if_needed()
    bs.screenshot(page, "ranking-comparison-closed")
    bs.act(page, opener.click)
    page.wait_for_selector(".st-key-compare_table_box [data-testid^=glide-cell-]", state="attached", timeout=60_000)
    heads = page.eval_on_selector_all(".st-key-compare_table_box th", "els => els.map(e => e.textContent)")
    assert "TOPSIS (min-max) — in force" in heads and any(h.startswith("VIKOR") for h in heads), heads
    page.locator(".st-key-compare_table_box").scroll_into_view_if_needed()
    bs.settle(page)
    bs.screenshot(page, "ranking-comparison-open")


def test_markdown_report_made_on_click_is_the_library_report(page, default_scenario):
    bs.goto_page(page, "Scenarios & export")
    with page.expect_download() as d:
        page.get_by_role("button", name="Report (Markdown)").click()
    assert d.value.suggested_filename.endswith(".md")
    got = Path(d.value.path()).read_text(encoding="utf-8")
    assert got == markdown_report(rank_scenario(default_scenario), None)
