"""Driving the app with Streamlit's AppTest (no browser): open it, run it, go to a page, find a
widget's current key, read the ranked table. Every run asserts that no exception was shown."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.support import APP

PAGES = ["Data", "Weights", "Ranking", "Allocation", "Scenarios & export", "Robustness", "Library & compare"]


def run(at: AppTest) -> AppTest:
    """One script run; the app must not show an exception."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def new_app(sc=None) -> AppTest:
    """A fresh app session (with scenario ``sc`` in its state, if given), run once."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    if sc is not None:
        at.session_state["scenario"] = sc
    return run(at)


def goto(at: AppTest, page: str) -> AppTest:
    """Open ``page`` (its title in app.PAGES) through st.navigation, as a click in the sidebar does, and run.

    The pages are callables (no files), so AppTest.switch_page cannot name them: the page is chosen by the
    script hash st.navigation registered for it (one place that knows this)."""
    hashes = {info.get("page_name"): h for h, info in at._registered_pages.items()}
    assert page in hashes, f"no page {page!r}: {sorted(str(k) for k in hashes)}"
    at._page_hash = hashes[page]
    return run(at)


def wkey(name: str, at: AppTest) -> str:
    """Key of the widget the app draws for ``name`` now (ui.state gives a widget a fresh key when the
    scenario changed behind it, e.g. a group slider rescaling its criteria)."""
    from ui.state import drawn_key

    return drawn_key(name, at.session_state)


def shown_ranking(at: AppTest) -> pd.DataFrame:
    """The ranked table as the Ranking page shows it (first dataframe on the page)."""
    df = at.dataframe[0].value
    assert {"rank", "alternative", "score"} <= set(df.columns)
    return df
