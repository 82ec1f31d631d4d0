"""Expanders whose content is made only while they are open (issue 12 target 6).

A closed expander still runs and sends everything inside it on every rerun; what the planner has not
opened need not cost a Solve anything. ``expander`` is ``st.expander`` that reruns the page when opened
or closed and says whether it is open now; the label tells the planner the content is computed on opening.
An expander the planner opened stays open (its state is kept under ``key``, and across page switches
under a key of its own), so its content follows every later change like any other part of the page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

NOTE = "computed when opened"
KEPT = "_lazy_open:"  # + the expander's key: whether it was open when its page was last drawn


def label(text: str) -> str:
    """The expander's label with the note that its content is computed when opened."""
    return f"{text} ({NOTE})"


def expander(text: str, key: str, *, note: bool = True) -> tuple[Any, bool]:
    """(the expander, whether it is open); ``note``: say in the label that opening computes the content.

    Streamlit forgets a widget's state when a page is not drawn, so whether it is open is also kept under a
    key of its own: back on the page, an expander the planner left open is open again."""
    ss = st.session_state
    kept = f"{KEPT}{key}"
    box = st.expander(label(text) if note else text, expanded=bool(ss.get(kept, False)), key=key, on_change="rerun")
    ss[kept] = bool(box.open)
    return box, bool(box.open)
