"""Direct and objective weights: normalised and shown, never silently rescaled; bad weights rejected."""
import numpy as np
import pandas as pd
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
    # E = 1.011404/1.098612 = 0.920620. d = [0.053605, 0.079380] -> w = [0.053605, 0.079380] / 0.132985 = [0.403092, 0.596908]
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
