"""WSM — weighted sum of normalised values (simple additive weighting), higher is better.

Plain numpy: the per-criterion contributions w_j r_ij *are* the computation; the score is their
sum (pymcdm's WSM would only add them up again). Linear in the weights, so the batched form is
one matrix product ``W @ R^T``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, matmul
from mcda.normalization import KINDS as NORMALIZATIONS
from mcda.normalization import normalize, normalize_stack


def wsm_scores(R: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted sum ``R @ w`` of the normalised (higher-is-better) matrix.

    Parameters
    ----------
    R : numpy.ndarray
        ``(n x m)`` normalised values.
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` scores.
    """
    return R @ w


class WSM(RankingMethod):
    """Weighted sum on normalised values: score_i = sum_j w_j r_ij, higher is better.

    Parameters
    ----------
    normalization : {"minmax", "vector", "max", "sum"}
        See :mod:`mcda.normalization` (default minmax).

    Notes
    -----
    Contributions: w_j r_ij exactly; they sum to the score.
    """

    name = "wsm"
    description = "weighted sum of normalised values (simple additive weighting)"
    aliases = ("saw", "weighted_sum")
    reference = "MacCrimmon, K. R. (1968). Decision making among multiple-attribute alternatives. RAND RM-4823-ARPA."
    contribution_meaning = "w_j * r_ij (weighted normalised value); they sum to the score"
    captions: ClassVar[dict[str, str]] = {
        "normalized": "Normalized decision matrix",
        "weighted": "Weighted normalized decision matrix",
    }

    def __init__(self, normalization: str = "minmax") -> None:
        if normalization not in NORMALIZATIONS:
            raise InputError(
                f"unknown normalisation '{normalization}' for WSM",
                where="normalization",
                hint="Use one of: " + ", ".join(NORMALIZATIONS) + ".",
            )
        self.normalization = normalization

    def options(self) -> dict[str, Any]:
        return {"normalization": self.normalization}

    def prepare(self, problem: Any) -> Prepared:
        return {"R": normalize(problem.values, problem.types, self.normalization, problem.criterion_ids)}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return wsm_scores(prepared["R"], w)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        if "R_T" not in prepared:
            prepared["R_T"] = np.ascontiguousarray(prepared["R"].T)
        return matmul(W, prepared["R_T"])

    def sampled_scores(self, X: np.ndarray, types: np.ndarray, W: np.ndarray) -> np.ndarray | None:
        """Scores of weight row ``W[s]`` on value matrix ``X[s]`` for a ``(k x n x m)`` stack of sampled
        data: :func:`wsm_scores` per slice, vectorised; None = score slice by slice."""
        R = normalize_stack(X, types, self.normalization)
        return None if R is None else np.einsum("knm,km->kn", R, W)

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        R = normalize(X, types, self.normalization, cids)
        contrib = R * w
        return {"score": contrib.sum(axis=1), "contrib": contrib, "R": R}

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {"normalized": frame(res["R"], alts, cids), "weighted": frame(res["contrib"], alts, cids)}


METHOD_CLASSES = (WSM,)
