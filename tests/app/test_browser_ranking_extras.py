"""Issue 10 in a real browser (items 3 and 4): a planner loads a scenario file and reads, on the
Ranking page, the filter sensitivity (sentences and the safe-interval chart) and the ELECTRE III
threshold editor with the vetoes in words. Screenshots go to artifacts/ (looked at by a person)."""

from __future__ import annotations

import pytest

from tests.support import ROOT
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EXAMPLES = ROOT / "scenarios" / "examples"


def _load(page, name: str) -> None:
    bs.goto_page(page, "Scenarios & export")
    page.locator(".st-key-scenario_upload input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/json", "buffer": (EXAMPLES / name).read_bytes()}
    )
    page.wait_for_function("() => document.body.innerText.includes('Loaded scenario')", timeout=30_000)
    bs.wait_idle(page)
    bs.goto_page(page, "Ranking")


def test_filter_sensitivity_sentences_and_chart(page):
    _load(page, "paper_rejections.json")
    box = page.locator(".st-key-filter_sensitivity")
    box.wait_for(timeout=30_000)
    box.scroll_into_view_if_needed()
    text = box.inner_text()
    assert "wgi_pv > -1 holds the shortlist for thresholds from -1.19 to -0.72 (not included)" in text
    assert "below -1.19 Venezuela would enter, replacing Jamaica" in text
    assert "us_export_share < 75" in text and "Mexico would enter" in text
    chart = box.locator(".vega-embed").first  # vega-lite draws the chart
    chart.wait_for(timeout=30_000)
    assert chart.bounding_box()["height"] > 60
    bs.settle(page)
    box.screenshot(path=str(bs.ARTIFACTS / "ranking_filter_sensitivity.png"))


def test_electre3_threshold_editor_and_vetoes_in_words(page):
    _load(page, "electre3_vetoes.json")
    page.get_by_text("ELECTRE III thresholds, in each criterion's own units").first.wait_for(timeout=30_000)
    words = page.locator(".st-key-veto_words")
    words.wait_for(timeout=30_000)
    assert "cannot outrank" in words.inner_text()
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "ELECTRE III" in body and "Apply thresholds" in body
    bs.screenshot_tall(page, "ranking_electre3", height=4200)
    words.scroll_into_view_if_needed()
    words.screenshot(path=str(bs.ARTIFACTS / "ranking_electre3_vetoes.png"))


def test_filter_sensitivity_over_tracks(page):
    """Issue 10 gap 1: the two-track paper scenario; the chosen track's filters against the final shortlist."""
    bs.goto_page(page, "Scenarios & export")
    page.locator(".st-key-scenario_upload input[type=file]").set_input_files(
        {
            "name": "paper_2022.json",
            "mimeType": "application/json",
            "buffer": (ROOT / "scenarios" / "paper_2022.json").read_bytes(),
        }
    )
    page.wait_for_function("() => document.body.innerText.includes('Loaded scenario')", timeout=30_000)
    bs.wait_idle(page)
    bs.goto_page(page, "Ranking")
    box = page.locator(".st-key-filter_sensitivity")
    box.wait_for(timeout=60_000)
    box.scroll_into_view_if_needed()
    text = box.inner_text()
    assert "against the final shortlist" in text
    assert "Track 'Large economies, comprehensive strategic partners': wgi_pv > -1 holds" in text
    assert "Argentina would enter, replacing Mexico" in text
    chart = box.locator(".vega-embed").first
    chart.wait_for(timeout=30_000)
    assert chart.bounding_box()["height"] > 60
    bs.settle(page)
    box.screenshot(path=str(bs.ARTIFACTS / "ranking_filter_sensitivity_tracks.png"))
