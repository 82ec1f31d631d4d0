"""The "Why this country?" panel (issue 13 item 5): the panel under the ranked table. A click on a row of the table
(or a country on the map) picks the country; fulcrum.why says why it stands where it does, the Robustness
page's SMAA run (if any, else a button) gives its acceptability, and its pair swap (mcda.robustness, shown
as the Robustness page shows it) what it would take to enter or leave the shortlist. Renders only."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from mcda.errors import InputError
from ui import state
from ui.text import esc

TABLE_KEY = "ranked_table"
MAP_KEY = "score_map_chart"
PICK_KEY = "why_pick"  # the last country picked, kept while the planner looks at other pages
SMAA_SPREAD, SMAA_N, SMAA_SEED = 20, 5000, 1  # the Robustness page's defaults


def _selected(key: str, part: str) -> list:
    """The selection a widget reports in session state ({"selection": {part: [...]}}), [] if none."""
    try:
        got = st.session_state[key]["selection"][part]
    except (KeyError, TypeError):
        return []
    return list(got) if isinstance(got, list) else []


def picked(view: pd.DataFrame) -> str | None:
    """The country last picked on the ranked table (row click) or the map (country click); a selection counts
    when it changes, so the newer of the two wins. Kept while the planner visits other pages."""
    ids = [str(a) for a in view["alternative"]]
    rows = [int(r) for r in _selected(TABLE_KEY, "rows")] + [int(c[0]) for c in _selected(TABLE_KEY, "cells")]
    rows = [r for r in rows if 0 <= r < len(ids)]
    on_map = [  # {"properties\\.iso3": "BRA"}: Vega escapes the dot in the field's name
        a for p in _selected(MAP_KEY, "pick") if isinstance(p, dict) for a in map(str, p.values()) if a in ids
    ]
    for seen, now in (("_why_rows", [ids[r] for r in rows]), ("_why_map", on_map)):
        if st.session_state.get(seen) != now:
            st.session_state[seen] = now
            if now:
                st.session_state[PICK_KEY] = now[0]
    a = st.session_state.get(PICK_KEY)
    return a if a in ids else None


def _acceptability(out: Any, m: Any, alt: str, sj: str, k: int) -> None:
    """The country's SMAA acceptability: from the Robustness page's last run on these inputs, else a button."""
    from ui.pages import robustness as rbp

    cache = st.session_state.get(rbp.CACHE, {})
    runs = [(key, res) for key, res in cache.items() if key[0] == "SMAA" and key[1] == sj]
    if not runs:
        st.caption("Acceptability: not computed yet for these weights.")
        if not st.button(
            f"Compute acceptability (SMAA, {SMAA_N:,} weight samples within ±{SMAA_SPREAD}% of yours)", key="why_smaa"
        ):
            return
        from mcda import robustness as rb
        from ui import executor_setting  # issue 12 item 4: where long studies run (one chunk: the plain numbers)

        ex = executor_setting.current()[1]
        try:
            rbp._cached(
                "SMAA",
                sj,
                ("why", SMAA_SPREAD, SMAA_N, SMAA_SEED),
                lambda p: executor_setting.guarded(
                    ex,
                    lambda kw: rb.smaa(
                        out.problem,
                        rb.AroundWeights(out.problem, out.weights, spread=SMAA_SPREAD),
                        n_samples=SMAA_N,
                        seed=SMAA_SEED,
                        method=m,
                        progress=p,
                        **kw,
                    ),
                ),
            )
        except InputError as e:
            st.error(esc(e))
            return
        runs = [(key, res) for key, res in st.session_state[rbp.CACHE].items() if key[0] == "SMAA" and key[1] == sj]
    key, res = runs[-1]
    k = max(1, min(k, len(out.ranking)))
    s = res.summary(k).set_index("alternative")
    if alt not in s.index:
        return
    row = s.loc[alt]
    how = (
        f"{SMAA_N:,} samples within ±{SMAA_SPREAD}% of your weights"
        if key[2][0] == "why"
        else "the Robustness page's last SMAA run"
    )
    st.markdown(
        f"**Acceptability** ({esc(how, inline=True)}): first in **{row['rank_1']:.0%}** of the samples, "
        f"on the shortlist (top {k}) in **{row[f'top_{k}']:.0%}**; expected rank {row['expected_rank']:.1f}."
    )


def _shortlist_move(out: Any, m: Any, w: Any, sj: str, label: Any, clab: dict) -> None:
    """What it would take to enter or leave the shortlist: the Robustness page's pair swap for the pair at the cut."""
    from mcda import robustness as rb
    from ui.pages import robustness as rbp

    if w.pair is None:
        if w.status == "excluded":
            st.markdown(f"**Shortlist:** excluded — {esc(w.reason or 'by a filter or by hand', inline=True)}.")
        return
    a, b = w.pair
    try:
        ps = rbp._cached(
            "pair swap", sj, (a, b), lambda p: rb.pair_swap(out.problem, out.weights, a, b, method=m, progress=p)
        )
    except InputError as e:
        st.error(esc(e))
        return
    lead = (
        f"To **leave** the shortlist, {esc(label(b), inline=True)} (first below the cut) would have to overtake it"
        if w.pair_role == "leave"
        else f"To **enter** the shortlist, it would have to overtake {esc(label(b), inline=True)} (last on it)"
    )
    over = rbp._overtakes_past(out, m, ps) if ps.attrs["min_criterion"] is not None else True
    st.markdown(lead + ": " + rbp.swap_sentence(ps, label, clab, overtakes=over))


def panel(out: Any, m: Any, view: pd.DataFrame, top_k: int) -> None:
    """The "Why this country?" panel for the country picked on the table or the map."""
    from fulcrum.why import why_country
    from ui import common

    with st.container(key="why_panel"):
        st.subheader("Why this country?")
        alt = picked(view)
        if alt is None:
            st.caption("Click a row of the ranked table (or a country on the map) to see why it stands where it does.")
            return
        w = why_country(out, alt)
        names = common.names(out)
        label = (lambda a: names.get(a, a)) if names is not None else str
        clab = common.labels(out)
        st.markdown(
            f"**{esc(w.name, inline=True)}** ({esc(w.alternative, inline=True)}) — "
            f"rank {w.rank} of {len(out.ranking)}, "
            f"score {w.score:.4f}, {esc(w.status, inline=True)}."
        )
        c1, c2 = st.columns(2)
        with c1:
            st.markdown("**Lifts it most** (against the average country)")
            st.markdown("\n".join(f"- {esc(s, inline=True)}" for s in w.strengths) or "- nothing above the average")
        with c2:
            st.markdown("**Holds it back most**")
            st.markdown("\n".join(f"- {esc(s, inline=True)}" for s in w.drags) or "- nothing below the average")
        sj = state.result_json(state.view())
        _acceptability(out, m, alt, sj, top_k)
        _shortlist_move(out, m, w, sj, label, clab)
        v = w.values
        from fulcrum.why import in_words

        t = pd.DataFrame(
            {
                "criterion": v["label"],
                "unit": v["unit"],
                "year": v["year"],
                "value": v["value"].map(lambda x: in_words(x) if pd.notna(x) else "– (no data)"),
                "most favourable": v["best"].map(in_words) + v["best_by"].map(lambda a: f" — {label(a)}" if a else ""),
                "least favourable": v["worst"].map(in_words)
                + v["worst_by"].map(lambda a: f" — {label(a)}" if a else ""),
            }
        )
        st.dataframe(
            t,
            hide_index=True,
            key="why_values",
            column_config={"criterion": st.column_config.TextColumn(width="medium")},
        )
        as_of = f"as of {out.as_of}" if getattr(out, "as_of", None) else "latest data"
        st.caption(
            f"Raw values ({esc(as_of, inline=True)}) against the most and least favourable among the ranked "
            "countries (lowest is most favourable on a criterion where less is better); the year is the "
            "country's data year. Lifts and drags compare each criterion's contribution to its score with "
            "the average country's."
        )


def map_chart(chart: Any) -> tuple[Any, dict[str, Any]]:
    """The score map with a click selection on the countries (named ``pick``), and the st.altair_chart
    arguments that make a click rerun the page; unchanged when the chart has no country layer to select."""
    import altair as alt

    layers = getattr(chart, "layer", None)
    if not layers or len(layers) < 2:
        return chart, {}
    sel = alt.selection_point(name="pick", fields=["properties.iso3"], on="click", clear=False)
    chart.layer[1] = layers[1].add_params(sel)
    return chart, {"on_select": "rerun", "selection_mode": "pick", "key": MAP_KEY}
