"""Navigation with addresses (issue 13 item 6) in a real browser: every page opens from its own URL
(a deep link), the browser's back button returns to the page before, the sidebar keeps the summary."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.app.apptest import PAGES
from tests.support import browser as bs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def path(page) -> str:
    """The page's address without the query (the library's session token ``?s=`` rides along)."""
    return urlsplit(page.url).path.rstrip("/")


def header(page) -> str:
    return page.locator('[data-testid="stMain"] h2').first.inner_text().strip()


@pytest.mark.parametrize("name", PAGES)
def test_deep_link_opens_that_page(page, served, name):
    page.goto(bs.page_url(served.url, name))
    bs.wait_idle(page, timeout=60_000)
    bs.wait_page(page, name)
    assert header(page).startswith(name.split(" ")[0])
    assert "Shortlist:" in page.locator('[data-testid="stSidebar"]').inner_text()  # the summary stays


def test_back_button_returns_to_the_previous_page(page):
    bs.goto_page(page, "Weights")
    bs.goto_page(page, "Ranking")
    assert path(page).endswith("/ranking")
    page.go_back()
    bs.wait_page(page, "Weights")
    assert path(page).endswith("/weights")
    assert header(page).startswith("Weights")
    page.go_forward()
    bs.wait_page(page, "Ranking")
    bs.screenshot(page, "navigation-ranking")
