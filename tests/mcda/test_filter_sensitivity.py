"""Threshold sensitivity of shortlist filters (issue 10, item 4): hand-checked cases (a boundary at a
data value, strict against non-strict operators), a brute-force check against re-running the one cut
(make_shortlist) just inside and just outside every boundary, and categorical filters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mcda.filter_sensitivity import filter_sensitivity, sensitivity_table
from mcda.shortlist import make_shortlist

ALTS = list("ABCDEF")
X = {"A": 0.5, "B": -1.5, "C": 2.0, "D": -0.5, "E": 1.0, "F": 3.0}


def _ranking(alts=ALTS):
    n = len(alts)
    return pd.DataFrame({"alternative": alts, "score": np.linspace(1, 0, n), "rank": np.arange(1, n + 1)})


def _data(**cols):
    return pd.DataFrame({"x": pd.Series(X), **{k: pd.Series(v, index=ALTS) for k, v in cols.items()}})


def _f(op, value, column="x", **kw):
    return {"column": column, "op": op, "value": value, "reason": "test", **kw}


def test_strict_greater_than_by_hand():
    # x > 0 passes A, C, E, F; top 2 by rank = A, C. The passing set changes only at data values:
    # t in [-1.5, 0.5) keeps {A, C}; below -1.5 B passes too and takes C's place; at 0.5 or above
    # A fails and E enters.
    (s,) = filter_sensitivity(_ranking(), _data(), 2, [_f(">", 0)])
    assert (s.lower, s.lower_closed, s.upper, s.upper_closed) == (-1.5, True, 0.5, False)
    assert (s.below_enter, s.below_leave, s.above_enter, s.above_leave) == (["B"], ["C"], ["E"], ["A"])
    assert s.summary == (
        "x > 0 holds the shortlist for thresholds from -1.5 to 0.5 (not included); "
        "below -1.5 B would enter, replacing C; at or above 0.5 E would enter, replacing A."
    )


def test_non_strict_operator_moves_the_closed_end():
    # x >= 0: the same interval but open at -1.5 (x >= -1.5 lets B in) and closed at 0.5 (x >= 0.5 keeps A)
    (s,) = filter_sensitivity(_ranking(), _data(), 2, [_f(">=", 0)])
    assert (s.lower, s.lower_closed, s.upper, s.upper_closed) == (-1.5, False, 0.5, True)
    assert "at or below -1.5 B would enter, replacing C" in s.summary and "above 0.5 E would enter" in s.summary


def test_threshold_exactly_at_a_data_value():
    # x > 0.5: A (0.5) fails already -> {C, E}. Region [0.5, 1): down to 0.5 included; below it A is back.
    (s,) = filter_sensitivity(_ranking(), _data(), 2, [_f(">", 0.5)])
    assert (s.lower, s.lower_closed) == (0.5, True) and (s.below_enter, s.below_leave) == (["A"], ["E"])
    assert (s.upper, s.upper_closed) == (1.0, False) and (s.above_enter, s.above_leave) == (["F"], ["E"])
    # x >= 0.5 at the same value keeps A: {A, C}, safe down to -1.5 (open) and up to 0.5 (closed)
    (t,) = filter_sensitivity(_ranking(), _data(), 2, [_f(">=", 0.5)])
    assert (t.lower, t.lower_closed, t.upper, t.upper_closed) == (-1.5, False, 0.5, True)


def test_upper_limit_filters_and_unbounded_sides():
    # x < 2.5 refuses F only; F is last in rank so no threshold above changes the top 2 {A, B}
    (s,) = filter_sensitivity(_ranking(), _data(), 2, [_f("<", 2.5)])
    assert s.upper is None and s.lower == 0.5 and not s.lower_closed  # x < 0.5 drops A; C (2) fails, D enters
    assert (s.below_enter, s.below_leave) == (["D"], ["A"])
    assert "any threshold from 0.5 (not included) up" in s.summary


def test_other_filters_exclusions_and_blanks_are_held_fixed():
    data = _data(y=[1, 1, 0, 1, 1, 1])
    data.loc["D", "x"] = np.nan
    filters = [_f(">", 0), _f("==", 1, column="y")]
    excl = [{"id": "A", "reason": "manual"}]
    # x > 0 with C refused by y and A excluded: passing E, F -> {E, F}; lowering the threshold below 0.5
    # changes nothing (A excluded); below -1.5 B enters replacing F; D blank is excluded whatever t
    s, _ = filter_sensitivity(_ranking(), data, 2, filters, excl)
    assert (s.lower, s.below_enter, s.below_leave) == (-1.5, ["B"], ["F"])
    assert (s.upper, s.above_enter, s.above_leave) == (1.0, [], ["E"])
    assert "at or above 1 E would leave the shortlist" in s.summary
    # with if_unknown = keep, D passes whatever the threshold: it is in the shortlist already
    keep = [_f(">", 0, if_unknown="keep"), _f("==", 1, column="y")]
    s2, _ = filter_sensitivity(_ranking(), data, 2, keep, excl)
    current = make_shortlist(_ranking(), data, 2, keep, excl)
    assert set(current.loc[current["status"] == "shortlisted", "alternative"]) == {"D", "E"}
    assert (s2.lower, s2.below_enter, s2.below_leave) == (-1.5, ["B"], ["E"])


def test_categorical_filters_say_which_values_change_the_shortlist():
    data = _data(tier=["a", "b", "a", "c", "b", "a"])
    (s,) = filter_sensitivity(_ranking(), data, 2, [_f("in", ["a", "c"], column="tier")])
    # passing A, C, D, F -> {A, C}; adding b lets B in (rank 2) replacing C; removing a leaves D, ... {D}
    acts = {a: (e, lv) for a, e, lv in s.changes}
    assert acts["also accepting 'b'"] == (["B"], ["C"])
    assert acts["no longer accepting 'a'"] == (["D"], ["A", "C"])
    assert "no longer accepting 'c'" not in acts  # D is third: refusing c changes nothing
    assert s.kind == "categorical" and "also accepting 'b', B would enter, replacing C" in s.summary
    t = sensitivity_table([s])
    assert t.loc[0, "rule"] == "tier in ['a', 'c']" and t.loc[0, "lower"] == "" and t.loc[0, "threshold"] == ""
    # the refusing operators: tier != 'a' passes B, D, E -> {B, D}; also refusing 'b' -> {D}
    (r,) = filter_sensitivity(_ranking(), data, 2, [_f("!=", "a", column="tier")])
    acts = {a: (e, lv) for a, e, lv in r.changes}
    assert acts["also refusing 'b'"] == ([], ["B"]) and acts["no longer refusing 'a'"] == (["A"], ["D"])


def _short(ranking, data, k, filters, excl):
    t = make_shortlist(ranking, data, k, filters, excl)
    return set(t.loc[t["status"] == "shortlisted", "alternative"])


@pytest.mark.parametrize("seed", range(40))
def test_brute_force_against_the_one_cut(seed):
    """Every reported boundary checked by re-running make_shortlist inside, at and outside it."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 12))
    alts = [f"R{i:02d}" for i in range(n)]
    ranking = _ranking(alts)
    ranking["rank"] = rng.permutation(n) + 1
    ranking.loc[0, "rank"] = ranking.loc[1, "rank"]  # a tie: broken by id at the cut
    x = np.round(rng.normal(0, 1, n), 1)  # repeated values happen
    x[rng.random(n) < 0.15] = np.nan
    data = pd.DataFrame({"x": x, "z": rng.integers(0, 3, n)}, index=alts)
    op = str(rng.choice([">", ">=", "<", "<="]))
    t0 = float(np.round(rng.choice(x[~np.isnan(x)]) if rng.random() < 0.5 else rng.normal(0, 1), 1))
    unk = str(rng.choice(["exclude", "keep"]))
    filters = [_f(op, t0, if_unknown=unk), _f("!=", 2, column="z")]
    excl = [{"id": alts[int(rng.integers(n))], "reason": "manual"}] if rng.random() < 0.5 else []
    k = int(rng.integers(1, 4))
    s, _ = filter_sensitivity(ranking, data, k, filters, excl)
    current = _short(ranking, data, k, filters, excl)

    def at(t):
        return _short(ranking, data, k, [_f(op, t, if_unknown=unk), filters[1]], excl)

    vals = sorted(set(x[~np.isnan(x)].tolist()))
    eps = 1e-9
    # every data value and midpoint between the bounds keeps the shortlist
    lo = s.lower if s.lower is not None else min(vals + [t0]) - 5
    hi = s.upper if s.upper is not None else max(vals + [t0]) + 5
    probes = [v for v in vals if lo < v < hi] + [(lo + hi) / 2, t0]
    for t in probes:
        assert at(t) == current, (t, s)
    if s.lower is not None:
        assert at(s.lower) == current if s.lower_closed else at(s.lower) != current
        assert at(s.lower + eps) == current
        below = at(s.lower - eps) if s.lower_closed else at(s.lower)
        assert sorted(below - current) == sorted(s.below_enter) and sorted(current - below) == sorted(s.below_leave)
        assert below != current
    if s.upper is not None:
        assert at(s.upper) == current if s.upper_closed else at(s.upper) != current
        assert at(s.upper - eps) == current
        above = at(s.upper + eps) if s.upper_closed else at(s.upper)
        assert sorted(above - current) == sorted(s.above_enter) and sorted(current - above) == sorted(s.above_leave)
        assert above != current
    else:
        assert at(max(vals) + 1) == current and at(1e9) == current
    if s.lower is None:
        assert at(min(vals) - 1) == current and at(-1e9) == current
