"""Tracks in the app: the sidebar's track chooser, the Ranking page's tracks block (one ranking per track
in tabs, the final shortlist with each country's track, add / remove / rename a track) and the
Robustness page's acceptability over tracks. Renders only; the libraries compute (fulcrum.tracks).
"""

from __future__ import annotations

import copy
from typing import Any

import streamlit as st

from mcda.errors import InputError
from ui import common, state
from ui.text import esc


def _choose() -> None:
    names = [t.name for t in state.get().tracks or []]
    picked = state.value("track_focus")
    if picked in names:
        st.session_state[state.FOCUS] = names.index(picked)


def sidebar(sc) -> None:
    """The track being edited on the Data, Weights and Ranking pages (a tracks scenario only)."""
    if not sc.tracks:
        return
    names = [t.name for t in sc.tracks]
    i = state.focus(sc) or 0
    key = state.widget("track_focus", names[i])
    st.selectbox(
        "Track shown and edited",
        names,
        key=key,
        on_change=state.callback(_choose, key),
        help="The Data, Weights and Ranking pages show and edit this track's criteria, weights, method and "
        "shortlist; the allocation funds the final shortlist of all tracks.",
    )


def sidebar_shortlist(out) -> str:
    """'Brazil (BRA) — Large economies, ...': the final shortlist with each country's track."""
    fmt = common.fmt_id(out)
    t = out.shortlist_table
    sl = t[t["status"] == "shortlisted"].sort_values("position")
    return ", ".join(f"{fmt(a)} — {tr}" for a, tr in zip(sl["alternative"], sl["track"], strict=True))


def _edit_tracks(fn) -> bool:
    """Apply an edit to the whole document's ``tracks`` (not the focused track's view)."""

    def edit(doc):
        fn(doc["tracks"])

    old = state.ensure()
    try:
        from fulcrum.scenario import parse_scenario

        doc = copy.deepcopy(old.model_dump(mode="json"))
        edit(doc)
        new = parse_scenario(doc, source="scenario", base_dir=old.base_dir)
        common.check_rank(new)
    except Exception as e:  # noqa: BLE001 - InputError or a pydantic message: shown, scenario kept
        state.notify("error", f"Change not applied — {state.one_line(e)}")
        return False
    state.set_scenario(new)
    return True


def _rename() -> None:
    i = state.focus() or 0
    name = str(state.value("track_name", "")).strip()
    _edit_tracks(lambda ts: ts[i].update(name=name))


def _add() -> None:
    i = state.focus() or 0
    sc = state.ensure()
    names = {t.name for t in sc.tracks or []}
    n = len(names) + 1
    while f"Track {n}" in names:
        n += 1

    def fn(ts):
        ts.append({**copy.deepcopy(ts[i]), "name": f"Track {n}"})

    if _edit_tracks(fn):
        st.session_state[state.FOCUS] = len(sc.tracks or []) if sc.tracks else 0


def _remove() -> None:
    i = state.focus() or 0
    if _edit_tracks(lambda ts: ts.pop(i)):
        st.session_state[state.FOCUS] = max(0, i - 1)


def ranking_block(full) -> None:
    """Tracks on the Ranking page: the final shortlist, one ranking per track (tabs), track management."""
    sc = state.ensure()
    if not sc.tracks or full is None:
        return
    from fulcrum.report import shortlist_export
    from fulcrum.tracks import OVERLAP_RULE, PRIORITY_RULE

    st.subheader("Tracks: the final shortlist")
    st.caption(esc(OVERLAP_RULE + " " + PRIORITY_RULE))
    t = shortlist_export(full)
    sl = t[t["status"] == "shortlisted"].sort_values("position")
    cols = [c for c in ("position", "alternative", "name", "track", "rank", "score", "priority", "reason") if c in sl]
    st.container(key="final_shortlist_box").dataframe(
        sl[cols], hide_index=True, key="final_shortlist", height=min(38 + 35 * len(sl), 400)
    )
    tabs = st.tabs([f"{o.track} (quota {o.scenario.shortlist.top_k})" for o in full.tracks])
    for tab, o in zip(tabs, full.tracks, strict=True):
        with tab:
            from ui.pages.ranking import ranked_view

            v = ranked_view(o)
            st.dataframe(
                v.drop(columns=["reason"], errors="ignore"), hide_index=True, height=min(38 + 35 * len(v), 420)
            )
    with st.expander("Manage tracks (add, remove, rename)"):
        i = state.focus(sc) or 0
        key = state.widget("track_name", sc.tracks[i].name)
        st.text_input("Name of the track being edited", key=key, on_change=state.callback(_rename, key))
        c1, c2 = st.columns(2)
        c1.button("Add a track (a copy of this one)", key="track_add", on_click=state.callback(_add))
        c2.button(
            "Remove this track",
            key="track_remove",
            on_click=state.callback(_remove),
            disabled=len(sc.tracks) < 2,
        )
        st.caption("The quota of the track is its shortlist size below (Shortlist: top k).")
    name = sc.tracks[state.focus(sc) or 0].name
    st.subheader(f"Track '{esc(name, inline=True)}' in detail")
    st.caption(
        "Its method, ranking, reasons and shortlist (top k = its quota); choose another track in the sidebar. "
        "A country another track picked is below this track's cut, with that reason."
    )


def robustness_block() -> None:
    """Robustness over tracks: how often each country is in the final shortlist and which track picks it
    (weights sampled per track); the page below it studies the track chosen in the sidebar."""
    sc = state.ensure()
    if not sc.tracks:
        return
    out = common.outcome()
    if out is None:
        return
    from fulcrum.tracks import track_acceptability

    st.subheader("Over tracks: the final shortlist")
    c1, c2, c3 = st.columns(3)
    spread = c1.slider("Spread around each track's weights (%)", 0, 100, 30, key="trk_spread")
    n = int(c2.number_input("Samples", 100, 20_000, 2_000, step=100, key="trk_n"))
    seed = int(c3.number_input("Seed", 0, 2**31 - 1, 0, key="trk_seed"))
    from ui.data_uncertainty import tracks_switch

    _, vals = tracks_switch(out, sc)
    try:
        res = track_acceptability(out, spread=float(spread), n_samples=n, seed=seed, values=vals)
    except InputError as e:
        st.error(esc(e))
        return
    t = res.table.copy()
    for c in t.columns:
        if c == "final" or c.startswith(("picked_by:", "top_k:")):
            t[c] = (t[c] * 100).round(1)
    st.caption(
        "Share of samples (%) in which each country is in the final shortlist, picked by each track, and in each "
        "track's own top-k as if it ran alone. Each track's weights are sampled around its own"
        + (" and its data from their stated uncertainty" if vals is not None else "")
        + "; the overlap rule is applied to every sample. The sections below study the track chosen in the sidebar."
    )
    st.container(key="tracks_acceptability_box").dataframe(t, hide_index=True, key="tracks_acceptability")
    st.divider()
    st.subheader(f"Track '{esc(sc.tracks[state.focus(sc) or 0].name, inline=True)}'")


def funding_call(kind: str, spread: float, n_samples: int, seed: int, ex: dict[str, Any] | None = None):
    """Funding acceptability over tracks: every track's weights sampled around its own (± spread) or, for
    'anywhere', uniformly; the final shortlist per sample by the overlap rule (fulcrum.funding). ``ex``: the
    Robustness page's "Run long studies on..." setting (``ui.executor_setting.options``)."""
    from fulcrum.funding import funding_acceptability
    from fulcrum.tracks import samplers_around
    from ui import executor_setting

    st.caption(
        "Over tracks, every track's weights are sampled "
        + ("anywhere (uniformly)" if kind.startswith("anywhere") else f"around its own (± {spread:g}%)")
        + " and each sample's shortlist is the tracks' picks by the overlap rule; the allocation funds it."
    )
    full = common.outcome()

    def run(p):
        samplers = samplers_around(full, None if kind.startswith("anywhere") else float(spread))
        return executor_setting.guarded(
            ex or {},
            lambda kw: funding_acceptability(full, samplers, n_samples=n_samples, seed=seed, progress=p, **kw),
        )

    return run


def allocation_note(out) -> None:
    """The Allocation page over tracks: each funded country's track, and the priority rule in words."""
    from fulcrum.tracks import PRIORITY_RULE

    st.caption(esc("Picked by track: " + sidebar_shortlist(out) + ". " + PRIORITY_RULE))
