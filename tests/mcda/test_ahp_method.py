"""AHP as a ranking method (synthesis from the data): distributive and ideal modes against a
hand-computed example, the contribution identity, rank reversal, values <= 0, the registry."""

from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.methods import get_method
from mcda.methods.ahp import AHPMethod, local_priorities
from mcda.problem import DecisionProblem

# Hand-computed example. Criteria: c1 benefit, c2 cost; weights 1/2, 1/2.
#   A = (3, 2), B = (1, 1), C = (2, 5)
# Distributive (columns to sum 1; cost: reciprocal then normalise):
#   c1: sum 6          -> A 1/2, B 1/6, C 1/3
#   c2: 1/x = 1/2, 1, 1/5, sum 17/10 -> A 5/17, B 10/17, C 2/17
#   A = 1/4 + 5/34 = 27/68;  B = 1/12 + 5/17 = 77/204;  C = 1/6 + 1/17 = 23/102   (sum 1)
# Ideal (divide by the best: benefit x/max, cost min/x):
#   c1: max 3 -> A 1, B 1/3, C 2/3;   c2: min 1 -> A 1/2, B 1, C 1/5
#   A = 1/2 + 1/4 = 3/4;  B = 1/6 + 1/2 = 2/3;  C = 1/3 + 1/10 = 13/30
X = [[3, 2], [1, 1], [2, 5]]
TYPES = [1, -1]
W = np.array([0.5, 0.5])
DIST = {"A": F(27, 68), "B": F(77, 204), "C": F(23, 102)}
IDEAL = {"A": F(3, 4), "B": F(2, 3), "C": F(13, 30)}


def problem(rows=X, alts=("A", "B", "C")):
    return DecisionProblem.from_arrays(rows, TYPES, alternatives=list(alts), criterion_ids=["c1", "c2"])


@pytest.mark.parametrize("mode, expected", [("distributive", DIST), ("ideal", IDEAL)])
def test_hand_computed_scores_and_ranks(mode, expected):
    m = AHPMethod(mode=mode)
    out = m.rank(problem(), W).set_index("alternative")
    for a, v in expected.items():
        assert out.loc[a, "score"] == pytest.approx(float(v), abs=1e-15)
    assert list(out.index) == ["A", "B", "C"] and out["rank"].tolist() == [1, 2, 3]
    assert list(out.columns[:4]) == ["score", "rank", "method", "contrib_c1"] and out["method"].iloc[0] == "ahp"
    # contributions are w_j * p_ij and sum exactly to the score
    contrib = out[["contrib_c1", "contrib_c2"]].to_numpy()
    assert (contrib.sum(axis=1) == out["score"].to_numpy()).all()
    if mode == "distributive":
        assert out.loc["A", "contrib_c2"] == pytest.approx(0.5 * 5 / 17)
        assert out["score"].sum() == pytest.approx(1.0, abs=1e-15)
    else:
        assert out.loc["C", "contrib_c2"] == pytest.approx(0.5 * 1 / 5)
    # the fast path gives the same numbers, in problem order
    np.testing.assert_array_equal(m.scores(problem(), W), out.loc[["A", "B", "C"], "score"].to_numpy())


def test_rank_reversal_in_distributive_mode_not_in_ideal_mode():
    # Add D, a copy of C (Belton & Gear 1983's test). Distributive, by hand:
    #   c1: sum 8 -> A 3/8, B 1/8;  c2: 1/x sum 1/2 + 1 + 1/5 + 1/5 = 19/10 -> A 5/19, B 10/19
    #   A = 3/16 + 5/38 = 97/304;  B = 1/16 + 5/19 = 99/304  -> B now ahead of A (was 27/68 > 77/204)
    # Ideal: the column max (3) and min (1) are unchanged -> A 3/4 > B 2/3 as before.
    p4 = problem(X + [[2, 5]], ("A", "B", "C", "D"))
    d = AHPMethod("distributive").rank(p4, W).set_index("alternative")
    assert d.loc["A", "score"] == pytest.approx(97 / 304) and d.loc["B", "score"] == pytest.approx(99 / 304)
    assert d.loc["B", "rank"] < d.loc["A", "rank"]
    i = AHPMethod("ideal").rank(p4, W).set_index("alternative")
    assert i.loc["A", "score"] == pytest.approx(3 / 4) and i.loc["B", "score"] == pytest.approx(2 / 3)
    assert i.loc["A", "rank"] < i.loc["B", "rank"]


def test_explain_states_mode_and_rules():
    ex = AHPMethod("ideal").explain(problem(), W)
    assert {"about", "weights", "synthesis", "transform", "local_priorities", "weighted", "result"} <= set(ex)
    assert ex["synthesis"].loc["mode", "value"] == "ideal"
    assert "rank reversal" in ex["synthesis"].index
    assert ex["transform"].loc["c2", "rule"] == "min(x) / x"
    assert "mode=ideal" in ex["about"].loc["method", "value"]
    assert ex["local_priorities"].loc["B", "c1"] == pytest.approx(1 / 3)
    dist = AHPMethod().explain(problem(), W)
    assert dist["transform"].loc["c2", "rule"] == "(1/x) / sum(1/x)"


def test_values_le_zero_rescaled_to_1_9_or_rejected():
    # WGI-like column (benefit) -1, 0.5, 2: x' = 1 + 8 (x + 1)/3 = 1, 5, 9 -> distributive 1/15, 5/15, 9/15
    p = DecisionProblem.from_arrays([[-1.0], [0.5], [2.0]], [1], alternatives=["A", "B", "C"], criterion_ids=["wgi"])
    out = AHPMethod().rank(p, [1.0]).set_index("alternative")
    assert out.loc[["A", "B", "C"], "score"].tolist() == pytest.approx([1 / 15, 5 / 15, 9 / 15])
    ex = AHPMethod().explain(p, [1.0])
    assert (
        bool(ex["transform"].loc["wgi", "rescaled_1_9"]) and ex["synthesis"].loc["rescaled columns", "value"] == "wgi"
    )
    # as a cost criterion: 1/x' = 1, 1/5, 1/9 -> ideal: 1, 1/5, 1/9
    pc = DecisionProblem.from_arrays([[-1.0], [0.5], [2.0]], [-1], alternatives=["A", "B", "C"], criterion_ids=["wgi"])
    oc = AHPMethod("ideal").rank(pc, [1.0]).set_index("alternative")
    assert oc.loc[["A", "B", "C"], "score"].tolist() == pytest.approx([1, 1 / 5, 1 / 9])
    with pytest.raises(InputError, match="criterion wgi has values <= 0"):
        AHPMethod(nonpositive="error").rank(p, [1.0])


def test_positive_columns_are_not_rescaled():
    P, resc = local_priorities(np.array([[1.0, -1.0], [3.0, 1.0]]), np.array([1, 1]))
    assert resc.tolist() == [False, True]
    assert P[:, 0].tolist() == [0.25, 0.75]


def test_registry_builds_ahp_with_options():
    m = get_method("ahp")
    assert isinstance(m, AHPMethod) and m.mode == "distributive" and m.higher_is_better
    assert get_method("ahp", mode="ideal").mode == "ideal"
    with pytest.raises(InputError, match="unknown AHP synthesis mode 'best'"):
        get_method("ahp", mode="best")


def test_weights_scaled_by_a_constant_change_nothing_and_series_weights_align():
    p = problem()
    m = AHPMethod()
    np.testing.assert_allclose(m.scores(p, W * 7), m.scores(p, W), rtol=0, atol=1e-15)
    s = pd.Series({"c2": 1.0, "c1": 3.0})
    np.testing.assert_allclose(m.scores(p, s), m.scores(p, np.array([0.75, 0.25])), rtol=0, atol=1e-15)


def test_scores_many_matches_single_calls():
    p = problem()
    m = AHPMethod("ideal")
    Wk = np.array([[1.0, 0.0], [0.5, 0.5], [0.2, 0.8]])
    many = m.scores_many(p, Wk)
    for k in range(3):
        np.testing.assert_allclose(many[k], m.scores(p, Wk[k]), rtol=0, atol=1e-15)
