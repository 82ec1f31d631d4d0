"""Weight samplers (mcda.robustness_sampling): on the simplex, inside intervals / order, seeded, bad input."""

import numpy as np
import pandas as pd
import pytest

from mcda.errors import InputError
from mcda.robustness import AroundWeights, FixedWeights, IntervalWeights, OrdinalWeights, UniformSimplex, make_sampler

CIDS = ["a", "b", "c", "d", "e"]
BASE = np.array([0.4, 0.25, 0.2, 0.1, 0.05])


def on_simplex(W):
    return (W >= 0).all() and np.allclose(W.sum(axis=1), 1.0, atol=1e-12)


def draw(sampler, n=20_000, seed=3):
    return sampler.draw(n, np.random.default_rng(seed))


def test_uniform_is_on_simplex_with_dirichlet1_marginals():
    W = draw(UniformSimplex(CIDS))
    assert W.shape == (20_000, 5) and on_simplex(W)
    m = len(CIDS)
    # Dirichlet(1,...,1): P(w_j > x) = (1 - x)^(m-1); mean 1/m
    for x in (0.1, 0.3, 0.5):
        p = (1 - x) ** (m - 1)
        se = np.sqrt(p * (1 - p) / len(W))
        assert np.all(np.abs((x < W).mean(axis=0) - p) < 5 * se)
    assert np.allclose(W.mean(axis=0), 1 / m, atol=5 * np.sqrt((m - 1) / (m * m * (m + 1)) / len(W)))


def test_same_seed_same_draws_different_seed_different():
    for s in (
        UniformSimplex(CIDS),
        AroundWeights(CIDS, BASE, 30),
        OrdinalWeights(CIDS, CIDS[::-1]),
        IntervalWeights(CIDS, [0.1] * 5, [0.4] * 5),
    ):
        np.testing.assert_array_equal(draw(s, 500, 1), draw(s, 500, 1))
        assert not np.array_equal(draw(s, 500, 1), draw(s, 500, 2))


def test_spread_keeps_each_weight_within_p_percent_before_rescaling():
    p = 0.3
    W = draw(AroundWeights(CIDS, BASE * 7, 30))  # entered weights on any scale
    assert on_simplex(W)
    # the factors f_j = W_j / base_j are a common multiple of factors in [1-p, 1+p]:
    F = W / BASE
    ratio = F.max(axis=1) / F.min(axis=1)
    assert ratio.max() <= (1 + p) / (1 - p) + 1e-12
    assert ratio.max() > ((1 + p) / (1 - p)) * 0.9  # and the range is used
    np.testing.assert_allclose(W.mean(axis=0), BASE, atol=0.01)


def test_zero_spread_is_the_planners_weights_and_zero_weight_stays_zero():
    W = draw(AroundWeights(CIDS, BASE, 0), 50)
    np.testing.assert_allclose(W, np.tile(BASE, (50, 1)), rtol=0, atol=1e-15)
    base0 = np.array([0.5, 0.5, 0, 0, 0])
    W = draw(AroundWeights(CIDS, base0, 100), 1000)
    assert on_simplex(W) and (W[:, 2:] == 0).all()
    np.testing.assert_array_equal(draw(FixedWeights(CIDS, BASE), 5), np.tile(BASE, (5, 1)))


def test_spread_accepts_mapping_by_criterion_id():
    s = AroundWeights(CIDS, pd.Series(dict(zip(CIDS[::-1], BASE[::-1], strict=False))), 10)
    np.testing.assert_allclose(s.weights, BASE)


@pytest.mark.parametrize("bad", [-1, 100.5, float("nan"), "x"])
def test_bad_spread_raises(bad):
    with pytest.raises(InputError):
        AroundWeights(CIDS, BASE, bad)


def test_ordinal_respects_the_order_and_is_uniform_on_that_cone():
    order = ["c", "a", "e", "b", "d"]
    W = draw(OrdinalWeights(CIDS, order))
    assert on_simplex(W)
    ordered = W[:, [CIDS.index(c) for c in order]]
    assert (np.diff(ordered, axis=1) <= 0).all()
    # uniform on {w1 >= ... >= wm}: mean of the r-th largest is (1/m) sum_{k=r..m} 1/k
    m = 5
    expect = [sum(1 / k for k in range(r, m + 1)) / m for r in range(1, m + 1)]
    np.testing.assert_allclose(ordered.mean(axis=0), expect, atol=0.005)


def test_ordinal_bad_order():
    with pytest.raises(InputError, match="leaves out"):
        OrdinalWeights(CIDS, ["a", "b"])
    with pytest.raises(InputError, match="unknown"):
        OrdinalWeights(CIDS, CIDS[:-1] + ["z"])
    with pytest.raises(InputError, match="twice"):
        OrdinalWeights(CIDS, CIDS + ["a"])


@pytest.mark.parametrize(
    "lo,hi",
    [
        ([0.1] * 5, [0.4] * 5),  # wide: shifted-simplex proposal wins
        ([0.3, 0.2, 0.1, 0.0, 0.0], [0.5, 0.3, 0.3, 0.2, 0.1]),
        ([0.18, 0.18, 0.18, 0.18, 0.18], [0.22] * 5),  # narrow box: box proposal wins
        ([0.0] * 5, [1.0] * 5),  # no constraint at all
    ],
)
def test_intervals_stay_inside_and_on_simplex(lo, hi):
    s = IntervalWeights(CIDS, lo, hi)
    W = draw(s, 5000)
    assert W.shape == (5000, 5) and on_simplex(W)
    assert (np.array(lo) - 1e-12 <= W).all() and (np.array(hi) + 1e-12 >= W).all()


def test_the_two_interval_proposals_give_the_same_distribution():
    lo, hi = [0.3, 0.2, 0.1, 0.0, 0.0], [0.5, 0.3, 0.3, 0.2, 0.1]
    rng = np.random.default_rng(0)
    s = IntervalWeights(CIDS, lo, hi)
    a = np.concatenate([s._propose("shifted", 50_000, rng) for _ in range(4)])
    b = np.concatenate([s._propose("box", 50_000, rng) for _ in range(4)])
    se = np.sqrt(a.var(axis=0) / len(a) + b.var(axis=0) / len(b))
    assert (np.abs(a.mean(axis=0) - b.mean(axis=0)) < 5 * se + 1e-12).all()


def test_intervals_tighten_and_fixed_point():
    s = IntervalWeights(["x", "y"], [0.3, 0.0], [1.0, 0.5])  # y <= 0.5 forces x >= 0.5
    assert s.lower[0] == pytest.approx(0.5)
    W = draw(s, 2000)
    assert (W[:, 0] >= 0.5 - 1e-12).all()
    W = draw(IntervalWeights(["x", "y"], [0.3, 0.7], [0.3, 0.7]), 10)
    np.testing.assert_allclose(W, np.tile([0.3, 0.7], (10, 1)))


@pytest.mark.parametrize(
    "lo,hi,msg",
    [
        ([0.3] * 5, [0.5] * 5, "lower bounds sum"),
        ([0.0] * 5, [0.1] * 5, "upper bounds sum"),
        ([0.5, 0, 0, 0, 0], [0.4, 1, 1, 1, 1], "lower <= upper"),
        ([-0.1, 0, 0, 0, 0], [1] * 5, "within"),
    ],
)
def test_bad_intervals(lo, hi, msg):
    with pytest.raises(InputError, match=msg):
        IntervalWeights(CIDS, lo, hi)


def test_make_sampler_and_bad_kinds():
    assert isinstance(make_sampler(CIDS), UniformSimplex)
    assert isinstance(make_sampler(CIDS, "spread", weights=BASE, spread=10), AroundWeights)
    assert isinstance(make_sampler(CIDS, "ordinal", order=CIDS), OrdinalWeights)
    with pytest.raises(InputError):
        make_sampler(CIDS, "spread", weights=BASE)
    with pytest.raises(InputError):
        make_sampler(CIDS, "gaussian")
    with pytest.raises(InputError, match="unknown criterion"):
        AroundWeights(CIDS, {"a": 1, "zz": 2}, 5)
    with pytest.raises(InputError, match="negative"):
        AroundWeights(CIDS, [-1, 1, 1, 1, 1], 5)


def test_uniform_simplex_in_parts_is_the_same_draw_and_leaves_the_same_generator():
    """SMAA draws the next part while the last one is scored: the parts must be draw(n)'s rows, bit for bit,
    and the generator must end where draw(n) leaves it (the next block's samples depend on it)."""
    for sampler in (UniformSimplex(["a", "b", "c", "d", "e"]), AroundWeights(["a", "b", "c"], [1, 2, 3], 30)):
        for n, size in ((10_000, 2_048), (7, 3), (5, 5), (1, 4)):
            r1, r2 = np.random.default_rng(n), np.random.default_rng(n)
            whole = sampler.draw(n, r1)
            parts = list(sampler.draw_parts(n, r2, size))
            assert [p.shape[0] for p in parts] == [min(size, n - a) for a in range(0, n, size)]
            assert np.concatenate(parts).tobytes() == whole.tobytes()
            assert r1.bit_generator.state == r2.bit_generator.state
