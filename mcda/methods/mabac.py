"""MABAC (Pamučar & Ćirović 2015): distance from the border approximation area, higher is better.

Plain numpy on purpose: pymcdm 1.4.0 computes the border approximation area as prod(V)**(1/n),
which underflows on larger tables (every score shifted by 0.015 at n=200, 0.29 at n=800); here it
is the log-mean exp(mean(log V)).

Linear in the weights: V_ij = w_j (r_ij + 1) and G_j = w_j g_j with g_j = exp(mean_i ln(r_ij + 1)),
so score_i = sum_j w_j (r_ij + 1 - g_j) and the batched form is one matrix product.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.methods.base import Prepared, RankingMethod, frame, matmul
from mcda.normalization import normalize


def mabac_terms(R: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distances V - G (n x m) from the border approximation area and the area G (m,)."""
    V = w * (R + 1.0)
    with np.errstate(divide="ignore"):
        G = np.exp(np.log(V).mean(axis=0))  # geometric mean as a log-mean (no underflow); 0 where w_j = 0
    return V - G, G


def mabac_scores(R: np.ndarray, w: np.ndarray) -> np.ndarray:
    """MABAC score sum_j (V_ij - G_j) for one weight vector.

    Parameters
    ----------
    R : numpy.ndarray
        ``(n x m)`` min-max normalised values (cost criteria turned round).
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` scores.
    """
    return mabac_terms(R, w)[0].sum(axis=1)


class MABAC(RankingMethod):
    """MABAC (Pamučar & Ćirović 2015): distance from the border approximation area, higher is better.

    Notes
    -----
    r = min-max normalised; V_ij = w_j (r_ij + 1); G_j = (prod_i V_ij)^(1/n); score = sum_j (V_ij - G_j).
    G_j is computed as the log-mean exp(mean_i log V_ij), not as the n-th root of the product.
    Contributions: V_ij - G_j exactly; sum = score.
    """

    name = "mabac"
    description = "MABAC: multi-attributive border approximation area comparison"
    reference = (
        "Pamučar, D. & Ćirović, G. (2015). The selection of transport and handling resources in "
        "logistics centers using MABAC. Expert Systems with Applications 42(6), 3016-3028."
    )
    contribution_meaning = "V_ij - G_j (distance from the border approximation area); sum = score"
    captions: ClassVar[dict[str, str]] = {
        "border": "Border approximation area G",
        "distance": "Distances from the border area",
    }

    def prepare(self, problem: Any) -> Prepared:
        return {"R": normalize(problem.values, problem.types, "minmax", problem.criterion_ids)}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return mabac_scores(prepared["R"], w)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        if "A_T" not in prepared:
            R1 = prepared["R"] + 1.0
            g = np.exp(np.log(R1).mean(axis=0))
            prepared["A_T"] = np.ascontiguousarray((R1 - g).T)
        return matmul(W, prepared["A_T"])

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        R = normalize(X, types, "minmax", cids)
        contrib, G = mabac_terms(R, w)
        return {"score": contrib.sum(axis=1), "contrib": contrib, "G": G}

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {
            "border": pd.DataFrame({"G": res["G"]}, index=pd.Index(cids)),
            "distance": frame(res["contrib"], alts, cids),
        }


METHOD_CLASSES = (MABAC,)
