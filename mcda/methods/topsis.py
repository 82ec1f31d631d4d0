"""TOPSIS (Hwang & Yoon 1981): relative closeness to the ideal solution, higher is better.

Plain numpy on purpose: pymcdm normalises column by column in a Python loop and its import alone
(~0.6 s, it pulls in matplotlib) would dominate the command-line ``rank`` time. Checked against
pymcdm in the tests.

Two routes to the same closeness, tested equal to 1e-12:

* the fast path (:func:`topsis_scores`, used by ``scores`` and the command line): cost columns
  are turned round by :func:`mcda.normalization.normalize` (``1 - x/||x||``), so the ideal is
  the column maximum everywhere;
* the explain path (``rank`` / ``explain``): Hwang & Yoon's own tables, ``r = x/||x||`` for
  every criterion and the ideal at the column *minimum* of a cost criterion. ``1 - x/||x||`` is
  a reflection of that column, so every distance is the same.

Batched form: with R the normalised matrix and w >= 0 the weighted ideal / anti-ideal are
``w * max_i R`` and ``w * min_i R``, so ``D+_i^2 = sum_j w_j^2 (r_ij - r*_j)^2`` is one
``(s x m) @ (m x n)`` product of ``W^2`` with the squared gaps; closeness ``D- / (D+ + D-)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, derived, frame, matmul, matmul_pieces
from mcda.normalization import normalize, normalize_stack

NORMALIZATIONS = ("vector", "minmax")


def topsis_scores(R: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Closeness C = D- / (D+ + D-) of each row of the normalised (higher-is-better) matrix R.

    Parameters
    ----------
    R : numpy.ndarray
        ``(n x m)`` normalised values, cost criteria already turned round.
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` closeness in [0, 1].
    """
    V = R * w
    dp = V - V.max(axis=0)
    dm = V - V.min(axis=0)
    dp = np.sqrt(np.einsum("ij,ij->i", dp, dp))
    dm = np.sqrt(np.einsum("ij,ij->i", dm, dm))
    return dm / (dp + dm)


def topsis_distances(A: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``(s x 2n)`` squared distances to the ideal | to the anti-ideal for a block of weight rows ``W``:
    one product of the squared weights with ``A`` = ``[((R - max R)^2)^T | ((R - min R)^2)^T]``."""
    return matmul(W * W, A)


def topsis_batch(A: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Closeness for a block of weight vectors from the squared gaps to the best / worst value.

    Parameters
    ----------
    A : numpy.ndarray
        ``(m x 2n)``: ``[((R - max R)^2)^T | ((R - min R)^2)^T]``, both distances in one product.
    W : numpy.ndarray
        ``(s x m)`` weights, rows summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(s x n)`` closeness (SMAA's compiled kernel repeats these element-wise steps, in this order,
        on :func:`topsis_distances`: ``mcda.rank_kernels_jit.count_closeness``).
    """
    n = A.shape[1] // 2
    D = topsis_distances(A, W)  # (s x 2n): D+^2 | D-^2, one product
    np.sqrt(D, out=D)
    dp, dm = D[:, :n], D[:, n:]
    total = dp + dm
    return np.divide(dm, total, out=total)


class TOPSIS(RankingMethod):
    """TOPSIS (Hwang & Yoon 1981): closeness to the ideal, C = D- / (D+ + D-), higher is better.

    Parameters
    ----------
    normalization : {"vector", "minmax"}
        ``vector`` (default, as Hwang & Yoon) or ``minmax`` (pymcdm's default).

    Notes
    -----
    Contributions (exact): with d+_ij, d-_ij the weighted distances of alternative i to the ideal
    and the anti-ideal on criterion j,
    ``contrib_ij = (d-_ij^2 - d+_ij^2) / (2 (D+_i + D-_i)^2)`` and ``0.5 + sum_j contrib_ij = C_i``
    (because D-^2 - D+^2 = (D- - D+)(D- + D+)). Positive: on this criterion the alternative is
    nearer the ideal than the anti-ideal and pulls the score above the neutral 0.5.
    """

    name = "topsis"
    description = "TOPSIS (Hwang & Yoon 1981): relative closeness to the ideal solution"
    reference = (
        "Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and Applications. Springer."
    )
    contribution_meaning = (
        "signed share of the closeness: (d-^2 - d+^2) / (2 (D+ + D-)^2) per criterion; "
        "positive when nearer the ideal than the anti-ideal on that criterion"
    )
    contribution_baseline = 0.5
    captions: ClassVar[dict[str, str]] = {
        "normalized": "Normalized decision matrix",
        "weighted": "Weighted normalized decision matrix",
        "ideal": "Ideal and anti-ideal solutions",
        "separation": "Separation measures and closeness",
    }

    def __init__(self, normalization: str = "vector") -> None:
        if normalization not in NORMALIZATIONS:
            raise InputError(
                f"TOPSIS normalisation must be vector or minmax, not '{normalization}'", where="normalization"
            )
        self.normalization = normalization

    def options(self) -> dict[str, Any]:
        return {"normalization": self.normalization}

    def prepare(self, problem: Any) -> Prepared:
        def compute() -> np.ndarray:
            return normalize(problem.values, problem.types, self.normalization, problem.criterion_ids)

        return {"R": derived(problem, ("normalize", self.normalization), compute)}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return topsis_scores(prepared["R"], w)

    def _gaps(self, prepared: Prepared) -> np.ndarray:
        if "A" not in prepared:
            R = prepared["R"]
            # m x 2n: squared gaps to the best, then to the worst value, so one product gives both distances
            prepared["A"] = np.ascontiguousarray(
                np.hstack([((R - R.max(axis=0)) ** 2).T, ((R - R.min(axis=0)) ** 2).T])
            )
        return np.asarray(prepared["A"])

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        return topsis_batch(self._gaps(prepared), W)

    def batch_distances(self, prepared: Prepared, W: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
        """The ``(s x 2n)`` squared distances ``batch_scores`` takes its closeness from, as (first row, rows)
        pieces of one reused buffer (:func:`mcda.methods.base.matmul_pieces`: the same bits). SMAA's compiled
        kernel finishes each piece per sample (:mod:`mcda.rank_kernels`)."""
        return matmul_pieces(W * W, self._gaps(prepared))

    def sampled_scores(self, X: np.ndarray, types: np.ndarray, W: np.ndarray) -> np.ndarray | None:
        """Scores of weight row ``W[s]`` on value matrix ``X[s]`` for a ``(k x n x m)`` stack of sampled
        data (SMAA with data uncertainty): :func:`topsis_scores` per slice, vectorised; None = score
        slice by slice (a slice the normalisation refuses)."""
        R = normalize_stack(X, types, self.normalization)
        if R is None:
            return None
        V = R * W[:, None, :]
        dp = V - V.max(axis=1, keepdims=True)
        dm = V - V.min(axis=1, keepdims=True)
        dp = np.sqrt(np.einsum("knm,knm->kn", dp, dp))
        dm = np.sqrt(np.einsum("knm,knm->kn", dm, dm))
        return dm / (dp + dm)

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        if self.normalization == "vector":
            # Hwang & Yoon's own tables: r = x/||x|| for every criterion; the ideal takes the
            # column minimum on cost criteria. Distances equal those of the fast path exactly.
            normalize(X, types, "vector", cids)  # same validation (zero column) as the fast path
            R = X / np.sqrt(np.einsum("ij,ij->j", X, X))
            cost = types < 0
        else:
            R = normalize(X, types, self.normalization, cids)  # already higher-is-better
            cost = np.zeros(len(types), dtype=bool)
        V = R * w
        vmax, vmin = V.max(axis=0), V.min(axis=0)
        pis, nis = np.where(cost, vmin, vmax), np.where(cost, vmax, vmin)
        dp2, dm2 = (V - pis) ** 2, (V - nis) ** 2
        Dp, Dm = np.sqrt(dp2.sum(axis=1)), np.sqrt(dm2.sum(axis=1))
        score = Dm / (Dp + Dm)
        contrib = (dm2 - dp2) / (2.0 * (Dp + Dm) ** 2)[:, None]
        return {"score": score, "contrib": contrib, "R": R, "V": V, "pis": pis, "nis": nis, "Dp": Dp, "Dm": Dm}

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {
            "normalized": frame(res["R"], alts, cids),
            "weighted": frame(res["V"], alts, cids),
            "ideal": pd.DataFrame({"ideal": res["pis"], "anti_ideal": res["nis"]}, index=pd.Index(cids)),
            "separation": pd.DataFrame(
                {"d_ideal": res["Dp"], "d_anti_ideal": res["Dm"], "closeness": res["score"]}, index=pd.Index(alts)
            ),
        }


METHOD_CLASSES = (TOPSIS,)
