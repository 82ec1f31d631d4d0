"""Column normalisations for MCDM, benefit/cost aware, numpy in and out.

``normalize(values, types, kind)`` is a pure function: ``values`` is an n x m float array
(alternatives x criteria), ``types`` holds +1 (benefit) or -1 (cost) per criterion, and the result
is an n x m array in which **higher is always better** (cost criteria are turned round). It is
shared by the ranking methods and by the batched robustness code, so it does no per-column
Python loop and never looks at weights.

Kinds
-----
``vector`` (Hwang & Yoon 1981, p. 131)
    benefit: r = x / ||x||_2 ; cost: r = 1 - x / ||x||_2.
    Hwang & Yoon keep r = x/||x|| for cost criteria and take the column *minimum* as the ideal.
    ``1 - x/||x||`` is a reflection of that column, so every distance TOPSIS computes (to the
    ideal and to the anti-ideal) is exactly Hwang & Yoon's; the same convention as pymcdm's
    ``vector_normalization``.
``minmax`` (linear scale transformation onto [0, 1])
    benefit: r = (x - min) / (max - min) ; cost: r = (max - x) / (max - min).
    Invariant to positive scaling *and* shifting of a column. A constant column has max == min:
    it raises InputError naming the criterion (DecisionProblem already rejects constant columns;
    this guards callers that pass raw arrays).
``max`` (linear, ratio scale; needs x > 0)
    benefit: r = x / max ; cost: r = min / x.
``sum`` (ratio scale; needs x > 0)
    benefit: r = x / sum(x) ; cost: r = (1/x) / sum(1/x).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mcda.errors import InputError

KINDS = {
    "vector": "vector (Euclidean) normalisation, Hwang & Yoon 1981: x/||x||; cost 1 - x/||x||",
    "minmax": "min-max linear normalisation onto [0, 1]; cost reversed",
    "max": "linear max normalisation: x/max; cost min/x (values must be > 0)",
    "sum": "sum normalisation: x/sum(x); cost (1/x)/sum(1/x) (values must be > 0)",
}


def _crit_name(j: int, criterion_ids: Sequence[str] | None) -> str:
    return f"criterion {criterion_ids[j]}" if criterion_ids is not None else f"criterion #{j + 1}"


def _require_positive(x: np.ndarray, kind: str, criterion_ids: Sequence[str] | None) -> None:
    bad = np.flatnonzero((x <= 0).any(axis=0))
    if bad.size:
        j = int(bad[0])
        raise InputError(
            f"{kind} normalisation needs values > 0, but {_crit_name(j, criterion_ids)} has a value <= 0",
            where=f"column {criterion_ids[j]}" if criterion_ids is not None else f"column {j + 1}",
            hint="Switch this criterion off, or use a method that accepts zero and negative values "
            "(e.g. TOPSIS or WSM with min-max normalisation; WPM cannot).",
        )


def normalize(
    values: np.ndarray,
    types: np.ndarray | Sequence[int],
    kind: str = "vector",
    criterion_ids: Sequence[str] | None = None,
) -> np.ndarray:
    """Normalise each column of ``values`` (n x m) so that higher is better; see module doc.

    ``criterion_ids`` (optional) only improves error messages.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2:
        raise InputError(f"the decision matrix must be 2-D, got shape {x.shape}")
    t = np.asarray(types)
    if t.shape != (x.shape[1],):
        raise InputError(f"expected {x.shape[1]} criterion types (+1 benefit / -1 cost), got shape {t.shape}")
    cost = t < 0
    if kind == "vector":
        norm = np.sqrt(np.einsum("ij,ij->j", x, x))
        zero = np.flatnonzero(norm == 0)
        if zero.size:
            j = int(zero[0])
            raise InputError(
                f"{_crit_name(j, criterion_ids)} is zero for every alternative, "
                "so vector normalisation divides by zero",
                where=f"column {criterion_ids[j]}" if criterion_ids is not None else f"column {j + 1}",
                hint="Switch this criterion off or correct the data.",
            )
        r = x / norm
        if cost.any():
            r[:, cost] = 1.0 - r[:, cost]
        return r
    if kind == "minmax":
        lo = x.min(axis=0)
        hi = x.max(axis=0)
        span = hi - lo
        const = np.flatnonzero(span == 0)
        if const.size:
            j = int(const[0])
            raise InputError(
                f"{_crit_name(j, criterion_ids)} has the same value ({x[0, j]:g}) for every alternative, "
                "so min-max normalisation divides by zero",
                where=f"column {criterion_ids[j]}" if criterion_ids is not None else f"column {j + 1}",
                hint="Switch this criterion off or correct the data.",
            )
        # benefit: (x - lo)/span ; cost: (hi - x)/span, done as one expression without a column loop
        return np.where(cost, hi - x, x - lo) / span
    if kind == "max":
        _require_positive(x, kind, criterion_ids)
        return np.where(cost, x.min(axis=0) / x, x / x.max(axis=0))
    if kind == "sum":
        _require_positive(x, kind, criterion_ids)
        inv = 1.0 / x
        return np.where(cost, inv / inv.sum(axis=0), x / x.sum(axis=0))
    raise InputError(f"unknown normalisation '{kind}'", hint="Use one of: " + ", ".join(KINDS) + ".")


def normalize_stack(values: np.ndarray, types: np.ndarray | Sequence[int], kind: str = "vector") -> np.ndarray | None:
    """:func:`normalize` of each ``(n x m)`` slice of a ``(k x n x m)`` stack at once (sampled data).

    Slice ``s`` equals ``normalize(values[s], types, kind)`` (the same arithmetic, per slice). Returns
    None when a slice would be refused (a zero or constant column, a value <= 0 for ``max`` / ``sum``)
    or the kind has no stacked form: the caller then normalises slice by slice, which names the problem.
    """
    x = np.asarray(values, dtype=float)
    cost = np.asarray(types) < 0
    if kind == "vector":
        norm = np.sqrt(np.einsum("knm,knm->km", x, x))[:, None, :]
        if (norm == 0).any():
            return None
        r = x / norm
        if cost.any():
            r[:, :, cost] = 1.0 - r[:, :, cost]
        return r
    if kind == "minmax":
        lo = x.min(axis=1, keepdims=True)
        hi = x.max(axis=1, keepdims=True)
        span = hi - lo
        if (span == 0).any():
            return None
        return np.where(cost, hi - x, x - lo) / span
    return None
