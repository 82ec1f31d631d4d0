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


def edit_table(at: AppTest, key_prefix: str, rows: dict[int, dict]) -> AppTest:
    """Send an edit of the data editor whose key starts with ``key_prefix`` as the browser does (its widget state,
    so its ``on_change`` callback runs), e.g. ``{3: {"use": False}}`` = row 3's "use" cell unticked; and run."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    editors = [d for d in at.data_editor if d.key and d.key.startswith(key_prefix)]
    assert len(editors) == 1, [d.key for d in at.data_editor]
    states = at._tree.get_widget_states()
    ws = WidgetState(id=editors[0].proto.id)
    ws.string_value = json.dumps(
        {"edited_rows": {str(r): cells for r, cells in rows.items()}, "added_rows": [], "deleted_rows": []}
    )
    states.widgets.append(ws)
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_of(at: AppTest, key_prefix: str) -> pd.DataFrame:
    """What the data editor whose key starts with ``key_prefix`` shows now (its one current table)."""
    editors = [d for d in at.data_editor if d.key and d.key.startswith(key_prefix)]
    assert len(editors) == 1, [d.key for d in at.data_editor]
    return editors[0].value
