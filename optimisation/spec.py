"""AllocationSpec: every allocation input of a scenario, validated once (pydantic v2).

JSON-friendly (plain numbers, strings, lists and dicts), ``extra='forbid'`` everywhere so a
misspelled field fails with a message naming it. This module must not import ``fulcrum.scenario``:
the scenario imports :class:`AllocationSpec` and stores it at ``Scenario.allocation``.

Money is US$ millions. Country keys are ISO3 codes of shortlisted countries; type keys are
``project_type`` ids of ``datasets/project_types.csv``. Those memberships are checked when the
model is built (they depend on the shortlist and the data), with errors naming the field, e.g.
``allocation.country_caps[BRA]``.
"""

from __future__ import annotations

import difflib
import typing
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictFloat,
    StrictInt,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from mcda.errors import InputError

Pool = Literal["total", "aid", "investment"]
NeedTransform = Literal["ratio_to_mean", "shortfall_ratio_to_mean", "none"]
PriorityTransform = Literal["pipeline", "rank_reciprocal", "equal"]


#: largest budget accepted, US$ millions (1e9 = US$ 1,000 trillion, ~10x world GDP): anything larger
#: is a typo, and solvers treat right-hand sides near 1e20 and above as infinite
MAX_BUDGET_MUSD = 1e9

#: the one rule for a budget pool (US$ millions): a finite number in [0, MAX_BUDGET_MUSD]. The spec's
#: fields use it, and :func:`check_budget` applies it to budgets given outside a scenario file
BudgetMusd = Annotated[float, Field(ge=0, le=MAX_BUDGET_MUSD, allow_inf_nan=False)]
_BUDGET = TypeAdapter(BudgetMusd)


def check_budget(value: Any, where: str) -> float:
    """A budget pool in US$ millions by the spec's rule (:data:`BudgetMusd`), for values given outside
    a scenario file (a command-line override, ``AllocationModel.set_budgets``); text is parsed.

    Raises
    ------
    InputError
        Naming ``where``: not a number, not finite, negative, or above ``MAX_BUDGET_MUSD``.
    """
    hint = "Budgets are in US$ millions, e.g. 250 for US$ 250M"
    shown = value
    if isinstance(value, bool):
        raise InputError(f"not a number: {value!r}", where=where, hint=hint)
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise InputError(f"not a number: {shown!r}", where=where, hint=hint) from None
    try:
        return float(_BUDGET.validate_python(value))
    except ValidationError as e:
        err = e.errors()[0]
        kind = err.get("type", "")
        if kind in ("float_type", "float_parsing"):
            msg = f"not a number: {shown!r}"
        elif kind == "less_than_equal":
            msg = f"budget {shown} is above the limit of {MAX_BUDGET_MUSD:.0e} (US$ millions)"
        else:
            msg = f"budget must be a finite number >= 0, got {shown}"
        raise InputError(msg, where=where, hint=hint) from None


def _wants_number(annotation: Any) -> bool:
    return annotation is float or float in typing.get_args(annotation)


class _Strict(BaseModel):
    # allow_inf_nan=False: JSON's Infinity / NaN are not amounts (inf reached the solver as a RHS)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_not_text_or_bool(cls, v: Any, info: ValidationInfo) -> Any:
        """A number field given true/false or text ("100") is a typing slip in the scenario file;
        pydantic's lax mode would read true as 1 (US$ 1M) without a word."""
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _wants_number(field.annotation) and isinstance(v, (bool, str)):
            raise ValueError(f"expected a number, not {'true/false' if isinstance(v, bool) else 'text'}")
        return v


class CountryBound(_Strict):
    """A floor or a cap on one country's allocation. Give one or more of musd / share / pct_gdp;
    a cap keeps the smallest of them, a floor the largest (each is its own named constraint)."""

    musd: float | None = Field(None, ge=0, description="US$ millions")
    share: float | None = Field(None, ge=0, le=1, description="fraction of the pool's total allocation (0-1)")
    pct_gdp: float | None = Field(None, ge=0, le=100, description="percent of the country's GDP (absorptive capacity)")
    pool: Pool = Field("total", description="which money it counts: total, aid or investment")

    @model_validator(mode="after")
    def _one_given(self) -> CountryBound:
        if self.musd is None and self.share is None and self.pct_gdp is None:
            raise ValueError("give at least one of musd, share or pct_gdp")
        return self


class TypeBound(_Strict):
    """A floor or a cap on one project type's allocation summed over the shortlisted countries."""

    musd: float | None = Field(None, ge=0, description="US$ millions")
    share: float | None = Field(None, ge=0, le=1, description="fraction of the pool's total allocation (0-1)")
    pool: Pool = "total"

    @model_validator(mode="after")
    def _one_given(self) -> TypeBound:
        if self.musd is None and self.share is None:
            raise ValueError("give at least one of musd or share")
        return self


class Pair(_Strict):
    """A (country, project type) pair: must-fund (at least ``min_musd``; default the type's
    minimum efficient project size) or must-not (nothing)."""

    country: str
    project_type: str
    min_musd: float | None = Field(None, ge=0, description="must-fund only; US$ millions")
    reason: str | None = None


class Link(_Strict):
    """Linking constraint in each listed country: lhs_type >= ratio x rhs_type
    (e.g. medical_health >= 0.25 x production_capacity: the joined-up demonstration zone)."""

    lhs_type: str
    ratio: float = Field(ge=0)
    rhs_type: str
    countries: list[str] | None = Field(None, description="default: every shortlisted country")
    label: str | None = None


class TypeParams(_Strict):
    """Override of one project type's parameters (defaults come from datasets/project_types.csv)."""

    aid_share: float | None = Field(None, ge=0, le=1)
    impact_per_musd: float | None = Field(None, ge=0)
    segment_breaks_musd: list[float] | None = None
    segment_marginals: list[float] | None = None
    min_size_musd: float | None = Field(None, ge=0)
    need_indicator: str | None = Field(None, description="a countries.csv column id, or 'none'")
    need_transform: NeedTransform | None = None
    source: str | None = Field(None, description="where the override comes from; default 'planner'")


class FrontierSpec(_Strict):
    lo: float = Field(0.25, gt=0, description="smallest budget factor")
    hi: float = Field(2.0, gt=0, description="largest budget factor")
    points: int = Field(20, ge=2, le=200)

    @model_validator(mode="after")
    def _ordered(self) -> FrontierSpec:
        if self.hi <= self.lo:
            raise ValueError("hi must be larger than lo")
        return self


class ProgrammeCeilings(_Strict):
    """Annual disbursement ceilings of a programme, US$ millions: one number for every year or a list,
    one per year (``allocation.programme.years`` long)."""

    aid: float | list[StrictFloat] = Field(description="aid disbursed per year at most, US$ millions")
    investment: float | list[StrictFloat] = Field(description="investment disbursed per year at most, US$ millions")

    @field_validator("aid", "investment")
    @classmethod
    def _in_range(cls, v: float | list[StrictFloat]) -> float | list[StrictFloat]:
        for x in v if isinstance(v, list) else [v]:
            if isinstance(x, bool) or not (0 <= x <= MAX_BUDGET_MUSD):
                raise ValueError(f"a ceiling must be a number in [0, {MAX_BUDGET_MUSD:.0e}] (US$ millions)")
        return v


class ProgrammeSpec(_Strict):
    """A multi-year programme (optimisation/programme.py): commitments start in a year and disburse over
    the following years by a profile per project type; annual disbursements respect the ceilings."""

    start_year: StrictInt = Field(ge=1900, le=2200, description="first year of the programme")
    years: StrictInt = Field(ge=1, le=50, description="number of years")
    ceilings: ProgrammeCeilings
    carry_over: StrictBool = Field(False, description="unspent ceiling room of a year may be spent in later years")
    profiles: dict[str, str] = Field(
        default_factory=dict,
        description="planner override of a type's disbursement profile (datasets/disbursement_profiles.csv), "
        "yearly shares summing to 1, e.g. {'health': '0.5;0.5'}",
    )

    @model_validator(mode="after")
    def _lengths(self) -> ProgrammeSpec:
        for pool in ("aid", "investment"):
            v = getattr(self.ceilings, pool)
            if isinstance(v, list) and len(v) != self.years:
                raise ValueError(f"ceilings.{pool} lists {len(v)} values for a {self.years}-year programme")
        return self


# --------------------------------------------------------------------------- issue 11 items 3-6
# (demonstration zones, the debt rule, outcomes, co-financing); every field off by default


#: a number typed as a number (not text, not true/false), finite
_Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class JoinedType(_Strict):
    """A joined type's ratio to the zone's lead money in the same country, and (optionally) which
    lead types it counts (default every lead type)."""

    ratio: float = Field(gt=0, description="joined money <= ratio x lead money in the same country")
    lead: list[str] | None = Field(None, description="lead types counted (default: all of zones.lead)")


class Zones(_Strict):
    """Demonstration zones: in each listed country (default every shortlisted one) a joined type is
    funded only alongside the zone's lead types, at most ``ratio`` x their money there (so nothing
    where the lead gets nothing). Linear: no binaries."""

    lead: list[str] = Field(min_length=1, description="the types that lead a zone (project_types.csv ids)")
    joined: dict[str, JoinedType] = Field(
        min_length=1, description="joined type -> ratio to the lead money (a number, or {ratio, lead})"
    )
    countries: list[str] | None = Field(None, description="default: every shortlisted country")
    label: str | None = Field(None, description="the rule's name in the outputs")

    @field_validator("joined", mode="before")
    @classmethod
    def _ratio_alone(cls, v: Any) -> Any:
        """``{"health": 0.5}`` is short for ``{"health": {"ratio": 0.5}}``."""
        if isinstance(v, dict):
            return {k: ({"ratio": x} if not isinstance(x, dict) else x) for k, x in v.items()}
        return v


class DebtTier(_Strict):
    """One tier of the debt rule: countries whose debt indicator is above ``above_pct``."""

    name: str = Field(min_length=1, description="e.g. 'high risk (above the LIC-DSF strong-capacity threshold)'")
    above_pct: float = Field(ge=0, le=10000, description="threshold on the debt indicator (% of GNI)")
    investment_cap_musd: float | None = Field(
        None, ge=0, le=MAX_BUDGET_MUSD, description="investment (loans) to such a country at most this; 0 excludes"
    )
    min_grant_share: float | None = Field(
        None, ge=0, le=1, description="aid (grant) money at least this share of the country's allocation"
    )
    source: str = Field("assumption", description="where the threshold and the limit come from")


class DebtRule(_Strict):
    """Debt sustainability: each country falls in the highest tier whose threshold its debt
    indicator exceeds; the tier caps its loans and/or sets a minimum grant share."""

    column: str = Field("external_debt", description="countries-table column: external debt stocks, % of GNI")
    tiers: list[DebtTier] = Field(min_length=1)
    missing: Literal["no_limit", "exclude"] = Field(
        "no_limit", description="a blank debt value: no limit (said in the notes) or no loans"
    )

    @model_validator(mode="after")
    def _ascending(self) -> DebtRule:
        t = [x.above_pct for x in self.tiers]
        if t != sorted(t) or len(set(t)) != len(t):
            raise ValueError("tiers must be in ascending order of above_pct, each threshold once")
        for i, x in enumerate(self.tiers):
            if x.investment_cap_musd is None and x.min_grant_share is None:
                raise ValueError(f"tiers[{i}]: give investment_cap_musd and/or min_grant_share")
        return self


class Cofinancing(_Strict):
    """A partner's match per US$1M the planner gives to a type: reported apart, never in the budget."""

    ratio: float = Field(gt=0, le=100, description="partner US$ per planner US$ in this type")
    partner: str = Field("partner", min_length=1, description="who brings the match")
    source: str = Field("assumption", description="where the ratio comes from")


ObjectiveKind = Literal["benefit", "outcomes"]
OutcomeBasis = Literal["low", "mid", "high"]


class AllocationSpec(_Strict):
    """Every allocation input of a scenario (US$ millions).

    Build it with :func:`parse_spec` (a dict from a scenario file or the app), which turns pydantic's
    validation errors into one-line :class:`~mcda.errors.InputError` messages naming the field.
    Each field's ``description`` says what it holds; unknown fields are refused.
    """

    budget_aid_musd: BudgetMusd = Field(description="aid (grant) pool, US$ millions")
    budget_investment_musd: BudgetMusd = Field(description="investment pool, US$ millions")
    project_types: list[str] | None = Field(None, description="enabled project types; default all in the data file")
    type_params: dict[str, TypeParams] = Field(default_factory=dict)
    country_floors: dict[str, CountryBound] = Field(default_factory=dict)
    country_caps: dict[str, CountryBound] = Field(default_factory=dict)
    type_floors: dict[str, TypeBound] = Field(default_factory=dict)
    type_caps: dict[str, TypeBound] = Field(default_factory=dict)
    must_fund: list[Pair] = Field(default_factory=list)
    must_not: list[Pair] = Field(default_factory=list)
    linking: list[Link] = Field(default_factory=list)
    equity_floor: float | None = Field(
        None, ge=0, le=1, description="each shortlisted country gets at least this fraction of an equal split"
    )
    discrete: bool = Field(False, description="projects are either 0 or at least the minimum size (MILP)")
    priority_transform: PriorityTransform = Field(
        "pipeline",
        description="pipeline = the shortlist's priority column (scenario.shortlist.priority rule); "
        "rank_reciprocal = (1/rank) / sum; equal = 1/k (see optimisation.priorities)",
    )
    need_exponent: float = Field(1.0, ge=0, description="need factor = (need/mean)^exponent")
    missing_need: Literal["neutral", "error"] = Field(
        "neutral", description="a blank need value: factor 1 (listed in the notes) or an error"
    )
    country_capacity_scale: dict[str, float] = Field(
        default_factory=dict, description="multiplies a country's segment breakpoints (>0)"
    )
    absorptive_cap_pct_gdp: float | None = Field(
        16.0,
        gt=0,
        le=100,
        description="each country's allocation (pool below) at most this % of its GDP: the a* where "
        "aid's marginal effect reaches zero (Collier 2007 citing CGD, 16% of GDP; "
        "curated/diminishing_returns.md). null switches it off",
    )
    absorptive_cap_pool: Pool = Field(
        "total",
        description="which money the % of GDP absorptive cap counts (default both pools: "
        "China counts concessional loans as foreign aid)",
    )
    gdp_column: str = Field("gdp", description="countries-table column with GDP in current US$")
    solver: Literal["cbc", "highs"] = Field(
        "highs", description="highs (default; CBC when highspy is not installed, said in the notes) or cbc"
    )
    time_limit_s: float = Field(30.0, gt=0)
    frontier: FrontierSpec = Field(default_factory=FrontierSpec)
    note: str | None = None
    programme: ProgrammeSpec | None = Field(None, description="a multi-year programme (start year, years, ceilings)")
    pipeline: str | None = Field(
        None, description="CSV of candidate projects, relative to the scenario file (needs a programme)"
    )
    # issue 11 items 3-6 (off by default: a scenario without them solves as before)
    zones: Zones | None = Field(None, description="demonstration zones: joined types only alongside the lead")
    debt_rule: DebtRule | None = Field(None, description="loans limited by external debt (% of GNI), by tier")
    objective: ObjectiveKind = Field(
        "benefit", description="benefit = priority-weighted benefit; outcomes = weighted physical outcomes"
    )
    outcome_weights: dict[str, Annotated[_Number, Field(ge=0)]] = Field(
        default_factory=dict, description="objective 'outcomes': weight per unit of a type's outcome (>= 0)"
    )
    outcome_basis: OutcomeBasis = Field(
        "low", description="which sourced outputs per US$1M the objective uses: low, mid(point) or high"
    )
    cofinancing: dict[str, Cofinancing] = Field(
        default_factory=dict, description="partner match per project type: reported apart, not budget"
    )
    report_outcomes: bool = Field(
        True, strict=True, description="report outcomes and cost per outcome (always on with objective 'outcomes')"
    )

    @model_validator(mode="after")
    def _scales_positive(self) -> AllocationSpec:
        if self.budget_aid_musd + self.budget_investment_musd <= 0:
            raise ValueError(
                "both budgets are 0: there is nothing to allocate "
                "(set budget_aid_musd and/or budget_investment_musd above 0)"
            )
        for k, v in self.country_capacity_scale.items():
            if not v > 0:
                raise ValueError(f"country_capacity_scale[{k}] must be > 0, got {v}")
        if self.pipeline is not None and self.programme is None:
            raise ValueError("a pipeline needs a programme (allocation.programme: start_year, years, ceilings)")
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Without a programme / pipeline the document is as before (no such keys)."""
        doc: dict[str, Any] = handler(self)
        for key in ("programme", "pipeline"):
            if doc.get(key, 0) is None:
                del doc[key]
        return doc

    def with_budgets(self, aid: float | None = None, investment: float | None = None) -> AllocationSpec:
        """A copy with the budgets replaced (validated: negative budgets raise InputError)."""
        data = self.model_dump()
        if aid is not None:
            data["budget_aid_musd"] = aid
        if investment is not None:
            data["budget_investment_musd"] = investment
        return parse_spec(data)


# --------------------------------------------------------------------------- errors


def _loc_to_path(loc: tuple, prefix: str) -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int) or (out and _is_key_position(out)):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_DICT_FIELDS = {"type_params", "country_floors", "country_caps", "type_floors", "type_caps", "country_capacity_scale"}
_DICT_FIELDS |= {"joined", "outcome_weights", "cofinancing"}  # issue 11 items 3-6


def _is_key_position(path_so_far: str) -> bool:
    last = path_so_far.rsplit(".", 1)[-1]
    return last in _DICT_FIELDS


def _model_at(loc: tuple, root: type[BaseModel] | None = None) -> type[BaseModel] | None:
    """The pydantic model class that owns the last element of ``loc`` (for 'did you mean')."""
    model: Any = root or AllocationSpec
    parts = list(loc[:-1])
    i = 0
    while i < len(parts):
        part = parts[i]
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        ann = field.annotation
        origin = typing.get_origin(ann)
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if origin in (dict, list) or (origin is typing.Union and args and typing.get_origin(args[0]) in (dict, list)):
            inner = ann if origin in (dict, list) else args[0]
            inner_args = typing.get_args(inner)
            model = inner_args[-1]
            i += 2  # skip the key / index
            continue
        model = args[0] if origin is typing.Union or (origin is not None and args) else ann
        i += 1
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def format_validation_error(
    exc: ValidationError,
    prefix: str = "allocation",
    *,
    root: type[BaseModel] | None = None,
    hint: str = "Fix the allocation section of the scenario (money in US$ millions)",
) -> InputError:
    """Turn a pydantic ValidationError into one readable InputError (field path + message).

    Parameters
    ----------
    exc : pydantic.ValidationError
    prefix : str
        Path of the validated object in the scenario (``allocation``).
    root : pydantic model class, optional
        The model validated (default AllocationSpec); the scenario passes its own model so
        misspelled fields anywhere in a scenario get the same 'did you mean' message.
    hint : str
        How to fix it, for the one-line error.

    Returns
    -------
    InputError
        ``where`` is the field path (e.g. ``allocation.country_caps[BRA].share``) when there is
        one error; every error is in the message.
    """
    msgs = []
    first_where = None
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        if root is None and loc and loc[0] == "allocation":  # a whole scenario's error: root at its allocation
            loc = loc[1:]
        path = _loc_to_path(loc, prefix)
        first_where = first_where or path
        if err.get("type") == "extra_forbidden":
            model = _model_at(loc, root)
            msg = "unknown field"
            if model is not None and loc:
                close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
                if close:
                    msg += f" (did you mean '{close[0]}'?)"
                else:
                    msg += f" (allowed: {', '.join(model.model_fields)})"
        elif err.get("type") == "missing":
            msg = "required field is missing"
        else:
            msg = err.get("msg", "invalid value")
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            if "input" in err and err.get("type") != "model_type":
                inp = err["input"]
                if isinstance(inp, (int, float, str, bool)) or inp is None:
                    msg += f" (got {inp!r})"
        msgs.append((path, msg))
    where = first_where if len(msgs) == 1 else prefix or None
    text = msgs[0][1] if len(msgs) == 1 else "; ".join(f"{p}: {m}" if p else m for p, m in msgs)
    return InputError(text, where=where, hint=hint)


def parse_spec(data: Any, prefix: str = "allocation") -> AllocationSpec:
    """Validate a dict (e.g. the scenario's ``allocation`` section) into an AllocationSpec.

    Parameters
    ----------
    data : dict or AllocationSpec
        The allocation inputs (an AllocationSpec is returned as it is).
    prefix : str
        Path of ``data`` in the scenario, for error messages.

    Returns
    -------
    AllocationSpec

    Raises
    ------
    InputError
        Naming the field on any problem (unknown field, wrong type, out-of-range value).
    """
    if isinstance(data, AllocationSpec):
        return data
    if not isinstance(data, dict):
        raise InputError(f"expected an object with the allocation inputs, got {type(data).__name__}", where=prefix)
    try:
        return AllocationSpec.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc, prefix) from None


__all__ = [
    "AllocationSpec",
    "Cofinancing",
    "CountryBound",
    "DebtRule",
    "DebtTier",
    "FrontierSpec",
    "JoinedType",
    "Link",
    "Pair",
    "ProgrammeCeilings",
    "ProgrammeSpec",
    "TypeBound",
    "TypeParams",
    "Zones",
    "format_validation_error",
    "parse_spec",
]
