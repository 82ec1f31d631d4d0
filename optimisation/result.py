"""Result objects of the allocation optimiser (plain dataclasses, pandas tables)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# Constraint groups: id -> what a planner calls them. Every constraint belongs to one group; the
# infeasibility diagnosis relaxes and reports groups by these names.
GROUP_LABELS = {
    "aid_budget": "aid budget",
    "investment_budget": "investment budget",
    "country_floors": "per-country floors",
    "country_caps": "per-country caps",
    "type_floors": "per-type floors",
    "type_caps": "per-type caps",
    "must_fund": "must-fund pairs",
    "must_not": "must-not pairs",
    "linking": "linking constraints",
    "equity_floor": "equity floor",
    "absorptive_gdp": "absorptive capacity (% of GDP cap per country)",
    "capacity": "absorptive capacity (last segment breakpoint of each country x type)",
    "min_size": "minimum project sizes (discrete projects)",
}
RELAXABLE_GROUPS = tuple(GROUP_LABELS)

DUALS_NOTE_MILP = ("This is a MILP (discrete projects): shadow prices come from the LP with the "
                   "binary fund/no-fund choices fixed at their optimal values, so they hold only "
                   "for small changes that do not open or close a project.")
DUALS_NOTE_LP = "Shadow prices are LP duals: the change in benefit per US$1M change of the limit."


@dataclass
class Diagnosis:
    """Why a model is infeasible: an irreducible set of conflicting constraint groups and the
    smallest relaxation (US$ millions) that makes it feasible."""

    conflicting_groups: list[str]
    relaxations: list[dict]                 # smallest relaxation over all groups, per constraint
    total_relaxation_musd: float | None
    by_group: dict[str, float | None]       # relaxing this group alone: minimum amount (None: not enough)
    message: str

    @property
    def conflict_labels(self) -> list[str]:
        return [GROUP_LABELS.get(g, g) for g in self.conflicting_groups]

    def conflicts(self) -> list[dict]:
        """JSON-friendly list, one entry per conflicting group."""
        out = []
        for g in self.conflicting_groups:
            out.append({
                "group": g,
                "label": GROUP_LABELS.get(g, g),
                "relax_alone_musd": self.by_group.get(g),
                "constraints": [r["constraint"] for r in self.relaxations if r["group"] == g],
            })
        return out


@dataclass
class AllocationResult:
    status: str                              # optimal | feasible (time limit) | infeasible | not_solved
    objective: float | None
    allocation: pd.DataFrame                 # country, project_type, aid_musd, investment_musd, total_musd, benefit
    by_country: pd.DataFrame                 # index country: aid_musd, investment_musd, total_musd, benefit
    by_type: pd.DataFrame                    # index project_type: same columns
    by_pool: dict[str, float]                # {"aid": used, "investment": used}
    budgets: dict[str, float]                # {"aid": B_aid, "investment": B_inv}
    constraints: pd.DataFrame                # every named constraint: group, label, sense, lhs, rhs, slack, shadow_price, binding, meaning
    shadow_prices: dict[str, float]          # label -> d(benefit)/d(limit) for budgets + binding constraints
    binding: list[str]                       # plain words
    is_milp: bool
    duals_note: str
    notes: list[str] = field(default_factory=list)
    diagnosis: Diagnosis | None = None
    parameters: pd.DataFrame | None = None   # effective project-type parameters
    need_factors: pd.DataFrame | None = None  # country x type
    priorities: pd.Series | None = None
    solver: str = "cbc"
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    spec: Any = None                         # the AllocationSpec solved (for the assumptions sheet)

    @property
    def ok(self) -> bool:
        """An allocation exists: optimal, or feasible at the time limit."""
        return self.status in ("optimal", "feasible")

    @property
    def is_optimal(self) -> bool:
        """Same as ``ok`` (kept for callers that ask 'is there an allocation to show?')."""
        return self.ok

    @property
    def conflicts(self) -> list[dict]:
        return self.diagnosis.conflicts() if self.diagnosis else []

    def allocation_wide(self, value: str = "total_musd") -> pd.DataFrame:
        """Country x project type table of one value column."""
        return self.allocation.pivot(index="country", columns="project_type", values=value)

    @property
    def message(self) -> "_Message":
        """One readable line (a str; calling it, ``message()``, returns the same text)."""
        if self.ok:
            text = (f"{self.status}: benefit {self.objective:.6g}; used aid US$ {self.by_pool['aid']:.6g}M "
                    f"of {self.budgets['aid']:.6g}M, investment US$ {self.by_pool['investment']:.6g}M "
                    f"of {self.budgets['investment']:.6g}M")
        elif self.diagnosis is not None:
            text = self.diagnosis.message
        else:
            text = f"no allocation: solver status {self.status}"
        return _Message(text)


class _Message(str):
    """A str that can also be called (both ``res.message`` and ``res.message()`` are in use)."""

    def __call__(self) -> str:
        return str(self)
