"""AHP as a ranking method: synthesise the alternatives' priorities down the hierarchy.

score_i = sum_j w_j * p_ij, where w_j is the (global) weight of criterion j — from a two-level
hierarchy (``mcda.ahp_hierarchy.hierarchy_weights``) or any other weights — and p_ij the local
priority of alternative i under criterion j, here derived from the data ("absolute measurement"
of a quantitative criterion). Two synthesis modes (Saaty; Belton & Gear 1983 for ideal):

* ``distributive`` (default): each criterion's column is normalised to sum 1.
  Benefit: p_ij = x_ij / sum_k x_kj.  Cost: the reciprocal-then-normalise rule,
  p_ij = (1/x_ij) / sum_k (1/x_kj) (a value half as large is twice as good). Scores sum to 1.
* ``ideal``: each column is divided by its best value. Benefit: p_ij = x_ij / max_k x_kj.
  Cost: p_ij = min_k x_kj / x_ij (= (1/x_ij) / max_k (1/x_kj)). The best alternative on each
  criterion gets 1.

Rank reversal: in distributive mode, adding or removing an alternative (even a copy of an
existing one) changes every column sum and can reverse the order of the others (Belton & Gear
1983). Ideal mode keeps the order of the existing alternatives unless the new one becomes the best
on some criterion. The mode is a stated option and is reported by ``explain``.

Ratio priorities need values > 0. A criterion column with any value <= 0 (e.g. WGI estimates,
roughly -2.5..2.5, an interval scale with no true zero) is handled by ``nonpositive``:

* ``rescale`` (default): that column only is mapped linearly onto [1, 9],
  x' = 1 + 8 (x - min) / (max - min) — its best value becomes 9 times its worst, the top of
  Saaty's scale — and then treated as above (benefit or cost). Columns with all values > 0 are
  used as they are. ``explain`` lists the rescaled columns.
* ``error``: an InputError naming the column.

Linear in the weights once the local priorities are known (they do not depend on the weights):
the batched form is one matrix product ``W @ P^T``. Moved here from ``mcda/ahp_method.py``
(which re-exports it); ``mcda.ahp`` re-exports it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, matmul, prepare_weights, rank_scores
from mcda.weight_check import weight_matrix, weight_vector

MODES = ("distributive", "ideal")
NONPOSITIVE = ("rescale", "error")
RESCALE_RANGE = (1.0, 9.0)


def local_priorities(
    X: np.ndarray,
    types: np.ndarray,
    mode: str = "distributive",
    nonpositive: str = "rescale",
    cids: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(P, rescaled): local priorities p_ij (n x m) and a bool per column saying it was rescaled."""
    X = np.asarray(X, dtype=float)
    types = np.asarray(types)
    rescaled = np.asarray((X <= 0).any(axis=0))
    if rescaled.any():
        if nonpositive == "error":
            j = int(np.flatnonzero(rescaled)[0])
            name = cids[j] if cids else f"column {j + 1}"
            raise InputError(
                f"criterion {name} has values <= 0, which AHP ratio priorities cannot use",
                where=f"column {name}",
                hint="Use nonpositive='rescale' (maps the column onto 1..9) or transform the data.",
            )
        lo, hi = RESCALE_RANGE
        Xr = X[:, rescaled]
        mn, mx = Xr.min(axis=0), Xr.max(axis=0)
        span = np.where(mx > mn, mx - mn, 1.0)
        X = X.copy()
        X[:, rescaled] = lo + (hi - lo) * (Xr - mn) / span
    cost = types < 0
    V = np.where(cost[None, :], 1.0 / X, X)  # reciprocal for cost criteria
    if mode == "distributive":
        P = V / V.sum(axis=0)
    elif mode == "ideal":
        P = V / V.max(axis=0)
    else:
        raise InputError(f"unknown AHP synthesis mode '{mode}'", where="mode", hint="Use distributive or ideal.")
    return P, rescaled


def ahp_scores(P: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Synthesised priority sum_j w_j p_ij for one weight vector.

    Parameters
    ----------
    P : numpy.ndarray
        ``(n x m)`` local priorities of the alternatives under each criterion.
    w : numpy.ndarray
        ``(m,)`` criterion weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` global priorities.
    """
    return (P * w).sum(axis=1)


class AHPMethod(RankingMethod):
    """AHP synthesis with the alternatives' local priorities from the data (see module docstring).

    Parameters
    ----------
    mode : {"distributive", "ideal"}
        Synthesis mode (default distributive).
    nonpositive : {"rescale", "error"}
        What to do with a criterion column holding values <= 0 (default: map it onto [1, 9]).
    """

    name = "ahp"
    description = "AHP synthesis: alternatives' priorities from the data, weighted down the hierarchy"
    reference = (
        "Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill; Belton, V. & Gear, T. (1983). "
        "On a short-coming of Saaty's method of analytic hierarchies. Omega 11(3), 228-230."
    )
    higher_is_better = True
    contribution_meaning = "w_j * p_ij (criterion weight x local priority of the alternative); they sum to the score"
    captions: ClassVar[dict[str, str]] = {
        "synthesis": "Synthesis mode and rules",
        "transform": "Local priorities: rule per criterion",
        "local_priorities": "Local priorities p_ij",
        "weighted": "Weighted local priorities",
    }

    def __init__(self, mode: str = "distributive", nonpositive: str = "rescale") -> None:
        if mode not in MODES:
            raise InputError(f"unknown AHP synthesis mode '{mode}'", where="mode", hint="Use distributive or ideal.")
        if nonpositive not in NONPOSITIVE:
            raise InputError(
                f"unknown rule '{nonpositive}' for values <= 0", where="nonpositive", hint="Use rescale or error."
            )
        self.mode = mode
        self.nonpositive = nonpositive

    def options(self) -> dict[str, Any]:
        return {"mode": self.mode, "nonpositive": self.nonpositive}

    def prepare(self, problem: Any) -> Prepared:
        P, _ = local_priorities(problem.values, problem.types, self.mode, self.nonpositive, problem.criterion_ids)
        return {"P": P}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return ahp_scores(prepared["P"], w)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        if "P_T" not in prepared:
            prepared["P_T"] = np.ascontiguousarray(prepared["P"].T)
        return matmul(W, prepared["P_T"])

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        P, rescaled = local_priorities(X, types, self.mode, self.nonpositive, cids)
        contrib = P * w
        return {
            "score": contrib.sum(axis=1),
            "contrib": contrib,
            "P": P,
            "rescaled": rescaled,
            "types": np.asarray(types),
            "X": X,
        }

    def scores_many(self, problem: Any, weights: Any) -> np.ndarray:
        """Scores for many weight vectors at once.

        Parameters
        ----------
        problem : DecisionProblem
            Validated decision problem.
        weights : array_like
            ``(k x m)`` weight vectors (each validated and normalised).

        Returns
        -------
        numpy.ndarray
            ``(k x n)`` scores.
        """
        W = weight_matrix(weights, problem.matrix.columns)
        return self.batch_scores(self.prepare(problem), W)

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        types, rescaled, X = res["types"], res["rescaled"], res["X"]
        rules = []
        for j in range(len(cids)):
            cost = types[j] < 0
            pre = "rescaled to 1..9 (values <= 0), then " if rescaled[j] else ""
            if self.mode == "distributive":
                rule = "(1/x) / sum(1/x)" if cost else "x / sum(x)"
            else:
                rule = "min(x) / x" if cost else "x / max(x)"
            rules.append(pre + rule)
        transform = pd.DataFrame(
            {
                "direction": np.where(types < 0, "cost", "benefit"),
                "rescaled_1_9": rescaled,
                "min": X.min(axis=0),
                "max": X.max(axis=0),
                "rule": rules,
            },
            index=pd.Index(cids, name="criterion"),
        )
        notes = [
            ("mode", self.mode),
            (
                "mode rule",
                "each column normalised to sum 1; cost criteria by reciprocal then normalise"
                if self.mode == "distributive"
                else "each column divided by its best value (benefit x/max, cost min/x); best alternative gets 1",
            ),
            (
                "values <= 0",
                "columns with values <= 0 mapped linearly onto [1, 9] (best = 9 x worst), then as above"
                if self.nonpositive == "rescale"
                else "rejected (nonpositive='error')",
            ),
            ("rescaled columns", ", ".join(c for c, r in zip(cids, rescaled, strict=True) if r) or "none"),
            (
                "rank reversal",
                (
                    "distributive mode: adding/removing an alternative can reverse others' order "
                    "(Belton & Gear 1983); ideal mode avoids this unless the new alternative is best on a criterion"
                ),
            ),
        ]
        return {
            "synthesis": pd.DataFrame(
                {"value": [v for _, v in notes]}, index=pd.Index([k for k, _ in notes], name="item")
            ),
            "transform": transform,
            "local_priorities": frame(res["P"], alts, cids),
            "weighted": frame(res["contrib"], alts, cids),
        }


def synthesise(
    local: pd.DataFrame,
    weights: pd.Series | Mapping[str, float],
    mode: str = "distributive",
) -> pd.DataFrame:
    """Synthesise given local priorities (alternatives x criteria), e.g. from pairwise comparisons.

    ``local``: column j holds the alternatives' priorities under criterion j (any positive scale;
    distributive renormalises each column to sum 1, ideal divides it by its max). ``weights``:
    criterion weights (normalised here). Returns alternative, score, rank, contrib_<criterion>.
    """
    if mode not in MODES:
        raise InputError(f"unknown AHP synthesis mode '{mode}'", where="mode", hint="Use distributive or ideal.")
    L = local.astype(float)
    arr = L.to_numpy()
    if not np.isfinite(arr).all() or (arr <= 0).any():
        raise InputError("local priorities must be positive and finite", where="local priorities")
    cids = [str(c) for c in L.columns]
    wv = weight_vector(weights if isinstance(weights, (Mapping, pd.Series)) else pd.Series(weights), cids)
    P = arr / (arr.sum(axis=0) if mode == "distributive" else arr.max(axis=0))
    contrib = P * wv
    score = contrib.sum(axis=1)
    out = pd.DataFrame(
        {
            "alternative": [str(a) for a in L.index],
            "score": score,
            "rank": rank_scores(score, True),
            "method": f"ahp({mode})",
        }
    )
    out = pd.concat([out, pd.DataFrame(contrib, columns=[f"contrib_{c}" for c in cids])], axis=1)
    return out.sort_values(["rank", "alternative"], kind="stable").reset_index(drop=True)


METHOD_CLASSES = (AHPMethod,)

__all__ = ["MODES", "NONPOSITIVE", "AHPMethod", "ahp_scores", "local_priorities", "prepare_weights", "synthesise"]
