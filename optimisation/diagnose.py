"""Infeasibility diagnosis: which named constraint groups conflict, and by how much (US$ millions).

CBC has no irreducible infeasible subsystem (IIS), so the diagnosis re-solves auxiliary models
built by the same builder (:func:`optimisation.build.build`):

1. Elastic re-solve: every relaxable group gets a penalised slack per row (a family on variable
   bounds, capacity, an overflow variable per pair); minimising total slack gives the smallest
   relaxation.
2. Deletion filter over groups: drop one group at a time and keep it out if the rest is still
   infeasible; what remains is an irreducible set of conflicting groups. Structural groups (set by
   the data, not the planner) are tried first, so that planner-set groups stay in the report.
3. For each conflicting group: the smallest relaxation of that group alone (others hard).

Groups, their order, labels, verbs and words all come from the family registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from optimisation.build import build
from optimisation.constraints import BY_GROUP, FAMILIES, GROUP_LABELS, GROUP_VERBS, Row
from optimisation.result import Diagnosis
from optimisation.solving import run
from optimisation.wording import musd

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.model import AllocationModel


def _slack_total(con: Row) -> float:
    return sum((v.varValue or 0.0) for v, _ in con.slacks)


def relaxation_words(con: Row, amount: float) -> dict[str, Any]:
    """One row's relaxation as the diagnosis reports it: group, constraint, by_musd, action."""
    fam = BY_GROUP[con.group]
    return {"group": con.group, "constraint": con.label, "by_musd": amount, "action": fam.relax_action(con, amount)}


def present_groups(model: AllocationModel) -> list[str]:
    """The groups in force in the model, in registry order: groups with rows, then the groups on
    variable bounds (always in force)."""
    with_rows = [f.group for f in FAMILIES if not f.on_variable_bounds and model.rows_of(f.group)]
    return with_rows + [f.group for f in FAMILIES if f.on_variable_bounds]


def diagnose_infeasibility(model: AllocationModel) -> Diagnosis:
    """Which named constraint groups conflict, and by how much (US$ millions).

    Parameters
    ----------
    model : AllocationModel
        A model the solver proved infeasible.

    Returns
    -------
    Diagnosis
        The conflicting groups (an irreducible set), the smallest relaxation over all groups
        (row by row), the smallest relaxation of each conflicting group alone, and a message.
    """
    prep = model.prep
    spec = prep.spec
    present = present_groups(model)
    tol = 1e-6 * max(1.0, prep.budget_aid + prep.budget_inv)

    def feasible(keep: list[str]) -> bool:
        b = build(prep, dropped=frozenset(set(present) - set(keep)), mode="none")
        return run(b.prob, spec, mip=b.is_milp) in ("optimal", "feasible")

    def elastic(groups: Iterable[str]) -> tuple[float | None, list[dict[str, Any]]]:
        b = build(prep, elastic=frozenset(groups), mode="slack")
        st = run(b.prob, spec, mip=b.is_milp)
        if st not in ("optimal", "feasible"):
            return None, []
        relax = []
        for con in b.cons:
            s = _slack_total(con)
            if s > tol:
                relax.append(relaxation_words(con, s))
        for fam in FAMILIES:
            if fam.on_variable_bounds:
                relax += fam.bound_relaxations(b, tol)
        return sum(r["by_musd"] for r in relax), relax

    if feasible(present):
        return Diagnosis(
            [],
            [],
            0.0,
            {},
            "The model is feasible when re-solved; the solver's "
            "'infeasible' was numerical. Try the other solver (allocation.solver).",
        )
    total, relax = elastic(present)
    # deletion filter: try structural groups first so planner-set groups stay in the reported set
    structural = [f.group for f in FAMILIES if f.structural]
    order = structural + [g for g in present if g not in structural]
    keep = list(present)
    for g in order:
        if g not in keep:
            continue
        trial = [k for k in keep if k != g]
        if not feasible(trial):
            keep = trial
    conflicting = [g for g in present if g in keep]
    by_group: dict[str, float | None] = {}
    for g in dict.fromkeys(conflicting + [r["group"] for r in relax]):
        amount, _ = elastic([g])
        by_group[g] = amount
    labels = [GROUP_LABELS.get(g, g) for g in conflicting]
    joined = (
        (", ".join(labels[:-1]) + " and " + labels[-1]) if len(labels) > 1 else (labels[0] if labels else "constraints")
    )
    msg = f"Infeasible: the {joined} cannot all hold."
    if total is not None and relax:
        msg += f" Smallest relaxation (US$ {musd(total)}M in all): " + "; ".join(r["action"] for r in relax) + "."
    alone = [
        f"{GROUP_VERBS.get(g, 'relax')} the {GROUP_LABELS.get(g, g)} by US$ {musd(v)}M"
        for g, v in by_group.items()
        if v is not None
    ]
    if alone:
        msg += " Each alone would also do: " + "; or ".join(alone) + "."
    return Diagnosis(
        conflicting_groups=conflicting, relaxations=relax, total_relaxation_musd=total, by_group=by_group, message=msg
    )
