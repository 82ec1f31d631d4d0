"""SMAA-2 (mcda.robustness_smaa): acceptability, central weights, confidence, holistic index.

Checked against hand-derived results on a two-criterion weighted-sum case and against an
independent simple loop of single-call scores (never against its own output).
"""

import numpy as np
import pytest

import mcda.robustness_smaa as rs
from mcda.errors import InputError
from mcda.methods import get_method, rank_scores
from mcda.problem import DecisionProblem
from mcda.robustness import AroundWeights, FixedWeights, IntervalWeights, UniformSimplex, smaa


@pytest.fixture(scope="module")
def small():
    # 5 alternatives x 3 criteria (one cost), no alternative dominates all others
    X = np.array([[7.0, 2.0, 30.0], [5.0, 6.0, 20.0], [3.0, 8.0, 35.0], [6.0, 5.0, 45.0], [2.0, 9.0, 15.0]])
    return DecisionProblem.from_arrays(X, [1, 1, -1], alternatives=list("ABCDE"))


def test_rows_sum_to_one_and_columns_too_without_ties(small):
    res = smaa(small, n_samples=5000, seed=1)
    acc = res.acceptability
    assert list(acc.columns) == [f"rank_{r}" for r in range(1, 6)]
    assert list(acc.index) == list("ABCDE")
    np.testing.assert_allclose(acc.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(acc.sum(axis=0), 1.0, atol=1e-12)
    assert ((acc >= 0) & (acc <= 1)).all().all()


def test_two_criteria_weighted_sum_hand_derived():
    # WSM with min-max normalisation: A = (1, 0), B = (0, 1) normalised, so score_A = w1 and
    # score_B = w2 = 1 - w1. With w1 ~ U(0, 1) (uniform on the 1-simplex): b_A^1 = P(w1 > 1/2) = 1/2;
    # central weight of A = E[w | w1 > 1/2] = (3/4, 1/4); A ranks first at (3/4, 1/4): confidence 1.
    p = DecisionProblem.from_arrays(np.array([[10.0, 0.0], [0.0, 10.0]]), [1, 1], alternatives=["A", "B"])
    N = 40_000
    res = smaa(p, n_samples=N, seed=5, method="wsm")
    se = np.sqrt(0.25 / N)
    assert abs(res.acceptability.loc["A", "rank_1"] - 0.5) < 4 * se
    # w1 | w1 > 1/2 is U(1/2, 1): sd 1/sqrt(48); the mean of ~N/2 draws has se sqrt(1/48/(N/2))
    np.testing.assert_allclose(res.central_weights.loc["A"], [0.75, 0.25], atol=4 * np.sqrt(1 / 48 / (N / 2)))
    np.testing.assert_allclose(res.central_weights.loc["B"], [0.25, 0.75], atol=4 * np.sqrt(1 / 48 / (N / 2)))
    assert res.confidence.loc["A"] == 1.0 and res.confidence.loc["B"] == 1.0
    # n = 2: linear meta-weights (1, 0), so holistic = rank-1 acceptability; expected rank = 1 + b^2
    np.testing.assert_allclose(res.holistic, res.acceptability["rank_1"])
    np.testing.assert_allclose(res.expected_rank, 1 + res.acceptability["rank_2"])


def test_dominating_alternative_has_at_least_the_acceptability_of_the_dominated():
    rng = np.random.default_rng(3)
    X = rng.uniform(1, 10, (8, 4))
    X[1] = X[0] * 0.9  # A1 is dominated by A0 on the three benefit criteria ...
    X[1, 3] = X[0, 3] * 1.1  # ... and on the cost criterion
    p = DecisionProblem.from_arrays(X, [1, 1, 1, -1])
    for method in ("topsis", "wsm", "vikor", "promethee2"):
        res = smaa(p, n_samples=4000, seed=2, method=method)
        top = res.acceptability.cumsum(axis=1)
        assert res.acceptability.loc["A1", "rank_1"] >= res.acceptability.loc["A2", "rank_1"]
        assert (top.loc["A1"] >= top.loc["A2"] - 1e-12).all(), method  # every top-k


def test_zero_spread_gives_acceptability_one_at_the_deterministic_rank(small):
    w = np.array([0.5, 0.3, 0.2])
    for method, opts in (("topsis", {}), ("topsis", {"normalization": "minmax"}), ("vikor", {})):
        res = smaa(small, AroundWeights(small, w, 0), n_samples=300, seed=0, method=method, **opts)
        det = get_method(method, **opts).rank(small, w).set_index("alternative")["rank"]
        for a in small.alternatives:
            assert res.acceptability.loc[a, f"rank_{det[a]}"] == 1.0
        res2 = smaa(small, FixedWeights(small, w), n_samples=10, method=method, **opts)
        np.testing.assert_array_equal(res2.acceptability.to_numpy(), res.acceptability.to_numpy())


def _simple_loop(problem, draw, n, method):
    """Independent reference: one single-call score per sampled weight vector."""
    m = get_method(method)
    counts = np.zeros((problem.shape[0],) * 2)
    rng = np.random.default_rng(999)
    for _ in range(n):
        w = draw(rng)
        r = rank_scores(m.scores(problem, w), m.higher_is_better)
        counts[np.arange(len(r)), r - 1] += 1
    return counts / n


@pytest.mark.parametrize("method", ["topsis", "vikor"])
def test_agrees_with_an_independent_simple_loop_within_sampling_error(small, method):
    N1, N2 = 20_000, 4000
    res = smaa(small, UniformSimplex(small), n_samples=N1, seed=4, method=method)
    ref = _simple_loop(small, lambda rng: rng.dirichlet(np.ones(3)), N2, method)
    b = res.acceptability.to_numpy()
    pooled = (b * N1 + ref * N2) / (N1 + N2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / N1 + 1 / N2))
    assert (np.abs(b - ref) <= 4 * se + 1e-9).all()


def test_agrees_with_simple_loop_for_spread_sampling(small):
    w = np.array([0.5, 0.3, 0.2])
    N1, N2 = 20_000, 4000
    res = smaa(small, AroundWeights(small, w, 60), n_samples=N1, seed=8)

    def draw(rng):
        v = w * rng.uniform(0.4, 1.6, 3)
        return v / v.sum()

    ref = _simple_loop(small, draw, N2, "topsis")
    b = res.acceptability.to_numpy()
    pooled = (b * N1 + ref * N2) / (N1 + N2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / N1 + 1 / N2))
    assert (np.abs(b - ref) <= 4 * se + 1e-9).all()


def test_same_seed_identical_numbers_and_blocks(small, monkeypatch):
    a = smaa(small, AroundWeights(small, [1, 1, 1], 40), n_samples=3000, seed=12)
    b = smaa(small, AroundWeights(small, [1, 1, 1], 40), n_samples=3000, seed=12)
    c = smaa(small, AroundWeights(small, [1, 1, 1], 40), n_samples=3000, seed=13)
    assert a.acceptability.equals(b.acceptability)
    assert a.central_weights.equals(b.central_weights)
    assert not a.acceptability.equals(c.acceptability)
    # several blocks (BLOCK lowered): still rows summing to one, and progress reaches 1
    monkeypatch.setattr(rs, "BLOCK", 700)
    seen = []
    d = smaa(small, n_samples=3000, seed=1, progress=lambda f, msg: seen.append(f))
    np.testing.assert_allclose(d.acceptability.sum(axis=1), 1.0)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 5


def test_intervals_sampler_central_weights_inside_box(small):
    lo, hi = [0.2, 0.2, 0.1], [0.6, 0.5, 0.3]
    res = smaa(small, IntervalWeights(small, lo, hi), n_samples=3000, seed=0)
    cw = res.central_weights.dropna()
    assert len(cw) >= 1
    assert ((cw >= np.array(lo) - 1e-12) & (cw <= np.array(hi) + 1e-12)).all().all()  # a mean of points in a convex set


def test_ties_share_the_better_rank():
    X = np.array([[1.0, 2.0], [1.0, 2.0], [2.0, 1.0]])
    p = DecisionProblem.from_arrays(X, [1, 1], alternatives=["A", "A2", "B"])
    res = smaa(p, n_samples=2000, seed=0)
    np.testing.assert_allclose(res.acceptability.loc["A"], res.acceptability.loc["A2"])
    np.testing.assert_allclose(res.acceptability.sum(axis=1), 1.0)
    first = smaa(p, n_samples=2000, seed=0, ties="first")
    assert first.acceptability.loc["A2", "rank_1"] == 0.0  # broken by input order


def test_summary_topk_long_and_errors(small):
    res = smaa(small, n_samples=2000, seed=0)
    s = res.summary(k=2)
    assert {"alternative", "rank_1", "top_2", "holistic", "expected_rank", "confidence", "cw_C1"} <= set(s.columns)
    np.testing.assert_allclose(res.top_k(2), res.acceptability[["rank_1", "rank_2"]].sum(axis=1))
    lg = res.long()
    assert len(lg) == 25 and set(lg.columns) == {"alternative", "rank", "acceptability"}
    assert (res.standard_errors() >= 0).all().all()
    with pytest.raises(InputError):
        res.top_k(0)
    for bad in (0, -5, 2.5, "many"):
        with pytest.raises(InputError):
            smaa(small, n_samples=bad)
    with pytest.raises(InputError):  # (was method="ahp": every registered method is batched now, issue 9)
        smaa(small, n_samples=10, method="nosuch")
    with pytest.raises(InputError):
        smaa(small, n_samples=10, meta_weights=[1, 0])
    with pytest.raises(InputError, match="criteria do not match"):
        smaa(small, UniformSimplex(["x", "y", "z"]), n_samples=10)


def test_shortlist_acceptability_matches_make_shortlist_per_sample(small):
    import pandas as pd

    from mcda.robustness import shortlist_acceptability
    from mcda.shortlist import make_shortlist

    sampler = AroundWeights(small, [0.5, 0.3, 0.2], 80)
    N = 300
    sa = shortlist_acceptability(small, 2, eligible=["A", "B", "C", "E"], sampler=sampler, n_samples=N, seed=6)
    # independent reference: the same weights (same seed, same sampler), one make_shortlist each
    W = sampler.draw(N, np.random.default_rng(6))
    m = get_method("topsis")
    data = pd.DataFrame({"ok": [1, 1, 1, 0, 1]}, index=small.alternatives)
    count = dict.fromkeys(small.alternatives, 0)
    for w in W:
        sl = make_shortlist(
            m.rank(small, w), data, 2, filters=[{"column": "ok", "op": "==", "value": 1, "reason": "x"}]
        )
        for a in sl.loc[sl["status"] == "shortlisted", "alternative"]:
            count[a] += 1
    got = sa.set_index("alternative")["share_shortlisted"]
    for a in small.alternatives:
        assert got[a] == count[a] / N
    assert got["D"] == 0 and got.sum() == pytest.approx(2.0)
    # all eligible: equals SMAA's top-k acceptability when there are no ties
    res = smaa(small, sampler, n_samples=N, seed=6)
    sa_all = shortlist_acceptability(small, 3, sampler=sampler, n_samples=N, seed=6).set_index("alternative")
    np.testing.assert_allclose(sa_all["share_shortlisted"], res.top_k(3))
    with pytest.raises(InputError):
        shortlist_acceptability(small, 5, eligible=["A", "B"])
