"""Allocation step of the end-to-end run: ranking outcome -> priorities -> AllocationResult.

Used by ``python -m optimisation solve`` and ``mcda.report`` (``python -m mcda run``), so both
solve exactly the same model for the same scenario.
"""
from __future__ import annotations

from typing import Any

from mcda.errors import InputError
from optimisation.model import AllocationModel
from optimisation.priorities import priorities_from_shortlist
from optimisation.result import AllocationResult
from optimisation.spec import AllocationSpec, parse_spec


def spec_of(scenario: Any, where: str = "scenario") -> AllocationSpec:
    """The scenario's allocation section as an AllocationSpec (InputError if it has none)."""
    alloc = getattr(scenario, "allocation", None)
    if alloc is None:
        raise InputError("the scenario has no allocation section", where=f"{where}, field allocation",
                         hint="Add an 'allocation' object with budget_aid_musd and budget_investment_musd")
    return parse_spec(alloc.model_dump() if hasattr(alloc, "model_dump") else alloc)


def model_for_outcome(outcome: Any, spec: AllocationSpec | dict | None = None,
                      project_types=None) -> AllocationModel:
    """Build (not solve) the allocation model for a ranking outcome's shortlist."""
    spec = spec_of(outcome.scenario) if spec is None else parse_spec(spec)
    priorities = priorities_from_shortlist(outcome.shortlist, spec.priority_transform)
    return AllocationModel(priorities, outcome.countries, project_types, spec)


def solve_for_outcome(outcome: Any, spec: AllocationSpec | dict | None = None, *,
                      budget_aid: float | None = None, budget_investment: float | None = None,
                      project_types=None, diagnose: bool = True) -> AllocationResult:
    """Solve the allocation for a ranking outcome (``mcda.pipeline.RankingOutcome``): priorities
    from its shortlist, country data from its dataset, spec from its scenario unless given."""
    spec = spec_of(outcome.scenario) if spec is None else parse_spec(spec)
    if budget_aid is not None or budget_investment is not None:
        spec = spec.with_budgets(budget_aid, budget_investment)
    return model_for_outcome(outcome, spec, project_types).solve(diagnose=diagnose)
