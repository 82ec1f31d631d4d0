"""Ranking page blocks for issue 10: the ELECTRE III threshold editor, vetoes explained in words, and
the threshold sensitivity of the shortlist filters (sentences and a chart). Renders only: the numbers
come from mcda (the method's explain tables) and fulcrum (fulcrum.filters)."""

from __future__ import annotations

import json
import math

import altair as alt
import pandas as pd
import streamlit as st

from ui import charts, common, state
from ui.text import esc

E3_NAMES = ("electre3", "electre_iii")
ALL = "*"
ALL_LABEL = "* (every other criterion)"
MAX_VETO_LINES = 12


# ------------------------------------------------------------------ ELECTRE III thresholds
def _threshold_rows(sc) -> pd.DataFrame:
    th = dict(sc.method.options.get("thresholds") or {}) if isinstance(sc.method.options, dict) else {}
    ids = [c.id for c in sc.criteria] + [ALL]
    rows = []
    for c in ids:
        t = th.get(c) or {}
        rows.append(
            {
                "criterion": ALL_LABEL if c == ALL else c,
                "q": t.get("q"),
                "p": t.get("p"),
                "v": t.get("v"),
            }
        )
    return pd.DataFrame(rows, columns=["criterion", "q", "p", "v"]).astype({"q": float, "p": float, "v": float})


def thresholds_from_table(table: pd.DataFrame) -> dict[str, dict[str, float]]:
    """The edited table as ``method.options.thresholds`` (blank cells left out; a blank row dropped)."""
    out: dict[str, dict[str, float]] = {}
    for r in table.to_dict("records"):
        crit = ALL if r["criterion"] == ALL_LABEL else str(r["criterion"])
        vals = {k: float(r[k]) for k in ("q", "p", "v") if r.get(k) is not None and not pd.isna(r[k])}
        if vals:
            out[crit] = vals
    return out


def electre3_controls(sc) -> None:
    """A table per criterion (q, p, v in the criterion's units) when the method is ELECTRE III."""
    if sc.method.name not in E3_NAMES:
        return
    rows = _threshold_rows(sc)
    tag = abs(hash(json.dumps(rows.to_dict("records"), default=str))) % 10**8
    with st.expander("ELECTRE III thresholds, in each criterion's own units", expanded=True):
        st.caption(
            "q (indifference): a shortfall up to q does not count; p (preference): a shortfall of p or more is a "
            "clear preference; v (veto): a shortfall of v or more on this criterion alone stops a country "
            "outranking another, however good it is elsewhere. 0 ≤ q ≤ p ≤ v; blank q = 0, blank p = q, blank v = "
            "no veto. The last row applies to every criterion not given its own."
        )
        edited = st.data_editor(
            rows,
            key=f"e3_thresholds_{tag}",
            hide_index=True,
            disabled=["criterion"],
            column_config={
                "q": st.column_config.NumberColumn("q (indifference)", min_value=0.0, format="%g"),
                "p": st.column_config.NumberColumn("p (preference)", min_value=0.0, format="%g"),
                "v": st.column_config.NumberColumn("v (veto)", min_value=0.0, format="%g"),
            },
        )
        if st.button("Apply thresholds", key="e3_apply"):
            new = thresholds_from_table(edited)

            def edit(doc):
                opts = doc["method"].setdefault("options", {})
                if new:
                    opts["thresholds"] = new
                else:
                    opts.pop("thresholds", None)

            state.apply(edit, check=common.check_rank)
            st.rerun()


# ------------------------------------------------------------------ vetoes in words
def veto_sentences(out, method, limit: int = MAX_VETO_LINES) -> tuple[list[str], int]:
    """Full vetoes that involve a shortlisted country, in words, and how many vetoes fired in all."""
    ex = method.explain(out.problem, out.weights)
    v = ex["vetoes"]
    if v.empty:
        return [], 0
    names = common.names(out)
    label = out.criteria["label"].to_dict() if "label" in out.criteria.columns else {}
    short = set(out.shortlist.index)

    def nm(a: str) -> str:
        return str(names.get(a, a)) if names is not None else a

    full = v[(v["discordance"] >= 1.0) & (v["a"].isin(short) | v["b"].isin(short))]
    lines = [
        f"{nm(r['a'])} cannot outrank {nm(r['b'])}: {nm(r['b'])} is ahead on "
        f"{label.get(r['criterion'], r['criterion'])} by {r['shortfall']:.4g}, at least the veto threshold "
        f"{r['veto_threshold']:.4g}."
        for r in full.to_dict("records")[:limit]
    ]
    return lines, len(v)


def outranking_explained(out, method) -> None:
    """For ELECTRE III: which vetoes fired, in words, and the distillation table."""
    if getattr(method, "name", "") != "electre3":
        return
    st.subheader("Outranking: vetoes and distillation")
    st.caption(
        "The score is the net credibility flow: how much more a country outranks the others than they outrank "
        "it (-1 to 1). Credibility falls when another country is better by more than p on some criterion, and a "
        "veto (a shortfall of at least v) sets it to zero whatever the other criteria say."
    )
    lines, n = veto_sentences(out, method)
    if n == 0:
        st.info("No veto fired: no country trails another by more than p on a criterion with a veto threshold.")
    else:
        box = st.container(key="veto_words")
        box.markdown(f"**{n} discordance(s) lowered a credibility.** Vetoes involving the shortlist:")
        if lines:
            box.markdown("\n".join(f"- {esc(s, inline=True)}" for s in lines))
        else:
            box.markdown("- none: every veto that fired is between countries outside the shortlist.")
    ex = method.explain(out.problem, out.weights)
    with st.expander("Distillation (descending, ascending, final partial pre-order) and every veto"):
        d = ex["distillation"].copy()
        names = common.names(out)
        if names is not None:
            d.insert(0, "country", [names.get(a, a) for a in d.index])
        st.dataframe(d.sort_values("final_rank"), key="distillation_table")
        st.dataframe(ex["vetoes"].drop(columns=["effect"]), hide_index=True, key="vetoes_table")


# ------------------------------------------------------------------ filter sensitivity
@charts.unchecked
def sensitivity_chart(frame: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Each numeric filter a bar of its safe interval on the column's range, the threshold marked."""
    rows = []
    for r in frame.to_dict("records"):
        d0, d1 = float(r["data_min"]), float(r["data_max"])
        span = (d1 - d0) or 1.0
        rows.append(
            {
                "filter": r["filter"],
                "x0": (float(r["lo"]) - d0) / span,
                "x1": (float(r["hi"]) - d0) / span,
                "t": (float(r["threshold"]) - d0) / span,
                "safe from": "data min" if r["open_below"] else f"{float(r['lo']):.4g}",
                "safe to": "data max" if r["open_above"] else f"{float(r['hi']):.4g}",
                "threshold": f"{float(r['threshold']):.4g}",
            }
        )
    df = pd.DataFrame(rows)
    tip = ["filter", "safe from", "safe to", "threshold"]
    x = alt.X("x0:Q", scale=alt.Scale(domain=[0, 1]), title="safe interval on the column's range (0 = min, 1 = max)")
    bars = (
        alt.Chart(df)
        .mark_bar(color="#9ecae1", height=14)
        .encode(x=x, x2="x1:Q", y=alt.Y("filter:N", title=None, axis=alt.Axis(labelLimit=260)), tooltip=tip)
    )
    ticks = alt.Chart(df).mark_tick(color="#08306b", thickness=3, size=22).encode(x="t:Q", y="filter:N", tooltip=tip)
    lo = alt.Chart(df).mark_text(align="left", dy=-14, fontSize=11).encode(x="x0:Q", y="filter:N", text="safe from:N")
    hi = alt.Chart(df).mark_text(align="right", dy=-14, fontSize=11).encode(x="x1:Q", y="filter:N", text="safe to:N")
    return alt.layer(bars, ticks, lo, hi).properties(height=max(110, 70 * len(df)), padding={"top": 14})


def filter_sensitivity_view(out) -> None:
    """How far each filter's threshold can move before the shortlist changes: words and a chart."""
    from fulcrum.filters import outcome_filter_sensitivity
    from fulcrum.report_filters import chart_frame, intro

    full = common.outcome()
    if full is not None and full.tracks and getattr(out, "track", ""):  # this track's filters, on the final shortlist
        items = [s for s in outcome_filter_sensitivity(full) if s.track == out.track]
        out = full
    else:
        items = outcome_filter_sensitivity(out)
    if not items:
        return
    box = st.container(key="filter_sensitivity")
    box.markdown("**How far can each filter move?**")
    box.caption(intro(out))
    box.markdown("\n".join(f"- {esc(s.summary, inline=True)}" for s in items))
    cf = chart_frame(out, items)
    if not cf.empty and all(math.isfinite(float(x)) for x in cf["threshold"]):
        box.altair_chart(sensitivity_chart(cf), width="stretch", key="filter_sensitivity_chart")
