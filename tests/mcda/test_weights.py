"""Direct and objective weights: normalised and shown, never silently rescaled; bad weights rejected."""

import numpy as np
import pytest

from mcda import weights as mw
from mcda.errors import InputError
from mcda.problem import DecisionProblem


def test_direct_normalises_and_keeps_order():
    w = mw.direct({"b": 1, "a": 3}, ["a", "b"])
    assert list(w.index) == ["a", "b"]
    assert w.tolist() == [0.75, 0.25]


@pytest.mark.parametrize(
    "weights,msg",
    [
        ({"a": -1, "b": 2}, "weight -1 is negative"),
        ({"a": 0, "b": 0}, "all weights are zero"),
        ({"a": 1}, "no weight for criterion: b"),
        ({"a": 1, "b": 1, "c": 1}, "unknown criterion: c"),
        ({"a": "x", "b": 1}, "'x' is not a number"),
        ({"a": np.nan, "b": 1}, "missing or not finite"),
    ],
)
def test_direct_rejects_bad_weights(weights, msg):
    with pytest.raises(InputError, match=msg):
        mw.direct(weights, ["a", "b"])


def test_weights_table_shows_entered_and_normalised():
    t = mw.weights_table({"a": 2, "b": 6}, ["a", "b"])
    assert t["entered"].tolist() == [2, 6]
    assert t["normalised"].tolist() == [0.25, 0.75]


def test_entropy_textbook_value_for_positive_data():
    # Shannon entropy weights (Zeleny 1982; p_ij = x_ij / sum_i x_ij, E_j = -sum p ln p / ln n,
    # w_j = (1 - E_j) / sum (1 - E_k)), hand computed for three alternatives:
    # col1 = [1, 1, 2] p = [.25,.25,.5] E = 1.039721/1.098612 = 0.946395; col2 = [1, 2, 3] p=[1/6,1/3,1/2]
    # E = 1.011404/1.098612 = 0.920620. d = [0.053605, 0.079380]
    # -> w = [0.053605, 0.079380] / 0.132985 = [0.403092, 0.596908]
    # (0.4030917 / 0.5969083 to 7 dp).
    # (Hand computation, not a published example; the same formula is Hwang & Yoon 1981's entropy method.)
    p = DecisionProblem.from_arrays(np.array([[1, 1], [1, 2], [2, 3.0]]), [1, 1])
    w = mw.objective(p, "entropy")
    assert w.to_numpy() == pytest.approx([0.4030917, 0.5969083], abs=1e-7)


def test_entropy_handles_negative_columns_by_shift_and_reports_it():
    p = DecisionProblem.from_arrays(np.array([[-1, 1], [0.5, 2], [2, 3.0]]), [1, 1])
    w = mw.objective(p, "entropy")
    assert np.isfinite(w).all() and w.sum() == pytest.approx(1)
    assert mw.entropy_shifted_columns(p) == ["C1"]


@pytest.mark.parametrize("method", list(mw.OBJECTIVE_METHODS))
def test_objective_weights_sum_to_one(method):
    rng = np.random.default_rng(0)
    p = DecisionProblem.from_arrays(rng.random((10, 4)), [1, -1, 1, 1])
    w = mw.objective(p, method)
    assert w.sum() == pytest.approx(1) and (w >= 0).all() and list(w.index) == p.criterion_ids


def test_equal_weights():
    p = DecisionProblem.from_arrays(np.random.default_rng(1).random((5, 4)), [1] * 4)
    assert mw.objective(p, "equal").tolist() == [0.25] * 4


def test_unknown_objective_method():
    p = DecisionProblem.from_arrays(np.random.default_rng(1).random((5, 2)), [1, 1])
    with pytest.raises(InputError, match="unknown objective weighting method"):
        mw.objective(p, "magic")


def test_as_array_rejects_wrong_length():
    p = DecisionProblem.from_arrays(np.random.default_rng(1).random((5, 2)), [1, 1])
    with pytest.raises(InputError, match="expected 2 weights"):
        mw.as_array(np.array([1.0, 2.0, 3.0]), p)


# --- CRITIC with cost criteria (issue 8, item 11) -------------------------------------------------


def test_critic_normalises_with_directions_diakoulaki_1995():
    # CRITIC, Diakoulaki, Mavrotas & Papayannakis (1995), "Determining objective weights in multiple
    # criteria problems: the CRITIC method", Comput. Oper. Res. 22(7):763-770, section 2: every
    # criterion is first mapped onto [0, 1] towards its ideal (benefit (x-min)/(max-min), cost
    # (max-x)/(max-min)); C_j = sigma_j * sum_k (1 - r_jk); w_j = C_j / sum C.
    # Worked by hand for X below, types (+, -, +):
    #   col1 [1,2,3,4] -> [0, 1/3, 2/3, 1]; col2 (cost) [4,1,3,2] -> [0, 1, 1/3, 2/3];
    #   col3 [2,3,1,4] -> [1/3, 2/3, 0, 1]. The three are permutations of {0,1/3,2/3,1}: equal sigma.
    #   r12 = r13 = 0.4, r23 = 0.6 (cov / var with var = 5/27), so C = sigma*[1.2, 1.0, 1.0]
    #   and w = [1.2, 1.0, 1.0] / 3.2 = [0.375, 0.3125, 0.3125].
    # (The old code, pymcdm's critic_weights without types, gave [0.2778, 0.4167, 0.3056].)
    X = np.array([[1, 4, 2], [2, 1, 3], [3, 3, 1], [4, 2, 4]], dtype=float)
    p = DecisionProblem.from_arrays(X, [1, -1, 1])
    assert mw.objective(p, "critic").to_numpy() == pytest.approx([0.375, 0.3125, 0.3125], abs=1e-12)


@pytest.mark.parametrize("method", ["critic", "std"])
@pytest.mark.parametrize("flip", ["neg", "max_minus"])
def test_cost_column_equals_reversed_benefit_column(method, flip):
    # A cost column c carries the same information as the benefit column -c (or max(c) - c):
    # the objective weights must not change when one is replaced by the other.
    rng = np.random.default_rng(11)
    X = rng.normal(size=(12, 4)) * [1, 5, 0.1, 30] + [0, 100, 3, -7]
    types = np.array([1, -1, 1, -1])
    p_cost = DecisionProblem.from_arrays(X, types)
    Y = X.copy()
    for j in np.flatnonzero(types < 0):
        Y[:, j] = -X[:, j] if flip == "neg" else X[:, j].max() - X[:, j]
    p_benefit = DecisionProblem.from_arrays(Y, [1, 1, 1, 1])
    np.testing.assert_allclose(
        mw.objective(p_cost, method).to_numpy(), mw.objective(p_benefit, method).to_numpy(), rtol=1e-12, atol=1e-14
    )


# --- std weights: unit invariance (issue 8, item 12) ----------------------------------------------


def test_std_weights_use_min_max_normalised_columns():
    # Both columns min-max normalise to permutations of [0, 0.5, 1]: equal spread, equal weight
    # (the raw-column std gave [0.001, 0.999]: the column in thousands took all the weight).
    p = DecisionProblem.from_arrays(np.array([[1, 1000], [2, 3000], [3, 2000.0]]), [1, 1])
    assert mw.objective(p, "std").to_numpy() == pytest.approx([0.5, 0.5], abs=1e-12)


@pytest.mark.parametrize("method", ["std", "critic", "entropy"])
def test_objective_weights_do_not_depend_on_units(method):
    rng = np.random.default_rng(12)
    X = rng.random((9, 3)) + 0.5
    Y = X.copy()
    Y[:, 1] *= 1e6  # the same criterion in other units (e.g. US$ instead of US$ millions)
    w1 = mw.objective(DecisionProblem.from_arrays(X, [1, -1, 1]), method).to_numpy()
    w2 = mw.objective(DecisionProblem.from_arrays(Y, [1, -1, 1]), method).to_numpy()
    np.testing.assert_allclose(w1, w2, rtol=1e-9)
