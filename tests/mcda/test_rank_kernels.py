"""SMAA's compiled kernels (mcda.rank_kernels, issue 12 item 1) give exactly what the numpy path gives.

Ranks are counted on rounded keys (12 decimals) with the rule of ``counted_ranks_t``: rank = 1 + the
number of strictly better keys (+ equal keys listed earlier, for ``first``). The kernels count on float32
copies first and fall back to the float64 keys when the float32 ranks are not a permutation; the cases
that exercise that fallback are built here on purpose: keys equal after rounding, keys 1e-10 apart
(one float32, two float64 keys), keys beyond float32's range, whole rows of equal keys. Each is checked
against the numpy path (``_count_ranks``) and against a per-sample reference written out here; whole SMAA
runs are compared bit for bit with FULCRUM_JIT=0 (the numpy path) for every registered method.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mcda.rank_kernels as rk
import mcda.robustness_smaa as rs
from mcda.methods import METHODS
from mcda.problem import DecisionProblem
from mcda.rank_kernels import kernels
from mcda.robustness import smaa

K = kernels()
pytestmark = pytest.mark.skipif(K is None, reason="numba is not installed or cannot compile here")


def _reference(S: np.ndarray, higher_is_better: bool, ties: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Counts (n x n) and (sample, alternative) first places, one sample at a time, in plain Python."""
    s, n = S.shape
    counts = np.zeros((n, n), dtype=np.int64)
    firsts = []
    for r in range(s):
        key = [round_12(x) for x in S[r]]
        for i in range(n):
            if higher_is_better:
                rank = 1 + sum(key[j] > key[i] for j in range(n))
            else:
                rank = 1 + sum(key[j] < key[i] for j in range(n))
            if ties == "first":
                rank += sum(key[j] == key[i] for j in range(i))
            counts[i, rank - 1] += 1
            if rank == 1:
                firsts.append((r, i))
    return counts, firsts


def round_12(x: float) -> float:
    return float(np.round(np.float64(x), 12))


def _kernel(S: np.ndarray, higher_is_better: bool, ties: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    s, n = S.shape
    counts = np.zeros(n * n, dtype=np.int64)
    alt, rows = np.empty(s * n, dtype=np.int64), np.empty(s * n, dtype=np.int64)
    m = K.count_scores(np.ascontiguousarray(S, dtype=float), higher_is_better, ties == "first", counts, alt, rows, 0)
    return counts.reshape(n, n), list(zip(rows[:m].tolist(), alt[:m].tolist(), strict=True))


def _numpy(S: np.ndarray, higher_is_better: bool, ties: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    n = S.shape[1]
    counts, alt, rows = rs._count_ranks(iter([(0, S)]), n, higher_is_better, ties)
    return counts.reshape(n, n), sorted(zip(rows.tolist(), alt.tolist(), strict=True))


def _hard_scores(seed: int) -> np.ndarray:
    """Score rows built to hit every branch of the kernels' rule: ties after rounding, keys one float32
    apart but two float64 keys, beyond float32's range, all equal, negative, not a number."""
    rng = np.random.default_rng(seed)
    S = rng.uniform(0.0, 1.0, (40, 7))
    S[0] = 0.5  # all tied
    S[1, 3] = S[1, 5]  # exact tie
    S[2, 1] = S[2, 4] + 4e-13  # equal after rounding to 12 decimals
    S[3, 2] = S[3, 6] + 2e-12  # apart after rounding, one float32 key
    S[4, 0] = S[4, 2] + 1e-10  # one float32 key, two float64 keys: the float64 recount must split them
    S[5] = [1e39, -1e39, 3e38, 0.0, -2.0, 1e39, 5e38]  # beyond float32: inf after the cast
    S[6] = -S[6]  # negative scores
    S[7, :3] = S[7, 0]  # three-way tie at the same score
    S[8, 2] = np.nan  # never reaches SMAA (problems are validated), but counted as the numpy path counts it
    return S


@pytest.mark.parametrize("ties", ["min", "first"])
@pytest.mark.parametrize("higher_is_better", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_count_scores_equals_the_reference_and_the_numpy_path(seed, higher_is_better, ties):
    S = _hard_scores(seed)
    ref_counts, ref_firsts = _reference(S, higher_is_better, ties)
    counts, firsts = _kernel(S, higher_is_better, ties)
    assert np.array_equal(counts, ref_counts)
    assert firsts == ref_firsts  # sample by sample, alternatives ascending within a sample
    np_counts, np_firsts = _numpy(S, higher_is_better, ties)
    assert np.array_equal(counts, np_counts)
    assert sorted(firsts) == np_firsts
    # the rows built to need the float64 recount really do (or the test would not reach that branch)
    with np.errstate(over="ignore"):
        k32 = np.round(S, 12).astype(np.float32)
    assert (np.diff(np.sort(k32[4])) == 0).any() and len(set(np.round(S[4], 12))) == S.shape[1]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 30),
    st.integers(0, 2**32 - 1),
    st.sampled_from(["min", "first"]),
    st.booleans(),
    st.sampled_from([0.0, 1e-13, 1e-10, 1e-3]),
)
def test_count_scores_property(n, s, seed, ties, higher_is_better, spread):
    """Random blocks with clustered scores (a spread of 0 gives exact ties, 1e-13 ties after rounding,
    1e-10 float32 merges): the kernel's counts and first places equal the numpy path's."""
    rng = np.random.default_rng(seed)
    base = rng.choice([0.25, 0.5, 0.75], size=(s, n))
    S = base + spread * rng.integers(-3, 4, size=(s, n))
    counts, firsts = _kernel(S, higher_is_better, ties)
    np_counts, np_firsts = _numpy(S, higher_is_better, ties)
    assert np.array_equal(counts, np_counts)
    assert sorted(firsts) == np_firsts


def test_count_closeness_equals_topsis_batch_then_count():
    """TOPSIS: the kernel finishes the squared distances as topsis_batch does, so the same ranks."""
    from mcda.methods.topsis import topsis_batch, topsis_distances

    rng = np.random.default_rng(3)
    A = rng.uniform(0.0, 1.0, (5, 2 * 9))
    A[:, 4] = A[:, 7]  # two alternatives at the same distances: tied in every sample
    A[:, 9 + 4] = A[:, 9 + 7]
    W = rng.dirichlet(np.ones(5), 300)
    S = topsis_batch(A, W)
    n = 9
    for ties in ("min", "first"):
        counts = np.zeros(n * n, dtype=np.int64)
        alt, rows = np.empty(300 * n, dtype=np.int64), np.empty(300 * n, dtype=np.int64)
        m = K.count_closeness(topsis_distances(A, W), ties == "first", counts, alt, rows, 0)
        np_counts, np_firsts = _numpy(S, True, ties)
        assert np.array_equal(counts.reshape(n, n), np_counts)
        assert sorted(zip(rows[:m].tolist(), alt[:m].tolist(), strict=True)) == np_firsts
        c = counts.reshape(n, n)
        if ties == "min":  # the two tied alternatives share their rank in every sample
            assert np.array_equal(c[4], c[7])
        else:  # listed first, 4 is always ahead of 7
            assert (np.argmax(c[4] > 0) < np.argmax(c[7] > 0)) or not np.array_equal(c[4], c[7])


def test_add_rows_adds_in_order_as_bincount():
    """The central-weight sums: one addition after another per bin, the same bits as bincount's."""
    rng = np.random.default_rng(8)
    W = rng.dirichlet(np.ones(6), 500) * 1e3 + rng.uniform(0, 1e-9, (500, 6))  # sums that round on the way
    alt = rng.integers(0, 4, 700)
    rows = rng.integers(0, 500, 700)
    out = np.zeros((4, 6))
    K.add_rows(out, alt, rows, W)
    bins = ((alt * 6)[:, None] + np.arange(6)).ravel()
    expected = np.bincount(bins, weights=W[rows].ravel(), minlength=24).reshape(4, 6)
    assert out.tobytes() == expected.tobytes()


def _problem(n: int = 9, m: int = 4, seed: int = 41) -> DecisionProblem:
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.5, 100.0, (n, m))
    X[6] = X[2]  # two identical alternatives: tied in every sample
    return DecisionProblem.from_arrays(X, [1, -1] * (m // 2) + [1] * (m % 2))


@pytest.mark.parametrize("ties", ["min", "first"])
@pytest.mark.parametrize("name", list(METHODS))
def test_smaa_with_kernels_is_bit_identical_to_the_numpy_path(name, ties, monkeypatch):
    """Whole runs: several chunks and slices, on two threads, with and without the kernels."""
    monkeypatch.setattr(rs, "BLOCK", 300)
    monkeypatch.setattr(rs, "SUB_BLOCK", 70)
    monkeypatch.setattr(rs, "THREADS", 2)
    problem = _problem()
    runs = []
    for jit in ("1", "0"):
        monkeypatch.setenv("FULCRUM_JIT", jit)
        assert (rs.kernels() is None) == (jit == "0")
        res = smaa(problem, n_samples=1_000, seed=4, method=name, ties=ties)
        fields = ("acceptability", "central_weights", "confidence", "holistic")
        runs.append([getattr(res, f).to_numpy().tobytes() for f in fields])
    assert runs[0] == runs[1]


def test_smaa_on_33_by_15_is_bit_identical_to_the_numpy_path(monkeypatch):
    """The benchmark's size (cache-sized pieces of the TOPSIS product inside each slice), default settings."""
    problem = _problem(33, 15, seed=2024)
    runs = []
    for jit in ("1", "0"):
        monkeypatch.setenv("FULCRUM_JIT", jit)
        res = smaa(problem, n_samples=12_345, seed=1)
        runs.append([getattr(res, f).to_numpy().tobytes() for f in ("acceptability", "central_weights", "confidence")])
    assert runs[0] == runs[1]


def test_smaa_with_data_uncertainty_is_bit_identical_to_the_numpy_path(monkeypatch):
    import pandas as pd

    from mcda.robustness_values import value_uncertainty

    problem = _problem()
    ids = list(problem.matrix.index)
    rows = [{"id": a, "criterion": c, "sd": 4.0} for a in ids[:5] for c in problem.criterion_ids]
    values = value_uncertainty(problem, pd.DataFrame(rows))
    runs = []
    for jit in ("1", "0"):
        monkeypatch.setenv("FULCRUM_JIT", jit)
        res = smaa(problem, n_samples=400, seed=2, values=values)
        runs.append([getattr(res, f).to_numpy().tobytes() for f in ("acceptability", "central_weights", "confidence")])
    assert runs[0] == runs[1]


def test_jit_off_means_no_kernels(monkeypatch):
    for off in ("0", "off", "No", "false"):
        monkeypatch.setenv("FULCRUM_JIT", off)
        assert kernels() is None
    assert rs.kernels() is None and "FULCRUM_JIT is off" in rk.status()
    monkeypatch.delenv("FULCRUM_JIT")
    assert kernels() is K


def test_a_small_study_loads_no_kernels_in_a_one_shot_process(monkeypatch):
    """A command line (one_shot) loads the kernels only for a study large enough to repay the load."""
    monkeypatch.setattr(rk, "_TRIED", False)
    monkeypatch.setattr(rk, "_KERNELS", None)
    monkeypatch.setattr(rk, "LOAD_AFTER_SAMPLES", 0)
    monkeypatch.setattr(rk, "ONE_SHOT_SAMPLES", 5_000)
    rk.one_shot()
    assert rk.LOAD_AFTER_SAMPLES == 5_000
    assert rk.kernels(4_999) is None and rk.loaded() is None and not rk._TRIED
    res = smaa(_problem(), n_samples=300, seed=1)  # runs on the numpy path, loads nothing
    assert not rk._TRIED and res.acceptability.to_numpy().sum() == pytest.approx(9)
    assert rk.kernels(5_000) is not None and rk.loaded() is rk.kernels()
    assert rk.status() == "compiled kernels (numba)"


def test_the_command_line_does_not_import_numba_for_a_small_study(tmp_path):
    """`mcda smaa` with a few thousand samples: the table, without numba's ~0.65 s start-up."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    inputs = root / "tests" / "golden" / "inputs"
    out = tmp_path / "smaa.csv"
    code = (
        "import sys\nfrom fulcrum.cli import mcda_main\n"
        f"rc = mcda_main(['smaa', {str(inputs / 'matrix.csv')!r}, '--criteria', {str(inputs / 'criteria.csv')!r}, "
        f"'--samples', '3000', '--out', {str(out)!r}])\n"
        "print(rc, 'numba' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert run.stdout.split() == ["0", "False"], run.stderr
    assert out.read_text(encoding="utf-8").startswith("alternative,rank_1,")


def test_without_numba_smaa_keeps_the_numpy_path_and_says_why(monkeypatch):
    """numba missing (or unable to compile here): no error, the same numbers, and status() says why."""
    import sys

    monkeypatch.setattr(rk, "_TRIED", False)
    monkeypatch.setattr(rk, "_KERNELS", None)
    monkeypatch.setattr(rk, "LOAD_AFTER_SAMPLES", 0)
    monkeypatch.setitem(sys.modules, "numba", None)  # `import numba` raises ImportError
    monkeypatch.delitem(sys.modules, "mcda.rank_kernels_jit", raising=False)
    assert rk.kernels() is None and rk.loaded() is None
    assert rk.status().startswith("numpy path (the kernels could not be loaded: ModuleNotFoundError")
    problem = _problem()
    res = smaa(problem, n_samples=500, seed=3, ties="first")
    monkeypatch.setattr(rk, "_KERNELS", K)
    again = smaa(problem, n_samples=500, seed=3, ties="first")
    assert res.acceptability.equals(again.acceptability) and res.central_weights.equals(again.central_weights)
