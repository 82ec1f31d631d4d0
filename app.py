"""Fulcrum — the planner's workbench (Streamlit).

Renders and calls the libraries (mcda/, optimisation/); computes nothing itself.
Run: make run   (or .venv/bin/python -m streamlit run app.py)
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Fulcrum — partner countries and budget allocation", page_icon="⚖️", layout="wide")

from mcda.errors import InputError  # noqa: E402
from ui import common, display, state  # noqa: E402
from ui.pages import allocation, data, ranking, robustness, scenarios, weights  # noqa: E402
from ui.text import esc  # noqa: E402

PAGES = {
    "Data": data.render,
    "Weights": weights.render,
    "Ranking": ranking.render,
    "Allocation": allocation.render,
    "Scenarios & export": scenarios.render,
    "Robustness": robustness.render,
}


def _sidebar_summary(sc) -> None:
    st.markdown(f"**Scenario:** {esc(sc.name, inline=True)}")
    out = None
    try:
        from ui import compute

        out = compute.rank_sc(sc)
    except InputError:
        pass
    if sc.tracks:  # a tracks scenario: which track the ranking pages edit, the final shortlist with tracks
        from ui import tracks

        tracks.sidebar(sc)
        if out is not None:
            st.markdown("**Shortlist:** " + esc(tracks.sidebar_shortlist(out), inline=True))
        return
    st.caption(
        esc(
            f"{len(sc.criteria)} criteria · weights: {sc.weights.mode} · method: {sc.method.name}"
            + (f" ({sc.method.normalization})" if sc.method.normalization else "")
        )
    )
    st.caption(esc("Data: " + (f"as of {sc.data.as_of}" if sc.data.as_of else "latest data")))
    if out is not None:
        fmt = common.fmt_id(out)
        sl = out.shortlist
        st.markdown(
            "**Shortlist:** "
            + (
                esc(", ".join(fmt(a) for a in sl.index), inline=True)
                if len(sl)
                else "*(empty — every country is excluded)*"
            )
        )
    else:
        st.caption("The scenario cannot be ranked as it stands: see the message on the page.")


def _sidebar(sc) -> str:
    with st.sidebar:
        st.title("Fulcrum")
        st.caption("Which partner countries, and how to split the money.")
        page = st.radio("Page", list(PAGES), key="page", label_visibility="collapsed")
        st.divider()
        common.boundary(_sidebar_summary, sc, what="the sidebar summary")
        display.glossary()
    return page


def main() -> None:
    try:
        sc = state.ensure()
    except InputError as e:
        st.error(f"The default scenario could not be loaded: {esc(e)}")
        st.stop()
    page = _sidebar(sc)
    common.show_notices()
    # each page renders inside a boundary: an unexpected error is one readable message, the sidebar
    # and the other pages keep working, and the planner's scenario is kept
    common.boundary(PAGES[page], what="this page")


main()
