"""Per-country floors and caps (``allocation.country_floors`` / ``country_caps``).

Each bound gives one or more of: US$ millions, a share of a pool's allocated total, a % of the
country's GDP; each is its own named row on the country's money counted in the bound's pool.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from mcda.errors import InputError
from optimisation.constraints.base import (
    GE,
    LE,
    BuildContext,
    ConstraintFamily,
    Row,
    SpecData,
    SpecDict,
    check_country,
    drop_keys,
)
from optimisation.wording import musd, pct

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.spec import AllocationSpec, CountryBound

POOLS = ("total", "aid", "investment")


def check_share_sum(
    bounds: dict[str, float], pool: str, members: Sequence[str] | None, field: str, what: str | None
) -> None:
    """Shares are of the money allocated, so caps on every member (``what`` says who) summing below
    100% of a pool, or floors (``what`` None) summing above 100%, leave 0 as the only feasible amount
    for that pool: the solver would report an 'optimal' empty allocation."""
    if not bounds:
        return
    tot = sum(bounds.values())
    if what is not None and members is not None and set(members) <= set(bounds) and tot < 1 - 1e-9:
        raise InputError(
            f"the share caps on {what} add up to {pct(tot)} of the {pool} allocation, below 100%, "
            f"so nothing at all could be allocated from it",
            where=f"allocation.{field}",
            hint="Raise the shares so they add up to at least 100%, or cap some in US$ millions",
        )
    if what is None and tot > 1 + 1e-9:
        raise InputError(
            f"the share floors add up to {pct(tot)} of the {pool} allocation, above 100%, "
            f"so nothing at all could be allocated from it",
            where=f"allocation.{field}",
            hint="Lower the shares so they add up to at most 100%",
        )


class _CountryBounds(ConstraintFamily):
    """Floors (GE) or caps (LE) on each listed country's money."""

    field: ClassVar[str]
    sense: ClassVar[int]
    word: ClassVar[str]
    members_word: ClassVar[str | None]  # caps: who "every member" is; floors: None

    def bounds(self, spec: AllocationSpec) -> dict[str, CountryBound]:
        b: dict[str, CountryBound] = getattr(spec, self.field)
        return b

    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        bounds = self.bounds(spec)
        for c in bounds:
            check_country(c, shortlist, f"allocation.{self.field}[{c}]")
        with_gdp = [c for c, b in bounds.items() if b.pct_gdp is not None]
        if with_gdp:
            if not data.has_gdp:
                raise InputError(
                    f"a % of GDP bound needs column '{data.gdp_column}' (GDP, current US$) in the countries table",
                    where=f"allocation.{self.field}[{with_gdp[0]}].pct_gdp",
                )
            gdp = data.gdp_musd()
            assert gdp is not None
            for c in with_gdp:
                if not (math.isfinite(gdp[c]) and gdp[c] > 0):
                    raise InputError(
                        f"GDP of {c} is blank or not positive, so a % of GDP bound cannot be set",
                        where=f"allocation.{self.field}[{c}].pct_gdp",
                    )
        for pool in POOLS:
            shares = {k: b.share for k, b in bounds.items() if b.share is not None and b.pool == pool}
            check_share_sum(shares, pool, shortlist, self.field, self.members_word)
        return []

    def restrict(self, spec: SpecDict, shortlist: Sequence[str]) -> tuple[SpecDict, list[str]]:
        return drop_keys(spec, self.field, shortlist)

    def build(self, ctx: BuildContext) -> list[Row]:
        prep, rows = ctx.prep, []
        for c, b in self.bounds(ctx.spec).items():
            ex = ctx.country_terms(c, b.pool)
            pw = "" if b.pool == "total" else f" of {b.pool}"
            if b.musd is not None:
                rows.append(
                    Row(
                        f"{self.group}_{c}_musd_{b.pool}",
                        self.group,
                        f"{prep.name(c)} {self.word}: US$ {musd(b.musd)}M{pw}",
                        ex,
                        self.sense,
                        b.musd,
                    )
                )
            if b.share is not None:
                rows.append(
                    Row(
                        f"{self.group}_{c}_share_{b.pool}",
                        self.group,
                        f"{prep.name(c)} {self.word}: {pct(b.share)} of {b.pool}",
                        ex + ctx.pool_terms(b.pool, -b.share),
                        self.sense,
                        0.0,
                        relative=True,
                    )
                )
            if b.pct_gdp is not None:
                assert prep.gdp_musd is not None
                rhs = b.pct_gdp / 100.0 * float(prep.gdp_musd[c])
                rows.append(
                    Row(
                        f"{self.group}_{c}_gdp_{b.pool}",
                        self.group,
                        f"{prep.name(c)} {self.word}: {b.pct_gdp:g}% of GDP (US$ {musd(rhs)}M){pw}",
                        ex,
                        self.sense,
                        rhs,
                    )
                )
        return rows


class CountryFloors(_CountryBounds):
    """Each listed country gets at least its floor (``allocation.country_floors``)."""

    group = "country_floors"
    label = "per-country floors"
    verb = "lower"
    row_order = 21
    spec_fields = ("country_floors",)
    field = "country_floors"
    sense = GE
    word = "floor"
    members_word = None


class CountryCaps(_CountryBounds):
    """Each listed country gets at most its cap (``allocation.country_caps``)."""

    group = "country_caps"
    label = "per-country caps"
    verb = "raise"
    row_order = 20
    spec_fields = ("country_caps",)
    field = "country_caps"
    sense = LE
    word = "cap"
    members_word = "every shortlisted country"
