"""AppTest checks of the Robustness page's "what would it take?" (pair swap) tab and of the ways
of stating weight uncertainty (around mine / anywhere / intervals / ordinal).

What the page shows is compared with the library (mcda.robustness) called here for the same
inputs; the swap point the page reports is checked by moving the weight past it with the
library's own scores (a property, not the app's arithmetic).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fulcrum.pipeline import rank_scenario, scenario_method
from mcda import robustness as rb
from tests.app.apptest import goto, new_app, run

SENTENCE = re.compile(
    r"\*\*(?P<behind>.+?)\*\* (?P<verb>overtakes|draws level with) \*\*(?P<ahead>.+?)\*\* if the weight of "
    r"\*\*(?P<crit>.+?)\*\* (?P<dir>rises|falls) from (?P<w0>[\d.]+)% to (?P<w1>[\d.]+)% "
    r"\((?P<ch>[+−][\d.]+) points\), the others keeping their proportions"
    r"(?:; no single weight change swaps them along (?P<never>.+))?\.$"
)


def robustness_page(sc=None) -> AppTest:
    return goto(new_app(sc), "Robustness")


@pytest.fixture(scope="module")
def out(shipped):
    return shipped.outcome("default")


def names(out) -> dict:
    return out.countries["country"].astype(str).to_dict()


def labels(out) -> dict:
    if "label" not in out.criteria.columns:  # an upload without criteria metadata: ids are the labels
        return {c: c for c in out.criteria.index}
    return out.criteria["label"].astype(str).to_dict()


def swap_table(at: AppTest) -> pd.DataFrame:
    tabs = [d.value for d in at.dataframe if "swap if lowered to (%)" in d.value.columns]
    assert len(tabs) == 1, "no pair-swap table shown"
    return tabs[0]


def swap_sentence(at: AppTest) -> str:
    found = [m.value for m in at.markdown if " if the weight of " in m.value or "stays ahead of" in m.value]
    assert len(found) == 1, found
    return found[0]


def assert_table_is_library(shown: pd.DataFrame, ps: pd.DataFrame, out) -> None:
    """Same rows as the library's (shown smallest change first, the ones that never swap last)."""
    assert sorted(shown.index) == sorted(ps["criterion"])
    ch = shown["change (points)"].abs().to_numpy(float)
    assert list(np.isnan(ch)) == sorted(np.isnan(ch)) and list(ch[~np.isnan(ch)]) == sorted(ch[~np.isnan(ch)])
    ps = ps.set_index("criterion", drop=False).loc[shown.index]
    assert list(shown["criterion"]) == [labels(out)[c] for c in ps["criterion"]]
    for col, lib in [
        ("your weight (%)", "base_weight"),
        ("swap if lowered to (%)", "swap_below"),
        ("swap if raised to (%)", "swap_above"),
        ("change (points)", "change"),
    ]:
        np.testing.assert_allclose(
            shown[col].to_numpy(float),
            100 * ps[lib].to_numpy(float),
            rtol=1e-12,
            atol=1e-12,
            equal_nan=True,
            err_msg=col,
        )
    assert list(shown["smallest"]) == list(ps["is_minimum"])


def close(text: str, value: float) -> bool:
    """A number shown with two decimals (three significant digits below 0.01) is the library's value rounded."""
    x = float(text.replace("−", "-").replace("+", ""))
    return abs(x - value) <= (0.005 + 1e-9 if abs(value) >= 0.01 else 5e-3 * abs(value) + 1e-12)


def order_after(out, m, criterion: str, t: float, a: str, b: str) -> float:
    """score(a) - score(b) (better-is-positive) with one weight set to t, the others keeping their proportions."""
    cids = list(out.problem.criterion_ids)
    base = out.weights.reindex(cids).to_numpy(float)
    W = rb.sweep_vectors(base / base.sum(), cids.index(criterion), np.array([t]))
    s = rb.batch_scores(out.problem, W, method=m)[0]
    alts = list(out.problem.alternatives)
    d = s[alts.index(a)] - s[alts.index(b)]
    return float(d if m.higher_is_better else -d)


# ------------------------------------------------------------------ pair swap
def test_default_pair_is_the_cut_and_sentence_and_table_equal_the_library(out):
    at = robustness_page()
    t = out.shortlist_table
    a = t.loc[t["status"] == "shortlisted", "alternative"].iloc[-1]
    b = t.loc[t["status"] == "below cut", "alternative"].iloc[0]
    assert (at.selectbox(key="rb_pair_a").value, at.selectbox(key="rb_pair_b").value) == (a, b)
    m = scenario_method(out)
    ps = rb.pair_swap(out.problem, out.weights, a, b, method=m)
    assert_table_is_library(swap_table(at), ps, out)

    g = SENTENCE.match(swap_sentence(at))
    assert g, swap_sentence(at)
    ahead = ps.attrs["ahead"]
    behind = b if ahead == a else a
    best = ps.loc[ps["is_minimum"]].iloc[0]
    assert (g["behind"], g["ahead"]) == (names(out)[behind], names(out)[ahead])
    assert g["crit"] == labels(out)[best["criterion"]]
    assert g["dir"] == ("rises" if best["change"] > 0 else "falls")
    assert close(g["w0"], 100 * best["base_weight"]) and close(g["w1"], 100 * (best["base_weight"] + best["change"]))
    assert close(g["ch"], 100 * best["change"]) and g["ch"][0] == ("+" if best["change"] > 0 else "−")
    never = [
        labels(out)[c]
        for c, lo, hi in zip(ps["criterion"], ps["swap_below"], ps["swap_above"], strict=False)
        if np.isnan(lo) and np.isnan(hi)
    ]
    assert (g["never"].split(", ") if g["never"] else []) == never


def test_moving_a_weight_past_the_reported_swap_point_swaps_the_pair(out):
    """Property: just before each reported swap point the one ahead still leads; just past it (or at it,
    at 0% / 100%) it no longer does — the library's rule: scores cross or tie to 12 decimals. For the
    smallest change, the one the sentence reports, past the point the other one strictly leads."""
    m = scenario_method(out)
    checked = strict = 0
    for a, b in [("VEN", "COL"), ("BRA", "ARG"), ("MEX", "BRA"), ("CUB", "BHS")]:
        ps = rb.pair_swap(out.problem, out.weights, a, b, method=m)
        ahead = ps.attrs["ahead"]
        behind = b if ahead == a else a
        for _, r in ps.iterrows():
            for t in (r["swap_below"], r["swap_above"]):
                if not np.isfinite(t):
                    continue
                step = 1e-6 if t > r["base_weight"] else -1e-6
                past = float(np.clip(t + step, 0.0, 1.0))
                assert round(order_after(out, m, r["criterion"], t - step, ahead, behind), 12) > 0, (
                    a,
                    b,
                    r["criterion"],
                    t,
                )
                d_past = round(order_after(out, m, r["criterion"], past, ahead, behind), 12)
                assert d_past <= 0, (a, b, r["criterion"], t)
                if r["is_minimum"] and abs(t - r["base_weight"]) == abs(r["change"]):
                    assert d_past < 0, (a, b, r["criterion"], t)  # "overtakes", as the sentence says
                    strict += 1
                checked += 1
    assert checked >= 8 and strict == 4


def test_a_pair_picked_in_the_app_shows_the_library_answer_and_stays_picked(out):
    first, second = (str(a) for a in out.ranking["alternative"].iloc[[0, 3]])  # the library's 1st and 4th
    at = robustness_page()
    at.selectbox(key="rb_pair_a").set_value(first)
    at.selectbox(key="rb_pair_b").set_value(second)
    run(at)
    ps = rb.pair_swap(out.problem, out.weights, first, second, method=scenario_method(out))
    assert_table_is_library(swap_table(at), ps, out)
    g = SENTENCE.match(swap_sentence(at))
    assert g and g["behind"] == names(out)[second] and g["ahead"] == names(out)[first], swap_sentence(at)
    assert g["crit"] == labels(out)[ps.attrs["min_criterion"]]
    at.radio(key="rb_kind").set_value("anywhere (uniform)")
    run(at)
    assert (at.selectbox(key="rb_pair_a").value, at.selectbox(key="rb_pair_b").value) == (first, second)
    at.selectbox(key="rb_pair_b").set_value(first)
    run(at)
    assert any("two different" in w.value for w in at.warning)


def small_upload():
    """AAA and BBB identical (tied); AAA dominates DDD (never swapped); all five shortlisted."""
    from ui import upload

    state: dict = {}
    assert upload.handle_upload(
        "five.csv", b"id,size,reach\nAAA,10,1\nBBB,10,1\nCCC,15,0.5\nDDD,5,0.5\nEEE,8,3\n", state
    )
    return state["scenario"]


def test_tied_pair_and_a_pair_that_never_swaps_are_explained():
    sc = small_upload()
    out = rank_scenario(sc)
    at = robustness_page(sc)
    top = list(out.ranking["alternative"][:2])  # nobody below the cut: the top two
    assert [at.selectbox(key="rb_pair_a").value, at.selectbox(key="rb_pair_b").value] == top
    at.selectbox(key="rb_pair_a").set_value("AAA")
    at.selectbox(key="rb_pair_b").set_value("BBB")
    run(at)
    assert rb.pair_swap(out.problem, out.weights, "AAA", "BBB", method=scenario_method(out)).attrs["ahead"] == "tie"
    assert any("tied" in i.value and "AAA" in i.value and "BBB" in i.value for i in at.info), [i.value for i in at.info]
    assert not [d for d in at.dataframe if "swap if lowered to (%)" in d.value.columns]
    at.selectbox(key="rb_pair_b").set_value("DDD")
    run(at)
    ps = rb.pair_swap(out.problem, out.weights, "AAA", "DDD", method=scenario_method(out))
    assert ps.attrs["min_criterion"] is None and ps.attrs["ahead"] == "AAA"
    assert swap_sentence(at).startswith("**AAA** stays ahead of **DDD** whichever single weight you move")
    assert_table_is_library(swap_table(at), ps, out)
    assert not at.error


# ------------------------------------------------------------------ weight uncertainty
def edit(at: AppTest, key: str, rows: dict) -> AppTest:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return run(at)


def smaa_shown(at: AppTest) -> pd.DataFrame:
    tabs = [d.value for d in at.dataframe if "rank_1" in d.value.columns]
    assert len(tabs) == 1, "no SMAA summary shown"
    return tabs[0]


def run_smaa(at: AppTest) -> pd.DataFrame:
    at.button(key="rb_run_smaa").click()
    run(at)
    assert not at.error, [e.value for e in at.error]
    return smaa_shown(at)


def assert_smaa_is_library(shown: pd.DataFrame, out, sampler, n: int, seed: int) -> None:
    lib = rb.smaa(out.problem, sampler, n_samples=n, seed=seed, method=scenario_method(out))
    summ = lib.summary(out.scenario.shortlist.top_k)
    assert list(shown.index) == list(summ.index)
    for col in ("rank_1", f"top_{out.scenario.shortlist.top_k}", "holistic"):
        np.testing.assert_allclose(shown[col].to_numpy(float), summ[col].to_numpy(float), rtol=0, atol=0, err_msg=col)


def test_interval_sampler_gives_the_library_smaa_and_new_bounds_are_not_stale(out):
    at = robustness_page()
    at.select_slider(key="rb_n").set_value(1000)
    at.number_input(key="rb_seed").set_value(7)
    at.radio(key="rb_kind").set_value("intervals")
    run(at)
    w = out.weights.to_numpy(float)
    lower, upper = 0.5 * w, np.minimum(1.5 * w, 1.0)  # the documented default: ±50% of each weight
    shown_bounds = at.data_editor[0].value
    np.testing.assert_allclose(shown_bounds["lower (%)"].to_numpy(float), 100 * lower, rtol=1e-12)
    np.testing.assert_allclose(shown_bounds["upper (%)"].to_numpy(float), 100 * upper, rtol=1e-12)
    ids = list(out.weights.index)
    j = ids.index("wgi_pv")
    edit(at, "rb_intervals", {j: {"lower (%)": 10.0, "upper (%)": 30.0}})
    lower[j], upper[j] = 0.10, 0.30
    assert_smaa_is_library(run_smaa(at), out, rb.IntervalWeights(out.problem, lower, upper), 1000, 7)

    edit(at, "rb_intervals", {j: {"lower (%)": 0.0, "upper (%)": 2.0}})  # new bounds: the old result must go
    assert not [d for d in at.dataframe if "rank_1" in d.value.columns], "stale SMAA result shown for new bounds"
    lower[j], upper[j] = 0.0, 0.02
    assert_smaa_is_library(run_smaa(at), out, rb.IntervalWeights(out.problem, lower, upper), 1000, 7)


def test_ordinal_sampler_gives_the_library_smaa(out):
    at = robustness_page()
    at.select_slider(key="rb_n").set_value(1000)
    at.radio(key="rb_kind").set_value("ordinal")
    run(at)
    shown = at.data_editor[0].value
    # default: the order of the current weights (equal weights keep the listed order)
    w = out.weights
    default = sorted(w.index, key=lambda c: -w[c])
    assert list(shown.index) == default and list(shown["rank"]) == list(range(1, len(w) + 1))
    # make the 3rd row the most important and the 1st row third
    edit(at, "rb_order", {0: {"rank": 3}, 2: {"rank": 1}})
    order = [default[2], default[1], default[0]] + default[3:]
    assert_smaa_is_library(run_smaa(at), out, rb.OrdinalWeights(out.problem, order), 1000, 1)


@pytest.mark.parametrize(
    "case",
    [
        lambda n, lab: ({0: {"lower (%)": 20.0}}, ["lower bound is above the upper bound", lab[0]]),
        lambda n, lab: ({1: {"upper (%)": 140.0}}, ["between 0% and 100%", lab[1]]),
        lambda n, lab: ({2: {"lower (%)": None}}, ["fill in both bounds", lab[2]]),
        lambda n, lab: (
            {i: {"lower (%)": 108.0 / n} for i in range(n)},
            ["lower bounds add up to 108%", "no weights fit"],
        ),
        lambda n, lab: (
            {i: {"upper (%)": 96.0 / n} for i in range(n)},
            ["upper bounds add up to 96%", "no weights fit"],
        ),
    ],
)
def test_invalid_intervals_give_a_notice_and_the_page_keeps_working(out, case):
    ids = list(out.weights.index)
    rows, words = case(len(ids), [labels(out)[c] for c in ids])
    at = robustness_page()
    at.radio(key="rb_kind").set_value("intervals")
    run(at)
    edit(at, "rb_intervals", rows)
    errs = [e.value for e in at.error]
    assert len(errs) == 1 and all(wd in errs[0] for wd in words), errs
    assert "Run SMAA" not in [b.label for b in at.button]
    assert any("waits for valid weight-sampling settings" in i.value for i in at.info)
    swap_table(at)  # the pair swap still answers
    assert "Run sweeps" in [b.label for b in at.button]
    edit(at, "rb_intervals", {})  # back to the defaults: the notice goes, SMAA can run
    assert not at.error and "Run SMAA" in [b.label for b in at.button]


def test_tied_ranks_in_the_importance_order_are_refused():
    at = robustness_page()
    at.radio(key="rb_kind").set_value("ordinal")
    run(at)
    first, second = at.data_editor[0].value["criterion"].iloc[:2]
    edit(at, "rb_order", {0: {"rank": 2}})
    errs = [e.value for e in at.error]
    assert len(errs) == 1 and "share" in errs[0] and f"{first} and {second} (rank 2)" in errs[0], errs
    assert "Run SMAA" not in [b.label for b in at.button]
