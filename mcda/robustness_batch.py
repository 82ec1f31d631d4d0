"""Batched scoring: many weight vectors in one vectorised computation (normalise once).

``BatchScorer(problem, method)`` normalises the decision matrix once and then scores a whole
``(s x m)`` block of weight vectors with matrix products, in chunks that bound memory. The
results equal the single-call ``method.scores(problem, w)`` of :mod:`mcda.methods` to 1e-12
(tested), because the same normalisation function (:func:`mcda.normalization.normalize`) is
used and the algebra is only rearranged:

* **TOPSIS** (vector or minmax): with R the normalised matrix (higher is better, cost criteria
  already turned round) and w >= 0, the weighted ideal / anti-ideal are ``w * max_i R`` and
  ``w * min_i R``, so ``D+_i^2 = sum_j w_j^2 (r_ij - r*_j)^2 = ((R - r*)^2 @ (w^2)^T)_i`` — one
  ``(s x m) @ (m x n)`` product per distance; closeness ``C = D- / (D+ + D-)``.
* **WSM**: ``S = W @ R^T``.
* **PROMETHEE II**: the net flow is linear in the weights, ``phi = W @ Phi^T`` with the
  single-criterion net flows ``Phi`` (n x m) taken from the method's own ``explain`` table.
* **VIKOR** (score = Q, lower is better): the regret terms ``t_ij = w_j (f*_j - f_ij) / (f*_j - f-_j)``
  for a whole block at once (an s x n x m array, chunked), then S, R and Q exactly as
  :class:`mcda.methods.VIKOR` computes them.

Any other registered method can be scored with ``allow_loop=True`` (a Python loop over
``method.scores``; fine for sweeps of a few hundred vectors, too slow for SMAA).

Ranks (``ranks_from_scores``): rank 1 = best. Scores are compared after rounding to 12
decimals (as :func:`mcda.methods.rank_scores`). Ties: ``"min"`` (default, the rule of the
ranking table: tied alternatives share the smaller rank) or ``"first"`` (ties broken by the
problem's alternative order, so every sample is a permutation).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from mcda.errors import InputError

#: methods scored by matrix products (name -> note); others need allow_loop=True
BATCH_METHODS = {
    "topsis": "TOPSIS, vector (default) or minmax normalisation",
    "wsm": "weighted sum, minmax (default), vector, max or sum normalisation",
    "promethee2": "PROMETHEE II net flow (linear in the weights)",
    "vikor": "VIKOR Q (lower is better)",
}
TIES = ("min", "first")
#: rows of weights scored at once (bounds the (chunk x n) temporaries)
DEFAULT_CHUNK = 20_000
DECIMALS = 12
#: up to this many alternatives, ranks are computed by counting (uint8 counters), else by argsort
COUNTING_MAX_N = 100
#: up to this many criteria, weight-matrix products use numpy's einsum loop instead of BLAS
EINSUM_MAX_M = 48

Progress = Callable[[float, str], None]


def _notify(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(float(min(max(fraction, 0.0), 1.0)), message)


def validate_weight_matrix(W: Any, m: int, where: str = "weights") -> np.ndarray:
    """(s x m) float array of weight vectors, each >= 0 and normalised to sum 1.

    A single vector (m,) becomes a (1 x m) block. Raises InputError naming the first bad row.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim == 1:
        W = W[None, :]
    if W.ndim != 2 or W.shape[1] != m:
        raise InputError(f"expected weight vectors of length {m} (one per criterion), got shape {W.shape}", where=where)
    if W.shape[0] == 0:
        raise InputError("no weight vectors given", where=where)
    bad = ~np.isfinite(W).all(axis=1) | (W < 0).any(axis=1)
    total = W.sum(axis=1)
    bad |= ~(total > 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"weight vector #{i + 1} has a negative, non-finite or all-zero weight", where=where,
                         hint="Weights must be finite, >= 0 and not all zero.")
    return W / total[:, None]


def ranks_from_scores(S: np.ndarray, higher_is_better: bool = True, ties: str = "min",
                      decimals: int = DECIMALS) -> np.ndarray:
    """Ranks (1 = best) of each row of an (s x n) score matrix, as int32 (see module doc for ties)."""
    if ties not in TIES:
        raise InputError(f"unknown tie rule '{ties}'", hint="Use min or first.")
    S = np.asarray(S, dtype=float)
    one = S.ndim == 1
    if one:
        S = S[None, :]
    key = np.round(S, decimals)
    if higher_is_better:
        key = -key  # smaller key = better
    s, n = key.shape
    if n <= COUNTING_MAX_N:
        # rank = 1 + number of alternatives strictly better (+ equal ones listed earlier, for
        # "first"): n vectorised passes, faster than a row-wise argsort for small n
        kt = np.ascontiguousarray(key.T)
        acc = np.ones((n, s), dtype=np.uint8)
        for k in range(n):
            acc += kt[k] < kt
            if ties == "first" and k + 1 < n:
                acc[k + 1:] += kt[k] == kt[k + 1:]
        ranks = acc.T.astype(np.int32)
        return ranks[0] if one else ranks
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


def _method_name(method: Any) -> str:
    return str(getattr(method, "name", method)).strip().lower()


class BatchScorer:
    """Score many weight vectors on one problem: normalise once, then matrix products.

    Parameters
    ----------
    problem : DecisionProblem
    method : a name (topsis, wsm, promethee2, vikor; any registered name with ``allow_loop``) or a
        method object from :func:`mcda.methods.get_method` (its options are used).
    normalization : for topsis / wsm; None = the method's default (topsis vector, wsm minmax).
        Ignored when ``method`` is an object (the object's own normalisation is used).
    allow_loop : score other methods by a Python loop over ``method.scores`` (slow).
    chunk_size : weight rows per vectorised block.
    """

    def __init__(self, problem: Any, method: Any = "topsis", normalization: str | None = None,
                 allow_loop: bool = False, chunk_size: int = DEFAULT_CHUNK, **options: Any):
        from mcda.methods import get_method

        if isinstance(method, str):
            opts = dict(options)
            if normalization is not None:
                opts["normalization"] = normalization
            self.method = get_method(method, **opts)
        else:
            self.method = method
        self.name = _method_name(self.method)
        self.problem = problem
        self.higher_is_better = bool(self.method.higher_is_better)
        self.m = problem.values.shape[1]
        self.n = problem.values.shape[0]
        if chunk_size < 1:
            raise InputError(f"chunk_size must be at least 1, got {chunk_size}", where="chunk_size")
        self.chunk_size = int(chunk_size)
        self.vectorised = self.name in BATCH_METHODS
        if not self.vectorised and not allow_loop:
            raise InputError(f"method '{self.name}' has no batched (vectorised) form",
                             where="method", hint="Use one of: " + ", ".join(BATCH_METHODS) + ".")
        self._prepare()

    @property
    def label(self) -> str:
        return getattr(self.method, "label", self.name)

    def _prepare(self) -> None:
        from mcda.normalization import normalize

        X, types, cids = self.problem.values, self.problem.types, self.problem.criterion_ids
        if self.name == "topsis":
            R = normalize(X, types, self.method.normalization, cids)
            self._Ap_T = np.ascontiguousarray(((R - R.max(axis=0)) ** 2).T)  # m x n
            self._Am_T = np.ascontiguousarray(((R - R.min(axis=0)) ** 2).T)
        elif self.name == "wsm":
            self._R_T = np.ascontiguousarray(normalize(X, types, self.method.normalization, cids).T)
        elif self.name == "promethee2":
            w0 = np.full(self.m, 1.0 / self.m)
            phi = self.method.explain(self.problem, w0)["criterion_net_flows"]
            self._Phi_T = np.ascontiguousarray(phi.to_numpy(dtype=float).T)
        elif self.name == "vikor":
            F = X * types
            fstar, fminus = F.max(axis=0), F.min(axis=0)
            self._gap = fstar - F  # n x m; T = w * gap / span exactly as VIKOR._compute computes it
            self._span = fstar - fminus

    # -- scoring -----------------------------------------------------------------------------
    def _mm(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """A @ B. With few criteria the products are tiny; numpy's own einsum loop (one thread)
        then beats BLAS overall, because idle OpenBLAS threads spin after a call and slow the
        element-wise work that follows on a busy 2-core machine (measured: ~2x)."""
        if A.shape[1] <= EINSUM_MAX_M:
            return np.einsum("ij,jk->ik", A, B)
        return A @ B

    def _score_block(self, W: np.ndarray) -> np.ndarray:
        if self.name == "topsis":
            W2 = W * W
            dp = np.sqrt(self._mm(W2, self._Ap_T))
            dm = np.sqrt(self._mm(W2, self._Am_T))
            dp += dm
            np.divide(dm, dp, out=dm)
            return dm
        if self.name == "wsm":
            return self._mm(W, self._R_T)
        if self.name == "promethee2":
            return self._mm(W, self._Phi_T)
        if self.name == "vikor":
            # same operations, in the same order, as VIKOR._compute (including rounding S and R
            # to 12 decimals), so ties in S or R are the same ties
            T = W[:, None, :] * self._gap[None, :, :] / self._span
            S, R = np.round(T.sum(axis=2), 12), np.round(T.max(axis=2), 12)
            v = self.method.v

            def scaled(a: np.ndarray) -> np.ndarray:
                lo = a.min(axis=1, keepdims=True)
                rng = a.max(axis=1, keepdims=True) - lo
                safe = np.where(rng > 0, rng, 1.0)
                return np.where(rng > 0, (a - lo) / safe, 0.0)

            return v * scaled(S) + (1 - v) * scaled(R)
        out = np.empty((W.shape[0], self.n))
        for i, w in enumerate(W):
            out[i] = self.method.scores(self.problem, w)
        return out

    def scores(self, W: Any, normalised: bool = False, progress: Progress | None = None) -> np.ndarray:
        """(s x n) scores, one row per weight vector (rows of W are validated and normalised
        unless ``normalised=True`` says they already are)."""
        if not normalised:
            W = validate_weight_matrix(W, self.m)
        elif W.ndim == 1:
            W = W[None, :]
        s = W.shape[0]
        chunk = self.chunk_size if self.vectorised else max(1, min(self.chunk_size, 200))
        if self.name == "vikor":  # (chunk x n x m) temporary
            chunk = max(1, min(chunk, 2_000_000 // max(1, self.n * self.m)))
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

    def ranks(self, W: Any, ties: str = "min", normalised: bool = False) -> np.ndarray:
        """(s x n) int ranks, 1 = best (see :func:`ranks_from_scores`)."""
        return ranks_from_scores(self.scores(W, normalised=normalised), self.higher_is_better, ties)


def batch_scores(problem: Any, W: Any, method: Any = "topsis", normalization: str | None = None,
                 chunk_size: int = DEFAULT_CHUNK, allow_loop: bool = False, **options: Any) -> np.ndarray:
    """Scores of every alternative for every weight vector: ``(s x n)`` ndarray.

    ``W`` is ``(s x m)`` (or one vector ``(m,)``), aligned to ``problem.criterion_ids``; each row
    is validated (>= 0, finite, not all zero) and normalised to sum 1, as the single-call
    methods do. ``method`` is topsis / wsm / promethee2 / vikor (or a method object);
    ``normalization`` None = the method's default (TOPSIS: vector; WSM: minmax).
    Unknown or non-batchable method -> InputError (unless ``allow_loop``).
    """
    scorer = BatchScorer(problem, method, normalization, allow_loop=allow_loop, chunk_size=chunk_size, **options)
    return scorer.scores(W)


def batch_ranks(problem: Any, W: Any, method: Any = "topsis", normalization: str | None = None,
                ties: str = "min", chunk_size: int = DEFAULT_CHUNK, allow_loop: bool = False,
                **options: Any) -> np.ndarray:
    """Ranks (1 = best) of every alternative for every weight vector: ``(s x n)`` int32."""
    scorer = BatchScorer(problem, method, normalization, allow_loop=allow_loop, chunk_size=chunk_size, **options)
    return scorer.ranks(W, ties=ties)
