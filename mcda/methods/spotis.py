"""SPOTIS (Dezert et al. 2020): weighted normalised distance to the ideal point, lower is better.

Plain numpy with the same operations as pymcdm 1.4.0's SPOTIS (checked against it in the tests),
without its import cost. The normalised distances do not depend on the weights: the batched form
is one matrix product.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, matmul


def spotis_distances(X: np.ndarray, types: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalised distances |x_ij - x*_j| / (max_j - min_j) (n x m) and the ideal point x* (m,)."""
    ideal = np.where(types > 0, B[:, 1], B[:, 0])
    return np.abs((X - ideal) / (B[:, 0] - B[:, 1])), ideal


def spotis_scores(D: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted distance ``sum_j w_j D_ij`` to the ideal point for one weight vector.

    Parameters
    ----------
    D : numpy.ndarray
        ``(n x m)`` normalised distances to the ideal.
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` scores in [0, 1], lower is better.
    """
    return np.sum(D * w, axis=1)


class SPOTIS(RankingMethod):
    """SPOTIS (Dezert et al. 2020): weighted normalised distance to the ideal point, LOWER is better.

    Parameters
    ----------
    bounds : dict, optional
        {criterion id: (min, max)} for all criteria, or some; the rest use the data's min/max.

    Notes
    -----
    With fixed bounds the score of an alternative does not depend on the others, so adding or
    removing alternatives cannot reverse ranks. Contributions: w_j |x_ij - x*_j| / (max_j - min_j);
    sum = score. Scale invariance holds only with the data's own bounds (given bounds are in
    the data's units).
    """

    name = "spotis"
    description = (
        "SPOTIS (Dezert et al. 2020): distance to the ideal within fixed bounds; rank-reversal free; lower is better"
    )
    reference = (
        "Dezert, J., Tchamova, A., Han, D. & Tacnet, J.-M. (2020). The SPOTIS rank reversal free method "
        "for multi-criteria decision-making support. FUSION 2020, IEEE."
    )
    higher_is_better = False
    contribution_meaning = "w_j * normalised distance to the ideal value; they sum to the score"
    captions: ClassVar[dict[str, str]] = {"bounds": "Bounds and ideal point"}

    def __init__(self, bounds: Mapping[str, Sequence[float]] | None = None) -> None:
        if bounds is not None and not isinstance(bounds, Mapping):
            raise InputError(
                "bounds must map criterion id -> (min, max)", where="spotis bounds", hint='e.g. {"gdp": [0, 5000]}'
            )
        self.bounds = dict(bounds) if bounds else None

    def options(self) -> dict[str, Any]:
        return {"bounds": "given"} if self.bounds else {}

    @property
    def scale_invariant(self) -> bool:
        """True only with the data's own bounds (given bounds are in the criterion's units)."""
        return not self.bounds

    def _bounds(self, X: np.ndarray, cids: list[str]) -> np.ndarray:
        B = np.column_stack([X.min(axis=0), X.max(axis=0)]).astype(float)
        if self.bounds:
            for c, b in self.bounds.items():
                if str(c) not in cids:
                    raise InputError(f"bounds given for unknown criterion {c}", where="spotis bounds")
                j = cids.index(str(c))
                try:
                    if isinstance(b, (str, bytes)) or len(b) != 2:
                        raise TypeError
                    lo, hi = float(b[0]), float(b[1])
                except (TypeError, ValueError):
                    raise InputError(
                        f"bounds must be a pair of numbers (min, max), got {b!r}", where=f"spotis bounds, criterion {c}"
                    ) from None
                if not (np.isfinite(lo) and np.isfinite(hi)):
                    raise InputError(f"bounds ({lo:g}, {hi:g}) must be finite", where=f"spotis bounds, criterion {c}")
                if not lo < hi:
                    raise InputError(f"bounds ({lo:g}, {hi:g}) need min < max", where=f"spotis bounds, criterion {c}")
                if X[:, j].min() < lo or X[:, j].max() > hi:
                    raise InputError(
                        f"values outside the bounds ({lo:g}, {hi:g})",
                        where=f"spotis bounds, criterion {c}",
                        hint="Widen the bounds to cover every alternative.",
                    )
                B[j] = (lo, hi)
        return B

    def prepare(self, problem: Any) -> Prepared:
        B = self._bounds(problem.values, problem.criterion_ids)
        D, _ = spotis_distances(problem.values, problem.types, B)
        return {"D": D}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return spotis_scores(prepared["D"], w)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        if "D_T" not in prepared:
            prepared["D_T"] = np.ascontiguousarray(prepared["D"].T)
        return matmul(W, prepared["D_T"])

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        B = self._bounds(X, cids)
        D, ideal = spotis_distances(X, types, B)
        return {"score": spotis_scores(D, w), "contrib": D * w, "B": B, "ideal": ideal}

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {
            "bounds": pd.DataFrame(
                {"min": res["B"][:, 0], "max": res["B"][:, 1], "ideal": res["ideal"]}, index=pd.Index(cids)
            )
        }


METHOD_CLASSES = (SPOTIS,)
