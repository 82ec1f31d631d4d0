"""Threshold sensitivity of shortlist filters: how far each filter's value can move before the shortlist changes.

For a numeric filter (``>``, ``>=``, ``<``, ``<=``) the set of alternatives that pass changes only
when the threshold crosses a data value, so the shortlist is constant between consecutive values of
the column. The safe interval is found exactly from those values: every interval between two
consecutive values is represented by one threshold inside it, the shortlist is cut there with the
one cut rule (:func:`mcda.shortlist.cut_order`: eligible alternatives by rank, ties by id, the
first k) with the other filters and the manual exclusions held fixed, and the intervals next to the
current threshold are merged while the shortlist stays the same. At each end the module says which
alternatives would enter and which would leave.

For a categorical filter (``==``, ``!=``, ``in``, ``not in``) there is no threshold: for every value
the column takes among the otherwise eligible alternatives, it reports whether adding it to (or
removing it from) the accepted values would change the shortlist, and how.

Blank values follow the filter's ``if_unknown`` (kept or excluded whatever the threshold).

With tracks (several rankings joined by :func:`mcda.shortlist.track_picks`) the caller passes ``final``:
the cut from one track's eligibility to the FINAL shortlist (the other tracks held fixed), so a
threshold is safe while the final shortlist keeps its members; enter/leave then name final members.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mcda.shortlist import _passes, cut_order, filter_parts, id_order, make_shortlist

__all__ = ["FilterSensitivity", "filter_sensitivity", "interval_text", "sensitivity_table"]

NUMERIC_OPS = (">", ">=", "<", "<=")
#: columns of :func:`sensitivity_table` (and of filter_sensitivity.csv)
COLUMNS = [
    "filter",
    "rule",
    "column",
    "kind",
    "threshold",
    "lower",
    "lower_closed",
    "upper",
    "upper_closed",
    "below_enter",
    "below_leave",
    "above_enter",
    "above_leave",
    "summary",
]


@dataclass
class FilterSensitivity:
    """How far one filter's threshold can move before the shortlist changes (see the module docstring).

    ``lower`` / ``upper`` bound the thresholds that keep the shortlist (``None`` = unbounded),
    ``*_closed`` whether the bound itself keeps it; ``below_*`` / ``above_*`` the alternatives that
    would enter or leave just beyond each bound. ``changes`` (categorical filters) lists
    ``(action, enter, leave)`` for each value whose addition or removal changes the shortlist.
    """

    index: int
    column: str
    op: str
    value: Any
    kind: str  # "numeric" or "categorical"
    lower: float | None = None
    lower_closed: bool = False
    upper: float | None = None
    upper_closed: bool = False
    below_enter: list[str] = field(default_factory=list)
    below_leave: list[str] = field(default_factory=list)
    above_enter: list[str] = field(default_factory=list)
    above_leave: list[str] = field(default_factory=list)
    changes: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    summary: str = ""
    track: str = ""  # the track whose filter this is ('' without tracks)

    @property
    def rule(self) -> str:
        """The filter as written: 'wgi_pv > -1', "tier in ['a', 'c']"."""
        return f"{self.column} {self.op} {_value(self.value)}"


def _fmt(x: float) -> str:
    """A number as the sentences and the chart write it (6 significant digits)."""
    return f"{x:.6g}"


def _value(y: Any) -> str:
    """A filter value as a planner writes it (1, not np.float64(1.0); text quoted)."""
    if isinstance(y, (int, float, np.number)) and not isinstance(y, bool):
        return _fmt(float(y))
    if isinstance(y, (list, tuple, set)):
        return "[" + ", ".join(_value(x) for x in y) + "]"
    return repr(str(y))


def _names(ids: list[str], names: Mapping[str, str] | None) -> str:
    out = [str(names.get(a, a)) if names else a for a in ids]
    if len(out) <= 1:
        return "".join(out)
    return ", ".join(out[:-1]) + " and " + out[-1]


def _move(enter: list[str], leave: list[str], names: Mapping[str, str] | None) -> str:
    """'Venezuela would enter, replacing Peru' and the like."""
    e, lv = _names(enter, names), _names(leave, names)
    if enter and leave:
        return f"{e} would enter, replacing {lv}"
    if enter:
        return f"{e} would enter"
    if leave:
        return f"{lv} would leave the shortlist"
    return "the shortlist would not change"


#: a cut: eligibility over the ranked alternatives (rank order) -> the shortlist's members, in shortlist order
Cut = Callable[[np.ndarray], tuple[str, ...]]


def _own_cut(ranks: np.ndarray, ids: np.ndarray, k: int, alts: list[str]) -> Cut:
    """The one cut rule of a single ranking (eligible alternatives by rank, ties by id, the first k)."""

    def cut(eligible: np.ndarray) -> tuple[str, ...]:
        order = cut_order(ranks, eligible, ids)
        return tuple(alts[int(i)] for i in order[: min(k, int(eligible.sum()))])

    return cut


def _diff(after: tuple[str, ...], current: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(who enters, who leaves): in the new shortlist's order, and in the current one's."""
    return [a for a in after if a not in current], [a for a in current if a not in after]


def filter_sensitivity(
    ranking: pd.DataFrame,
    data: pd.DataFrame,
    top_k: int,
    filters: list | None = None,
    exclusions: list | None = None,
    names: Mapping[str, str] | None = None,
    final: Callable[[list[str], np.ndarray], tuple[str, ...]] | None = None,
) -> list[FilterSensitivity]:
    """Sensitivity of every filter of a shortlist rule (the arguments of :func:`make_shortlist`).

    Parameters
    ----------
    ranking, data, top_k, filters, exclusions
        As for :func:`mcda.shortlist.make_shortlist` (validated by it first).
    names : mapping, optional
        Alternative id -> display name, for the sentences.
    final : callable, optional
        ``final(alternatives, eligible)`` -> the members of the shortlist that counts, in its order, when
        the alternatives of this ranking (rank order) have eligibility ``eligible``; default: this
        ranking's own top-k cut. Tracks pass the overlap rule's final shortlist.

    Returns
    -------
    list of FilterSensitivity
        One per filter, in the scenario's order.
    """
    filters = [] if filters is None else list(filters)
    exclusions = [] if exclusions is None else list(exclusions)
    make_shortlist(ranking, data, top_k, filters=filters, exclusions=exclusions)  # the one validator
    data = data.copy()
    data.index = data.index.map(str)
    table = ranking[["alternative", "rank"]].sort_values(["rank", "alternative"]).reset_index(drop=True)
    alts = [str(a) for a in table["alternative"]]
    ranks = table["rank"].to_numpy()
    ids = id_order(alts)
    if final is None:
        cut = _own_cut(ranks, ids, top_k, alts)
    else:

        def cut(eligible: np.ndarray, final: Any = final) -> tuple[str, ...]:
            return tuple(final(alts, eligible))

    out = []
    for i, f in enumerate(filters):
        col, op, val, _why, unk = filter_parts(f, i)
        others = [g for j, g in enumerate(filters) if j != i]
        rest = make_shortlist(ranking, data, top_k, filters=others, exclusions=exclusions)
        rest = rest.set_index("alternative").loc[alts]
        base = (rest["status"] != "excluded").to_numpy()
        raw = [data[col].get(a, np.nan) if a in data.index else np.nan for a in alts]
        known = np.array([not pd.isna(v) for v in raw])
        always = ~known & (unk == "keep")  # blanks kept whatever the threshold

        def passing(test: Any, raw: list = raw, known: np.ndarray = known, always: np.ndarray = always) -> np.ndarray:
            return always | np.array([bool(k and test(v)) for v, k in zip(raw, known, strict=True)])

        current = cut(base & passing(lambda v, op=op, val=val: _passes(v, op, val)))
        if op in NUMERIC_OPS and isinstance(val, (int, float, np.number)) and not isinstance(val, bool):
            out.append(_numeric(i, col, op, float(val), raw, base, known, passing, cut, current, names))
        else:
            out.append(_categorical(i, col, op, val, raw, base, known, passing, cut, current, names))
    return out


def _numeric(
    i: int,
    col: str,
    op: str,
    t: float,
    raw: list,
    base: np.ndarray,
    known: np.ndarray,
    passing: Any,
    cut: Cut,
    current: tuple[str, ...],
    names: Mapping[str, str] | None,
) -> FilterSensitivity:
    """Safe interval of a numeric threshold, exact from the column's values."""
    u = sorted({float(raw[a]) for a in np.flatnonzero(base & known)})
    # Regions of t on which the passing set is constant. For > and <= it depends on {v > t}:
    # (-inf, u1), [u1, u2), ..., [ur, inf); for >= and < on {v >= t}: (-inf, u1], (u1, u2], ..., (ur, inf).
    strict_left = op in (">", "<=")  # region j is [u_j, u_j+1) (left end closed)
    r = len(u)

    def rep(j: int) -> float:  # a threshold inside region j (0..r)
        if r == 0:
            return t
        if strict_left:
            return u[0] - 1.0 if j == 0 else u[j - 1]
        return u[0] if j == 0 else (u[j] if j < r else u[-1] + 1.0)

    def shortlist(j: int) -> tuple[str, ...]:
        x = rep(j)
        return cut(base & passing(lambda v, x=x: _passes(v, op, x)))

    same = set(current)

    j0 = sum(1 for x in u if x <= t) if strict_left else sum(1 for x in u if x < t)  # the region holding t
    lo, hi = j0, j0
    while lo > 0 and set(shortlist(lo - 1)) == same:
        lo -= 1
    while hi < r and set(shortlist(hi + 1)) == same:
        hi += 1
    res = FilterSensitivity(i, col, op, t, "numeric")
    if lo > 0:
        res.lower = u[lo - 1]
        res.lower_closed = strict_left
        res.below_enter, res.below_leave = _diff(shortlist(lo - 1), current)
    if hi < r:
        res.upper = u[hi]
        res.upper_closed = not strict_left
        res.above_enter, res.above_leave = _diff(shortlist(hi + 1), current)
    res.summary = _numeric_words(res, names)
    return res


def interval_text(s: FilterSensitivity) -> str:
    """The safe thresholds in words: 'from -1.5 to 0.5 (not included)', 'any threshold'."""
    if s.lower is None and s.upper is None:
        return "any threshold"
    if s.lower is None:
        assert s.upper is not None
        return f"any threshold below {_fmt(s.upper)}" + (" or at it" if s.upper_closed else "")
    if s.upper is None:
        return f"any threshold from {_fmt(s.lower)}" + ("" if s.lower_closed else " (not included)") + " up"
    return (
        f"thresholds from {_fmt(s.lower)}{'' if s.lower_closed else ' (not included)'} "
        f"to {_fmt(s.upper)}{'' if s.upper_closed else ' (not included)'}"
    )


def _numeric_words(s: FilterSensitivity, names: Mapping[str, str] | None) -> str:
    rule = f"{s.column} {s.op} {_fmt(float(s.value))}"
    if s.lower is None and s.upper is None:
        return f"{rule}: no threshold changes the shortlist (every value of {s.column} keeps it)."
    parts = [f"{rule} holds the shortlist for {interval_text(s)}"]
    if s.lower is not None:
        where = f"{'below' if s.lower_closed else 'at or below'} {_fmt(s.lower)}"
        parts.append(f"{where} {_move(s.below_enter, s.below_leave, names)}")
    if s.upper is not None:
        where = f"{'above' if s.upper_closed else 'at or above'} {_fmt(s.upper)}"
        parts.append(f"{where} {_move(s.above_enter, s.above_leave, names)}")
    return "; ".join(parts) + "."


def _categorical(
    i: int,
    col: str,
    op: str,
    val: Any,
    raw: list,
    base: np.ndarray,
    known: np.ndarray,
    passing: Any,
    cut: Cut,
    current: tuple[str, ...],
    names: Mapping[str, str] | None,
) -> FilterSensitivity:
    """Which values, added to or removed from the accepted ones, would change the shortlist."""
    listed = list(val) if isinstance(val, (list, tuple, set)) else [val]
    accepts = op in ("==", "in")  # the listed values pass (else they are refused)
    res = FilterSensitivity(i, col, op, val, "categorical")
    seen: list[Any] = []
    for a in np.flatnonzero(base & known):
        if raw[a] not in seen:
            seen.append(raw[a])
    for y in sorted(seen, key=lambda x: (str(type(x)), x)):
        in_list = y in listed
        new = [x for x in listed if x != y] if in_list else [*listed, y]

        def test(v: Any, new: list = new) -> bool:
            return (v in new) if accepts else (v not in new)

        after = cut(base & passing(test))
        if set(after) == set(current):
            continue
        verb = (
            ("no longer accepting" if in_list else "also accepting")
            if accepts
            else ("no longer refusing" if in_list else "also refusing")
        )
        enter, leave = _diff(after, current)
        res.changes.append((f"{verb} {_value(y)}", enter, leave))
    if not res.changes:
        res.summary = f"{res.rule}: no single value accepted or refused in addition changes the shortlist."
    else:
        bits = [f"{act}, {_move(e, lv, names)}" for act, e, lv in res.changes]
        res.summary = f"{res.rule}: " + "; ".join(bits) + "; no other single value changes it."
    return res


def sensitivity_table(items: list[FilterSensitivity]) -> pd.DataFrame:
    """The results as a table (the columns of filter_sensitivity.csv, documented in the README); with
    tracks a first column ``track`` names the track whose filter each row is."""
    rows = []
    tracked = any(s.track for s in items)
    for s in items:
        rows.append(
            {
                **({"track": s.track} if tracked else {}),
                "filter": s.index,
                "rule": s.rule,
                "column": s.column,
                "kind": s.kind,
                "threshold": float(s.value) if s.kind == "numeric" else "",
                "lower": s.lower if s.lower is not None else "",
                "lower_closed": s.lower_closed if s.lower is not None else "",
                "upper": s.upper if s.upper is not None else "",
                "upper_closed": s.upper_closed if s.upper is not None else "",
                "below_enter": " ".join(s.below_enter),
                "below_leave": " ".join(s.below_leave),
                "above_enter": " ".join(s.above_enter),
                "above_leave": " ".join(s.above_leave),
                "summary": s.summary,
            }
        )
    return pd.DataFrame(rows, columns=(["track"] if tracked else []) + COLUMNS)
