"""Batched scoring (mcda.robustness_batch): equals the single-call methods to 1e-12; ranks; bad input."""

import numpy as np
import pytest

import mcda.robustness_batch as rb
from mcda.errors import InputError
from mcda.methods import get_method
from mcda.problem import DecisionProblem
from mcda.robustness import BatchScorer, batch_ranks, batch_scores, ranks_from_scores


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(7)
    X = rng.uniform(0.5, 100.0, (33, 15))
    types = np.where(rng.random(15) < 0.4, -1, 1)
    return DecisionProblem.from_arrays(X, types)


@pytest.fixture(scope="module")
def weights(problem):
    rng = np.random.default_rng(11)
    W = rng.dirichlet(np.ones(problem.shape[1]), 300)
    W[0, :5] = 0.0  # some zero weights
    W[1] = 0.0
    W[1, 3] = 1.0  # all weight on one criterion
    W[2] *= 17.0  # not normalised: batch must normalise like the single call
    return W


CASES = [
    ("topsis", {"normalization": "vector"}),
    ("topsis", {"normalization": "minmax"}),
    ("wsm", {}),
    ("wsm", {"normalization": "vector"}),
    ("wsm", {"normalization": "max"}),
    ("wsm", {"normalization": "sum"}),
    ("promethee2", {}),
    ("promethee2", {"preference": "linear", "p": 30.0, "q": 5.0}),
    ("vikor", {}),
    ("vikor", {"v": 0.2}),
]


@pytest.mark.parametrize("name,opts", CASES)
def test_batched_scores_equal_single_call_scores(problem, weights, name, opts):
    method = get_method(name, **opts)
    single = np.array([method.scores(problem, w) for w in weights])
    batched = BatchScorer(problem, method).scores(weights)
    assert batched.shape == (len(weights), problem.shape[0])
    np.testing.assert_allclose(batched, single, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name,opts", CASES[:4])
def test_batch_scores_by_name_equals_method_object(problem, weights, name, opts):
    by_name = batch_scores(problem, weights, method=name, **opts)
    ref = np.array([get_method(name, **opts).scores(problem, w) for w in weights])
    np.testing.assert_allclose(by_name, ref, rtol=0, atol=1e-12)


def test_chunking_does_not_change_scores(problem, weights):
    whole = batch_scores(problem, weights, chunk_size=10_000)
    chunked = batch_scores(problem, weights, chunk_size=7)
    np.testing.assert_allclose(whole, chunked, rtol=0, atol=1e-14)  # BLAS blocking may change the last bit


def test_one_vector_gives_one_row(problem, weights):
    s = batch_scores(problem, weights[5])
    np.testing.assert_allclose(s[0], get_method("topsis").scores(problem, weights[5]), atol=1e-12)


@pytest.mark.parametrize("name,opts", [("topsis", {}), ("vikor", {}), ("wsm", {})])
def test_batch_ranks_equal_rank_table(problem, weights, name, opts):
    method = get_method(name, **opts)
    R = batch_ranks(problem, weights[:40], method=name, **opts)
    for w, r in zip(weights[:40], R, strict=False):
        table = method.rank(problem, w).set_index("alternative")["rank"]
        np.testing.assert_array_equal(r, table.reindex(problem.alternatives).to_numpy())


def test_every_method_is_batched_now(problem, weights):
    # Issue 9: SMAA used to lack a batched form for EDAS (BatchScorer raised "no batched form"
    # unless allow_loop=True); every registered method is batched now, allow_loop is ignored.
    for kw in ({}, {"allow_loop": True}):
        sc = BatchScorer(problem, "edas", **kw)
        ref = np.array([get_method("edas").scores(problem, w) for w in weights[:5]])
        np.testing.assert_allclose(sc.scores(weights[:5]), ref, atol=1e-12)


def test_unknown_method_and_bad_weights_raise_input_error(problem):
    m = problem.shape[1]
    with pytest.raises(InputError):
        batch_scores(problem, np.full((2, m), 1 / m), method="nosuch")
    with pytest.raises(InputError, match="negative"):
        batch_scores(problem, np.r_[-0.1, np.full(m - 1, 1.1 / (m - 1))])
    with pytest.raises(InputError, match="all-zero"):
        batch_scores(problem, np.zeros((3, m)))
    with pytest.raises(InputError, match="length"):
        batch_scores(problem, np.ones((3, m + 1)))
    with pytest.raises(InputError):
        batch_scores(problem, np.full((2, m), np.nan))
    with pytest.raises(InputError):
        BatchScorer(problem, "topsis", normalization="sum")
    with pytest.raises(InputError):
        BatchScorer(problem, "topsis", chunk_size=0)


def test_rank_ties_min_and_first():
    S = np.array([[0.5, 0.7, 0.5, 0.1], [0.2, 0.2, 0.2, 0.2]])
    np.testing.assert_array_equal(ranks_from_scores(S), [[2, 1, 2, 4], [1, 1, 1, 1]])
    np.testing.assert_array_equal(ranks_from_scores(S, ties="first"), [[2, 1, 3, 4], [1, 2, 3, 4]])
    np.testing.assert_array_equal(ranks_from_scores(S, higher_is_better=False), [[2, 4, 2, 1], [1, 1, 1, 1]])
    # equal to 12 decimals counts as a tie
    np.testing.assert_array_equal(ranks_from_scores(np.array([0.3, 0.3 + 1e-14, 0.1])), [1, 1, 3])
    with pytest.raises(InputError):
        ranks_from_scores(S, ties="dense")


@pytest.mark.parametrize("n", [2, 9, 40, 150])
@pytest.mark.parametrize("ties", ["min", "first"])
@pytest.mark.parametrize("higher", [True, False])
def test_counting_and_argsort_rank_paths_agree(monkeypatch, n, ties, higher):
    rng = np.random.default_rng(n)
    S = rng.integers(0, 6, (300, n)) / 7.0  # many ties
    fast = ranks_from_scores(S, higher, ties)
    monkeypatch.setattr(rb, "COUNTING_MAX_N", 0)
    slow = ranks_from_scores(S, higher, ties)
    np.testing.assert_array_equal(fast, slow)
    if ties == "first":  # every row is a permutation of 1..n
        np.testing.assert_array_equal(np.sort(fast, axis=1), np.tile(np.arange(1, n + 1), (300, 1)))


@pytest.mark.parametrize("ties", ["min", "first"])
@pytest.mark.parametrize("higher", [True, False])
def test_float32_counting_pass_falls_back_where_float32_merges_keys(monkeypatch, ties, higher):
    """The counting pass compares float32 copies of the keys; keys that float32 merges (apart by
    1e-10 near 0.5, or beyond float32's range) must be ranked on the float64 keys: the same ranks
    as the argsort path, which never uses float32."""
    rng = np.random.default_rng(7)
    S = rng.random((400, 12))
    S[::3, 4] = S[::3, 7] + 1e-10  # distinct to 12 decimals, one float32 value
    S[1::5, 2] = S[1::5, 9] - 3e-11
    S[2::7, 0] = 1e39 * (1 + S[2::7, 1])  # beyond float32: inf, inf
    S[2::7, 5] = 2e39 * (1 + S[2::7, 1])
    S[3::11, 6] = S[3::11, 8] + 1e-14  # a tie to 12 decimals in both precisions
    assert (S[::3, 4].astype(np.float32) == S[::3, 7].astype(np.float32)).any()
    fast = ranks_from_scores(S, higher, ties)
    monkeypatch.setattr(rb, "COUNTING_MAX_N", 0)
    slow = ranks_from_scores(S, higher, ties)
    np.testing.assert_array_equal(fast, slow)
