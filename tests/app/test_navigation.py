"""Navigation with addresses (issue 13 item 6), without a browser: every entry of app.PAGES is one
st.navigation page at its own address, in the sidebar's order; the first is the home page."""

from __future__ import annotations

from tests.app.apptest import PAGES, goto, new_app


def test_every_registered_page_has_its_own_address():
    at = new_app()
    pages = list(at._registered_pages.values())
    assert [p["page_name"] for p in pages] == PAGES
    assert [p["url_pathname"] for p in pages] == [
        "",  # the home page is served at / (and at /data)
        "weights",
        "ranking",
        "allocation",
        "scenarios-export",
        "robustness",
        "library-compare",
    ]
    assert at.header[0].value.startswith("Data")  # the first page is the home page


def test_the_sidebar_keeps_the_summary_on_every_page():
    at = new_app()
    for name in PAGES:
        goto(at, name)
        assert at.header[0].value.startswith(name.split(" ")[0])
        assert any("Shortlist:" in m.value for m in at.sidebar.markdown), name
