"""Batched scoring: many weight vectors on one problem, for every registered method.

``BatchScorer(problem, method)`` validates the problem for the method and computes its
weight-free arrays once (``method.prepare``), then scores whole ``(s x m)`` blocks of weight
vectors in chunks that bound memory, with the method's own batched form
(``method.batch_scores``, in the method's module of :mod:`mcda.methods`):

* matrix products for the methods linear in the weights after a weight-free normalisation
  (WSM, PROMETHEE II, MABAC, SPOTIS, AHP), or a ratio / simple function of such products
  (TOPSIS: two products of W^2, COPRAS, EDAS, ARAS) or their exponential (WPM);
* VIKOR: the regret terms for a block at once;
* any other method — one registered later without a batched form — by the generic fallback
  :func:`mcda.methods.base.loop_batch_scores`: the method's pure scoring function once per
  weight row, on the problem prepared once. Correct for every method, slower.

The results equal the single-call ``method.scores(problem, w)`` to 1e-12 for every registered
method (``tests/mcda/test_methods_batch.py``), because the same preparation is used and the algebra is
only rearranged. Weight rows are validated by the one weight validator
(:func:`mcda.weight_check.weight_matrix`).

Ranks (``ranks_from_scores``): rank 1 = best. Scores are compared after rounding to 12
decimals (as :func:`mcda.methods.rank_scores`). Ties: ``"min"`` (default, the rule of the
ranking table: tied alternatives share the smaller rank) or ``"first"`` (ties broken by the
problem's alternative order, so every sample is a permutation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from mcda.errors import InputError
from mcda.weight_check import weight_matrix

TIES = ("min", "first")
#: rows of weights scored at once (bounds the (chunk x n) temporaries)
DEFAULT_CHUNK = 20_000
#: rows scored at once by the generic per-row fallback (progress granularity)
LOOP_CHUNK = 200
DECIMALS = 12
#: up to this many alternatives, ranks are computed by counting (uint8 counters), else by argsort
COUNTING_MAX_N = 100
#: ... and from this many rows on: for a few rows (one ranking, SMAA's central weights) the n passes
#: cost more than one argsort
COUNTING_MIN_ROWS = 64

Progress = Callable[[float, str], None]


def batch_methods() -> dict[str, str]:
    """Every registered method (name -> description): all can be scored in batches."""
    from mcda.methods import METHODS

    return dict(METHODS)


#: kept for callers that list the batchable methods: every registered method is (see batch_methods)
BATCH_METHODS = batch_methods()


def _notify(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(float(min(max(fraction, 0.0), 1.0)), message)


def validate_weight_matrix(W: Any, m: int, where: str = "weights") -> np.ndarray:
    """(s x m) float array of weight vectors, each >= 0 and normalised to sum 1.

    The one weight validator's matrix form (:func:`mcda.weight_check.weight_matrix`); kept
    under this name for existing callers. A single vector (m,) becomes a (1 x m) block.
    """
    return weight_matrix(W, m, where)


def _rank_key(S: np.ndarray, higher_is_better: bool, decimals: int) -> np.ndarray:
    """Scores rounded to ``decimals`` (round-off must not split a tie), negated so smaller = better."""
    key = np.round(S, decimals)
    if higher_is_better:
        np.negative(key, out=key)
    return key


def counted_ranks_t(
    S: np.ndarray, higher_is_better: bool = True, ties: str = "min", decimals: int = DECIMALS
) -> np.ndarray:
    """Ranks of an (s x n) score matrix by counting, transposed: ``(n x s)`` uint8 (needs n <= COUNTING_MAX_N).

    rank = 1 + the number of alternatives strictly better (+ equal ones listed earlier, for
    ``first``): n vectorised passes over contiguous rows, into one reused boolean buffer — faster
    than a row-wise argsort for small n. SMAA counts ranks straight from this layout.

    The passes compare float32 copies of the rounded keys (half the memory traffic). Rounding to
    float32 keeps the order but can merge keys, so a sample is taken from the float32 count only
    when its ranks are a permutation (they sum to n(n+1)/2, i.e. no two float32 keys are equal, so
    every float64 key is apart and in the same order); the others — the samples with a tie in
    either precision — are counted again on the float64 keys. Identical ranks, always.
    """
    s, n = S.shape
    kt = np.empty((n, s))
    np.round(S.T, decimals, out=kt)  # rounded straight into the per-alternative layout: one pass
    with np.errstate(over="ignore"):  # beyond float32's range: inf, a tie, counted again below
        k32 = kt.astype(np.float32)
    acc = _count_strict(k32, higher_is_better)
    if n > 1:
        sums = acc.sum(axis=0, dtype=np.uint32)
        redo = np.flatnonzero(sums != n * (n + 1) // 2)
        if redo.size:
            acc[:, redo] = _count_exact(np.ascontiguousarray(kt[:, redo]), higher_is_better, ties)
    return acc


def _count_strict(kt: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """1 + the number of strictly better keys, per (alternative row, sample column) of ``kt``."""
    n, s = kt.shape
    beats = np.greater if higher_is_better else np.less  # alternative k strictly better than each row
    acc = np.ones((n, s), dtype=np.uint8)
    better = np.empty((n, s), dtype=bool)
    bv = better.view(np.uint8)
    for k in range(n):
        beats(kt[k], kt, out=better)
        np.add(acc, bv, out=acc)
    return acc


def _count_exact(kt: np.ndarray, higher_is_better: bool, ties: str) -> np.ndarray:
    """:func:`_count_strict` on the float64 keys, with equal keys listed earlier counted for ``first``."""
    acc = _count_strict(kt, higher_is_better)
    if ties == "first":
        n = kt.shape[0]
        for k in range(n - 1):
            acc[k + 1 :] += kt[k] == kt[k + 1 :]
    return acc


def ranks_from_scores(
    S: np.ndarray, higher_is_better: bool = True, ties: str = "min", decimals: int = DECIMALS
) -> np.ndarray:
    """Ranks (1 = best) of each row of an (s x n) score matrix, as int32 (see module doc for ties)."""
    if ties not in TIES:
        raise InputError(f"unknown tie rule '{ties}'", hint="Use min or first.")
    S = np.asarray(S, dtype=float)
    one = S.ndim == 1
    if one:
        S = S[None, :]
    s, n = S.shape
    if n <= COUNTING_MAX_N and s >= COUNTING_MIN_ROWS:
        ranks = counted_ranks_t(S, higher_is_better, ties, decimals).T.astype(np.int32)
        return ranks[0] if one else ranks
    key = _rank_key(S, higher_is_better, decimals)
    order = np.argsort(key, axis=1, kind="stable")  # stable: equal keys keep the alternative order
    ranks = np.empty((s, n), dtype=np.int32)
    rows = np.arange(s)[:, None]
    if ties == "first":
        ranks[rows, order] = np.arange(1, n + 1, dtype=np.int32)
    else:
        ks = np.take_along_axis(key, order, axis=1)
        pos = np.broadcast_to(np.arange(n, dtype=np.int32), (s, n))
        start = np.empty((s, n), dtype=bool)
        start[:, 0] = True
        start[:, 1:] = ks[:, 1:] != ks[:, :-1]
        run_start = np.maximum.accumulate(np.where(start, pos, 0), axis=1)
        ranks[rows, order] = run_start + 1
    return ranks[0] if one else ranks


class BatchScorer:
    """Score many weight vectors on one problem: prepare once, then the method's batched form.

    Parameters
    ----------
    problem : DecisionProblem
        Validated decision problem.
    method : str or RankingMethod
        A registered name (any of ``mcda.methods.METHODS``) or a method object from
        :func:`mcda.methods.get_method` (its options are used).
    normalization : str, optional
        For methods that take one, when ``method`` is a name; None = the method's default.
        Ignored when ``method`` is an object (the object's own normalisation is used).
    allow_loop : bool
        Ignored; kept for old callers (every method can be scored in batches now).
    chunk_size : int
        Weight rows per block.
    **options
        Further method options when ``method`` is a name.
    """

    def __init__(
        self,
        problem: Any,
        method: Any = "topsis",
        normalization: str | None = None,
        allow_loop: bool = True,
        chunk_size: int = DEFAULT_CHUNK,
        **options: Any,
    ) -> None:
        from mcda.methods import get_method

        if isinstance(method, str):
            opts = dict(options)
            if normalization is not None:
                opts["normalization"] = normalization
            self.method = get_method(method, **opts)
        else:
            self.method = method
        self.name = str(getattr(self.method, "name", self.method)).strip().lower()
        self.problem = problem
        self.higher_is_better = bool(self.method.higher_is_better)
        self.n, self.m = problem.values.shape
        if chunk_size < 1:
            raise InputError(f"chunk_size must be at least 1, got {chunk_size}", where="chunk_size")
        self.chunk_size = int(chunk_size)
        #: True when the method has its own vectorised form (else the generic per-row fallback)
        self.vectorised = bool(getattr(self.method, "has_batch_form", False))
        # the problem checked against the method and its weight-free arrays, once; a duck-typed
        # method object without the contract is scored by its own ``scores`` per row
        contract = hasattr(self.method, "prepare") and hasattr(self.method, "batch_scores")
        self.prepared: dict[str, Any] | None = self.method.prepare(problem) if contract else None

    @property
    def label(self) -> str:
        """The method's label with its options, e.g. ``topsis(normalization=vector)``."""
        return str(getattr(self.method, "label", self.name))

    # -- scoring -----------------------------------------------------------------------------
    def _score_block(self, W: np.ndarray) -> np.ndarray:
        if self.prepared is not None:
            return np.asarray(self.method.batch_scores(self.prepared, W), dtype=float)
        return np.vstack([np.asarray(self.method.scores(self.problem, w), dtype=float) for w in W])

    def scores(self, W: Any, normalised: bool = False, progress: Progress | None = None) -> np.ndarray:
        """(s x n) scores, one row per weight vector.

        Parameters
        ----------
        W : array_like
            ``(s x m)`` weight vectors (or one ``(m,)``), aligned to ``problem.criterion_ids``.
        normalised : bool
            True when the rows are already validated and sum to 1 (samplers, sweeps); else they
            are validated and normalised here.
        progress : callable, optional
            ``progress(fraction, message)`` after each block.

        Returns
        -------
        numpy.ndarray
            ``(s x n)`` scores.
        """
        if not normalised:
            W = weight_matrix(W, self.problem.matrix.columns)
        elif W.ndim == 1:
            W = W[None, :]
        s = W.shape[0]
        chunk = self.chunk_size if self.vectorised else max(1, min(self.chunk_size, LOOP_CHUNK))
        if s <= chunk:
            out = self._score_block(W)
            _notify(progress, 1.0, f"scored {s} weight vectors")
            return out
        out = np.empty((s, self.n))
        for a in range(0, s, chunk):
            b = min(s, a + chunk)
            out[a:b] = self._score_block(W[a:b])
            _notify(progress, b / s, f"scored {b} of {s} weight vectors")
        return out

    def kernel_input(self, W: np.ndarray) -> tuple[Iterator[tuple[int, np.ndarray]], bool]:
        """What SMAA's compiled rank counter takes for the validated weight rows ``W``, as (first row, block)
        pieces: the method's squared distances and True when it has that form (TOPSIS's ``batch_distances``;
        the kernel finishes the closeness per sample, bit for bit as ``batch_scores``), else the scores in
        one piece and False."""
        if self.prepared is not None and hasattr(self.method, "batch_distances"):
            return iter(self.method.batch_distances(self.prepared, W)), True
        return iter([(0, self.scores(W, normalised=True))]), False

    def ranks(self, W: Any, ties: str = "min", normalised: bool = False) -> np.ndarray:
        """(s x n) int ranks, 1 = best (see :func:`ranks_from_scores`)."""
        return ranks_from_scores(self.scores(W, normalised=normalised), self.higher_is_better, ties)


def batch_scores(
    problem: Any,
    W: Any,
    method: Any = "topsis",
    normalization: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    allow_loop: bool = True,
    **options: Any,
) -> np.ndarray:
    """Scores of every alternative for every weight vector: ``(s x n)`` ndarray.

    Parameters
    ----------
    problem : DecisionProblem
        Validated decision problem.
    W : array_like
        ``(s x m)`` (or one vector ``(m,)``), aligned to ``problem.criterion_ids``; each row is
        validated (>= 0, finite, not all zero) and normalised to sum 1, as the single-call
        methods do.
    method : str or RankingMethod
        Any registered method name, or a method object.
    normalization : str, optional
        None = the method's default (TOPSIS: vector; WSM: minmax).
    chunk_size : int
        Weight rows per block.
    allow_loop : bool
        Ignored (kept for old callers).
    **options
        Further method options.

    Returns
    -------
    numpy.ndarray
        ``(s x n)`` scores.
    """
    scorer = BatchScorer(problem, method, normalization, chunk_size=chunk_size, **options)
    return scorer.scores(W)


def batch_ranks(
    problem: Any,
    W: Any,
    method: Any = "topsis",
    normalization: str | None = None,
    ties: str = "min",
    chunk_size: int = DEFAULT_CHUNK,
    allow_loop: bool = True,
    **options: Any,
) -> np.ndarray:
    """Ranks (1 = best) of every alternative for every weight vector: ``(s x n)`` int32.

    Parameters as :func:`batch_scores`, plus ``ties`` (``min`` or ``first``).
    """
    scorer = BatchScorer(problem, method, normalization, chunk_size=chunk_size, **options)
    return scorer.ranks(W, ties=ties)
