"""The "Why this country?" panel (issue 13 item 5): one country's raw values against the best and worst candidates,
its strengths and drags from the ranking method's contributions, and the pair whose swap would take it
onto or off the shortlist (for mcda.robustness.pair_swap). Pure: reads a RankingOutcome, draws nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError


@dataclass(frozen=True)
class Why:
    """Everything the "Why this country?" panel says about one country."""

    alternative: str
    name: str
    rank: int
    score: float
    status: str  #: shortlisted / below cut / excluded
    reason: str  #: the shortlist table's reason (why excluded, or empty)
    values: pd.DataFrame  #: per criterion: label, unit, value, year, best, best_by, worst, worst_by, direction
    effects: pd.DataFrame  #: per criterion: label, contribution, average, effect (+ = helps its place), sorted
    strengths: list[str] = field(default_factory=list)  #: sentences, strongest first
    drags: list[str] = field(default_factory=list)  #: sentences, heaviest first
    pair: tuple[str, str] | None = None  #: (country, the one at the cut) for pair_swap, None if excluded/alone
    pair_role: str = ""  #: "enter" (it is below the cut) or "leave" (it is on the shortlist)


def in_words(v: float) -> str:
    """A raw value in a sentence: three significant digits, thousands separators for large numbers."""
    v = float(v)
    if not np.isfinite(v):
        return "–"
    for scale, word in ((1e9, "bn"), (1e6, "M")):
        if abs(v) >= scale:
            x = v / scale
            return (f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}") + f" {word}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def _name(out: Any, alt: str) -> str:
    c = out.countries
    for col in ("country", "name"):
        if col in c.columns and alt in c.index and isinstance(c.at[alt, col], str):
            return str(c.at[alt, col])
    return alt


def country_values(out: Any, alt: str) -> pd.DataFrame:
    """The country's raw value per criterion with unit and data year, and the best and worst among the ranked."""
    crit = out.criteria
    ranked = [str(a) for a in out.ranking["alternative"]]
    raw = out.countries.reindex(ranked)
    rows = []
    for cid in out.problem.criterion_ids:
        col = raw[cid] if cid in raw.columns else pd.Series(np.nan, index=ranked)
        col = pd.to_numeric(col, errors="coerce")
        direction = str(crit.at[cid, "direction"]) if "direction" in crit.columns else "benefit"
        known = col.dropna()
        best_by = worst_by = ""
        best = worst = np.nan
        if len(known):
            best_by = str(known.idxmax() if direction != "cost" else known.idxmin())
            worst_by = str(known.idxmin() if direction != "cost" else known.idxmax())
            best, worst = float(known[best_by]), float(known[worst_by])
        ycol = f"{cid}_year"
        year = raw.at[alt, ycol] if ycol in raw.columns else (crit.at[cid, "year"] if "year" in crit.columns else None)
        if not np.isfinite(float(col.get(alt, np.nan))) or year is None or pd.isna(year):
            year = None  # no value, no year
        rows.append(
            {
                "criterion": cid,
                "label": str(crit.at[cid, "label"])
                if "label" in crit.columns and pd.notna(crit.at[cid, "label"])
                else cid,
                "unit": str(crit.at[cid, "unit"]) if "unit" in crit.columns and pd.notna(crit.at[cid, "unit"]) else "",
                "direction": direction,
                "value": float(col.get(alt, np.nan)),
                "year": "" if year is None else str(year).removesuffix(".0"),
                "best": best,
                "best_by": best_by,
                "worst": worst,
                "worst_by": worst_by,
            }
        )
    return pd.DataFrame(rows).set_index("criterion")


def effects(out: Any, alt: str) -> pd.DataFrame:
    """Each criterion's contribution to the country's score against the average country's, signed so that
    a positive effect helps its place (methods where lower is better, e.g. VIKOR, are turned round)."""
    r = out.ranking.set_index(out.ranking["alternative"].astype(str))
    cols = [f"contrib_{c}" for c in out.problem.criterion_ids if f"contrib_{c}" in r.columns]
    if not cols:
        return pd.DataFrame(columns=["label", "contribution", "average", "effect"])
    sign = 1.0 if out.higher_is_better else -1.0
    mine, avg = r.loc[alt, cols].astype(float), r[cols].astype(float).mean()
    ids = [c.removeprefix("contrib_") for c in cols]
    labels = out.criteria["label"] if "label" in out.criteria.columns else pd.Series(ids, index=ids)
    e = pd.DataFrame(
        {
            "label": [str(labels.get(c, c)) for c in ids],
            "contribution": mine.to_numpy(),
            "average": avg.to_numpy(),
            "effect": sign * (mine.to_numpy() - avg.to_numpy()),
        },
        index=pd.Index(ids, name="criterion"),
    )
    return e.sort_values("effect", ascending=False, kind="stable")


def _sentence(row: pd.Series, vals: pd.DataFrame, cid: Any, out: Any) -> str:
    v: Any = vals.loc[cid]
    unit = f" ({v['unit']})" if v["unit"] else ""
    value = (
        f"{in_words(v['value'])}" + (f" in {v['year']}" if v["year"] else "") if np.isfinite(v["value"]) else "no data"
    )
    best = f"most favourable {in_words(v['best'])} ({_name(out, v['best_by'])})" if v["best_by"] else ""
    return f"{row['label']}{unit}: {value}" + (f"; {best}" if best else "")


def shortlist_pair(out: Any, alt: str) -> tuple[tuple[str, str] | None, str]:
    """The swap that would move the country across the cut: (country, first below the cut) to leave,
    (country, last on the shortlist) to enter; None for an excluded country or a lone list."""
    t = out.shortlist_table
    status = str(t.loc[t["alternative"].astype(str) == alt, "status"].iloc[0])
    inside = [str(a) for a in t.loc[t["status"] == "shortlisted", "alternative"]]
    below = [str(a) for a in t.loc[t["status"] == "below cut", "alternative"]]
    if status == "shortlisted" and below:
        return (alt, below[0]), "leave"
    if status == "below cut" and inside:
        return (alt, inside[-1]), "enter"
    return None, ""


def why_country(out: Any, alt: str, k: int = 3) -> Why:
    """The "Why this country?" answer for ``alt`` in a ranking outcome (top ``k`` strengths and drags)."""
    alt = str(alt)
    t = out.shortlist_table
    row = t.loc[t["alternative"].astype(str) == alt]
    if row.empty:
        raise InputError(f"'{alt}' is not in the ranking", where="country", hint="Pick a ranked country.")
    row = row.iloc[0]
    vals = country_values(out, alt)
    eff = effects(out, alt)
    strengths = [_sentence(r, vals, c, out) for c, r in eff.head(k).iterrows() if r["effect"] > 0]
    drags = [_sentence(r, vals, c, out) for c, r in eff.iloc[::-1].head(k).iterrows() if r["effect"] < 0]
    pair, role = shortlist_pair(out, alt)
    reason = row["reason"] if "reason" in row.index and isinstance(row["reason"], str) else ""
    return Why(
        alternative=alt,
        name=_name(out, alt),
        rank=int(row["rank"]),
        score=float(row["score"]),
        status=str(row["status"]),
        reason=reason,
        values=vals,
        effects=eff,
        strengths=strengths,
        drags=drags,
        pair=pair,
        pair_role=role,
    )
