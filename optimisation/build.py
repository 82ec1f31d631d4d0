"""Building the PuLP problem: variables, pool definitions, objective, and the rows of every
constraint family of the registry (the core knows no family by name).

Decision variables: x[c,p,s] >= 0, US$ millions given to project type p in country c in benefit
band s, bounded by the band width. The total of a pair is x[c,p] = sum_s x[c,p,s]; its aid part is
a_p * x[c,p] and its investment part (1 - a_p) * x[c,p]. Two auxiliary variables hold the pool
totals (A = aid used, I = investment used) so that budgets, shares and the equity floor are short
rows. Objective: maximise sum priority_c * impact_p * need[c,p] * marginal[p,s] * x[c,p,s];
marginals fall from band to band (concave), so the LP fills bands in order without binaries.

Expressions are assembled linopy-style: the coefficient of every variable in every pool is one
numpy array, and a row's terms are slices of it zipped with the variables, handed to PuLP as one
list (one dict insertion per term). Variables are created with PuLP's public
``LpProblem.add_variable``; the rows go into the problem in one ``LpProblem.extend`` call.

The same builder makes the planner's model, the elastic models of the infeasibility diagnosis
(``elastic``: penalised slacks) and its feasibility checks (``dropped``: groups left out).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pulp

from optimisation.constraints import BUILD_ORDER, BY_GROUP, EQ, GE, LE, Row, Terms
from optimisation.outcomes import outcome_coefficients
from optimisation.prepare import Pair, Prepared
from optimisation.spec import AllocationSpec
from optimisation.wording import safe_name

if (pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ) != (LE, GE, EQ):  # pragma: no cover
    raise ImportError("PuLP's constraint senses changed: update optimisation.constraints.base")


@dataclass(eq=False)
class Built:
    """One built PuLP problem and what the solving and diagnosis need to read it."""

    prob: pulp.LpProblem
    prep: Prepared
    pairs: list[Pair]
    xvars: list[pulp.LpVariable]  # segment variables, pair by pair (country-major), band by band
    xpair: np.ndarray  # pair index of each segment variable
    xcountry: np.ndarray  # country index of each segment variable
    xbase: np.ndarray  # base objective coefficient (without priority)
    seg: dict[Pair, list[pulp.LpVariable]]  # (c, p) -> its segment variables
    A: pulp.LpVariable  # aid used
    I: pulp.LpVariable  # noqa: E741 - investment used: the model's notation (A aid, I investment)
    cons: list[Row]  # every row, in model order (dropped groups' rows too)
    binaries: dict[str, pulp.LpVariable]  # fund/no-fund choices (discrete projects)
    overflow: dict[Pair, pulp.LpVariable]  # capacity overflow (diagnosis models only)
    is_milp: bool
    elastic: frozenset[str] = field(default_factory=frozenset)
    dropped: frozenset[str] = field(default_factory=frozenset)
    programme: Any = None  # optimisation.programme.ProgrammeIndex with allocation.programme


class _Context:
    """The :class:`~optimisation.constraints.base.BuildContext` of one build."""

    def __init__(
        self,
        prep: Prepared,
        prob: pulp.LpProblem,
        budgets: tuple[float, float],
        elastic: frozenset[str],
        dropped: frozenset[str],
        pairs: list[Pair],
        seg: dict[Pair, list[pulp.LpVariable]],
    ) -> None:
        self._prep = prep
        self._prob = prob
        self._budgets = budgets
        self._elastic = elastic
        self._relaxed = elastic | dropped
        self._pairs = pairs
        self._seg = seg
        self._overflow: dict[Pair, pulp.LpVariable] = {}
        self.binaries: dict[str, pulp.LpVariable] = {}
        self.A = prob.add_variable("aid_used", 0)
        self.I = prob.add_variable("investment_used", 0)
        self.programme: Any = None  # ProgrammeIndex with allocation.programme (set after ready_terms)

    # -- BuildContext -------------------------------------------------------------------
    @property
    def prep(self) -> Prepared:
        return self._prep

    @property
    def spec(self) -> AllocationSpec:
        return self._prep.spec

    @property
    def countries(self) -> list[str]:
        return self._prep.countries

    @property
    def types(self) -> list[str]:
        return self._prep.types

    @property
    def pairs(self) -> list[Pair]:
        return self._pairs

    @property
    def budgets(self) -> tuple[float, float]:
        return self._budgets

    @property
    def overflow(self) -> dict[Pair, pulp.LpVariable]:
        return self._overflow

    def relaxed(self, group: str) -> bool:
        return group in self._relaxed

    def elastic(self, group: str) -> bool:
        return group in self._elastic

    def new_variable(
        self, name: str, low: float | None = 0.0, up: float | None = None, binary: bool = False
    ) -> pulp.LpVariable:
        if binary:
            v = self._prob.add_variable(name, cat=pulp.LpBinary)
            self.binaries[name] = v
            return v
        return self._prob.add_variable(name, low, up)

    def pair_terms(self, c: str, p: str, k: float = 1.0) -> Terms:
        return [(v, k) for v in self._pair_vars[self._pidx[c, p]]]

    def country_terms(self, c: str, pool: str) -> Terms:
        vs, ks, start = self._pool_arrays(pool)
        i = self._cidx[c]
        lo, hi = start[i], start[i + 1]
        return list(zip(vs[lo:hi], ks[lo:hi], strict=True))

    def type_terms(self, p: str, pool: str) -> Terms:
        k = self._coef(p, pool)
        if not k:
            return []
        j = self._tidx[p]
        nP = len(self._prep.types)
        return [(v, k) for i in range(len(self._prep.countries)) for v in self._pair_vars[i * nP + j]]

    def pool_terms(self, pool: str, k: float = 1.0) -> Terms:
        if pool == "total":
            return [(self.A, k), (self.I, k)]
        return [(self.A, k)] if pool == "aid" else [(self.I, k)]

    # -- the flat term arrays -----------------------------------------------------------
    def _coef(self, p: str, pool: str) -> float:
        a = self._prep.aid_share[p]
        return 1.0 if pool == "total" else (a if pool == "aid" else 1.0 - a)

    def ready_terms(self) -> None:
        """Index every pair's terms (segment variables, then overflow) once variables exist."""
        prep = self._prep
        C, P = prep.countries, prep.types
        self._cidx = {c: i for i, c in enumerate(C)}
        self._tidx = {p: j for j, p in enumerate(P)}
        self._pidx = {cp: k for k, cp in enumerate(self._pairs)}
        ovf = self._overflow
        self._pair_vars = (
            [self._seg[cp] + [ovf[cp]] for cp in self._pairs] if ovf else [self._seg[cp] for cp in self._pairs]
        )
        flat = [v for vs in self._pair_vars for v in vs]
        self._flat = np.empty(len(flat), dtype=object)
        self._flat[:] = flat
        counts = np.fromiter((len(vs) for vs in self._pair_vars), dtype=np.int64, count=len(self._pairs))
        kpair = np.repeat(np.arange(len(self._pairs)), counts)
        self._tcountry = kpair // len(P)
        ttype = kpair % len(P)
        a = np.array([prep.aid_share[p] for p in P], dtype=float)
        self._pool_coef = {"total": np.ones(len(P)), "aid": a, "investment": np.array([1.0 - x for x in a.tolist()])}
        self._ttype = ttype
        self._pools: dict[str, tuple[list[pulp.LpVariable], list[float], list[int]]] = {}

    def _pool_arrays(self, pool: str) -> tuple[list[pulp.LpVariable], list[float], list[int]]:
        """The variables with a non-zero coefficient in ``pool``, their coefficients, and where
        each country's terms start (country-major, so a country's terms are one slice)."""
        got = self._pools.get(pool)
        if got is None:
            coef = self._pool_coef[pool][self._ttype]
            keep = np.flatnonzero(coef != 0)
            vs = self._flat[keep].tolist()
            start = np.searchsorted(self._tcountry[keep], np.arange(len(self._prep.countries) + 1)).tolist()
            got = (vs, coef[keep].tolist(), start)
            self._pools[pool] = got
        return got

    def definition_terms(self, pool: str, head: pulp.LpVariable) -> Terms:
        """pool used - sum of each pair's pool share (the pool-total definition row)."""
        vs, ks, _ = self._pool_arrays(pool)
        out: Terms = [(head, 1.0)]
        out += zip(vs, (-np.asarray(ks, dtype=float)).tolist(), strict=True)
        return out


def _unique_names(rows: list[Row]) -> None:
    """Solver-safe, unique row names (a repeated name gets _2, _3, ...)."""
    names: set[str] = set()
    for r in rows:
        base = safe_name(r.name)
        nm, i = base, 1
        while nm in names:
            i += 1
            nm = f"{base}_{i}"
        names.add(nm)
        r.name = nm


def build(
    prep: Prepared,
    *,
    elastic: frozenset[str] = frozenset(),
    dropped: frozenset[str] = frozenset(),
    mode: str = "benefit",
    budgets: tuple[float, float] | None = None,
) -> Built:
    """Build a PuLP problem from prepared data (the cyclic garbage collector paused: the build
    allocates ~10 objects per variable and nothing cyclic, so collections only cost time).

    Parameters
    ----------
    prep : Prepared
    elastic : frozenset of str
        Groups whose rows get penalised slacks (the diagnosis's elastic re-solve).
    dropped : frozenset of str
        Groups left out (the diagnosis's feasibility checks).
    mode : {'benefit', 'slack', 'none'}
        Maximise benefit (the planner's model), minimise the penalised slack, or feasibility only.
    budgets : (float, float), optional
        (aid, investment) right-hand sides; default the spec's.

    Returns
    -------
    Built
    """
    was = gc.isenabled()
    gc.disable()
    try:
        return _build(prep, elastic=elastic, dropped=dropped, mode=mode, budgets=budgets)
    finally:
        if was:
            gc.enable()


def _build(
    prep: Prepared, *, elastic: frozenset[str], dropped: frozenset[str], mode: str, budgets: tuple[float, float] | None
) -> Built:
    C, P = prep.countries, prep.types
    B = budgets if budgets is not None else (prep.budget_aid, prep.budget_inv)
    prob = pulp.LpProblem("fulcrum_allocation", pulp.LpMaximize if mode == "benefit" else pulp.LpMinimize)
    pairs = [(c, p) for c in C for p in P]
    sc_ = {c: safe_name(c) for c in C}
    sp_ = {p: safe_name(p) for p in P}
    add = prob.add_variable
    seg = {(c, p): [add(f"x_{sc_[c]}_{sp_[p]}_{s}", 0, w) for s, w in enumerate(prep.widths[c, p])] for c, p in pairs}
    xvars = [v for cp in pairs for v in seg[cp]]
    xpair = prep.band_pair
    xcountry = xpair // len(P)
    xbase = prep.band_base

    ctx = _Context(prep, prob, B, elastic, dropped, pairs, seg)
    for fam in BUILD_ORDER:
        fam.add_variables(ctx)
    ctx.ready_terms()
    if prep.programme is not None:  # years, commitments and projects (optimisation/programme.py)
        from optimisation.programme import ProgrammeIndex

        ctx.programme = ProgrammeIndex(prep.programme, ctx)

    rows: list[Row] = []
    # pool definitions (never relaxed), then every family's rows
    rows.append(
        Row("def_aid", "definition", "aid used = sum of aid shares", ctx.definition_terms("aid", ctx.A), EQ, 0.0)
    )
    rows.append(
        Row(
            "def_investment",
            "definition",
            "investment used = sum of investment shares",
            ctx.definition_terms("investment", ctx.I),
            EQ,
            0.0,
        )
    )
    if ctx.programme is not None:
        ctx.programme.amend_definitions(rows[0], rows[1])
        rows += ctx.programme.definition_rows()
    for fam in BUILD_ORDER:
        rows += fam.build(ctx)
    _unique_names(rows)

    # into the problem in one go, with slacks for elastic groups
    slack_terms: dict[pulp.LpVariable, float] = {}
    batch: dict[str, pulp.LpConstraint] = {}
    for row in rows:
        if row.group in dropped:
            continue
        expr = row.expr
        if row.group in elastic:
            w = BY_GROUP[row.group].penalty
            expr = pulp.LpAffineExpression(expr)
            if row.sense in (LE, EQ):
                s = prob.add_variable(f"slk_dn_{row.name}", 0)
                expr[s] = -1.0
                row.slacks.append((s, -1))
                slack_terms[s] = w
            if row.sense in (GE, EQ):
                s = prob.add_variable(f"slk_up_{row.name}", 0)
                expr[s] = 1.0
                row.slacks.append((s, 1))
                slack_terms[s] = w
        row.pulp = pulp.LpConstraint(expr, row.sense, row.name, row.rhs)
        batch[row.name] = row.pulp
    prob.extend(batch)
    for fam in BUILD_ORDER:
        slack_terms.update(fam.elastic_terms(ctx))

    if mode == "benefit":
        coef = xbase * prep.priority.to_numpy()[xcountry]
        if prep.spec.objective == "outcomes":  # issue 11 item 5: weighted physical outcomes
            coef = outcome_coefficients(prep, xpair)
        prob.setObjective(pulp.LpAffineExpression(list(zip(xvars, coef.tolist(), strict=True))))
    elif mode == "slack":
        prob.setObjective(pulp.LpAffineExpression(slack_terms))
    else:
        prob.setObjective(pulp.LpAffineExpression({ctx.A: 0.0}))
    return Built(
        prob=prob,
        prep=prep,
        pairs=pairs,
        xvars=xvars,
        xpair=xpair,
        xcountry=xcountry,
        xbase=xbase,
        seg=seg,
        A=ctx.A,
        I=ctx.I,
        cons=rows,
        binaries=ctx.binaries,
        overflow=ctx.overflow,
        is_milp=bool(prep.spec.discrete) or bool(ctx.binaries),
        elastic=elastic,
        dropped=dropped,
        programme=ctx.programme,
    )


__all__ = ["Built", "build"]
