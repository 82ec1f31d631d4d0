"""Solving a built allocation model and reading the answer: solver choice, statuses, the checked
solve (a stopped, killed or garbage solve is never an allocation), duals (MILP: with the binaries
fixed), one-sided budget values at kinks, and the result tables.

Functions here take the :class:`optimisation.model.AllocationModel` they work on; its public
methods (``solve``, ``solve_quick``, ``solve_allocation``) call them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pulp

from optimisation.build import Built
from optimisation.constraints import (
    BUDGET_GROUPS,
    BY_GROUP,
    FAMILIES,
    GE,
    LE,
    SENSE_TEXT,
)
from optimisation.result import DUALS_NOTE_LP, DUALS_NOTE_MILP, AllocationResult
from optimisation.spec import AllocationSpec
from optimisation.wording import musd

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.model import AllocationModel

_HIGHS_STOPS = {
    "kTimeLimit": "time limit",
    "kIterationLimit": "iteration limit",
    "kInterrupt": "an interrupt",
    "kObjectiveBound": "objective bound",
    "kObjectiveTarget": "objective target",
}
#: relative tolerance of the re-check of a returned allocation (CBC gives ~8 significant digits)
CHECK_REL_TOL = 1e-6

CheckStructure = tuple[list[pulp.LpVariable], np.ndarray, np.ndarray, np.ndarray]


# ----------------------------------------------------------------------------- solver and status


#: the note of a result solved with CBC because HiGHS (the default) is not installed
HIGHS_FALLBACK_NOTE = "HiGHS not installed: solved with CBC"


def highs_installed() -> bool:
    """highspy can be imported (and PuLP's HiGHS interface found it)."""
    try:
        import highspy  # noqa: F401
    except ImportError:
        return False
    return bool(pulp.HiGHS().available())


def solver_used(spec: AllocationSpec) -> str:
    """The solver a solve of ``spec`` runs: ``spec.solver``, except HiGHS (the default) falls back
    to CBC when highspy is not installed (the result's notes say so: :data:`HIGHS_FALLBACK_NOTE`)."""
    return "highs" if spec.solver == "highs" and highs_installed() else "cbc"


def solver_notes(spec: AllocationSpec) -> list[str]:
    """What a result says about the solver choice: the CBC fallback when HiGHS was asked for."""
    return [HIGHS_FALLBACK_NOTE] if spec.solver == "highs" and solver_used(spec) == "cbc" else []


_HIGHS_QUIET = False


def _highs_banner_once() -> None:
    """Swallow HiGHS's banner: the first ``highspy.Highs()`` in a process prints it from C, to file
    descriptor 1 and before PuLP can set ``output_flag``; the command's standard output must stay
    its tables. One silent instance per process (the banner is printed once per process)."""
    global _HIGHS_QUIET
    if not _HIGHS_QUIET:
        from optimisation.fastbuild import quiet_highs

        quiet_highs()
        _HIGHS_QUIET = True


def make_solver(spec: AllocationSpec, mip: bool = True) -> pulp.LpSolver:
    """The PuLP solver of ``spec`` (HiGHS in process by default; CBC when asked for, or when highspy
    is not installed: :func:`solver_used`) with the spec's time limit, silent."""
    if solver_used(spec) == "highs":
        _highs_banner_once()
        return pulp.HiGHS(msg=False, mip=mip, timeLimit=spec.time_limit_s, gapRel=1e-9)
    from pulp.apis import coin_api

    path = coin_api.pulp_cbc_path if Path(coin_api.pulp_cbc_path).exists() else None
    return pulp.COIN_CMD(msg=False, mip=mip, timeLimit=spec.time_limit_s, gapRel=1e-9, path=path)


def status_word(prob: pulp.LpProblem) -> str:
    """PuLP's status pair in one word. 'feasible' is only what the solver claims when it stopped
    early (PuLP maps CBC's "Stopped on time - objective value ..." and HiGHS's time limit to it,
    whether or not the values it returns are feasible): :func:`solve_checked` re-checks them
    before anything is reported."""
    ss = prob.sol_status
    if ss == pulp.LpSolutionOptimal and prob.status == pulp.LpStatusOptimal:
        return "optimal"
    if ss == pulp.LpSolutionIntegerFeasible:
        return "feasible"
    if prob.status == pulp.LpStatusInfeasible or ss == pulp.LpSolutionInfeasible:
        return "infeasible"
    if prob.status == pulp.LpStatusUnbounded:
        return "unbounded"
    return "not_solved"


def run(prob: pulp.LpProblem, spec: AllocationSpec, mip: bool) -> str:
    """Solve and return the solver's claim (see :func:`status_word`), or 'solver_error' when it
    crashed. Only for auxiliary models (diagnosis, duals); the planner's model goes through
    :func:`solve_checked`."""
    try:
        prob.solve(make_solver(spec, mip=mip))
    except pulp.PulpSolverError:  # solver crashed or could not read its output
        return "solver_error"
    return status_word(prob)


def solver_name(spec: AllocationSpec) -> str:
    """The solver's name for messages."""
    return "HiGHS" if solver_used(spec) == "highs" else "CBC"


def _highs_status(prob: pulp.LpProblem) -> str | None:
    try:
        name: str = prob.solverModel.getModelStatus().name
        return name
    except Exception:  # noqa: BLE001 - not HiGHS, or no model attached
        return None


def _stop_reason(prob: pulp.LpProblem, spec: AllocationSpec) -> str | None:
    """Why the solver stopped before proving optimality, in words (None: it did not stop early).
    CBC reports only "Stopped"; the one stopping rule set for it here is the time limit."""
    if solver_used(spec) == "highs":
        r = _HIGHS_STOPS.get(_highs_status(prob) or "")
        if r is None:
            return None
        if r != "time limit":
            return f"stopped by its {r}"
    return f"stopped at the time limit (allocation.time_limit_s = {spec.time_limit_s:g} s)"


def _mip_gap(prob: pulp.LpProblem, spec: AllocationSpec, mip: bool) -> float | None:
    """Relative MIP gap when the solver reports one (HiGHS); None when unknown (CBC via PuLP, LPs)."""
    if not (mip and solver_used(spec) == "highs"):
        return None
    try:
        g = float(prob.solverModel.getInfo().mip_gap)
    except Exception:  # noqa: BLE001
        return None
    return g if math.isfinite(g) and g >= 0 else None


def dual_sign(spec: AllocationSpec, prob: pulp.LpProblem) -> float:
    """PuLP/CBC reports d(objective)/d(rhs); PuLP/HiGHS reports the minimisation dual, whose sign
    is flipped for a maximisation."""
    if solver_used(spec) == "highs" and prob.sense == pulp.LpMaximize:
        return -1.0
    return 1.0


def objective_value(prob: pulp.LpProblem) -> float:
    """The objective at the solver's values (0 for an empty objective)."""
    return float(pulp.value(prob.objective) or 0.0)


# ----------------------------------------------------------------------------- values and checks


def segment_values(built: Built) -> np.ndarray:
    """Values of the segment variables (None -> 0, |x| < 1e-9 -> 0)."""
    vals = np.fromiter(
        (v.varValue if v.varValue is not None else 0.0 for v in built.xvars), dtype=float, count=len(built.xvars)
    )
    vals[np.abs(vals) < 1e-9] = 0.0
    return vals


def check_structure(built: Built) -> CheckStructure:
    """Every row of the built model as COO arrays over the variables it uses: (variables, rows,
    columns, coefficients); the segment variables come first, in order."""
    idx: dict[int, int] = {id(v): j for j, v in enumerate(built.xvars)}
    vars_: list[pulp.LpVariable] = list(built.xvars)
    rows: list[int] = []
    cols: list[int] = []
    coefs: list[float] = []
    for i, con in enumerate(built.cons):
        for v, k in con.expr.items():
            j = idx.get(id(v))
            if j is None:
                j = idx[id(v)] = len(vars_)
                vars_.append(v)
            rows.append(i)
            cols.append(j)
            coefs.append(float(k))
    return (vars_, np.asarray(rows, dtype=int), np.asarray(cols, dtype=int), np.asarray(coefs, dtype=float))


def violations(model: AllocationModel) -> list[str]:
    """Re-check the values the solver returned against every row, every variable bound,
    integrality of the fund/no-fund binaries and pool use <= budget, to CHECK_REL_TOL relative.
    Returns what is broken, in words (empty: the allocation holds)."""
    b, prep = model.built, model.prep
    vars_, rows, cols, coefs = model.check_structure()
    raw = [v.varValue for v in vars_]
    if any(x is None for x in raw):
        return ["the solver returned no value for some variables"]
    x = np.asarray(raw, dtype=float)
    if not np.isfinite(x).all():
        return ["the solver returned non-finite values"]
    rel = CHECK_REL_TOL
    out = []
    lo = np.array([v.lowBound if v.lowBound is not None else -np.inf for v in vars_], dtype=float)
    up = np.array([v.upBound if v.upBound is not None else np.inf for v in vars_], dtype=float)
    tol_b = rel * np.maximum(1.0, np.abs(x))
    for j in np.flatnonzero((x < lo - tol_b) | (x > up + tol_b))[:3]:
        out.append(f"variable {vars_[j].name} = {x[j]:.6g} outside [{lo[j]:g}, {up[j]:g}]")
    for o in b.binaries.values():
        v = o.varValue
        if v is not None and abs(v - round(v)) > 1e-5:
            out.append(f"fund/no-fund choice {o.name} = {v:.6g} is not 0 or 1")
            break
    n = len(b.cons)
    terms = coefs * x[cols]
    lhs = np.bincount(rows, weights=terms, minlength=n)
    scale = np.bincount(rows, weights=np.abs(terms), minlength=n)
    rhs = np.fromiter((c.rhs for c in b.cons), dtype=float, count=n)
    tol = rel * np.maximum(1.0, np.maximum(scale, np.abs(rhs)))
    sense = np.fromiter((c.sense for c in b.cons), dtype=int, count=n)
    excess = np.where(sense == LE, lhs - rhs, np.where(sense == GE, rhs - lhs, np.abs(lhs - rhs)))
    bad = np.flatnonzero(excess > tol)
    for i in bad[:3]:
        c = b.cons[i]
        out.append(f"'{c.label}' ({musd(lhs[i])} {SENSE_TEXT[c.sense]} {musd(c.rhs)} fails)")
    if len(bad) > 3:
        out.append(f"{len(bad) - 3} more constraint(s)")
    # never overspend: pool use recomputed from the allocation itself
    xs = x[: len(b.xvars)]
    tot = np.bincount(b.xpair, weights=xs, minlength=len(b.pairs))
    a = np.array([prep.aid_share[p] for _, p in b.pairs])
    adj = b.programme.pool_correction() if b.programme is not None else {"aid": 0.0, "investment": 0.0}
    for pool, used, B in (
        ("aid", float(a @ tot) + adj["aid"], prep.budget_aid),
        ("investment", float((1 - a) @ tot) + adj["investment"], prep.budget_inv),
    ):
        if used > B + rel * max(1.0, B):
            out.append(f"{pool} use US$ {musd(used)}M is above the {pool} budget US$ {musd(B)}M")
    return out


def solve_checked(model: AllocationModel) -> tuple[str, str, float | None]:
    """Solve the planner's model: (status, status_detail, gap).

    A result that is not proven optimal is kept ('feasible') only if every constraint holds for
    the values returned; and an 'optimal' one that breaks a constraint (or overspends) is a
    solver failure. Statuses: optimal, feasible, infeasible (proven), stopped (stopped before a
    feasible allocation was found), solver_error."""
    b, spec = model.built, model.spec
    who = solver_name(spec)
    try:
        b.prob.solve(make_solver(spec, mip=model.is_milp))
    except pulp.PulpSolverError as e:  # crashed, killed, or its output could not be read
        return (
            "solver_error",
            (
                f"the solver ({who}) failed or was killed before it returned a solution "
                f"(PuLP: {str(e).strip() or type(e).__name__}). Try again, or the other "
                "solver (allocation.solver)."
            ),
            None,
        )
    status = status_word(b.prob)
    if status == "infeasible":
        return status, "proven infeasible by the solver", None
    if status == "unbounded":
        return (
            "solver_error",
            (
                f"the solver ({who}) reported the model unbounded, which a model with "
                "bounded variables cannot be. Try the other solver (allocation.solver)."
            ),
            None,
        )
    if status == "not_solved":
        # CBC's "Stopped ..." is PuLP's NotSolved; an unreadable status is Undefined (a failure)
        stopped = (
            b.prob.status == pulp.LpStatusNotSolved
            if solver_used(spec) == "cbc"
            else _highs_status(b.prob) in _HIGHS_STOPS
        )
        why = _stop_reason(b.prob, spec) if stopped else None
        if why:
            return (
                "stopped",
                (
                    f"the solver ({who}) {why} before it found a feasible allocation. Raise "
                    "allocation.time_limit_s, or try the other solver (allocation.solver)."
                ),
                None,
            )
        hs = _highs_status(b.prob)
        return (
            "solver_error",
            f"the solver ({who}) returned no solution"
            + (f" (model status {hs})" if hs else "")
            + ". Try the other solver (allocation.solver).",
            None,
        )
    bad = violations(model)
    if status == "feasible":
        why = _stop_reason(b.prob, spec) or "stopped before proving optimality"
        if bad:
            return (
                "stopped",
                (
                    f"the solver ({who}) {why} before it found a feasible allocation: the values "
                    f"it returned break {'; '.join(bad)}. Raise allocation.time_limit_s, or try the "
                    "other solver (allocation.solver)."
                ),
                None,
            )
        gap = _mip_gap(b.prob, spec, model.is_milp)
        gap_txt = f"optimality gap {gap:.3g}" if gap is not None else "optimality gap unknown"
        return (
            "feasible",
            (
                f"{who} {why}; every constraint re-checked and holds, but the allocation "
                f"is not proven optimal; {gap_txt}"
            ),
            gap,
        )
    if bad:
        return (
            "solver_error",
            (
                f"the solver ({who}) reported an optimal allocation whose values break "
                f"{'; '.join(bad)}. No allocation is reported; try the other solver "
                "(allocation.solver)."
            ),
            None,
        )
    return "optimal", "", None


# ----------------------------------------------------------------------------- duals and marginals


def row_duals(model: AllocationModel, groups: tuple[str, ...] | None = None) -> dict[str, float]:
    """The solver's duals by row name (sign-corrected; NaN when missing), of every row or of the
    rows of ``groups``."""
    b = model.built
    sign = dual_sign(model.spec, b.prob)
    rows = b.cons if groups is None else [c for g in groups for c in model.rows_of(g)]
    return {c.name: sign * c.pulp.pi if c.pulp is not None and c.pulp.pi is not None else float("nan") for c in rows}


def duals_for_milp(model: AllocationModel) -> dict[str, float]:
    """Fix the binaries at their values, solve the LP, read the duals; restore everything."""
    b = model.built
    saved_vals = {v: v.varValue for v in b.prob.variables()}
    saved = {o: (o.lowBound, o.upBound, o.cat) for o in b.binaries.values()}
    try:
        for o in b.binaries.values():
            val = round(o.varValue or 0.0)
            o.lowBound = o.upBound = val
            o.cat = pulp.LpContinuous
        status = run(b.prob, model.spec, mip=False)
        sign = dual_sign(model.spec, b.prob)
        return (
            {
                c.name: (sign * c.pulp.pi if c.pulp is not None and c.pulp.pi is not None else float("nan"))
                for c in b.cons
            }
            if status == "optimal"
            else {}
        )
    finally:
        for o, (lo, up, cat) in saved.items():
            o.lowBound, o.upBound, o.cat = lo, up, cat
        for v, val in saved_vals.items():
            v.varValue = val


def _resolve_objective(model: AllocationModel, aid: float, investment: float) -> tuple[float | None, str]:
    """Objective of the same model with other budgets (restored by the caller)."""
    model.set_budgets(aid, investment)
    status, detail, _ = solve_checked(model)
    if status != "optimal":
        return None, (detail or status)
    return objective_value(model.built.prob), ""


def marginal_values(model: AllocationModel, objective: float, duals: Mapping[str, float]) -> dict[str, dict[str, Any]]:
    """One-sided values of each budget pool by re-solving with the budget +-US$1M.

    The dual (shadow price) is the slope on one side only when the budget sits at a kink of the
    benefit-budget curve (degenerate optimum; CBC and HiGHS may report different sides). Here
    one_more = benefit(B + 1) - benefit(B) and one_less = benefit(B) - benefit(B - 1) (or
    benefit(B) - benefit(0) when B < 1). The solver's values, duals and budgets are restored."""
    b = model.built
    B0a, B0i = model.budgets
    saved_vals = {v: v.varValue for v in b.prob.variables()}
    saved_pi = {c.name: (c.pulp.pi, c.pulp.slack) for c in b.cons if c.pulp is not None}
    out: dict[str, dict[str, Any]] = {}
    try:
        for pool in ("aid", "investment"):
            cname = model.rows_of(BUDGET_GROUPS[pool])[0].name
            B = B0a if pool == "aid" else B0i
            up, why_up = _resolve_objective(model, *((B + 1.0, B0i) if pool == "aid" else (B0a, B + 1.0)))
            step = min(1.0, B)
            if step > 0:
                lo, why_lo = _resolve_objective(model, *((B - step, B0i) if pool == "aid" else (B0a, B - step)))
            else:
                lo, why_lo = None, "0"
            model.set_budgets(B0a, B0i)

            def why(text: str, side: str) -> str:
                if text == "0":
                    return "the budget is already 0, so it cannot be cut"
                if text.startswith("proven infeasible"):
                    return f"{side} would make the allocation infeasible"
                return f"{side}: not solved ({text})"

            notes = []
            if up is None:
                notes.append(why(why_up, "one more US$1M"))
            if lo is None:
                notes.append(why(why_lo, "one less US$1M" if step >= 1.0 else f"US$ {musd(step)}M less"))
            out[pool] = {
                "shadow_price": duals.get(cname, float("nan")),
                "one_more": (up - objective) if up is not None else float("nan"),
                "one_less": (objective - lo) if lo is not None else float("nan"),
                "one_less_step": step,
                "note": "; ".join(notes),
            }
    finally:
        model.set_budgets(B0a, B0i)
        for v, val in saved_vals.items():
            v.varValue = val
        for c in b.cons:
            if c.pulp is not None and c.name in saved_pi:
                c.pulp.pi, c.pulp.slack = saved_pi[c.name]
    return out


# ----------------------------------------------------------------------------- result tables

CONSTRAINT_COLUMNS = [
    "name",
    "group",
    "label",
    "sense",
    "lhs",
    "rhs",
    "slack",
    "shadow_price",
    "one_more_1m_adds",
    "one_less_1m_loses",
    "binding",
    "meaning",
]
ALLOCATION_COLUMNS = ["country", "project_type", "aid_musd", "investment_musd", "total_musd", "benefit"]


def result_of(
    model: AllocationModel,
    status: str,
    objective: float,
    vals: np.ndarray,
    duals: Mapping[str, float],
    budgets: dict[str, float],
    notes: list[str],
    marginals: dict[str, dict[str, Any]] | None = None,
) -> AllocationResult:
    """The result of a solved model: allocation, totals, every row in words, binding constraints."""
    b, prep = model.built, model.prep
    npairs = len(b.pairs)
    tot = np.bincount(b.xpair, weights=vals, minlength=npairs)
    coef = b.xbase * prep.priority.to_numpy()[b.xcountry]
    ben = np.bincount(b.xpair, weights=vals * coef, minlength=npairs)
    cs = [c for c, _ in b.pairs]
    ps = [p for _, p in b.pairs]
    a = np.array([prep.aid_share[p] for p in ps])
    aid = a * tot
    alloc = pd.DataFrame(
        {
            "country": cs,
            "project_type": ps,
            "aid_musd": aid,
            "investment_musd": tot - aid,
            "total_musd": tot,
            "benefit": ben,
        }
    )
    cols = ["aid_musd", "investment_musd", "total_musd", "benefit"]
    by_country = alloc.groupby("country", sort=False)[cols].sum()
    by_country.insert(0, "priority", prep.priority.reindex(by_country.index).to_numpy())
    by_type = alloc.groupby("project_type", sort=False)[cols].sum()
    by_pool = {"aid": float(aid.sum()), "investment": float((tot - aid).sum())}

    # constraint table: activity recomputed from the values, duals from the solver
    valmap: dict[pulp.LpVariable, float] = dict(zip(b.xvars, vals.tolist(), strict=True))
    valmap[b.A] = b.A.varValue or 0.0
    valmap[b.I] = b.I.varValue or 0.0
    for o in b.binaries.values():
        valmap[o] = o.varValue or 0.0
    if b.programme is not None:  # commitments by start year, carried room
        valmap.update(b.programme.values())
    # relative to the money allocated (CBC gives ~8 significant digits), not to the budgets: a
    # huge, unused budget must not make every constraint look binding
    tol = 1e-6 * max(1.0, float(tot.sum()))
    mvs = marginals or {}
    mv_tol = 1e-6 * max(1.0, abs(objective))  # objectives from CBC carry ~8 significant digits
    rows, shadow, binding = [], {}, []
    for con in b.cons:
        fam = BY_GROUP.get(con.group)
        if fam is None:  # definition rows
            continue
        lhs = sum(k * valmap.get(v, 0.0) for v, k in con.expr.items())
        slack = (con.rhs - lhs) if con.sense == LE else (lhs - con.rhs) if con.sense == GE else -abs(lhs - con.rhs)
        pi = duals.get(con.name, float("nan"))
        is_binding = abs(slack) <= tol
        mv = mvs.get(fam.budget_pool or "", {})
        meaning = fam.meaning(con, pi, is_binding, mv, mv_tol)
        rows.append(
            {
                "name": con.name,
                "group": con.group,
                "label": con.label,
                "sense": SENSE_TEXT[con.sense],
                "lhs": lhs,
                "rhs": con.rhs,
                "slack": slack,
                "shadow_price": pi,
                "one_more_1m_adds": mv.get("one_more", float("nan")),
                "one_less_1m_loses": mv.get("one_less", float("nan")),
                "binding": is_binding,
                "meaning": meaning,
            }
        )
        if fam.budget_pool or is_binding:
            key = con.label if con.label not in shadow else f"{con.label} [{con.name}]"
            shadow[key] = pi
        if is_binding:
            binding.append(meaning)
    totals = tot.tolist()
    for fam in FAMILIES:
        if fam.on_variable_bounds:
            binding += fam.bound_binding(prep, totals, tol)
    for pool, used, B in (
        ("aid", by_pool["aid"], prep.budget_aid),
        ("investment", by_pool["investment"], prep.budget_inv),
    ):
        if B - used > tol and status == "optimal":  # "no beneficial use" is a claim about the optimum
            notes.append(
                f"US$ {musd(B - used)}M of the {pool} budget is left unspent: the binding "
                "constraints (capacity, caps, floors set as shares of the allocated total, "
                "equity floor) leave no beneficial use for it."
            )
    constraints = pd.DataFrame(rows, columns=CONSTRAINT_COLUMNS)
    return AllocationResult(
        status=status,
        objective=objective,
        allocation=alloc,
        by_country=by_country,
        by_type=by_type,
        by_pool=by_pool,
        budgets=budgets,
        constraints=constraints,
        shadow_prices=shadow,
        binding=binding,
        is_milp=model.is_milp,
        duals_note=DUALS_NOTE_MILP if model.is_milp else DUALS_NOTE_LP,
        notes=notes,
        parameters=prep.params,
        need_factors=prep.need,
        priorities=prep.priority,
        solver=solver_used(model.spec),
        build_seconds=model.build_seconds,
        spec=model.spec,
        rules=prep.rules,
        marginal_values=dict(mvs),
    )


def no_allocation(model: AllocationModel, status: str, budgets: dict[str, float], notes: list[str]) -> AllocationResult:
    """The result when there is no allocation to show (infeasible, stopped, solver error)."""
    prep = model.prep
    empty = pd.DataFrame(columns=ALLOCATION_COLUMNS)
    return AllocationResult(
        status=status,
        objective=None,
        allocation=empty,
        by_country=pd.DataFrame(),
        by_type=pd.DataFrame(),
        by_pool={"aid": float("nan"), "investment": float("nan")},
        budgets=budgets,
        constraints=pd.DataFrame(),
        shadow_prices={},
        binding=[],
        is_milp=model.is_milp,
        duals_note=DUALS_NOTE_MILP if model.is_milp else DUALS_NOTE_LP,
        notes=notes,
        parameters=prep.params,
        need_factors=prep.need,
        priorities=prep.priority,
        solver=solver_used(model.spec),
        build_seconds=model.build_seconds,
        spec=model.spec,
        rules=prep.rules,
    )
