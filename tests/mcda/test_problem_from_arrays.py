"""DecisionProblem.from_arrays builds a clean matrix on numpy (issue 12: construction cheap for the library,
the property tests and SMAA) and gives exactly the constructor's problem; bad input still gets the
constructor's own error (same message, naming the row and column)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mcda.problem as mp
from mcda.errors import InputError
from mcda.problem import DecisionProblem


def _by_constructor(X, types, alts=None, cids=None):
    n, m = X.shape
    alts = [f"A{i + 1}" for i in range(n)] if alts is None else alts
    cids = [f"C{j + 1}" for j in range(m)] if cids is None else cids
    crit = {c: ("benefit" if t == 1 else "cost") for c, t in zip(cids, types, strict=True)}
    return DecisionProblem(pd.DataFrame(X, index=pd.Index(alts), columns=cids), crit)


def _same(a: DecisionProblem, b: DecisionProblem) -> None:
    kw = {"check_exact": True, "check_index_type": True, "check_column_type": True}
    pd.testing.assert_frame_equal(a.matrix, b.matrix, **kw)
    pd.testing.assert_frame_equal(a.criteria, b.criteria, **kw)
    pd.testing.assert_frame_equal(a.missing_report.missing_cells, b.missing_report.missing_cells, **kw)
    assert a.missing_report.lines() == b.missing_report.lines()
    assert np.array_equal(a.values, b.values) and a.values.dtype == b.values.dtype
    assert np.array_equal(a.types, b.types) and a.types.dtype == b.types.dtype
    assert a.alternatives == b.alternatives and a.criterion_ids == b.criterion_ids
    assert a.criteria["direction"].dtype == b.criteria["direction"].dtype


@pytest.mark.parametrize("seed", range(6))
def test_from_arrays_equals_the_constructor(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 15)), int(rng.integers(1, 7))
    X = rng.uniform(-50, 100, (n, m))
    types = rng.choice([1, -1], m)
    alts = [f" id{i} " for i in range(n)] if seed % 2 else None  # ids are stripped
    cids = [f"k{j}" for j in range(m)] if seed % 3 else None
    a = DecisionProblem.from_arrays(X, types, alts, cids)
    _same(a, _by_constructor(X, types, alts, cids))
    before = a.values.copy()
    X += 1.0
    assert np.array_equal(a.values, before)  # the problem owns a copy of the caller's array


def test_clean_arrays_skip_the_pandas_route(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("column-by-column pandas conversion used for a clean numpy matrix")

    monkeypatch.setattr(mp, "_to_float_frame", boom)
    p = DecisionProblem.from_arrays(np.arange(12.0).reshape(4, 3), [1, -1, 1])
    assert p.shape == (4, 3)


BAD = [
    ("nan", lambda X: X.__setitem__((1, 2), np.nan), None),
    ("inf", lambda X: X.__setitem__((2, 0), np.inf), None),
    ("huge", lambda X: X.__setitem__((0, 1), 1e200), None),
    ("constant", lambda X: X.__setitem__((slice(None), 1), 3.0), None),
    ("duplicate id", None, ["a", "b", "a", "c"]),
    ("blank id", None, ["a", " ", "b", "c"]),
]


@pytest.mark.parametrize("case,change,alts", BAD, ids=[b[0] for b in BAD])
def test_bad_arrays_get_the_constructors_error(case, change, alts):
    X = np.arange(12.0).reshape(4, 3) + np.array([0.0, 1.5, 7.0])
    if change is not None:
        change(X)
    with pytest.raises(InputError) as fast:
        DecisionProblem.from_arrays(X, [1, -1, 1], alternatives=alts)
    with pytest.raises(InputError) as slow:
        _by_constructor(X, [1, -1, 1], alts)
    assert str(fast.value) == str(slow.value)
