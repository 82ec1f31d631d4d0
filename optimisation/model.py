"""The allocation LP/MILP (reference formulation in DESIGN.md, "Allocation model"), built on PuLP:
the public :class:`AllocationModel` and the functions :func:`solve`, :func:`efficient_frontier`
and :func:`write_model`.

The work is split by job: :mod:`optimisation.prepare` validates the inputs and computes the
model data, :mod:`optimisation.build` builds the PuLP problem from the constraint families of
:mod:`optimisation.constraints`, :mod:`optimisation.solving` solves it and reads the answer, and
:mod:`optimisation.diagnose` explains an infeasible one. With ``spec.discrete`` each pair with a
minimum size gets a binary (a MILP, solved by CBC or HiGHS).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pulp

from mcda.errors import InputError
from optimisation import solving as _solving
from optimisation.build import Built, build
from optimisation.constraints import BUDGET_GROUPS, Row
from optimisation.diagnose import diagnose_infeasibility
from optimisation.prepare import Prepared, check_priorities, prepare
from optimisation.result import AllocationResult
from optimisation.spec import AllocationSpec, check_budget

__all__ = [
    "FRONTIER_COLUMNS",
    "AllocationModel",
    "diagnose_infeasibility",
    "efficient_frontier",
    "frontier_factors",
    "frontier_points",
    "frontier_table",
    "solve",
    "write_model",
]


class AllocationModel:
    """One built allocation model that can be re-solved cheaply.

    ``set_priorities`` changes only the objective coefficients (for robustness studies that
    re-solve hundreds of times), ``set_budgets`` only the budget right-hand sides (frontier).

    Parameters
    ----------
    priorities : pandas.Series
        ISO3 -> priority (>= 0, not all 0): the shortlisted countries.
    countries : pandas.DataFrame
        Indexed by ISO3, one row per shortlisted country (name, GDP, need indicators).
    project_types : pandas.DataFrame or None
        Project-type table; None reads the shipped ``datasets/project_types.csv``.
    spec : AllocationSpec or dict
        The allocation inputs (US$ millions).
    known_columns : iterable of str, optional
        Indicator names of the reference data set (a need indicator named there but absent from
        ``countries`` is unknown data, not a typo).

    Raises
    ------
    InputError
        Any input that does not fit, naming the field (e.g. ``allocation.country_caps[BRA]``).
    """

    def __init__(
        self,
        priorities: pd.Series,
        countries: pd.DataFrame,
        project_types: pd.DataFrame | None,
        spec: AllocationSpec | dict[str, Any],
        known_columns: Iterable[str] | None = None,
        pipeline: pd.DataFrame | None = None,
        known_countries: Iterable[str] | None = None,
    ) -> None:
        t0 = time.perf_counter()
        self.prep: Prepared = prepare(priorities, countries, project_types, spec, known_columns)
        if self.prep.spec.programme is not None:  # years and projects (optimisation/programme.py)
            from optimisation.programme import prepare_programme

            p = self.prep
            p.programme = prepare_programme(p.spec, p.countries, p.types, pipeline, known_countries)
        self.spec: AllocationSpec = self.prep.spec
        self.built: Built = build(self.prep)
        self._rows_by_group: dict[str, list[Row]] = {}
        for con in self.built.cons:
            self._rows_by_group.setdefault(con.group, []).append(con)
        self._chk: _solving.CheckStructure | None = None
        self.build_seconds: float = time.perf_counter() - t0

    # -- what was built -----------------------------------------------------------------
    @property
    def is_milp(self) -> bool:
        """The model has binaries (discrete projects)."""
        return self.built.is_milp

    @property
    def budgets(self) -> tuple[float, float]:
        """(aid, investment) budgets in force, US$ millions."""
        return self.prep.budget_aid, self.prep.budget_inv

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """(country, project_type) order of the arrays returned by ``solve_allocation``."""
        return list(self.built.pairs)

    def rows_of(self, group: str) -> list[Row]:
        """The model's rows of one constraint group (empty when the group is not in force)."""
        return self._rows_by_group.get(group, [])

    def check_structure(self) -> _solving.CheckStructure:
        """Every row as COO arrays over the variables it uses (built once, for re-checking solves)."""
        if self._chk is None:
            self._chk = _solving.check_structure(self.built)
        return self._chk

    # -- cheap modifications ------------------------------------------------------------
    def set_priorities(self, priorities: pd.Series | Mapping[str, float]) -> None:
        """Replace the priorities (same shortlist) and update only the objective coefficients.

        Raises
        ------
        InputError
            A bad priority, or a country set other than the shortlist the model was built for.
        """
        pr = check_priorities(priorities)
        if set(pr.index) != set(self.prep.countries):
            extra = sorted(set(pr.index) - set(self.prep.countries))
            lost = sorted(set(self.prep.countries) - set(pr.index))
            raise InputError(
                "priorities must cover exactly the shortlist the model was built for"
                + (f"; unknown: {', '.join(extra)}" if extra else "")
                + (f"; missing: {', '.join(lost)}" if lost else ""),
                where="priorities",
            )
        self.prep.priority = pr.reindex(self.prep.countries)
        b = self.built
        coef = b.xbase * self.prep.priority.to_numpy()[b.xcountry]
        b.prob.setObjective(pulp.LpAffineExpression(list(zip(b.xvars, coef.tolist(), strict=True))))

    def set_budgets(self, aid: float | None = None, investment: float | None = None) -> None:
        """Change only the budget right-hand sides (US$ millions).

        Raises
        ------
        InputError
            A budget that breaks the spec's rule (``optimisation.spec.check_budget``).
        """
        for val, pool, fld, attr in (
            (aid, "aid", "budget_aid_musd", "budget_aid"),
            (investment, "investment", "budget_investment_musd", "budget_inv"),
        ):
            if val is None:
                continue
            val = check_budget(val, where=f"allocation.{fld}")
            setattr(self.prep, attr, val)
            for con in self.rows_of(BUDGET_GROUPS[pool]):
                con.rhs = val
                assert con.pulp is not None
                con.pulp.changeRHS(val)

    def write_model(self, path: str | Path) -> Path:
        """Write the model for audit: .mps (objective sense included) or .lp.

        Parameters
        ----------
        path : str or Path
            File to write; its suffix (``.mps`` or ``.lp``) chooses the format.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        InputError
            Another file type, or a folder that cannot be written.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".mps", ".lp"):
            raise InputError(
                f"unknown model file type '{suffix or path.name}'", where=str(path), hint="Use a .mps or .lp file name"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if suffix == ".mps":
                self.built.prob.writeMPS(str(path), with_objsense=True)
            else:
                self.built.prob.writeLP(str(path))
        except OSError as e:
            raise InputError(
                f"cannot write the model file: {e.strerror or e}",
                where=str(path),
                hint="Choose a folder you can write to",
            ) from None
        return path

    # -- solving ------------------------------------------------------------------------
    def solve_quick(self) -> tuple[str, float | None, float, float]:
        """Solve and return (status, objective, aid-budget dual, investment-budget dual) only."""
        b = self.built
        status = _solving.solve_checked(self)[0]
        if status not in ("optimal", "feasible"):
            return status, None, float("nan"), float("nan")
        obj = _solving.objective_value(b.prob)
        if status != "optimal":  # stopped early: no valid duals
            duals: dict[str, float] = {}
        elif self.is_milp:
            duals = _solving.duals_for_milp(self)
        else:
            duals = _solving.row_duals(self, (BUDGET_GROUPS["aid"], BUDGET_GROUPS["investment"]))
        aid, inv = (self.rows_of(BUDGET_GROUPS[p])[0].name for p in ("aid", "investment"))
        return status, obj, duals.get(aid, float("nan")), duals.get(inv, float("nan"))

    def solve_allocation(self) -> tuple[str, float | None, np.ndarray]:
        """Fast re-solve for robustness studies: (status, objective, total US$M per pair in
        ``self.pairs`` order); no result tables, no duals, no diagnosis."""
        b = self.built
        status = _solving.solve_checked(self)[0]
        if status not in ("optimal", "feasible"):
            return status, None, np.full(len(b.pairs), np.nan)
        tot = np.bincount(b.xpair, weights=_solving.segment_values(b), minlength=len(b.pairs))
        return status, _solving.objective_value(b.prob), tot

    def solve(self, diagnose: bool = True, marginals: bool = True) -> AllocationResult:
        """Solve and explain.

        Parameters
        ----------
        diagnose : bool
            When the model is infeasible, run the elastic diagnosis (which groups conflict, by how much).
        marginals : bool
            At a proven optimum, re-solve each budget pool at +-US$1M for the one-sided values of one
            more and one less US$1M (``AllocationResult.marginal_values``).

        Returns
        -------
        AllocationResult
        """
        b, prep = self.built, self.prep
        t0 = time.perf_counter()
        status, detail, gap = _solving.solve_checked(self)
        solve_s = time.perf_counter() - t0
        budgets = {"aid": prep.budget_aid, "investment": prep.budget_inv}
        notes = list(prep.notes) + _solving.solver_notes(self.spec)
        if status not in ("optimal", "feasible"):
            diag = diagnose_infeasibility(self) if (diagnose and status == "infeasible") else None
            res = _solving.no_allocation(self, status, budgets, notes)
            res.diagnosis = diag
        else:
            vals = _solving.segment_values(b)
            objective = _solving.objective_value(b.prob)
            if status != "optimal":
                duals: dict[str, float] = {}
                notes.append(
                    f"Not proven optimal: {detail}. Shadow prices are not reported (they are only "
                    "meaningful at a proven optimum)."
                )
            elif self.is_milp:
                duals = _solving.duals_for_milp(self)
                if not duals:
                    notes.append("Shadow prices unavailable: the LP with binaries fixed did not solve.")
            else:
                duals = _solving.row_duals(self)
            mv = _solving.marginal_values(self, objective, duals) if (marginals and status == "optimal") else {}
            res = _solving.result_of(self, status, objective, vals, duals, budgets, notes, marginals=mv)
        if b.programme is not None:  # disbursements by year, projects and why they lost
            from optimisation.programme import finish

            finish(self, res, duals if res.ok else {})
        res.solve_seconds = solve_s
        res.status_detail, res.gap = detail, gap
        return res


def solve(
    priorities: pd.Series,
    countries: pd.DataFrame,
    project_types: pd.DataFrame | None,
    spec: AllocationSpec | dict[str, Any],
    diagnose: bool = True,
    known_columns: Iterable[str] | None = None,
) -> AllocationResult:
    """Build and solve the allocation model.

    Pure: reads nothing but what it is given, except the shipped project-type table when
    ``project_types`` is None.

    Parameters
    ----------
    priorities, countries, project_types, spec, known_columns
        As :class:`AllocationModel`.
    diagnose : bool
        When the model is infeasible, find the conflicting constraint groups and the smallest
        relaxation (as :meth:`AllocationModel.solve`).

    Returns
    -------
    AllocationResult
        ``status`` says whether there is an allocation (optimal, feasible) or not (infeasible with
        a diagnosis, stopped, solver_error); an infeasible model is a result, not an exception.

    Raises
    ------
    InputError
        Any input that does not fit, naming the field (as :class:`AllocationModel`).
    """
    return AllocationModel(priorities, countries, project_types, spec, known_columns).solve(diagnose=diagnose)


#: the columns of a frontier table, in order (:func:`frontier_table`)
FRONTIER_COLUMNS = (
    "factor",
    "budget_aid_musd",
    "budget_investment_musd",
    "budget_total_musd",
    "status",
    "objective",
    "shadow_aid",
    "shadow_investment",
    "marginal_value",
    "slope",
)


def frontier_factors(spec: AllocationSpec, factors: Sequence[float] | np.ndarray | None = None) -> list[float]:
    """The budget factors of a frontier: ``factors`` checked (finite, >= 0), or the spec's default
    (``spec.frontier``: 25%-200% in 20 points).

    Raises
    ------
    InputError
        A factor that is not finite and >= 0.
    """
    if factors is None:
        fs = spec.frontier
        factors = np.linspace(fs.lo, fs.hi, fs.points)
    fl = [float(f) for f in factors]
    if any(not (math.isfinite(f) and f >= 0) for f in fl):
        raise InputError("budget factors must be finite and >= 0", where="allocation.frontier")
    return fl


def frontier_points(model: AllocationModel, factors: Sequence[float]) -> list[dict[str, Any]]:
    """One row per factor (checked by :func:`frontier_factors`): the model re-solved with both of its
    budgets scaled by the factor; the model's budgets are restored afterwards.

    Each point is a cold solve: only the budget right-hand sides change, and every solve builds a
    fresh solver instance from the model (PuLP's HiGHS a new ``highspy.Highs``, CBC a new process;
    no basis is carried from the point before). So a point's row depends on the model and its factor
    alone, not on which points were solved before it on the same model — what lets the frontier be
    cut into chunks, each on its own model (``fulcrum.frontier``), with the same numbers.
    """
    B0a, B0i = model.budgets
    rows = []
    try:
        for f in factors:
            model.set_budgets(B0a * f, B0i * f)
            st, obj, pa, pi_ = model.solve_quick()
            tot = (B0a + B0i) * f
            mv = (pa * B0a + pi_ * B0i) / (B0a + B0i) if (B0a + B0i) > 0 else float("nan")
            rows.append(
                {
                    "factor": f,
                    "budget_aid_musd": B0a * f,
                    "budget_investment_musd": B0i * f,
                    "budget_total_musd": tot,
                    "status": st,
                    "objective": obj if obj is not None else float("nan"),
                    "shadow_aid": pa,
                    "shadow_investment": pi_,
                    "marginal_value": mv,
                }
            )
    finally:
        model.set_budgets(B0a, B0i)
    return rows


def frontier_table(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The frontier table of :func:`frontier_points` rows in factor order, with the slope to the previous point."""
    df = pd.DataFrame(list(rows), columns=list(FRONTIER_COLUMNS[:-1]))
    df["slope"] = df["objective"].diff() / df["budget_total_musd"].diff()
    return df


def efficient_frontier(model: AllocationModel, factors: Sequence[float] | np.ndarray | None = None) -> pd.DataFrame:
    """Benefit against budget: re-solve the same model with both budgets scaled by each factor.

    Only the budget right-hand sides change; the model's budgets are restored afterwards. Every
    point is a cold solve (:func:`frontier_points`); ``fulcrum.frontier`` runs the points in chunks
    on an executor with the same numbers.

    Parameters
    ----------
    model : AllocationModel
    factors : sequence of float, optional
        Budget factors (finite, >= 0); default ``spec.frontier``: 25%-200% in 20 points.

    Returns
    -------
    pandas.DataFrame
        Columns factor, budget_aid_musd, budget_investment_musd, budget_total_musd, status,
        objective, shadow_aid, shadow_investment, marginal_value (benefit per extra US$1M of total
        budget spent in the same aid/investment proportion), slope (finite difference to the
        previous point).

    Raises
    ------
    InputError
        A factor that is not finite and >= 0.
    """
    return frontier_table(frontier_points(model, frontier_factors(model.spec, factors)))


def write_model(model: AllocationModel, path: str | Path) -> Path:
    """Write ``model`` as .mps (objective sense included) or .lp; see :meth:`AllocationModel.write_model`.

    Parameters
    ----------
    model : AllocationModel
        A built model (solved or not).
    path : str or Path
        File to write; its suffix (``.mps`` or ``.lp``) chooses the format.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InputError
        Another file type, or a folder that cannot be written.
    """
    return model.write_model(path)
