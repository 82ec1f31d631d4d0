"""VIKOR (Opricovic 1998; Opricovic & Tzeng 2004): compromise ranking, score = Q, lower is better.

Plain numpy on purpose: pymcdm 1.4.0 returns NaN Q when all S (or all R) are equal (e.g. two
alternatives that each win one equally weighted criterion) and does not return the per-criterion
regret terms; here a zero range makes that term 0. Checked against pymcdm in the tests.

Batched form: the regret terms ``t_ij = w_j (f*_j - f_ij) / (f*_j - f-_j)`` for a whole block of
weight vectors at once (an s x n x m array, in sub-blocks that bound memory), then S, R and Q
with the same operations, in the same order, as the single call (including rounding S and R to
12 decimals), so ties in S or R are the same ties.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, rank_scores

#: cells of the (rows x n x m) regret array built at once by the batched form
BATCH_CELLS = 2_000_000


def vikor_indices(gap: np.ndarray, span: np.ndarray, w: np.ndarray, v: float) -> dict[str, np.ndarray]:
    """Regret terms T, group utility S, individual regret R and Q for one weight vector.

    Parameters
    ----------
    gap : numpy.ndarray
        ``(n x m)`` f*_j - f_ij (values turned so that higher is better).
    span : numpy.ndarray
        ``(m,)`` f*_j - f-_j (> 0).
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.
    v : float
        Weight of the majority rule (S) against the individual regret (R).

    Returns
    -------
    dict
        ``T`` (n x m), ``S``, ``R``, ``Q`` (n,).
    """
    T = w * gap / span
    # S and R lie in [0, 1] (weights sum to 1); round off the last bits so that ties in S or R
    # computed along different paths are exact ties (else Q divides round-off noise).
    S, R = np.round(T.sum(axis=1), 12), np.round(T.max(axis=1), 12)
    s_rng, r_rng = S.max() - S.min(), R.max() - R.min()
    qs = (S - S.min()) / s_rng if s_rng > 0 else np.zeros_like(S)
    qr = (R - R.min()) / r_rng if r_rng > 0 else np.zeros_like(R)
    return {"T": T, "S": S, "R": R, "Q": v * qs + (1 - v) * qr}


def vikor_batch(gap: np.ndarray, span: np.ndarray, W: np.ndarray, v: float) -> np.ndarray:
    """Q for a block of weight vectors (same operations as :func:`vikor_indices`, row by row).

    Parameters
    ----------
    gap, span : numpy.ndarray
        As :func:`vikor_indices`.
    W : numpy.ndarray
        ``(s x m)`` weights, rows summing to 1.
    v : float
        As :func:`vikor_indices`.

    Returns
    -------
    numpy.ndarray
        ``(s x n)`` Q.
    """
    n, m = gap.shape
    step = max(1, BATCH_CELLS // max(1, n * m))
    out = np.empty((W.shape[0], n))

    def scaled(a: np.ndarray) -> np.ndarray:
        lo = a.min(axis=1, keepdims=True)
        rng = a.max(axis=1, keepdims=True) - lo
        safe = np.where(rng > 0, rng, 1.0)
        return np.where(rng > 0, (a - lo) / safe, 0.0)

    for a in range(0, W.shape[0], step):
        Wb = W[a : a + step]
        T = Wb[:, None, :] * gap[None, :, :] / span
        S, R = np.round(T.sum(axis=2), 12), np.round(T.max(axis=2), 12)
        out[a : a + step] = v * scaled(S) + (1 - v) * scaled(R)
    return out


class VIKOR(RankingMethod):
    """VIKOR (Opricovic 1998; Opricovic & Tzeng 2004): compromise ranking, score = Q, LOWER is better.

    Parameters
    ----------
    v : float
        Weight of the majority rule against the individual regret, in [0, 1] (default 0.5).

    Notes
    -----
    t_ij = w_j (f*_j - f_ij) / (f*_j - f-_j) (regret of alternative i on criterion j),
    S_i = sum_j t_ij (group utility), R_i = max_j t_ij (individual regret),
    Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*); a term whose range is zero
    is taken as 0.

    Contributions: the regret terms t_ij; they sum exactly to S_i (given in ``explain``), not Q.
    ``explain`` also checks Opricovic & Tzeng's conditions: C1 acceptable advantage
    Q(A2) - Q(A1) >= DQ = 1/(n-1), and C2 acceptable stability (A1 also best by S or R), and
    gives the compromise set.
    """

    name = "vikor"
    description = "VIKOR (Opricovic & Tzeng 2004): compromise ranking by Q; lower Q is better"
    reference = (
        "Opricovic, S. & Tzeng, G.-H. (2004). Compromise solution by MCDM methods: a comparative "
        "analysis of VIKOR and TOPSIS. European Journal of Operational Research 156(2), 445-455."
    )
    higher_is_better = False
    contribution_meaning = "per-criterion regret w_j (f*_j - f_ij)/(f*_j - f-_j); they sum to S (group regret)"
    contributions_sum_to = "S (explain['indices'])"
    captions: ClassVar[dict[str, str]] = {
        "best_worst": "Best and worst values",
        "regret": "Regret terms t_ij",
        "indices": "S, R and Q",
        "conditions": "Acceptable advantage and stability",
        "compromise": "Compromise solution",
    }

    def __init__(self, v: float = 0.5) -> None:
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise InputError(f"VIKOR v must be a number in [0, 1], not {v!r}", where="v") from None
        if not 0.0 <= v <= 1.0:
            raise InputError(f"VIKOR v must be in [0, 1], got {v:g}", where="v")
        self.v = v

    def options(self) -> dict[str, Any]:
        return {"v": self.v}

    def _gaps(self, X: np.ndarray, types: np.ndarray, cids: list[str]) -> tuple[np.ndarray, ...]:
        F = X * types  # benefit orientation: higher better
        fstar, fminus = F.max(axis=0), F.min(axis=0)
        span = fstar - fminus
        if (span == 0).any():
            j = int(np.flatnonzero(span == 0)[0])
            raise InputError(
                f"criterion {cids[j]} has the same value for every alternative; VIKOR cannot use it",
                where=f"column {cids[j]}",
                hint="Switch this criterion off.",
            )
        return fstar - F, span, fstar, fminus

    def prepare(self, problem: Any) -> Prepared:
        gap, span, _, _ = self._gaps(problem.values, problem.types, problem.criterion_ids)
        return {"gap": gap, "span": span}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return vikor_indices(prepared["gap"], prepared["span"], w, self.v)["Q"]

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        return vikor_batch(prepared["gap"], prepared["span"], W, self.v)

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        gap, span, fstar, fminus = self._gaps(X, types, cids)
        ind = vikor_indices(gap, span, w, self.v)
        return {
            "score": ind["Q"],
            "contrib": ind["T"],
            "S": ind["S"],
            "R": ind["R"],
            "fstar": fstar * types,
            "fminus": fminus * types,
        }

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        Q, S, R = res["score"], res["S"], res["R"]
        n = len(Q)
        order = np.argsort(np.round(Q, 12), kind="stable")
        dq = 1.0 / (n - 1)
        a1, a2 = order[0], order[1]
        c1 = bool(Q[a2] - Q[a1] >= dq - 1e-12)
        c2 = bool(rank_scores(S, False)[a1] == 1 or rank_scores(R, False)[a1] == 1)
        if c1 and c2:
            comp = [alts[a1]]
        elif not c1:
            comp = [alts[i] for i in order if Q[i] - Q[a1] < dq - 1e-12]
        else:
            comp = [alts[a1], alts[a2]]
        conditions = pd.DataFrame(
            {
                "holds": [c1, c2],
                "detail": [
                    f"Q({alts[a2]}) - Q({alts[a1]}) = {Q[a2] - Q[a1]:.4f} vs DQ = 1/(n-1) = {dq:.4f}",
                    f"{alts[a1]} ranks {int(rank_scores(S, False)[a1])} by S and {int(rank_scores(R, False)[a1])} by R",
                ],
            },
            index=pd.Index(["C1 acceptable advantage", "C2 acceptable stability"], name="condition"),
        )
        return {
            "best_worst": pd.DataFrame({"best": res["fstar"], "worst": res["fminus"]}, index=pd.Index(cids)),
            "regret": frame(res["contrib"], alts, cids),
            "indices": pd.DataFrame(
                {
                    "S": S,
                    "R": R,
                    "Q": Q,
                    "rank_S": rank_scores(S, False),
                    "rank_R": rank_scores(R, False),
                    "rank_Q": rank_scores(Q, False),
                },
                index=pd.Index(alts),
            ),
            "conditions": conditions,
            "compromise": pd.DataFrame({"alternative": comp}),
        }


METHOD_CLASSES = (VIKOR,)
