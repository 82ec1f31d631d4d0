"""The registry of allocation constraint families: one module per family, one ordered list.

``FAMILIES`` lists every family in the order groups are named to a planner (labels, the
infeasibility diagnosis); each family's ``row_order`` says where its rows go in the model and in
the constraint tables. Everything keyed by a group derives from this list: ``GROUP_LABELS``,
``RELAXABLE_GROUPS``, the diagnosis verbs, the budget rows, and :func:`restrict_spec` (a spec
restricted to a sub-shortlist). Adding a family: docs/ARCHITECTURE.md, "Allocation constraint families".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from optimisation.constraints.absorptive import AbsorptiveGDP
from optimisation.constraints.base import (
    EQ,
    GE,
    LE,
    SENSE_TEXT,
    BuildContext,
    ConstraintFamily,
    Row,
    SpecData,
    Term,
    Terms,
)
from optimisation.constraints.budgets import AidBudget, InvestmentBudget
from optimisation.constraints.capacity import Capacity
from optimisation.constraints.ceilings import AnnualCeilings
from optimisation.constraints.country_bounds import CountryCaps, CountryFloors
from optimisation.constraints.debt import GrantShares, LoanCaps
from optimisation.constraints.equity import EquityFloor
from optimisation.constraints.linking import Linking
from optimisation.constraints.min_size import MinSize
from optimisation.constraints.pairs import MustFund, MustNot
from optimisation.constraints.type_bounds import TypeCaps, TypeFloors
from optimisation.constraints.zones import DemonstrationZones

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.spec import AllocationSpec

#: every constraint family, in the order groups are named to a planner
FAMILIES: tuple[ConstraintFamily, ...] = (
    AidBudget(),
    InvestmentBudget(),
    AnnualCeilings(),
    CountryFloors(),
    CountryCaps(),
    TypeFloors(),
    TypeCaps(),
    MustFund(),
    MustNot(),
    Linking(),
    DemonstrationZones(),
    LoanCaps(),
    GrantShares(),
    EquityFloor(),
    AbsorptiveGDP(),
    Capacity(),
    MinSize(),
)

#: group id -> family
BY_GROUP: dict[str, ConstraintFamily] = {f.group: f for f in FAMILIES}
#: families in the order their rows are built (the order of rows in the model and the tables)
BUILD_ORDER: tuple[ConstraintFamily, ...] = tuple(sorted(FAMILIES, key=lambda f: f.row_order))
#: group id -> what a planner calls it; every constraint belongs to one group
GROUP_LABELS: dict[str, str] = {f.group: f.label for f in FAMILIES}
#: groups the infeasibility diagnosis may relax (all of them), in planner order
RELAXABLE_GROUPS: tuple[str, ...] = tuple(GROUP_LABELS)
#: group id -> the diagnosis's verb for the whole group ("raise the per-country caps by ...")
GROUP_VERBS: dict[str, str] = {f.group: f.verb for f in FAMILIES}
#: budget pool ('aid', 'investment') -> the group of its budget row
BUDGET_GROUPS: dict[str, str] = {f.budget_pool: f.group for f in FAMILIES if f.budget_pool}

if len(BY_GROUP) != len(FAMILIES):  # pragma: no cover - a registration slip, caught at import
    raise RuntimeError("two constraint families share a group id")


def family_of(group: str) -> ConstraintFamily | None:
    """The family of a group id (None for 'definition' rows and unknown ids)."""
    return BY_GROUP.get(group)


def restrict_spec(spec: AllocationSpec, shortlist: Sequence[str]) -> tuple[AllocationSpec, list[str]]:
    """The spec without the entries naming countries outside ``shortlist``.

    Parameters
    ----------
    spec : AllocationSpec
    shortlist : sequence of str
        The countries the model will be built for (e.g. a shortlist sampled by funding
        acceptability).

    Returns
    -------
    (AllocationSpec, list of str)
        The restricted spec (``spec`` itself when nothing names an outside country) and one key
        per entry dropped, e.g. ``country_caps[BRA]``, ``must_fund BRA x health``,
        ``linking[0] in BRA``.
    """
    from optimisation.spec import parse_spec

    d = spec.model_dump()
    dropped: list[str] = []
    for fam in FAMILIES:
        d, gone = fam.restrict(d, shortlist)
        dropped += gone
    return (parse_spec(d) if dropped else spec), dropped


__all__ = [
    "BUDGET_GROUPS",
    "BUILD_ORDER",
    "BY_GROUP",
    "EQ",
    "FAMILIES",
    "GE",
    "GROUP_LABELS",
    "GROUP_VERBS",
    "LE",
    "RELAXABLE_GROUPS",
    "SENSE_TEXT",
    "BuildContext",
    "ConstraintFamily",
    "Row",
    "SpecData",
    "Term",
    "Terms",
    "family_of",
    "restrict_spec",
]
