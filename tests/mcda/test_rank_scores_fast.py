"""rank_scores' one-sort route gives the ranks of the sort-and-search rule it replaced (issue 12 item 2).

The plain rule: rank = 1 + the number of keys strictly before (``np.searchsorted(sorted, key, "left")``),
keys rounded to 12 decimals and negated when higher is better. Compared on random vectors full of ties,
NaN and infinities (which must never reach a ranking, but the rule still has an answer for them).
"""

from __future__ import annotations

import numpy as np

from mcda.methods.base import rank_scores


def searchsorted_ranks(scores: np.ndarray, higher_is_better: bool) -> np.ndarray:
    key = np.round(np.asarray(scores, dtype=float), 12)
    if higher_is_better:
        key = -key
    return np.searchsorted(np.sort(key), key, side="left") + 1


def test_one_sort_ranks_equal_the_searchsorted_ranks() -> None:
    rng = np.random.default_rng(0)
    for _ in range(2000):
        n = int(rng.integers(1, 60))
        x = rng.integers(0, 5, n).astype(float) / rng.integers(1, 4)
        x[rng.random(n) < 0.1] = -0.0
        if rng.random() < 0.3:
            x[rng.random(n) < 0.2] = np.nan
        if rng.random() < 0.2:
            x[rng.random(n) < 0.2] = np.inf
        if rng.random() < 0.2:
            x[rng.random(n) < 0.2] = -np.inf
        for hib in (True, False):
            got, want = rank_scores(x, hib), searchsorted_ranks(x, hib)
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)


def test_round_off_ties_and_large_vectors() -> None:
    rng = np.random.default_rng(1)
    x = rng.random(100_000)
    x[::7] = x[1::7][: len(x[::7])] + 1e-14  # equal to 12 decimals: tie
    for hib in (True, False):
        np.testing.assert_array_equal(rank_scores(x, hib), searchsorted_ranks(x, hib))
    assert rank_scores(np.array([]), True).size == 0
