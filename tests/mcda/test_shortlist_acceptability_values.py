"""Shortlist acceptability with data uncertainty (issue 10, gap 2): ``shortlist_acceptability(values=...)``
against an independent Monte-Carlo loop (hand-written Hwang & Yoon TOPSIS, the shortlist cut written
out: eligible alternatives by rank, ties by id, the first k), fed the documented seeded stream."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.robustness_sampling import AroundWeights
from mcda.robustness_smaa import shortlist_acceptability
from mcda.robustness_values import value_uncertainty
from tests.mcda.test_robustness_values import BENEFIT, CRIT, IDS, SD, X, hand_topsis_vector, problem, ranks_min, table


def _independent(W: np.ndarray, Z: np.ndarray, eligible: list[str], k: int) -> np.ndarray:
    cells = sorted((IDS.index(a), CRIT.index(c), v) for (a, c), v in SD.items())  # row-major stream order
    counts = np.zeros(len(IDS))
    for s in range(W.shape[0]):
        Xs = X.copy()
        for q, (i, j, sd) in enumerate(cells):
            Xs[i, j] += sd * Z[s, q]
        r = ranks_min(hand_topsis_vector(Xs, W[s], BENEFIT))
        order = sorted((a for a in IDS if a in eligible), key=lambda a: (r[IDS.index(a)], a))
        for a in order[:k]:
            counts[IDS.index(a)] += 1
    return counts / W.shape[0]


def test_same_draws_give_exactly_the_independent_loop():
    p = problem()
    vu = value_uncertainty(p, table())
    sampler = AroundWeights(p, pd.Series([1.0, 2.0, 1.0], index=CRIT), 30)
    n, seed, eligible = 2000, 3, ["A", "B", "C", "E"]
    got = shortlist_acceptability(p, 2, eligible, sampler, n_samples=n, seed=seed, method="topsis", values=vu)
    rng = np.random.default_rng(seed)  # one block: the weights, then the values' normals
    W = sampler.draw(n, rng)
    Z = rng.standard_normal((n, len(SD)))
    np.testing.assert_array_equal(got["share_shortlisted"].to_numpy(), _independent(W, Z, eligible, 2))
    # and the data matter: without values the shares differ
    exact = shortlist_acceptability(p, 2, eligible, sampler, n_samples=n, seed=seed, method="topsis")
    assert np.abs(exact["share_shortlisted"].to_numpy() - got["share_shortlisted"].to_numpy()).max() > 0.02


def test_values_of_another_problem_are_refused():
    from mcda.problem import DecisionProblem

    X2 = X.copy()
    X2[0, 0] += 1  # the same ids and criteria, another value
    q = DecisionProblem(
        pd.DataFrame(X2, index=pd.Index(IDS), columns=CRIT), dict(zip(CRIT, BENEFIT_NAMES, strict=True))
    )
    with pytest.raises(InputError, match="another problem"):
        shortlist_acceptability(problem(), 2, n_samples=10, values=value_uncertainty(q, table()))


BENEFIT_NAMES = ["benefit" if b else "cost" for b in BENEFIT]


def test_the_year_of_the_stated_sd_is_said():
    """Gap 5: the sentence every output uses names the year the stated sd belong to (the shipped WGI table:
    2023); a table without a year column says nothing of years."""
    p = problem()
    years = dict.fromkeys(SD, 2023)
    assert "the sd stated are those of the 2023 values" in value_uncertainty(p, table(year=years)).describe()
    assert "those of the" not in value_uncertainty(p, table()).describe()


def test_shipped_table_years_are_2023():
    from mcda.data import load_uncertainty

    assert set(load_uncertainty()["year"].astype(str)) == {"2023"}
