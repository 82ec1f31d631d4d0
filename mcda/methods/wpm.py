"""WPM — weighted product of ratio-normalised values (values must be > 0), higher is better.

score_i = prod_j r_ij ** w_j. Plain numpy with the same operations as pymcdm 1.4.0's WPM
(``np.prod(R ** w, axis=1)``; checked against it in the tests), without its import cost.
Log-linear in the weights: the batched form is ``exp(W @ ln(R)^T)``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, matmul
from mcda.normalization import normalize

NORMALIZATIONS = ("max", "sum")


def wpm_scores(R: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted product ``prod_j R_ij ** w_j``.

    Parameters
    ----------
    R : numpy.ndarray
        ``(n x m)`` ratio-normalised values (> 0).
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` scores.
    """
    return np.prod(R**w, axis=1)


class WPM(RankingMethod):
    """Weighted product: score_i = prod_j r_ij ** w_j on ratio-normalised values (needs values > 0).

    Parameters
    ----------
    normalization : {"max", "sum"}
        max (default; r = x/max, cost min/x) or sum. Both give the same ranking.

    Notes
    -----
    Contributions: w_j ln r_ij, which sum to ln(score) (the product is additive on the log
    scale); all are <= 0 with max normalisation.
    """

    name = "wpm"
    description = "weighted product of ratio-normalised values (values must be > 0)"
    reference = (
        "Bridgman, P. W. (1922). Dimensional Analysis. Yale University Press; Miller, D. W. & Starr, "
        "M. K. (1969). Executive Decisions and Operations Research. Prentice-Hall."
    )
    contribution_meaning = "w_j * ln(r_ij); they sum to ln(score)"
    contributions_sum_to = "ln(score)"
    captions: ClassVar[dict[str, str]] = {"normalized": "Normalized decision matrix"}

    def __init__(self, normalization: str = "max") -> None:
        if normalization not in NORMALIZATIONS:
            raise InputError(f"WPM normalisation must be max or sum, not '{normalization}'", where="normalization")
        self.normalization = normalization

    def options(self) -> dict[str, Any]:
        return {"normalization": self.normalization}

    def prepare(self, problem: Any) -> Prepared:
        # also rejects values <= 0 with a message naming the criterion
        return {"R": normalize(problem.values, problem.types, self.normalization, problem.criterion_ids)}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return wpm_scores(prepared["R"], w)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        if "logR_T" not in prepared:
            prepared["logR_T"] = np.ascontiguousarray(np.log(prepared["R"]).T)
        return np.exp(matmul(W, prepared["logR_T"]))

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        R = normalize(X, types, self.normalization, cids)
        return {"score": wpm_scores(R, w), "contrib": w * np.log(R), "R": R}

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {"normalized": frame(res["R"], alts, cids)}


METHOD_CLASSES = (WPM,)
