"""Must-fund and must-not pairs (``allocation.must_fund`` / ``must_not``): a (country, project
type) pair gets at least a minimum (default: one project of the type's minimum size), or nothing."""

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
    SpecDict,
    check_country,
    check_type,
)
from optimisation.wording import musd

if TYPE_CHECKING:  # pragma: no cover
    from optimisation.spec import AllocationSpec, Pair


class _Pairs(ConstraintFamily):
    field: ClassVar[str]

    def entries(self, spec: AllocationSpec) -> list[Pair]:
        e: list[Pair] = getattr(spec, self.field)
        return e

    def validate(
        self, spec: AllocationSpec, shortlist: Sequence[str], types: Sequence[str], data: SpecData
    ) -> list[str]:
        for i, pair in enumerate(self.entries(spec)):
            check_country(pair.country, shortlist, f"allocation.{self.field}[{i}].country")
            check_type(pair.project_type, types, data, f"allocation.{self.field}[{i}].project_type")
        return []

    def restrict(self, spec: SpecDict, shortlist: Sequence[str]) -> tuple[SpecDict, list[str]]:
        keep = set(shortlist)
        kept, gone = [], []
        for pair in spec.get(self.field) or []:
            if pair["country"] in keep:
                kept.append(pair)
            else:
                gone.append(f"{self.field} {pair['country']} x {pair['project_type']}")
        return ({**spec, self.field: kept} if gone else spec), gone


class MustFund(_Pairs):
    """pair (c, p) >= min_musd (default the type's minimum project size)."""

    group = "must_fund"
    label = "must-fund pairs"
    verb = "lower"
    row_order = 50
    spec_fields = ("must_fund",)
    field = "must_fund"

    def build(self, ctx: BuildContext) -> list[Row]:
        prep, rows = ctx.prep, []
        for pr in self.entries(ctx.spec):
            c, p = pr.country, pr.project_type
            m = pr.min_musd if pr.min_musd is not None else prep.min_size[p]
            rows.append(
                Row(
                    f"must_fund_{c}_{p}",
                    self.group,
                    f"must fund {prep.name(c)} x {prep.tname(p)} (at least US$ {musd(m)}M)",
                    ctx.pair_terms(c, p),
                    GE,
                    m,
                )
            )
        return rows


class MustNot(_Pairs):
    """pair (c, p) <= 0."""

    group = "must_not"
    label = "must-not pairs"
    verb = "allow spending on"
    row_order = 51
    spec_fields = ("must_not",)
    field = "must_not"

    def build(self, ctx: BuildContext) -> list[Row]:
        prep = ctx.prep
        return [
            Row(
                f"must_not_{pr.country}_{pr.project_type}",
                self.group,
                f"must not fund {prep.name(pr.country)} x {prep.tname(pr.project_type)}",
                ctx.pair_terms(pr.country, pr.project_type),
                LE,
                0.0,
            )
            for pr in self.entries(ctx.spec)
        ]

    def change_words(self, row: Row) -> str:
        return "allowing US$1M there"

    def relax_action(self, row: Row, amount: float) -> str:
        return f"allow US$ {musd(amount)}M for '{row.label}'"
