"""Robustness page: how stable the ranking and the funding are when the weights move.
SMAA rank acceptability (heatmap), "what would it take?" (the smallest single weight change that
swaps two countries), one-at-a-time weight sweeps, stability intervals of the shortlist, and
funding acceptability — all from mcda.robustness / fulcrum.funding, run on demand with a
progress bar and kept per (scenario, settings) in the session.

Weight uncertainty for SMAA and funding acceptability is stated as a spread around the planner's
weights, anywhere on the simplex, an interval per weight, or an importance order of the criteria."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from fulcrum import format as F
from fulcrum.pipeline import eligible_alternatives, scenario_method
from mcda.errors import InputError
from ui import common, display, state
from ui.text import esc

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


KINDS = ["around mine", "anywhere (uniform)", "intervals", "ordinal"]
INTERVALS_KEY = "rb_intervals"  # data_editor: lower / upper bound per criterion, in %
ORDER_KEY = "rb_order"  # data_editor: importance rank per criterion
PAIR_KEYS = ("rb_pair_a", "rb_pair_b")


def num(v: float) -> str:
    """A percentage (or points) as the tables show it, two decimals without trailing zeros (15, 9.3, 7.14);
    below 0.01 three significant digits (0.00423), so a small change never reads as 0."""
    v = float(v)
    if v == 0:
        return "0"
    d = 2 if abs(v) >= 0.01 else min(12, 2 - math.floor(math.log10(abs(v))))
    s = f"{abs(v):.{d}f}"
    s = s.rstrip("0").rstrip(".") if "." in s else s
    return ("−" if v < 0 else "") + s


def signed(v: float) -> str:
    return ("+" if v > 0 else "") + num(v)


def _fresh(editor_key: str, signature: tuple) -> None:
    """Forget an editor's edits when what it was built on (criteria, weights) has changed."""
    sig_key = editor_key + "_base"
    if st.session_state.get(sig_key) != signature:
        st.session_state.pop(editor_key, None)
        st.session_state[sig_key] = signature


def _intervals(out, clab) -> tuple[tuple, tuple]:
    """Editable lower/upper bound per criterion (%), defaulting to ±50% of the current weight.
    Returns (lower, upper) as fractions; raises ValueError with a planner-readable message."""
    w = out.weights
    ids = [str(c) for c in w.index]
    _fresh(INTERVALS_KEY, (tuple(ids), tuple(np.round(w.to_numpy(float), 12))))
    base = pd.DataFrame(
        {
            "criterion": [clab.get(c, c) for c in ids],
            "your weight (%)": w.to_numpy(float) * 100,
            "lower (%)": w.to_numpy(float) * 50,
            "upper (%)": np.minimum(w.to_numpy(float) * 150, 100.0),
        },
        index=pd.Index(ids, name="id"),
    )
    ed = st.data_editor(
        base,
        key=INTERVALS_KEY,
        hide_index=True,
        height=35 * (len(base) + 1) + 3,
        disabled=["criterion", "your weight (%)"],
        column_config={
            "your weight (%)": display.WEIGHT_PERCENT,
            "lower (%)": st.column_config.NumberColumn(format="%.2f", step=0.01),
            "upper (%)": st.column_config.NumberColumn(format="%.2f", step=0.01),
        },
    )
    lo = pd.to_numeric(ed["lower (%)"], errors="coerce").to_numpy(float)
    hi = pd.to_numeric(ed["upper (%)"], errors="coerce").to_numpy(float)
    names = list(base["criterion"])
    blank = [names[i] for i in range(len(ids)) if not (np.isfinite(lo[i]) and np.isfinite(hi[i]))]
    if blank:
        raise ValueError("fill in both bounds for " + ", ".join(blank) + ".")
    outside = [f"{names[i]} ({num(lo[i])}% to {num(hi[i])}%)" for i in range(len(ids)) if lo[i] < 0 or hi[i] > 100]
    if outside:
        raise ValueError("bounds must lie between 0% and 100%: " + ", ".join(outside) + ".")
    crossed = [f"{names[i]} (lower {num(lo[i])}% > upper {num(hi[i])}%)" for i in range(len(ids)) if lo[i] > hi[i]]
    if crossed:
        raise ValueError("the lower bound is above the upper bound for " + ", ".join(crossed) + ".")
    if lo.sum() > 100 + 1e-9:
        raise ValueError(
            f"the lower bounds add up to {num(lo.sum())}%, but the weights add up to 100%, so no "
            "weights fit. Lower some lower bounds."
        )
    if hi.sum() < 100 - 1e-9:
        raise ValueError(
            f"the upper bounds add up to {num(hi.sum())}%, but the weights add up to 100%, so no "
            "weights fit. Raise some upper bounds."
        )
    inside = bool(np.all(lo <= w.to_numpy(float) * 100 + 1e-9) and np.all(w.to_numpy(float) * 100 <= hi + 1e-9))
    st.caption(
        "Weights are drawn uniformly among all weight sets (adding up to 100%) that respect these bounds. "
        + (
            "Your current weights lie inside them."
            if inside
            else "Note: your current weights lie outside these bounds."
        )
    )
    return tuple(float(x) for x in lo / 100), tuple(float(x) for x in hi / 100)


def _order(out, clab) -> tuple[str, ...]:
    """Editable importance rank per criterion, defaulting to the order of the current weights.
    Returns the criterion ids, most important first; raises ValueError on a blank or shared rank."""
    w = out.weights
    ids = [str(c) for c in w.index]
    _fresh(ORDER_KEY, (tuple(ids), tuple(np.round(w.to_numpy(float), 12))))
    order = sorted(range(len(ids)), key=lambda i: -float(w.iloc[i]))  # stable: equal weights keep their listed order
    rank = np.empty(len(ids), dtype=int)
    rank[order] = np.arange(1, len(ids) + 1)
    base = pd.DataFrame(
        {"criterion": [clab.get(c, c) for c in ids], "your weight (%)": w.to_numpy(float) * 100, "rank": rank},
        index=pd.Index(ids, name="id"),
    ).iloc[order]
    ed = st.data_editor(
        base,
        key=ORDER_KEY,
        hide_index=True,
        height=35 * (len(base) + 1) + 3,
        disabled=["criterion", "your weight (%)"],
        column_config={
            "your weight (%)": display.WEIGHT_PERCENT,
            "rank": st.column_config.NumberColumn(
                "rank (1 = most important)", min_value=1, max_value=len(ids), step=1, format="%d"
            ),
        },
    )
    r = pd.to_numeric(ed["rank"], errors="coerce")
    names = dict(zip(base.index, base["criterion"], strict=True))
    blank = [names[c] for c in r.index if not np.isfinite(r[c])]
    if blank:
        raise ValueError("give every criterion a rank; missing for " + ", ".join(blank) + ".")
    shared = r[r.duplicated(keep=False)]
    if len(shared):
        groups = [
            " and ".join(names[c] for c in shared.index[shared == v]) + f" (rank {num(v)})"
            for v in sorted(shared.unique())
        ]
        raise ValueError(
            "each criterion needs its own rank, but these share one: "
            + "; ".join(groups)
            + ". Ties are not allowed: say which of them matters more."
        )
    st.caption(
        "Weights are drawn uniformly among all weight sets that respect this order (rank 1 gets the largest "
        "weight); only the order counts. Criteria with equal weights start in their listed order — change "
        "the ranks if you mean a different order."
    )
    return tuple(str(c) for c in r.sort_values(kind="stable").index)


def _weight_uncertainty(out, clab, kind: str, spread: float):
    """(cache key part, sampler factory or None, error message or None) for the chosen way of sampling."""
    from mcda import robustness as rb

    if kind == "around mine":
        return (kind, spread), (lambda: rb.AroundWeights(out.problem, out.weights, spread=spread)), None
    if kind == "anywhere (uniform)":
        return (kind,), (lambda: rb.UniformSimplex(out.problem)), None
    try:
        with st.container(key="rb_uncertainty_box"):
            if kind == "intervals":
                st.markdown(
                    "**Weight intervals** — the range you would accept for each weight, in % of the total "
                    "(default: ±50% of your current weight)."
                )
                lo, hi = _intervals(out, clab)
                rb.IntervalWeights(out.problem, list(lo), list(hi))  # the library's own feasibility check
                return (kind, lo, hi), (lambda: rb.IntervalWeights(out.problem, list(lo), list(hi))), None
            st.markdown(
                "**Importance order** — rank the criteria from most to least important; only the order is used."
            )
            order = _order(out, clab)
            rb.OrdinalWeights(out.problem, list(order))
            return (kind, order), (lambda: rb.OrdinalWeights(out.problem, list(order))), None
    except (ValueError, InputError) as e:  # InputError is a ValueError
        what = "Weight intervals" if kind == "intervals" else "Importance order"
        msg = f"{what}: {e}"
        st.error(esc(msg) + " SMAA and funding acceptability wait until this is fixed; the other tabs work as usual.")
        return (kind, "invalid"), None, msg


def _default_pair(out) -> tuple[str, str]:
    """The last shortlisted and the first eligible country below the cut; else the top two of the ranking."""
    t = out.shortlist_table
    inside = list(t.loc[t["status"] == "shortlisted", "alternative"])
    below = list(t.loc[t["status"] == "below cut", "alternative"])
    if inside and below:
        return str(inside[-1]), str(below[0])
    top = [str(a) for a in out.ranking["alternative"]]
    return top[0], top[1]


def _pair_picked() -> None:
    st.session_state["rb_pair_picked"] = True


def swap_sentence(ps: pd.DataFrame, label, clab, overtakes: bool = True) -> str:
    """The plain-language answer of mcda.robustness.pair_swap's table."""
    a, b = ps.attrs["pair"]
    ahead = ps.attrs["ahead"]
    _label, _clab = label, clab
    label = lambda x: esc(_label(x), inline=True)  # noqa: E731 - names are the planner's text, shown as text
    clab = {c: esc(v, inline=True) for c, v in _clab.items()}
    if ahead == "tie":
        return (
            f"**{label(a)}** and **{label(b)}** have the same score at your weights — they are tied, so there is "
            "no order to swap: any weight change that separates them decides who leads."
        )
    behind = b if ahead == a else a
    never = [
        clab.get(c, esc(c, inline=True))
        for c, lo, hi in zip(ps["criterion"], ps["swap_below"], ps["swap_above"], strict=True)
        if not (np.isfinite(lo) or np.isfinite(hi))
    ]
    if ps.attrs["min_criterion"] is None:
        return (
            f"**{label(ahead)}** stays ahead of **{label(behind)}** whichever single weight you move, from 0% to "
            "100% (the others keeping their proportions): only several weights moving together could swap them."
        )
    row = ps.loc[ps["is_minimum"]].iloc[0]
    w0, ch = float(row["base_weight"]), float(row["change"])
    verb = "overtakes" if overtakes else "draws level with"
    crit = clab.get(row["criterion"], esc(row["criterion"], inline=True))
    text = (
        f"**{label(behind)}** {verb} **{label(ahead)}** if the weight of **{crit}** "
        f"{'rises' if ch > 0 else 'falls'} from {num(100 * w0)}% to {num(100 * (w0 + ch))}% "
        f"({signed(100 * ch)} points), the others keeping their proportions"
    )
    if never:
        text += "; no single weight change swaps them along " + ", ".join(never)
    return text + "."


def _overtakes_past(out, m, ps) -> bool:
    """Does the one behind strictly lead just past the reported swap point (the library's scores)?"""
    from mcda import robustness as rb

    row = ps.loc[ps["is_minimum"]].iloc[0]
    cids = list(out.problem.criterion_ids)
    j = cids.index(row["criterion"])
    base = out.weights.reindex(cids).to_numpy(float)
    t = float(np.clip(row["base_weight"] + row["change"] + np.sign(row["change"]) * 1e-6, 0.0, 1.0))
    s = rb.batch_scores(out.problem, rb.sweep_vectors(base / base.sum(), j, np.array([t])), method=m)[0]
    alts = list(out.problem.alternatives)
    a, b = ps.attrs["pair"]
    ahead = ps.attrs["ahead"]
    behind = b if ahead == a else a
    d = s[alts.index(behind)] - s[alts.index(ahead)]
    d = round(float(d if getattr(m, "higher_is_better", True) else -d), 12)
    return d > 0


def _pair_swap_tab(out, sj: str, m, label, clab) -> None:
    from mcda import robustness as rb

    st.markdown(
        "Which single weight would have to change, and by how much, for one country to overtake another? "
        "Defaults: the last country on the shortlist and the first one below the cut. (This uses your "
        "weights as they are; the sampling settings above are for SMAA and funding acceptability.)"
    )
    ranked = [str(a) for a in out.ranking["alternative"]]
    if len(ranked) < 2:
        st.info("There are fewer than two countries ranked, so there is no pair to compare.")
        return
    rank_of = dict(zip(ranked, out.ranking["rank"], strict=True))
    default = _default_pair(out)
    if st.session_state.get("rb_pair_default") != default or not st.session_state.get("rb_pair_picked"):
        st.session_state["rb_pair_default"] = default  # follow the shortlist's cut until the planner picks a pair
        st.session_state[PAIR_KEYS[0]], st.session_state[PAIR_KEYS[1]] = default
        st.session_state["rb_pair_picked"] = False
    for k, d in zip(PAIR_KEYS, default, strict=True):
        if st.session_state.get(k) not in ranked:
            st.session_state[k] = d
    fmt = lambda a: f"{label(a)} ({a}) — rank {rank_of.get(a, '?')}"  # noqa: E731
    c1, c2 = st.columns(2)
    a = c1.selectbox("Country", ranked, key=PAIR_KEYS[0], format_func=fmt, on_change=state.callback(_pair_picked))
    b = c2.selectbox("against", ranked, key=PAIR_KEYS[1], format_func=fmt, on_change=state.callback(_pair_picked))
    if a == b:
        st.warning("Pick two different countries.")
        return
    try:
        ps = _cached(
            "pair swap", sj, (a, b), lambda p: rb.pair_swap(out.problem, out.weights, a, b, method=m, progress=p)
        )
    except InputError as e:
        st.error(esc(e))
        return
    with st.container(key="pair_swap_box"):
        if ps.attrs["ahead"] == "tie":
            st.info(swap_sentence(ps, label, clab))
            return
        over = _overtakes_past(out, m, ps) if ps.attrs["min_criterion"] is not None else True
        st.markdown(swap_sentence(ps, label, clab, overtakes=over))
        ahead = ps.attrs["ahead"]
        tab = pd.DataFrame(
            {
                "criterion": [clab.get(c, c) for c in ps["criterion"]],
                "your weight (%)": 100 * ps["base_weight"].to_numpy(float),
                "swap if lowered to (%)": 100 * ps["swap_below"].to_numpy(float),
                "swap if raised to (%)": 100 * ps["swap_above"].to_numpy(float),
                "change (points)": 100 * ps["change"].to_numpy(float),
                "smallest": ps["is_minimum"].to_numpy(bool),
            },
            index=pd.Index(ps["criterion"], name="id"),
        )
        tab = tab.iloc[np.argsort(tab["change (points)"].abs().fillna(np.inf).to_numpy(), kind="stable")]
        st.dataframe(
            tab,
            hide_index=True,
            placeholder="no swap",
            height=35 * (len(tab) + 1) + 3,
            column_config={
                "your weight (%)": display.WEIGHT_PERCENT,
                "swap if lowered to (%)": display.WEIGHT_PERCENT,
                "swap if raised to (%)": display.WEIGHT_PERCENT,
                "change (points)": st.column_config.NumberColumn(format="%+.2f"),
            },
        )
        st.caption(
            f"At your weights {esc(label(ahead), inline=True)} is ahead. "
            "Each row moves one weight on its own, from 0% to 100%, "
            "the others keeping their proportions (as in the sweeps), and gives the weight at which the two "
            "swap order (or draw level) when it is lowered or raised, and the change to the nearer one; "
            "smallest change first. 'no swap': the order holds all the way in that direction."
        )


def render() -> None:
    st.header("Robustness")
    st.caption(
        "Would the answer change if the weights were a little different? Weights are sampled around yours, "
        "anywhere, within bounds you set per weight, or in an importance order you give, and the ranking, "
        "shortlist and funding are recomputed by the libraries."
    )
    try:
        from mcda import robustness as rb
    except ImportError:
        st.info("The robustness library is not available in this installation.")
        return
    sc = state.view()
    from ui import tracks

    tracks.robustness_block()
    out = common.view_outcome()
    if out is None:
        return
    if len(out.weights) < 2:
        st.info(
            "Robustness looks at what happens when the weights move, so it needs at least two criteria with a "
            "weight. Switch on another criterion on the Data page."
        )
        return
    sj = state.result_json(sc)  # results are kept per inputs: renaming the scenario keeps them
    names = common.names(out)
    label = (lambda a: names.get(a, a)) if names is not None else str
    clab = common.labels(out)
    m = scenario_method(out)
    c1, c2, c3, c4 = st.columns(4)
    kind = c1.radio(
        "Weights sampled",
        KINDS,
        key="rb_kind",
        help="around mine: each weight times a random factor within ± spread; anywhere: no preference "
        "at all; intervals: a lower and upper bound per weight; ordinal: only the importance order.",
    )
    spread = c2.slider(
        "± spread around my weights (%)", 5, 100, 20, step=5, key="rb_spread", disabled=kind != "around mine"
    )
    n = c3.select_slider("Samples", [1000, 2000, 5000, 10000, 20000], value=5000, key="rb_n")
    seed = c4.number_input("Seed (same seed → same numbers)", 0, 10_000, 1, key="rb_seed")
    from ui import executor_setting  # issue 12 item 4: where long studies run

    ex_key, ex = executor_setting.options()
    how, sampler, _bad = _weight_uncertainty(out, clab, kind, spread)
    from ui.data_uncertainty import switch as data_switch  # issue 10 item 5: sample the data too

    vkey, values = data_switch(out, sc, clab)

    params = how + (n, seed) + ex_key
    tabs = st.tabs(
        [
            "Rank acceptability (SMAA)",
            "What would it take? (pair swap)",
            "Weight sweeps",
            "Stability of the shortlist",
            "Funding acceptability",
        ]
    )
    with tabs[0]:
        if sampler is None:
            st.info("SMAA waits for valid weight-sampling settings: see the message above.")
            run = False
        else:
            run = st.button("Run SMAA", key="rb_run_smaa", type="primary") or _has("SMAA", sj, params + vkey)
        if run:
            try:
                res = _cached(
                    "SMAA",
                    sj,
                    params + vkey,
                    lambda p: executor_setting.guarded(
                        ex,
                        lambda kw: rb.smaa(
                            out.problem,
                            sampler(),
                            n_samples=n,
                            seed=seed,
                            method=m,
                            progress=p,
                            values=values,
                            confidence_k=max(1, min(sc.shortlist.top_k, len(out.ranking)))
                            if values is not None
                            else None,
                            **kw,
                        ),
                    ),
                )
            except InputError as e:
                st.error(esc(e))
            else:
                long = res.long()
                long["country"] = long["alternative"].map(label)
                order = (
                    list(res.expected_rank.sort_values().index.map(label)) if hasattr(res, "expected_rank") else None
                )
                chart = (
                    alt.Chart(long)
                    .mark_rect()
                    .encode(
                        x=alt.X("rank:O", title="rank"),
                        y=alt.Y("country:N", sort=order, title=None),
                        color=alt.Color(
                            "acceptability:Q",
                            scale=alt.Scale(scheme="greens"),
                            title="share of samples",
                            legend=alt.Legend(format="%"),
                        ),
                        tooltip=["country", "rank", alt.Tooltip("acceptability:Q", format=".1%")],
                    )
                    .properties(height=18 * long["country"].nunique(), title="How often each country takes each rank")
                    .configure_axisY(labelOverlap=False, labelLimit=220)
                )
                st.container(key="smaa_chart").altair_chart(chart, width="stretch")
                # top-k acceptability for the shortlist's size; k cannot exceed the number of alternatives ranked
                summ = res.summary(max(1, min(sc.shortlist.top_k, len(out.ranking))))
                ids = summ["alternative"] if "alternative" in summ.columns else pd.Series(summ.index, index=summ.index)
                summ.insert(0, "country", ids.map(label))
                display.dataframe(
                    summ,
                    hide_index="alternative" in summ.columns,
                    labels={**clab, "alternative": "ID"},
                    formats={"expected_rank": lambda v: F.number(v, 1)},
                )
                st.caption(
                    "Ranked 1st / In top k: share of samples in which the country ranks first / makes the top k "
                    "(k = the shortlist size). Holistic acceptability: SMAA-2's rank shares weighted by linear "
                    "meta-weights. The confidence factor and the central weights exist only for countries that "
                    "rank first in at least one sample; they show – for the others. Hover a header for its meaning."
                    + (
                        " With the data sampled, confidence is the share of value samples in which the country "
                        "ranks first at its central weights (SMAA-2); without, it is 1 or 0."
                        if values is not None
                        else ""
                    )
                )
    with tabs[1]:
        _pair_swap_tab(out, sj, m, label, clab)
    with tabs[2]:
        crits = st.multiselect(
            "Criteria to sweep",
            list(out.weights.index),
            default=list(out.weights.index)[:3],
            format_func=lambda c: clab.get(c, c),
            key="rb_sweep_crit",
        )
        if st.button("Run sweeps", key="rb_run_sweep") or _has("sweep", sj, tuple(crits) + ex_key):
            try:
                sw = _cached(
                    "sweep",
                    sj,
                    tuple(crits) + ex_key,  # on the executor of the setting: criteria in chunks, the same table
                    lambda p: executor_setting.guarded(
                        ex,
                        lambda kw: rb.weight_sweep(
                            out.problem, out.weights, criteria=crits, method=m, progress=p, **kw
                        ),
                    ),
                )
            except InputError as e:
                st.error(esc(e))
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
                    x=alt.X("weight:Q", title="weight of this criterion", axis=alt.Axis(format="%")),
                    y=alt.Y("rank:Q", scale=alt.Scale(reverse=True), title="rank"),
                    color=alt.Color("country:N", legend=alt.Legend(labelLimit=0, orient="bottom", columns=3)),
                    tooltip=["country", "criterion", alt.Tooltip("weight:Q", format=".1%"), "rank"],
                )
                rule = (
                    src.transform_filter("datum.is_base")
                    .mark_rule(strokeDash=[4, 3], color="black")
                    .encode(x="weight:Q")
                )
                st.container(key="sweep_chart").altair_chart(
                    alt.layer(chart, rule)
                    .properties(height=200, width=240)  # 3 panels + axes fit beside the sidebar at 1400 px
                    .facet(facet=alt.Facet("criterion:N", title=None), columns=3),
                    width="content",
                )
                st.caption(
                    "Lines: today's shortlisted countries; dashed line: your current weight. Each panel moves one "
                    "criterion's weight from 0% to 100%, the others keeping their proportions."
                )
    with tabs[3]:
        eligible = eligible_alternatives(out)
        k_eff = min(sc.shortlist.top_k, len(eligible))
        if k_eff == 0:
            st.info("The shortlist is empty (every country is excluded), so there is no shortlist to keep stable.")
        elif k_eff == len(eligible):
            st.info(f"All {len(eligible)} eligible countries are on the shortlist, so no weight change can alter it.")
        elif st.button("Compute stability intervals", key="rb_run_stab") or _has("stability", sj, ()):
            try:
                si = _cached(
                    "stability",
                    sj,
                    (),
                    lambda p: rb.stability_intervals(
                        out.problem, out.weights, k=k_eff, eligible=eligible, method=m, progress=p
                    ),
                )
            except InputError as e:
                st.error(esc(e))
            else:
                si = si.copy()
                si.insert(0, "label", si["criterion"].map(lambda c: clab.get(c, c)))
                display.dataframe(
                    si,
                    hide_index=True,
                    labels={"criterion": "ID", "label": "Criterion"},
                    formats={"lower": F.pct, "upper": F.pct, "change_down": F.points, "change_up": F.points},
                )
                st.caption(
                    "Each criterion's weight can move between lower and upper (others keeping their proportions) "
                    "without changing who is on the shortlist. " + esc(si.attrs.get("precision", ""))
                )
    with tabs[4]:
        full_sc = state.ensure()  # over tracks: funding of the final shortlist of all tracks
        if full_sc.allocation is None:
            st.info("Set up an allocation on the Allocation page first.")
        elif sampler is None:
            st.info("Funding acceptability waits for valid weight-sampling settings: see the message above.")
        else:
            nf = st.select_slider(
                "Samples (each one re-ranks, re-shortlists and re-solves)",
                [100, 200, 500, 1000],
                value=200,
                key="rb_nf",
            )
            fparams = how + (nf, seed) + ex_key
            fsj, fund = state.result_json(full_sc), None
            if full_sc.tracks:
                from ui import tracks

                fund = tracks.funding_call(kind, spread, nf, seed, ex)
            if st.button("Run funding acceptability", key="rb_run_fund") or _has("funding", fsj, fparams):
                try:
                    from fulcrum.funding import funding_acceptability

                    fr = _cached(
                        "funding",
                        fsj,
                        fparams,
                        fund
                        or (
                            lambda p: executor_setting.guarded(
                                ex,
                                lambda kw: funding_acceptability(
                                    out, sampler(), n_samples=nf, seed=seed, progress=p, **kw
                                ),
                            )
                        ),
                    )
                except InputError as e:
                    st.error(esc(e))
                else:
                    s = fr.summary.copy()
                    if "country" in s.columns:
                        s.insert(1, "name", s["country"].map(label))
                    display.dataframe(s, hide_index=True, labels={"country": "ID"})
                    st.caption(
                        f"{fr.n_solved} of {fr.n_samples} samples solved, {fr.n_infeasible} infeasible, "
                        f"{fr.n_shortlists} distinct shortlists; {fr.seconds:.1f} s."
                    )
                    for note in fr.notes:
                        st.caption(esc(note))
                    if values is not None:
                        st.caption("Funding acceptability samples the weights only: the data stay exact here.")
