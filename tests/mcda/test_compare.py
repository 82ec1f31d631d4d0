"""compare_methods: ranks side by side and rank correlations (Spearman, weighted Spearman, WS)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mcda.compare import compare_methods, rank_correlations
from mcda.errors import InputError
from mcda.methods import TOPSIS, RankingMethod
from mcda.problem import DecisionProblem


@pytest.fixture
def problem():
    rng = np.random.default_rng(7)
    X = rng.uniform(10, 100, (12, 4))
    return DecisionProblem.from_arrays(X, [1, -1, 1, 1], alternatives=[f"K{i:02d}" for i in range(12)])


W = np.array([0.4, 0.3, 0.2, 0.1])


class ReversedTOPSIS(RankingMethod):
    """TOPSIS scores with the sign flipped: the exact reverse ranking (test helper)."""

    name = "reversed"

    def _compute(self, X, types, w, cids):
        res = TOPSIS()._compute(X, types, w, cids)
        return {"score": -res["score"], "contrib": -res["contrib"]}


def test_identical_methods_correlate_perfectly(problem):
    ranks, corr = compare_methods(problem, W, ["topsis", TOPSIS("vector")])
    assert list(ranks.columns) == ["topsis(normalization=vector)", "topsis(normalization=vector)#2"]
    assert ranks.index.name == "alternative" and list(ranks.index) == problem.alternatives
    for name in ("spearman", "weighted_spearman", "ws"):
        np.testing.assert_allclose(corr[name].to_numpy(), 1.0)


def test_reversed_ranking_gives_minus_one_spearman(problem):
    ranks, corr = compare_methods(problem, W, ["topsis", ReversedTOPSIS()])
    np.testing.assert_array_equal(ranks["reversed"], len(ranks) + 1 - ranks["topsis"])
    assert corr["spearman"].loc["topsis", "reversed"] == pytest.approx(-1.0)
    assert corr["weighted_spearman"].loc["topsis", "reversed"] == pytest.approx(-1.0)
    assert corr["ws"].loc["topsis", "reversed"] < 0.5


def test_vikor_lower_is_better_is_compared_by_rank():
    # One criterion: every sensible method orders the alternatives by its value. VIKOR's Q falls
    # as the value rises, so comparing raw scores would give -1; comparing ranks must give +1.
    p = DecisionProblem.from_arrays(np.array([[3.0], [1.0], [4.0], [2.0], [5.0]]), [1])
    ranks, corr = compare_methods(p, [1.0], ["topsis", "vikor", "spotis", "promethee2", "wsm"])
    assert list(ranks["vikor"]) == [3, 5, 2, 4, 1]
    assert (ranks.nunique(axis=1) == 1).all()
    np.testing.assert_allclose(corr["spearman"].to_numpy(), 1.0)


def test_distinct_labels_for_same_method_with_options(problem):
    ranks, _ = compare_methods(
        problem, W, [("topsis", {"normalization": "vector"}), ("topsis", {"normalization": "minmax"}), "vikor"]
    )
    assert list(ranks.columns) == ["topsis(normalization=vector)", "topsis(normalization=minmax)", "vikor"]


def test_spearman_by_hand():
    # x = (1,2,3,4), y = (1,3,2,4): d^2 = 0,1,1,0 -> rho = 1 - 6*2/(4*15) = 0.8
    corr = rank_correlations(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4]}))
    assert corr["spearman"].loc["a", "b"] == pytest.approx(0.8)
    # WS (Salabun & Urbaniak 2020) with reference x: 1 - sum 2^-x_i |x_i - y_i| / max(|x_i - 1|, |x_i - N|)
    #   = 1 - (2^-2 * 1/2 + 2^-3 * 1/2) = 1 - (0.125 + 0.0625) = 0.8125
    assert corr["ws"].loc["a", "b"] == pytest.approx(0.8125)


def test_bad_method_is_an_input_error(problem):
    with pytest.raises(InputError, match="unknown method"):
        compare_methods(problem, W, ["topsis", "nope"])
    with pytest.raises(InputError):
        compare_methods(problem, W, [])


def test_weighted_spearman_and_ws_equal_pymcdm_on_random_rankings_with_ties():
    """r_w and WS are pymcdm's formulas written out (pymcdm's import costs ~0.7 s): the same numbers, to the
    last bit, on random rankings (average ranks with ties, as compare_methods passes them) of 2..40 items."""
    from pymcdm import correlations as pc
    from scipy.stats import rankdata

    from mcda.compare import weighted_spearman, ws

    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(2, 41))
        x = rankdata(rng.integers(0, max(2, n // 2), n))
        y = rankdata(rng.integers(0, n, n))
        assert weighted_spearman(x, y) == pc.weighted_spearman(x, y)
        assert ws(x, y) == pc.ws(x, y)
        assert ws(x, x) == 1.0 and weighted_spearman(x, x) == 1.0


def test_rank_correlations_do_not_import_pymcdm():
    """The app's Ranking page compares methods on its first visit: no matplotlib import on that path."""
    import subprocess
    import sys

    code = (
        "import sys, pandas as pd; from mcda.compare import rank_correlations; "
        "rank_correlations(pd.DataFrame({'a': [1.0, 2.0, 3.0], 'b': [2.0, 1.0, 3.0]})); "
        "print('pymcdm' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
