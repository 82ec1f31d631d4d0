"""Compare the rankings of several methods on one problem: ranks side by side plus rank correlations.

``compare_methods(problem, weights, methods)`` returns ``(ranks, correlations)``:

* ``ranks`` — DataFrame indexed by alternative, one column of ranks (1 = best, ties share the
  smallest rank) per method. Ranks, never raw scores, are compared, so methods whose score is
  lower-is-better (VIKOR's Q, SPOTIS) line up correctly with the others.
* ``correlations`` — dict of square DataFrames (methods x methods):
  ``spearman`` (Spearman's rho), ``weighted_spearman`` (r_w, Pinto da Costa & Soares 2005:
  disagreements near the top weigh more) and ``ws`` (WS rank similarity coefficient, Sałabun &
  Urbaniak 2020). WS is asymmetric: ``ws.loc[a, b]`` takes method ``a``'s ranking as the
  reference. Correlations use average ranks for ties (the usual convention for Spearman).

r_w and WS are pymcdm.correlations' formulas written out here, not imported: importing pymcdm pulls in
matplotlib (~0.7 s), which made the app's first visit to the Ranking page take over a second. The tests
check them against pymcdm on random rankings with ties (equal to the last bit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.methods import RankingMethod, get_method, rank_scores


def _as_method(m: Any) -> RankingMethod:
    if isinstance(m, RankingMethod):
        return m
    if isinstance(m, str):
        return get_method(m)
    if isinstance(m, (tuple, list)) and len(m) == 2 and isinstance(m[0], str) and isinstance(m[1], dict):
        return get_method(m[0], **m[1])
    if hasattr(m, "scores") and hasattr(m, "higher_is_better"):
        return m  # duck-typed method (e.g. one registered by another module)
    raise InputError(
        f"cannot use {m!r} as a ranking method",
        where="methods",
        hint="Give method names (e.g. 'topsis'), (name, options) pairs or method objects.",
    )


def _labels(methods: Sequence[RankingMethod]) -> list[str]:
    """Column labels: the plain name, or name(options) where a name appears more than once."""
    names = [getattr(m, "name", type(m).__name__.lower()) for m in methods]
    out = []
    for m, n in zip(methods, names, strict=True):
        lab = n if names.count(n) == 1 else getattr(m, "label", n)
        base, k = lab, 2
        while lab in out:
            lab, k = f"{base}#{k}", k + 1
        out.append(lab)
    return out


def compare_methods(problem: Any, weights: Any, methods: Sequence[Any]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Rank ``problem`` with every method and correlate the rankings (see module docstring)."""
    if isinstance(methods, (str, RankingMethod)):
        methods = [methods]  # one method given on its own, not a list of them (else 'topsis' -> t, o, p, ...)
    if len(methods) < 1:
        raise InputError("no methods to compare", where="methods", hint="Give at least two methods.")
    objs = [_as_method(m) for m in methods]
    labels = _labels(objs)
    alts = problem.alternatives
    min_ranks, avg_ranks = {}, {}
    for lab, m in zip(labels, objs, strict=True):
        s = np.asarray(m.scores(problem, weights), dtype=float)
        min_ranks[lab] = rank_scores(s, m.higher_is_better, ties="min")
        avg_ranks[lab] = rank_scores(s, m.higher_is_better, ties="average")
    ranks = pd.DataFrame(min_ranks, index=pd.Index(alts, name="alternative"))
    return ranks, rank_correlations(pd.DataFrame(avg_ranks, index=ranks.index))


def rank_correlations(ranks: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Spearman, weighted Spearman and WS between every pair of rank columns."""
    cols = list(ranks.columns)
    R = ranks.to_numpy(dtype=float)
    k = len(cols)
    out = {name: np.empty((k, k)) for name in ("spearman", "weighted_spearman", "ws")}
    for a in range(k):
        for b in range(k):
            x, y = R[:, a], R[:, b]
            out["spearman"][a, b] = _spearman(x, y)
            out["weighted_spearman"][a, b] = weighted_spearman(x, y)
            out["ws"][a, b] = ws(x, y)
    return {name: pd.DataFrame(v, index=pd.Index(cols, name="method"), columns=cols) for name, v in out.items()}


def weighted_spearman(x: np.ndarray, y: np.ndarray) -> float:
    """r_w (Pinto da Costa & Soares 2005), as pymcdm.correlations.weighted_spearman computes it."""
    N = len(x)
    n = 6 * np.sum((x - y) ** 2 * ((N - x + 1) + (N - y + 1)))
    d = N**4 + N**3 - N**2 - N
    return float(1 - (n / d))


def ws(x: np.ndarray, y: np.ndarray) -> float:
    """WS rank similarity (Sałabun & Urbaniak 2020), ``x`` the reference, as pymcdm.correlations.ws computes it."""
    N = len(x)
    n = np.fabs(x - y)
    d = np.max((np.fabs(1 - x), np.fabs(N - x)), axis=0)
    return float(1 - np.sum(2.0 ** (-1.0 * x) * n / d))


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of the (average) ranks; NaN when a ranking is all ties."""
    sx, sy = x.std(), y.std()
    if sx == 0 or sy == 0:
        return float("nan")
    return float(((x - x.mean()) * (y - y.mean())).mean() / (sx * sy))
