"""The allocation LP/MILP (reference formulation in DESIGN.md, "Allocation model"), built on PuLP.

Decision variables: x[c,p,s] >= 0, US$ millions given to project type p in country c in benefit
band s, bounded by the band width. The total of a pair is x[c,p] = sum_s x[c,p,s]; its aid part is
a_p * x[c,p] and its investment part (1 - a_p) * x[c,p]. Two auxiliary variables hold the pool
totals (A = aid used, I = investment used) so that budgets, shares and the equity floor are short
rows. Objective: maximise sum priority_c * impact_p * need[c,p] * marginal[p,s] * x[c,p,s];
marginals fall from band to band (concave), so the LP fills bands in order without binaries.

With ``spec.discrete`` each pair with a minimum size gets a binary o[c,p]:
min_size_p * o <= x[c,p] <= capacity[c,p] * o (a MILP, solved by CBC).

Every constraint is a record with a readable label and a group; the same builder produces the
main model, the elastic models of the infeasibility diagnosis and the feasibility checks.
Constraints are built from dict comprehensions (no repeated ``+=`` on growing expressions).
"""
from __future__ import annotations

import gc
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
import pulp

from mcda.errors import InputError
from optimisation.params import effective_types, load_project_types
from optimisation.result import (
    DUALS_NOTE_LP, DUALS_NOTE_MILP, GROUP_LABELS, RELAXABLE_GROUPS, AllocationResult, Diagnosis,
)
from optimisation.spec import AllocationSpec, parse_spec

LE, GE, EQ = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ
_SENSE_TXT = {LE: "<=", GE: ">=", EQ: "="}
_SAFE = re.compile(r"[^A-Za-z0-9]")
# diagnosis: relaxing a budget costs slightly more than relaxing a planner's constraint, so that
# among equally small relaxations the one that changes a planner's choice is shown first
_PENALTY = {"aid_budget": 1.001, "investment_budget": 1.001}


def _safe(s: str) -> str:
    return _SAFE.sub("_", str(s))


def _fmt(v: float) -> str:
    """US$ millions for labels: 12.3, 1,250, 0.05."""
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def _pct(v: float) -> str:
    return f"{v * 100:.4g}%"


# ----------------------------------------------------------------------------- preparation

@dataclass
class _Prepared:
    spec: AllocationSpec
    countries: list[str]
    names: dict[str, str]
    types: list[str]
    params: pd.DataFrame
    aid_share: dict[str, float]
    min_size: dict[str, float]
    widths: dict[tuple[str, str], list[float]]
    capacity: dict[tuple[str, str], float]
    base: dict[tuple[str, str], list[float]]     # impact * need * marginal per band (no priority)
    need: pd.DataFrame
    priority: pd.Series
    gdp_musd: pd.Series | None
    budget_aid: float
    budget_inv: float
    notes: list[str] = field(default_factory=list)

    def name(self, c: str) -> str:
        n = self.names.get(c)
        return f"{n} ({c})" if n and n != c else c

    def tname(self, p: str) -> str:
        return p.replace("_", " ")


def _check_priorities(priorities, where: str = "priorities") -> pd.Series:
    if isinstance(priorities, dict):
        priorities = pd.Series(priorities, dtype=float)
    if not isinstance(priorities, pd.Series):
        raise InputError(f"expected a pandas Series iso3 -> priority, got {type(priorities).__name__}",
                         where=where)
    if priorities.empty:
        raise InputError("no shortlisted country to allocate to", where=where,
                         hint="The shortlist is empty; loosen the shortlist filters")
    idx = priorities.index.astype(str)
    if idx.duplicated().any():
        raise InputError(f"country listed twice: {', '.join(sorted(set(idx[idx.duplicated()])))}",
                         where=where)
    vals = pd.to_numeric(priorities, errors="coerce").astype(float)
    bad = [str(k) for k, v in zip(idx, vals) if not (math.isfinite(v) and v >= 0)]
    if bad:
        raise InputError(f"priority must be a finite number >= 0 for: {', '.join(bad)}", where=where)
    if float(vals.sum()) <= 0:
        raise InputError("all priorities are zero", where=where,
                         hint="At least one shortlisted country needs a positive priority")
    return pd.Series(vals.to_numpy(), index=pd.Index(idx, name="country"), name="priority")


def _need_factors(countries: pd.DataFrame, C: list[str], params: pd.DataFrame,
                  spec: AllocationSpec, notes: list[str], known_columns: frozenset[str]) -> pd.DataFrame:
    """need[c,p] = (v_c / mean v)^gamma, v = the type's need indicator (or 1 - it for 'shortfall');
    the mean is over every row of the countries table given (the candidate set).

    ``known_columns``: indicator names of the reference data set (the caller's; the product layer
    passes the shipped countries table's columns). A need indicator named there but absent from
    ``countries`` (a user's own data) is unknown data, neutral under ``missing_need = neutral``;
    a name found nowhere is a typo (InputError)."""
    out = pd.DataFrame(1.0, index=pd.Index(C, name="country"), columns=list(params.index))
    gamma = spec.need_exponent
    for p in params.index:
        col = str(params.at[p, "need_indicator"]).strip()
        tr = str(params.at[p, "need_transform"]).strip()
        if col in ("", "none") or tr == "none":
            continue
        where = f"project_types[{p}].need_indicator"
        if col not in countries.columns:
            if spec.missing_need == "neutral" and col in known_columns:  # a user's own data set
                notes.append(f"Need factor of {p}: column '{col}' is not in the data; neutral factor 1 for all "
                             "(allocation.missing_need = neutral).")
                continue
            raise InputError(f"need indicator column '{col}' is not in the countries table", where=where,
                             hint="Use a column of the data, 'none', or set allocation.missing_need to 'neutral'")
        v_all = pd.to_numeric(countries[col], errors="coerce").astype(float)
        if tr == "shortfall_ratio_to_mean":
            if ((v_all < 0) | (v_all > 1)).any():
                raise InputError(f"'shortfall' needs values within [0, 1] in column '{col}'", where=where)
            v_all = 1.0 - v_all
        elif (v_all < 0).any():
            raise InputError(f"need indicator '{col}' has negative values", where=where)
        mean = float(v_all.mean(skipna=True)) if v_all.notna().any() else float("nan")
        if not (mean > 0):
            notes.append(f"Need factor of {p}: column '{col}' has no positive mean; factor 1 for all.")
            continue
        v = v_all.reindex(C)
        miss = list(v.index[~np.isfinite(v.to_numpy(dtype=float))])
        if miss:
            if spec.missing_need == "error":
                raise InputError(f"need indicator '{col}' is blank for {', '.join(miss)}", where=where,
                                 hint="Set allocation.missing_need to 'neutral' to use factor 1")
            notes.append(f"Need factor of {p}: '{col}' is blank for {', '.join(miss)}; "
                         "neutral factor 1 used (allocation.missing_need = neutral).")
        f = (v / mean) ** gamma
        out[p] = f.fillna(1.0).to_numpy()
    return out


def _check_share_sums(spec: AllocationSpec, C: list[str], P: list[str]) -> None:
    """Shares are of the money allocated, so caps on every shortlisted country (or every enabled
    type) summing below 100% of a pool, or floors summing above 100%, leave 0 as the only
    feasible amount for that pool: the solver would report an 'optimal' empty allocation."""
    for fld, members, what in (("country_caps", C, "every shortlisted country"),
                               ("type_caps", P, "every enabled project type"),
                               ("country_floors", C, None), ("type_floors", P, None)):
        bounds = getattr(spec, fld)
        for pool in ("total", "aid", "investment"):
            shares = {k: b.share for k, b in bounds.items() if b.share is not None and b.pool == pool}
            if not shares:
                continue
            tot = sum(shares.values())
            if what is not None and set(members) <= set(shares) and tot < 1 - 1e-9:
                raise InputError(
                    f"the share caps on {what} add up to {_pct(tot)} of the {pool} allocation, below 100%, "
                    f"so nothing at all could be allocated from it", where=f"allocation.{fld}",
                    hint="Raise the shares so they add up to at least 100%, or cap some in US$ millions")
            if what is None and tot > 1 + 1e-9:
                raise InputError(
                    f"the share floors add up to {_pct(tot)} of the {pool} allocation, above 100%, "
                    f"so nothing at all could be allocated from it", where=f"allocation.{fld}",
                    hint="Lower the shares so they add up to at most 100%")


def _check_min_sizes(spec, P, C, min_size, capacity, aid_share, notes) -> None:
    """Discrete projects: a type whose minimum size exceeds every country's absorptive capacity can
    never be funded (an error); one whose minimum exceeds a pool budget is noted; if no type can be
    funded at all the model could only return an empty allocation (an error)."""
    fundable = []
    for p in P:
        S = min_size[p]
        where = (f"allocation.type_params[{p}].min_size_musd" if p in spec.type_params
                 and spec.type_params[p].min_size_musd is not None else f"project_types[{p}].min_size_musd")
        top = max(capacity[c, p] for c in C)
        if S > top:
            raise InputError(f"minimum project size US$ {_fmt(S)}M is above the absorptive capacity of every "
                             f"shortlisted country (at most US$ {_fmt(top)}M), so {p} could never be funded",
                             where=where, hint="Lower the minimum size, raise the last segment breakpoint, "
                             "or set allocation.discrete to false")
        a = aid_share[p]
        short = [f"{pool} budget US$ {_fmt(B)}M" for pool, need, B in
                 (("aid", a * S, spec.budget_aid_musd), ("investment", (1 - a) * S, spec.budget_investment_musd))
                 if need > B * (1 + 1e-9)]
        if short:
            notes.append(f"Discrete projects: one {p} project of the minimum size US$ {_fmt(S)}M needs more "
                         f"than the {' and '.join(short)}, so {p} cannot be funded.")
        else:
            fundable.append(p)
    if not fundable:
        raise InputError("with discrete projects no project type can be funded: every minimum project size "
                         "needs more than the budgets", where="allocation.discrete",
                         hint="Raise the budgets, lower min_size_musd, or set allocation.discrete to false")


def _prepare(priorities, countries, project_types, spec, known_columns=None) -> _Prepared:
    spec = parse_spec(spec)
    pr = _check_priorities(priorities)
    if not isinstance(countries, pd.DataFrame):
        raise InputError(f"expected a DataFrame indexed by ISO3, got {type(countries).__name__}",
                         where="countries")
    cidx = countries.index.astype(str)
    countries = countries.set_axis(cidx)
    C = list(pr.index)
    missing = [c for c in C if c not in countries.index]
    if missing:
        raise InputError(f"no data row for shortlisted countr{'y' if len(missing) == 1 else 'ies'} "
                         f"{', '.join(missing)}", where="countries")
    if project_types is None:
        project_types = load_project_types()
    params = effective_types(project_types, spec)
    P = list(params.index)
    notes: list[str] = []

    name_col = next((c for c in ("country", "name", "label") if c in countries.columns), None)
    names = {c: str(countries.at[c, name_col]) if name_col else c for c in C}

    def _check_country(c, where):
        if c not in pr.index:
            raise InputError(f"'{c}' is not a shortlisted country", where=where,
                             hint=f"Shortlist: {', '.join(C)}")

    def _check_type(p, where):
        if p not in P:
            known = project_types.index if isinstance(project_types, pd.DataFrame) else []
            state = "not enabled" if p in known else "unknown project type"
            raise InputError(f"{state} '{p}'", where=where, hint=f"Enabled types: {', '.join(P)}")

    for fld in ("country_floors", "country_caps", "country_capacity_scale"):
        for c in getattr(spec, fld):
            _check_country(c, f"allocation.{fld}[{c}]")
    for fld in ("type_floors", "type_caps"):
        for p in getattr(spec, fld):
            _check_type(p, f"allocation.{fld}[{p}]")
    for fld in ("must_fund", "must_not"):
        for i, pair in enumerate(getattr(spec, fld)):
            _check_country(pair.country, f"allocation.{fld}[{i}].country")
            _check_type(pair.project_type, f"allocation.{fld}[{i}].project_type")
    for i, link in enumerate(spec.linking):
        _check_type(link.lhs_type, f"allocation.linking[{i}].lhs_type")
        _check_type(link.rhs_type, f"allocation.linking[{i}].rhs_type")
        if link.lhs_type == link.rhs_type:
            raise InputError("a linking constraint needs two different project types",
                             where=f"allocation.linking[{i}]")
        for j, c in enumerate(link.countries or []):
            _check_country(c, f"allocation.linking[{i}].countries[{j}]")

    gdp = None
    needs_gdp = [(f, c) for f in ("country_floors", "country_caps")
                 for c, b in getattr(spec, f).items() if b.pct_gdp is not None]
    if spec.absorptive_cap_pct_gdp is not None:
        if spec.gdp_column not in countries.columns:
            if needs_gdp:
                pass  # reported below, naming the bound that needs it
            else:
                notes.append(f"No '{spec.gdp_column}' column: the {spec.absorptive_cap_pct_gdp:g}% of GDP "
                             "absorptive cap is not applied.")
        else:
            g = pd.to_numeric(countries[spec.gdp_column], errors="coerce").reindex(C)
            blank = [c for c in C if not (math.isfinite(g[c]) and g[c] > 0)]
            if blank:
                notes.append(f"GDP blank for {', '.join(blank)}: the {spec.absorptive_cap_pct_gdp:g}% of GDP "
                             "absorptive cap is not applied to them.")
            gdp = g / 1e6
    if needs_gdp:
        col = spec.gdp_column
        if col not in countries.columns:
            f, c = needs_gdp[0]
            raise InputError(f"a % of GDP bound needs column '{col}' (GDP, current US$) in the countries table",
                             where=f"allocation.{f}[{c}].pct_gdp")
        gdp = pd.to_numeric(countries[col], errors="coerce").reindex(C) / 1e6
        for f, c in needs_gdp:
            if not (math.isfinite(gdp[c]) and gdp[c] > 0):
                raise InputError(f"GDP of {c} is blank or not positive, so a % of GDP bound cannot be set",
                                 where=f"allocation.{f}[{c}].pct_gdp")

    _check_share_sums(spec, C, P)
    need = _need_factors(countries, C, params, spec, notes, frozenset(known_columns or ()))
    scale = spec.country_capacity_scale
    aid_share = {p: float(params.at[p, "aid_share"]) for p in P}
    min_size = {p: float(params.at[p, "min_size_musd"]) for p in P}
    widths, capacity, base = {}, {}, {}
    need_arr = need.to_numpy(dtype=float)
    kscale = [float(scale.get(c, 1.0)) for c in C]
    for j, p in enumerate(P):
        br = params.at[p, "segment_breaks_musd"]
        mg = np.asarray(params.at[p, "segment_marginals"], dtype=float)
        w = np.diff(np.asarray((0.0,) + tuple(br), dtype=float))
        imp = float(params.at[p, "impact_per_musd"])
        for i, c in enumerate(C):
            k = kscale[i]
            widths[c, p] = (w * k).tolist()
            capacity[c, p] = br[-1] * k
            base[c, p] = (imp * need_arr[i, j] * mg).tolist()
    if spec.discrete:
        _check_min_sizes(spec, P, C, min_size, capacity, aid_share, notes)
    return _Prepared(
        spec=spec, countries=C, names=names, types=P, params=params, aid_share=aid_share,
        min_size=min_size, widths=widths, capacity=capacity, base=base, need=need, priority=pr,
        gdp_musd=gdp, budget_aid=float(spec.budget_aid_musd),
        budget_inv=float(spec.budget_investment_musd), notes=notes)


# ----------------------------------------------------------------------------- model building

@dataclass
class _Con:
    name: str
    group: str
    label: str
    expr: dict
    sense: int
    rhs: float
    relative: bool = False        # rhs 0 with a share / ratio: "loosening" rather than raise/lower
    pulp: pulp.LpConstraint | None = None
    slacks: list = field(default_factory=list)   # (var, sign) in elastic models


@dataclass
class _Built:
    prob: pulp.LpProblem
    pairs: list[tuple[str, str]]
    xvars: list                   # flat list of segment variables
    xpair: np.ndarray             # pair index of each flat variable
    xcountry: np.ndarray          # country index of each flat variable
    xbase: np.ndarray             # base objective coefficient (without priority)
    seg: dict                     # (c,p) -> list of vars
    A: pulp.LpVariable
    I: pulp.LpVariable
    cons: list[_Con]
    binaries: dict
    overflow: dict
    is_milp: bool


_VAR_KEYS = {"_LpElement__name", "_lowbound_original", "_upbound_original", "cat", "dj", "hash",
             "lowBound", "modified", "upBound", "varValue"}


def _bounded_var_factory(prob: pulp.LpProblem):
    """Return f(name, ub) creating a continuous variable in [0, ub].

    PuLP's constructor costs ~4 us a variable (name regex, property setters), which dominates the
    build of large models. When the variable's attributes are exactly the known set (checked on a
    template, so a PuLP upgrade that changes them falls back to the public API), new variables are
    made by copying the template's attributes; names here are already solver-safe."""
    tmpl = prob.add_variable("x_template", 0, 1)
    if set(tmpl.__dict__) != _VAR_KEYS or tmpl.name != "x_template":
        return lambda name, ub: prob.add_variable(name, 0, ub)
    base = dict(tmpl.__dict__)
    new = object.__new__
    cls = type(tmpl)

    def make(name, ub):
        v = new(cls)
        d = v.__dict__
        d.update(base)
        d["_LpElement__name"] = name
        d["hash"] = id(v)
        d["_upbound_original"] = d["upBound"] = ub
        return v
    return make


def _build(prep: _Prepared, *, elastic=frozenset(), dropped=frozenset(), mode: str = "benefit",
           budgets: tuple[float, float] | None = None) -> _Built:
    """Build with the cyclic garbage collector paused: the build allocates ~10 objects per
    variable and nothing cyclic, so collections only cost time (and make build times jumpy)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return _build_model(prep, elastic=elastic, dropped=dropped, mode=mode, budgets=budgets)
    finally:
        if was:
            gc.enable()


def _build_model(prep: _Prepared, *, elastic, dropped, mode, budgets) -> _Built:
    """Build a PuLP problem from prepared data.

    mode 'benefit': maximise benefit (the planner's model); 'slack': minimise the penalised slack
    of the ``elastic`` groups (elastic re-solve); 'none': feasibility only. Constraints of
    ``dropped`` groups are left out; capacity in ``elastic``/``dropped`` adds an overflow variable
    per pair (penalised / free).
    """
    spec = prep.spec
    C, P = prep.countries, prep.types
    B_aid, B_inv = budgets if budgets is not None else (prep.budget_aid, prep.budget_inv)
    sense = pulp.LpMaximize if mode == "benefit" else pulp.LpMinimize
    prob = pulp.LpProblem("fulcrum_allocation", sense)
    cidx = {c: i for i, c in enumerate(C)}
    pairs = [(c, p) for c in C for p in P]
    sc_ = {c: _safe(c) for c in C}
    sp_ = {p: _safe(p) for p in P}
    add_var = _bounded_var_factory(prob)
    seg = {(c, p): [add_var(f"x_{sc_[c]}_{sp_[p]}_{s}", w) for s, w in enumerate(prep.widths[c, p])]
           for c, p in pairs}
    xvars, xpair, xcountry, xbase = [], [], [], []
    for k, (c, p) in enumerate(pairs):
        vs = seg[c, p]
        xvars.extend(vs)
        xpair.extend([k] * len(vs))
        xcountry.extend([cidx[c]] * len(vs))
        xbase.extend(prep.base[c, p])
    cap_soft = "capacity" in elastic or "capacity" in dropped
    overflow = {cp: prob.add_variable(f"ovf_{_safe(cp[0])}_{_safe(cp[1])}", 0) for cp in pairs} if cap_soft else {}
    a = prep.aid_share
    A = prob.add_variable("aid_used", 0)
    I = prob.add_variable("investment_used", 0)

    def pair_terms(c, p, k=1.0):
        d = {v: k for v in seg[c, p]}
        if cap_soft:
            d[overflow[c, p]] = k
        return d

    def pool_coef(p, pool):
        return 1.0 if pool == "total" else (a[p] if pool == "aid" else 1.0 - a[p])

    def country_expr(c, pool):
        d = {}
        for p in P:
            k = pool_coef(p, pool)
            if k:
                d.update(pair_terms(c, p, k))
        return d

    def type_expr(p, pool):
        k = pool_coef(p, pool)
        d = {}
        if k:
            for c in C:
                d.update(pair_terms(c, p, k))
        return d

    pool_total = {"total": {A: 1.0, I: 1.0}, "aid": {A: 1.0}, "investment": {I: 1.0}}
    pool_word = {"total": "total", "aid": "aid", "investment": "investment"}
    cons: list[_Con] = []
    names: set[str] = set()

    def add(name, group, label, expr, sense_, rhs, relative=False):
        base = _safe(name)
        nm, i = base, 1
        while nm in names:
            i += 1
            nm = f"{base}_{i}"
        names.add(nm)
        cons.append(_Con(nm, group, label, expr, sense_, float(rhs), relative))

    # pool definitions (never relaxed) and budgets
    add("def_aid", "definition", "aid used = sum of aid shares",
        {A: 1.0, **{v: -a[p] for (c, p) in pairs if a[p] for v in pair_terms(c, p)}}, EQ, 0.0)
    add("def_investment", "definition", "investment used = sum of investment shares",
        {I: 1.0, **{v: -(1.0 - a[p]) for (c, p) in pairs if a[p] < 1 for v in pair_terms(c, p)}}, EQ, 0.0)
    add("budget_aid", "aid_budget", "aid budget", {A: 1.0}, LE, B_aid)
    add("budget_investment", "investment_budget", "investment budget", {I: 1.0}, LE, B_inv)

    # per-country floors and caps
    for group, bounds, sense_, word in (("country_caps", spec.country_caps, LE, "cap"),
                                        ("country_floors", spec.country_floors, GE, "floor")):
        for c, b in bounds.items():
            ex = country_expr(c, b.pool)
            pw = "" if b.pool == "total" else f" of {pool_word[b.pool]}"
            if b.musd is not None:
                add(f"{group}_{c}_musd_{b.pool}", group, f"{prep.name(c)} {word}: US$ {_fmt(b.musd)}M{pw}",
                    ex, sense_, b.musd)
            if b.share is not None:
                add(f"{group}_{c}_share_{b.pool}", group,
                    f"{prep.name(c)} {word}: {_pct(b.share)} of {pool_word[b.pool]}",
                    {**ex, **{v: -b.share for v in pool_total[b.pool]}}, sense_, 0.0, relative=True)
            if b.pct_gdp is not None:
                rhs = b.pct_gdp / 100.0 * float(prep.gdp_musd[c])
                add(f"{group}_{c}_gdp_{b.pool}", group,
                    f"{prep.name(c)} {word}: {b.pct_gdp:g}% of GDP (US$ {_fmt(rhs)}M){pw}", ex, sense_, rhs)

    # macro absorptive capacity: allocation <= a* % of GDP (a* = 16%: Collier / CGD)
    if spec.absorptive_cap_pct_gdp is not None and prep.gdp_musd is not None:
        pct, pool = spec.absorptive_cap_pct_gdp, spec.absorptive_cap_pool
        pw = "allocation" if pool == "total" else f"{pool}"
        for c in C:
            g = prep.gdp_musd.get(c, float("nan"))
            if not (math.isfinite(g) and g > 0):
                continue
            rhs = pct / 100.0 * g
            add(f"absorb_{c}_{pool}", "absorptive_gdp",
                f"{prep.name(c)} absorptive capacity: {pw} at most {pct:g}% of GDP (US$ {_fmt(rhs)}M)",
                country_expr(c, pool), LE, rhs)

    # per-type floors and caps
    for group, bounds, sense_, word in (("type_caps", spec.type_caps, LE, "cap"),
                                        ("type_floors", spec.type_floors, GE, "floor")):
        for p, b in bounds.items():
            ex = type_expr(p, b.pool)
            pw = "" if b.pool == "total" else f" of {pool_word[b.pool]}"
            if b.musd is not None:
                add(f"{group}_{p}_musd_{b.pool}", group, f"{prep.tname(p)} {word}: US$ {_fmt(b.musd)}M{pw}",
                    ex, sense_, b.musd)
            if b.share is not None:
                add(f"{group}_{p}_share_{b.pool}", group,
                    f"{prep.tname(p)} {word}: {_pct(b.share)} of {pool_word[b.pool]}",
                    {**ex, **{v: -b.share for v in pool_total[b.pool]}}, sense_, 0.0, relative=True)

    # must-fund / must-not pairs
    for pr_ in spec.must_fund:
        c, p = pr_.country, pr_.project_type
        m = pr_.min_musd if pr_.min_musd is not None else prep.min_size[p]
        add(f"must_fund_{c}_{p}", "must_fund",
            f"must fund {prep.name(c)} x {prep.tname(p)} (at least US$ {_fmt(m)}M)", pair_terms(c, p), GE, m)
    for pr_ in spec.must_not:
        c, p = pr_.country, pr_.project_type
        add(f"must_not_{c}_{p}", "must_not", f"must not fund {prep.name(c)} x {prep.tname(p)}",
            pair_terms(c, p), LE, 0.0)

    # linking: lhs >= ratio * rhs in each listed country
    for i, ln in enumerate(spec.linking):
        for c in (ln.countries or C):
            lab = (f"{prep.name(c)}: {ln.label}" if ln.label else
                   f"{prep.name(c)}: {prep.tname(ln.lhs_type)} >= {ln.ratio:g} x {prep.tname(ln.rhs_type)}")
            ex = pair_terms(c, ln.lhs_type)
            ex.update({v: -ln.ratio * k for v, k in pair_terms(c, ln.rhs_type).items()})
            add(f"link{i}_{c}_{ln.lhs_type}_{ln.rhs_type}", "linking", lab, ex, GE, 0.0, relative=True)

    # equity floor: every country >= f x (total / n)
    if spec.equity_floor:
        f, n = spec.equity_floor, len(C)
        for c in C:
            add(f"equity_{c}", "equity_floor",
                f"equity floor: {prep.name(c)} at least {_pct(f)} of an equal share",
                {**country_expr(c, "total"), A: -f / n, I: -f / n}, GE, 0.0, relative=True)

    # discrete projects (MILP): 0 or at least the minimum size
    binaries = {}
    is_milp = bool(spec.discrete)
    if is_milp:
        big_extra = 0.0
        if cap_soft:
            big_extra = 10.0 * (B_aid + B_inv + sum(b.musd or 0 for b in spec.country_floors.values())
                                + sum(b.musd or 0 for b in spec.type_floors.values())
                                + sum(m.min_musd or 0 for m in spec.must_fund)) + 1e3
        for c, p in pairs:
            S = prep.min_size[p]
            if S <= 0:
                continue
            o = prob.add_variable(f"open_{_safe(c)}_{_safe(p)}", cat=pulp.LpBinary)
            binaries[c, p] = o
            add(f"minsize_{c}_{p}", "min_size",
                f"minimum project size: {prep.name(c)} x {prep.tname(p)} is 0 or at least US$ {_fmt(S)}M",
                {**pair_terms(c, p), o: -S}, GE, 0.0, relative=True)
            add(f"open_{c}_{p}", "definition", f"{prep.name(c)} x {prep.tname(p)} funded only if opened",
                {**pair_terms(c, p), o: -(prep.capacity[c, p] + big_extra)}, LE, 0.0)

    # add to the problem, with slacks for elastic groups
    slack_terms = {}
    for con in cons:
        if con.group in dropped:
            continue
        expr = con.expr
        if con.group in elastic:
            w = _PENALTY.get(con.group, 1.0)
            expr = dict(expr)
            if con.sense in (LE, EQ):
                s = prob.add_variable(f"slk_dn_{con.name}", 0)
                expr[s] = -1.0
                con.slacks.append((s, -1))
                slack_terms[s] = w
            if con.sense in (GE, EQ):
                s = prob.add_variable(f"slk_up_{con.name}", 0)
                expr[s] = 1.0
                con.slacks.append((s, 1))
                slack_terms[s] = w
        con.pulp = pulp.LpConstraint(pulp.LpAffineExpression(expr), con.sense, con.name, con.rhs)
        prob.addConstraint(con.pulp)
    if "capacity" in elastic:
        slack_terms.update({v: 1.0 for v in overflow.values()})

    if mode == "benefit":
        coef = np.asarray(xbase) * prep.priority.to_numpy()[np.asarray(xcountry, dtype=int)]
        prob.setObjective(pulp.LpAffineExpression(dict(zip(xvars, coef.tolist()))))
    elif mode == "slack":
        prob.setObjective(pulp.LpAffineExpression(slack_terms))
    else:
        prob.setObjective(pulp.LpAffineExpression({A: 0.0}))
    return _Built(prob=prob, pairs=pairs, xvars=xvars, xpair=np.asarray(xpair, dtype=int),
                  xcountry=np.asarray(xcountry, dtype=int), xbase=np.asarray(xbase, dtype=float),
                  seg=seg, A=A, I=I, cons=cons, binaries=binaries, overflow=overflow, is_milp=is_milp)


# ----------------------------------------------------------------------------- solving

def _solver(spec: AllocationSpec, mip: bool = True):
    if spec.solver == "highs":
        s = pulp.HiGHS(msg=False, mip=mip, timeLimit=spec.time_limit_s, gapRel=1e-9)
        if not s.available():
            raise InputError("the HiGHS solver is not installed (python package highspy)",
                             where="allocation.solver", hint="Use 'cbc' or install highspy")
        return s
    from pulp.apis import coin_api

    path = coin_api.pulp_cbc_path if Path(coin_api.pulp_cbc_path).exists() else None
    return pulp.COIN_CMD(msg=False, mip=mip, timeLimit=spec.time_limit_s, gapRel=1e-9, path=path)


def _status(prob: pulp.LpProblem) -> str:
    """PuLP's status pair in one word. 'feasible' is only what the solver claims when it stopped
    early (PuLP maps CBC's "Stopped on time - objective value ..." and HiGHS's time limit to it,
    whether or not the values it returns are feasible): ``AllocationModel._solve_checked``
    re-checks them before anything is reported."""
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


def _run(prob: pulp.LpProblem, spec: AllocationSpec, mip: bool) -> str:
    """Solve and return the solver's claim (see ``_status``), or 'solver_error' when it crashed.
    Only for the diagnosis's auxiliary models; the planner's model goes through ``_solve_checked``."""
    try:
        prob.solve(_solver(spec, mip=mip))
    except pulp.PulpSolverError:  # solver crashed or could not read its output
        return "solver_error"
    return _status(prob)


_HIGHS_STOPS = {"kTimeLimit": "time limit", "kIterationLimit": "iteration limit", "kInterrupt": "an interrupt",
                "kObjectiveBound": "objective bound", "kObjectiveTarget": "objective target"}
#: relative tolerance of the re-check of a returned allocation (CBC gives ~8 significant digits)
CHECK_REL_TOL = 1e-6


def _solver_name(spec: AllocationSpec) -> str:
    return "HiGHS" if spec.solver == "highs" else "CBC"


def _highs_status(prob: pulp.LpProblem) -> str | None:
    try:
        return prob.solverModel.getModelStatus().name
    except Exception:  # noqa: BLE001 - not HiGHS, or no model attached
        return None


def _stop_reason(prob: pulp.LpProblem, spec: AllocationSpec) -> str | None:
    """Why the solver stopped before proving optimality, in words (None: it did not stop early).
    CBC reports only "Stopped"; the one stopping rule set for it here is the time limit."""
    if spec.solver == "highs":
        r = _HIGHS_STOPS.get(_highs_status(prob) or "")
        if r is None:
            return None
        if r != "time limit":
            return f"stopped by its {r}"
    return f"stopped at the time limit (allocation.time_limit_s = {spec.time_limit_s:g} s)"


def _mip_gap(prob: pulp.LpProblem, spec: AllocationSpec, mip: bool) -> float | None:
    """Relative MIP gap when the solver reports one (HiGHS); None when unknown (CBC via PuLP, LPs)."""
    if not (mip and spec.solver == "highs"):
        return None
    try:
        g = float(prob.solverModel.getInfo().mip_gap)
    except Exception:  # noqa: BLE001
        return None
    return g if math.isfinite(g) and g >= 0 else None


def _dual_sign(spec: AllocationSpec, prob: pulp.LpProblem) -> float:
    """PuLP/CBC reports d(objective)/d(rhs); PuLP/HiGHS reports the minimisation dual, whose sign
    is flipped for a maximisation."""
    if spec.solver == "highs" and prob.sense == pulp.LpMaximize:
        return -1.0
    return 1.0


class AllocationModel:
    """One built allocation model that can be re-solved cheaply.

    ``set_priorities`` changes only the objective coefficients (for robustness studies that
    re-solve hundreds of times), ``set_budgets`` only the budget right-hand sides (frontier).
    """

    def __init__(self, priorities: pd.Series, countries: pd.DataFrame,
                 project_types: pd.DataFrame | None, spec: AllocationSpec | dict,
                 known_columns: Iterable[str] | None = None):
        t0 = time.perf_counter()
        self.prep = _prepare(priorities, countries, project_types, spec, known_columns)
        self.spec = self.prep.spec
        self.built = _build(self.prep)
        self._con_by_group = {}
        for con in self.built.cons:
            self._con_by_group.setdefault(con.group, []).append(con)
        self.build_seconds = time.perf_counter() - t0

    # -- cheap modifications ----------------------------------------------------------
    @property
    def is_milp(self) -> bool:
        return self.built.is_milp

    @property
    def budgets(self) -> tuple[float, float]:
        return self.prep.budget_aid, self.prep.budget_inv

    def set_priorities(self, priorities: pd.Series) -> None:
        """Replace the priorities (same shortlist) and update only the objective coefficients."""
        pr = _check_priorities(priorities)
        if set(pr.index) != set(self.prep.countries):
            extra = sorted(set(pr.index) - set(self.prep.countries))
            lost = sorted(set(self.prep.countries) - set(pr.index))
            raise InputError("priorities must cover exactly the shortlist the model was built for"
                             + (f"; unknown: {', '.join(extra)}" if extra else "")
                             + (f"; missing: {', '.join(lost)}" if lost else ""), where="priorities")
        self.prep.priority = pr.reindex(self.prep.countries)
        b = self.built
        coef = b.xbase * self.prep.priority.to_numpy()[b.xcountry]
        b.prob.setObjective(pulp.LpAffineExpression(dict(zip(b.xvars, coef.tolist()))))

    def set_budgets(self, aid: float | None = None, investment: float | None = None) -> None:
        """Change only the budget right-hand sides (US$ millions)."""
        for val, fld, group, attr in ((aid, "budget_aid_musd", "aid_budget", "budget_aid"),
                                      (investment, "budget_investment_musd", "investment_budget", "budget_inv")):
            if val is None:
                continue
            try:
                val = float(val)
            except (TypeError, ValueError):
                raise InputError(f"budget must be a number, got {val!r}", where=f"allocation.{fld}") from None
            if not (math.isfinite(val) and val >= 0):
                raise InputError(f"budget must be a finite number >= 0, got {val}", where=f"allocation.{fld}")
            setattr(self.prep, attr, val)
            for con in self._con_by_group[group]:
                con.rhs = val
                con.pulp.changeRHS(val)

    def write_model(self, path: str | Path) -> Path:
        """Write the model for audit: .mps (objective sense included) or .lp."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".mps", ".lp"):
            raise InputError(f"unknown model file type '{suffix or path.name}'", where=str(path),
                             hint="Use a .mps or .lp file name")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if suffix == ".mps":
                self.built.prob.writeMPS(str(path), with_objsense=True)
            else:
                self.built.prob.writeLP(str(path))
        except OSError as e:
            raise InputError(f"cannot write the model file: {e.strerror or e}", where=str(path),
                             hint="Choose a folder you can write to") from None
        return path

    # -- solving ------------------------------------------------------------------------
    def _values(self) -> np.ndarray:
        vals = np.fromiter((v.varValue if v.varValue is not None else 0.0 for v in self.built.xvars),
                           dtype=float, count=len(self.built.xvars))
        vals[np.abs(vals) < 1e-9] = 0.0
        return vals

    def _duals_for_milp(self) -> dict[str, float]:
        """Fix the binaries at their values, solve the LP, read the duals; restore everything."""
        b = self.built
        saved_vals = {v: v.varValue for v in b.prob.variables()}
        saved = {o: (o.lowBound, o.upBound, o.cat) for o in b.binaries.values()}
        try:
            for o in b.binaries.values():
                val = round(o.varValue or 0.0)
                o.lowBound = o.upBound = val
                o.cat = pulp.LpContinuous
            status = _run(b.prob, self.spec, mip=False)
            sign = _dual_sign(self.spec, b.prob)
            return {c.name: (sign * c.pulp.pi if c.pulp.pi is not None else float("nan"))
                    for c in b.cons} if status == "optimal" else {}
        finally:
            for o, (lo, up, cat) in saved.items():
                o.lowBound, o.upBound, o.cat = lo, up, cat
            for v, val in saved_vals.items():
                v.varValue = val

    # -- checking what the solver returned --------------------------------------------
    def _check_structure(self):
        """Every constraint of the built model as COO arrays over the variables it uses (built once)."""
        if getattr(self, "_chk", None) is None:
            b = self.built
            idx: dict = {}
            vars_: list = []

            def col(v):
                j = idx.get(id(v))
                if j is None:
                    j = idx[id(v)] = len(vars_)
                    vars_.append(v)
                return j
            for v in b.xvars:
                col(v)
            rows, cols, coefs = [], [], []
            for i, con in enumerate(b.cons):
                for v, k in con.expr.items():
                    rows.append(i)
                    cols.append(col(v))
                    coefs.append(float(k))
            self._chk = (vars_, np.asarray(rows, dtype=int), np.asarray(cols, dtype=int),
                         np.asarray(coefs, dtype=float))
        return self._chk

    def _violations(self) -> list[str]:
        """Re-check the values the solver returned against every constraint, every variable bound,
        integrality of the fund/no-fund binaries and pool use <= budget, to CHECK_REL_TOL relative.
        Returns what is broken, in words (empty: the allocation holds)."""
        b, prep = self.built, self.prep
        vars_, rows, cols, coefs = self._check_structure()
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
            out.append(f"'{c.label}' ({_fmt(lhs[i])} {_SENSE_TXT[c.sense]} {_fmt(c.rhs)} fails)")
        if len(bad) > 3:
            out.append(f"{len(bad) - 3} more constraint(s)")
        # never overspend: pool use recomputed from the allocation itself
        xs = x[: len(b.xvars)]
        tot = np.bincount(b.xpair, weights=xs, minlength=len(b.pairs))
        a = np.array([prep.aid_share[p] for _, p in b.pairs])
        for pool, used, B in (("aid", float(a @ tot), prep.budget_aid),
                              ("investment", float((1 - a) @ tot), prep.budget_inv)):
            if used > B + rel * max(1.0, B):
                out.append(f"{pool} use US$ {_fmt(used)}M is above the {pool} budget US$ {_fmt(B)}M")
        return out

    def _solve_checked(self) -> tuple[str, str, float | None]:
        """Solve the planner's model: (status, status_detail, gap).

        A result that is not proven optimal is kept ('feasible') only if every constraint holds for
        the values returned; and an 'optimal' one that breaks a constraint (or overspends) is a
        solver failure. Statuses: optimal, feasible, infeasible (proven), stopped (stopped before a
        feasible allocation was found), solver_error."""
        b, spec = self.built, self.spec
        who = _solver_name(spec)
        try:
            b.prob.solve(_solver(spec, mip=self.is_milp))
        except pulp.PulpSolverError as e:  # crashed, killed, or its output could not be read
            return ("solver_error", f"the solver ({who}) failed or was killed before it returned a solution "
                    f"(PuLP: {str(e).strip() or type(e).__name__}). Try again, or the other solver "
                    "(allocation.solver).", None)
        status = _status(b.prob)
        if status == "infeasible":
            return status, "proven infeasible by the solver", None
        if status == "unbounded":
            return ("solver_error", f"the solver ({who}) reported the model unbounded, which a model with "
                    "bounded variables cannot be. Try the other solver (allocation.solver).", None)
        if status == "not_solved":
            # CBC's "Stopped ..." is PuLP's NotSolved; an unreadable status is Undefined (a failure)
            stopped = (b.prob.status == pulp.LpStatusNotSolved if spec.solver == "cbc"
                       else _highs_status(b.prob) in _HIGHS_STOPS)
            why = _stop_reason(b.prob, spec) if stopped else None
            if why:
                return ("stopped", f"the solver ({who}) {why} before it found a feasible allocation. "
                        "Raise allocation.time_limit_s, or try the other solver (allocation.solver).", None)
            hs = _highs_status(b.prob)
            return ("solver_error", f"the solver ({who}) returned no solution"
                    + (f" (model status {hs})" if hs else "") + ". Try the other solver (allocation.solver).", None)
        bad = self._violations()
        if status == "feasible":
            why = _stop_reason(b.prob, spec) or "stopped before proving optimality"
            if bad:
                return ("stopped", f"the solver ({who}) {why} before it found a feasible allocation: the values "
                        f"it returned break {'; '.join(bad)}. Raise allocation.time_limit_s, or try the other "
                        "solver (allocation.solver).", None)
            gap = _mip_gap(b.prob, spec, self.is_milp)
            gap_txt = f"optimality gap {gap:.3g}" if gap is not None else "optimality gap unknown"
            return ("feasible", f"{who} {why}; every constraint re-checked and holds, but the allocation "
                    f"is not proven optimal; {gap_txt}", gap)
        if bad:
            return ("solver_error", f"the solver ({who}) reported an optimal allocation whose values break "
                    f"{'; '.join(bad)}. No allocation is reported; try the other solver (allocation.solver).", None)
        return "optimal", "", None

    def solve_quick(self) -> tuple[str, float | None, float, float]:
        """Solve and return (status, objective, aid-budget dual, investment-budget dual) only."""
        b = self.built
        status = self._solve_checked()[0]
        if status not in ("optimal", "feasible"):
            return status, None, float("nan"), float("nan")
        obj = float(pulp.value(b.prob.objective) or 0.0)
        if status != "optimal":  # stopped early: no valid duals
            duals = {}
        elif self.is_milp:
            duals = self._duals_for_milp()
        else:
            sign = _dual_sign(self.spec, b.prob)
            duals = {c.name: sign * (c.pulp.pi if c.pulp.pi is not None else float("nan"))
                     for c in self._con_by_group["aid_budget"] + self._con_by_group["investment_budget"]}
        return status, obj, duals.get("budget_aid", float("nan")), duals.get("budget_investment", float("nan"))

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """(country, project_type) order of the arrays returned by ``solve_allocation``."""
        return list(self.built.pairs)

    def solve_allocation(self) -> tuple[str, float | None, np.ndarray]:
        """Fast re-solve for robustness studies: (status, objective, total US$M per pair in
        ``self.pairs`` order); no result tables, no duals, no diagnosis."""
        b = self.built
        status = self._solve_checked()[0]
        if status not in ("optimal", "feasible"):
            return status, None, np.full(len(b.pairs), np.nan)
        tot = np.bincount(b.xpair, weights=self._values(), minlength=len(b.pairs))
        return status, float(pulp.value(b.prob.objective) or 0.0), tot

    def solve(self, diagnose: bool = True, marginals: bool = True) -> AllocationResult:
        """Solve; when infeasible and ``diagnose``, run the elastic diagnosis. With ``marginals``
        (and a proven optimum) each budget pool is re-solved at +-US$1M for the one-sided values
        of one more and one less US$1M (``AllocationResult.marginal_values``)."""
        b, prep = self.built, self.prep
        t0 = time.perf_counter()
        status, detail, gap = self._solve_checked()
        solve_s = time.perf_counter() - t0
        budgets = {"aid": prep.budget_aid, "investment": prep.budget_inv}
        notes = list(prep.notes)
        if status not in ("optimal", "feasible"):
            diag = diagnose_infeasibility(self) if (diagnose and status == "infeasible") else None
            empty = pd.DataFrame(columns=["country", "project_type", "aid_musd", "investment_musd",
                                          "total_musd", "benefit"])
            return AllocationResult(
                status=status, objective=None, allocation=empty, by_country=pd.DataFrame(),
                by_type=pd.DataFrame(), by_pool={"aid": float("nan"), "investment": float("nan")},
                budgets=budgets, constraints=pd.DataFrame(), shadow_prices={}, binding=[],
                is_milp=self.is_milp, duals_note=DUALS_NOTE_MILP if self.is_milp else DUALS_NOTE_LP,
                notes=notes, diagnosis=diag, parameters=prep.params, need_factors=prep.need,
                priorities=prep.priority, solver=self.spec.solver, build_seconds=self.build_seconds, spec=self.spec,
                solve_seconds=solve_s, status_detail=detail, gap=gap)
        vals = self._values()
        objective = float(pulp.value(b.prob.objective) or 0.0)
        sign = _dual_sign(self.spec, b.prob)
        if status != "optimal":
            duals = {}
            notes.append(f"Not proven optimal: {detail}. Shadow prices are not reported (they are only "
                         "meaningful at a proven optimum).")
        elif self.is_milp:
            duals = self._duals_for_milp()
            if not duals:
                notes.append("Shadow prices unavailable: the LP with binaries fixed did not solve.")
        else:
            duals = {c.name: sign * c.pulp.pi if c.pulp.pi is not None else float("nan") for c in b.cons}
        mv = self._marginal_values(objective, duals) if (marginals and status == "optimal") else {}
        res = self._result(status, objective, vals, duals, budgets, notes, marginal_values=mv)
        res.solve_seconds = solve_s
        res.status_detail, res.gap = detail, gap
        return res

    def _resolve_objective(self, aid: float, investment: float) -> tuple[float | None, str]:
        """Objective of the same model with other budgets (restored by the caller)."""
        self.set_budgets(aid, investment)
        status, detail, _ = self._solve_checked()
        if status != "optimal":
            return None, (detail or status)
        return float(pulp.value(self.built.prob.objective) or 0.0), ""

    def _marginal_values(self, objective: float, duals: dict[str, float]) -> dict[str, dict]:
        """One-sided values of each budget pool by re-solving with the budget +-US$1M.

        The dual (shadow price) is the slope on one side only when the budget sits at a kink of the
        benefit-budget curve (degenerate optimum; CBC and HiGHS may report different sides). Here
        one_more = benefit(B + 1) - benefit(B) and one_less = benefit(B) - benefit(B - 1) (or
        benefit(B) - benefit(0) when B < 1). The solver's values, duals and budgets are restored."""
        b = self.built
        B0a, B0i = self.budgets
        saved_vals = {v: v.varValue for v in b.prob.variables()}
        saved_pi = {c.name: (c.pulp.pi, c.pulp.slack) for c in b.cons if c.pulp is not None}
        out = {}
        try:
            for pool, cname in (("aid", "budget_aid"), ("investment", "budget_investment")):
                B = B0a if pool == "aid" else B0i
                up, why_up = self._resolve_objective(*((B + 1.0, B0i) if pool == "aid" else (B0a, B + 1.0)))
                step = min(1.0, B)
                if step > 0:
                    lo, why_lo = self._resolve_objective(*((B - step, B0i) if pool == "aid" else (B0a, B - step)))
                else:
                    lo, why_lo = None, "0"
                self.set_budgets(B0a, B0i)

                def why(text, side):
                    if text == "0":
                        return "the budget is already 0, so it cannot be cut"
                    if text.startswith("proven infeasible"):
                        return f"{side} would make the allocation infeasible"
                    return f"{side}: not solved ({text})"
                notes = []
                if up is None:
                    notes.append(why(why_up, "one more US$1M"))
                if lo is None:
                    notes.append(why(why_lo, "one less US$1M" if step >= 1.0 else f"US$ {_fmt(step)}M less"))
                out[pool] = {"shadow_price": duals.get(cname, float("nan")),
                             "one_more": (up - objective) if up is not None else float("nan"),
                             "one_less": (objective - lo) if lo is not None else float("nan"),
                             "one_less_step": step, "note": "; ".join(notes)}
        finally:
            self.set_budgets(B0a, B0i)
            for v, val in saved_vals.items():
                v.varValue = val
            for c in b.cons:
                if c.pulp is not None and c.name in saved_pi:
                    c.pulp.pi, c.pulp.slack = saved_pi[c.name]
        return out

    def _result(self, status, objective, vals, duals, budgets, notes, marginal_values=None) -> AllocationResult:
        b, prep = self.built, self.prep
        npairs = len(b.pairs)
        tot = np.bincount(b.xpair, weights=vals, minlength=npairs)
        coef = b.xbase * prep.priority.to_numpy()[b.xcountry]
        ben = np.bincount(b.xpair, weights=vals * coef, minlength=npairs)
        cs = [c for c, _ in b.pairs]
        ps = [p for _, p in b.pairs]
        a = np.array([prep.aid_share[p] for p in ps])
        aid = a * tot
        alloc = pd.DataFrame({"country": cs, "project_type": ps, "aid_musd": aid,
                              "investment_musd": tot - aid, "total_musd": tot, "benefit": ben})
        cols = ["aid_musd", "investment_musd", "total_musd", "benefit"]
        by_country = alloc.groupby("country", sort=False)[cols].sum()
        by_country.insert(0, "priority", prep.priority.reindex(by_country.index).to_numpy())
        by_type = alloc.groupby("project_type", sort=False)[cols].sum()
        by_pool = {"aid": float(aid.sum()), "investment": float((tot - aid).sum())}

        # constraint table: activity recomputed from the values, duals from the solver
        valmap = dict(zip(b.xvars, vals.tolist()))
        valmap[b.A] = b.A.varValue or 0.0
        valmap[b.I] = b.I.varValue or 0.0
        for o in b.binaries.values():
            valmap[o] = o.varValue or 0.0
        # relative to the money allocated (CBC gives ~8 significant digits), not to the budgets: a
        # huge, unused budget must not make every constraint look binding
        tol = 1e-6 * max(1.0, float(tot.sum()))
        mvs = marginal_values or {}
        mv_tol = 1e-6 * max(1.0, abs(objective))  # objectives from CBC carry ~8 significant digits
        rows, shadow, binding = [], {}, []
        for con in b.cons:
            if con.group == "definition":
                continue
            lhs = sum(k * valmap.get(v, 0.0) for v, k in con.expr.items())
            slack = (con.rhs - lhs) if con.sense == LE else (lhs - con.rhs) if con.sense == GE else -abs(lhs - con.rhs)
            pi = duals.get(con.name, float("nan"))
            is_binding = abs(slack) <= tol
            mv = mvs.get(_BUDGET_POOL.get(con.group, ""), {})
            meaning = _meaning(con, pi, is_binding, mv, mv_tol)
            rows.append({"name": con.name, "group": con.group, "label": con.label,
                         "sense": _SENSE_TXT[con.sense], "lhs": lhs, "rhs": con.rhs, "slack": slack,
                         "shadow_price": pi, "one_more_1m_adds": mv.get("one_more", float("nan")),
                         "one_less_1m_loses": mv.get("one_less", float("nan")),
                         "binding": is_binding, "meaning": meaning})
            if con.group in ("aid_budget", "investment_budget") or is_binding:
                key = con.label if con.label not in shadow else f"{con.label} [{con.name}]"
                shadow[key] = pi
            if is_binding:
                binding.append(meaning)
        for k, (c, p) in enumerate(b.pairs):
            K = prep.capacity[c, p]
            if tot[k] >= K - tol and K > 0:
                binding.append(f"{prep.name(c)} x {prep.tname(p)} is at its absorptive capacity "
                               f"(US$ {_fmt(K)}M, last segment breakpoint): more money there adds no benefit")
        for pool, used, B in (("aid", by_pool["aid"], prep.budget_aid),
                              ("investment", by_pool["investment"], prep.budget_inv)):
            if B - used > tol and status == "optimal":  # "no beneficial use" is a claim about the optimum
                notes.append(f"US$ {_fmt(B - used)}M of the {pool} budget is left unspent: the binding "
                             "constraints (capacity, caps, floors set as shares of the allocated total, "
                             "equity floor) leave no beneficial use for it.")
        constraints = pd.DataFrame(rows, columns=["name", "group", "label", "sense", "lhs", "rhs", "slack",
                                                  "shadow_price", "one_more_1m_adds", "one_less_1m_loses",
                                                  "binding", "meaning"])
        return AllocationResult(
            status=status, objective=objective, allocation=alloc, by_country=by_country, by_type=by_type,
            by_pool=by_pool, budgets=budgets, constraints=constraints, shadow_prices=shadow,
            binding=binding, is_milp=self.is_milp,
            duals_note=DUALS_NOTE_MILP if self.is_milp else DUALS_NOTE_LP, notes=notes,
            parameters=prep.params, need_factors=prep.need, priorities=prep.priority,
            solver=self.spec.solver, build_seconds=self.build_seconds, spec=self.spec,
            marginal_values=dict(mvs))


_BUDGET_POOL = {"aid_budget": "aid", "investment_budget": "investment"}


def _meaning(con: _Con, pi: float, binding: bool, mv: dict | None = None, tol: float = 1e-9) -> str:
    if con.group in _BUDGET_POOL:
        pool = _BUDGET_POOL[con.group]
        used = "fully used" if binding else "not fully used"
        mv = mv or {}
        up, down = mv.get("one_more", float("nan")), mv.get("one_less", float("nan"))
        step = mv.get("one_less_step", 1.0)
        less = "one less US$1M" if step >= 1.0 else f"cutting it to 0 (US$ {_fmt(step)}M less)"
        if not math.isnan(up) and not math.isnan(down):
            rate = down / step if step > 0 else down  # per US$1M, to compare slopes when B < 1
            if abs(up - rate) > tol:
                return (f"{con.label}: {used}; one more US$1M of {pool} adds {up:.4g} units of benefit; "
                        f"{less} loses {down:.4g} (the budget is at a kink: the two sides differ"
                        + (f"; the solver's shadow price is {pi:.4g}" if not math.isnan(pi) else "") + ")")
            if math.isnan(pi) or abs(pi - up) > tol:  # e.g. a MILP: the dual of the LP with binaries fixed
                return (f"{con.label}: {used}; one more US$1M of {pool} adds {up:.4g} units of benefit and "
                        f"{less} loses as much" + (f" (the solver's shadow price {pi:.4g} holds only for smaller "
                                                   "changes)" if not math.isnan(pi) else ""))
        elif not math.isnan(up) or not math.isnan(down):  # one side has no optimum (e.g. infeasible below)
            side = (f"one more US$1M of {pool} adds {up:.4g} units of benefit" if not math.isnan(up) else
                    f"{less} loses {down:.4g} units of benefit")
            return f"{con.label}: {used}; {side}; {mv.get('note', '')}".rstrip("; ")
        if math.isnan(pi):
            return f"{con.label}: {used}"
        return f"{con.label}: {used}; one more US$1M of {pool} adds {pi:.4g} units of benefit"
    if not binding:
        return f"{con.label}: not binding"
    if math.isnan(pi):
        return f"{con.label}: binding"
    gain = pi if con.sense == LE else -pi
    if con.group == "must_not":
        verb = "allowing US$1M there"
    elif con.relative:
        verb = "loosening it by US$1M"
    elif con.sense == LE:
        verb = "raising it by US$1M"
    else:
        verb = "lowering it by US$1M"
    if abs(gain) < 1e-9:
        return f"{con.label}: binding (tight), but {verb} adds no benefit at the margin"
    return f"{con.label}: binding; {verb} adds {gain:.4g} units of benefit"


# ----------------------------------------------------------------------------- diagnosis

def _slack_total(con: _Con) -> float:
    return sum((v.varValue or 0.0) for v, _ in con.slacks)


def diagnose_infeasibility(model: AllocationModel) -> Diagnosis:
    """Which named constraint groups conflict, and by how much (US$ millions).

    1. Elastic re-solve: every relaxable group gets a penalised slack per constraint (capacity an
       overflow variable per pair); minimising total slack gives the smallest relaxation.
    2. Deletion filter over groups: drop one group at a time and keep it out if the rest is still
       infeasible; what remains is an irreducible set of conflicting groups.
    3. For each conflicting group: the smallest relaxation of that group alone (others hard).
    """
    prep = model.prep
    spec = prep.spec
    present = [g for g in RELAXABLE_GROUPS if g in model._con_by_group]
    present.append("capacity") if "capacity" not in present else None
    tol = 1e-6 * max(1.0, prep.budget_aid + prep.budget_inv)

    def feasible(keep: list[str]) -> bool:
        b = _build(prep, dropped=frozenset(set(present) - set(keep)), mode="none")
        return _run(b.prob, spec, mip=b.is_milp) in ("optimal", "feasible")

    def elastic(groups) -> tuple[float | None, list[dict]]:
        b = _build(prep, elastic=frozenset(groups), mode="slack")
        st = _run(b.prob, spec, mip=b.is_milp)
        if st not in ("optimal", "feasible"):
            return None, []
        relax = []
        for con in b.cons:
            s = _slack_total(con)
            if s > tol:
                relax.append(_relax_words(con, s))
        for (c, p), v in b.overflow.items():
            s = v.varValue or 0.0
            if s > tol and "capacity" in groups:
                relax.append({"group": "capacity", "constraint": f"absorptive capacity of {prep.name(c)} x {prep.tname(p)}",
                              "by_musd": s, "action": f"raise the absorptive capacity of {prep.name(c)} x "
                              f"{prep.tname(p)} (last segment breakpoint, US$ {_fmt(prep.capacity[c, p])}M) by US$ {_fmt(s)}M"})
        return sum(r["by_musd"] for r in relax), relax

    if feasible(present):
        return Diagnosis([], [], 0.0, {}, "The model is feasible when re-solved; the solver's "
                         "'infeasible' was numerical. Try the other solver (allocation.solver).")
    total, relax = elastic(present)
    # deletion filter: try structural groups first so planner-set groups stay in the reported set
    order = ["capacity", "min_size"] + [g for g in present if g not in ("capacity", "min_size")]
    keep = [g for g in present]
    for g in order:
        if g not in keep:
            continue
        trial = [k for k in keep if k != g]
        if not feasible(trial):
            keep = trial
    conflicting = [g for g in present if g in keep]
    by_group = {}
    for g in dict.fromkeys(conflicting + [r["group"] for r in relax]):
        amount, _ = elastic([g])
        by_group[g] = amount
    labels = [GROUP_LABELS.get(g, g) for g in conflicting]
    joined = (", ".join(labels[:-1]) + " and " + labels[-1]) if len(labels) > 1 else (labels[0] if labels else "constraints")
    msg = f"Infeasible: the {joined} cannot all hold."
    if total is not None and relax:
        msg += f" Smallest relaxation (US$ {_fmt(total)}M in all): " + "; ".join(r["action"] for r in relax) + "."
    alone = [f"{_GROUP_VERB.get(g, 'relax')} the {GROUP_LABELS.get(g, g)} by US$ {_fmt(v)}M"
             for g, v in by_group.items() if v is not None]
    if alone:
        msg += " Each alone would also do: " + "; or ".join(alone) + "."
    return Diagnosis(conflicting_groups=conflicting, relaxations=relax, total_relaxation_musd=total,
                     by_group=by_group, message=msg)


_GROUP_VERB = {"aid_budget": "raise", "investment_budget": "raise", "country_caps": "raise",
               "type_caps": "raise", "capacity": "raise", "absorptive_gdp": "raise",
               "country_floors": "lower", "type_floors": "lower", "must_fund": "lower",
               "equity_floor": "lower", "min_size": "lower", "must_not": "allow spending on",
               "linking": "relax"}


def _relax_words(con: _Con, s: float) -> dict:
    if con.group == "must_not":
        act = f"allow US$ {_fmt(s)}M for '{con.label}'"
    elif con.sense == LE:
        act = f"raise '{con.label}' by US$ {_fmt(s)}M"
    elif con.sense == GE:
        act = f"lower '{con.label}' by US$ {_fmt(s)}M" if not con.relative else \
              f"relax '{con.label}' by US$ {_fmt(s)}M"
    else:
        act = f"change '{con.label}' by US$ {_fmt(s)}M"
    return {"group": con.group, "constraint": con.label, "by_musd": s, "action": act}


# ----------------------------------------------------------------------------- public functions

def solve(priorities: pd.Series, countries: pd.DataFrame, project_types: pd.DataFrame | None,
          spec: AllocationSpec | dict, diagnose: bool = True,
          known_columns: Iterable[str] | None = None) -> AllocationResult:
    """Build and solve the allocation model (pure: reads nothing but what it is given, except the
    shipped project-type table when ``project_types`` is None)."""
    return AllocationModel(priorities, countries, project_types, spec, known_columns).solve(diagnose=diagnose)


def efficient_frontier(model: AllocationModel, factors=None) -> pd.DataFrame:
    """Benefit against budget: re-solve the same model with both budgets scaled by each factor
    (default ``spec.frontier``: 25%-200% in 20 points). Only the budget RHS changes.

    Columns: factor, budget_aid_musd, budget_investment_musd, budget_total_musd, status, objective,
    shadow_aid, shadow_investment, marginal_value (benefit per extra US$1M of total budget spent
    in the same aid/investment proportion), slope (finite difference to the previous point).
    """
    fs = model.spec.frontier
    if factors is None:
        factors = np.linspace(fs.lo, fs.hi, fs.points)
    factors = [float(f) for f in factors]
    if any(not (math.isfinite(f) and f >= 0) for f in factors):
        raise InputError("budget factors must be finite and >= 0", where="allocation.frontier")
    B0a, B0i = model.budgets
    rows = []
    try:
        for f in factors:
            model.set_budgets(B0a * f, B0i * f)
            st, obj, pa, pi_ = model.solve_quick()
            tot = (B0a + B0i) * f
            mv = (pa * B0a + pi_ * B0i) / (B0a + B0i) if (B0a + B0i) > 0 else float("nan")
            rows.append({"factor": f, "budget_aid_musd": B0a * f, "budget_investment_musd": B0i * f,
                         "budget_total_musd": tot, "status": st,
                         "objective": obj if obj is not None else float("nan"),
                         "shadow_aid": pa, "shadow_investment": pi_, "marginal_value": mv})
    finally:
        model.set_budgets(B0a, B0i)
    df = pd.DataFrame(rows)
    df["slope"] = df["objective"].diff() / df["budget_total_musd"].diff()
    return df


def write_model(model: AllocationModel, path: str | Path) -> Path:
    return model.write_model(path)
