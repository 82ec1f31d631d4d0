"""Shortlist: top-k of a ranking after hard filters and manual exclusions, each with its reason.

The cut rule lives here once: the eligible alternatives (not excluded) in order of rank, ties
broken by alternative id, the first k taken. :func:`make_shortlist` applies it to one ranking with
every reason spelled out; :func:`cut_order` and :func:`top_k_mask` are the same rule vectorised
over many rankings at once (rows = weight samples), for SMAA shortlist acceptability, stability
intervals and funding acceptability.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError

_OPS = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


def _check_filter_value(col: str, column: pd.Series, target: Any, i: int) -> None:
    """A text value on a numeric column (e.g. "1" for 1) would fail every row silently: refuse it."""
    where = f"shortlist.filters[{i}]"
    targets = list(target) if isinstance(target, (list, tuple, set)) else [target]
    if any(t is None for t in targets):
        raise InputError(
            f"filter on '{col}' has no value (null)",
            where=where,
            hint="Give the value to compare with; use if_unknown to decide about blank cells.",
        )
    vals = column.dropna()
    numeric_col = len(vals) > 0 and pd.api.types.is_numeric_dtype(vals.infer_objects())
    if numeric_col:
        text = [t for t in targets if isinstance(t, str)]
        if text:
            raise InputError(
                f"filter value {text[0]!r} is text but column '{col}' holds numbers",
                where=where,
                hint=f"Write the value without quotes, e.g. {text[0].strip()}.",
            )


def _passes(value: Any, op: str, target: Any) -> bool:
    if op not in _OPS and op not in ("in", "not in"):
        raise InputError(
            f"unknown filter operator '{op}'",
            where="shortlist.filters",
            hint="Use one of: " + ", ".join([*_OPS, "in", "not in"]) + ".",
        )
    if op in ("in", "not in"):
        if not isinstance(target, (list, tuple, set)):
            raise InputError(f"filter '{op}' needs a list of values, got {target!r}", where="shortlist.filters")
        found = value in target
        return found if op == "in" else not found
    try:
        return bool(_OPS[op](value, target))
    except TypeError:
        raise InputError(f"cannot compare {value!r} {op} {target!r}", where="shortlist.filters") from None


def filter_parts(f: Any, i: int) -> tuple[str, str, Any, str, str]:
    """``(column, op, value, reason, if_unknown)`` of a filter given as a dict or a FilterSpec."""
    if isinstance(f, dict):
        lacking = [k for k in ("column", "value", "reason") if k not in f]
        if lacking:
            raise InputError(
                f"filter lacks {', '.join(lacking)}",
                where=f"shortlist.filters[{i}]",
                hint="A filter needs column, op, value and reason.",
            )
        return f["column"], f.get("op", "=="), f["value"], f["reason"], f.get("if_unknown", "exclude")
    return f.column, f.op, f.value, f.reason, getattr(f, "if_unknown", "exclude")


def priorities(
    scores: pd.Series, all_scores: pd.Series, higher_is_better: bool, rule: str = "score_share"
) -> pd.Series:
    """Allocation priorities for shortlisted alternatives, summing to 1.

    score_share: scores min-max scaled over *all* ranked alternatives (best 1, worst 0), then
    divided by their shortlist sum; if every shortlisted score scales to 0, falls back to equal.
    rank_sum: (k - r + 1) / sum over the shortlist positions r = 1..k. equal: 1/k.
    """
    k = len(scores)
    if k == 0:
        return scores.astype(float)
    if rule == "equal":
        return pd.Series(1.0 / k, index=scores.index)
    if rule == "rank_sum":
        pos = np.arange(k, 0, -1, dtype=float)
        return pd.Series(pos / pos.sum(), index=scores.index)
    if rule != "score_share":
        raise InputError(f"unknown priority rule '{rule}'", hint="Use score_share, rank_sum or equal.")
    lo, hi = float(all_scores.min()), float(all_scores.max())
    span = hi - lo
    if span <= 0:
        return pd.Series(1.0 / k, index=scores.index)
    scaled = (scores - lo) / span if higher_is_better else (hi - scores) / span
    total = scaled.sum()
    if total <= 0:
        return pd.Series(1.0 / k, index=scores.index)
    return scaled / total


def id_order(alternatives: Iterable[object]) -> np.ndarray:
    """Each alternative's position in id order (text order of the ids): the tie-break at the cut."""
    ids = np.asarray([str(a) for a in alternatives], dtype=object)
    return np.argsort(np.argsort(ids, kind="stable"), kind="stable")


def cut_order(ranks: np.ndarray, eligible: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Indices of the alternatives in shortlist order, per row of ``ranks`` ((n,) or (s x n)):
    eligible ones by rank, ties by id (``ids`` = :func:`id_order`), the ineligible last."""
    r = np.asarray(ranks, dtype=np.int64)
    n = r.shape[-1]
    key = np.where(eligible, r * n + ids, np.iinfo(np.int64).max)
    return np.argsort(key, axis=-1, kind="stable")


def top_k_mask(ranks: np.ndarray, eligible: np.ndarray, k: int, ids: np.ndarray) -> np.ndarray:
    """Boolean mask of the shortlisted alternatives per row of ``ranks`` ((s x n)): the first ``k``
    in :func:`cut_order` (``k`` at most the number of eligible alternatives)."""
    r = np.asarray(ranks, dtype=np.int64)
    n = r.shape[-1]
    key = np.where(eligible, r * n + ids, np.iinfo(np.int64).max)  # unique for the eligible ones
    top = np.argpartition(key, k - 1, axis=-1)[..., :k] if k < n else np.argsort(key, axis=-1)
    mask = np.zeros(r.shape, dtype=bool)
    np.put_along_axis(mask, top, True, axis=-1)
    return mask


def make_shortlist(
    ranking: pd.DataFrame,
    data: pd.DataFrame,
    top_k: int,
    filters: list | None = None,
    exclusions: list | None = None,
    higher_is_better: bool = True,
    priority_rule: str = "score_share",
) -> pd.DataFrame:
    """Every ranked alternative with its status (shortlisted / excluded / below cut) and reason.

    ranking: columns alternative, score, rank. data: table indexed by alternative id holding the
    filter columns. filters: items with column, op, value, reason. exclusions: items with id, reason.
    Returns columns alternative, rank, score, status, reason, position (1..k for shortlisted),
    priority (shortlisted only, sums to 1), ordered by rank.
    """
    filters = [] if filters is None else filters
    exclusions = [] if exclusions is None else exclusions
    for name, items in (("filters", filters), ("exclusions", exclusions)):
        if isinstance(items, (dict, str)) or not hasattr(items, "__iter__"):
            raise InputError(f"{name} must be a list, got {type(items).__name__}", where=f"shortlist.{name}")
    if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)):
        raise InputError(f"top_k must be a whole number, got {top_k!r}", where="shortlist.top_k")
    if top_k < 1:
        raise InputError(f"top_k must be at least 1, got {top_k}", where="shortlist.top_k")
    absent = [c for c in ("alternative", "rank", "score") if c not in ranking.columns]
    if absent:
        raise InputError(
            f"the ranking has no column(s) {', '.join(absent)}",
            where="ranking",
            hint="Pass the table a ranking method returns (alternative, score, rank, ...).",
        )
    bad = ~np.isfinite(pd.to_numeric(ranking["score"], errors="coerce").to_numpy(dtype=float))
    if bad.any():
        raise InputError(
            f"the score of {ranking['alternative'].iloc[int(np.argmax(bad))]} is missing or not finite",
            where="ranking",
            hint="Rank with a validated DecisionProblem; never shortlist NaN scores.",
        )
    data = data.set_axis(data.index.map(str), axis=0)  # ranking ids are text; a numeric index (1, 2, 3) must match
    where_in = {a: i for i, a in enumerate(data.index)} if data.index.is_unique else None  # label -> row, read once
    out = ranking[["alternative", "rank", "score"]].sort_values(["rank", "alternative"]).reset_index(drop=True)
    out["status"] = ""
    out["reason"] = ""
    ids = set(out["alternative"])
    reasons: dict[str, list[str]] = {a: [] for a in out["alternative"]}
    for i, f in enumerate(filters):
        col, op, val, why, unk = filter_parts(f, i)
        if not str(why or "").strip():
            raise InputError(
                "filter has no reason",
                where=f"shortlist.filters[{i}]",
                hint="Say why the filter applies; the reason is shown beside every excluded alternative.",
            )
        if col not in data.columns:
            raise InputError(
                f"filter column '{col}' is not in the dataset",
                where=f"shortlist.filters[{i}]",
                hint="Use a column of the country table (e.g. prc_relations, bri_mou).",
            )
        if op not in _OPS and op not in ("in", "not in"):
            raise InputError(
                f"unknown filter operator '{op}'",
                where=f"shortlist.filters[{i}]",
                hint="Use one of: " + ", ".join([*_OPS, "in", "not in"]) + ".",
            )
        _check_filter_value(col, data[col], val, i)
        column = data[col]
        values = column.array  # the scalars Series.get returns, by position (a label lookup per cell was slow)
        for a in out["alternative"]:
            if where_in is not None:
                v = values[where_in[a]] if a in where_in else np.nan
            else:
                v = column.get(a, np.nan) if a in data.index else np.nan
            if pd.isna(v):
                if unk == "keep":
                    continue
                reasons[a].append(f"filter {col} {op} {val!r}: value unknown — {why}")
            elif not _passes(v, op, val):
                reasons[a].append(
                    f"filter {col} {op} {val!r} fails ({col} = {v:g}) — {why}"
                    if isinstance(v, (int, float, np.number))
                    else f"filter {col} {op} {val!r} fails ({col} = {v}) — {why}"
                )
    for i, e in enumerate(exclusions):
        if isinstance(e, dict) and not {"id", "reason"} <= set(e):
            raise InputError("exclusion needs an id and a reason", where=f"shortlist.exclusions[{i}]")
        eid, why = (e["id"], e["reason"]) if isinstance(e, dict) else (e.id, e.reason)
        eid = str(eid)
        if not str(why or "").strip():
            raise InputError(
                f"exclusion of '{eid}' has no reason",
                where=f"shortlist.exclusions[{i}]",
                hint="Every manual exclusion is recorded with its reason in the outputs.",
            )
        if eid not in ids:
            raise InputError(
                f"excluded alternative '{eid}' is not among the ranked alternatives",
                where=f"shortlist.exclusions[{i}]",
                hint="Check the id (ISO3 code) and the candidate set.",
            )
        reasons[eid].append(f"manual exclusion — {why}")
    # Status and reason per row built as lists and stored once (the rows are 0..n-1 after reset_index).
    alts = out["alternative"].tolist()
    excluded = np.array([bool(reasons[a]) for a in alts], dtype=bool)
    status = ["excluded" if x else "" for x in excluded]
    reason = ["; ".join(reasons[a]) for a in alts]
    order = cut_order(out["rank"].to_numpy(), ~excluded, id_order(alts))
    eligible = out.index[order[: int((~excluded).sum())]]
    chosen = eligible[:top_k]
    for p in chosen:
        status[p] = "shortlisted"
    for p in eligible[top_k:]:
        status[p] = "below cut"
        reason[p] = f"not in the top {top_k} of the eligible alternatives"
    out["status"] = status
    out["reason"] = reason
    out["position"] = pd.Series(np.arange(1, len(chosen) + 1), index=chosen).reindex(out.index).astype("Int64")
    sel = out.loc[chosen]
    pr = priorities(sel["score"], out["score"], higher_is_better, priority_rule)
    out["priority"] = pr.reindex(out.index)
    return out


def track_picks(
    ranks: list[np.ndarray], eligible: list[np.ndarray], quotas: list[int], ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The overlap rule of tracks with quotas, vectorised over rows (weight samples).

    Track ``t`` (in order) takes the first ``quotas[t]`` alternatives of its own :func:`cut_order`
    (``ranks[t]``: (n,) or (s x n); ``eligible[t]``: (n,) bool) that no earlier track picked; an
    alternative already picked is skipped and the track takes its next eligible one. All tracks
    rank the same ``n`` alternatives (one absent from a track is not eligible there).

    Returns ``(track, position)``, each (s x n) (or (n,) for 1-D ranks): the index of the track that
    picked each alternative (-1: none) and its place in the final shortlist (1.., 0: not picked;
    track order, then each track's own order).
    """
    one = np.ndim(ranks[0]) == 1
    rs = [np.atleast_2d(np.asarray(r, dtype=np.int64)) for r in ranks]
    s, n = rs[0].shape
    track = np.full((s, n), -1, dtype=np.int64)
    position = np.zeros((s, n), dtype=np.int64)
    taken = np.zeros(s, dtype=np.int64)
    rows = np.arange(s)[:, None]
    for t, (r, el, k) in enumerate(zip(rs, eligible, quotas, strict=True)):
        el = np.asarray(el, dtype=bool)
        order = cut_order(r, el, ids)  # (s x n): this track's shortlist order
        free = el[order] & (track[rows, order] < 0)
        nth = np.cumsum(free, axis=1)
        take = free & (nth <= k)
        sel_r, sel_c = np.nonzero(take)
        alt = order[sel_r, sel_c]
        track[sel_r, alt] = t
        position[sel_r, alt] = taken[sel_r] + nth[sel_r, sel_c]
        taken += take.sum(axis=1)
    return (track[0], position[0]) if one else (track, position)
