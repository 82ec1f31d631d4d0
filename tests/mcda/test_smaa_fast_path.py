"""SMAA's fast path (issue 12 item 1) gives exactly what the plain path gives, for every registered method.

The plain path is written out here: each sampled weight vector scored by the single call
``method.scores(problem, w)`` and ranked on its own (scores equal to 12 decimals tie; ``min``:
tied alternatives share the better rank, ``first``: ties broken by the problem's order). The
acceptability must be the same integer counts, the central weights the same means to 1e-12, for
every method in the registry, with ties present, over several chunks; the same seed must give
identical output; and the chunks an executor runs (:func:`smaa_chunk`) must add up to :func:`smaa`.
"""

from __future__ import annotations

import numpy as np
import pytest

import mcda.robustness_smaa as rs
from mcda.methods import METHODS, get_method
from mcda.problem import DecisionProblem
from mcda.robustness import UniformSimplex, smaa
from mcda.robustness_batch import BatchScorer
from mcda.robustness_smaa import BLOCK, SMAAChunk, make_rng, smaa_chunk


def _problem() -> DecisionProblem:
    rng = np.random.default_rng(41)
    X = rng.uniform(0.5, 100.0, (9, 4))
    X[6] = X[2]  # two identical alternatives: tied in every sample
    return DecisionProblem.from_arrays(X, [1, -1, 1, -1])


def _plain_ranks(scores: np.ndarray, higher_is_better: bool, ties: str) -> np.ndarray:
    key = np.round(scores, 12)
    if higher_is_better:
        key = -key
    n = len(key)
    if ties == "min":
        return np.array([1 + int((key < key[i]).sum()) for i in range(n)])
    order = sorted(range(n), key=lambda i: (key[i], i))
    ranks = np.empty(n, dtype=int)
    ranks[order] = np.arange(1, n + 1)
    return ranks


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("ties", ["min", "first"])
@pytest.mark.parametrize("name", list(METHODS))
def test_smaa_equals_the_plain_per_sample_path(name, ties, threads, monkeypatch):
    problem = _problem()
    n, m = problem.shape
    method = get_method(name)
    monkeypatch.setattr(rs, "BLOCK", 64)  # several chunks, the last one short
    monkeypatch.setattr(rs, "SUB_BLOCK", 16)  # several slices per chunk, the last one short
    monkeypatch.setattr(rs, "THREADS", threads)  # slices one after another, or side by side
    N = 150
    res = smaa(problem, n_samples=N, seed=5, method=name, ties=ties)
    W = UniformSimplex(problem).draw(N, np.random.default_rng(5))  # the same draws, in one block
    counts = np.zeros((n, n), dtype=int)
    cw = np.zeros((n, m))
    for w in W:
        r = _plain_ranks(method.scores(problem, w), method.higher_is_better, ties)
        counts[np.arange(n), r - 1] += 1
        cw[r == 1] += w
    assert np.array_equal(np.rint(res.acceptability.to_numpy() * N).astype(int), counts)
    first = counts[:, 0]
    expected = np.where(first[:, None] > 0, cw / np.maximum(first, 1)[:, None], np.nan)
    np.testing.assert_allclose(res.central_weights.to_numpy(), expected, rtol=0, atol=1e-12)
    again = smaa(problem, n_samples=N, seed=5, method=name, ties=ties)
    assert res.acceptability.equals(again.acceptability) and res.central_weights.equals(again.central_weights)
    assert res.confidence.equals(again.confidence)


def test_chunks_run_one_by_one_add_up_to_smaa():
    problem = _problem()
    n, m = problem.shape
    N = BLOCK + 333
    res = smaa(problem, n_samples=N, seed=9)
    scorer = BatchScorer(problem, "topsis")
    sampler = UniformSimplex(problem)
    rng = make_rng(9)
    total = SMAAChunk.zeros(n, m)
    for k in (BLOCK, 333):  # smaa's own chunking: one generator, chunks in order
        total.add(smaa_chunk(scorer, sampler, rng, k))
    assert np.array_equal(total.counts.reshape(n, n) / N, res.acceptability.to_numpy())
    cw = total.cw_sum / np.maximum(total.first_count, 1)[:, None]
    have = total.first_count > 0
    assert np.array_equal(cw[have], res.central_weights.to_numpy()[have])


def test_slices_on_many_threads_give_the_same_bits_as_one_thread(monkeypatch):
    """Counts are whole numbers and the first-place pairs go back in slice order: threads change no bit."""
    problem = _problem()
    monkeypatch.setattr(rs, "SUB_BLOCK", 32)
    out = []
    for threads in (1, 2, 4):
        monkeypatch.setattr(rs, "THREADS", threads)
        assert rs.threads() == threads and (rs._pool() is None) == (threads == 1)
        res = smaa(problem, n_samples=1_000, seed=11, ties="first")
        out.append([getattr(res, f).to_numpy().tobytes() for f in ("acceptability", "central_weights", "confidence")])
    assert out[0] == out[1] == out[2]
