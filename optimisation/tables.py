"""Sheet-ready tables of an AllocationResult: the allocation, the summary (as a JSON-ready dict),
shadow prices, assumptions and the XLSX sheets. Pure: no files, no rendering (the product layer,
``fulcrum.outputs`` and ``fulcrum.report``, writes and renders them)."""

from __future__ import annotations

import contextlib
import math
from typing import Any, cast

import pandas as pd

from optimisation.constraints import BUDGET_GROUPS
from optimisation.params import SOURCED
from optimisation.result import AllocationResult
from optimisation.rules import allocation_extras, rules_tables, summary_extras

ALLOCATION_COLUMNS = ["country", "project_type", "aid_musd", "investment_musd", "total_musd"]


def _clean(v: Any) -> Any:
    """JSON-safe: NaN/inf -> None, numpy scalars -> Python."""
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        with contextlib.suppress(ValueError, AttributeError):
            v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def allocation_table(result: AllocationResult, digits: int = 6) -> pd.DataFrame:
    """country, project_type, aid_musd, investment_musd, total_musd (US$ millions), every pair."""
    df = (
        result.allocation[ALLOCATION_COLUMNS].copy()
        if len(result.allocation)
        else pd.DataFrame(columns=ALLOCATION_COLUMNS)
    )
    for c in ALLOCATION_COLUMNS[2:]:
        df[c] = pd.to_numeric(df[c]).round(digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    extra = allocation_extras(result, df)  # issue 11 items 3-6: only columns of rules that are on
    return pd.concat([df, extra], axis=1) if len(extra.columns) else df


def summary_dict(result: AllocationResult, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The keys the issue asks for (status, objective, budget_aid, budget_investment, used_aid,
    used_investment, shadow_prices, binding, conflicts when infeasible) plus context."""
    d: dict[str, Any] = {
        "status": result.status,
        "objective": result.objective,
        "budget_aid": result.budgets["aid"],
        "budget_investment": result.budgets["investment"],
        "used_aid": result.by_pool.get("aid"),
        "used_investment": result.by_pool.get("investment"),
        "status_detail": result.status_detail,
        "shadow_prices": dict(result.shadow_prices),
        "budget_marginal_values": {
            pool: {
                "shadow_price": mv.get("shadow_price"),
                "one_more_1m_adds": mv.get("one_more"),
                "one_less_1m_loses": mv.get("one_less"),
                "one_less_step_musd": mv.get("one_less_step"),
                **({"note": mv["note"]} if mv.get("note") else {}),
            }
            for pool, mv in result.marginal_values.items()
        },
        "binding": list(result.binding),
        "is_milp": result.is_milp,
        "duals_note": result.duals_note,
        "solver": result.solver,
        "units": "money in US$ millions; benefit in priority-weighted benefit units",
        "message": str(result.message),
        "notes": list(result.notes),
    }
    if result.ok:
        d["totals_by_country"] = result.by_country.round(6).to_dict(orient="index")
        d["totals_by_type"] = result.by_type.round(6).to_dict(orient="index")
    if result.diagnosis is not None:
        d["conflicts"] = result.diagnosis.conflicts()
        d["smallest_relaxation"] = {
            "total_musd": result.diagnosis.total_relaxation_musd,
            "changes": result.diagnosis.relaxations,
        }
    elif result.status == "infeasible":
        d["conflicts"] = []
    d.update(summary_extras(result))  # issue 11 items 3-6 ({} when none is on)
    if extra:
        d.update(extra)
    return _clean(d)


def shadow_price_table(result: AllocationResult) -> pd.DataFrame:
    """One row per named constraint: budgets first, then binding ones, then the rest."""
    cols = [
        "constraint",
        "group",
        "binding",
        "shadow_price",
        "one_more_1m_adds",
        "one_less_1m_loses",
        "slack_musd",
        "meaning",
    ]
    if result.constraints is None or result.constraints.empty:
        return pd.DataFrame(columns=cols)
    t = result.constraints.rename(columns={"label": "constraint", "slack": "slack_musd"})
    for c in ("one_more_1m_adds", "one_less_1m_loses"):  # results built before these columns existed
        if c not in t.columns:
            t[c] = float("nan")
    order = t["group"].isin(list(BUDGET_GROUPS.values())).map({True: 0, False: 2}) - t["binding"].astype(int)
    t = t.assign(_o=order).sort_values(["_o"], kind="stable").drop(columns="_o")
    return t[cols].reset_index(drop=True)


def budget_marginal_table(result: AllocationResult) -> pd.DataFrame:
    """One row per budget pool: shadow price (the dual) and the one-sided values found by
    re-solving with the budget one US$1M higher and lower (they differ at a kink)."""
    rows = [
        {
            "pool": pool,
            "shadow_price": mv.get("shadow_price"),
            "one_more_1m_adds": mv.get("one_more"),
            "one_less_1m_loses": mv.get("one_less"),
        }
        for pool, mv in result.marginal_values.items()
    ]
    return pd.DataFrame(rows, columns=["pool", "shadow_price", "one_more_1m_adds", "one_less_1m_loses"])


def _basis(source: object) -> str:
    s = str(source).strip().lower()
    if s.startswith("assumption"):
        return "assumption"
    if s.startswith("planner"):
        return "planner"
    return "sourced"


def assumptions_table(result_or_params: AllocationResult | pd.DataFrame, spec: Any = None) -> pd.DataFrame:
    """Every parameter the model used, with its value, basis (sourced / assumption / planner) and
    source text. Accepts an AllocationResult or an effective project-type table (+ spec)."""
    params = cast(
        pd.DataFrame,
        result_or_params.parameters if isinstance(result_or_params, AllocationResult) else result_or_params,
    )
    rows = []
    for p in params.index:
        for par, src_col in SOURCED.items():
            val = params.at[p, par]
            if isinstance(val, tuple):
                val = ";".join(f"{x:g}" for x in val)
            src = params.at[p, src_col] if src_col in params.columns else "assumption"
            rows.append(
                {
                    "scope": "project type",
                    "item": p,
                    "parameter": par,
                    "value": val,
                    "basis": _basis(src),
                    "source": src,
                }
            )
    if spec is not None:
        model_level = {
            "need_exponent": (spec.need_exponent, "assumption: need factor = (need / candidates' mean)^exponent"),
            "missing_need": (spec.missing_need, "assumption: blank need value -> factor 1 when 'neutral'"),
            "priority_transform": (spec.priority_transform, "planner (scenario)"),
            "budget_aid_musd": (spec.budget_aid_musd, "planner (scenario)"),
            "budget_investment_musd": (spec.budget_investment_musd, "planner (scenario)"),
            "equity_floor": (spec.equity_floor, "planner (scenario)"),
            "discrete": (spec.discrete, "planner (scenario)"),
        }
        for k, (v, src) in model_level.items():
            rows.append(
                {
                    "scope": "model",
                    "item": "allocation",
                    "parameter": k,
                    "value": v,
                    "basis": _basis(src),
                    "source": src,
                }
            )
    return pd.DataFrame(rows, columns=["scope", "item", "parameter", "value", "basis", "source"])


def export_sheets(result: AllocationResult) -> dict[str, pd.DataFrame]:
    """Sheets for the run's XLSX: allocation, allocation totals, shadow prices, assumptions (and
    conflicts when infeasible)."""
    alloc = allocation_table(result)
    if result.ok and "benefit" in result.allocation.columns:
        alloc["benefit"] = result.allocation["benefit"].round(6).to_numpy()
    sheets = {"allocation": alloc}
    if result.ok:
        bc = result.by_country.reset_index().rename(columns={"country": "item"}).assign(level="country")
        bt = result.by_type.reset_index().rename(columns={"project_type": "item"}).assign(level="project type")
        tot = pd.concat([bc, bt], ignore_index=True)
        sheets["allocation_totals"] = tot[["level", "item"] + [c for c in tot.columns if c not in ("level", "item")]]
    sheets["shadow_prices"] = shadow_price_table(result)
    sheets["assumptions"] = assumptions_table(result, result.spec)
    if result.diagnosis is not None:
        d = result.diagnosis
        rows = [
            {
                "kind": "conflicting group",
                "item": c["label"],
                "relax_alone_musd": c["relax_alone_musd"],
                "detail": "; ".join(c["constraints"]),
            }
            for c in d.conflicts()
        ]
        rows += [
            {
                "kind": "smallest relaxation",
                "item": r["constraint"],
                "relax_alone_musd": r["by_musd"],
                "detail": r["action"],
            }
            for r in d.relaxations
        ]
        sheets["conflicts"] = pd.DataFrame(rows, columns=["kind", "item", "relax_alone_musd", "detail"])
    sheets.update({f"rules_{k}": v for k, v in rules_tables(result).items()})  # issue 11 items 4-6 (when on)
    notes = [("status", result.status), ("message", str(result.message)), ("duals", result.duals_note)]
    notes += [("note", n) for n in result.notes]
    sheets["allocation_notes"] = pd.DataFrame(notes, columns=["item", "value"])
    return sheets
