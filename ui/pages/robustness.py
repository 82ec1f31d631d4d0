"""Robustness page: how stable the ranking and the funding are when the weights move.
SMAA rank acceptability (heatmap), one-at-a-time weight sweeps, stability intervals of the
shortlist, and funding acceptability — all from mcda.robustness / optimisation.funding, run on
demand with a progress bar and kept per (scenario, settings) in the session."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from mcda.errors import InputError
from ui import common, state

CACHE = "_robustness_cache"


def _cached(kind: str, sj: str, params: tuple, fn):
    cache = st.session_state.setdefault(CACHE, {})
    key = (kind, sj, params)
    if key not in cache:
        bar = st.progress(0.0, text=f"{kind}: starting…")

        def progress(frac: float, msg: str = "") -> None:
            bar.progress(min(max(float(frac), 0.0), 1.0), text=f"{kind}: {msg}" if msg else kind)

        try:
            cache[key] = fn(progress)
        finally:
            bar.empty()
        if len(cache) > 24:
            cache.pop(next(iter(cache)))
    return cache[key]


def _has(kind: str, sj: str, params: tuple) -> bool:
    return (kind, sj, params) in st.session_state.get(CACHE, {})


def render() -> None:
    st.header("Robustness")
    st.caption("Would the answer change if the weights were a little different? Weights are sampled around yours "
               "(or anywhere) and the ranking, shortlist and funding are recomputed by the libraries.")
    try:
        from mcda import robustness as rb
    except ImportError:
        st.info("The robustness library is not available in this installation.")
        return
    sc = state.get()
    out = common.outcome()
    if out is None:
        return
    if len(out.weights) < 2:
        st.info("Robustness looks at what happens when the weights move, so it needs at least two criteria with a "
                "weight. Switch on another criterion on the Data page.")
        return
    sj = state.scenario_json(sc)
    names = common.names(out)
    label = (lambda a: names.get(a, a)) if names is not None else str
    clab = common.labels(out)
    m = rb.scenario_method(out)
    c1, c2, c3, c4 = st.columns(4)
    kind = c1.radio("Weights sampled", ["around mine", "anywhere (uniform)"], key="rb_kind")
    spread = c2.slider("± spread around my weights (%)", 5, 100, 20, step=5, key="rb_spread", disabled=kind != "around mine")
    n = c3.select_slider("Samples", [1000, 2000, 5000, 10000, 20000], value=5000, key="rb_n")
    seed = c4.number_input("Seed (same seed → same numbers)", 0, 10_000, 1, key="rb_seed")

    def sampler():
        if kind == "around mine":
            return rb.AroundWeights(out.problem, out.weights, spread=spread)
        return rb.UniformSimplex(out.problem)

    params = (kind, spread if kind == "around mine" else None, n, seed)
    tabs = st.tabs(["Rank acceptability (SMAA)", "Weight sweeps", "Stability of the shortlist", "Funding acceptability"])
    with tabs[0]:
        run = st.button("Run SMAA", key="rb_run_smaa", type="primary") or _has("SMAA", sj, params)
        if run:
            try:
                res = _cached("SMAA", sj, params, lambda p: rb.smaa(out.problem, sampler(), n_samples=n, seed=seed, method=m, progress=p))
            except InputError as e:
                st.error(str(e))
            else:
                long = res.long()
                long["country"] = long["alternative"].map(label)
                order = list(res.expected_rank.sort_values().index.map(label)) if hasattr(res, "expected_rank") else None
                chart = alt.Chart(long).mark_rect().encode(
                    x=alt.X("rank:O", title="rank"), y=alt.Y("country:N", sort=order, title=None),
                    color=alt.Color("acceptability:Q", scale=alt.Scale(scheme="greens"), title="share of samples", legend=alt.Legend(format="%")),
                    tooltip=["country", "rank", alt.Tooltip("acceptability:Q", format=".1%")],
                ).properties(height=18 * long["country"].nunique(), title="How often each country takes each rank"
                ).configure_axisY(labelOverlap=False, labelLimit=220)
                st.container(key="smaa_chart").altair_chart(chart, width="stretch")
                # top-k acceptability for the shortlist's size; k cannot exceed the number of alternatives ranked
                summ = res.summary(max(1, min(sc.shortlist.top_k, len(out.ranking))))
                ids = summ["alternative"] if "alternative" in summ.columns else pd.Series(summ.index, index=summ.index)
                summ.insert(0, "country", ids.map(label))
                st.dataframe(summ, hide_index="alternative" in summ.columns, column_config={c: st.column_config.NumberColumn(format="%.3f") for c in summ.columns if c != "country"})
                st.caption("rank_1 / top_k: share of samples in which the country ranks first / makes the top k "
                           "(k = the shortlist size). holistic: SMAA-2 holistic acceptability (rank shares weighted by linear meta-weights). "
                           "confidence and the central weights (cw_*) exist only for countries that rank first in at least one "
                           "sample; they are blank (None) for the others.")
    with tabs[1]:
        crits = st.multiselect("Criteria to sweep", list(out.weights.index), default=list(out.weights.index)[:3],
                               format_func=lambda c: clab.get(c, c), key="rb_sweep_crit")
        if st.button("Run sweeps", key="rb_run_sweep") or _has("sweep", sj, tuple(crits)):
            try:
                sw = _cached("sweep", sj, tuple(crits), lambda p: rb.weight_sweep(out.problem, out.weights, criteria=crits, method=m, progress=p))
            except InputError as e:
                st.error(str(e))
            else:
                top = list(out.shortlist.index)
                sw = sw[sw["alternative"].isin(top)].copy()
                if sw["score"].isna().any():  # a sweep point where no criterion keeps a weight has no ranking
                    sw = sw[sw["score"].notna()]
                    st.caption("Points where every weight would be zero are left out (no ranking exists there).")
                if not top:
                    st.info("The shortlist is empty, so there are no shortlisted countries to follow.")
                sw["country"] = sw["alternative"].map(label)
                sw["criterion"] = sw["criterion"].map(lambda c: clab.get(c, c))
                src = alt.Chart(sw)
                chart = src.mark_line().encode(
                    x=alt.X("weight:Q", title="weight of the swept criterion (others keep their proportions)"),
                    y=alt.Y("rank:Q", scale=alt.Scale(reverse=True), title="rank"), color="country:N",
                    tooltip=["country", "criterion", alt.Tooltip("weight:Q", format=".2f"), "rank"])
                rule = src.transform_filter("datum.is_base").mark_rule(strokeDash=[4, 3], color="black").encode(x="weight:Q")
                st.container(key="sweep_chart").altair_chart(
                    alt.layer(chart, rule).properties(height=200, width=280).facet(facet=alt.Facet("criterion:N", title=None), columns=3),
                    width="content")
                st.caption("Lines: today's shortlisted countries; dashed line: your current weight.")
    with tabs[2]:
        eligible = rb.eligible_alternatives(out)
        k_eff = min(sc.shortlist.top_k, len(eligible))
        if k_eff == 0:
            st.info("The shortlist is empty (every country is excluded), so there is no shortlist to keep stable.")
        elif k_eff == len(eligible):
            st.info(f"All {len(eligible)} eligible countries are on the shortlist, so no weight change can alter it.")
        elif st.button("Compute stability intervals", key="rb_run_stab") or _has("stability", sj, ()):
            try:
                si = _cached("stability", sj, (), lambda p: rb.stability_intervals(
                    out.problem, out.weights, k=k_eff, eligible=eligible, method=m, progress=p))
            except InputError as e:
                st.error(str(e))
            else:
                si = si.copy()
                si.insert(0, "label", si["criterion"].map(lambda c: clab.get(c, c)))
                st.dataframe(si, hide_index=True, column_config={c: st.column_config.NumberColumn(format="%.3f") for c in
                                                                 ("weight", "lower", "upper", "change_down", "change_up")})
                st.caption("Each criterion's weight can move between lower and upper (others keeping their proportions) "
                           "without changing who is on the shortlist. " + str(si.attrs.get("precision", "")))
    with tabs[3]:
        if sc.allocation is None:
            st.info("Set up an allocation on the Allocation page first.")
        else:
            nf = st.select_slider("Samples (each one re-ranks, re-shortlists and re-solves)", [100, 200, 500, 1000], value=200, key="rb_nf")
            fparams = (kind, spread if kind == "around mine" else None, nf, seed)
            if st.button("Run funding acceptability", key="rb_run_fund") or _has("funding", sj, fparams):
                try:
                    from optimisation.funding import funding_acceptability

                    fr = _cached("funding", sj, fparams, lambda p: funding_acceptability(out, sampler(), n_samples=nf, seed=seed, progress=p))
                except InputError as e:
                    st.error(str(e))
                else:
                    s = fr.summary.copy()
                    if "country" in s.columns:
                        s.insert(1, "name", s["country"].map(label))
                    st.dataframe(s, hide_index=True)
                    st.caption(f"{fr.n_solved} of {fr.n_samples} samples solved, {fr.n_infeasible} infeasible, "
                               f"{fr.n_shortlists} distinct shortlists; {fr.seconds:.1f} s.")
                    for note in fr.notes:
                        st.caption(note)
