"""PROMETHEE II (Brans & Vincke 1985): net outranking flow from pairwise preferences.

Plain numpy on purpose: pymcdm 1.4.0 keeps the per-criterion preference functions in a
generator, so an object built with p/q fails on its second call; it also gives no per-criterion
flows. Checked against a fresh pymcdm object in the tests.

The net flow is linear in the weights: ``phi = Phi @ w`` with the single-criterion net flows
``Phi`` (n x m), which do not depend on the weights — they are prepared once, and the batched
form is one matrix product ``W @ Phi^T``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods.base import Prepared, RankingMethod, frame, matmul, per_criterion_option

PREFERENCE_FUNCTIONS = {
    "usual": "type I: P = 1 if d > 0",
    "ushape": "type II (quasi-criterion): P = 1 if d > q",
    "vshape": "type III: P = d/p for 0 < d <= p, 1 beyond",
    "level": "type IV: 0 up to q, 1/2 up to p, 1 beyond",
    "linear": "type V (V-shape with indifference): 0 up to q, (d-q)/(p-q) up to p, 1 beyond",
    "gaussian": "type VI: 1 - exp(-d^2 / (2 s^2)) for d > 0 (s given as p)",
}
_PF_ALIASES = {"vshape_2": "linear", "v-shape": "vshape", "u-shape": "ushape", "i": "usual"}


def preference(d: np.ndarray, kind: str, q: float, p: float) -> np.ndarray:
    """Preference degree P(d) in [0, 1] of a difference d (larger is better) for a function kind."""
    if kind == "usual":
        return (d > 0).astype(float)
    if kind == "ushape":
        return (d > q).astype(float)
    if kind == "vshape":
        return np.clip(d / p, 0.0, 1.0)
    if kind == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if kind == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    if kind == "gaussian":
        return np.where(d > 0, 1.0 - np.exp(-(d * d) / (2.0 * p * p)), 0.0)
    raise AssertionError(kind)


def criterion_flows(
    X: np.ndarray, types: np.ndarray, kinds: list[str], ps: list[float], qs: list[float]
) -> tuple[np.ndarray, np.ndarray]:
    """Single-criterion net flows phi_j and positive flows phi+_j, each ``(n x m)``.

    ``phi_j(a) = 1/(n-1) sum_b [P_j(a,b) - P_j(b,a)]`` with d = g(a) - g(b) oriented so that
    larger is better (cost criteria turned round). Memory is n x n per criterion.
    """
    n, m = X.shape
    phi_j = np.empty((n, m))
    plus_j = np.empty((n, m))
    for j in range(m):
        x = X[:, j] * types[j]
        d = x[:, None] - x[None, :]  # d[a, b] = g(a) - g(b), oriented so that larger is better
        P = preference(d, kinds[j], qs[j], ps[j])
        plus = P.sum(axis=1)
        minus = P.sum(axis=0)
        plus_j[:, j] = plus / (n - 1)
        phi_j[:, j] = (plus - minus) / (n - 1)
    return phi_j, plus_j


def promethee_scores(phi_j: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Net flow phi = sum_j w_j phi_j for one weight vector.

    Parameters
    ----------
    phi_j : numpy.ndarray
        ``(n x m)`` single-criterion net flows.
    w : numpy.ndarray
        ``(m,)`` weights summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` net flows in [-1, 1].
    """
    return (phi_j * w).sum(axis=1)


class PROMETHEE2(RankingMethod):
    """PROMETHEE II (Brans & Vincke 1985): net outranking flow phi in [-1, 1], higher is better.

    Parameters
    ----------
    preference : str, list or dict
        One of usual, ushape, vshape, level, linear, gaussian — a single name, a list (one per
        criterion) or a {criterion id: name} mapping.
    p, q : float, list or dict
        Preference and indifference thresholds, likewise, in the criterion's own units (d =
        difference of raw values, turned round for cost criteria).

    Notes
    -----
    Contributions (exact): ``w_j * phi_j(a)`` with the single-criterion net flow
    ``phi_j(a) = 1/(n-1) sum_b [P_j(a,b) - P_j(b,a)]``; they sum to phi(a). Memory is n x n per
    criterion; n is capped at 5000. Scale invariance holds only without thresholds (p, q are
    in the data's units).
    """

    name = "promethee2"
    description = "PROMETHEE II (Brans & Vincke 1985): net outranking flow from pairwise preferences"
    aliases = ("promethee", "promethee_ii")
    reference = (
        "Brans, J.-P. & Vincke, Ph. (1985). A preference ranking organisation method. "
        "Management Science 31(6), 647-656."
    )
    contribution_meaning = "w_j * single-criterion net flow phi_j; they sum to the net flow phi"
    captions: ClassVar[dict[str, str]] = {
        "preference_functions": "Preference functions and thresholds",
        "criterion_net_flows": "Single-criterion net flows phi_j",
        "flows": "Outranking flows",
    }
    MAX_ALTERNATIVES = 5000

    def __init__(self, preference: Any = "usual", p: Any = None, q: Any = None) -> None:
        self.preference = preference
        self.p = p
        self.q = q

    def options(self) -> dict[str, Any]:
        opts: dict[str, Any] = {"preference": self.preference}
        if self.p is not None:
            opts["p"] = self.p
        if self.q is not None:
            opts["q"] = self.q
        return opts

    @property
    def scale_invariant(self) -> bool:
        """True only without thresholds: p and q are in the criterion's own units."""
        return self.p is None and self.q is None

    def _settings(self, cids: list[str]) -> tuple[list[str], list[float], list[float]]:
        kinds = [str(k).strip().lower() for k in per_criterion_option(self.preference, cids, "preference", "usual")]
        kinds = [_PF_ALIASES.get(k, k) for k in kinds]
        ps = per_criterion_option(self.p, cids, "p")
        qs = per_criterion_option(self.q, cids, "q")
        for c, k, p, q in zip(cids, kinds, ps, qs, strict=True):
            where = f"promethee2 options, criterion {c}"
            for label, val in (("preference threshold p", p), ("indifference threshold q", q)):
                if val is None:
                    continue
                try:
                    if isinstance(val, (bool, np.bool_)):
                        raise TypeError
                    float(val)
                except (TypeError, ValueError):
                    raise InputError(
                        f"{label} must be a number, got {val!r}",
                        where=where,
                        hint="Give thresholds in the criterion's own units, e.g. p=10, q=2.",
                    ) from None
            if k not in PREFERENCE_FUNCTIONS:
                raise InputError(
                    f"unknown preference function '{k}'",
                    where=where,
                    hint="Use one of: " + ", ".join(PREFERENCE_FUNCTIONS) + ".",
                )
            if q is not None and not (np.isfinite(float(q)) and float(q) >= 0):
                raise InputError(f"indifference threshold q must be a number >= 0, got {q!r}", where=where)
            if k in ("vshape", "level", "linear", "gaussian"):
                if p is None or not (np.isfinite(float(p)) and float(p) > 0):
                    raise InputError(f"preference function '{k}' needs a preference threshold p > 0", where=where)
                if k in ("level", "linear") and q is not None and float(q) >= float(p):
                    raise InputError(
                        f"indifference threshold q ({float(q):g}) must be below p ({float(p):g})", where=where
                    )
        qf = [0.0 if q is None else float(q) for q in qs]
        pf = [np.nan if p is None else float(p) for p in ps]
        return kinds, pf, qf

    def _flows(self, X: np.ndarray, types: np.ndarray, cids: list[str]) -> tuple[Any, ...]:
        n = X.shape[0]
        if n > self.MAX_ALTERNATIVES:
            raise InputError(
                f"PROMETHEE II compares every pair of alternatives; {n} alternatives is too many "
                f"(limit {self.MAX_ALTERNATIVES})",
                hint="Use TOPSIS, VIKOR or WSM for large tables.",
            )
        kinds, ps, qs = self._settings(cids)
        phi_j, plus_j = criterion_flows(X, types, kinds, ps, qs)
        return phi_j, plus_j, kinds, ps, qs

    def prepare(self, problem: Any) -> Prepared:
        phi_j, _, _, _, _ = self._flows(problem.values, problem.types, problem.criterion_ids)
        return {"phi_j": phi_j}

    def score_prepared(self, prepared: Prepared, w: np.ndarray) -> np.ndarray:
        return promethee_scores(prepared["phi_j"], w)

    def batch_scores(self, prepared: Prepared, W: np.ndarray) -> np.ndarray:
        if "Phi_T" not in prepared:
            prepared["Phi_T"] = np.ascontiguousarray(prepared["phi_j"].T)
        return matmul(W, prepared["Phi_T"])

    def _compute(self, X: np.ndarray, types: np.ndarray, w: np.ndarray, cids: list[str]) -> dict[str, Any]:
        phi_j, plus_j, kinds, ps, qs = self._flows(X, types, cids)
        contrib = phi_j * w
        phi = contrib.sum(axis=1)
        phi_plus = plus_j @ w
        return {
            "score": phi,
            "contrib": contrib,
            "phi_plus": phi_plus,
            "phi_minus": phi_plus - phi,
            "phi_j": phi_j,
            "kinds": kinds,
            "p": ps,
            "q": qs,
        }

    def _tables(self, res: dict[str, Any], alts: list[str], cids: list[str]) -> dict[str, pd.DataFrame]:
        return {
            "preference_functions": pd.DataFrame(
                {"function": res["kinds"], "p": res["p"], "q": res["q"]}, index=pd.Index(cids)
            ),
            "criterion_net_flows": frame(res["phi_j"], alts, cids),
            "flows": pd.DataFrame(
                {"phi_plus": res["phi_plus"], "phi_minus": res["phi_minus"], "phi": res["score"]}, index=pd.Index(alts)
            ),
        }


METHOD_CLASSES = (PROMETHEE2,)
