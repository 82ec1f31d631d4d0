"""Screenshots of every page at 1440×900 for the README (docs/screenshots/), from a fresh app on the default scenario.

Run: .venv/bin/python -m tools.screenshots   (needs Chromium and Playwright, as the browser tests)
Then LOOK at them before committing: each shows its page at rest, scrolled to its main content.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import browser as bs

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TOP = "() => document.querySelectorAll('section, [data-testid=stMain]').forEach(e => e.scrollTop = 0)"


def _shot(page, name: str, wait: str | None = None, scroll_to: str | None = None) -> None:
    if wait:
        page.wait_for_selector(wait, timeout=240_000)
    page.wait_for_timeout(2500)  # the previous page's elements fade out: a picture, nothing asserted
    bs.wait_idle(page, timeout=120_000)
    page.evaluate(TOP)
    if scroll_to:
        page.locator(scroll_to).first.scroll_into_view_if_needed()
    bs.settle(page)
    page.screenshot(path=str(OUT / f"{name}.png"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with bs.streamlit_server() as url, bs.browser_page(url, 1440, 900) as (page, _watch):
        bs.goto_page(page, "Data")
        _shot(page, "data", wait="[data-testid=stMultiSelect]")
        bs.goto_page(page, "Weights")
        _shot(page, "weights", wait="input[type=range]")
        bs.goto_page(page, "Ranking")
        _shot(page, "ranking", wait=".st-key-score_map")
        bs.goto_page(page, "Allocation")
        page.get_by_role("button", name="Solve").click()
        _shot(page, "allocation", wait=".st-key-alloc_heatmap", scroll_to=".st-key-alloc_heatmap")
        bs.goto_page(page, "Scenarios & export")
        _shot(page, "scenarios", wait=".st-key-printable_report")
        bs.goto_page(page, "Robustness")
        page.get_by_role("button", name="Run SMAA").click()
        _shot(page, "robustness", wait=".st-key-smaa_chart")
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT}")


if __name__ == "__main__":
    main()
