"""COPRAS (Zavadskas & Kaklauskas 1996): complex proportional assessment, utility degree.

Plain numpy on purpose: pymcdm 1.4.0 computes Q = S+ + (min S- * S-) / (S- * min S- / S-), which
reduces to S+ + S-: cost criteria end up counted as benefits. Here Q follows Zavadskas &
Kaklauskas (1996) and reproduces Goswami & Mitra (2020)'s published utility degrees.

The sum normalisation does not depend on the weights, and S+ and S- are linear in them, so the
batched form is two matrix products followed by the element-wise formula for Q.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, matmul


def copras_indices(Rn: np.ndarray, cost: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
    """S+, S-, Q, the utility degree (the score) and the contributions for one weight vector.

    Parameters
    ----------
    Rn : numpy.ndarray
        ``(n x m)`` sum-normalised values x_ij / sum_i x_ij.
    cost : numpy.ndarray
        ``(m,)`` bool, True on cost criteria.
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    dict
        ``score`` (Q / max Q), ``contrib``, ``Sp``, ``Sm``, ``Q``.
    """
    W = Rn * w
    Sp = W[:, ~cost].sum(axis=1)
    contrib = np.where(cost, 0.0, W)
    if cost.any():
        Sm = W[:, cost].sum(axis=1)
        if (Sm == 0).any():  # only when every cost weight is 0
            Q = Sp
        else:
            term = Sm.sum() / (Sm * (1.0 / Sm).sum())
            Q = Sp + term
            contrib = np.where(cost, W / Sm[:, None] * term[:, None], W)
    else:
        Sm = np.zeros(len(Rn))
        Q = Sp
    qmax = Q.max()
    return {"score": Q / qmax, "contrib": contrib / qmax, "Sp": Sp, "Sm": Sm, "Q": Q}


def copras_batch(Rn: np.ndarray, cost: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Utility degrees for a block of weight vectors (``(s x m)`` -> ``(s x n)``)."""
    Sp = matmul(W[:, ~cost], np.ascontiguousarray(Rn[:, ~cost].T))
    if not cost.any():
        Q = Sp
    else:
        Sm = matmul(W[:, cost], np.ascontiguousarray(Rn[:, cost].T))
        zero = (Sm == 0).any(axis=1)  # every cost weight 0 in that row: Q = S+
        safe = np.where(zero[:, None], 1.0, Sm)
        term = safe.sum(axis=1, keepdims=True) / (safe * (1.0 / safe).sum(axis=1, keepdims=True))
        Q = np.where(zero[:, None], Sp, Sp + term)
    return Q / Q.max(axis=1, keepdims=True)


class COPRAS(RankingMethod):
    """COPRAS (Zavadskas & Kaklauskas 1996): score = utility degree Q_i / max Q, higher is better.

    Notes
    -----
    r_ij = x_ij / sum_i x_ij; S+_i, S-_i = weighted sums over benefit / cost criteria;
    Q_i = S+_i + sum(S-) / (S-_i * sum_k 1/S-_k) (Q = S+ when there is no cost criterion).
    Needs values >= 0 on benefit and > 0 on cost criteria.

    Contributions (exact): benefit criterion j: w_j r_ij / Qmax; cost criterion j: its share of
    S-_i times the cost term, (w_j r_ij / S-_i) * sum(S-) / (S-_i sum 1/S-) / Qmax; they sum to
    the score.
    """

    name = "copras"
    description = "COPRAS (Zavadskas & Kaklauskas 1996): complex proportional assessment, utility degree"
    reference = (
        "Zavadskas, E. K. & Kaklauskas, A. (1996). Multiple criteria evaluation of buildings. Technika, Vilnius."
    )
    contribution_meaning = "benefit: w_j r_ij / Qmax; cost: share of S- times the cost term / Qmax; sum = score"
    captions: ClassVar[dict[str, str]] = {
        "normalized": "Normalized decision matrix",
        "sums": "S+, S-, Q and utility degree",
    }

    def _check(self, X: np.ndarray, types: np.ndarray, cids: list[str]) -> np.ndarray:
        cost = types < 0
        bad = np.flatnonzero(((X <= 0) & cost) | ((X < 0) & ~cost)).tolist()
        if bad:
            i, j = divmod(bad[0], X.shape[1])
            raise InputError(
                "COPRAS needs values >= 0 (and > 0 on cost criteria)",
                where=f"alternative #{i + 1}, column {cids[j]}",
                hint="Use TOPSIS, VIKOR, PROMETHEE II or WSM (minmax) for data with zero or negative values.",
            )
        return cost

    def prepare(self, problem: Any) -> Prepared:
        X = problem.values
        cost = self._check(X, problem.types, problem.criterion_ids)
        return {"Rn": X / X.sum(axis=0), "cost": cost}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return copras_indices(prepared["Rn"], prepared["cost"], w)["score"]

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        return copras_batch(prepared["Rn"], prepared["cost"], W)

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        cost = self._check(X, types, cids)
        Rn = X / X.sum(axis=0)
        return {**copras_indices(Rn, cost, w), "R": Rn}

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {
            "normalized": frame(res["R"], alts, cids),
            "sums": pd.DataFrame(
                {"S_plus": res["Sp"], "S_minus": res["Sm"], "Q": res["Q"], "utility_degree": res["score"]},
                index=pd.Index(alts),
            ),
        }


METHOD_CLASSES = (COPRAS,)
