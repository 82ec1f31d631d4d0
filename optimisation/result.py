"""Result objects of the allocation optimiser (plain dataclasses, pandas tables)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# constraint groups: id -> what a planner calls them, derived from the family registry (kept
# importable from here); every constraint belongs to one group, and the diagnosis names them
from optimisation.constraints import GROUP_LABELS, RELAXABLE_GROUPS

__all__ = [
    "DUALS_NOTE_LP",
    "DUALS_NOTE_MILP",
    "FAILED_STATUSES",
    "GROUP_LABELS",
    "OK_STATUSES",
    "RELAXABLE_GROUPS",
    "AllocationResult",
    "Diagnosis",
]

DUALS_NOTE_MILP = (
    "This is a MILP (discrete projects): shadow prices come from the LP with the "
    "binary fund/no-fund choices fixed at their optimal values, so they hold only "
    "for small changes that do not open or close a project."
)
DUALS_NOTE_LP = "Shadow prices are LP duals: the change in benefit per US$1M change of the limit."


@dataclass
class Diagnosis:
    """Why a model is infeasible: an irreducible set of conflicting constraint groups and the
    smallest relaxation (US$ millions) that makes it feasible."""

    conflicting_groups: list[str]
    relaxations: list[dict]  # smallest relaxation over all groups, per constraint
    total_relaxation_musd: float | None
    by_group: dict[str, float | None]  # relaxing this group alone: minimum amount (None: not enough)
    message: str

    @property
    def conflict_labels(self) -> list[str]:
        return [GROUP_LABELS.get(g, g) for g in self.conflicting_groups]

    def conflicts(self) -> list[dict]:
        """JSON-friendly list, one entry per conflicting group."""
        out = []
        for g in self.conflicting_groups:
            out.append(
                {
                    "group": g,
                    "label": GROUP_LABELS.get(g, g),
                    "relax_alone_musd": self.by_group.get(g),
                    "constraints": [r["constraint"] for r in self.relaxations if r["group"] == g],
                }
            )
        return out


#: statuses with an allocation to show: proven optimal, or stopped early (time limit) with values
#: that were re-checked against every constraint
OK_STATUSES = ("optimal", "feasible")
#: the solver failed (crashed, returned values that break a constraint, or was stopped before it
#: found a feasible allocation): NOT a statement that the model is infeasible
FAILED_STATUSES = ("stopped", "solver_error")


@dataclass
class AllocationResult:
    """A solved (or unsolvable) allocation model, in tables and words; money in US$ millions.

    The comment beside each field says what it holds. ``status`` is one of ``optimal``,
    ``feasible`` (stopped early, every constraint re-checked), ``infeasible`` (proven; see
    ``diagnosis``), ``stopped`` or ``solver_error`` (no allocation, and no claim about feasibility).
    """

    status: str  # optimal | feasible (stopped early, re-checked) | infeasible | stopped | solver_error
    objective: float | None
    allocation: pd.DataFrame  # country, project_type, aid_musd, investment_musd, total_musd, benefit
    by_country: pd.DataFrame  # index country: aid_musd, investment_musd, total_musd, benefit
    by_type: pd.DataFrame  # index project_type: same columns
    by_pool: dict[str, float]  # {"aid": used, "investment": used}
    budgets: dict[str, float]  # {"aid": B_aid, "investment": B_inv}
    constraints: (
        pd.DataFrame
    )  # every named constraint: group, label, sense, lhs, rhs, slack, shadow_price, binding, meaning
    shadow_prices: dict[str, float]  # label -> d(benefit)/d(limit) for budgets + binding constraints
    binding: list[str]  # plain words
    is_milp: bool
    duals_note: str
    notes: list[str] = field(default_factory=list)
    diagnosis: Diagnosis | None = None
    parameters: pd.DataFrame | None = None  # effective project-type parameters
    need_factors: pd.DataFrame | None = None  # country x type
    priorities: pd.Series | None = None
    solver: str = "cbc"
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    spec: Any = None  # the AllocationSpec solved (for the assumptions sheet)
    status_detail: str = ""  # what the status means here, in words (why stopped, gap, ...)
    gap: float | None = None  # relative optimality gap when the solver reports one
    # per budget pool ("aid", "investment"): shadow_price (the dual), one_more (benefit added by one
    # more US$1M, by re-solving), one_less (benefit lost with one less US$1M), one_less_step (the
    # decrease used: 1, or the whole budget when it is below US$1M), note (why a side is missing)
    marginal_values: dict[str, dict] = field(default_factory=dict)
    # with allocation.programme: disbursements, projects, per_year, illustrative, notes (optimisation.programme)
    programme: dict[str, Any] | None = None
    rules: dict[str, Any] = field(default_factory=dict)  # facts of the planner's rules (issue 11: 'debt')

    @property
    def ok(self) -> bool:
        """An allocation exists: optimal, or feasible (re-checked) when the solver stopped early."""
        return self.status in OK_STATUSES

    @property
    def solver_label(self) -> str:
        """The solver as its makers write it (HiGHS, CBC), for reports."""
        return {"highs": "HiGHS", "cbc": "CBC"}.get(self.solver, self.solver.upper())

    @property
    def solver_failed(self) -> bool:
        """No allocation because the solver failed or was stopped, not because the model is infeasible."""
        return not self.ok and self.status != "infeasible"

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
    def message(self) -> _Message:
        """One readable line (a str; calling it, ``message()``, returns the same text)."""
        if self.ok:
            head = (
                self.status
                if self.status == "optimal" or not self.status_detail
                else f"{self.status} ({self.status_detail})"
            )
            text = (
                f"{head}: benefit {self.objective:.6g}; used aid US$ {self.by_pool['aid']:.6g}M "
                f"of {self.budgets['aid']:.6g}M, investment US$ {self.by_pool['investment']:.6g}M "
                f"of {self.budgets['investment']:.6g}M"
            )
        elif self.diagnosis is not None:
            text = self.diagnosis.message
        elif self.solver_failed:
            word = "solver stopped" if self.status == "stopped" else "solver failed"
            text = f"{word}: {self.status_detail or 'no allocation (solver status ' + self.status + ')'}"
        else:
            text = f"no allocation: solver status {self.status}"
        return _Message(text)


class _Message(str):
    """A str that can also be called (both ``res.message`` and ``res.message()`` are in use)."""

    def __call__(self) -> str:
        return str(self)
