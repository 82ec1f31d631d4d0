"""The planner's programme rules of issue 11 items 3-6 in one place for the model core and the
outputs: facts per country (the debt rule), the checks that are not a constraint family
(outcome weights, co-financing), and what every output adds when a rule is on (allocation.csv
columns, summary.json sections, the rules in words). Nothing here runs when a scenario uses none of
them, so such a scenario's outputs are unchanged byte for byte.

Co-financing (item 6): a partner's match per US$1M the planner gives to a type is computed after the
solve from the allocation; it is never a variable, never in a budget row, never in the pool totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from mcda.errors import InputError
from optimisation.wording import musd

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.result import AllocationResult
    from optimisation.spec import AllocationSpec

#: allocation.csv columns of co-financing
COFINANCING_COLUMNS = ["matched_musd", "matched_by"]


def rules_on(spec: AllocationSpec | None) -> bool:
    """Any rule of items 3-6 is on (zones, debt, the outcomes objective or weights, co-financing);
    the outcome report alone (on by default, :func:`reports_outcomes`) is not a rule."""
    if spec is None:
        return False
    return bool(
        spec.zones is not None
        or spec.debt_rule is not None
        or spec.objective != "benefit"
        or spec.outcome_weights
        or spec.cofinancing
    )


def reports_outcomes(spec: AllocationSpec | None) -> bool:
    """Outcomes are reported (allocation.csv columns, summary.json section): item 5 asks it of every
    allocation, so ``report_outcomes`` defaults to true; a planner may set it false (the outcomes
    objective or weights report them regardless)."""
    return spec is not None and bool(spec.report_outcomes or spec.objective == "outcomes" or spec.outcome_weights)


def rule_facts(
    spec: AllocationSpec, countries: pd.DataFrame, shortlist: Sequence[str], params: pd.DataFrame, known: Sequence[str]
) -> tuple[dict[str, Any], list[str]]:
    """Facts the families build from (``'debt'``: country -> DebtStatus) and the notes of the checks
    that are not a family (outcome weights, co-financing).

    Raises
    ------
    InputError
        Naming the field (``allocation.cofinancing[x]``, ``allocation.outcome_weights[x]``, ...).
    """
    facts: dict[str, Any] = {}
    notes: list[str] = []
    if not rules_on(spec):
        return facts, notes
    types = list(params.index)
    if spec.debt_rule is not None:
        from optimisation.debt import debt_status

        facts["debt"] = debt_status(spec.debt_rule, countries, shortlist)
    if spec.objective != "benefit" or spec.outcome_weights:
        from optimisation.outcomes import check_outcomes

        notes += check_outcomes(spec, params, types, known)
    for p, cf in spec.cofinancing.items():
        if p not in types:
            state = "not enabled" if p in known else "unknown project type"
            raise InputError(
                f"{state} '{p}'", where=f"allocation.cofinancing[{p}]", hint=f"Enabled types: {', '.join(types)}"
            )
        notes.append(
            f"Co-financing: {cf.partner} adds US$ {cf.ratio:g} per US$ 1 the planner gives to {p} ({cf.source}); "
            "matched money is reported apart (matched_musd) and never counted in the planner's budget."
        )
    return facts, notes


def allocation_extras(result: AllocationResult, alloc: pd.DataFrame) -> pd.DataFrame:
    """allocation.csv / XLSX columns of the rules that are on, one row per row of ``alloc``
    (empty frame when none is on)."""
    spec = result.spec
    out = pd.DataFrame(index=alloc.index)
    if not (rules_on(spec) or reports_outcomes(spec)) or not len(alloc):
        return out
    if spec.zones is not None:
        z = spec.zones
        where = set(z.countries or alloc["country"])
        out["zone_role"] = [
            ("lead" if p in z.lead else "joined" if p in z.joined else "") if c in where else ""
            for c, p in zip(alloc["country"], alloc["project_type"], strict=True)
        ]
    debt = result.rules.get("debt") if result.rules else None
    if debt:
        out["debt_rule"] = [debt[c].reason if c in debt else "" for c in alloc["country"]]
    if reports_outcomes(spec) and result.parameters is not None:
        from optimisation.outcomes import outcome_rows

        rows = outcome_rows(alloc, result.parameters)
        for col in rows.columns:
            out[col] = rows[col].to_numpy()
    if spec.cofinancing:
        tot = pd.to_numeric(alloc["total_musd"])
        out["matched_musd"] = [
            round(spec.cofinancing[p].ratio * x, 6) + 0.0 if p in spec.cofinancing else 0.0
            for p, x in zip(alloc["project_type"], tot, strict=True)
        ]
        out["matched_by"] = [
            spec.cofinancing[p].partner if p in spec.cofinancing else "" for p in alloc["project_type"]
        ]
    return out


def rules_words(result: AllocationResult) -> list[str]:
    """Each rule that is on, in words (the same sentences as the notes)."""
    spec = result.spec
    if not rules_on(spec):
        return []
    out = []
    if spec.zones is not None:
        from optimisation.constraints.zones import zone_rule_words
        from optimisation.wording import type_name

        where = ", ".join(spec.zones.countries) if spec.zones.countries else "every shortlisted country"
        out.append(zone_rule_words(spec.zones, type_name, where, per_year=spec.programme is not None))
    if spec.debt_rule is not None:
        from optimisation.debt import rule_words

        out.append(rule_words(spec.debt_rule, spec.programme))
    for p, cf in spec.cofinancing.items():
        out.append(f"Co-financing: {cf.partner} matches {cf.ratio:g} x the planner's money in {p} ({cf.source}).")
    return out


def summary_extras(result: AllocationResult) -> dict[str, Any]:
    """summary.json sections of the rules that are on, and the outcomes ({} when neither is)."""
    spec = result.spec
    if not rules_on(spec):
        if result.ok and reports_outcomes(spec) and result.parameters is not None:
            from optimisation.outcomes import outcome_summary

            return {"outcomes": outcome_summary(result.allocation, result.parameters)}
        return {}
    d: dict[str, Any] = {"objective_kind": spec.objective, "rules_in_words": rules_words(result)}
    if spec.zones is not None:
        d["zones"] = spec.zones.model_dump()
    debt = result.rules.get("debt") if result.rules else None
    if debt is not None:
        d["debt_rule"] = {
            "column": spec.debt_rule.column if spec.debt_rule else "",
            "by_country": {c: st.as_dict() for c, st in debt.items()},
        }
    if not result.ok:
        return d
    alloc = result.allocation
    if reports_outcomes(spec) and result.parameters is not None:
        from optimisation.outcomes import outcome_summary

        d["outcomes"] = outcome_summary(alloc, result.parameters)
    if spec.cofinancing:
        tot = pd.to_numeric(alloc["total_musd"])
        by_type = {}
        for p, cf in spec.cofinancing.items():
            money = float(tot[alloc["project_type"] == p].sum())
            by_type[p] = {
                "partner": cf.partner,
                "ratio": cf.ratio,
                "source": cf.source,
                "planner_musd": round(money, 6),
                "matched_musd": round(cf.ratio * money, 6),
            }
        total = sum(v["matched_musd"] for v in by_type.values())
        d["cofinancing"] = {
            "matched_total_musd": round(total, 6),
            "by_type": by_type,
            "note": "matched money is the partners' own; it is not in used_aid, used_investment or any budget "
            f"(planner's total US$ {musd(float(tot.sum()))}M)",
        }
    return d


def rules_tables(result: AllocationResult) -> dict[str, pd.DataFrame]:
    """Tables of the rules that are on, for the reports and the XLSX ({} when none is on):
    ``debt_rule`` (one row per country, with its reason), ``outcomes`` (per type, with the source of
    each unit cost), ``cofinancing`` (per type: partner, ratio, planner's and matched money)."""
    d = summary_extras(result)
    out: dict[str, pd.DataFrame] = {}
    if "debt_rule" in d:
        out["debt_rule"] = pd.DataFrame(
            [{"country": c, **v} for c, v in d["debt_rule"]["by_country"].items()],
            columns=[
                "country",
                "external_debt_pct_gni",
                "year",
                "tier",
                "investment_cap_musd",
                "min_grant_share",
                "reason",
            ],
        )
    if "outcomes" in d:
        cols = [
            "project_type",
            "total_musd",
            "outcome_unit",
            "outcomes_low",
            "outcomes_high",
            "usd_per_outcome_low",
            "usd_per_outcome_high",
            "unit_cost_source",
        ]
        out["outcomes"] = pd.DataFrame(
            [{"project_type": p, **v} for p, v in d["outcomes"]["by_type"].items()], columns=cols
        )
    if "cofinancing" in d:
        out["cofinancing"] = pd.DataFrame(
            [{"project_type": p, **v} for p, v in d["cofinancing"]["by_type"].items()],
            columns=["project_type", "partner", "ratio", "planner_musd", "matched_musd", "source"],
        )
    return out


__all__ = [
    "COFINANCING_COLUMNS",
    "allocation_extras",
    "reports_outcomes",
    "rule_facts",
    "rules_on",
    "rules_tables",
    "rules_words",
    "summary_extras",
]
