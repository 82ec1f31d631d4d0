"""Partial reruns (issue 12 target 6): a page body drawn as an ``st.fragment``, so moving one of its widgets
reruns only that body — not app.py, the navigation or the sidebar — with the same libraries and caches,
hence the same numbers as a full rerun.

The sidebar summary (scenario, method, shortlist) lies outside any fragment: the app records what it
showed (``SHOWN``, from :func:`summary_signature`), and a fragment run whose edit changes that summary asks
for one full rerun, so the sidebar never shows a stale shortlist. Notices stored by callbacks are shown by
the fragment itself (a fragment run does not pass through app.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

SHOWN = "_sidebar_shows"  # the summary the sidebar drew in the last full run


def summary_signature(sc: Any) -> tuple:
    """What the sidebar summary depends on: the scenario's name, criteria count, weights mode, method, data date
    and the shortlist (None when the scenario cannot be ranked)."""
    from ui import compute

    try:
        out = compute.rank_sc(sc)
        shortlist: tuple | None = tuple(str(a) for a in out.shortlist.index)
        if sc.tracks:
            shortlist = tuple(tuple(str(a) for a in t.shortlist.index) for t in out.tracks) + (shortlist,)
    except Exception:  # noqa: BLE001 - InputError or anything: the page and the sidebar say what went wrong
        shortlist = None
    return (
        sc.name,
        len(sc.criteria),
        sc.weights.mode,
        sc.method.name,
        sc.method.normalization,
        sc.data.as_of,
        shortlist,
    )


def record_summary(sc: Any) -> None:
    """Called by app.py after drawing the sidebar: the summary it shows."""
    st.session_state[SHOWN] = summary_signature(sc)


def _sidebar_follows() -> None:
    """In a fragment run: a full rerun when the sidebar's summary would change (e.g. the shortlist moved)."""
    from ui import state

    if st.session_state.get(SHOWN) != summary_signature(state.ensure()):
        st.rerun(scope="app")


def _autosave() -> None:
    """In a fragment run: autosave the working scenario (app.py's hook does it only on full runs), so a refresh
    right after a slider move restores that move."""
    from ui import library, state

    library.sync(state.ensure())


def body(render: Callable[[], None], what: str = "this page") -> Callable[[], None]:
    """``render`` as a fragment: inside the app's error boundary, with the notices, the sidebar kept true."""

    @st.fragment
    def run() -> None:
        from ui import common, compute, state

        compute.new_run()  # a fragment run: ranking shared within this run only (ui/compute.py)
        if state.in_fragment_run():
            state.begin_run()
        common.show_notices()
        common.boundary(render, what=what)
        _autosave()
        # a full rerun asked for here starts before this run's last messages may have left: Streamlit clears the
        # unflushed ones when a run starts (AppSession._clear_queue), so the body's widgets count as sent
        # (ui/state.py widget) only when this run ends without one
        _sidebar_follows()
        state.end_run()

    return run
