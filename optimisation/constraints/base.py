"""The one protocol every allocation constraint family follows, and the row it builds.

A *family* is one named constraint group a planner can switch on (per-country caps, must-fund
pairs, the equity floor, ...). It knows everything about its group: which spec fields it reads,
how it checks them against the shortlist and the data (:meth:`ConstraintFamily.validate`), the
rows it adds to the model (:meth:`ConstraintFamily.build`), how it restricts a spec to a
sub-shortlist (:meth:`ConstraintFamily.restrict`), and how it is said in words: its planner label,
what a binding row means, and what the infeasibility diagnosis asks the planner to change.

The model core (:mod:`optimisation.build`) only creates the variables and the objective and
assembles the families of the registry (:mod:`optimisation.constraints`). Families never touch
PuLP problems directly: they get variables and expressions from a :class:`BuildContext`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeAlias

from mcda.errors import InputError
from optimisation.wording import musd

if TYPE_CHECKING:  # pragma: no cover - typing only (these modules import this one)
    import pandas as pd
    import pulp

    from optimisation.build import Built
    from optimisation.prepare import Prepared
    from optimisation.spec import AllocationSpec

#: row senses: the values of PuLP's LpConstraintLE / GE / EQ (checked in optimisation.build), so
#: that the registry can be imported (labels, restriction) without importing PuLP
LE: int = -1
GE: int = 1
EQ: int = 0
SENSE_TEXT: dict[int, str] = {LE: "<=", GE: ">=", EQ: "="}

Term: TypeAlias = "tuple[pulp.LpVariable, float]"
Terms: TypeAlias = "list[tuple[pulp.LpVariable, float]]"
SpecDict: TypeAlias = "dict[str, Any]"


class Row:
    """One named constraint row: ``sum(coef * var) <sense> rhs``.

    Parameters
    ----------
    name : str
        Row name (made solver-safe and unique by the model core).
    group : str
        The constraint group (a family's ``group``; ``"definition"`` for rows that only define
        auxiliary variables and are never relaxed or reported).
    label : str
        What the row says in a planner's words (tables, binding constraints, diagnosis).
    terms : iterable of (LpVariable, float)
        The left-hand side; a variable given twice keeps its first position and last coefficient.
    sense : int
        ``LE``, ``GE`` or ``EQ``.
    rhs : float
        Right-hand side, US$ millions (0 for shares and ratios).
    relative : bool
        The limit is a share or a ratio (rhs 0): "loosening" it rather than raising or lowering.
    """

    __slots__ = ("expr", "group", "label", "name", "pulp", "relative", "rhs", "sense", "slacks")

    def __init__(
        self, name: str, group: str, label: str, terms: Iterable[Term], sense: int, rhs: float, relative: bool = False
    ) -> None:
        from pulp import LpAffineExpression

        self.name = name
        self.group = group
        self.label = label
        self.expr: pulp.LpAffineExpression = LpAffineExpression(terms if isinstance(terms, list) else list(terms))
        self.sense = sense
        self.rhs = float(rhs)
        self.relative = relative
        #: the PuLP constraint once the row is in a problem
        self.pulp: pulp.LpConstraint | None = None
        #: (slack variable, sign) pairs when the row is elastic (diagnosis models)
        self.slacks: list[tuple[pulp.LpVariable, int]] = []

    def __repr__(self) -> str:
        return f"Row({self.name!r}, {self.group!r}, {self.label!r}, {SENSE_TEXT[self.sense]} {self.rhs:g})"


class BuildContext(Protocol):
    """What a family gets from the model core to build its rows (see :mod:`optimisation.build`).

    Expressions are lists of (variable, coefficient) terms in a fixed order (country by country,
    type by type, segment by segment), so the rows built are the same on every run.
    """

    @property
    def prep(self) -> Prepared:
        """The prepared inputs: spec, shortlist, types, capacities, GDP, names."""

    @property
    def spec(self) -> AllocationSpec:
        """The allocation spec being built."""

    @property
    def countries(self) -> list[str]:
        """The shortlist (ISO3), in model order."""

    @property
    def types(self) -> list[str]:
        """The enabled project types, in model order."""

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Every (country, project type) pair, country-major."""

    @property
    def budgets(self) -> tuple[float, float]:
        """(aid, investment) budgets of this build, US$ millions."""

    @property
    def overflow(self) -> dict[tuple[str, str], pulp.LpVariable]:
        """Overflow variable per pair when capacity is relaxed (else empty); part of every pair's terms."""

    @property
    def programme(self) -> Any:
        """None, or with ``allocation.programme`` the :class:`optimisation.programme.ProgrammeIndex`:
        ``years``, ``commit_terms(c, p, y)``, ``disbursed_terms(c, p, t, pool)``, ``year_terms(t, pool)``
        (variables indexed by country, type and year, for a family's per-year rows)."""

    def pair_terms(self, c: str, p: str, k: float = 1.0) -> Terms:
        """Terms of the money of pair (c, p) (its segment variables, then its overflow), times k."""

    def country_terms(self, c: str, pool: str) -> Terms:
        """Terms of country c's money counted in ``pool`` (total, aid or investment)."""

    def type_terms(self, p: str, pool: str) -> Terms:
        """Terms of project type p's money (over the shortlist) counted in ``pool``."""

    def pool_terms(self, pool: str, k: float = 1.0) -> Terms:
        """Terms of the pool total (aid used + investment used for 'total'), times k."""

    def new_variable(
        self, name: str, low: float | None = 0.0, up: float | None = None, binary: bool = False
    ) -> pulp.LpVariable:
        """A new variable of the problem (a binary is recorded as a fund/no-fund choice)."""

    def relaxed(self, group: str) -> bool:
        """The group is elastic or dropped in this build (diagnosis models)."""

    def elastic(self, group: str) -> bool:
        """The group is elastic in this build (its violation is penalised in the objective)."""


class SpecData:
    """What :meth:`ConstraintFamily.validate` may look at besides the spec: the countries table
    (rows of the shortlist present), the project types the table knows (enabled or not), and GDP
    in US$ millions, read once on first use.

    Parameters
    ----------
    countries : pandas.DataFrame
        The countries table, indexed by ISO3 (str).
    shortlist : list of str
        The shortlisted countries (model order).
    known_types : list of str
        Every project type of the table given (enabled or not), to tell 'not enabled' from 'unknown'.
    gdp_column : str
        Column with GDP in current US$.
    """

    def __init__(self, countries: pd.DataFrame, shortlist: list[str], known_types: list[str], gdp_column: str) -> None:
        self.countries = countries
        self.shortlist = shortlist
        self.known_types = known_types
        self.gdp_column = gdp_column
        self._gdp: pd.Series | None = None
        self.gdp_read = False

    @property
    def has_gdp(self) -> bool:
        """The countries table has the GDP column."""
        return self.gdp_column in self.countries.columns

    def gdp_musd(self) -> pd.Series | None:
        """GDP of the shortlist in US$ millions (NaN where blank or not a number); None without the column."""
        if not self.gdp_read:
            self.gdp_read = True
            if self.has_gdp:
                import pandas as pd

                self._gdp = (
                    pd.to_numeric(self.countries[self.gdp_column], errors="coerce").reindex(self.shortlist) / 1e6
                )
        return self._gdp


# ----------------------------------------------------------------------------- shared checks


def check_country(c: str, shortlist: Sequence[str], where: str) -> None:
    """InputError unless ``c`` is a shortlisted country."""
    if c not in shortlist:
        raise InputError(f"'{c}' is not a shortlisted country", where=where, hint=f"Shortlist: {', '.join(shortlist)}")


def check_type(p: str, types: Sequence[str], data: SpecData, where: str) -> None:
    """InputError unless ``p`` is an enabled project type (saying whether it is known but disabled)."""
    if p not in types:
        state = "not enabled" if p in data.known_types else "unknown project type"
        raise InputError(f"{state} '{p}'", where=where, hint=f"Enabled types: {', '.join(types)}")


def drop_keys(spec: SpecDict, field: str, shortlist: Sequence[str]) -> tuple[SpecDict, list[str]]:
    """Restrict a country-keyed spec field to ``shortlist``: (spec, ``field[c]`` of each key dropped)."""
    keep = set(shortlist)
    gone = [c for c in spec.get(field) or {} if c not in keep]
    if not gone:
        return spec, []
    return {**spec, field: {c: v for c, v in spec[field].items() if c in keep}}, [f"{field}[{c}]" for c in gone]


# ----------------------------------------------------------------------------- the protocol


class ConstraintFamily(ABC):
    """One constraint group: its spec fields, checks, rows, restriction and words.

    Class attributes
    ----------------
    group : str
        Id of the group (rows, tables, ``GROUP_LABELS``, the diagnosis).
    label : str
        What a planner calls the group ("per-country caps").
    verb : str
        What the diagnosis asks of the group as a whole: "raise", "lower", "allow spending on",
        "relax" ("raise the per-country caps by US$ 10M").
    row_order : int
        Where the family's rows go in the model and in every constraint table (ascending; the
        registry's order is the order groups are named to the planner).
    spec_fields : tuple of str
        The ``AllocationSpec`` fields the family reads.
    penalty : float
        Weight of a US$1M relaxation in the diagnosis's elastic re-solve (budgets cost slightly
        more, so that among equally small relaxations a planner's own choice is shown first).
    structural : bool
        Set by the data rather than by the planner (capacity, minimum project sizes): the
        diagnosis tries leaving these out first, so that planner-set groups stay in the report.
    on_variable_bounds : bool
        The limit is a bound on variables, not rows (capacity): always in force, relaxed by
        overflow variables rather than row slacks, named after the groups with rows.
    budget_pool : str or None
        'aid' or 'investment' for a budget row (re-solved for one-sided marginal values).
    """

    group: ClassVar[str]
    label: ClassVar[str]
    verb: ClassVar[str]
    row_order: ClassVar[int]
    spec_fields: ClassVar[tuple[str, ...]] = ()
    penalty: ClassVar[float] = 1.0
    structural: ClassVar[bool] = False
    on_variable_bounds: ClassVar[bool] = False
    budget_pool: ClassVar[str | None] = None

    # -- inputs -------------------------------------------------------------------------
    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        """Check the family's spec fields against the shortlist, the enabled types and the data.

        Parameters
        ----------
        spec : AllocationSpec
        shortlist : sequence of str
            Shortlisted countries (ISO3).
        types : sequence of str
            Enabled project types.
        data : SpecData
            Countries table, known project types, GDP.

        Returns
        -------
        list of str
            Notes for the result (what was not applied and why); empty when there is nothing to say.

        Raises
        ------
        InputError
            Naming the field, e.g. ``allocation.country_caps[BRA]``.
        """
        return []

    def check_prepared(self, prep: Prepared) -> list[str]:
        """Checks that need the prepared model data (capacities, aid shares); returns notes."""
        return []

    def restrict(self, spec: SpecDict, shortlist: Sequence[str]) -> tuple[SpecDict, list[str]]:
        """Drop the entries naming countries outside ``shortlist`` (a floor on a country that is
        not shortlisted does not apply).

        Parameters
        ----------
        spec : dict
            ``AllocationSpec.model_dump()`` (not modified).
        shortlist : sequence of str

        Returns
        -------
        (dict, list of str)
            The restricted spec dict and one key per entry dropped (e.g. ``country_caps[BRA]``).
        """
        return spec, []

    # -- model --------------------------------------------------------------------------
    def add_variables(self, ctx: BuildContext) -> None:  # noqa: B027 - an optional hook, not abstract
        """Add variables before any row is built (capacity's overflow when relaxed); default none."""

    @abstractmethod
    def build(self, ctx: BuildContext) -> list[Row]:
        """The family's rows for this model (empty when the spec does not switch it on)."""

    def elastic_terms(self, ctx: BuildContext) -> dict[pulp.LpVariable, float]:
        """Objective terms of the elastic re-solve besides the row slacks (capacity's overflow)."""
        return {}

    # -- words --------------------------------------------------------------------------
    def change_words(self, row: Row) -> str:
        """How one US$1M change of a binding row is said ("raising it by US$1M")."""
        if row.relative:
            return "loosening it by US$1M"
        return "raising it by US$1M" if row.sense == LE else "lowering it by US$1M"

    def meaning(
        self, row: Row, pi: float, binding: bool, marginal: Mapping[str, Any] | None = None, tol: float = 1e-9
    ) -> str:
        """What the row says at the optimum, in words.

        Parameters
        ----------
        row : Row
        pi : float
            The row's dual (d benefit / d rhs); NaN when unknown.
        binding : bool
            The row holds with equality (to tolerance).
        marginal : mapping, optional
            One-sided values of a budget pool (budget families only).
        tol : float
            Tolerance when comparing the solver's dual with re-solved values.
        """
        if not binding:
            return f"{row.label}: not binding"
        if math.isnan(pi):
            return f"{row.label}: binding"
        gain = pi if row.sense == LE else -pi
        verb = self.change_words(row)
        if abs(gain) < 1e-9:
            return f"{row.label}: binding (tight), but {verb} adds no benefit at the margin"
        return f"{row.label}: binding; {verb} adds {gain:.4g} units of benefit"

    def relax_action(self, row: Row, amount: float) -> str:
        """The diagnosis's change to one row, in words ("raise 'X cap' by US$ 10M")."""
        if row.sense == LE:
            return f"raise '{row.label}' by US$ {musd(amount)}M"
        if row.sense == GE:
            return (
                f"lower '{row.label}' by US$ {musd(amount)}M"
                if not row.relative
                else f"relax '{row.label}' by US$ {musd(amount)}M"
            )
        return f"change '{row.label}' by US$ {musd(amount)}M"

    def bound_relaxations(self, built: Built, tol: float) -> list[dict[str, Any]]:
        """Relaxations found on variable bounds (capacity's overflow) in a solved elastic model."""
        return []

    def bound_binding(self, prep: Prepared, totals: Sequence[float], tol: float) -> list[str]:
        """Binding limits on variable bounds at the optimum, in words (totals: US$M per pair)."""
        return []

    def __repr__(self) -> str:
        return f"<constraint family {self.group}>"
