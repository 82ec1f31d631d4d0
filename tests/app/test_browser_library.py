"""The scenario library in a real browser: a refresh restores the work, a saved version is restored after
asking, and the comparison names who entered and left the shortlist (as fulcrum.compare computes it).

The served app keeps its library in a temp folder (tests/conftest.py sets FULCRUM_LIBRARY_URL).
"""

from __future__ import annotations

import json
import uuid

import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import parse_scenario, scenario_to_json
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# the GDP weight slider; ui.state redraws a widget under a fresh key (st-key-w-wt-gdp-N) when the scenario
# changed behind it, so match the key's prefix
GDP = '[class*="st-key-w-wt-gdp"] input[type=range]'


def _nudge_gdp(page, steps: int) -> float:
    """Press ArrowRight on the GDP weight slider ``steps`` times, each press answered by the app before the
    next; returns the value the slider shows then (redrawn from the scenario the server holds)."""
    thumb = page.locator(GDP)
    for _ in range(steps):
        thumb.focus()
        bs.act(page, lambda: page.keyboard.press("ArrowRight"))
    return float(thumb.input_value())


def _gdp_shown(page) -> float:
    bs.goto_page(page, "Weights")
    return float(page.locator(GDP).input_value())


def _text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _save_version(page, name: str, note: str) -> None:
    bs.goto_page(page, "Library & compare")
    page.locator(".st-key-lib_name input").fill(name)
    bs.act(page, lambda: page.locator(".st-key-lib_name input").press("Enter"))
    page.locator(".st-key-lib_note input").fill(note)
    bs.act(page, lambda: page.locator(".st-key-lib_note input").press("Enter"))
    bs.act(page, page.locator(".st-key-lib_save button").click)
    page.wait_for_function(f"() => document.body.innerText.includes({json.dumps('Saved ' + repr(name))})")


def test_refresh_restores_the_working_scenario(page):
    bs.goto_page(page, "Weights")
    start = float(page.locator(GDP).input_value())
    moved = _nudge_gdp(page, 3)
    assert moved == pytest.approx(start + 0.3)  # no press lost
    bs.goto_page(page, "Ranking")
    assert _gdp_shown(page) == pytest.approx(moved)  # what the server holds
    assert "s=" in page.url  # the session's token, kept by the refresh
    bs.act(page, page.reload)
    page.wait_for_function("() => document.body.innerText.includes('Restored your working scenario')")
    assert _gdp_shown(page) == pytest.approx(moved)


def test_save_a_version_and_restore_it_after_asking(page):
    name = f"Plan {uuid.uuid4().hex[:6]}"
    bs.goto_page(page, "Weights")
    start = float(page.locator(GDP).input_value())
    _save_version(page, name, "the baseline")
    assert "the baseline" in _text(page)
    bs.goto_page(page, "Weights")
    assert _nudge_gdp(page, 2) == pytest.approx(start + 0.2)
    bs.goto_page(page, "Ranking")
    assert _gdp_shown(page) > start  # the server holds the change
    bs.goto_page(page, "Library & compare")
    bs.act(page, page.locator(".st-key-lib_restore button").click)
    page.wait_for_selector(".st-key-confirm_load_library button", timeout=60_000)
    assert "replaces the scenario you are working on" in _text(page)
    bs.screenshot_tall(page, "library-confirm-restore")
    bs.act(page, page.locator(".st-key-confirm_load_library button").click)
    page.wait_for_function("() => document.body.innerText.includes('Restored ')")
    assert _gdp_shown(page) == pytest.approx(start)


def _need_heavy(doc: dict) -> dict:
    d = json.loads(json.dumps(doc))
    for c in d["criteria"]:
        if c["id"] == "hdi":
            c["weight"] = (c.get("weight") or 1.0) * 6
    d["shortlist"]["exclusions"] = [*d["shortlist"].get("exclusions", []), {"id": "ARG", "reason": "for the test"}]
    d["name"] = "More need"
    return d


def test_compare_names_who_entered_and_left(page, default_scenario):
    name = f"Base {uuid.uuid4().hex[:6]}"
    _save_version(page, name, "default")
    after = parse_scenario(_need_heavy(json.loads(scenario_to_json(default_scenario))))
    bs.goto_page(page, "Scenarios & export")
    bs.act(
        page,
        lambda: page.locator(".st-key-scenario_upload input[type=file]").set_input_files(
            {"name": "more_need.json", "mimeType": "application/json", "buffer": scenario_to_json(after).encode()}
        ),
    )
    page.wait_for_function("() => document.body.innerText.includes('Loaded scenario')", timeout=60_000)
    bs.goto_page(page, "Library & compare")
    page.wait_for_selector(".st-key-compare_summary", timeout=60_000)
    bs.wait_idle(page)
    summary = page.locator(".st-key-compare_summary").inner_text()
    entered_line, left_line = summary.split("Left the shortlist:")
    before_sl = set(rank_scenario(default_scenario).shortlist.index)
    after_sl = set(rank_scenario(after).shortlist.index)
    assert after_sl - before_sl and before_sl - after_sl
    for a in after_sl - before_sl:
        assert f"({a})" in entered_line, summary
    for a in before_sl - after_sl:
        assert f"({a})" in left_line, summary
    assert "Argentina (ARG)" in left_line
    assert "Outcomes (B − A, low to high end):" in summary and "rural poverty" in summary, summary
    assert page.get_by_text("Outcomes in physical units (low and high ends", exact=False).count() >= 1
    shot = bs.screenshot_tall(page, "library-compare")
    assert shot.stat().st_size > 10_000
