"""Allocation step of a scenario run: ranking outcome -> priorities -> allocation model -> result.

Used by ``python -m optimisation solve``, ``python -m mcda run``, funding acceptability and the
app, so all of them build exactly the same model for the same scenario. This is where the two
libraries meet: the ranking's shortlist (``mcda``) becomes the allocation's priorities
(``optimisation``); neither library imports the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from mcda.errors import InputError
from optimisation.model import AllocationModel
from optimisation.priorities import priorities_from_shortlist
from optimisation.result import AllocationResult
from optimisation.spec import AllocationSpec, parse_spec

if TYPE_CHECKING:
    from fulcrum.pipeline import RankingOutcome


def spec_of(scenario: Any, where: str = "scenario") -> AllocationSpec:
    """The scenario's allocation section as an AllocationSpec (InputError if it has none).

    Parameters
    ----------
    scenario : Scenario or object with an ``allocation`` attribute
        Its ``allocation`` section (a model or a dict).
    where : str
        Names the scenario in the error message.

    Returns
    -------
    AllocationSpec

    Raises
    ------
    InputError
        The scenario has no allocation section, or the section does not validate.
    """
    alloc = getattr(scenario, "allocation", None)
    if alloc is None:
        raise InputError(
            "the scenario has no allocation section",
            where=f"{where}, field allocation",
            hint="Add an 'allocation' object with budget_aid_musd and budget_investment_musd",
        )
    return parse_spec(alloc.model_dump() if hasattr(alloc, "model_dump") else alloc)


def reference_columns() -> frozenset[str]:
    """Column ids of the shipped countries table: a need indicator named there but absent from a
    user's own data is unknown data (neutral), while a name found nowhere is a typo."""
    from mcda.data import load_countries

    return frozenset(load_countries().columns)


def build_model(
    priorities: pd.Series,
    countries: pd.DataFrame,
    spec: AllocationSpec | dict,
    project_types: pd.DataFrame | None = None,
    pipeline: pd.DataFrame | None = None,
) -> AllocationModel:
    """The allocation model for given priorities, with the shipped data set as the reference for
    need indicators (the one place the product layer constructs an ``AllocationModel``).

    Parameters
    ----------
    priorities : Series
        Country id -> priority (>= 0, not all 0): the shortlist.
    countries : DataFrame
        The data table, indexed by country id (names, GDP, need indicators).
    spec : AllocationSpec or dict
        The allocation inputs (US$ millions).
    project_types : DataFrame, optional
        Project-type table; None reads the shipped one.
    pipeline : DataFrame, optional
        The programme's pipeline as read (``fulcrum.programme.read_pipeline``); its countries are
        checked against ``countries``.

    Returns
    -------
    AllocationModel
        Built, not solved.

    Raises
    ------
    InputError
        Any input that does not fit, naming the field.
    """
    if pipeline is not None:  # a programme's projects (optimisation/programme.py)
        return AllocationModel(
            priorities,
            countries,
            project_types,
            spec,
            known_columns=reference_columns(),
            pipeline=pipeline,
            known_countries=countries.index,
        )
    return AllocationModel(priorities, countries, project_types, spec, known_columns=reference_columns())


def model_for_outcome(
    outcome: RankingOutcome, spec: AllocationSpec | dict | None = None, project_types: pd.DataFrame | None = None
) -> AllocationModel:
    """Build (not solve) the allocation model for a ranking outcome's shortlist.

    Parameters
    ----------
    outcome : RankingOutcome
        Its shortlist gives the priorities (by the spec's ``priority_transform``), its dataset the
        country data.
    spec : AllocationSpec or dict, optional
        The allocation inputs; default the outcome's scenario's ``allocation`` section.
    project_types : DataFrame, optional
        Project-type table; None reads the shipped one.

    Returns
    -------
    AllocationModel

    Raises
    ------
    InputError
        No allocation section (when ``spec`` is None), or any input that does not fit.
    """
    return build_model(**model_inputs(outcome, spec, project_types))


def model_inputs(
    outcome: RankingOutcome, spec: AllocationSpec | dict | None = None, project_types: pd.DataFrame | None = None
) -> dict[str, Any]:
    """The keyword arguments of :func:`build_model` for a ranking outcome's shortlist (what
    :func:`model_for_outcome` builds; plain data, so a worker elsewhere can build the same model)."""
    spec = spec_of(outcome.scenario) if spec is None else parse_spec(spec)
    priorities = priorities_from_shortlist(outcome.shortlist, spec.priority_transform)
    pipeline = None
    if spec.pipeline is not None:  # a programme's pipeline, read next to the scenario
        from fulcrum.programme import read_pipeline

        pipeline = read_pipeline(outcome.scenario, spec)
    return {
        "priorities": priorities,
        "countries": outcome.countries,
        "spec": spec,
        "project_types": project_types,
        "pipeline": pipeline,
    }


def solve_for_outcome(
    outcome: RankingOutcome,
    spec: AllocationSpec | dict | None = None,
    *,
    budget_aid: float | None = None,
    budget_investment: float | None = None,
    project_types: pd.DataFrame | None = None,
    diagnose: bool = True,
) -> AllocationResult:
    """Solve the allocation for a ranking outcome: priorities from its shortlist, country data from
    its dataset, spec from its scenario unless given.

    Parameters
    ----------
    outcome : RankingOutcome
        From :func:`fulcrum.pipeline.rank_scenario`.
    spec : AllocationSpec or dict, optional
        The allocation inputs; default the scenario's ``allocation`` section.
    budget_aid, budget_investment : float, optional
        Replace the spec's budgets (US$ millions), e.g. for a what-if.
    project_types : DataFrame, optional
        Project-type table; None reads the shipped one.
    diagnose : bool
        When infeasible, find the conflicting constraints and the smallest relaxation.

    Returns
    -------
    AllocationResult
        Its ``status`` says whether there is an allocation; infeasibility is a result, not an error.

    Raises
    ------
    InputError
        No allocation section (when ``spec`` is None), or any input that does not fit.
    """
    spec = spec_of(outcome.scenario) if spec is None else parse_spec(spec)
    if budget_aid is not None or budget_investment is not None:
        spec = spec.with_budgets(budget_aid, budget_investment)
    return model_for_outcome(outcome, spec, project_types).solve(diagnose=diagnose)
