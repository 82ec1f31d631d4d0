"""Weight sweeps, top-k stability intervals and pair swaps (mcda.robustness_sweep).

Hand-derived boundaries on a weighted-sum case; TOPSIS boundaries checked with single-call
rankings and make_shortlist just inside and just outside each bound.
"""

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.methods import get_method
from mcda.problem import DecisionProblem
from mcda.robustness import pair_swap, stability_intervals, sweep_vectors, weight_sweep
from mcda.shortlist import make_shortlist
from tests.support import ROOT


@pytest.fixture(scope="module")
def wsm_case():
    # min-max normalised: A = (1, 0), B = (0, 1), C = (0.4, 0.4)  => score_A = w1, score_B = w2, score_C = 0.4
    X = np.array([[10.0, 0.0], [0.0, 10.0], [4.0, 4.0]])
    return DecisionProblem.from_arrays(X, [1, 1], alternatives=["A", "B", "C"], criterion_ids=["x", "y"])


@pytest.fixture(scope="module")
def topsis_case():
    rng = np.random.default_rng(21)
    X = rng.uniform(1, 10, (12, 5))
    return DecisionProblem.from_arrays(X, [1, 1, -1, 1, -1], alternatives=[f"K{i:02d}" for i in range(12)])


W5 = np.array([0.3, 0.25, 0.2, 0.15, 0.1])


def test_sweep_vectors_keep_proportions():
    base = np.array([0.5, 0.3, 0.2])
    V = sweep_vectors(base, 0, np.array([0.0, 0.5, 0.9, 1.0]))
    np.testing.assert_allclose(V.sum(axis=1), 1.0)
    np.testing.assert_allclose(V[:, 0], [0, 0.5, 0.9, 1.0])
    np.testing.assert_allclose(V[:3, 1] / V[:3, 2], 1.5)
    V = sweep_vectors(np.array([1.0, 0.0, 0.0]), 0, np.array([0.4]))  # others share equally
    np.testing.assert_allclose(V, [[0.4, 0.3, 0.3]])


def test_sweep_at_planner_weight_equals_base_ranking(topsis_case):
    for method in ("topsis", "vikor", "edas"):  # edas: not batched, loop fallback
        sw = weight_sweep(topsis_case, W5, points=21, method=method)
        base = get_method(method).rank(topsis_case, W5).set_index("alternative")
        assert set(sw.columns) == {"criterion", "weight", "base_weight", "is_base", "alternative", "score", "rank"}
        for _c, g in sw[sw["is_base"]].groupby("criterion"):
            g = g.set_index("alternative")
            np.testing.assert_array_equal(g["rank"].reindex(base.index), base["rank"])
            np.testing.assert_allclose(g["score"].reindex(base.index), base["score"], atol=1e-12)
        assert sw.groupby("criterion")["weight"].nunique().min() >= 21


def test_sweep_ranks_equal_single_calls_along_the_sweep(topsis_case):
    sw = weight_sweep(topsis_case, W5, criteria=["C2"], points=11)
    m = get_method("topsis")
    for t, g in sw.groupby("weight"):
        w = sweep_vectors(W5, 1, np.array([t]))[0]
        ref = m.rank(topsis_case, w).set_index("alternative")["rank"]
        np.testing.assert_array_equal(g.set_index("alternative")["rank"].reindex(ref.index), ref)


def test_stability_interval_hand_derived(wsm_case):
    # top-1 at w = (0.7, 0.3) is {A}. Sweeping x: score_A = t, score_B = 1 - t, C = 0.4 => A first iff t > 0.5.
    # Sweeping y (w_y = s, w_x = 1 - s): A first iff s < 0.5.
    si = stability_intervals(wsm_case, [0.7, 0.3], k=1, method="wsm").set_index("criterion")
    assert si.loc["x", "lower"] == pytest.approx(0.5, abs=1e-8) and si.loc["x", "upper"] == 1.0
    assert si.loc["y", "lower"] == 0.0 and si.loc["y", "upper"] == pytest.approx(0.5, abs=1e-8)
    assert si.loc["x", "leaves_below"] == "A" and si.loc["x", "enters_below"] == "B"
    assert si.loc["x", "leaves_above"] == "" and si.loc["x", "change_down"] == pytest.approx(-0.2, abs=1e-8)
    # top-2 = {A, C} at (0.7, 0.3): C leaves when B's score 1 - t exceeds 0.4 => t < 0.6; A stays above 0.4
    si2 = stability_intervals(wsm_case, [0.7, 0.3], k=2, method="wsm").set_index("criterion")
    assert si2.loc["x", "lower"] == pytest.approx(0.6, abs=1e-8) and si2.loc["x", "upper"] == 1.0
    assert "precision" in si2.attrs and si2.attrs["top_k"] == "A, C"
    # only C and B eligible: top-1 {C} until B's 1 - t exceeds 0.4 (t < 0.6)
    si3 = stability_intervals(wsm_case, [0.7, 0.3], k=1, eligible=["B", "C"], method="wsm").set_index("criterion")
    assert si3.loc["x", "lower"] == pytest.approx(0.6, abs=1e-8)


def test_topsis_stability_bounds_match_single_call_shortlists(topsis_case):
    k = 4
    si = stability_intervals(topsis_case, W5, k=k, tol=1e-10)
    m = get_method("topsis")
    data = pd.DataFrame(index=topsis_case.alternatives)

    def topk(w):
        sl = make_shortlist(m.rank(topsis_case, w), data, k)
        return set(sl.loc[sl["status"] == "shortlisted", "alternative"])

    base = topk(W5)
    for j, row in si.iterrows():
        for bound, inside_dir in ((row["lower"], +1), (row["upper"], -1)):
            if bound in (0.0, 1.0):
                assert topk(sweep_vectors(W5, j, np.array([bound]))[0]) == base
                continue
            inside = topk(sweep_vectors(W5, j, np.array([bound + inside_dir * 1e-7]))[0])
            outside = topk(sweep_vectors(W5, j, np.array([bound - inside_dir * 1e-7]))[0])
            assert inside == base and outside != base
        # and the whole interval keeps the set on a fine grid of single calls
        for t in np.linspace(row["lower"] + 1e-7, row["upper"] - 1e-7, 25):
            assert topk(sweep_vectors(W5, j, np.array([t]))[0]) == base


def test_pair_swap_hand_derived(wsm_case):
    ps = pair_swap(wsm_case, [0.7, 0.3], "A", "B", method="wsm").set_index("criterion")
    assert ps.loc["x", "swap_below"] == pytest.approx(0.5, abs=1e-8) and np.isnan(ps.loc["x", "swap_above"])
    assert ps.loc["x", "change"] == pytest.approx(-0.2, abs=1e-8)
    assert ps.loc["y", "swap_above"] == pytest.approx(0.5, abs=1e-8) and ps.loc["y", "change"] == pytest.approx(
        0.2, abs=1e-8
    )
    assert ps.attrs["ahead"] == "A" and abs(ps.attrs["min_change"]) == pytest.approx(0.2, abs=1e-8)
    # A vs C: score_A = t > 0.4 = score_C, swap at t = 0.4 on x (change -0.3); on y at s = 0.6 (+0.3)
    pc = pair_swap(wsm_case, [0.7, 0.3], "C", "A", method="wsm").set_index("criterion")
    assert pc.loc["x", "change"] == pytest.approx(-0.3, abs=1e-8) and pc.attrs["ahead"] == "A"


def test_pair_swap_topsis_is_a_real_crossing(topsis_case):
    m = get_method("topsis")
    base = m.rank(topsis_case, W5)
    a, b = base["alternative"].iloc[0], base["alternative"].iloc[1]
    ps = pair_swap(topsis_case, W5, a, b)
    assert ps["is_minimum"].sum() == 1
    for j, row in ps.iterrows():
        for x in (row["swap_below"], row["swap_above"]):
            if np.isnan(x):
                continue
            before = m.scores(topsis_case, sweep_vectors(W5, j, np.array([x - 1e-7]))[0])
            after = m.scores(topsis_case, sweep_vectors(W5, j, np.array([x + 1e-7]))[0])
            ia, ib = topsis_case.alternatives.index(a), topsis_case.alternatives.index(b)
            assert np.sign(before[ia] - before[ib]) != np.sign(after[ia] - after[ib])


def test_bad_inputs(topsis_case):
    with pytest.raises(InputError):
        stability_intervals(topsis_case, W5, k=0)
    with pytest.raises(InputError):
        stability_intervals(topsis_case, W5, k=13)
    with pytest.raises(InputError):
        stability_intervals(topsis_case, W5, k=2, eligible=["nope"])
    with pytest.raises(InputError):
        stability_intervals(topsis_case, W5, k=2, grid=2)
    with pytest.raises(InputError):
        stability_intervals(topsis_case, W5, k=2, tol=0)
    with pytest.raises(InputError):
        pair_swap(topsis_case, W5, "K00", "K00")
    with pytest.raises(InputError):
        pair_swap(topsis_case, W5, "K00", "ZZZ")
    with pytest.raises(InputError):
        weight_sweep(topsis_case, W5, criteria=["nope"])
    with pytest.raises(InputError):
        weight_sweep(topsis_case, -W5)
    with pytest.raises(InputError):
        weight_sweep(topsis_case, W5, points=1)


def test_scenario_helpers_give_the_pipeline_shortlist():

    from fulcrum.pipeline import eligible_alternatives, rank_scenario, scenario_method
    from fulcrum.scenario import load_scenario

    outcome = rank_scenario(load_scenario(ROOT / "scenarios" / "default.json"))
    k = outcome.scenario.shortlist.top_k
    si = stability_intervals(
        outcome.problem, outcome.weights, k=k, eligible=eligible_alternatives(outcome), method=scenario_method(outcome)
    )
    assert set(si.attrs["top_k"].split(", ")) == set(outcome.shortlist.index)
    assert (si["lower"] <= si["weight"]).all() and (si["weight"] <= si["upper"]).all()
