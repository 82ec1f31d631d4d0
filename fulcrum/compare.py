"""Two scenarios side by side: settings and weights that differ, who entered or left the shortlist and
why, allocation per country and project type, the benefit, and the outcomes in physical units per
project type (people reached, households electrified, ...; issue 11 item 5, issue 13 item 4). Pure:
two scenarios' results in, tables out (the app, the Markdown/CSV/XLSX exports and ``fulcrum compare``
render the same tables).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fulcrum.markdown import md_table, md_text
from fulcrum.pipeline import RankingOutcome
from fulcrum.report import shortlist_export, weights_export
from optimisation.result import AllocationResult

SHORTLIST_COLUMNS = ["alternative", "name", "change", "rank_a", "rank_b", "status_a", "status_b", "why"]
MONEY = ("aid_musd", "investment_musd", "total_musd")
OUTCOME_COLUMNS = [
    "project_type",
    "outcome_unit",
    "outcomes_low_a",
    "outcomes_low_b",
    "change_low",
    "outcomes_high_a",
    "outcomes_high_b",
    "change_high",
    "unit_cost_source",
]
EPS = 1e-6  # smaller differences (US$M, benefit units, weights) are solver round-off, shown as none


@dataclass
class Side:
    """One scenario to compare: a label (e.g. "Plan v3"), its ranking outcome, its allocation if solved."""

    label: str
    outcome: RankingOutcome
    allocation: AllocationResult | None = None


@dataclass
class Comparison:
    """The tables of a comparison of scenario A with scenario B (B minus A in every ``change``)."""

    a: str
    b: str
    settings: pd.DataFrame  # setting, a, b: every scenario field that differs (weights aside)
    weights: pd.DataFrame  # [track], criterion, label, weight_a, weight_b, change (normalised weights)
    shortlist: pd.DataFrame  # SHORTLIST_COLUMNS: every alternative whose status or rank differs
    by_country: pd.DataFrame  # country, name, total_a, total_b, change, aid_a, aid_b, investment_a, investment_b
    by_type: pd.DataFrame  # project_type, total_a, total_b, change, aid_a, aid_b, investment_a, investment_b
    benefit: pd.DataFrame  # measure, a, b, change
    #: OUTCOME_COLUMNS: per project type whose money differs, its outcomes in A and B (low and high ends)
    outcomes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OUTCOME_COLUMNS))

    @property
    def entered(self) -> list[str]:
        return self.shortlist.loc[self.shortlist["change"] == "entered", "alternative"].tolist()

    @property
    def left(self) -> list[str]:
        return self.shortlist.loc[self.shortlist["change"] == "left", "alternative"].tolist()

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The tables as named sheets (XLSX), the labels of A and B on the first."""
        about = pd.DataFrame({"scenario": ["A", "B"], "label": [self.a, self.b]})
        return {
            "compared": about,
            "settings": self.settings,
            "weights": self.weights,
            "shortlist": self.shortlist,
            "allocation_by_country": self.by_country,
            "allocation_by_type": self.by_type,
            "benefit": self.benefit,
            "outcomes": self.outcomes,
        }

    def markdown(self) -> str:
        """A memo section: every table, the planner's text escaped (fulcrum.markdown)."""
        lines = [
            f"# Comparison: {md_text(self.a)} → {md_text(self.b)}",
            "",
            f"A = {md_text(self.a)}; B = {md_text(self.b)}. Every change is B minus A.",
            "",
            "## Shortlist changes",
            "",
            f"Entered: {md_text(', '.join(self.entered) or 'none')}. Left: {md_text(', '.join(self.left) or 'none')}.",
            "",
        ]
        for title, df, fmt in [
            ("", self.shortlist, ".4f"),
            ("## Settings that differ", self.settings, ".4f"),
            ("## Weights (normalised)", self.weights, ".4f"),
            ("## Allocation by country (US$ millions)", self.by_country, ",.2f"),
            ("## Allocation by project type (US$ millions)", self.by_type, ",.2f"),
            ("## Benefit", self.benefit, ",.4g"),
            (f"## {OUTCOMES_TITLE}", self.outcomes, ",.1f"),
        ]:
            if title:
                lines += [title, ""]
            lines += [md_table(df, fmt) if len(df) else "No differences.", ""]
        return "\n".join(lines)


def _flat(value: Any, path: str, out: dict[str, str]) -> None:
    """Scenario JSON as dotted paths -> compact JSON text; lists of {id: ...} keyed by their ids."""
    if isinstance(value, dict):
        for k, v in value.items():
            _flat(v, f"{path}.{k}" if path else str(k), out)
    elif isinstance(value, list) and value and all(isinstance(x, dict) and "id" in x for x in value):
        for x in value:
            _flat({k: v for k, v in x.items() if k != "id"}, f"{path}[{x['id']}]", out)
    else:
        out[path] = json.dumps(value, ensure_ascii=False, sort_keys=True)


def settings_diff(a: RankingOutcome, b: RankingOutcome) -> pd.DataFrame:
    """Every scenario field whose value differs (criterion weights are in the weights table)."""
    fa: dict[str, str] = {}
    fb: dict[str, str] = {}
    _flat(a.scenario.model_dump(mode="json"), "", fa)
    _flat(b.scenario.model_dump(mode="json"), "", fb)
    rows = [
        (k, fa.get(k, "(not set)"), fb.get(k, "(not set)"))
        for k in sorted(set(fa) | set(fb))
        if fa.get(k, "[]") != fb.get(k, "[]") and not k.endswith(".weight")  # an empty list = none given
    ]
    return pd.DataFrame(rows, columns=["setting", "a", "b"])


def weights_diff(a: RankingOutcome, b: RankingOutcome) -> pd.DataFrame:
    """Normalised weights of every criterion used by either (blank = not used), with the change."""
    wa, wb = weights_export(a), weights_export(b)
    keys = ["track", "criterion"] if "track" in wa.columns or "track" in wb.columns else ["criterion"]
    for w in (wa, wb):
        if "track" in keys and "track" not in w.columns:
            w["track"] = ""
    labels = pd.concat([wa, wb]).drop_duplicates(keys).set_index(keys)
    m = wa[[*keys, "weight"]].merge(wb[[*keys, "weight"]], on=keys, how="outer", suffixes=("_a", "_b"))
    if "label" in labels.columns:
        m.insert(len(keys), "label", [labels["label"].get(tuple(r) if len(keys) > 1 else r[0]) for r in m[keys].values])
    m["change"] = (m["weight_b"].fillna(0.0) - m["weight_a"].fillna(0.0)).mask(lambda c: c.abs() < EPS, 0.0)
    return m.sort_values(keys).reset_index(drop=True)


def _status(row: pd.Series, side: str) -> str:
    s = row.get(f"status_{side}")
    return "not ranked" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s)


def _rank(v: Any) -> str:
    return "–" if v is None or pd.isna(v) else str(int(v))


def _why(row: pd.Series) -> str:
    """In words, from the two statuses, ranks and reasons: why an alternative entered or left."""
    sa, sb = _status(row, "a"), _status(row, "b")
    ra, rb = _rank(row.get("rank_a")), _rank(row.get("rank_b"))
    why_a, why_b = str(row.get("reason_a") or ""), str(row.get("reason_b") or "")
    if row["change"] == "entered":
        if sa == "excluded":
            return f"no longer excluded (in A: {why_a}); rank {rb} in B"
        if sa == "not ranked":
            return f"not a candidate in A; rank {rb} in B"
        if ra != rb:
            return f"rank {ra} → {rb}: now within the cut (in A: {why_a})"
        return f"same rank {rb}: the cut or the exclusions of others changed (in A: {why_a})"
    if row["change"] == "left":
        if sb == "excluded":
            return f"excluded in B: {why_b}"
        if sb == "not ranked":
            return "not a candidate in B"
        if ra != rb:
            return f"rank {ra} → {rb}: below the cut in B ({why_b})"
        return f"same rank {ra}: the cut or the exclusions of others changed ({why_b})"
    if sa != sb:
        return f"{sa} → {sb}" + (f": {why_b}" if why_b else "")
    return f"rank {ra} → {rb}"


def shortlist_diff(a: RankingOutcome, b: RankingOutcome) -> pd.DataFrame:
    """Alternatives that entered or left the shortlist (or changed status or rank), and why."""
    ta, tb = shortlist_export(a), shortlist_export(b)
    cols = ["alternative", "rank", "status", "reason"]
    m = ta[cols].merge(tb[cols], on="alternative", how="outer", suffixes=("_a", "_b"))
    names = pd.concat([t.set_index("alternative")["name"] for t in (ta, tb) if "name" in t.columns])
    m.insert(1, "name", m["alternative"].map(names[~names.index.duplicated()]) if len(names) else "")
    in_a, in_b = m["status_a"] == "shortlisted", m["status_b"] == "shortlisted"
    m["change"] = "stayed"
    m.loc[in_b & ~in_a, "change"] = "entered"
    m.loc[in_a & ~in_b, "change"] = "left"
    moved = (m["status_a"].fillna("") != m["status_b"].fillna("")) | (
        m["rank_a"].astype("Float64").fillna(-1) != m["rank_b"].astype("Float64").fillna(-1)
    )
    m.loc[(m["change"] == "stayed") & moved & in_a, "change"] = "rank changed"
    status_moved = m["status_a"].fillna("not ranked") != m["status_b"].fillna("not ranked")
    m.loc[(m["change"] == "stayed") & status_moved, "change"] = "status changed"  # e.g. excluded -> below cut
    m = m[m["change"] != "stayed"].copy()
    m["why"] = [_why(r) for _, r in m.iterrows()] if len(m) else []
    order = {"entered": 0, "left": 1, "rank changed": 2, "status changed": 3}
    m["_o"] = m["change"].map(order)
    m = m.sort_values(["_o", "rank_b", "alternative"], na_position="last")
    return m[SHORTLIST_COLUMNS].reset_index(drop=True)


def _money(a: pd.DataFrame | None, b: pd.DataFrame | None, key: str) -> pd.DataFrame:
    """Per-key totals of A and B (0 where a side allocates nothing), largest change first."""
    cols = [key, "total_a", "total_b", "change", "aid_a", "aid_b", "investment_a", "investment_b"]
    if a is None or b is None:
        return pd.DataFrame(columns=cols)

    def pick(t: pd.DataFrame) -> pd.DataFrame:
        t = t.reset_index()
        return t[[key, *MONEY]].rename(
            columns={"aid_musd": "aid", "investment_musd": "investment", "total_musd": "total"}
        )

    m = pick(a).merge(pick(b), on=key, how="outer", suffixes=("_a", "_b"))
    for c in ("aid", "investment", "total"):
        for s in ("_a", "_b"):
            m[c + s] = m[c + s].astype(float).fillna(0.0)
    m["change"] = m["total_b"] - m["total_a"]
    m = m[(m["change"].abs() > EPS) | (m["aid_a"] - m["aid_b"]).abs().gt(EPS)]
    return m.reindex(m["change"].abs().sort_values(ascending=False).index)[cols].reset_index(drop=True)


def _alloc_measures(r: AllocationResult | None) -> dict[str, float]:
    if r is None or not r.ok:
        return {}
    return {
        "benefit (priority-weighted units)": float(r.objective or 0.0),
        "aid used, US$M": float(r.by_pool["aid"]),
        "investment used, US$M": float(r.by_pool["investment"]),
        "countries funded": float((r.by_country["total_musd"] > 1e-6).sum()),
    }


def benefit_diff(a: Side, b: Side) -> pd.DataFrame:
    """Benefit and money used by each side's allocation (blank where a side is not solved), shortlist size."""
    ma, mb = _alloc_measures(a.allocation), _alloc_measures(b.allocation)
    rows: list[tuple[str, float, float]] = [
        ("shortlisted countries", float(len(a.outcome.shortlist)), float(len(b.outcome.shortlist)))
    ]
    for k in dict.fromkeys([*ma, *mb]):
        rows.append((k, ma.get(k, math.nan), mb.get(k, math.nan)))
    df = pd.DataFrame(rows, columns=["measure", "a", "b"])
    df["change"] = (df["b"] - df["a"]).mask(lambda c: c.abs() < EPS, 0.0)  # no solver round-off as a change
    return df


OUTCOMES_TITLE = "Outcomes in physical units (low and high ends of the sourced unit costs)"


def _outcomes(r: AllocationResult) -> dict[str, Any]:
    from optimisation.outcomes import outcome_summary

    if r.parameters is None:
        return {}
    by_type: dict[str, Any] = outcome_summary(r.allocation, r.parameters)["by_type"]
    return by_type


def outcome_diff(a: AllocationResult | None, b: AllocationResult | None) -> pd.DataFrame:
    """Per project type whose money differs: its outcomes in A and B and the change (B minus A), low and
    high ends, with the unit and the source of the unit cost (a type without one says so, figures blank)."""
    if a is None or b is None or not a.ok or not b.ok:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    oa, ob = _outcomes(a), _outcomes(b)
    rows = []
    for p in dict.fromkeys([*oa, *ob]):
        va, vb = oa.get(p, {}), ob.get(p, {})
        if abs(float(vb.get("total_musd", 0.0)) - float(va.get("total_musd", 0.0))) <= EPS:
            continue
        row: dict[str, Any] = {"project_type": p, "outcome_unit": (vb or va).get("outcome_unit", "")}
        for end in ("low", "high"):
            xa, xb = (_num(v.get(f"outcomes_{end}"), v) for v in (va, vb))
            row.update({f"outcomes_{end}_a": xa, f"outcomes_{end}_b": xb, f"change_{end}": xb - xa})
        row["unit_cost_source"] = (vb or va).get("unit_cost_source", "")
        rows.append(row)
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)


def _num(v: Any, side: dict[str, Any]) -> float:
    """An outcome figure: 0 where the side funds nothing of the type, NaN where it has no unit cost."""
    if not side:
        return 0.0
    return math.nan if v is None else float(v)


def compare(a: Side, b: Side) -> Comparison:
    """Compare scenario A with scenario B (their outcomes and, when solved, allocations)."""
    ra, rb = a.allocation, b.allocation
    ok = ra is not None and ra.ok and rb is not None and rb.ok
    country = _money(ra.by_country if ok and ra else None, rb.by_country if ok and rb else None, "country")
    names = pd.concat(
        [shortlist_export(o).set_index("alternative").get("name", pd.Series()) for o in (a.outcome, b.outcome)]
    )
    if len(names):
        country.insert(1, "name", country["country"].map(names[~names.index.duplicated()]))
    return Comparison(
        a=a.label,
        b=b.label,
        settings=settings_diff(a.outcome, b.outcome),
        weights=weights_diff(a.outcome, b.outcome),
        shortlist=shortlist_diff(a.outcome, b.outcome),
        by_country=country,
        by_type=_money(ra.by_type if ok and ra else None, rb.by_type if ok and rb else None, "project_type"),
        benefit=benefit_diff(a, b),
        outcomes=outcome_diff(ra, rb),
    )
