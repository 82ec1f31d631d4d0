"""Tracks in a real browser: upload scenarios/examples/two_tracks.json on the Scenarios page, see both tracks
(tabs and the sidebar's chooser) and the final shortlist with its track column, cells equal to the library."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fulcrum.pipeline import rank_scenario
from fulcrum.scenario import load_scenario
from tests.app.test_browser import read_grid
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "two_tracks.json"


def _wait_grid(page, box: str, rows_wanted: int, timeout: float = 30.0) -> list[list[str]]:
    deadline = time.monotonic() + timeout
    rows: list[list[str]] = []
    while time.monotonic() < deadline:
        rows = read_grid(page, box)
        if len(rows) >= rows_wanted:
            return rows
        page.wait_for_timeout(100)
    return rows


def test_two_tracks_load_and_show_tracks_and_final_shortlist(page):
    bs.goto_page(page, "Scenarios & export")
    page.locator(".st-key-scenario_upload input[type=file]").set_input_files(
        {"name": "two_tracks.json", "mimeType": "application/json", "buffer": EXAMPLE.read_bytes()}
    )
    page.wait_for_function("() => document.body.innerText.includes('Loaded scenario')", timeout=30_000)
    bs.wait_idle(page)

    side = page.locator('[data-testid="stSidebar"]')
    assert "Brazil (BRA) — Large economies" in side.inner_text()
    assert "Track shown and edited" in side.inner_text()

    bs.goto_page(page, "Ranking")
    lib = rank_scenario(load_scenario(EXAMPLE)).shortlist_table
    lib = lib[lib["status"] == "shortlisted"].sort_values("position")
    rows = _wait_grid(page, "final_shortlist_box", len(lib))
    assert [r[1] for r in rows] == list(lib["alternative"]), rows
    assert [r[3] for r in rows] == list(lib["track"]), rows  # position, id, country, track, ...
    tabs = page.get_by_role("tab")
    labels = [tabs.nth(i).inner_text() for i in range(tabs.count())]
    assert "Large economies (quota 2)" in labels and "Need and alignment (quota 2)" in labels
    page.get_by_role("tab", name="Need and alignment (quota 2)").click()
    bs.wait_idle(page)
    shot = bs.screenshot_tall(page, "tracks-ranking")
    assert shot.stat().st_size > 10_000
