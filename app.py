"""Fulcrum — the planner's workbench (Streamlit).

Renders and calls the libraries (mcda/, optimisation/); computes nothing itself.
Run: make run   (or .venv/bin/python -m streamlit run app.py)
"""

from __future__ import annotations

import re

import streamlit as st

st.set_page_config(page_title="Fulcrum — partner countries and budget allocation", page_icon="⚖️", layout="wide")

from mcda.errors import InputError  # noqa: E402
from ui import common, display, state  # noqa: E402
from ui.pages import allocation, data, ranking, robustness, scenarios, weights  # noqa: E402
from ui.pages import library as library_page  # noqa: E402  (issue 13: scenario library and comparison)
from ui.text import esc  # noqa: E402

# The pages, in the order the sidebar lists them: title -> render function (ui/pages/*.py).
# To add a page, add one line here: its address is the title in lower case with dashes
# ("Scenarios & export" -> /scenarios-export, see url_path); the first page is the home page (/).
PAGES = {
    "Data": data.render,
    "Weights": weights.render,
    "Ranking": ranking.render,
    "Allocation": allocation.render,
    "Scenarios & export": scenarios.render,
    "Robustness": robustness.render,
    "Library & compare": library_page.render,
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


def url_path(title: str) -> str:
    """A page's address: its title in lower case, words joined by dashes ("Scenarios & export" -> scenarios-export)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _page(title: str, render) -> st.Page:
    """One st.Page: the render function inside the error boundary, at its own address (deep links, back button)."""

    def run() -> None:
        common.boundary(render, what="this page")

    return st.Page(run, title=title, url_path=url_path(title), default=title == next(iter(PAGES)))


def _sidebar(sc) -> None:
    with st.sidebar:
        st.title("Fulcrum")
        st.caption("Which partner countries, and how to split the money.")
        st.divider()
        common.boundary(_sidebar_summary, sc, what="the sidebar summary")
        display.glossary()
    from ui import fragments  # what the summary shows: a page fragment's run keeps it true (ui/fragments.py)

    fragments.record_summary(sc)


def main() -> None:
    from ui import compute

    compute.new_run()  # the ranking is shared within one run only (ui/compute.py rank_sc)
    state.begin_run()
    try:
        sc = state.ensure()
    except InputError as e:
        st.error(f"The default scenario could not be loaded: {esc(e)}")
        st.stop()
    sc = library_page.sync(sc)  # restore the autosaved work on a session's first run; autosave a changed scenario
    # Streamlit's multipage navigation: each page has its own URL and the browser's back button works.
    # Each page renders inside a boundary: an unexpected error is one readable message, the sidebar
    # and the other pages keep working, and the planner's scenario is kept
    nav = st.navigation([_page(title, render) for title, render in PAGES.items()])
    _sidebar(sc)
    common.show_notices()
    nav.run()
    state.end_run()  # every widget this run drew was sent with its value (ui/state.py widget)


main()
