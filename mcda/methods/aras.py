"""ARAS (Zavadskas & Turskis 2010): additive ratio assessment — utility relative to an optimal alternative.

An optimal alternative x0 is added to the table (row 0): the best value of each criterion in
the data (maximum for benefit, minimum for cost), or a target the planner gives (the paper
uses norms). Cost criteria are inverted (1/x); every column of the extended table is divided by
its sum; the optimality function is the weighted sum S_i = sum_j w_j r_ij, and the score is the
utility degree K_i = S_i / S_0 (the share of the optimum reached; 1 when an alternative is the
optimal one on every weighted criterion). Higher is better.

Zavadskas, E. K. & Turskis, Z. (2010). A new additive ratio assessment (ARAS) method in
multicriteria decision-making. Technological and Economic Development of Economy 16(2), 159-172.

The normalised table does not depend on the weights, and K is a ratio of two linear forms in
them: the batched form is ``(W @ R^T) / (W @ r0)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, matmul

OPTIMAL_ROW = "optimal"


def aras_scores(R: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Utility degree K_i = S_i / S_0 for one weight vector.

    Parameters
    ----------
    R : numpy.ndarray
        ``(n + 1) x m`` normalised extended table, row 0 the optimal alternative.
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` utility degrees.
    """
    S = R @ w
    return S[1:] / S[0]


def aras_batch(R: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Utility degrees for a block of weight vectors (``(s x m)`` -> ``(s x n)``)."""
    S = matmul(W, np.ascontiguousarray(R.T))
    return S[:, 1:] / S[:, :1]


class ARAS(RankingMethod):
    """ARAS (Zavadskas & Turskis 2010): utility degree K = S / S_optimal, higher is better.

    Parameters
    ----------
    optimal : dict, optional
        {criterion id: optimal value} for some or all criteria (e.g. norms or targets, > 0);
        the others use the best value in the data (the default for all).

    Notes
    -----
    Needs values > 0 on cost criteria (they are inverted) and >= 0 on benefit criteria.
    Contributions (exact): w_j r_ij / S_0; they sum to K. With a given optimal value worse than
    an alternative's, K can exceed 1. Scale invariance holds only without given optimal values
    (they are in the criterion's units).
    """

    name = "aras"
    description = "ARAS (Zavadskas & Turskis 2010): additive ratio assessment, utility degree relative to the optimum"
    reference = (
        "Zavadskas, E. K. & Turskis, Z. (2010). A new additive ratio assessment (ARAS) method in "
        "multicriteria decision-making. Technological and Economic Development of Economy 16(2), 159-172."
    )
    contribution_meaning = "w_j r_ij / S_0 (weighted normalised value as a share of the optimum's); sum = K"
    captions: ClassVar[dict[str, str]] = {
        "extended": "Extended decision matrix (row 0: optimal alternative)",
        "normalized": "Normalized extended decision matrix",
        "weighted": "Weighted normalized extended matrix",
        "optimality": "Optimality function S and utility degree K",
    }

    def __init__(self, optimal: Mapping[str, float] | None = None) -> None:
        if optimal is not None and not isinstance(optimal, Mapping):
            raise InputError(
                "optimal must map criterion id -> optimal value", where="aras optimal", hint='e.g. {"air_flow": 0.05}'
            )
        self.optimal = dict(optimal) if optimal else None

    def options(self) -> dict[str, Any]:
        return {"optimal": "given"} if self.optimal else {}

    @property
    def scale_invariant(self) -> bool:
        """True only with the data's own best values (given optima are in the criterion's units)."""
        return not self.optimal

    def _extended(self, X: np.ndarray, types: np.ndarray, cids: list[str]) -> np.ndarray:
        """The table with the optimal alternative as row 0, checked for what ARAS needs."""
        cost = types < 0
        bad = np.flatnonzero(((X <= 0) & cost) | ((X < 0) & ~cost)).tolist()
        if bad:
            i, j = divmod(bad[0], X.shape[1])
            raise InputError(
                "ARAS needs values >= 0 (and > 0 on cost criteria)",
                where=f"alternative #{i + 1}, column {cids[j]}",
                hint="Use TOPSIS, VIKOR, PROMETHEE II or WSM (minmax) for data with zero or negative values.",
            )
        x0 = np.where(cost, X.min(axis=0), X.max(axis=0))
        for c, v in (self.optimal or {}).items():
            where = f"aras optimal, criterion {c}"
            if str(c) not in cids:
                raise InputError(
                    f"optimal value given for unknown criterion {c}",
                    where="aras optimal",
                    hint="Use the criteria in force: " + ", ".join(cids) + ".",
                )
            try:
                if isinstance(v, (bool, str, bytes)):
                    raise TypeError
                f = float(v)
            except (TypeError, ValueError):
                raise InputError(f"optimal value must be a number, got {v!r}", where=where) from None
            if not (np.isfinite(f) and f > 0):
                raise InputError(f"optimal value must be a finite number > 0, got {f:g}", where=where)
            x0[cids.index(str(c))] = f
        E = np.vstack([x0, X])
        if not (E.sum(axis=0) > 0).all():  # a benefit column of zeros (cost columns are > 0)
            j = int(np.flatnonzero(~(E.sum(axis=0) > 0))[0])
            raise InputError(
                f"criterion {cids[j]} is zero for every alternative",
                where=f"column {cids[j]}",
                hint="Switch this criterion off.",
            )
        return E

    @staticmethod
    def _normalise(E: np.ndarray, types: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):  # 1/0 only on benefit columns, which keep E
            V = np.where(types < 0, 1.0 / E, E)
        return V / V.sum(axis=0)

    def prepare(self, problem: Any) -> Prepared:
        E = self._extended(problem.values, problem.types, problem.criterion_ids)
        return {"R": self._normalise(E, problem.types)}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return aras_scores(prepared["R"], w)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        return aras_batch(prepared["R"], W)

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        E = self._extended(X, types, cids)
        R = self._normalise(E, types)
        S = R @ w
        return {"score": aras_scores(R, w), "contrib": R[1:] * w / S[0], "E": E, "R": R, "V": R * w, "S": S}

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        rows = [OPTIMAL_ROW] + list(alts)
        S = res["S"]
        return {
            "extended": frame(res["E"], rows, cids),
            "normalized": frame(res["R"], rows, cids),
            "weighted": frame(res["V"], rows, cids),
            "optimality": pd.DataFrame({"S": S, "K": S / S[0]}, index=pd.Index(rows)),
        }


METHOD_CLASSES = (ARAS,)
