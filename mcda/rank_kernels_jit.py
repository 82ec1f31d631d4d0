"""The numba-compiled SMAA kernels (see :mod:`mcda.rank_kernels`, which imports this module on first use).

Compiled with ``nogil`` (SMAA's thread pool runs them side by side), ``cache`` (once per install:
numba keeps the machine code next to this file), no fastmath (IEEE operations in the written
order, so the same inputs give the same bits as numpy's element-wise operations). Each function's
plain-Python form is its ``py_func``.
"""

from __future__ import annotations

import numba
import numpy as np

_jit = numba.njit(nogil=True, cache=True, boundscheck=False, error_model="numpy")


@numba.njit(nogil=True, cache=True, boundscheck=False, error_model="numpy", inline="always")
def count_row(
    key: np.ndarray,
    k32: np.ndarray,
    rk: np.ndarray,
    n: int,
    r: int,
    first: bool,
    counts: np.ndarray,
    alt: np.ndarray,
    rows: np.ndarray,
    npairs: int,
) -> int:
    """Count one sample's ranks from its keys (smaller = better) and record its rank-1 alternatives.

    rank = 1 + the number of strictly better keys (+ equal keys listed earlier, when ``first``), first
    on float32 copies (8 lanes per comparison): rounding to float32 keeps the order but can merge keys,
    so the float32 ranks are taken only when they are a permutation (sum n(n+1)/2: no two float32 keys
    equal, hence every float64 key apart and in the same order); otherwise — a tie in either precision,
    or a NaN, which compares false — the sample is counted again on the float64 keys. The rule of
    ``mcda.robustness_batch.counted_ranks_t``, so the same ranks.
    """
    for i in range(n):
        k32[i] = np.float32(key[i])
    rk[:] = 1
    for j in range(n):
        kj = k32[j]
        for i in range(n):
            rk[i] += np.int32(kj < k32[i])
    total = 0
    for i in range(n):
        total += rk[i]
    if total != n * (n + 1) // 2:
        rk[:] = 1
        for j in range(n):
            kj = key[j]
            for i in range(n):
                rk[i] += np.int32(kj < key[i])
        if first:
            for i in range(n):
                ki = key[i]
                for j in range(i):
                    rk[i] += np.int32(key[j] == ki)
    for i in range(n):
        c = rk[i]
        counts[i * n + c - 1] += 1
        if c == 1:
            alt[npairs] = i
            rows[npairs] = r
            npairs += 1
    return npairs


@_jit
def count_scores(
    S: np.ndarray,
    higher_is_better: bool,
    first: bool,
    counts: np.ndarray,
    alt: np.ndarray,
    rows: np.ndarray,
    row0: int,
) -> int:
    """Add the ranks of the score rows ``S`` (s x n) to ``counts`` (n*n, alternative-major); write
    the (alternative, row0 + sample) pairs at rank 1 to ``alt``/``rows``; return how many."""
    s, n = S.shape
    key, k32, rk = np.empty(n), np.empty(n, dtype=np.float32), np.empty(n, dtype=np.int32)
    sign = -1.0 if higher_is_better else 1.0
    npairs = 0
    for r in range(s):
        for i in range(n):
            key[i] = sign * (np.rint(S[r, i] * 1e12) / 1e12)  # = np.round(x, 12), bit for bit
        npairs = count_row(key, k32, rk, n, row0 + r, first, counts, alt, rows, npairs)
    return npairs


@_jit
def count_closeness(
    D: np.ndarray,
    first: bool,
    counts: np.ndarray,
    alt: np.ndarray,
    rows: np.ndarray,
    row0: int,
) -> int:
    """:func:`count_scores` of TOPSIS closeness from the squared distances ``D`` (s x 2n: to the best,
    then to the worst value): square roots, closeness and rounding per sample, as ``topsis_batch``."""
    s, n2 = D.shape
    n = n2 // 2
    d = np.empty(n2)
    key, k32, rk = np.empty(n), np.empty(n, dtype=np.float32), np.empty(n, dtype=np.int32)
    npairs = 0
    for r in range(s):
        for c in range(n2):
            d[c] = np.sqrt(D[r, c])
        for i in range(n):
            key[i] = -(np.rint(d[n + i] / (d[i] + d[n + i]) * 1e12) / 1e12)
        npairs = count_row(key, k32, rk, n, row0 + r, first, counts, alt, rows, npairs)
    return npairs


@_jit
def add_rows(out: np.ndarray, idx: np.ndarray, rows: np.ndarray, W: np.ndarray) -> None:
    """``out[idx[p]] += W[rows[p]]`` for p in order: SMAA's central-weight sums, one addition after another
    per (alternative, criterion) as ``numpy.bincount(..., weights=...)`` makes them (the same bits), without
    gathering the weight rows first."""
    m = W.shape[1]
    for p in range(idx.shape[0]):
        i, r = idx[p], rows[p]
        for c in range(m):
            out[i, c] += W[r, c]
