"""One weight validator (mcda.weight_check): every place that accepts weights gives the same message.

Issue 9: weight validation was written six times (mcda/weights.py, the methods'
prepare_weights, robustness_batch.validate_weight_matrix, the SMAA samplers, the criteria-file
reader, AHP synthesis) with diverging messages. Each entry point below is fed the same bad
weights and must raise the same message; where differs only in naming the file line or the
weight row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mcda import weights as mw
from mcda.ahp import AHPMethod, synthesise
from mcda.errors import InputError
from mcda.io import read_criteria
from mcda.methods import get_method
from mcda.problem import DecisionProblem
from mcda.robustness import AroundWeights, FixedWeights, batch_scores, weight_sweep
from mcda.weight_check import normalise_weights, weight_matrix, weight_value, weight_vector

CIDS = ["a", "b", "c"]


@pytest.fixture(scope="module")
def problem():
    X = np.array([[1.0, 10.0, 3.0], [2.0, 30.0, 1.0], [3.0, 20.0, 2.0]])
    return DecisionProblem.from_arrays(X, [1, -1, 1], alternatives=["A", "B", "C"], criterion_ids=CIDS)


def _vector_entry_points(problem):
    """Every place that takes one weight vector (by position), as callables."""
    local = pd.DataFrame(problem.values, index=problem.alternatives, columns=CIDS)
    return {
        "weights.direct": lambda w: mw.direct(dict(zip(CIDS, w, strict=False)), CIDS),
        "weights.as_array": lambda w: mw.as_array(np.asarray(w, dtype=object), problem),
        "method.scores": lambda w: get_method("topsis").scores(problem, w),
        "method.rank": lambda w: get_method("vikor").rank(problem, pd.Series(w, index=CIDS)),
        "sampler.AroundWeights": lambda w: AroundWeights(problem, w, 10),
        "sampler.FixedWeights": lambda w: FixedWeights(CIDS, dict(zip(CIDS, w, strict=False))),
        "weight_sweep": lambda w: weight_sweep(problem, w, points=3),
        "ahp.synthesise": lambda w: synthesise(local, dict(zip(CIDS, w, strict=False))),
    }


def _matrix_entry_points(problem):
    """Every place that takes a block of weight vectors (rows = samples)."""
    return {
        "batch_scores": lambda W: batch_scores(problem, W, method="wsm"),
        "AHPMethod.scores_many": lambda W: AHPMethod().scores_many(problem, W),
        "weight_matrix": lambda W: weight_matrix(W, CIDS),
    }


BAD = [  # weights, message, criterion named in where (None: none)
    ([1, -1, 2], "weight -1 is negative", "b"),
    ([1, "x", 2], "weight 'x' is not a number", "b"),
    ([1, 2, np.nan], "weight is missing or not finite", "c"),
    ([1, np.inf, 2], "weight is missing or not finite", "b"),
    ([0, 0, 0], "all weights are zero", None),
]


@pytest.mark.parametrize("weights,message,criterion", BAD, ids=[b[1] for b in BAD])
def test_every_vector_entry_point_gives_the_same_message(problem, weights, message, criterion):
    for label, call in _vector_entry_points(problem).items():
        with pytest.raises(InputError) as e:
            call(list(weights))
        assert e.value.message == message, label
        assert e.value.where == ("weights" if criterion is None else f"weights, criterion {criterion}"), label


@pytest.mark.parametrize("weights,message,criterion", BAD, ids=[b[1] for b in BAD])
def test_every_matrix_entry_point_gives_the_same_message_with_the_row(problem, weights, message, criterion):
    W = np.array([[1, 1, 1], weights], dtype=object)
    for label, call in _matrix_entry_points(problem).items():
        with pytest.raises(InputError) as e:
            call(W)
        assert e.value.message == f"weight vector #2: {message}", label
        assert e.value.where == ("weights" if criterion is None else f"weights, criterion {criterion}"), label


def test_wrong_length_same_message_for_vectors_and_matrices(problem):
    msg = "expected 3 weights (one per criterion: weight vectors of length 3), got shape "
    for label, call in {
        "method.scores": lambda: get_method("wsm").scores(problem, [1, 2]),
        "weights.as_array": lambda: mw.as_array(np.array([1.0, 2.0]), problem),
        "AroundWeights": lambda: AroundWeights(problem, [1, 2, 3, 4], 5),
        "batch_scores": lambda: batch_scores(problem, np.ones((4, 2))),
        "scores_many": lambda: AHPMethod().scores_many(problem, np.ones((4, 5))),
    }.items():
        with pytest.raises(InputError) as e:
            call()
        assert e.value.message.startswith(msg), (label, e.value.message)


def test_names_that_do_not_match_the_criteria(problem):
    for _label, call in {
        "direct": lambda w: mw.direct(w, CIDS),
        "method.scores": lambda w: get_method("edas").scores(problem, w),
        "Series": lambda w: get_method("edas").scores(problem, pd.Series(w)),
        "AroundWeights": lambda w: AroundWeights(problem, w, 5),
        "synthesise": lambda w: synthesise(pd.DataFrame(problem.values, columns=CIDS), w),
    }.items():
        with pytest.raises(InputError, match="weight given for unknown criterion: z"):
            call({"a": 1, "b": 1, "c": 1, "z": 1})
        with pytest.raises(InputError, match="no weight for criterion: c"):
            call({"a": 1, "b": 1})


def test_criteria_file_uses_the_same_messages(tmp_path):
    cases = [
        ("1", "-1", "weight -1 is negative"),
        ("1", "x", "weight 'x' is not a number"),
        ("1", "inf", "weight is missing or not finite"),
        ("1", "", "weight is missing or not finite"),
        ("0", "0", "all weights are zero"),
    ]
    for w1, w2, message in cases:
        f = tmp_path / "c.csv"
        f.write_text(f"criterion,direction,weight\nprice,cost,{w1}\nquality,benefit,{w2}\n")
        with pytest.raises(InputError) as e:
            read_criteria(f)
        assert e.value.message == message
        assert e.value.where == (f"{f}, column weight" if message.startswith("all") else f"{f}, line 3, column weight")


def test_normalisation_is_one_rule_everywhere(problem):
    """Scaled by the largest weight, then by the sum: huge weights do not overflow, -0.0 shows as 0."""
    w = np.array([1e308, 1e308, -0.0])
    want = np.array([0.5, 0.5, 0.0])
    np.testing.assert_array_equal(weight_vector(w, 3), want)
    assert not np.signbit(weight_vector(w, 3)).any()
    np.testing.assert_array_equal(weight_matrix(np.vstack([w, w]), 3), np.vstack([want, want]))
    np.testing.assert_array_equal(mw.direct(dict(zip(CIDS, w, strict=False)), CIDS).to_numpy(), want)
    np.testing.assert_array_equal(AroundWeights(problem, w, 0).weights, want)
    np.testing.assert_array_equal(normalise_weights(np.array([1.0, 3.0])), [0.25, 0.75])
    assert weight_value("2.5") == 2.5 and not np.signbit(weight_value(-0.0))
