"""Preparation: validate the allocation inputs once and turn them into the arrays the model is
built from (capacities, band widths, objective coefficients, need factors).

Order of the checks (it decides which error a planner sees first): the spec, the priorities, the
countries table, the project types; then each constraint family's own checks in registry order
(:meth:`~optimisation.constraints.base.ConstraintFamily.validate`); then the need factors; then
the checks that need the prepared data (:meth:`~optimisation.constraints.base.ConstraintFamily.check_prepared`).
Notes (what was not applied, and why) keep that order too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mcda.errors import InputError
from optimisation.constraints import FAMILIES, SpecData
from optimisation.params import effective_types, load_project_types
from optimisation.rules import rule_facts
from optimisation.spec import AllocationSpec, parse_spec
from optimisation.wording import type_name

Pair = tuple[str, str]


@dataclass
class Prepared:
    """Validated inputs of one allocation model (money in US$ millions).

    ``widths``, ``capacity`` and ``base`` are keyed by (country, type); ``band_widths`` and
    ``band_base`` hold the same numbers flat, pair by pair (country-major) and band by band, in
    the order of the model's segment variables.
    """

    spec: AllocationSpec
    countries: list[str]
    names: dict[str, str]
    types: list[str]
    params: pd.DataFrame
    aid_share: dict[str, float]
    min_size: dict[str, float]
    widths: dict[Pair, list[float]]
    capacity: dict[Pair, float]
    base: dict[Pair, list[float]]  # impact * need * marginal per band (no priority)
    need: pd.DataFrame
    priority: pd.Series
    gdp_musd: pd.Series | None
    budget_aid: float
    budget_inv: float
    notes: list[str] = field(default_factory=list)
    band_widths: np.ndarray = field(default_factory=lambda: np.zeros(0))
    band_base: np.ndarray = field(default_factory=lambda: np.zeros(0))
    band_pair: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    programme: Any = None  # optimisation.programme.Programme with allocation.programme
    #: facts of the planner's rules per country (issue 11: 'debt' -> {country: DebtStatus})
    rules: dict[str, Any] = field(default_factory=dict)

    def name(self, c: str) -> str:
        """A country in words: 'Brazil (BRA)', or the id when the data has no name."""
        n = self.names.get(c)
        return f"{n} ({c})" if n and n != c else c

    def tname(self, p: str) -> str:
        """A project type in words."""
        return type_name(p)


def check_priorities(priorities: Any, where: str = "priorities") -> pd.Series:
    """Priorities as a float Series indexed by ISO3 (name 'country'), each finite and >= 0, not all 0.

    Raises
    ------
    InputError
        Not a Series or dict, empty, a country twice, a bad value, or all zero.
    """
    if isinstance(priorities, dict):
        priorities = pd.Series(priorities, dtype=float)
    if not isinstance(priorities, pd.Series):
        raise InputError(f"expected a pandas Series iso3 -> priority, got {type(priorities).__name__}", where=where)
    if priorities.empty:
        raise InputError(
            "no shortlisted country to allocate to",
            where=where,
            hint="The shortlist is empty; loosen the shortlist filters",
        )
    idx = priorities.index.astype(str)
    if idx.duplicated().any():
        raise InputError(f"country listed twice: {', '.join(sorted(set(idx[idx.duplicated()])))}", where=where)
    vals = pd.to_numeric(priorities, errors="coerce").astype(float)
    bad = [str(k) for k, v in zip(idx, vals, strict=True) if not (math.isfinite(v) and v >= 0)]
    if bad:
        raise InputError(f"priority must be a finite number >= 0 for: {', '.join(bad)}", where=where)
    if float(vals.sum()) <= 0:
        raise InputError(
            "all priorities are zero", where=where, hint="At least one shortlisted country needs a positive priority"
        )
    return pd.Series(vals.to_numpy(), index=pd.Index(idx, name="country"), name="priority")


def need_factors(
    countries: pd.DataFrame,
    C: list[str],
    params: pd.DataFrame,
    spec: AllocationSpec,
    notes: list[str],
    known_columns: frozenset[str],
) -> pd.DataFrame:
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
                notes.append(
                    f"Need factor of {p}: column '{col}' is not in the data; neutral factor 1 for all "
                    "(allocation.missing_need = neutral)."
                )
                continue
            raise InputError(
                f"need indicator column '{col}' is not in the countries table",
                where=where,
                hint="Use a column of the data, 'none', or set allocation.missing_need to 'neutral'",
            )
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
                raise InputError(
                    f"need indicator '{col}' is blank for {', '.join(miss)}",
                    where=where,
                    hint="Set allocation.missing_need to 'neutral' to use factor 1",
                )
            notes.append(
                f"Need factor of {p}: '{col}' is blank for {', '.join(miss)}; "
                "neutral factor 1 used (allocation.missing_need = neutral)."
            )
        f = (v / mean) ** gamma
        out[p] = f.fillna(1.0).to_numpy()
    return out


def prepare(
    priorities: pd.Series | Mapping[str, float],
    countries: pd.DataFrame,
    project_types: pd.DataFrame | None,
    spec: AllocationSpec | dict[str, Any],
    known_columns: Iterable[str] | None = None,
) -> Prepared:
    """Validate every input and compute what the model is built from.

    Parameters
    ----------
    priorities : Series or mapping
        ISO3 -> priority (>= 0, not all 0): the shortlist.
    countries : DataFrame
        Indexed by ISO3: a row per shortlisted country (name, GDP, need indicators).
    project_types : DataFrame or None
        The project-type table (None: the shipped ``datasets/project_types.csv``).
    spec : AllocationSpec or dict
        The allocation inputs.
    known_columns : iterable of str, optional
        Indicator names of the reference data set (see :func:`need_factors`).

    Returns
    -------
    Prepared

    Raises
    ------
    InputError
        The first problem found, naming the field (e.g. ``allocation.country_caps[BRA]``).
    """
    spec = parse_spec(spec)
    pr = check_priorities(priorities)
    if not isinstance(countries, pd.DataFrame):
        raise InputError(f"expected a DataFrame indexed by ISO3, got {type(countries).__name__}", where="countries")
    cidx = countries.index.astype(str)
    countries = countries.set_axis(cidx)
    C = list(pr.index)
    missing = [c for c in C if c not in countries.index]
    if missing:
        raise InputError(
            f"no data row for shortlisted countr{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}",
            where="countries",
        )
    if project_types is None:
        project_types = load_project_types()
    params = effective_types(project_types, spec)
    P = list(params.index)
    notes: list[str] = []

    name_col = next((c for c in ("country", "name", "label") if c in countries.columns), None)
    if name_col is None:
        names = {c: c for c in C}
    elif countries.index.is_unique:  # one column read instead of a lookup per country
        by_id = dict(zip(countries.index, countries[name_col].tolist(), strict=True))
        names = {c: str(by_id[c]) for c in C}
    else:
        names = {c: str(countries.at[c, name_col]) for c in C}

    known_types = list(project_types.index) if isinstance(project_types, pd.DataFrame) else []
    data = SpecData(countries, C, known_types, spec.gdp_column)
    for fam in FAMILIES:
        notes += fam.validate(spec, C, P, data)
    gdp = data.gdp_musd() if data.gdp_read else None
    rules, more = rule_facts(spec, countries, C, params, known_types)  # issue 11 items 3-6
    notes += more

    need = need_factors(countries, C, params, spec, notes, frozenset(known_columns or ()))
    # the parameter columns: numbers per project type, and a tuple of band values for the segments
    aid_col, min_col = params["aid_share"].astype(float), params["min_size_musd"].astype(float)
    impact_col = params["impact_per_musd"].astype(float)
    breaks_col, marginals_col = params["segment_breaks_musd"], params["segment_marginals"]
    aid_share = {p: float(aid_col[p]) for p in P}
    min_size = {p: float(min_col[p]) for p in P}
    widths: dict[Pair, list[float]] = {}
    capacity: dict[Pair, float] = {}
    base: dict[Pair, list[float]] = {}
    need_arr = need.to_numpy(dtype=float)
    kscale = np.array([float(spec.country_capacity_scale.get(c, 1.0)) for c in C], dtype=float)
    Wn, Bn = [], []
    for j, p in enumerate(P):
        br = breaks_col[p]
        mg = np.asarray(marginals_col[p], dtype=float)
        w = np.diff(np.asarray((0.0, *br), dtype=float))
        imp = float(impact_col[p])
        Wn.append(kscale[:, None] * w[None, :])  # every country's band widths
        Bn.append((imp * need_arr[:, j])[:, None] * mg[None, :])  # and benefit per US$1M (no priority)
        W, Bs, K = Wn[-1].tolist(), Bn[-1].tolist(), (br[-1] * kscale).tolist()
        for i, c in enumerate(C):
            widths[c, p] = W[i]
            capacity[c, p] = K[i]
            base[c, p] = Bs[i]
    # the same numbers flat, in the model's order: country-major, then type, then band
    band_widths = np.concatenate(Wn, axis=1).ravel()
    band_base = np.concatenate(Bn, axis=1).ravel()
    band_pair = np.repeat(np.arange(len(C) * len(P)), np.tile([x.shape[1] for x in Wn], len(C)))
    prep = Prepared(
        spec=spec,
        countries=C,
        names=names,
        types=P,
        params=params,
        aid_share=aid_share,
        min_size=min_size,
        widths=widths,
        capacity=capacity,
        base=base,
        need=need,
        priority=pr,
        gdp_musd=gdp,
        budget_aid=float(spec.budget_aid_musd),
        budget_inv=float(spec.budget_investment_musd),
        notes=notes,
        band_widths=band_widths,
        band_base=band_base,
        band_pair=band_pair,
        rules=rules,
    )
    for fam in FAMILIES:
        prep.notes += fam.check_prepared(prep)
    return prep
