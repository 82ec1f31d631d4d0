"""One-at-a-time weight sweeps, top-k stability intervals and the weight change that swaps a pair.

A **sweep** of criterion j moves its weight t from 0 to 1 while the other weights keep their
proportions: ``w_j = t`` and ``w_k = (1 - t) * w_k / (1 - w_j^0)`` for k != j (if the planner put
all the weight on j, the others share 1 - t equally). At ``t = w_j^0`` this is exactly the
planner's vector (the base point is scored from the planner's vector itself, so the sweep at the
planner's weight equals the base ranking).

**Stability interval** of criterion j: the range [lower, upper] of w_j (moved as in a sweep) that
contains the planner's value and within which the top-k *set* (the shortlist, ignoring order
inside it) does not change. **Pair swap**: along each criterion's sweep, the nearest weight value
at which two chosen alternatives change order (the crossing of their scores), and the smallest
such change over all criteria.

How the boundaries are found, and the precision: the sweep is scored on a grid of ``grid``
points over [0, 1] (default 201, step 0.005) in one batched computation; the first grid point
on each side of the planner's weight where the property changes brackets the boundary, which
is then refined by bisection (all criteria at once) to an interval of width ``tol`` (default
1e-9); the reported value is the midpoint, so it is within ``tol/2`` of a true boundary. A
change that appears and disappears again within one grid step can be missed — raise ``grid``
to look closer. Ties (scores equal to 12 decimals) share the smaller rank; inside the top-k cut
ties are broken by alternative id, as in :func:`mcda.shortlist.make_shortlist`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError
from mcda.robustness_batch import BatchScorer, Progress, _notify, ranks_from_scores
from mcda.shortlist import id_order, top_k_mask
from mcda.weight_check import weight_vector

DEFAULT_GRID = 201
DEFAULT_TOL = 1e-9


def sweep_vectors(base: np.ndarray, j: int, t: np.ndarray) -> np.ndarray:
    """Weight vectors (len(t) x m) with w_j = t and the others keeping their proportions."""
    base = np.asarray(base, dtype=float)
    t = np.asarray(t, dtype=float)
    m = base.size
    rest = 1.0 - base[j]
    others = base.copy()
    others[j] = 0.0
    if rest > 1e-15 and others.sum() > 0:
        share = others / others.sum()
    else:
        share = np.where(np.arange(m) == j, 0.0, 1.0 / max(m - 1, 1))
    W = (1.0 - t)[:, None] * share[None, :]
    W[:, j] = t
    return W


def _criteria_index(problem: Any, criteria: Iterable[str] | None) -> list[int]:
    cids = list(problem.criterion_ids)
    if criteria is None:
        return list(range(len(cids)))
    if isinstance(criteria, str):
        criteria = [criteria]
    out = []
    for c in criteria:
        if str(c) not in cids:
            raise InputError(f"unknown criterion '{c}'", where="criteria", hint="Use one of: " + ", ".join(cids) + ".")
        out.append(cids.index(str(c)))
    return out


def _grid(grid: int) -> np.ndarray:
    try:
        g = int(grid)
    except (TypeError, ValueError):
        raise InputError(f"grid must be a whole number >= 3, not {grid!r}", where="grid") from None
    if g < 3:
        raise InputError(f"grid must be a whole number >= 3, got {grid}", where="grid")
    return np.linspace(0.0, 1.0, g)


def _scorer(problem: Any, method: Any, normalization: str | None, options: dict[str, Any]) -> BatchScorer:
    return BatchScorer(problem, method, normalization, **options)


def weight_sweep(
    problem: Any,
    weights: Any,
    criteria: Iterable[str] | None = None,
    points: int = 101,
    method: Any = "topsis",
    normalization: str | None = None,
    ties: str = "min",
    progress: Progress | None = None,
    executor: Any = None,
    chunk_size: int | None = None,
    **method_options: Any,
) -> pd.DataFrame:
    """Rank and score of every alternative along each criterion's one-at-a-time sweep.

    Returns a long DataFrame with columns ``criterion, weight, base_weight, is_base, alternative,
    score, rank``: ``weight`` is the swept criterion's weight (``points`` values evenly over
    [0, 1] plus the planner's value, flagged ``is_base``). Any registered method works (batched).
    ``executor`` (:mod:`mcda.executor`): the criteria go in chunks of ``chunk_size`` (default 1) to it;
    the same table, byte for byte, whatever runs them.
    """
    cids = list(problem.criterion_ids)
    if len(cids) < 2:
        raise InputError(
            "a weight sweep needs at least two criteria (with one, its weight is always 1)",
            where="criteria",
            hint="Switch on another criterion.",
        )
    base = weight_vector(weights, cids)
    idx = _criteria_index(problem, criteria)
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise InputError(f"points must be a whole number >= 2, not {points!r}", where="points") from None
    if points < 2:
        raise InputError(f"points must be a whole number >= 2, got {points}", where="points")
    scorer = _scorer(problem, method, normalization, method_options)
    alts = np.asarray(problem.alternatives, dtype=object)
    if executor is not None:  # chunks of criteria (mcda.executor), put together in criterion order
        size = 1 if chunk_size is None else chunk_size
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
            raise InputError(f"chunk size must be a whole number >= 1, got {chunk_size!r}", where="chunk_size")
        chunks = [idx[i : i + int(size)] for i in range(0, len(idx), int(size))]
        name = getattr(executor, "name", "executor")

        def report(done: int, total: int) -> None:
            _notify(progress, done / total, f"sweep on {name}: {done} of {total} chunks")

        parts = executor.map(sweep_chunk, chunks, (scorer, base, points, cids, alts, ties), progress=report)
        return pd.concat([f for part in parts for f in part], ignore_index=True)
    frames = []
    for c, j in enumerate(idx):
        frames.append(_sweep_frame(scorer, base, j, points, cids, alts, ties))
        _notify(progress, (c + 1) / len(idx), f"sweep: {c + 1} of {len(idx)} criteria")
    return pd.concat(frames, ignore_index=True)


def _sweep_frame(
    scorer: BatchScorer, base: np.ndarray, j: int, points: int, cids: list[str], alts: np.ndarray, ties: str
) -> pd.DataFrame:
    """The long table of criterion ``j``'s sweep (see :func:`weight_sweep`)."""
    n = len(alts)
    t = np.linspace(0.0, 1.0, points)
    t = np.unique(np.append(t, base[j]))
    W = sweep_vectors(base, j, t)
    is_base = t == base[j]
    W[is_base] = base
    S = scorer.scores(W, normalised=True)
    R = ranks_from_scores(S, scorer.higher_is_better, ties)
    return pd.DataFrame(
        {
            "criterion": cids[j],
            "weight": np.repeat(t, n),
            "base_weight": base[j],
            "is_base": np.repeat(is_base, n),
            "alternative": np.tile(alts, len(t)),
            "score": S.ravel(),
            "rank": R.ravel(),
        }
    )


def sweep_chunk(
    js: Sequence[int],
    scorer: BatchScorer,
    base: np.ndarray,
    points: int,
    cids: list[str],
    alts: np.ndarray,
    ties: str,
) -> list[pd.DataFrame]:
    """One chunk of a weight sweep: the tables of criteria ``js``, in order (module level: any executor runs it)."""
    return [_sweep_frame(scorer, base, j, points, cids, alts, ties) for j in js]


def _boundaries(
    scorer: BatchScorer,
    base: np.ndarray,
    idx: Sequence[int],
    same: Callable[[np.ndarray], np.ndarray],
    grid: int,
    tol: float,
    progress: Progress | None,
    label: str,
) -> tuple[np.ndarray, np.ndarray]:
    """For each criterion in idx: (lower, upper) boundary of the region around base[j] where
    ``same(scores)`` holds along the sweep; 0 / 1 when it holds to the end. Shape (len(idx), 2) x2:
    the boundary and the weight just across it (to read what changed)."""
    if not (isinstance(tol, (int, float)) and np.isfinite(tol) and tol > 0):
        raise InputError(f"tol must be a positive number, got {tol!r}", where="tol")
    t = _grid(grid)
    k = len(idx)
    W = np.concatenate([sweep_vectors(base, j, t) for j in idx], axis=0)
    ok = same(scorer.scores(W, normalised=True)).reshape(k, len(t))
    _notify(progress, 0.5, f"{label}: grid scanned")
    bound = np.empty((k, 2))
    across = np.full((k, 2), np.nan)
    pend: list[tuple[int, int, float, float]] = []  # (criterion position, side, holds at, fails at)
    for c, j in enumerate(idx):
        t0 = base[j]
        up = np.flatnonzero((t > t0) & ~ok[c])
        if up.size:
            g = up[0]
            prev = t[g - 1] if g > 0 and t[g - 1] > t0 else t0
            pend.append((c, 1, prev, t[g]))
        else:
            bound[c, 1] = 1.0
        down = np.flatnonzero((t < t0) & ~ok[c])
        if down.size:
            g = down[-1]
            prev = t[g + 1] if g + 1 < len(t) and t[g + 1] < t0 else t0
            pend.append((c, 0, prev, t[g]))
        else:
            bound[c, 0] = 0.0
    if pend:
        pc, ps = np.array([p[0] for p in pend]), np.array([p[1] for p in pend])
        lo = np.array([p[2] for p in pend], dtype=float)  # the property holds here
        hi = np.array([p[3] for p in pend], dtype=float)  # and not here
        jj = np.array([idx[c] for c in pc])
        it = 0
        while np.abs(hi - lo).max() > tol and it < 200:
            mid = 0.5 * (lo + hi)
            Wm = np.stack([sweep_vectors(base, j, np.array([x]))[0] for j, x in zip(jj, mid, strict=True)])
            s = same(scorer.scores(Wm, normalised=True))
            lo = np.where(s, mid, lo)
            hi = np.where(s, hi, mid)
            it += 1
        bound[pc, ps] = 0.5 * (lo + hi)
        across[pc, ps] = hi
    _notify(progress, 1.0, f"{label}: boundaries refined")
    return bound, across


def _topk_masks(S: np.ndarray, higher: bool, k: int, eligible: np.ndarray, alpha_pos: np.ndarray) -> np.ndarray:
    """The shortlist cut (:func:`mcda.shortlist.top_k_mask`) of each row of scores."""
    return top_k_mask(ranks_from_scores(S, higher, "min"), eligible, k, alpha_pos)


def _check_k(k: Any, el: np.ndarray) -> int:
    """k as an int between 1 and the number of eligible alternatives (InputError otherwise)."""
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise InputError(f"k must be a whole number, not {k!r}", where="k") from None
    if not 1 <= k <= int(el.sum()):
        raise InputError(
            f"k must be between 1 and the number of eligible alternatives ({int(el.sum())}), got {k}", where="k"
        )
    return k


def _eligible_mask(problem: Any, eligible: Iterable[str] | None) -> np.ndarray:
    alts = list(problem.alternatives)
    if eligible is None:
        return np.ones(len(alts), dtype=bool)
    el = [str(a) for a in eligible]
    unknown = [a for a in el if a not in alts]
    if unknown:
        raise InputError(f"unknown alternative(s) in the eligible set: {', '.join(unknown)}", where="eligible")
    return np.isin(np.asarray(alts, dtype=object), el)


def stability_intervals(
    problem: Any,
    weights: Any,
    k: int,
    eligible: Iterable[str] | None = None,
    criteria: Iterable[str] | None = None,
    method: Any = "topsis",
    normalization: str | None = None,
    grid: int = DEFAULT_GRID,
    tol: float = DEFAULT_TOL,
    progress: Progress | None = None,
    **method_options: Any,
) -> pd.DataFrame:
    """For each criterion, the range of its weight (others keeping their proportions) within
    which the top-k set of the eligible alternatives stays the planner's.

    ``eligible``: the alternatives that may enter the top k (e.g. those passing the shortlist's
    filters and exclusions); default all. Columns: ``criterion, weight, lower, upper,
    change_down, change_up, leaves_below, enters_below, leaves_above, enters_above`` (the
    alternatives leaving / entering the top k just beyond each bound; empty when the bound is 0
    or 1 because nothing changes). ``df.attrs['precision']`` states the precision.
    """
    cids = list(problem.criterion_ids)
    base = weight_vector(weights, cids)
    idx = _criteria_index(problem, criteria)
    el = _eligible_mask(problem, eligible)
    k = _check_k(k, el)
    scorer = _scorer(problem, method, normalization, method_options)
    alts = np.asarray(problem.alternatives, dtype=object)
    alpha_pos = id_order(alts)
    higher = scorer.higher_is_better
    base_mask = _topk_masks(scorer.scores(base, normalised=True), higher, k, el, alpha_pos)[0]

    def same(S: np.ndarray) -> np.ndarray:
        return (_topk_masks(S, higher, k, el, alpha_pos) == base_mask).all(axis=1)

    bound, across = _boundaries(scorer, base, idx, same, grid, tol, progress, "stability intervals")
    rows = []
    for c, j in enumerate(idx):
        row = {
            "criterion": cids[j],
            "weight": base[j],
            "lower": bound[c, 0],
            "upper": bound[c, 1],
            "change_down": bound[c, 0] - base[j],
            "change_up": bound[c, 1] - base[j],
        }
        for side, name in ((0, "below"), (1, "above")):
            leaves, enters = "", ""
            if np.isfinite(across[c, side]):
                w = sweep_vectors(base, j, np.array([across[c, side]]))
                mk = _topk_masks(scorer.scores(w, normalised=True), higher, k, el, alpha_pos)[0]
                leaves = ", ".join(alts[base_mask & ~mk])
                enters = ", ".join(alts[mk & ~base_mask])
            row[f"leaves_{name}"] = leaves
            row[f"enters_{name}"] = enters
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["top_k"] = ", ".join(alts[base_mask])
    out.attrs["precision"] = (
        f"grid of {len(_grid(grid))} points over [0, 1] then bisection to {tol:g}; "
        f"bounds within {tol / 2:g}; a change reverting within one grid step "
        f"({1 / (len(_grid(grid)) - 1):g}) can be missed"
    )
    return out


def pair_swap(
    problem: Any,
    weights: Any,
    a: str,
    b: str,
    criteria: Iterable[str] | None = None,
    method: Any = "topsis",
    normalization: str | None = None,
    grid: int = DEFAULT_GRID,
    tol: float = DEFAULT_TOL,
    progress: Progress | None = None,
    **method_options: Any,
) -> pd.DataFrame:
    """Smallest one-at-a-time weight change that makes alternatives ``a`` and ``b`` change order.

    For each criterion: ``swap_below`` / ``swap_above`` — the nearest weight values below / above
    the planner's at which the one ahead stops leading: the two scores cross, or tie (equal to 12
    decimals, e.g. at weight 1 on a criterion where both have the same value); NaN if neither
    happens in [0, 1],
    ``change`` — the signed change to the nearer one, ``is_minimum`` — True on the criterion
    needing the smallest change overall. ``df.attrs`` holds ``ahead`` (who leads at the
    planner's weights), ``min_criterion`` and ``min_change``. If the two are tied at the
    planner's weights, every change is 0.
    """
    cids = list(problem.criterion_ids)
    alts = list(problem.alternatives)
    for x in (a, b):
        if str(x) not in alts:
            raise InputError(f"unknown alternative '{x}'", where="pair", hint="Use ids of the ranked alternatives.")
    if str(a) == str(b):
        raise InputError("choose two different alternatives", where="pair")
    ia, ib = alts.index(str(a)), alts.index(str(b))
    base = weight_vector(weights, cids)
    idx = _criteria_index(problem, criteria)
    scorer = _scorer(problem, method, normalization, method_options)
    sign = 1.0 if scorer.higher_is_better else -1.0

    def diff(S: np.ndarray) -> np.ndarray:
        return np.round(sign * (S[:, ia] - S[:, ib]), 12)

    d0 = float(diff(scorer.scores(base, normalised=True))[0])
    if d0 == 0:
        bound = np.column_stack([base[idx], base[idx]])
        ahead = "tie"
    else:
        s0 = np.sign(d0)
        bound, _ = _boundaries(scorer, base, idx, lambda S: np.sign(diff(S)) == s0, grid, tol, progress, "pair swap")
        ahead = str(a) if d0 > 0 else str(b)
    rows = []
    for c, j in enumerate(idx):
        lo, hi = bound[c]
        below = lo if (d0 == 0 or lo > 0 or _crosses_at(scorer, base, j, lo, diff, d0)) else np.nan
        above = hi if (d0 == 0 or hi < 1 or _crosses_at(scorer, base, j, hi, diff, d0)) else np.nan
        cands = [x - base[j] for x in (below, above) if np.isfinite(x)]
        change = min(cands, key=abs) if cands else np.nan
        rows.append(
            {"criterion": cids[j], "base_weight": base[j], "swap_below": below, "swap_above": above, "change": change}
        )
    out = pd.DataFrame(rows)
    absch = out["change"].abs()
    out["is_minimum"] = False
    if absch.notna().any():
        pos = int(np.nanargmin(absch.to_numpy(dtype=float)))  # as idxmin: the first smallest |change|
        out.loc[pos, "is_minimum"] = True  # out has a RangeIndex: label pos is row pos
        best = out.iloc[pos]
        out.attrs["min_criterion"], out.attrs["min_change"] = best["criterion"], float(best["change"])
    else:
        out.attrs["min_criterion"], out.attrs["min_change"] = None, float("nan")
    out.attrs["ahead"] = ahead
    out.attrs["pair"] = (str(a), str(b))
    return out


def _crosses_at(
    scorer: BatchScorer, base: np.ndarray, j: int, t: float, diff: Callable[[np.ndarray], np.ndarray], d0: float
) -> bool:
    """At an end point (t = 0 or 1) the boundary is real only if the order there differs."""
    S = scorer.scores(sweep_vectors(base, j, np.array([t])), normalised=True)
    return bool(np.sign(diff(S))[0] != np.sign(d0))
