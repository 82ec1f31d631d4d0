"""Discrete projects (``allocation.discrete``, a MILP): each pair is either 0 or at least the
type's minimum project size. A binary o[c,p] per pair with a positive minimum size S:
S x o <= pair <= (capacity + M) x o (the upper row is a definition: never relaxed or reported)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mcda.errors import InputError
from optimisation.constraints.base import GE, LE, BuildContext, ConstraintFamily, Row
from optimisation.wording import musd, safe_name

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.prepare import Prepared


class MinSize(ConstraintFamily):
    """0 or at least the minimum size, per (country, type) pair."""

    group = "min_size"
    label = "minimum project sizes (discrete projects)"
    verb = "lower"
    row_order = 80
    spec_fields = ("discrete", "type_params")
    structural = True

    def check_prepared(self, prep: Prepared) -> list[str]:
        """A type whose minimum size exceeds every country's absorptive capacity can never be
        funded (an error); one whose minimum exceeds a pool budget is noted; if no type can be
        funded at all the model could only return an empty allocation (an error)."""
        spec = prep.spec
        if not spec.discrete:
            return []
        notes: list[str] = []
        fundable = []
        C: Sequence[str] = prep.countries
        for p in prep.types:
            S = prep.min_size[p]
            where = (
                f"allocation.type_params[{p}].min_size_musd"
                if p in spec.type_params and spec.type_params[p].min_size_musd is not None
                else f"project_types[{p}].min_size_musd"
            )
            top = max(prep.capacity[c, p] for c in C)
            if top < S:
                raise InputError(
                    f"minimum project size US$ {musd(S)}M is above the absorptive capacity of every "
                    f"shortlisted country (at most US$ {musd(top)}M), so {p} could never be funded",
                    where=where,
                    hint="Lower the minimum size, raise the last segment breakpoint, "
                    "or set allocation.discrete to false",
                )
            a = prep.aid_share[p]
            short = [
                f"{pool} budget US$ {musd(B)}M"
                for pool, need, B in (
                    ("aid", a * S, spec.budget_aid_musd),
                    ("investment", (1 - a) * S, spec.budget_investment_musd),
                )
                if need > B * (1 + 1e-9)
            ]
            if short:
                notes.append(
                    f"Discrete projects: one {p} project of the minimum size US$ {musd(S)}M needs more "
                    f"than the {' and '.join(short)}, so {p} cannot be funded."
                )
            else:
                fundable.append(p)
        if not fundable:
            raise InputError(
                "with discrete projects no project type can be funded: every minimum project size "
                "needs more than the budgets",
                where="allocation.discrete",
                hint="Raise the budgets, lower min_size_musd, or set allocation.discrete to false",
            )
        return notes

    def build(self, ctx: BuildContext) -> list[Row]:
        spec, prep = ctx.spec, ctx.prep
        if not spec.discrete:
            return []
        big_extra = 0.0
        if ctx.overflow:  # capacity relaxed: a pair may exceed its capacity, so M must allow it
            B_aid, B_inv = ctx.budgets
            big_extra = (
                10.0
                * (
                    B_aid
                    + B_inv
                    + sum(b.musd or 0 for b in spec.country_floors.values())
                    + sum(b.musd or 0 for b in spec.type_floors.values())
                    + sum(m.min_musd or 0 for m in spec.must_fund)
                )
                + 1e3
            )
        rows = []
        for c, p in ctx.pairs:
            S = prep.min_size[p]
            if S <= 0:
                continue
            o = ctx.new_variable(f"open_{safe_name(c)}_{safe_name(p)}", binary=True)
            terms = ctx.pair_terms(c, p)
            name = f"{prep.name(c)} x {prep.tname(p)}"
            rows.append(
                Row(
                    f"minsize_{c}_{p}",
                    self.group,
                    f"minimum project size: {name} is 0 or at least US$ {musd(S)}M",
                    terms + [(o, -S)],
                    GE,
                    0.0,
                    relative=True,
                )
            )
            rows.append(
                Row(
                    f"open_{c}_{p}",
                    "definition",
                    f"{name} funded only if opened",
                    terms + [(o, -(prep.capacity[c, p] + big_extra))],
                    LE,
                    0.0,
                )
            )
        return rows
