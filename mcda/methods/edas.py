"""EDAS (Keshavarz Ghorabaee et al. 2015): evaluation based on distance from the average solution.

Plain numpy with the same operations as pymcdm 1.4.0's EDAS (checked against it in the tests),
without its import cost. The positive / negative distances from the average (PDA, NDA) do not
depend on the weights and SP, SN are linear in them: the batched form is two matrix products.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, matmul


def edas_distances(X: np.ndarray, types: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PDA and NDA ``(n x m)``: distances above / below the column mean, relative to it, by direction."""
    mean = X.mean(axis=0)
    D = (X - mean) / mean * types
    return np.maximum(D, 0.0), np.maximum(-D, 0.0)


def edas_scores(pda: np.ndarray, nda: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Appraisal score AS = (SP / max SP + 1 - SN / max SN) / 2 for one weight vector.

    Parameters
    ----------
    pda, nda : numpy.ndarray
        ``(n x m)`` positive / negative distances from the average.
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` appraisal scores in [0, 1].
    """
    sp = np.sum(w * pda, axis=1)
    sn = np.sum(w * nda, axis=1)
    nsp = sp / np.max(sp, axis=0)
    nsn = 1 - sn / np.max(sn, axis=0)
    return (nsp + nsn) / 2


def edas_batch(pda_T: np.ndarray, nda_T: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Appraisal scores for a block of weight vectors (``(s x m)`` -> ``(s x n)``)."""
    sp = matmul(W, pda_T)
    sn = matmul(W, nda_T)
    return (sp / sp.max(axis=1, keepdims=True) + (1 - sn / sn.max(axis=1, keepdims=True))) / 2


class EDAS(RankingMethod):
    """EDAS (Keshavarz Ghorabaee et al. 2015): distance from the average solution, score in [0, 1].

    Notes
    -----
    PDA/NDA = positive/negative distance from the column mean (relative to the mean);
    AS = (SP/max SP + 1 - SN/max SN) / 2. Needs every column mean > 0. Contributions (exact):
    0.5 w_j (PDA_ij / max SP - NDA_ij / max SN); 0.5 + their sum = score.
    """

    name = "edas"
    description = "EDAS: evaluation based on distance from the average solution"
    reference = (
        "Keshavarz Ghorabaee, M., Zavadskas, E. K., Olfat, L. & Turskis, Z. (2015). Multi-criteria "
        "inventory classification using a new method of evaluation based on distance from average "
        "solution (EDAS). Informatica 26(3), 435-451."
    )
    contribution_meaning = "0.5 w_j (PDA_ij/max SP - NDA_ij/max SN); 0.5 + sum = score"
    contribution_baseline = 0.5
    captions: ClassVar[dict[str, str]] = {
        "pda": "Positive distance from average (PDA)",
        "nda": "Negative distance from average (NDA)",
        "sums": "SP, SN and appraisal score",
    }

    def _check(self, X: np.ndarray, cids: list[str]) -> None:
        mean = X.mean(axis=0)
        if (mean <= 0).any():
            j = int(np.flatnonzero(mean <= 0)[0])
            raise InputError(
                f"EDAS needs a positive column mean, but criterion {cids[j]} has mean {mean[j]:g}",
                where=f"column {cids[j]}",
                hint="Use TOPSIS, VIKOR, PROMETHEE II or WSM for this data.",
            )

    def prepare(self, problem: Any) -> Prepared:
        self._check(problem.values, problem.criterion_ids)
        pda, nda = edas_distances(problem.values, problem.types)
        return {"pda": pda, "nda": nda}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return edas_scores(prepared["pda"], prepared["nda"], w)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        if "pda_T" not in prepared:
            prepared["pda_T"] = np.ascontiguousarray(prepared["pda"].T)
            prepared["nda_T"] = np.ascontiguousarray(prepared["nda"].T)
        return edas_batch(prepared["pda_T"], prepared["nda_T"], W)

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        self._check(X, cids)
        pda, nda = edas_distances(X, types)
        score = edas_scores(pda, nda, w)
        sp, sn = pda @ w, nda @ w
        contrib = 0.5 * w * (pda / sp.max() - nda / sn.max())
        return {"score": score, "contrib": contrib, "pda": pda, "nda": nda, "sp": sp, "sn": sn}

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {
            "pda": frame(res["pda"], alts, cids),
            "nda": frame(res["nda"], alts, cids),
            "sums": pd.DataFrame({"SP": res["sp"], "SN": res["sn"], "AS": res["score"]}, index=pd.Index(alts)),
        }


METHOD_CLASSES = (EDAS,)
