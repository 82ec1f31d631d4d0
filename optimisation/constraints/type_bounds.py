"""Per-type floors and caps (``allocation.type_floors`` / ``type_caps``): a project type's money
summed over the shortlist, in US$ millions or as a share of a pool's allocated total."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from optimisation.constraints.base import (
    GE,
    LE,
    BuildContext,
    ConstraintFamily,
    Row,
    SpecData,
    check_type,
)
from optimisation.constraints.country_bounds import POOLS, check_share_sum
from optimisation.wording import musd, pct

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.spec import AllocationSpec, TypeBound


class _TypeBounds(ConstraintFamily):
    """Floors (GE) or caps (LE) on each listed project type's money."""

    field: ClassVar[str]
    sense: ClassVar[int]
    word: ClassVar[str]
    members_word: ClassVar[str | None]

    def bounds(self, spec: AllocationSpec) -> dict[str, TypeBound]:
        b: dict[str, TypeBound] = getattr(spec, self.field)
        return b

    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        bounds = self.bounds(spec)
        for p in bounds:
            check_type(p, types, data, f"allocation.{self.field}[{p}]")
        for pool in POOLS:
            shares = {k: b.share for k, b in bounds.items() if b.share is not None and b.pool == pool}
            check_share_sum(shares, pool, types, self.field, self.members_word)
        return []

    def build(self, ctx: BuildContext) -> list[Row]:
        rows = []
        for p, b in self.bounds(ctx.spec).items():
            ex = ctx.type_terms(p, b.pool)
            pw = "" if b.pool == "total" else f" of {b.pool}"
            tn = ctx.prep.tname(p)
            if b.musd is not None:
                rows.append(
                    Row(
                        f"{self.group}_{p}_musd_{b.pool}",
                        self.group,
                        f"{tn} {self.word}: US$ {musd(b.musd)}M{pw}",
                        ex,
                        self.sense,
                        b.musd,
                    )
                )
            if b.share is not None:
                rows.append(
                    Row(
                        f"{self.group}_{p}_share_{b.pool}",
                        self.group,
                        f"{tn} {self.word}: {pct(b.share)} of {b.pool}",
                        ex + ctx.pool_terms(b.pool, -b.share),
                        self.sense,
                        0.0,
                        relative=True,
                    )
                )
        return rows


class TypeFloors(_TypeBounds):
    """Each listed project type gets at least its floor (``allocation.type_floors``)."""

    group = "type_floors"
    label = "per-type floors"
    verb = "lower"
    row_order = 41
    spec_fields = ("type_floors",)
    field = "type_floors"
    sense = GE
    word = "floor"
    members_word = None


class TypeCaps(_TypeBounds):
    """Each listed project type gets at most its cap (``allocation.type_caps``)."""

    group = "type_caps"
    label = "per-type caps"
    verb = "raise"
    row_order = 40
    spec_fields = ("type_caps",)
    field = "type_caps"
    sense = LE
    word = "cap"
    members_word = "every enabled project type"
