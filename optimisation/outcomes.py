"""Outcomes in physical units (issue 11 item 5): the sourced outputs per US$1M of each project type
(``datasets/project_types.csv``: ``output_unit``, ``output_per_musd_low`` / ``_high``,
``output_source``; derived from the curated unit costs), the objective that maximises weighted
outcomes, and each allocation's outcomes and cost per outcome with the source of each unit cost.

A type without a sourced unit cost (blank numbers, or a source saying 'not found') has no outcome:
its rows say so, with the reason from the table, and the objective cannot weight it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mcda.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.prepare import Prepared
    from optimisation.spec import AllocationSpec

#: allocation.csv / XLSX columns added when outcomes are reported
OUTCOME_COLUMNS = [
    "outcome_unit",
    "outcomes_low",
    "outcomes_high",
    "usd_per_outcome_low",
    "usd_per_outcome_high",
    "unit_cost_source",
]


def _num(v: Any) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return f if math.isfinite(f) else float("nan")


@dataclass(frozen=True)
class UnitOutput:
    """A type's sourced outputs per US$1M (low and high ends), its unit and the source (or why none)."""

    unit: str
    low: float
    high: float
    source: str
    sourced: bool

    def per_musd(self, basis: str) -> float:
        """Outputs per US$1M on the scenario's basis: low, high, or their midpoint."""
        if basis == "low":
            return self.low
        if basis == "high":
            return self.high
        return (self.low + self.high) / 2.0


def _text(v: Any) -> str:
    s = "" if v is None else str(v).strip()
    return "" if s.lower() == "nan" else s


def unit_outputs(params: pd.DataFrame) -> dict[str, UnitOutput]:
    """Per type (the params' order): unit, low, high (outputs per US$1M), source, sourced."""
    cols = set(params.columns)
    out: dict[str, UnitOutput] = {}
    for p, r in zip(params.index, params.to_dict(orient="records"), strict=True):
        unit = _text(r.get("output_unit")) if "output_unit" in cols else ""
        lo = _num(r.get("output_per_musd_low"))
        hi = _num(r.get("output_per_musd_high"))
        src = _text(r.get("output_source")) if "output_source" in cols else ""
        sourced = lo > 0 and hi > 0 and bool(src) and not src.lower().startswith(("not found", "assumption"))
        if not sourced:
            src = f"no sourced unit cost: {src}" if src else "no sourced unit cost in the project-type table"
        out[str(p)] = UnitOutput(unit, lo, hi, src, sourced)
    return out


def check_outcomes(spec: AllocationSpec, params: pd.DataFrame, types: Sequence[str], known: Sequence[str]) -> list[str]:
    """Validate ``outcome_weights`` / ``objective``; notes for the result.

    Raises
    ------
    InputError
        An unknown or not enabled type, a type without a sourced unit cost, or objective 'outcomes'
        without a positive weight.
    """
    u = unit_outputs(params)
    for p in spec.outcome_weights:
        where = f"allocation.outcome_weights[{p}]"
        if p not in types:
            state = "not enabled" if p in known else "unknown project type"
            raise InputError(f"{state} '{p}'", where=where, hint=f"Enabled types: {', '.join(types)}")
        if not u[p].sourced:
            raise InputError(
                f"'{p}' has no sourced unit cost, so its outcomes cannot be weighted ({u[p].source})",
                where=where,
                hint="Weight only types with a sourced output per US$1M (datasets/project_types.csv)",
            )
    notes: list[str] = []
    if spec.objective == "outcomes":
        if not any(w > 0 for w in spec.outcome_weights.values()):
            raise InputError(
                "objective 'outcomes' needs a positive weight for at least one project type",
                where="allocation.outcome_weights",
                hint='e.g. "outcome_weights": {"rural_poverty": 1.0} (per beneficiary)',
            )
        parts = [
            f"{w:g} per {u[p].unit} of {p} ({u[p].per_musd(spec.outcome_basis):.4g} per US$1M, {spec.outcome_basis})"
            for p, w in spec.outcome_weights.items()
        ]
        notes.append(
            "Objective: maximise weighted outcomes = sum over countries and types of weight x outputs per US$1M "
            "x money (" + "; ".join(parts) + "). Country priorities and need factors do not enter it; "
            "shadow prices and 'units of benefit' in the constraint table are in these weighted outcome units. "
            "Unweighted types get money only where the constraints require it."
        )
    elif spec.outcome_weights:
        notes.append("allocation.outcome_weights is set but the objective is 'benefit': the weights are not used.")
    return notes


def outcome_coefficients(prep: Prepared, xpair: np.ndarray) -> np.ndarray:
    """Objective coefficient of each segment variable: weight x outputs per US$1M of its pair's type."""
    spec = prep.spec
    u = unit_outputs(prep.params)
    per_type = np.array(
        [
            float(spec.outcome_weights[p]) * u[p].per_musd(spec.outcome_basis) if p in spec.outcome_weights else 0.0
            for p in prep.types
        ],
        dtype=np.float64,
    )
    return np.asarray(per_type[np.asarray(xpair) % len(prep.types)], dtype=np.float64)


def outcome_rows(alloc: pd.DataFrame, params: pd.DataFrame) -> pd.DataFrame:
    """The OUTCOME_COLUMNS for every row of an allocation table (country, project_type, total_musd)."""
    u = unit_outputs(params)
    nan = float("nan")
    out: list[list[Any]] = []
    for p, x in zip(alloc["project_type"], pd.to_numeric(alloc["total_musd"]).tolist(), strict=True):
        uo = u.get(str(p))
        if uo is None or not uo.sourced:
            src = uo.source if uo else "no sourced unit cost in the project-type table"
            out.append([uo.unit if uo else "", nan, nan, nan, nan, src])
            continue
        out.append(
            [
                uo.unit,
                round(x * uo.low, 6) + 0.0,
                round(x * uo.high, 6) + 0.0,
                round(1e6 / uo.high, 6),
                round(1e6 / uo.low, 6),
                uo.source,
            ]
        )
    return pd.DataFrame(out, columns=OUTCOME_COLUMNS, index=alloc.index)


def outcome_summary(alloc: pd.DataFrame, params: pd.DataFrame) -> dict[str, Any]:
    """Totals by type (outcomes low/high, cost per outcome, source); types with no sourced cost say so."""
    u = unit_outputs(params)
    money = pd.to_numeric(alloc["total_musd"]).groupby(alloc["project_type"]).sum()
    by_type: dict[str, Any] = {}
    for p, uo in u.items():
        m = float(money.get(p, 0.0))
        if not uo.sourced:
            by_type[p] = {
                "total_musd": round(m, 6),
                "outcome_unit": uo.unit,
                "outcomes_low": None,
                "outcomes_high": None,
                "unit_cost_source": uo.source,
            }
            continue
        by_type[p] = {
            "total_musd": round(m, 6),
            "outcome_unit": uo.unit,
            "outcomes_low": round(m * uo.low, 6),
            "outcomes_high": round(m * uo.high, 6),
            "usd_per_outcome_low": round(1e6 / uo.high, 6),
            "usd_per_outcome_high": round(1e6 / uo.low, 6),
            "unit_cost_source": uo.source,
        }
    return {
        "basis": "outputs per US$1M from datasets/project_types.csv (low and high ends of the sourced unit costs)",
        "by_type": by_type,
    }


__all__ = [
    "OUTCOME_COLUMNS",
    "UnitOutput",
    "check_outcomes",
    "outcome_coefficients",
    "outcome_rows",
    "outcome_summary",
    "unit_outputs",
]
